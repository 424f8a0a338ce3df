// Quantities with two writers: the file, and the store's own orders. With a base (the file
// as it was when the store was last brought to it), a quantity the file changed since the
// base is applied as that change, `live + (head - base)`; one the file did not change is
// the store's to move, reported as movement and never planned. kubectl's three-way apply
// (last applied, live, new) is the model.
//
// This stage rewrites the file's desired state into the absolute targets those rules give
// for the live store, so the one diff turns it into changes; it also says which changes
// the file caused and which it did not (drift).

import type { Change, SourceItemChange } from "./changes.js";
import type { DiffResult } from "./diff.js";
import type {
  DesiredAssignment,
  DesiredMove,
  DesiredProduct,
  DesiredSource,
  DesiredState,
  DesiredStock,
  LiveSourceItem,
  LiveState,
  Origin,
} from "../model.js";
import { roundQuantity } from "../magento/equivalence.js";
import { compareCodePoints } from "../sort.js";

/** A quantity the file did not change and the store did (orders, returns, a count). */
export interface Movement {
  readonly sku: string;
  readonly source: string;
  /** The file's quantity at the base, which the store had when it was last brought to the file. */
  readonly base: number;
  readonly live: number;
}

/** A quantity the file changed since the base: applied as `delta` on whatever the store has. */
export interface QuantityDelta {
  readonly sku: string;
  readonly source: string;
  /** The file's quantity at the base and now. */
  readonly file: { readonly base: number; readonly head: number };
  readonly delta: number;
}

export interface RebaseOptions {
  /** Plan only SKUs whose entries changed since the base (the caller read only those). */
  readonly changedOnly: boolean;
  /** Plan what the file declared at the base and no longer declares for deletion. */
  readonly prune: boolean;
}

export interface Rebased {
  /** The file's state with every managed quantity turned into the target the base implies. */
  readonly desired: DesiredState;
  readonly movement: readonly Movement[];
  /** Keyed by `itemKey(sku, source)`. */
  readonly deltas: ReadonlyMap<string, QuantityDelta>;
  /** Declared at the base and no longer: planned for deletion with `prune`, else left and listed. */
  readonly noLongerDeclared: { readonly stocks: readonly string[]; readonly skus: readonly string[] };
  /** Moves the file already had at the base: done once, never again. */
  readonly movesDoneAtBase: number;
}

export function itemKey(sku: string, source: string): string {
  return `${sku}\u0000${source}`;
}

/**
 * The SKUs a plan with `--changed-only` reads: entries that differ from the base, SKUs a
 * move names that the base did not move, and SKUs the file stopped declaring when pruning.
 */
export function changedSkus(
  head: DesiredState,
  base: DesiredState,
  options: Pick<RebaseOptions, "prune">,
): Set<string> {
  const skus = new Set<string>();
  for (const [sku, product] of head.products) {
    const before = base.products.get(sku);
    if (!before || !sameProduct(product, before)) skus.add(sku);
  }
  if (options.prune) for (const sku of base.products.keys()) if (!head.products.has(sku)) skus.add(sku);
  for (const move of newMoves(head.moves, base.moves)) for (const sku of move.skus) skus.add(sku);
  return skus;
}

/** The three-way rules, per SKU and source the file manages the quantity of. */
export function rebase(head: DesiredState, base: DesiredState, live: LiveState, options: RebaseOptions): Rebased {
  const movement: Movement[] = [];
  const deltas = new Map<string, QuantityDelta>();
  const products = new Map<string, DesiredProduct>();
  const changed = options.changedOnly ? changedSkus(head, base, options) : undefined;

  for (const [sku, product] of head.products) {
    if (changed && !changed.has(sku)) continue;
    const before = base.products.get(sku);
    const items = live.sourceItems.get(sku) ?? [];
    if (!before || product.quantities !== "manage") {
      products.set(sku, product);
      continue;
    }
    const assignments = product.assignments.map((assignment) =>
      rebaseAssignment(sku, assignment, managedAt(before, assignment.source), items, movement, deltas),
    );
    products.set(sku, { ...product, assignments });
  }

  const skusGone = [...base.products.keys()].filter((sku) => !head.products.has(sku)).sort(compareCodePoints);
  // A stock renamed since the base is the same stock; one the file deletes is planned as such.
  const renamed = new Set([...head.stocks.values()].flatMap((s) => (s.renamedFrom ? [s.renamedFrom.name] : [])));
  const stocksGone = [...base.stocks.keys()]
    .filter((name) => !head.stocks.has(name) && !renamed.has(name) && !head.stockDeletions?.has(name))
    .sort(compareCodePoints);
  if (options.prune) {
    for (const sku of skusGone) {
      const origin = base.products.get(sku)!.origin;
      products.set(sku, { sku, quantities: "manage", assignments: [], origin });
    }
  }
  const moves = newMoves(head.moves, base.moves);
  movement.sort((a, b) => Math.abs(b.live - b.base) - Math.abs(a.live - a.base) || byItem(a, b));

  return {
    desired: {
      ...head,
      products,
      moves,
      ...(options.prune && stocksGone.length > 0 ? { stockDeletions: mergeDeletions(head, base, stocksGone) } : {}),
    },
    movement,
    deltas,
    noLongerDeclared: options.prune ? { stocks: [], skus: [] } : { stocks: stocksGone, skus: skusGone },
    movesDoneAtBase: head.moves.length - moves.length,
  };
}

