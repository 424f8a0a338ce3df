// The inverse of an apply (src/plan/rollback.ts): from the plan, the store before it and the
// calls done, the changes that put every record back, each `before` being what the apply wrote.

import { describe, expect, it } from "vitest";
import { isDestructive, type Change, type ItemState, type StockState } from "../../src/diff/changes.js";
import type { LiveState } from "../../src/model.js";
import { changeProblem } from "../../src/plan/check-changes.js";
import { parsePlan, serializePlan } from "../../src/plan/plan-file.js";
import { deriveCalls, type Plan } from "../../src/plan/plan.js";
import { buildRollbackPlan, type ApplyProgress } from "../../src/plan/rollback.js";
import { DEFAULT_SOURCE, desired, live, planOf } from "../helpers/states.js";

const OF = {
  plan_sha256: null,
  files: [{ path: "inventory.yaml", sha256: "0".repeat(64) }],
  started_at: "2026-01-01T00:00:00.000Z",
  calls_total: 0,
  calls_done: 0,
  finished: true,
};

function rollback(
  plan: Plan,
  store: LiveState,
  progress: Partial<ApplyProgress> = {},
  options: { disableCreatedSources?: boolean; finished?: boolean } = {},
): Plan {
  const done = progress.done ?? new Set(plan.calls.map((c) => c.id));
  return buildRollbackPlan({
    applied: plan,
    live: store,
    progress: {
      done,
      createdStockIds: progress.createdStockIds ?? {},
      ...(progress.failed ? { failed: progress.failed } : {}),
    },
    disableCreatedSources: options.disableCreatedSources ?? false,
    rollbackOf: { ...OF, calls_total: plan.calls.length, calls_done: done.size, finished: options.finished ?? true },
    createdAt: "2026-01-01T00:01:00.000Z",
    invVersion: "0.0.0-test",
  });
}

/** One line per change: `update A@east 5 in -> 1 in`, `delete link "EU Stock"#2 <- east 1 -> none`. */
function describeChange(change: Change): string {
  const item = (i: ItemState | null) => (i ? `${i.quantity} ${i.status === "in_stock" ? "in" : "out"}` : "none");
  const stock = (s: StockState | null) =>
    s ? `"${s.name}" [${s.sales_channels.map((c) => c.code).join(",")}]` : "none";
  const id = (c: { stock: string; stock_id: number | null }) => `${c.stock}#${c.stock_id ?? "new"}`;
  const priority = (p: { priority: number } | null) => (p ? String(p.priority) : "none");
  switch (change.kind) {
    case "source-item":
      return `${change.action} ${change.sku}@${change.source} ${item(change.before)} -> ${item(change.after)}`;
    case "link": {
      const values = `${priority(change.before)} -> ${priority(change.after)}`;
      return `${change.action} link ${id(change)} <- ${change.source} ${values}`;
    }
    case "stock":
      return `${change.action} stock ${id(change)} ${stock(change.before)} -> ${stock(change.after)}`;
    case "source":
      return `${change.action} source ${change.source} [${change.changed.join(",")}]`;
    case "move":
      return `move ${change.from} -> ${change.to}`;
  }
}

const SOURCES = [
  DEFAULT_SOURCE,
  { source_code: "east", name: "East", country_id: "US", postcode: "10001" },
  { source_code: "west", name: "West", country_id: "US", postcode: "94105" },
];

