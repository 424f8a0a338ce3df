// Words and values shared by the text and Markdown renderings, so both say the same thing.

import type { Action, ChangeKind, ItemState, MoveChange } from "../diff/changes.js";
import { roundQuantity } from "../magento/equivalence.js";
import type { PlannedCall } from "../plan/calls/call.js";
import { SOURCE_FIELDS, type SourceField } from "../model.js";

export const KIND_TITLES: Readonly<Record<ChangeKind, string>> = {
  source: "Sources",
  stock: "Stocks",
  link: "Stock-source links",
  move: "Moves",
  "source-item": "Source items",
};

export const KIND_NOUNS: Readonly<Record<ChangeKind, readonly [string, string]>> = {
  source: ["source", "sources"],
  stock: ["stock", "stocks"],
  link: ["link", "links"],
  move: ["move", "moves"],
  "source-item": ["source item", "source items"],
};

const ACTION_WORDS: Readonly<Record<ChangeKind, Readonly<Record<Action, string>>>> = {
  source: { create: "to create", update: "to update", delete: "to delete" },
  stock: { create: "to create", update: "to update", delete: "to delete" },
  link: { create: "to create", update: "to reprioritise", delete: "to delete" },
  move: { create: "to run", update: "to run", delete: "to run" },
  "source-item": { create: "to assign", update: "to update", delete: "to unassign" },
};

export function noun(kind: ChangeKind, n: number): string {
  const [one, many] = KIND_NOUNS[kind];
  return `${n} ${n === 1 ? one : many}`;
}

export function actionWord(kind: ChangeKind, action: Action): string {
  return ACTION_WORDS[kind][action];
}

/** A source change's fields in one order whatever the file's (a create lists them as the file does). */
export function fieldsInOrder(fields: readonly SourceField[]): SourceField[] {
  return SOURCE_FIELDS.filter((f) => fields.includes(f));
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

export function formatQuantity(quantity: number): string {
  return Number.isInteger(quantity) ? String(quantity) : String(quantity);
}

export function formatItem(item: ItemState): string {
  return `${formatQuantity(item.quantity)} ${item.status === "in_stock" ? "in stock" : "out of stock"}`;
}

/**
 * Each moved SKU at the destination, before and after: the origin's quantity is added to it
 * with the origin's status (magento/inventory:InventoryCatalog/Model/ResourceModel/BulkInventoryTransfer.php).
 */
export function moveDestinations(
  change: MoveChange,
): { readonly sku: string; readonly before: ItemState | null; readonly after: ItemState }[] {
  return change.before.map((entry) => ({
    sku: entry.sku,
    before: entry.destination,
    after: {
      quantity: roundQuantity((entry.destination?.quantity ?? 0) + entry.origin.quantity),
      status: entry.origin.status,
    },
  }));
}

/** `PUT V1/inventory/stocks/(id of "US Stock", known after apply)` */
export function callLine(call: PlannedCall): string {
  const path =
    call.kind === "stock-update" && call.path_stock
      ? call.path.replace(":stockId", `(id of "${call.path_stock}", known after apply)`)
      : call.path;
  return `${call.method} ${path}`;
}

/** A JSON body with stock ids known only after apply shown as such. */
export function bodyText(body: unknown): string {
  return JSON.stringify(
    body,
    (_, value: unknown) => (isRef(value) ? `(id of "${value.$stock}", known after apply)` : value),
    2,
  );
}

function isRef(value: unknown): value is { $stock: string } {
  return typeof value === "object" && value !== null && "$stock" in value;
}

export { plural } from "../words.js";
