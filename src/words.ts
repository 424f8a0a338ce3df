// Words every stage writes the same way: a count with its noun, singular for exactly one.

/** `1 stock`, `2 stocks`, `0 units`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
