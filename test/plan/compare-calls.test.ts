// A saved plan's calls against the ones its changes give: the first difference, by call
// number and field, with both values.

import { describe, expect, it } from "vitest";
import { describeCallDifference, firstCallDifference } from "../../src/plan/calls/compare-calls.js";
import { deriveCalls } from "../../src/plan/plan.js";
import { DEFAULT_SOURCE, desired, live, planOf } from "../helpers/states.js";

const STORE = live({
  sources: [DEFAULT_SOURCE, { source_code: "hq", name: "HQ", country_id: "US", postcode: "1" }],
  items: { A: [["default", 5, 1]], B: [["hq", 2, 1]] },
});
const PLAN = planOf(
  desired({
    stocks: { "US Stock": { channels: ["us"], links: ["hq"] } },
    products: { A: { default: 4 }, B: { hq: 3 } },
  }),
  STORE,
);
/** The calls as a plan file holds them. */
const stored = (): Record<string, unknown>[] => JSON.parse(JSON.stringify(PLAN.calls));

describe("firstCallDifference", () => {
  it("finds none for the calls as planned, read back from JSON", () => {
    expect(PLAN.calls.length).toBeGreaterThan(3);
    expect(firstCallDifference(stored(), deriveCalls(PLAN))).toBeUndefined();
  });

  it("names a value edited deep in a body", () => {
    const calls = stored();
    const save = calls.findIndex((c) => c["kind"] === "source-item-save");
    (calls[save]!["body"] as { sourceItems: { quantity: number }[] }).sourceItems[1]!.quantity = 40;
    const difference = firstCallDifference(calls, PLAN.calls);
    expect(difference).toEqual({ call: save + 1, field: "body.sourceItems[1].quantity", stored: "40", derived: "3" });
    expect(describeCallDifference(difference!)).toBe(
      `call ${save + 1}, body.sourceItems[1].quantity: the plan has 40, its changes give 3`,
    );
  });

  it("names a field added to a call, and one taken away", () => {
    const calls = stored();
    calls[0] = { ...calls[0], path_stock: "Default Stock" };
    expect(firstCallDifference(calls, PLAN.calls)).toMatchObject({ call: 1, field: "path_stock", derived: "nothing" });
    const { repeatable: _repeatable, ...rest } = stored()[1]!;
    expect(firstCallDifference([stored()[0], rest, ...stored().slice(2)], PLAN.calls)).toMatchObject({
      call: 2,
      field: "repeatable",
      stored: "nothing",
    });
  });

  it("names a call the changes do not give, and one they give that is missing", () => {
    const extra = [...stored(), { id: 99, method: "DELETE", path: "V1/customers/1" }];
    expect(firstCallDifference(extra, PLAN.calls)).toEqual({
      call: PLAN.calls.length + 1,
      field: "",
      stored: "DELETE V1/customers/1",
      derived: `no such call (the changes imply ${PLAN.calls.length})`,
    });
    expect(firstCallDifference(stored().slice(0, -1), PLAN.calls)).toMatchObject({
      call: PLAN.calls.length,
      stored: "no such call",
      derived: expect.stringMatching(/^POST V1\/inventory\//),
    });
    expect(firstCallDifference(["not a call"], [])).toMatchObject({ stored: '"not a call"' });
  });

  it("shortens long values", () => {
    const calls = stored();
    calls[0] = { ...calls[0], description: "x".repeat(500) };
    expect(firstCallDifference(calls, PLAN.calls)?.stored).toHaveLength(121);
  });
});
