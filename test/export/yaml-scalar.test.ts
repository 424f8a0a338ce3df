// The exporter's scalars must read back as exactly what was written, as values and as keys,
// in block and in flow position: checked against the yaml parser inv itself uses.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { quantityCsv } from "../../src/export/quantity-csv.js";
import { yamlNumber, yamlString } from "../../src/export/yaml-scalar.js";
import { parseQuantityCsv } from "../../src/inventory/parse-csv.js";

const readBack = (text: string): unknown => parse(text, { strict: true, uniqueKeys: true });

describe("yaml scalars", () => {
  it("any string reads back unchanged as a value, a key, and inside flow collections", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-composite" }), fc.string({ unit: "binary" }), (a, b) => {
        for (const s of [a, b]) {
          if (s.length === 0) continue;
          const w = yamlString(s);
          expect(readBack(`k: ${w}\n`)).toEqual({ k: s });
          expect(readBack(`${w}: 1\n`)).toEqual({ [s]: 1 });
          expect(readBack(`x: { ${w}: { q: [${w}, z] } }\n`)).toEqual({ x: { [s]: { q: [s, "z"] } } });
        }
      }),
      { numRuns: 150 },
    );
  });

  it("keeps readable text plain and quotes what YAML would read as something else", () => {
    expect(yamlString("24-WB01")).toBe("24-WB01");
    expect(yamlString("Northeast Warehouse")).toBe("Northeast Warehouse");
    expect(yamlString("ne-warehouse@example.com")).toBe("ne-warehouse@example.com");
    for (const s of [
      "0012",
      "1e3",
      "0x1F",
      "true",
      "Null",
      "~",
      ".inf",
      "yes",
      "a: b",
      "x #y",
      "[a]",
      "a,b",
      "-a",
      " lead",
      "trail ",
      "",
    ]) {
      expect(yamlString(s)).toMatch(/^"/);
    }
    expect(yamlString("12345", { quote: true })).toBe('"12345"');
  });

  it("numbers read back as the same numbers", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(readBack(`k: ${yamlNumber(n)}\n`)).toEqual({ k: Object.is(n, -0) ? 0 : n });
      }),
    );
  });
});

describe("quantity CSV", () => {
  it("reads back through inv's CSV reader as the same source items", () => {
    const sku = fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s.trim() === s && s.trim() !== "");
    const source = fc.stringMatching(/^[a-z0-9_.-]{1,12}$/);
    const item = fc.record({
      source,
      quantity: fc.integer({ min: -1000, max: 100000 }).map((n) => n / 4),
      status: fc.constantFrom("in_stock" as const, "out_of_stock" as const),
    });
    fc.assert(
      fc.property(
        fc.dictionary(sku, fc.uniqueArray(item, { selector: (i) => i.source, minLength: 1, maxLength: 4 }), {
          maxKeys: 8,
        }),
        (catalog) => {
          const items = new Map(Object.entries(catalog));
          const result = parseQuantityCsv(quantityCsv(items), "q.csv");
          expect(result.problems).toEqual([]);
          expect(new Set(result.products.keys())).toEqual(new Set(items.keys()));
          for (const [s, list] of items) {
            const read = [...(result.products.get(s)?.assignments ?? [])].sort((x, y) =>
              x.source < y.source ? -1 : 1,
            );
            expect(read).toEqual([...list].sort((x, y) => (x.source < y.source ? -1 : 1)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