describe("the rollback of source items", () => {
  const store = live({
    sources: SOURCES,
    items: {
      A: [
        ["default", 10, 1],
        ["east", 4, 0],
      ],
      B: [["east", 7, 1]],
    },
  });
  const file = desired({ products: { A: { default: 12, west: 3 }, B: { east: 7 } } });
  const plan = planOf(file, store);

  it("puts back each quantity and status, unassigns what was assigned, and assigns again what was unassigned", () => {
    const back = rollback(plan, store);
    expect(back.changes.map(describeChange)).toEqual([
      "update A@default 12 in -> 10 in",
      "create A@east none -> 4 out",
      "delete A@west 3 in -> none",
    ]);
    // Exact values, never a delta that orders since would rebase: applied twice, it would undo twice.
    expect(back.changes.some((c) => c.kind === "source-item" && c.delta !== undefined)).toBe(false);
    // Unassigning the 3 units the apply put at west destroys them: it needs consent like any plan.
    expect(back.changes.filter(isDestructive).map(describeChange)).toEqual(["delete A@west 3 in -> none"]);
    expect(back.summary.destructive).toBe(1);
  });

  it("is a saved plan like any other: its calls derived from its changes, no inventory files of its own", () => {
    const back = rollback(plan, store);
    expect(changeProblem(back.changes)).toBeUndefined();
    expect(deriveCalls(back)).toEqual(back.calls);
    expect(back.basis).toEqual({ files: [], git: null, rollback_of: { ...OF, calls_total: 2, calls_done: 2 } });
    expect(back.store).toEqual(plan.store);
    expect(back.policy.allowDestroy).toBe(false);
    expect(parsePlan(serializePlan(back), "rollback.json")).toEqual(back);
  });

  it("covers only the calls that were done", () => {
    const saves = plan.calls.find((c) => c.kind === "source-item-save")!;
    const back = rollback(plan, store, { done: new Set([saves.id]) });
    expect(back.changes.map(describeChange)).toEqual(["update A@default 12 in -> 10 in", "delete A@west 3 in -> none"]);
    expect(rollback(plan, store, { done: new Set() }).changes).toEqual([]);
  });

  it("says so while the apply is still running", () => {
    const back = rollback(plan, store, { done: new Set([1]) }, { finished: false });
    expect(back.warnings[0]).toMatch(/^Written while the apply was running, after 1 of 2 calls/);
    expect(back.basis.rollback_of?.finished).toBe(false);
  });

  it("puts a move's origin and destination back, with what the file changed after the move", () => {
    const moved = live({
      sources: SOURCES,
      items: {
        A: [
          ["east", 5, 1],
          ["west", 2, 0],
        ],
        B: [["east", 3, 1]],
      },
    });
    const withMove = desired({
      moves: [{ skus: ["A", "B"], from: "east", to: "west", unassignFromOrigin: true }],
      products: { A: { west: 9 } },
    });
    const movePlan = planOf(withMove, moved);
    expect(movePlan.changes.map((c) => c.kind)).toEqual(["move", "source-item"]);
    const back = rollback(movePlan, moved);
    expect(back.changes.map(describeChange)).toEqual([
      "create A@east none -> 5 in",
      "update A@west 9 in -> 2 out",
      "create B@east none -> 3 in",
      "delete B@west 3 in -> none",
    ]);
    expect(back.warnings).toContain(
      "Notify quantities (low-stock configuration) are not restored: a transfer moved the origin's along with " +
        "its quantities, and inv does not manage them. Check them in the Magento admin for the moved SKUs.",
    );
    expect(rollback(movePlan, moved, { done: new Set([2]) }).warnings.join("\n")).not.toContain("Notify");
    // Only the transfer done: the file's quantity after it is not undone, since it was not written.
    const transferOnly = rollback(movePlan, moved, { done: new Set([1]) });
    expect(transferOnly.changes.map(describeChange)).toContain("update A@west 7 in -> 2 out");
  });
});

