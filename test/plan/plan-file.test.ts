// The saved plan's policy: one shape in memory (SafetyPolicy), spelled as the inventory file
// spells it in the document, and read back to the same value.

import { describe, expect, it } from "vitest";
import { effectivePolicy } from "../../src/apply/guards.js";
import { PlanFileError } from "../../src/errors.js";
import { parsePlan, serializePlan } from "../../src/plan/plan-file.js";
import { desired, live, planOf } from "../helpers/states.js";

const PLAN = planOf(desired({ products: { A: { default: 4 } } }), live({ items: { A: [["default", 5, 1]] } }));

describe("the policy in a saved plan", () => {
  it("is written as the file writes it, null where no limit is set, and read back unchanged", () => {
    const plan = { ...PLAN, policy: { allowDestroy: true, maxUnassign: 3, maxUnitsRemoved: undefined } };
    const text = serializePlan(plan);
    expect(JSON.parse(text).policy).toEqual({ allow_destroy: true, max_unassign: 3, max_units_removed: null });
    expect(parsePlan(text, "plan.json").policy).toEqual(plan.policy);
    expect(serializePlan(parsePlan(text, "plan.json"))).toBe(text);
  });

  it("refuses a limit that is not a number", () => {
    const document = JSON.parse(serializePlan(PLAN));
    document.policy.max_units_removed = "lots";
    expect(() => parsePlan(JSON.stringify(document), "plan.json")).toThrow(
      new PlanFileError('plan.json is not a valid saved plan: "policy.max_units_removed" must be a number or null.'),
    );
  });
});

describe("the unchecked reads in a saved plan", () => {
  it("are read back as written, and refused when they are not checks inv knows", () => {
    const unchecked = [{ check: "catalog" as const, reason: "the credentials may not read V1/products", writes: "w" }];
    const text = serializePlan({ ...PLAN, unchecked });
    expect(parsePlan(text, "plan.json").unchecked).toEqual(unchecked);
    const document = JSON.parse(text);
    document.unchecked = [{ check: "everything", reason: "", writes: "" }];
    expect(() => parsePlan(JSON.stringify(document), "plan.json")).toThrow(
      'plan.json is not a valid saved plan: "unchecked" must list { check, reason, writes } with check one of website-codes, catalog, salable-quantities.',
    );
  });
});

describe("effectivePolicy", () => {
  const file = { allowDestroy: false, maxUnassign: 5, maxUnitsRemoved: undefined };

  it("consents when the flag or the file does, and keeps the lower of each limit", () => {
    expect(effectivePolicy(file, {})).toEqual(file);
    expect(effectivePolicy(file, { allowDestroy: true, maxUnassign: 9, maxUnitsRemoved: 2 })).toEqual({
      allowDestroy: true,
      maxUnassign: 5,
      maxUnitsRemoved: 2,
    });
    expect(effectivePolicy({ ...file, allowDestroy: true }, { allowDestroy: false, maxUnassign: 1 })).toEqual({
      allowDestroy: true,
      maxUnassign: 1,
      maxUnitsRemoved: undefined,
    });
  });
});

describe("scope and skipped SKUs in a saved plan", () => {
  const recorded = {
    ...PLAN,
    scope: { sources: ["ne_wh", "west_wh"] },
    skipped: [{ sku: "ERP-NEW-1", origin: "feeds/ne_wh.csv:3:1" }],
  };

  it("are written and read back unchanged", () => {
    const text = serializePlan(recorded);
    expect(JSON.parse(text).scope).toEqual({ sources: ["ne_wh", "west_wh"] });
    expect(parsePlan(text, "plan.json").skipped).toEqual(recorded.skipped);
    expect(serializePlan(parsePlan(text, "plan.json"))).toBe(text);
    // A plan made without them has neither field.
    expect(Object.keys(JSON.parse(serializePlan(PLAN)))).not.toContain("scope");
    expect(Object.keys(JSON.parse(serializePlan(PLAN)))).not.toContain("skipped");
  });

  it("refuse a scope without sources and skipped entries that are not { sku, origin }", () => {
    const refused = (edit: (document: Record<string, unknown>) => void) => {
      const document = JSON.parse(serializePlan(recorded));
      edit(document);
      return () => parsePlan(JSON.stringify(document), "plan.json");
    };
    const scope = new PlanFileError(
      'plan.json is not a valid saved plan: "scope" must list the sources under sources.',
    );
    expect(refused((d) => (d["scope"] = { sources: [] }))).toThrow(scope);
    expect(refused((d) => (d["scope"] = ["ne_wh"]))).toThrow(scope);
    const skipped = new PlanFileError(
      'plan.json is not a valid saved plan: "skipped" must list { sku, origin } entries.',
    );
    expect(refused((d) => (d["skipped"] = ["ERP-NEW-1"]))).toThrow(skipped);
    expect(refused((d) => (d["skipped"] = [{ sku: 1, origin: "x" }]))).toThrow(skipped);
  });
});
