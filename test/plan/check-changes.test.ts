// A saved plan's changes are checked for shape before calls are derived from them.

import { describe, expect, it } from "vitest";
import { changeProblem } from "../../src/plan/check-changes.js";
import { DEFAULT_SOURCE, desired, live, planOf } from "../helpers/states.js";

/** One change of every kind, as the diff makes them. */
const PLAN = planOf(
  desired({
    sources: {
      hq: { name: "HQ", country_id: "US", postcode: "2" },
      east: { name: "E", country_id: "US", postcode: "3" },
    },
    stocks: { "US Stock": { channels: ["us"], links: ["hq"] }, Legacy: { links: ["hq"] } },
    products: { A: { hq: 4 }, B: { east: 1 } },
    moves: [{ skus: ["B"], from: "hq", to: "east", unassignFromOrigin: true }],
  }),
  live({
    sources: [DEFAULT_SOURCE, { source_code: "hq", name: "HQ", country_id: "US", postcode: "1" }],
    stocks: [
      { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
      { id: 2, name: "Legacy", links: [["default", 1]] },
    ],
    items: { A: [["default", 5, 1]], B: [["hq", 2, 1]] },
  }),
);
const changes = (): Record<string, unknown>[] => JSON.parse(JSON.stringify(PLAN.changes));

function edited(kind: string, edit: (change: Record<string, unknown>) => Record<string, unknown>) {
  const list = changes();
  const at = list.findIndex((c) => c["kind"] === kind);
  list[at] = edit(list[at]!);
  return { list, at };
}

describe("changeProblem", () => {
  it("accepts every change the diff makes", () => {
    expect(new Set(PLAN.changes.map((c) => c.kind))).toEqual(
      new Set(["source", "stock", "link", "source-item", "move"]),
    );
    expect(changeProblem(changes())).toBeUndefined();
  });

  it("refuses a kind inv does not know, and what is not an object", () => {
    expect(changeProblem([{ kind: "customer" }])).toBe(
      'change 0 has kind "customer"; a change is one of source, stock, link, move, source-item',
    );
    expect(changeProblem([null])).toBe("change 0 is not an object");
  });

  it("names the field that is missing, unknown, or of the wrong type", () => {
    const cases: [string, (c: Record<string, unknown>) => Record<string, unknown>, string][] = [
      ["source", ({ changed: _changed, ...c }) => c, "(source): changed is missing"],
      ["source", (c) => ({ ...c, route: "V1/customers" }), "(source): route is not a field of it"],
      [
        "source",
        (c) => ({ ...c, after: { ...(c["after"] as object), enabled: "yes" } }),
        "after.enabled must be true or false",
      ],
      ["source", (c) => ({ ...c, cleared: ["password"] }), "cleared[0] must be one of name, enabled,"],
      ["stock", (c) => ({ ...c, stock_id: 1.5 }), "(stock): stock_id must be a whole number from 1"],
      ["link", (c) => ({ ...c, after: { priority: 0 } }), "(link): after.priority must be a whole number from 1"],
      [
        "source-item",
        (c) => ({ ...c, after: { quantity: 1, status: "maybe" } }),
        "after.status must be one of in_stock, out_of_stock",
      ],
      ["source-item", (c) => ({ ...c, sku: "" }), "(source-item): sku must be a non-empty string"],
      ["source-item", (c) => ({ ...c, declared_order: -1 }), "(source-item): declared_order must be a whole number"],
      ["link", (c) => ({ ...c, declared_order: "1" }), "(link): declared_order must be a whole number"],
      ["source", (c) => ({ ...c, changed: ["name", "name"] }), '(source): changed[1] repeats "name"'],
      ["move", (c) => ({ ...c, skus: [] }), "(move): skus must not be empty"],
      ["move", (c) => ({ ...c, to: c["from"] }), "(move): from and to are the same source"],
    ];
    for (const [kind, edit, message] of cases) {
      const { list, at } = edited(kind, edit);
      const problem = changeProblem(list);
      expect(problem, message).toContain(`change ${at} `);
      expect(problem).toContain(message);
    }
  });

  it("refuses an action its before and after disagree with", () => {
    const cases: [string, (c: Record<string, unknown>) => Record<string, unknown>, string][] = [
      [
        "source-item",
        (c) => ({ ...c, action: "create", before: { quantity: 1, status: "in_stock" } }),
        "a create has before null",
      ],
      ["source-item", (c) => ({ ...c, action: "delete" }), "a delete has a before and after null"],
      ["stock", (c) => ({ ...c, stock_id: 7 }), "a stock to create has stock_id null"],
      ["source-item", (c) => ({ ...c, via_move: 0 }), "via_move must be the position of a move in changes"],
    ];
    for (const [kind, edit, message] of cases) {
      const list = changes();
      const at = list.findIndex((c) => c["kind"] === kind && c["action"] !== "delete" && !("via_move" in c));
      list[at] = edit(list[at]!);
      expect(changeProblem(list), message).toBe(`change ${at} (${kind}): ${message}`);
    }
  });

  it("refuses a link to a stock known only after apply that no change creates", () => {
    const { list, at } = edited("link", (c) => ({
      ...c,
      stock: "Nowhere",
      stock_id: null,
      action: "create",
      before: null,
    }));
    expect(changeProblem(list)).toBe(`change ${at} (link): stock_id is null, but no change creates stock "Nowhere"`);
  });
});