describe("the rollback of stocks, links and sales channels", () => {
  const store = live({
    sources: SOURCES,
    stocks: [
      { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
      {
        id: 2,
        name: "EU Stock",
        channels: ["eu"],
        links: [
          ["east", 1],
          ["west", 2],
        ],
      },
    ],
  });

  it("deletes a stock the apply created, by its id, and gives its websites back to the stocks that had them", () => {
    const file = desired({ stocks: { "US Stock": { channels: ["base", "eu"], links: ["west", "east"] } } });
    const plan = planOf(file, store);
    const back = rollback(plan, store, { createdStockIds: { "US Stock": 7 } });
    expect(back.changes.map(describeChange)).toEqual([
      'update stock Default Stock#1 "Default Stock" [] -> "Default Stock" [base]',
      'update stock EU Stock#2 "EU Stock" [] -> "EU Stock" [eu]',
      'delete stock US Stock#7 "US Stock" [base,eu] -> none',
      "delete link US Stock#7 <- east 2 -> none",
      "delete link US Stock#7 <- west 1 -> none",
    ]);
    expect(back.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "PUT V1/inventory/stocks/1",
      "PUT V1/inventory/stocks/2",
      "POST V1/inventory/stock-source-links-delete",
      "DELETE V1/inventory/stocks/7",
    ]);
    const notes = back.changes.flatMap((c) => (c.kind === "stock" ? c.notes : []));
    expect(notes).toEqual([
      'website "base" moves here from stock "US Stock"',
      'website "eu" moves here from stock "US Stock"',
    ]);
  });

  it("stops at the stock it created when its channels were not given yet, and knows no id it was not told", () => {
    const file = desired({ stocks: { "US Stock": { channels: ["base"], links: ["west"] } } });
    const plan = planOf(file, store);
    const [create, links] = plan.calls;
    const back = rollback(plan, store, { done: new Set([create!.id, links!.id]), createdStockIds: { "US Stock": 7 } });
    expect(back.changes.map(describeChange)).toEqual([
      'delete stock US Stock#7 "US Stock" [] -> none',
      "delete link US Stock#7 <- west 1 -> none",
    ]);
    expect(back.calls[1]).toMatchObject({ kind: "stock-delete", unassign_channels_first: null });
    const unknown = rollback(plan, store, { done: new Set([create!.id]) });
    expect(unknown.changes).toEqual([]);
    expect(unknown.warnings.join("\n")).toContain('Stock "US Stock" was created by the apply, but its id is not known');
  });

  it("puts priorities back, deletes links created and creates links deleted", () => {
    const file = desired({ stocks: { "EU Stock": { links: ["west", "default"] } } });
    const plan = planOf(file, store);
    const back = rollback(plan, store);
    expect(back.changes.map(describeChange)).toEqual([
      "create link EU Stock#2 <- east none -> 1",
      "update link EU Stock#2 <- west 1 -> 2",
      "delete link EU Stock#2 <- default 2 -> none",
    ]);
  });

  it("moves a website back between stocks, and renames a stock back", () => {
    const file = desired({ stocks: { "Default Stock": { channels: ["base", "eu"] } } });
    const plan = planOf(file, store);
    const back = rollback(plan, store);
    expect(back.changes.map(describeChange)).toEqual([
      'update stock Default Stock#1 "Default Stock" [base,eu] -> "Default Stock" [base]',
      'update stock EU Stock#2 "EU Stock" [] -> "EU Stock" [eu]',
    ]);
    const renamed: Plan = {
      ...plan,
      changes: [
        {
          kind: "stock",
          action: "update",
          stock: "Europe",
          stock_id: 2,
          before: { name: "EU Stock", sales_channels: [{ type: "website", code: "eu" }] },
          after: { name: "Europe", sales_channels: [{ type: "website", code: "eu" }] },
          changed: ["name"],
          notes: [],
        },
      ],
    };
    const back2 = rollback({ ...renamed, calls: deriveCalls(renamed) }, store);
    expect(back2.changes.map(describeChange)).toEqual(['update stock EU Stock#2 "Europe" [eu] -> "EU Stock" [eu]']);
  });

  it("aims a website no stock had at the Default Stock, where Magento puts it, and says so", () => {
    const bare = live({
      sources: SOURCES,
      stocks: [{ id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] }],
    });
    const file = desired({ stocks: { "US Stock": { channels: ["us"], links: ["west"] } } });
    const plan = planOf(file, bare);
    const back = rollback(plan, bare, { createdStockIds: { "US Stock": 2 } });
    expect(back.changes.map(describeChange)).toEqual([
      'update stock Default Stock#1 "Default Stock" [base] -> "Default Stock" [base,us]',
      'delete stock US Stock#2 "US Stock" [us] -> none',
      "delete link US Stock#2 <- west 1 -> none",
    ]);
    expect(back.warnings.join("\n")).toContain(
      'Website "us" was on no stock before the apply; Magento puts a website a stock drops on the Default Stock',
    );
  });

  it("creates a stock the apply deleted again, with its channels and links, under a new id", () => {
    const deletion: Change = {
      kind: "stock",
      action: "delete",
      stock: "EU Stock",
      stock_id: 2,
      before: { name: "EU Stock", sales_channels: [{ type: "website", code: "eu" }] },
      after: null,
      changed: [],
      notes: [],
    };
    const base = planOf(desired({}), store);
    const plan: Plan = { ...base, changes: [deletion] };
    const applied = { ...plan, calls: deriveCalls(plan) };
    const back = rollback(applied, store);
    expect(back.changes.map(describeChange)).toEqual([
      'update stock Default Stock#1 "Default Stock" [base,eu] -> "Default Stock" [base]',
      'create stock EU Stock#new none -> "EU Stock" [eu]',
      "create link EU Stock#new <- east none -> 1",
      "create link EU Stock#new <- west none -> 2",
    ]);
    expect(changeProblem(back.changes)).toBeUndefined();
    expect(back.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST V1/inventory/stocks",
      "POST V1/inventory/stock-source-links",
      "PUT V1/inventory/stocks/1",
      "PUT V1/inventory/stocks/:stockId",
    ]);
    expect(back.warnings.join("\n")).toContain(
      'Stock "EU Stock" was deleted by the apply; the rollback creates it again',
    );
  });
});

