// Typed changes: what differs between the file and the store, per object, with the live
// value before and the value after. Plain serialisable data in the shape of the JSON plan
// document (snake_case, like Magento's own fields); every renderer reads it, and a saved
// plan checks its `before` values against the store again.

import { roundQuantity } from "../magento/equivalence.js";
import type { ItemStatus, SalesChannel, SourceField, SourceFields } from "../model.js";

export type Action = "create" | "update" | "delete";

export interface SourceChange {
  readonly kind: "source";
  readonly action: "create" | "update";
  readonly source: string;
  /** The whole live record (a source save sends every field, so all of it must still hold). */
  readonly before: SourceFields | null;
  readonly after: SourceFields;
  readonly changed: readonly SourceField[];
  /** Fields the file sets to null, which the save must send as null to clear them. */
  readonly cleared: readonly SourceField[];
  /** With a base: the file declares this object as it did at the base, so the store changed outside inv. */
  readonly drift?: true;
}

export interface StockState {
  readonly name: string;
  readonly sales_channels: readonly SalesChannel[];
}

export interface StockChange {
  readonly kind: "stock";
  readonly action: Action;
  /** The stock's name in the file (or in the store, for a delete). */
  readonly stock: string;
  /** null until apply creates the stock ("known after apply"). */
  readonly stock_id: number | null;
  readonly before: StockState | null;
  readonly after: StockState | null;
  readonly changed: readonly ("name" | "sales_channels")[];
  /** Effects Magento applies on its own, e.g. a website moving from another stock. */
  readonly notes: readonly string[];
  /** With a base: the file declares this object as it did at the base, so the store changed outside inv. */
  readonly drift?: true;
}

export interface LinkChange {
  readonly kind: "link";
  readonly action: Action;
  readonly stock: string;
  readonly stock_id: number | null;
  readonly source: string;
  readonly before: { readonly priority: number } | null;
  readonly after: { readonly priority: number } | null;
  /** Where the file lists this source in the stock's list, counted over every stock in the file's order. */
  readonly declared_order?: number;
  /** With a base: the file declares this object as it did at the base, so the store changed outside inv. */
  readonly drift?: true;
}

export interface ItemState {
  readonly quantity: number;
  readonly status: ItemStatus;
}

export interface SourceItemChange {
  readonly kind: "source-item";
  readonly action: Action;
  readonly sku: string;
  readonly source: string;
  readonly before: ItemState | null;
  readonly after: ItemState | null;
  /**
   * Where the file declares this SKU and source, counted over every product in the file's
   * order; an unassignment counts as the slot after its SKU's last source. Array payloads list
   * items in this order (the file's), while changes and renderings stay sorted.
   */
  readonly declared_order?: number;
  /** Set when a move (bulk transfer) causes this change rather than a call of its own. */
  readonly via_move?: number;
  /** With a base: the file's change since it (`head - base`), applied on the live quantity `before`. */
  readonly delta?: number;
  /** With a base: the file's quantity at the base and now. */
  readonly file?: { readonly base: number; readonly head: number };
  /** With a base: the file declares this object as it did at the base, so the store changed outside inv. */
  readonly drift?: true;
  /**
   * Units the plan's transfers bring to this item before this change, whose `before` is the
   * item as they leave it. Lowering it then takes units out of the store that would otherwise
   * have been an unassignment at the origin: destructive.
   */
  readonly moved_in?: number;
}

/** A declared bulk transfer (seed 002): all quantities of SKUs from one source to another. */
export interface MoveChange {
  readonly kind: "move";
  readonly action: "update";
  readonly from: string;
  readonly to: string;
  readonly skus: readonly string[];
  readonly unassign_from_origin: boolean;
  /** Units leaving the origin, summed over the SKUs. */
  readonly units: number;
  /** Each SKU's source items at the origin and destination before the move (a saved plan checks them). */
  readonly before: readonly MoveItemsBefore[];
  /**
   * SKUs whose destination already holds what the file declares for it: the move was done, and
   * the units at the origin arrived since, so running it again needs consent. Absent: none.
   */
  readonly runs_again?: readonly string[];
}

