// Output is deterministic: everything is sorted by natural keys in Unicode code-point order,
// never by the locale, map insertion or response order (golden files depend on it).

/** A UTF-16 surrogate: half of an astral character. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Code-point order. JavaScript's `<` compares UTF-16 code units, which puts an astral
 * character (a surrogate pair, 0xD800-0xDFFF) before U+E000-U+FFFF. That is wrong only when
 * the string `<` puts first has a surrogate where the two differ, so `<` answers unless that
 * string holds a surrogate at all; then, at the first unit that differs, units from 0xD800
 * up are shifted so that surrogates sort above the rest of the BMP.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const before = a < b;
  if (!SURROGATE.test(before ? a : b)) return before ? -1 : 1;
  const length = Math.min(a.length, b.length);
  let i = 0;
  while (i < length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === length) return a.length < b.length ? -1 : 1;
  let x = a.charCodeAt(i);
  let y = b.charCodeAt(i);
  if (x >= 0xd800 && y >= 0xd800) {
    x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
  }
  return x < y ? -1 : 1;
}