describe("the rollback of sources", () => {
  const store = live({
    sources: [
      DEFAULT_SOURCE,
      { source_code: "east", name: "East", country_id: "US", postcode: "10001", city: null, phone: "555" },
    ],
  });
  const file = desired({
    sources: {
      east: { name: "East Coast", city: "Newark", phone: null },
      north: { name: "North", country_id: "US", postcode: "1" },
    },
  });
  const plan = planOf(file, store);

  it("puts every field back, clearing the ones the apply filled, and leaves a created source with a warning", () => {
    const back = rollback(plan, store);
    expect(back.changes).toHaveLength(1);
    const [change] = back.changes;
    expect(change).toMatchObject({ kind: "source", action: "update", source: "east" });
    if (change?.kind !== "source") throw new Error("not a source change");
    expect(change.changed).toEqual(["name", "city", "phone", "frontend_name"]);
    expect(change.cleared).toEqual(["city"]);
    expect(change.after).toEqual(store.sources.get("east")!.fields);
    expect(back.calls[0]).toMatchObject({ method: "PUT", path: "V1/inventory/sources/east" });
    expect(back.calls[0]!.body).toMatchObject({ source: { name: "East", city: null, phone: "555" } });
    expect(back.warnings).toContain(
      'Source "north" was created by the apply and stays: Magento cannot delete a source. The rollback removes ' +
        "its links and source items; to have it disable the source too, write the rollback with " +
        "--rollback-disable-created-sources.",
    );
  });

  it("disables a created source when asked to", () => {
    const back = rollback(plan, store, {}, { disableCreatedSources: true });
    const disable = back.changes.find((c) => c.kind === "source" && c.source === "north");
    expect(disable).toMatchObject({ action: "update", changed: ["enabled"], after: { enabled: false } });
    expect(back.warnings.join("\n")).toContain("this rollback disables it (enabled: false)");
  });
});

