// Typed changes: what differs between the file and the store, per object, with the live
// value before and the value after. Plain serialisable data in the shape of the JSON plan
// document (snake_case, like Magento's own fields); every renderer reads it, and a saved
// plan checks its `before` values against the store again.

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
  /** Set when a move (bulk transfer) causes this change rather than a call of its own. */
  readonly via_move?: number;
  /** With a base: the file's change since it (`head - base`), applied on the live quantity `before`. */
  readonly delta?: number;
  /** With a base: the file's quantity at the base and now. */
  readonly file?: { readonly base: number; readonly head: number };
  /** With a base: the file declares this object as it did at the base, so the store changed outside inv. */
  readonly drift?: true;
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
 * that holds quantity, deleting a link, deleting a stock.
 */
export function isDestructive(change: Change): boolean {
  switch (change.kind) {
    case "source-item":
      return change.action === "delete" && change.via_move === undefined && (change.before?.quantity ?? 0) > 0;
    case "link":
    case "stock":
      return change.action === "delete";
    default:
      return false;
  }
}

/** Quantity changes since a base that would leave a quantity below 0: they need their own consent. */
export function belowZero(changes: readonly Change[]): SourceItemChange[] {
  return changes.filter(
    (c): c is SourceItemChange =>
      c.kind === "source-item" && c.delta !== undefined && c.after !== null && c.after.quantity < 0,
  );
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
