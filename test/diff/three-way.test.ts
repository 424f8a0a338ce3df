import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diff } from "../../src/diff/diff.js";
import { changedSkus, isDrift, rebase } from "../../src/diff/three-way.js";
import type { LiveState } from "../../src/model.js";
import { desired, live } from "../helpers/states.js";

const NONE = { changedOnly: false, prune: false };

/** The tutorial's store after orders shipped 11 units (issue 12's worked example). */
function tutorialAfterSales(): LiveState {
  return live({
    items: {
      "24-WB01": [
        ["ne_wh", 30, 1],
        ["west_wh", 14, 1],
      ],
      "24-WB03": [["berkeley", 18, 1]],
    },
  });
}

const base = desired({ products: { "24-WB01": { ne_wh: 35, west_wh: 15 }, "24-WB03": { berkeley: 20 } } });

describe("three-way quantities", () => {
  it("applies the file's +50 on what orders left, and leaves the quantities it did not change alone", () => {
    const head = desired({ products: { "24-WB01": { ne_wh: 85, west_wh: 15 }, "24-WB03": { berkeley: 20 } } });
    const store = tutorialAfterSales();
    const rebased = rebase(head, base, store, NONE);
    const changes = diff(rebased.desired, store).changes;
    expect(changes).toEqual([
      {
        kind: "source-item",
        action: "update",
        sku: "24-WB01",
        source: "ne_wh",
        before: { quantity: 30, status: "in_stock" },
        after: { quantity: 80, status: "in_stock" },
        declared_order: 0,
      },
    ]);
    expect([...rebased.deltas.values()]).toEqual([
      { sku: "24-WB01", source: "ne_wh", file: { base: 35, head: 85 }, delta: 50 },
    ]);
    // Largest moves first.
    expect(rebased.movement).toEqual([
      { sku: "24-WB03", source: "berkeley", base: 20, live: 18 },
      { sku: "24-WB01", source: "west_wh", base: 15, live: 14 },
    ]);
  });

  it("uses the file's quantity for an assignment that is new since the base", () => {
    const head = desired({ products: { "24-WB01": { ne_wh: 35, west_wh: 15, hq: 7 }, "24-WB03": { berkeley: 20 } } });
    const store = tutorialAfterSales();
    const changes = diff(rebase(head, base, store, NONE).desired, store).changes;
    expect(changes).toMatchObject([
      { action: "create", sku: "24-WB01", source: "hq", after: { quantity: 7, status: "in_stock" } },
    ]);
  });

  it("unassigns a source removed from the SKU since the base, as without a base", () => {
    const head = desired({ products: { "24-WB01": { ne_wh: 35 }, "24-WB03": { berkeley: 20 } } });
    const store = tutorialAfterSales();
    const changes = diff(rebase(head, base, store, NONE).desired, store).changes;
    expect(changes).toMatchObject([{ action: "delete", sku: "24-WB01", source: "west_wh", before: { quantity: 14 } }]);
  });

  it("applies a status the file changed and keeps one it did not change", () => {
    const head = desired({
      products: {
        "24-WB01": { ne_wh: { quantity: 35, status: "out_of_stock" }, west_wh: 15 },
        "24-WB03": { berkeley: 20 },
      },
    });
    const store = live({
      items: {
        "24-WB01": [
          ["ne_wh", 30, 1],
          ["west_wh", 14, 0],
        ],
        "24-WB03": [["berkeley", 18, 1]],
      },
    });
    const changes = diff(rebase(head, base, store, NONE).desired, store).changes;
    expect(changes).toMatchObject([
      { sku: "24-WB01", source: "ne_wh", after: { quantity: 30, status: "out_of_stock" } },
    ]);
  });

  it("plans a quantity below 0 when the sales since outran a decrease; the plan names it", () => {
    const head = desired({ products: { "24-WB01": { ne_wh: 5, west_wh: 15 }, "24-WB03": { berkeley: 20 } } });
    const store = tutorialAfterSales();
    const changes = diff(rebase(head, base, store, NONE).desired, store).changes;
    expect(changes).toMatchObject([{ sku: "24-WB01", source: "ne_wh", after: { quantity: 0 } }]);
    const deeper = desired({ products: { "24-WB01": { ne_wh: 2, west_wh: 15 }, "24-WB03": { berkeley: 20 } } });
    const below = diff(rebase(deeper, base, store, NONE).desired, store).changes;
    expect(below).toMatchObject([{ sku: "24-WB01", source: "ne_wh", after: { quantity: -3 } }]);
  });

  it("leaves products the file does not manage quantities of to the file's own mode", () => {
    const head = desired({ products: { "24-WB01": { sources: { ne_wh: 85 }, quantities: "on_create" } } });
    const then = desired({ products: { "24-WB01": { sources: { ne_wh: 35 }, quantities: "on_create" } } });
    const store = live({ items: { "24-WB01": [["ne_wh", 30, 1]] } });
    expect(diff(rebase(head, then, store, NONE).desired, store).changes).toEqual([]);
  });

  it("with --changed-only reads and plans only the SKUs whose entries changed", () => {
    const head = desired({ products: { "24-WB01": { ne_wh: 85, west_wh: 15 }, "24-WB03": { berkeley: 20 } } });
    expect([...changedSkus(head, base, { prune: false })]).toEqual(["24-WB01"]);
    const rebased = rebase(head, base, tutorialAfterSales(), { changedOnly: true, prune: false });
    expect([...rebased.desired.products.keys()]).toEqual(["24-WB01"]);
  });

  it("prunes a SKU the file stopped declaring only when asked, and lists it otherwise", () => {
    const head = desired({ products: { "24-WB01": { ne_wh: 35, west_wh: 15 } } });
    const store = tutorialAfterSales();
    const kept = rebase(head, base, store, NONE);
    expect(kept.noLongerDeclared.skus).toEqual(["24-WB03"]);
    expect(diff(kept.desired, store).changes).toEqual([]);
    const pruned = rebase(head, base, store, { changedOnly: false, prune: true });
    expect(diff(pruned.desired, store).changes).toMatchObject([
      { action: "delete", sku: "24-WB03", source: "berkeley", before: { quantity: 18 } },
    ]);
    expect([...changedSkus(head, base, { prune: true })]).toEqual(["24-WB03"]);
  });

  it("never prunes a stock renamed since the base, nor lists one the file deletes as no longer declared", () => {
    const ORIGIN = { file: "inventory.yaml", line: 1, column: 1 };
    const then = desired({ stocks: { "US Stock": { links: ["ne_wh"] }, Outlet: {} } });
    const declared = desired({ stocks: { "North America": { links: ["ne_wh"] } } });
    const head = {
      ...declared,
      stocks: new Map([
        [
          "North America",
          { ...declared.stocks.get("North America")!, renamedFrom: { name: "US Stock", origin: ORIGIN } },
        ],
      ]),
      stockDeletions: new Map([["Outlet", ORIGIN]]),
    };
    const store = live({
      stocks: [
        { id: 2, name: "US Stock", links: [["ne_wh", 1]] },
        { id: 3, name: "Outlet" },
      ],
    });
    expect(rebase(head, then, store, NONE).noLongerDeclared.stocks).toEqual([]);
    const pruned = rebase(head, then, store, { changedOnly: false, prune: true });
    expect(
      diff(pruned.desired, store).changes.map((c) => (c.kind === "stock" ? `${c.action} ${c.stock_id}` : c.kind)),
    ).toEqual(["update 2", "delete 3"]);
  });

  it("never runs again a move the file already had at the base", () => {
    const move = { skus: ["24-WB03"], from: "berkeley", to: "sausalito", unassignFromOrigin: true };
    const head = desired({ products: {}, moves: [move] });
    const then = desired({ products: {}, moves: [move] });
    const rebased = rebase(head, then, live({ items: { "24-WB03": [["berkeley", 7, 1]] } }), NONE);
    expect(rebased.desired.moves).toEqual([]);
    expect(rebased.movesDoneAtBase).toBe(1);
  });

  it("marks a link the file did not change as drift, and one it changed as the file's", () => {
    const stocks = { "US Stock": { links: ["ne_wh", "west_wh"] } };
    const head = desired({ stocks });
    const store = live({
      stocks: [
        { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
        { id: 2, name: "US Stock", links: [["ne_wh", 1]] },
      ],
    });
    const changes = diff(head, store).changes;
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => isDrift(c, head, desired({ stocks })))).toBe(true);
    expect(changes.some((c) => isDrift(c, head, desired({ stocks: { "US Stock": { links: ["ne_wh"] } } })))).toBe(
      false,
    );
  });

  it("the store always ends at live + (head - base) for changed records and untouched elsewhere", () => {
    const quantity = fc.integer({ min: 0, max: 500 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(quantity, quantity, fc.integer({ min: -50, max: 50 })), { minLength: 1, maxLength: 12 }),
        (rows) => {
          const sources = rows.map((_, i) => `src_${i}`);
          const at = (pick: (row: [number, number, number]) => number) =>
            Object.fromEntries(rows.map((row, i) => [sources[i]!, pick(row)]));
          const then = desired({ products: { SKU: at(([b]) => b) } });
          const now = desired({ products: { SKU: at(([, h]) => h) } });
          // The store had the base's quantities, then sales and returns moved them.
          const store = live({ items: { SKU: rows.map(([b, , sold], i) => [sources[i]!, b + sold, 1]) } });
          const changes = diff(rebase(now, then, store, NONE).desired, store).changes;
          const after = new Map(rows.map(([b, , sold], i) => [sources[i]!, b + sold]));
          for (const change of changes) {
            if (change.kind === "source-item" && change.after) after.set(change.source, change.after.quantity);
          }
          rows.forEach(([b, h, sold], i) => {
            expect(after.get(sources[i]!)).toBe(b + sold + (h - b));
          });
          // Untouched records get no change at all.
          expect(changes.length).toBe(rows.filter(([b, h]) => b !== h).length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
