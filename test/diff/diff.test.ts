// The diff stage: typed changes with before and after, values compared as Magento reads them.

import { describe, expect, it } from "vitest";
import {
  isDestructive,
  totalUnitsRemoved,
  unitsLostFromTransfer,
  unitsRunAgain,
  type MoveChange,
  type SourceItemChange,
} from "../../src/diff/changes.js";
import { diff } from "../../src/diff/diff.js";
import { DEFAULT_SOURCE, desired, live, ORIGIN } from "../helpers/states.js";

describe("sources", () => {
  it("finds nothing to do when the store holds what the file says, however Magento spells it", () => {
    const store = live({
      sources: [
        DEFAULT_SOURCE,
        // GET answers with numeric strings, 1 for true, "" or absent for null.
        {
          source_code: "ne_wh",
          name: "NE",
          enabled: 1,
          country_id: "US",
          postcode: "07306",
          latitude: "40.733790",
          longitude: -74.05872,
          region_id: "41",
          email: "",
          extension_attributes: { is_pickup_location_active: false, frontend_name: "NE" },
        },
      ],
    });
    const file = desired({
      sources: {
        ne_wh: {
          name: "NE",
          enabled: true,
          country_id: "US",
          postcode: "07306",
          latitude: 40.73379,
          longitude: -74.05872,
          region_id: 41,
          email: null,
          frontend_name: null,
        },
      },
    });
    expect(diff(file, store).changes).toEqual([]);
  });

  it("updates only the fields the file declares, and keeps the rest of the record for the save", () => {
    const store = live({
      sources: [
        DEFAULT_SOURCE,
        {
          source_code: "ne_wh",
          name: "NE",
          enabled: true,
          country_id: "US",
          postcode: "07306",
          email: "ops@example.com",
          phone: "555",
        },
      ],
    });
    const { changes } = diff(
      desired({ sources: { ne_wh: { name: "Northeast", country_id: "US", postcode: "07306", phone: null } } }),
      store,
    );
    expect(changes).toHaveLength(1);
    const change = changes[0]!;
    expect(change.kind === "source" && change.action).toBe("update");
    if (change.kind !== "source") return;
    expect(change.changed).toEqual(["name", "phone"]);
    expect(change.cleared).toEqual(["phone"]);
    expect(change.after.email).toBe("ops@example.com");
    // Magento resets an empty frontend name to the name, so a rename carries it along.
    expect(change.after.frontend_name).toBe("Northeast");
    expect(change.before?.name).toBe("NE");
  });

  it("creates a missing source with Magento's defaults for what the file leaves out", () => {
    const { changes } = diff(
      desired({ sources: { hq: { name: "HQ", country_id: "US", postcode: "78701" } } }),
      live({}),
    );
    expect(changes).toEqual([
      expect.objectContaining({
        kind: "source",
        action: "create",
        source: "hq",
        before: null,
        changed: ["name", "country_id", "postcode"],
      }),
    ]);
    const change = changes[0]!;
    if (change.kind !== "source") return;
    expect(change.after).toMatchObject({
      name: "HQ",
      enabled: true,
      is_pickup_location_active: false,
      frontend_name: "HQ",
      email: null,
    });
  });

  it("compares coordinates at Magento's 6 decimals", () => {
    const store = live({
      sources: [DEFAULT_SOURCE, { source_code: "a", name: "A", country_id: "US", postcode: "1", latitude: 40.1234565 }],
    });
    expect(
      diff(desired({ sources: { a: { name: "A", country_id: "US", postcode: "1", latitude: 40.123457 } } }), store)
        .changes,
    ).toEqual([]);
  });
});

