// One Markdown table per kind of change, for the comment's folded groups and the details
// file: before and after side by side, destructive rows marked.

import {
  isDestructive,
  isRename,
  type Action,
  type Change,
  type ChangeKind,
  type ItemState,
  type LinkChange,
  type MoveChange,
  type SourceChange,
  type SourceItemChange,
  type StockChange,
  type StockState,
} from "../diff/changes.js";
import { roundQuantity } from "../magento/equivalence.js";
import { actionWord, fieldsInOrder, formatItem, formatValue, moveDestinations } from "./format.js";
import { code, grouped, table, text } from "./markdown-escape.js";

const NONE = "—";
const DESTROYS = " ⚠️";

/** `assign`, `reprioritise`, `unassign`: the action in the kind's own word. */
export function verb(kind: ChangeKind, action: Action): string {
  return actionWord(kind, action).replace(/^to /, "");
}

function actionCell(change: Change): string {
  const outside = change.kind !== "move" && change.drift ? " *(changed outside inv)*" : "";
  const action = isRename(change) ? "rename" : verb(change.kind, change.action);
  return `${action}${isDestructive(change) ? DESTROYS : ""}${outside}`;
}

/** The table for changes of one kind, in the order given; a move names at most `skuLimit` SKUs. */
export function detailsOf(kind: ChangeKind, changes: readonly Change[], skuLimit = Infinity): string {
  switch (kind) {
    case "source":
      return sourceTable(changes as readonly SourceChange[]);
    case "stock":
      return stockTable(changes as readonly StockChange[]);
    case "link":
      return linkTable(changes as readonly LinkChange[]);
    case "move":
      return moveTable(changes as readonly MoveChange[], skuLimit);
    case "source-item":
      return itemTable(changes as readonly SourceItemChange[]);
  }
}

/** One row per changed field; the source is named on its first row. */
function sourceTable(changes: readonly SourceChange[]): string {
  const rows: string[][] = [];
  for (const change of changes) {
    fieldsInOrder(change.changed).forEach((field, i) => {
      const before = change.before === null ? NONE : code(formatValue(change.before[field]));
      const head = i === 0 ? [actionCell(change), code(change.source)] : ["", ""];
      rows.push([...head, field, before, code(formatValue(change.after[field]))]);
    });
  }
  return table(["", "source", "field", "before", "after"], ["left", "left", "left", "left", "left"], rows);
}

function channels(state: StockState | null): string {
  if (!state || state.sales_channels.length === 0) return "none";
  return state.sales_channels.map((c) => `${text(c.type)} ${code(c.code)}`).join(", ");
}

function stockTable(changes: readonly StockChange[]): string {
  const rows = changes.map((change) => {
    const what: string[] = [];
    if (change.action === "create") what.push(`sales channels: ${channels(change.after)}`);
    if (isRename(change)) what.push(`renamed from ${code(change.before.name)} to ${code(change.after.name)}, in place`);
    if (change.action === "update" && change.changed.includes("sales_channels"))
      what.push(`sales channels: ${channels(change.before)} → ${channels(change.after)}`);
    if (change.action === "delete")
      what.push(`deleted, with its sales channels (${channels(change.before)}) unassigned first`);
    for (const note of change.notes) what.push(`note: ${text(note)}`);
    const id = change.stock_id === null ? "known after apply" : String(change.stock_id);
    return [actionCell(change), code(change.stock), id, what.join("; ")];
  });
  return table(["", "stock", "id", "change"], ["left", "left", "left", "left"], rows);
}

function linkTable(changes: readonly LinkChange[]): string {
  const rows = changes.map((change) => {
    const priority =
      change.action === "update"
        ? `${change.before?.priority} → ${change.after?.priority}`
        : change.action === "create"
          ? `${change.after?.priority}`
          : `${change.before?.priority} → unlinked`;
    return [actionCell(change), code(change.stock), code(change.source), priority];
  });
  return table(["", "stock", "source", "priority"], ["left", "left", "left", "right"], rows);
}

function moveTable(changes: readonly MoveChange[], skuLimit: number): string {
  const skus = (list: readonly string[]) => {
    const shown = list.slice(0, skuLimit).map(code).join(", ");
    return list.length > skuLimit ? `${shown}${shown ? ", " : ""}and ${grouped(list.length - skuLimit)} more` : shown;
  };
  const destinations = (change: MoveChange) => {
    const all = moveDestinations(change);
    const shown = all.slice(0, skuLimit).map((d) => `${code(d.sku)} ${item(d.before)} → ${formatItem(d.after)}`);
    return all.length > skuLimit
      ? [...shown, `and ${grouped(all.length - skuLimit)} more`].join("; ")
      : shown.join("; ");
  };
  const rows = changes.map((change) => [
    code(change.from),
    code(change.to),
    skus(change.skus),
    grouped(change.units),
    change.unassign_from_origin ? "unassigned" : "kept at 0, out of stock",
    destinations(change),
  ]);
  return table(
    ["from", "to", "SKUs", "units", "origin afterwards", "destination afterwards"],
    ["left", "left", "left", "right", "left", "left"],
    rows,
  );
}

function item(state: ItemState | null): string {
  return state ? formatItem(state) : "not assigned";
}

/** With a base: the file's own change, which the units apply on the live quantity. */
function fileChange(change: SourceItemChange): string {
  if (!change.file) return "";
  const below = change.after && change.after.quantity < 0 ? " ⚠️ below 0" : "";
  return ` (file ${grouped(change.file.base)} → ${grouped(change.file.head)})${below}`;
}

function itemTable(changes: readonly SourceItemChange[]): string {
  const rows = changes.map((change) => {
    const rounded = roundQuantity((change.after?.quantity ?? 0) - (change.before?.quantity ?? 0));
    return [
      actionCell(change),
      code(change.sku),
      code(change.source),
      item(change.before),
      item(change.after),
      (rounded > 0 ? `+${grouped(rounded)}` : grouped(rounded)) + fileChange(change),
    ];
  });
  return table(
    ["", "SKU", "source", "before", "after", "units"],
    ["left", "left", "left", "left", "left", "right"],
    rows,
  );
}
