// Array payloads list their items in the file's order (seed 000 sends each SKU's sources as
// the tutorial declares them), while changes and renderings stay sorted by natural keys. The
// order travels in the changes (`declared_order`), so a saved plan derives the same payloads.

interface Ordered {
  readonly change: { readonly declared_order?: number };
  /** The change's position in the plan. */
  readonly index: number;
}

/** The file's order; changes that do not carry it come after, in plan order. */
export function inFileOrder(a: Ordered, b: Ordered): number {
  const x = a.change.declared_order;
  const y = b.change.declared_order;
  if (x !== undefined && y !== undefined && x !== y) return x - y;
  if (x === undefined && y !== undefined) return 1;
  if (x !== undefined && y === undefined) return -1;
  return a.index - b.index;
}
