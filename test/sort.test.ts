// Sorting by code point: the order golden files and plans rely on, the same on every machine.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints } from "../src/sort.js";

/** The reference: compare the strings' code points one by one. */
function byCodePoints(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

describe("compareCodePoints", () => {
  it("puts an astral character after U+FFFF, where UTF-16 code units put it before", () => {
    // "\u{1F600}" is the pair \uD83D\uDE00: as code units it sorts below \uFFFF and \uE000.
    expect("\u{1F600}" < "\uFFFF").toBe(true);
    expect(compareCodePoints("\u{1F600}", "\uFFFF")).toBe(1);
    expect(compareCodePoints("\uFFFF", "\u{1F600}")).toBe(-1);
    expect(compareCodePoints("\uE000", "\u{10000}")).toBe(-1);
    expect(["\u{1F600}", "\uFFFF", "z", "\uE000", "\u{10000}", "\uD7FF"].sort(compareCodePoints)).toEqual([
      "z",
      "\uD7FF",
      "\uE000",
      "\uFFFF",
      "\u{10000}",
      "\u{1F600}",
    ]);
  });

  it("orders astral characters among themselves and after a common prefix", () => {
    expect(compareCodePoints("SKU-\u{1F600}", "SKU-\u{1F601}")).toBe(-1);
    expect(compareCodePoints("SKU-\u{20000}", "SKU-\u{1F600}")).toBe(1);
    expect(compareCodePoints("SKU-\u{1F600}-b", "SKU-\u{1F600}-a")).toBe(1);
  });

  it("is 0 only for equal strings, and a prefix sorts first", () => {
    expect(compareCodePoints("", "")).toBe(0);
    expect(compareCodePoints("ne_wh", "ne_wh")).toBe(0);
    expect(compareCodePoints("ne", "ne_wh")).toBe(-1);
    expect(compareCodePoints("ne_wh", "ne")).toBe(1);
    expect(compareCodePoints("", "a")).toBe(-1);
  });

  it("keeps ASCII in code-unit order: upper case before lower case, never the locale's order", () => {
    expect(["b", "a", "B", "_", "A", "10", "9"].sort(compareCodePoints)).toEqual(["10", "9", "A", "B", "_", "a", "b"]);
  });

  it("agrees with comparing code points one by one, for any strings", () => {
    // Mostly characters around the surrogate range, where code units and code points disagree.
    const unit = fc.oneof(
      fc.integer({ min: 0xd000, max: 0xd7ff }),
      fc.integer({ min: 0xe000, max: 0xffff }),
      fc.integer({ min: 0x10000, max: 0x10ffff }),
      fc.integer({ min: 0x20, max: 0x7e }),
    );
    const text = fc.string({ unit: unit.map((c) => String.fromCodePoint(c)), maxLength: 6 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(byCodePoints(a, b));
      }),
      { numRuns: 2000 },
    );
  });
});
