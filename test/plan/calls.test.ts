// The plan stage: calls in a safe order on Magento's routes, batched, with ids known after apply.

import { describe, expect, it } from "vitest";
import { planCalls } from "../../src/plan/calls/derive-calls.js";
import { DEFAULT_SOURCE, desired, live, planOf } from "../helpers/states.js";

describe("call order", () => {
  it("saves before it deletes, and gives a new stock its websites only after its links", () => {
    const store = live({
      sources: [DEFAULT_SOURCE, { source_code: "old", name: "Old", country_id: "US", postcode: "1" }],
      stocks: [
        { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
        { id: 2, name: "Legacy", links: [["old", 1]] },
      ],
      items: { A: [["default", 5, 1]] },
    });
    const file = desired({
      sources: { ne_wh: { name: "NE", country_id: "US", postcode: "1" } },
      stocks: { "US Stock": { channels: ["base"], links: ["ne_wh"] }, Legacy: { links: ["ne_wh"] } },
      products: { A: { ne_wh: 5 } },
    });
    const plan = planOf(file, store);
    expect(
      plan.calls.map(
        (c) => `${c.method} ${c.path}${c.kind === "stock-update" && c.path_stock ? ` [${c.path_stock}]` : ""}`,
      ),
    ).toEqual([
      "POST V1/inventory/sources",
      "POST V1/inventory/stocks",
      "POST V1/inventory/stock-source-links",
      "PUT V1/inventory/stocks/:stockId [US Stock]",
      "POST V1/inventory/source-items",
      "POST V1/inventory/source-items-delete",
      "POST V1/inventory/stock-source-links-delete",
    ]);
    expect(plan.calls[1]).toMatchObject({
      body: { stock: { name: "US Stock", extension_attributes: { sales_channels: [] } } },
      returns_stock_id: "US Stock",
      repeatable: "checked",
    });
    // In the file's order: US Stock is declared before Legacy.
    expect(plan.calls[2]?.body).toEqual({
      links: [
        { source_code: "ne_wh", stock_id: { $stock: "US Stock" }, priority: 1 },
        { source_code: "ne_wh", stock_id: 2, priority: 1 },
      ],
    });
    expect(plan.calls[3]?.body).toEqual({
      stock: {
        stock_id: { $stock: "US Stock" },
        name: "US Stock",
        extension_attributes: { sales_channels: [{ type: "website", code: "base" }] },
      },
    });
    expect(plan.calls[6]?.body).toEqual({ links: [{ source_code: "old", stock_id: 2 }] });
    expect(plan.reindex?.commands).toEqual(["bin/magento indexer:reindex inventory", "bin/magento cache:flush"]);
  });

  it("sends a source update as a PUT of the whole record, with null only where the file clears a field", () => {
    const store = live({
      sources: [
        DEFAULT_SOURCE,
        {
          source_code: "ne_wh",
          name: "NE",
          country_id: "US",
          postcode: "1",
          phone: "555",
          extension_attributes: { frontend_description: "Dock 4" },
        },
      ],
    });
    const plan = planOf(
      desired({ sources: { ne_wh: { name: "NE", country_id: "US", postcode: "2", phone: null } } }),
      store,
    );
    expect(plan.calls).toHaveLength(1);
    expect(plan.calls[0]).toMatchObject({
      method: "PUT",
      path: "V1/inventory/sources/ne_wh",
      description: "update source ne_wh (postcode, phone)",
    });
    expect(plan.calls[0]?.body).toEqual({
      source: {
        source_code: "ne_wh",
        name: "NE",
        enabled: false,
        country_id: "US",
        postcode: "2",
        phone: null,
        extension_attributes: { is_pickup_location_active: false, frontend_name: "NE", frontend_description: "Dock 4" },
      },
    });
  });

  it("batches source items at the batch size and keeps items in the file's order", () => {
    const products: Record<string, Record<string, number>> = {};
    for (let i = 0; i < 45; i++) products[`SKU-${String(i).padStart(2, "0")}`] = { default: i };
    const plan = planOf(desired({ products }), live({}), 20);
    expect(plan.calls.map((c) => (c.body as { sourceItems: unknown[] }).sourceItems.length)).toEqual([20, 20, 5]);
    expect((plan.calls[0]!.body as unknown as { sourceItems: { sku: string }[] }).sourceItems[0]?.sku).toBe("SKU-00");
    expect(
      plan.calls.every(
        (c) => c.kind === "source-item-save" && c.repeatable === "source-item-save" && c.array.key === "sourceItems",
      ),
    ).toBe(true);
  });

  it("lists source items in the file's order, and derives the same payloads from a saved plan's changes", () => {
    const store = live({
      items: {
        ZED: [
          ["default", 1, 1],
          ["old", 1, 1],
        ],
        ALPHA: [["default", 2, 1]],
      },
    });
    const plan = planOf(desired({ products: { ZED: { west: 1, east: 2 }, ALPHA: { hq: 3, default: 4 } } }), store);
    const items = (i: number) =>
      (plan.calls[i]!.body as { sourceItems: { sku: string; source_code: string }[] }).sourceItems.map(
        (x) => `${x.sku}@${x.source_code}`,
      );
    expect(items(0)).toEqual(["ZED@west", "ZED@east", "ALPHA@hq", "ALPHA@default"]);
    expect(items(1)).toEqual(["ZED@default", "ZED@old"]);
    // The changes, which every rendering reads, stay sorted by SKU and source.
    expect(plan.changes.map((c) => (c.kind === "source-item" ? `${c.sku}@${c.source}:${c.action}` : ""))).toEqual([
      "ALPHA@default:update",
      "ALPHA@hq:create",
      "ZED@east:create",
      "ZED@west:create",
      "ZED@default:delete",
      "ZED@old:delete",
    ]);
    // The call lists its changes in the payload's order; a saved plan's changes give the same calls.
    expect(
      plan.calls[0]?.changes.map((i) => plan.changes[i]?.kind === "source-item" && plan.changes[i].source),
    ).toEqual(["west", "east", "hq", "default"]);
    const saved = JSON.parse(JSON.stringify(plan.changes)) as typeof plan.changes;
    expect(planCalls(saved, { batchSize: 500 })).toEqual(plan.calls);
    // Without declared_order (a plan from an older inv), items keep the plan's sorted order.
    const unordered = saved.map((c) => {
      if (c.kind !== "source-item") return c;
      const { declared_order: _order, ...rest } = c;
      return rest;
    });
    expect(
      (
        planCalls(unordered, { batchSize: 500 })[0]!.body as unknown as { sourceItems: { sku: string }[] }
      ).sourceItems.map((x) => x.sku),
    ).toEqual(["ALPHA", "ALPHA", "ZED", "ZED"]);
  });

  it("makes one bulk transfer per move with seed 002's payload", () => {
    const store = live({
      sources: [DEFAULT_SOURCE, { source_code: "central", name: "Central", country_id: "US", postcode: "1" }],
      items: { "testConfigProduct-red": [["default", 3, 1]], "testConfigProduct-blue": [["default", 2, 1]] },
    });
    const plan = planOf(
      desired({
        moves: [
          {
            skus: ["testConfigProduct-red", "testConfigProduct-blue"],
            from: "default",
            to: "central",
            unassignFromOrigin: true,
          },
        ],
      }),
      store,
    );
    expect(plan.calls.map((c) => [c.method, c.path, c.body])).toEqual([
      [
        "POST",
        "V1/inventory/bulk-product-source-transfer",
        {
          skus: ["testConfigProduct-red", "testConfigProduct-blue"],
          originSource: "default",
          destinationSource: "central",
          unassignFromOrigin: true,
        },
      ],
    ]);
  });
});

describe("the summary", () => {
  it("counts per kind and action, destructive changes, units per source and stock, and SKUs left without stock", () => {
    const store = live({
      sources: [DEFAULT_SOURCE, { source_code: "ne_wh", name: "NE", country_id: "US", postcode: "1" }],
      stocks: [
        { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
        { id: 2, name: "US", links: [["ne_wh", 1]] },
      ],
      items: {
        A: [
          ["default", 10, 1],
          ["ne_wh", 4, 1],
        ],
        B: [["ne_wh", 6, 1]],
      },
    });
    const plan = planOf(
      desired({ products: { A: { ne_wh: 7 }, B: { ne_wh: { quantity: 6, status: "out_of_stock" } } } }),
      store,
    );
    expect(plan.summary.changes["source-item"]).toEqual({ create: 0, update: 2, delete: 1 });
    expect(plan.summary.total).toBe(3);
    expect(plan.summary.destructive).toBe(1);
    expect(plan.summary.units_by_source).toEqual([
      { name: "default", added: 0, removed: 10 },
      { name: "ne_wh", added: 3, removed: 0 },
    ]);
    expect(plan.summary.units_by_stock).toEqual([
      { name: "Default Stock", added: 0, removed: 10 },
      { name: "US", added: 3, removed: 0 },
    ]);
    expect(plan.summary.skus_out_of_stock).toEqual(["B"]);
    expect(plan.summary.skus_without_source).toEqual([]);
    expect(plan.summary.calls).toBe(2);
  });

  it("counts a new link's units into its stock", () => {
    const store = live({
      sources: [DEFAULT_SOURCE, { source_code: "hq", name: "HQ", country_id: "US", postcode: "1" }],
      stocks: [
        { id: 1, name: "Default Stock", links: [["default", 1]] },
        { id: 2, name: "US" },
      ],
      items: { A: [["hq", 9, 1]] },
    });
    const plan = planOf(desired({ stocks: { US: { links: ["hq"] } }, products: { A: { hq: 9 } } }), store);
    expect(plan.summary.units_by_stock).toEqual([{ name: "US", added: 9, removed: 0 }]);
  });

  it("is empty for an unchanged store", () => {
    const store = live({ items: { A: [["default", 1, 1]] } });
    const plan = planOf(desired({ products: { A: { default: 1 } } }), store);
    expect(plan.changes).toEqual([]);
    expect(plan.calls).toEqual([]);
    expect(plan.reindex).toBeNull();
    expect(plan.summary.unchanged_source_items).toBe(1);
  });
});
