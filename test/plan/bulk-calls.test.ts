// Bulk assign and unassign (seed 002): which source-item changes go as one bulk call, and
// which stay per item because Magento's effect would differ.

import { describe, expect, it } from "vitest";
import { diff } from "../../src/diff/diff.js";
import { BULK_SKUS_PER_CALL } from "../../src/plan/calls/bulk-groups.js";
import { planCalls } from "../../src/plan/calls/derive-calls.js";
import { buildPlan, deriveCalls } from "../../src/plan/plan.js";
import { DEFAULT_SOURCE, desired, live, planOf } from "../helpers/states.js";

const SOURCES = ["central", "east", "west"].map((code) => ({
  source_code: code,
  name: code,
  country_id: "US",
  postcode: "1",
  enabled: true,
}));

/** Every declared SKU counts as declared by assignment only unless `assignmentOnly` says otherwise. */
function callsOf(
  file: ReturnType<typeof desired>,
  store: ReturnType<typeof live>,
  inCatalog: ReadonlySet<string> = new Set(),
  assignmentOnly: ReadonlySet<string> = new Set(file.products.keys()),
) {
  const { changes } = diff(file, store);
  const calls = planCalls(changes, { batchSize: 500, bulk: { assignmentOnly, inCatalog } });
  return {
    changes,
    calls,
    lines: calls.map((c) => `${c.path.replace("V1/inventory/", "")} ${JSON.stringify(c.body)}`),
  };
}

describe("bulk assign", () => {
  it("groups SKUs whose new list-form assignments name the same sources, and leaves other sets per item", () => {
    const store = live({
      sources: [DEFAULT_SOURCE, ...SOURCES],
      items: { A: [["default", 1, 1]], B: [["default", 1, 1]], C: [["default", 1, 1]], D: [["default", 1, 1]] },
    });
    const file = desired({
      products: {
        A: ["default", "central", "east"],
        B: ["default", "central", "east"],
        C: ["default", "central"],
        D: ["default", "west"],
      },
    });
    const { lines, calls, changes } = callsOf(file, store);
    expect(lines).toEqual([
      'bulk-product-source-assign {"skus":["A","B"],"sourceCodes":["central","east"]}',
      // A set no other SKU shares stays per item, even when it is a subset of a shared one.
      'source-items {"sourceItems":[{"sku":"C","source_code":"central","quantity":0,"status":0},' +
        '{"sku":"D","source_code":"west","quantity":0,"status":0}]}',
    ]);
    expect(
      calls[0]?.changes.map((i) => changes[i]).map((c) => (c?.kind === "source-item" ? `${c.sku}@${c.source}` : "")),
    ).toEqual(["A@central", "A@east", "B@central", "B@east"]);
    expect(calls[0]?.repeatable).toBe("transient");
    expect(calls[0]?.kind).toBe("bulk-assign");
    expect(calls[0] && "array" in calls[0]).toBe(false);
  });

  it("never bulk-assigns `default`, whose per-item save also writes the legacy stock item", () => {
    const store = live({
      sources: [DEFAULT_SOURCE, ...SOURCES],
      items: { A: [["central", 1, 1]], B: [["central", 1, 1]] },
    });
    const { lines } = callsOf(desired({ products: { A: ["central", "default"], B: ["central", "default"] } }), store);
    expect(lines).toEqual([
      'source-items {"sourceItems":[{"sku":"A","source_code":"default","quantity":0,"status":0},' +
        '{"sku":"B","source_code":"default","quantity":0,"status":0}]}',
    ]);
  });

  it("splits a large group into calls of BULK_SKUS_PER_CALL SKUs", () => {
    const products: Record<string, string[]> = {};
    for (let i = 0; i < BULK_SKUS_PER_CALL + 3; i++) products[`SKU-${String(i).padStart(4, "0")}`] = ["east"];
    const { calls } = callsOf(desired({ products }), live({ sources: [DEFAULT_SOURCE, ...SOURCES] }));
    expect(calls.map((c) => (c.body as { skus: readonly string[] }).skus.length)).toEqual([BULK_SKUS_PER_CALL, 3]);
    expect(calls.every((c) => c.path === "V1/inventory/bulk-product-source-assign")).toBe(true);
  });
});

describe("what goes in bulk at all", () => {
  it("only SKUs declared by assignment only: a file that manages quantities keeps per-item calls", () => {
    const store = live({
      sources: [DEFAULT_SOURCE, ...SOURCES],
      items: {
        A: [
          ["default", 1, 1],
          ["west", 1, 1],
        ],
        B: [
          ["default", 1, 1],
          ["west", 1, 1],
        ],
      },
    });
    const file = desired({
      products: {
        A: { default: 1, east: { quantity: 0, status: "out_of_stock" } },
        B: { default: 1, east: { quantity: 0, status: "out_of_stock" } },
      },
    });
    const { lines } = callsOf(file, store, new Set(), new Set());
    expect(lines).toEqual([
      'source-items {"sourceItems":[{"sku":"A","source_code":"east","quantity":0,"status":0},' +
        '{"sku":"B","source_code":"east","quantity":0,"status":0}]}',
      'source-items-delete {"sourceItems":[{"sku":"A","source_code":"west"},{"sku":"B","source_code":"west"}]}',
    ]);
    const { changes } = diff(file, store);
    expect(planCalls(changes, { batchSize: 500 }).map((c) => c.path)).toEqual([
      "V1/inventory/source-items",
      "V1/inventory/source-items-delete",
    ]);
  });
});