export interface MoveItemsBefore {
  readonly sku: string;
  readonly origin: ItemState;
  readonly destination: ItemState | null;
}

export type Change = SourceChange | StockChange | LinkChange | SourceItemChange | MoveChange;
export type ChangeKind = Change["kind"];

/**
 * The kinds in plan order, the order apply works through them: a moved SKU's remaining
 * source-item changes come after its transfer. Summaries, groups and counts follow it.
 */
export const CHANGE_KINDS: readonly ChangeKind[] = ["source", "stock", "link", "move", "source-item"];

/**
 * Destroying is what needs its own consent (DESIGN.md "Safety"): unassigning a source item
 * that holds quantity, lowering units a transfer brought (they leave the store as surely as
 * an unassignment's), running a move again over stock its origin received since, deleting a
 * link, deleting a stock.
 */
export function isDestructive(change: Change): boolean {
  switch (change.kind) {
    case "source-item":
      if (change.via_move !== undefined) return false;
      return change.action === "delete" ? (change.before?.quantity ?? 0) > 0 : unitsLostFromTransfer(change) > 0;
    case "move":
      return (change.runs_again?.length ?? 0) > 0;
    case "link":
    case "stock":
      return change.action === "delete";
    default:
      return false;
  }
}

/** A stock saved under a new name, in place: the same id, links and channels (`renamed_from`, or a change of case). */
export function isRename(
  change: Change,
): change is StockChange & { readonly before: StockState; readonly after: StockState } {
  return change.kind === "stock" && change.action === "update" && change.changed.includes("name");
}

/** Quantity changes since a base that would leave a quantity below 0: they need their own consent. */
export function belowZero(changes: readonly Change[]): SourceItemChange[] {
  return changes.filter(
    (c): c is SourceItemChange =>
      c.kind === "source-item" && c.delta !== undefined && c.after !== null && c.after.quantity < 0,
  );
}

/** Of the units a change lowers, those a transfer in the plan brought to the item. */
export function unitsLostFromTransfer(change: SourceItemChange): number {
  if (change.moved_in === undefined || change.action !== "update") return 0;
  return roundQuantity(Math.min(change.moved_in, unitsRemoved(change)));
}

/** The units at the origin of the SKUs a move runs again for. */
export function unitsRunAgain(change: MoveChange): number {
  const again = new Set(change.runs_again ?? []);
  return roundQuantity(change.before.reduce((sum, b) => sum + (again.has(b.sku) ? b.origin.quantity : 0), 0));
}

/** Units every change takes out of the store, in all. */
export function totalUnitsRemoved(changes: readonly Change[]): number {
  return roundQuantity(changes.reduce((sum, change) => sum + unitsRemoved(change), 0));
}

/**
 * Units a change takes out of the store: an unassignment's quantity, or how far an update
 * lowers one. A transfer moves units between sources; it removes none.
 */
export function unitsRemoved(change: Change): number {
  if (change.kind !== "source-item" || change.via_move !== undefined || !change.before) return 0;
  return Math.max(0, roundQuantity(change.before.quantity - (change.after?.quantity ?? 0)));
}

/** A stable address for a change, for sorting, messages and journals. */
export function changeAddress(change: Change): string {
  switch (change.kind) {
    case "source":
      return `source ${change.source}`;
    case "stock":
      return `stock "${change.stock}"`;
    case "link":
      return `link "${change.stock}" <- ${change.source}`;
    case "source-item":
      return `source item ${change.sku} @ ${change.source}`;
    case "move":
      return `move ${change.from} -> ${change.to} (${change.skus.length} SKU${change.skus.length === 1 ? "" : "s"})`;
  }
}