describe("stocks and links", () => {
  it("creates a stock and its links with ids known after apply, noting the website it takes", () => {
    const { changes } = diff(
      desired({ stocks: { "US Stock": { channels: ["base"], links: ["ne_wh", "hq"] } } }),
      live({}),
    );
    expect(changes).toEqual([
      {
        kind: "stock",
        action: "create",
        stock: "US Stock",
        stock_id: null,
        before: null,
        after: { name: "US Stock", sales_channels: [{ type: "website", code: "base" }] },
        changed: ["name", "sales_channels"],
        notes: ['website "base" moves here from stock "Default Stock"'],
      },
      {
        kind: "link",
        action: "create",
        stock: "US Stock",
        stock_id: null,
        source: "ne_wh",
        before: null,
        after: { priority: 1 },
        declared_order: 0,
      },
      {
        kind: "link",
        action: "create",
        stock: "US Stock",
        stock_id: null,
        source: "hq",
        before: null,
        after: { priority: 2 },
        declared_order: 1,
      },
    ]);
  });

  it("reprioritises, adds and removes links of an existing stock, in priority order", () => {
    const store = live({
      stocks: [
        { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
        {
          id: 2,
          name: "US Stock",
          links: [
            ["hq", 1],
            ["ne_wh", 2],
            ["old", 3],
          ],
        },
      ],
    });
    const { changes } = diff(desired({ stocks: { "US Stock": { links: ["ne_wh", "hq", "west"] } } }), store);
    expect(
      changes.map((c) =>
        c.kind === "link"
          ? `${c.action} ${c.source} ${c.before?.priority ?? "-"}->${c.after?.priority ?? "-"} #${c.stock_id}`
          : c.kind,
      ),
    ).toEqual(["update ne_wh 2->1 #2", "update hq 1->2 #2", "create west -->3 #2", "delete old 3->- #2"]);
  });

  it("matches stock names without case, renames the case, and keeps channels the file does not manage", () => {
    const store = live({
      stocks: [
        { id: 1, name: "Default Stock", channels: ["base"] },
        { id: 2, name: "us stock", channels: ["us_site"] },
      ],
    });
    const { changes } = diff(desired({ stocks: { "US Stock": {} } }), store);
    expect(changes).toEqual([
      expect.objectContaining({
        kind: "stock",
        action: "update",
        stock_id: 2,
        changed: ["name"],
        after: { name: "US Stock", sales_channels: [{ type: "website", code: "us_site" }] },
      }),
    ]);
  });

  it("says a website a stock drops goes back to the Default Stock", () => {
    const store = live({
      stocks: [
        { id: 1, name: "Default Stock" },
        { id: 2, name: "EU", channels: ["de_site", "fr_site"] },
      ],
    });
    const { changes } = diff(desired({ stocks: { EU: { channels: ["de_site"] } } }), store);
    expect(changes).toEqual([
      expect.objectContaining({
        kind: "stock",
        action: "update",
        changed: ["sales_channels"],
        notes: [
          'website "fr_site" goes back to stock "Default Stock", as Magento does with every website a stock drops',
        ],
      }),
    ]);
  });

  it("does not re-plan the Default Stock's website once another declared stock takes it", () => {
    const store = live({ stocks: [{ id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] }] });
    const { changes } = diff(
      desired({ stocks: { "Default Stock": { channels: [] }, "US Stock": { channels: ["base"] } } }),
      store,
    );
    expect(changes.map((c) => `${c.kind} ${c.action} ${"stock" in c ? c.stock : ""}`)).toEqual([
      "stock create US Stock",
    ]);
  });
});