describe("bulk unassign", () => {
  const store = live({
    sources: [DEFAULT_SOURCE, ...SOURCES],
    items: {
      A: [
        ["default", 5, 1],
        ["east", 1, 1],
      ],
      B: [
        ["default", 5, 1],
        ["east", 2, 1],
      ],
      GHOST: [
        ["default", 1, 1],
        ["east", 1, 1],
      ],
      C: [["west", 1, 1]],
    },
  });
  const file = desired({ products: { A: ["central"], B: ["central"], GHOST: ["central"], C: [] } });

  it("unassigns `default` in bulk only for SKUs the catalog holds, and the rest per item", () => {
    const { lines } = callsOf(file, store, new Set(["A", "B", "C"]));
    expect(lines).toEqual([
      'bulk-product-source-assign {"skus":["A","B","GHOST"],"sourceCodes":["central"]}',
      'bulk-product-source-unassign {"skus":["A","B"],"sourceCodes":["default","east"]}',
      // GHOST's set without `default` is {east}, which no other SKU shares; C's is {west}. In the file's order.
      'source-items-delete {"sourceItems":[{"sku":"GHOST","source_code":"default"},' +
        '{"sku":"GHOST","source_code":"east"},{"sku":"C","source_code":"west"}]}',
    ]);
  });

  it("keeps unassigns from `default` per item for SKUs the catalog was not seen to hold", () => {
    const { lines } = callsOf(file, store);
    expect(lines.slice(1)).toEqual([
      'bulk-product-source-unassign {"skus":["A","B","GHOST"],"sourceCodes":["east"]}',
      'source-items-delete {"sourceItems":[{"sku":"A","source_code":"default"},{"sku":"B","source_code":"default"},' +
        '{"sku":"GHOST","source_code":"default"},{"sku":"C","source_code":"west"}]}',
    ]);
  });

  it("goes after every save and before link deletes, so no SKU is left without a source mid-apply", () => {
    const linked = live({
      sources: [DEFAULT_SOURCE, ...SOURCES],
      stocks: [
        { id: 1, name: "Default Stock", links: [["default", 1]] },
        {
          id: 2,
          name: "US",
          links: [
            ["east", 1],
            ["west", 2],
          ],
        },
      ],
      items: { A: [["east", 1, 1]], B: [["east", 1, 1]] },
    });
    const { calls } = callsOf(
      desired({ stocks: { US: { links: ["west"] } }, products: { A: ["west"], B: ["west"] } }),
      linked,
    );
    expect(calls.map((c) => c.path)).toEqual([
      // west moves up to priority 1.
      "V1/inventory/stock-source-links",
      "V1/inventory/bulk-product-source-assign",
      "V1/inventory/bulk-product-source-unassign",
      "V1/inventory/stock-source-links-delete",
    ]);
  });
});

describe("the plan document records the bulk candidates", () => {
  it("keeps only the SKUs of its source-item changes, sorted, so a saved plan derives the same calls", () => {
    const store = live({
      sources: [DEFAULT_SOURCE, ...SOURCES],
      items: { B: [["default", 5, 1]], A: [["default", 5, 1]], UNCHANGED: [["east", 1, 1]] },
    });
    const file = desired({ products: { B: ["default", "east"], A: ["default", "east"], UNCHANGED: ["east"] } });
    const plan = buildPlan({
      diff: diff(file, store),
      live: store,
      batchSize: 500,
      store: { url: "https://shop.example.com", store_code: "all" },
      basis: { files: [], git: null },
      createdAt: "2026-01-01T00:00:00.000Z",
      invVersion: "test",
      checked: { sources: 0, stocks: 0, products: 3 },
      bulk: { assignmentOnly: new Set(["B", "A", "UNCHANGED", "ELSEWHERE"]), inCatalog: new Set(["A", "ELSEWHERE"]) },
    });
    expect(plan.bulk_candidates).toEqual({ assignment_only: ["A", "B"], in_catalog: ["A"] });
    expect(plan.calls.map((c) => c.kind)).toEqual(["bulk-assign"]);
    const saved = JSON.parse(JSON.stringify(plan)) as typeof plan;
    expect(JSON.parse(JSON.stringify(deriveCalls(saved)))).toEqual(JSON.parse(JSON.stringify(plan.calls)));
    // Without the record, the same changes go per item: the record is what makes them equal.
    const { bulk_candidates: _bulk, ...withoutRecord } = saved;
    expect(deriveCalls(withoutRecord).map((c) => c.kind)).toEqual(["source-item-save"]);
  });

  it("is absent when no change can go in bulk", () => {
    const store = live({ items: { A: [["default", 5, 1]] } });
    expect(planOf(desired({ products: { A: { default: 4 } } }), store).bulk_candidates).toBeUndefined();
  });
});
