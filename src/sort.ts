// Output is deterministic: everything is sorted by natural keys in code-unit order,
// never by the locale, map insertion or response order (golden files depend on it).

export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
