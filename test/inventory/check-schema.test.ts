// Products are checked by a quick check of the schema's common shapes, and by ajv where the
// quick check cannot vouch for one. The quick check must never accept what the schema refuses.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkSchema, productChecks } from "../../src/inventory/check-schema.js";
import { parseYaml } from "../../src/inventory/parse-yaml.js";

const code = fc.oneof(
  fc.constantFrom("ne_wh", "west_wh", "default", "sources", "quantity", "status", "quantities"),
  fc.constantFrom("", " ", "a b", "x".repeat(256), "é", "\n"),
  fc.string({ maxLength: 4 }),
);
const number = fc.oneof(
  fc.integer({ min: -200, max: 200 }),
  fc.constantFrom(99999999.9999, -99999999.9999, 100000000, -100000000, Number.NaN, Infinity, -Infinity, 0.5, -0),
  fc.double(),
);
const scalar = fc.oneof(number, code, fc.boolean(), fc.constant(null));
const spec = fc.oneof(
  number,
  fc.record({ quantity: number }),
  fc.record({ quantity: number, status: fc.constantFrom("in_stock", "out_of_stock", "lots", "") }),
  fc.record({ quantity: scalar, status: scalar }, { requiredKeys: [] }),
  fc.dictionary(fc.constantFrom("quantity", "status", "extra"), scalar),
  scalar,
);
const sources = fc.oneof(
  fc.array(code, { maxLength: 4 }),
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(code, spec, { maxKeys: 4 }),
);
const product = fc.oneof(
  sources,
  fc.record(
    { sources, quantities: fc.constantFrom("manage", "on_create", "ignore", "never") },
    { requiredKeys: ["sources"] },
  ),
  fc.record({ sources: spec, extra: scalar }, { requiredKeys: [] }),
  fc.dictionary(fc.constantFrom("sources", "quantities", "ne_wh"), fc.oneof(sources, spec), { maxKeys: 3 }),
  scalar,
);

describe("the quick product check", () => {
  it("accepts only products the schema accepts, and most of those it sees", () => {
    let quick = 0;
    let schema = 0;
    fc.assert(
      fc.property(product, (p) => {
        const checks = productChecks(p);
        if (checks.quick) expect(checks.schema, JSON.stringify(p)).toBe(true);
        quick += checks.quick ? 1 : 0;
        schema += checks.schema ? 1 : 0;
      }),
      { numRuns: 5_000, seed: 31 },
    );
    expect(quick).toBeGreaterThan(schema * 0.8);
  });

  it("leaves a product it cannot vouch for to ajv, whose problems keep their positions", () => {
    const text = [
      "version: 1",
      "products:",
      "  A: { ne_wh: 5 }",
      "  B: { ne_wh: { quantity: 1, status: lots } }",
      "  C: { sources: { ne_wh: 1 }, quantities: never }",
      '  " D": [ne_wh]',
      "  E: { ne_wh: 100000000 }",
      "",
    ].join("\n");
    const parsed = parseYaml(text, "f.yaml").parsed;
    if (!parsed) throw new Error("not parsed");
    expect(checkSchema(parsed, "inventory").map((p) => `${p.origin.line}:${p.origin.column} ${p.message}`)).toEqual([
      '4:38 product "B" at source "ne_wh" field "status" must be one of: in_stock, out_of_stock.',
      '5:43 product "C" "quantities" must be one of: manage, on_create, ignore.',
      '6:3 SKU " D" is not valid: Magento refuses empty SKUs and SKUs with leading or trailing spaces.',
      // Beyond decimal(12,4): the limit is said.
      '7:15 product "E" at source "ne_wh" has quantity 100000000, beyond what Magento stores: quantities are decimal(12,4), from -99999999.9999 to 99999999.9999.',
    ]);
  });
});