describe("the topology after apply", () => {
  const store = live({
    stocks: [
      { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
      { id: 2, name: "US", channels: ["us", "ca"], links: [["ne_wh", 1]] },
    ],
  });

  it("is worked out once by the diff: stocks, channels and links before and after", () => {
    const result = diff(
      desired({
        stocks: { US: { channels: ["us"], links: ["west", "ne_wh"] }, EU: { channels: ["eu"], links: ["west"] } },
      }),
      store,
    );
    const view = (t: typeof result.topology.before) =>
      t.stocks.map(
        (s) =>
          `${s.id ?? "new"} ${s.name}: ${s.sales_channels?.map((c) => c.code).join(",")} <- ${s.links.map((l) => `${l.source}:${l.priority}`).join(",")}`,
      );
    expect(view(result.topology.before)).toEqual(["1 Default Stock: base <- default:1", "2 US: ca,us <- ne_wh:1"]);
    expect(view(result.topology.after)).toEqual([
      "1 Default Stock: base,ca <- default:1",
      "2 US: us <- west:1,ne_wh:2",
      "new EU: eu <- west:1",
    ]);
  });

  it("gives the stock notes: the fallback a note names is where the topology puts the website", () => {
    const { changes, topology } = diff(desired({ stocks: { US: { channels: ["us"] } } }), store);
    const notes = changes.flatMap((c) => (c.kind === "stock" ? c.notes : []));
    expect(notes).toEqual([
      'website "ca" goes back to stock "Default Stock", as Magento does with every website a stock drops',
    ]);
    expect(topology.after.stocks[0]?.sales_channels).toEqual([
      { type: "website", code: "base" },
      { type: "website", code: "ca" },
    ]);
  });

  it("names no fallback for a website that a declared Default Stock takes: it moves there, and US needs no save", () => {
    const { changes, topology } = diff(
      desired({ stocks: { "Default Stock": { channels: ["base", "ca"] }, US: { channels: ["us"] } } }),
      store,
    );
    expect(changes.map((c) => (c.kind === "stock" ? [c.stock, c.notes] : c.kind))).toEqual([
      ["Default Stock", ['website "ca" moves here from stock "US"']],
    ]);
    expect(topology.after.stocks.map((s) => s.sales_channels?.map((c) => c.code))).toEqual([["base", "ca"], ["us"]]);
  });

  it("says the Default Stock keeps a website it drops, and a new stock takes a channel from another", () => {
    const { changes } = diff(
      desired({ stocks: { "Default Stock": { channels: [] }, CA: { channels: ["ca"] } } }),
      store,
    );
    expect(changes.map((c) => (c.kind === "stock" ? [c.stock, c.notes] : c.kind))).toEqual([
      ["CA", ['website "ca" moves here from stock "US"']],
      ["Default Stock", ['website "base" stays: Magento keeps every unassigned website on the Default Stock']],
    ]);
  });

  it("is the store's own when nothing changes", () => {
    const result = diff(desired({ stocks: { US: { channels: ["ca", "us"], links: ["ne_wh"] } } }), store);
    expect(result.changes).toEqual([]);
    expect(result.topology.after).toEqual(result.topology.before);
  });
});

describe("source items", () => {
  it("assigns, updates and unassigns; a SKU's declared sources are its whole assignment", () => {
    const store = live({
      items: {
        A: [
          ["default", 100, 1],
          ["ne_wh", 3, 1],
        ],
      },
    });
    const { changes, affectedSkus } = diff(
      desired({ products: { A: { ne_wh: 5, hq: { quantity: 0, status: "out_of_stock" } } } }),
      store,
    );
    expect(changes).toEqual([
      {
        kind: "source-item",
        action: "create",
        sku: "A",
        source: "hq",
        before: null,
        after: { quantity: 0, status: "out_of_stock" },
        declared_order: 1,
      },
      {
        kind: "source-item",
        action: "update",
        sku: "A",
        source: "ne_wh",
        before: { quantity: 3, status: "in_stock" },
        after: { quantity: 5, status: "in_stock" },
        declared_order: 0,
      },
      {
        kind: "source-item",
        action: "delete",
        sku: "A",
        source: "default",
        before: { quantity: 100, status: "in_stock" },
        after: null,
        declared_order: 2,
      },
    ]);
    expect(affectedSkus.get("A")?.after).toEqual(
      expect.arrayContaining([
        { source: "ne_wh", quantity: 5, status: "in_stock" },
        { source: "hq", quantity: 0, status: "out_of_stock" },
      ]),
    );
  });

  it("leaves quantities alone for the list form, and gives new assignments 0, out of stock", () => {
    const store = live({ items: { A: [["ne_wh", 3, 1]] } });
    expect(diff(desired({ products: { A: ["ne_wh", "hq"] } }), store).changes).toEqual([
      {
        kind: "source-item",
        action: "create",
        sku: "A",
        source: "hq",
        before: null,
        after: { quantity: 0, status: "out_of_stock" },
        declared_order: 1,
      },
    ]);
  });

  it("uses quantities only on create under on_create, and never under ignore", () => {
    const store = live({ items: { A: [["ne_wh", 3, 1]], B: [["ne_wh", 3, 1]] } });
    const file = desired({
      products: {
        A: { sources: { ne_wh: 9, hq: 4 }, quantities: "on_create" },
        B: { sources: { ne_wh: 9, hq: 4 }, quantities: "ignore" },
      },
    });
    expect(diff(file, store).changes).toEqual([
      {
        kind: "source-item",
        action: "create",
        sku: "A",
        source: "hq",
        before: null,
        after: { quantity: 4, status: "in_stock" },
        declared_order: 1,
      },
      {
        kind: "source-item",
        action: "create",
        sku: "B",
        source: "hq",
        before: null,
        after: { quantity: 0, status: "out_of_stock" },
        declared_order: 4,
      },
    ]);
  });

  it("counts matching items as unchanged and never touches undeclared SKUs", () => {
    const store = live({ items: { A: [["ne_wh", 3, 1]], OTHER: [["ne_wh", 1, 1]] } });
    const result = diff(desired({ products: { A: { ne_wh: 3 } } }), store);
    expect(result.changes).toEqual([]);
    expect(result.unchangedItems).toBe(1);
  });
});

describe("moves", () => {
  it("plans a transfer and diffs the rest against the store as it will be after it", () => {
    const store = live({
      items: {
        A: [
          ["default", 10, 1],
          ["ne_wh", 2, 1],
        ],
        B: [["default", 4, 0]],
      },
    });
    const file = desired({
      moves: [{ skus: ["A", "B"], from: "default", to: "ne_wh", unassignFromOrigin: true }],
      products: { A: { ne_wh: 15 } },
    });
    const { changes } = diff(file, store);
    expect(changes).toEqual([
      {
        kind: "move",
        action: "update",
        from: "default",
        to: "ne_wh",
        skus: ["A", "B"],
        unassign_from_origin: true,
        units: 14,
        before: [
          { sku: "A", origin: { quantity: 10, status: "in_stock" }, destination: { quantity: 2, status: "in_stock" } },
          { sku: "B", origin: { quantity: 4, status: "out_of_stock" }, destination: null },
        ],
      },
      // After the move A has 12 at ne_wh; only the residual 3 units are a change of their own.
      {
        kind: "source-item",
        action: "update",
        sku: "A",
        source: "ne_wh",
        before: { quantity: 12, status: "in_stock" },
        after: { quantity: 15, status: "in_stock" },
        declared_order: 0,
        moved_in: 10,
      },
    ]);
    // Raised after the transfer: nothing leaves the store.
    expect(changes.filter(isDestructive)).toEqual([]);
  });

  it("runs again where the destination already holds what the file declares, and the lowering after it destroys", () => {
    // The issue's store: moved once to sausalito (40 as declared), 7 received at berkeley since.
    const store = live({
      items: {
        A: [
          ["berkeley", 7, 1],
          ["sausalito", 40, 1],
        ],
        B: [["berkeley", 3, 1]],
      },
    });
    const file = desired({
      moves: [{ skus: ["A", "B"], from: "berkeley", to: "sausalito", unassignFromOrigin: true }],
      products: { A: { sausalito: 40 }, B: ["sausalito"] },
    });
    const { changes } = diff(file, store);
    const move = changes[0] as MoveChange;
    // B's destination is assignment only: inv cannot tell, so it is a plain move.
    expect(move.runs_again).toEqual(["A"]);
    expect(unitsRunAgain(move)).toBe(7);
    const lowered = changes[1] as SourceItemChange;
    expect(lowered).toMatchObject({ sku: "A", source: "sausalito", before: { quantity: 47 }, moved_in: 7 });
    expect(unitsLostFromTransfer(lowered)).toBe(7);
    expect(changes.filter(isDestructive)).toEqual([move, lowered]);
    expect(totalUnitsRemoved(changes)).toBe(7);
  });

  it("counts the units a chain of transfers brings, and only those a lowering takes back", () => {
    const store = live({
      items: {
        A: [
          ["a", 5, 1],
          ["b", 2, 1],
          ["c", 10, 1],
        ],
      },
    });
    const file = desired({
      moves: [
        { skus: ["A"], from: "a", to: "b", unassignFromOrigin: true },
        { skus: ["A"], from: "b", to: "c", unassignFromOrigin: true },
      ],
      products: { A: { c: 14 } },
    });
    const { changes } = diff(file, store);
    // c holds 10 + 7 = 17; the file lowers it to 14: 3 of the 7 transferred units go.
    const lowered = changes.find((c): c is SourceItemChange => c.kind === "source-item")!;
    expect(lowered).toMatchObject({ before: { quantity: 17 }, after: { quantity: 14 }, moved_in: 7 });
    expect(unitsLostFromTransfer(lowered)).toBe(3);
    expect((changes[0] as MoveChange).runs_again).toBeUndefined();
    // A plain lowering, with no transfer behind it, is the file's count and destroys nothing.
    const plain = diff(desired({ products: { A: { a: 1, b: 2, c: 10 } } }), store).changes;
    expect(plain.filter(isDestructive)).toEqual([]);
    expect(totalUnitsRemoved(plain)).toBe(4);
  });

  it("skips SKUs already moved, so a done move plans nothing", () => {
    const store = live({ items: { A: [["ne_wh", 12, 1]] } });
    expect(
      diff(desired({ moves: [{ skus: ["A"], from: "default", to: "ne_wh", unassignFromOrigin: true }] }), store)
        .changes,
    ).toEqual([]);
  });
});

describe("a source scope", () => {
  const store = live({
    items: {
      A: [
        ["s1", 5, 1],
        ["s2", 5, 1],
        ["s3", 5, 1],
      ],
      B: [
        ["s1", 5, 1],
        ["s2", 5, 1],
        ["s3", 5, 1],
      ],
    },
  });
  const file = desired({ products: { A: { s1: 6 }, B: { s1: 5 } } });
  const describeChange = (c: { kind: string; action?: string; sku?: string; source?: string }) =>
    `${c.action} ${c.sku}@${c.source}`;

  it("without one, unassigns every source the file does not give", () => {
    expect(diff(file, store).changes.map(describeChange)).toEqual([
      "update A@s1",
      "delete A@s2",
      "delete A@s3",
      "delete B@s2",
      "delete B@s3",
    ]);
  });

  it("leaves source items outside the file's scope alone: neither compared nor unassigned", () => {
    const scoped = { ...file, scope: { sources: new Set(["s1", "s2"]), origin: ORIGIN } };
    const result = diff(scoped, store);
    expect(result.changes.map(describeChange)).toEqual(["update A@s1", "delete A@s2", "delete B@s2"]);
    // What the summary sees after apply keeps the items outside the scope.
    expect(
      result.affectedSkus
        .get("A")
        ?.after.map((i) => i.source)
        .sort(),
    ).toEqual(["s1", "s3"]);
  });

  it("takes a product's own scope (its feeds') over the file's", () => {
    const products = new Map(file.products);
    products.set("B", { ...file.products.get("B")!, scope: new Set(["s1"]) });
    const scoped = { ...file, products, scope: { sources: new Set(["s1", "s2", "s3"]), origin: ORIGIN } };
    expect(diff(scoped, store).changes.map(describeChange)).toEqual(["update A@s1", "delete A@s2", "delete A@s3"]);
  });
});