describe("a failed call whose outcome is not known", () => {
  const store = live({ sources: SOURCES, items: { A: [["east", 1, 1]], B: [["east", 2, 1]] } });
  const file = desired({ products: { A: { east: 5 }, B: { east: 6 } } });
  const plan = planOf(file, store);
  const call = plan.calls[0]!.id;
  const observed = (a: number, b: number) =>
    live({ sources: SOURCES, items: { A: [["east", a, 1]], B: [["east", b, 1]] } });

  it("counts a record as written when the store shows what the apply wrote, as not when it shows what it held", () => {
    const back = rollback(plan, store, { done: new Set(), failed: { call, observed: observed(5, 2) } });
    expect(back.changes.map(describeChange)).toEqual(["update A@east 5 in -> 1 in"]);
    expect(back.warnings[0]).toMatch(
      /^The apply stopped at call 1 \(save 2 source items\) after 0 of 1 calls were done/,
    );
  });

  it("leaves out, and names, a record that holds neither", () => {
    const back = rollback(plan, store, { done: new Set(), failed: { call, observed: observed(5, 9) } });
    expect(back.changes.map(describeChange)).toEqual(["update A@east 5 in -> 1 in"]);
    expect(back.warnings.join("\n")).toContain(
      "source item B @ east: call 1 failed, and the store now holds neither what the apply wrote nor what it " +
        "held before",
    );
  });

  it("says what it could not undo when the store could not be read again", () => {
    const back = rollback(plan, store, { done: new Set(), failed: { call, observed: undefined } });
    expect(back.changes).toEqual([]);
    expect(back.warnings.join("\n")).toContain(
      "Call 1 (save 2 source items) failed, and the store could not be read again to see what it wrote: if it " +
        "wrote anything (source item A @ east; source item B @ east), this rollback does not undo it.",
    );
  });

  it("judges a failed stock save by what Magento makes of it, websites moved between stocks included", () => {
    const stocks = live({
      sources: SOURCES,
      stocks: [
        { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
        { id: 2, name: "EU Stock", channels: ["eu"], links: [["east", 1]] },
      ],
    });
    const swap = planOf(
      desired({ stocks: { "Default Stock": { channels: ["eu"] }, "EU Stock": { channels: ["base"] } } }),
      stocks,
    );
    expect(swap.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "PUT V1/inventory/stocks/1",
      "PUT V1/inventory/stocks/2",
    ]);
    // The Default Stock's save took eu, and Magento kept base on it: the save happened.
    const seen = live({
      sources: SOURCES,
      stocks: [
        { id: 1, name: "Default Stock", channels: ["base", "eu"], links: [["default", 1]] },
        { id: 2, name: "EU Stock", links: [["east", 1]] },
      ],
    });
    const back = rollback(swap, stocks, { done: new Set(), failed: { call: 1, observed: seen } });
    expect(back.changes.map(describeChange)).toEqual([
      'update stock Default Stock#1 "Default Stock" [base,eu] -> "Default Stock" [base]',
      'update stock EU Stock#2 "EU Stock" [] -> "EU Stock" [eu]',
    ]);
    expect(back.warnings.join("\n")).not.toContain("neither");
    const notSaved = rollback(swap, stocks, { done: new Set(), failed: { call: 1, observed: stocks } });
    expect(notSaved.changes).toEqual([]);
  });

  it("finds a stock whose create call lost its answer, and deletes it by the id the store shows", () => {
    const stores = live({ sources: SOURCES });
    const stockPlan = planOf(desired({ stocks: { "US Stock": { links: ["west"] } } }), stores);
    const after = live({
      sources: SOURCES,
      stocks: [
        { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
        { id: 4, name: "US Stock" },
      ],
    });
    const back = rollback(stockPlan, stores, { done: new Set(), failed: { call: 1, observed: after } });
    expect(back.changes.map(describeChange)).toEqual(['delete stock US Stock#4 "US Stock" [] -> none']);
  });
});

describe("a rollback plan read back", () => {
  const store = live({ sources: SOURCES, items: { A: [["east", 1, 1]] } });
  const back = rollback(planOf(desired({ products: { A: { east: 5 } } }), store), store);
  const document = JSON.parse(serializePlan(back)) as Record<string, unknown> & { basis: Record<string, unknown> };
  const read = (doc: unknown) => () => parsePlan(JSON.stringify(doc), "rollback.json");

  it("is refused when it names inventory files of its own, holds a move or creates a source", () => {
    expect(
      read({ ...document, basis: { ...document.basis, files: [{ path: "x.yaml", sha256: "0".repeat(64) }] } }),
    ).toThrow("rollback.json is not a valid rollback plan: it names inventory files of its own.");
    const move = {
      kind: "move",
      action: "update",
      from: "east",
      to: "west",
      skus: ["A"],
      unassign_from_origin: true,
      units: 1,
      before: [],
    };
    expect(read({ ...document, changes: [move] })).toThrow("change 0 is a move, which a rollback never makes");
    const create = { kind: "source", action: "create", source: "x", before: null, after: {}, changed: [], cleared: [] };
    expect(read({ ...document, changes: [create] })).toThrow("change 0 creates a source, which a rollback never does");
    const [item] = document["changes"] as Record<string, unknown>[];
    expect(read({ ...document, changes: [{ ...item, delta: 2 }] })).toThrow(
      "change 0 has a delta; a rollback writes exact values",
    );
  });

  it("is refused when its rollback_of is not what inv writes", () => {
    const of = document.basis["rollback_of"] as Record<string, unknown>;
    const withOf = (patch: Record<string, unknown>) => ({
      ...document,
      basis: { ...document.basis, rollback_of: { ...of, ...patch } },
    });
    expect(read(withOf({ plan_sha256: "abc" }))).toThrow('"basis.rollback_of.plan_sha256" must be a SHA-256 or null');
    expect(read(withOf({ calls_done: -1 }))).toThrow('"basis.rollback_of.calls_done" must be a whole number');
    expect(read(withOf({ finished: "yes" }))).toThrow('"basis.rollback_of.finished" must be true or false');
    expect(read({ ...document, basis: { ...document.basis, rollback_of: [] } })).toThrow(
      '"basis.rollback_of" must be an object',
    );
  });
});