function rebaseAssignment(
  sku: string,
  assignment: DesiredAssignment,
  before: DesiredAssignment | undefined,
  items: readonly LiveSourceItem[],
  movement: Movement[],
  deltas: Map<string, QuantityDelta>,
): DesiredAssignment {
  const current = items.find((i) => i.source === assignment.source);
  // New since the base, or the store lost the assignment: the file's quantity, as without a base.
  if (assignment.quantity === undefined || !before || before.quantity === undefined || !current) return assignment;
  const head = roundQuantity(assignment.quantity);
  const base = roundQuantity(before.quantity);
  const headStatus = assignment.status ?? "in_stock";
  const baseStatus = before.status ?? "in_stock";
  const status = headStatus !== baseStatus ? headStatus : current.status;
  if (head === base) {
    if (current.quantity !== base) movement.push({ sku, source: assignment.source, base, live: current.quantity });
    // Quantity the store's; the status too, unless the file changed it.
    return headStatus === baseStatus
      ? { source: assignment.source, quantity: undefined, status: undefined }
      : { source: assignment.source, quantity: current.quantity, status };
  }
  const delta = roundQuantity(head - base);
  deltas.set(itemKey(sku, assignment.source), { sku, source: assignment.source, file: { base, head }, delta });
  return { source: assignment.source, quantity: roundQuantity(current.quantity + delta), status };
}

/** The base's entry for a source, when the base managed its quantity. */
function managedAt(product: DesiredProduct, source: string): DesiredAssignment | undefined {
  if (product.quantities !== "manage") return undefined;
  return product.assignments.find((a) => a.source === source);
}

function mergeDeletions(head: DesiredState, base: DesiredState, gone: readonly string[]): ReadonlyMap<string, Origin> {
  return new Map([
    ...(head.stockDeletions ?? []),
    ...gone.map((name) => [name, base.stocks.get(name)!.origin] as const),
  ]);
}

function newMoves(head: readonly DesiredMove[], base: readonly DesiredMove[]): DesiredMove[] {
  const done = new Set(base.map(moveKey));
  return head.filter((move) => !done.has(moveKey(move)));
}

function moveKey(move: DesiredMove): string {
  return JSON.stringify([move.from, move.to, move.unassignFromOrigin, [...move.skus].sort(compareCodePoints)]);
}

function sameProduct(a: DesiredProduct, b: DesiredProduct): boolean {
  if (a.quantities !== b.quantities || a.assignments.length !== b.assignments.length) return false;
  const bySource = new Map(b.assignments.map((x) => [x.source, x]));
  return a.assignments.every((x) => {
    const y = bySource.get(x.source);
    return y !== undefined && sameNumber(x.quantity, y.quantity) && x.status === y.status;
  });
}

function sameNumber(a: number | undefined, b: number | undefined): boolean {
  return a === undefined || b === undefined ? a === b : roundQuantity(a) === roundQuantity(b);
}

function byItem(a: { sku: string; source: string }, b: { sku: string; source: string }): number {
  return compareCodePoints(a.sku, b.sku) || compareCodePoints(a.source, b.source);
}

/** Each quantity change the file made since the base carries it; changes it did not make are drift. */
export function markBaseChanges(
  result: DiffResult,
  head: DesiredState,
  base: DesiredState,
  rebased: Rebased,
): DiffResult {
  const changes = result.changes.map((change): Change => {
    const drift = isDrift(change, head, base) ? { drift: true as const } : {};
    if (change.kind !== "source-item" || change.action === "delete") return { ...change, ...drift };
    const delta = rebased.deltas.get(itemKey(change.sku, change.source));
    if (!delta || change.action !== "update") return { ...change, ...drift };
    return { ...change, delta: delta.delta, file: delta.file };
  });
  return { ...result, changes };
}

// --- drift ---------------------------------------------------------------------------------

/**
 * With a base, a change the file did not cause is drift: the object is declared the same at
 * the base and now, so someone changed the store behind the file's back. The plan still
 * corrects it (sources, stocks and links stay the file's), and says so.
 */
export function isDrift(change: Change, head: DesiredState, base: DesiredState): boolean {
  switch (change.kind) {
    case "source":
      return sameSource(head.sources.get(change.source), base.sources.get(change.source));
    case "stock":
      return change.action !== "delete" && sameStock(head.stocks.get(change.stock), base.stocks.get(change.stock));
    case "link":
      return sameStock(head.stocks.get(change.stock), base.stocks.get(change.stock));
    case "source-item":
      return itemDrift(change, head, base);
    case "move":
      return false;
  }
}

function itemDrift(change: SourceItemChange, head: DesiredState, base: DesiredState): boolean {
  if (change.via_move !== undefined) return false;
  const now = head.products.get(change.sku);
  const then = base.products.get(change.sku);
  if (!now || !then) return false;
  const declaredNow = now.assignments.some((a) => a.source === change.source);
  const declaredThen = then.assignments.some((a) => a.source === change.source);
  // An assignment that went (create) or appeared (delete) while the file kept it as it was.
  if (change.action === "create") return declaredNow && declaredThen;
  if (change.action === "delete") return !declaredNow && !declaredThen;
  return false;
}

function sameSource(a: DesiredSource | undefined, b: DesiredSource | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    JSON.stringify(sortedFields(a.fields)) === JSON.stringify(sortedFields(b.fields))
  );
}

function sortedFields(fields: object): [string, unknown][] {
  return Object.entries(fields).sort(([x], [y]) => compareCodePoints(x, y));
}

function sameStock(a: DesiredStock | undefined, b: DesiredStock | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    JSON.stringify([a.salesChannels, a.links]) === JSON.stringify([b.salesChannels, b.links])
  );
}
