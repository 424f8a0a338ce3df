// Changes -> ordered, batched REST calls on Magento's real routes and envelopes.
// Order: sources, new stocks (without channels), links saved, stocks given their
// channels, moves, source-item saves, then source-item deletes, link deletes and stock
// deletes last, so no product or stock is left without a source mid-apply.

import type { Change, LinkChange, MoveChange, SourceChange, SourceItemChange, StockChange } from "../diff/changes.js";
import { sourceItemPayload, sourcePayload, stockPayload, type StockIdRef } from "../magento/convert.js";
import type { Repeatable } from "../magento/retry.js";
import { compareCodePoints } from "../sort.js";

export interface PlannedCall {
  /** 1-based position in the plan. */
  readonly id: number;
  readonly method: "POST" | "PUT" | "DELETE";
  /** The route; `:stockId` stands for the id of `path_stock`, known after apply. */
  readonly path: string;
  readonly path_stock?: string;
  /** The request body; `{ "$stock": name }` stands for a stock id known after apply. */
  readonly body: unknown;
  readonly description: string;
  /** Positions (0-based) of the changes this call carries out, in plan.changes. */
  readonly changes: readonly number[];
  readonly repeatable: Repeatable;
  /** The stock whose new id this call returns. */
  readonly returns_stock_id?: string;
  /** Array calls can be split again at apply time if the store's input limit is lower. */
  readonly array?: { readonly key: "sourceItems" | "links"; readonly items: number };
}

export interface CallOptions {
  /** Items per array call (source items, links): the store's input limit. */
  readonly batchSize: number;
}

type Draft = Omit<PlannedCall, "id">;

export function planCalls(changes: readonly Change[], options: CallOptions): PlannedCall[] {
  const indexed = changes.map((change, index) => ({ change, index }));
  const of = <K extends Change["kind"]>(kind: K) =>
    indexed.filter((e): e is { change: Extract<Change, { kind: K }>; index: number } => e.change.kind === kind);

  const sources = of("source");
  const stocks = of("stock");
  const links = of("link");
  const moves = of("move");
  const items = of("source-item").filter((e) => e.change.via_move === undefined);

  const drafts: Draft[] = [
    ...sources.map(({ change, index }) => sourceCall(change, index)),
    ...stocks.filter((e) => e.change.action === "create").map(({ change, index }) => createStockCall(change, index)),
    ...batch(links.filter((e) => e.change.action !== "delete"), options.batchSize, linkSaveCall),
    ...stocks.flatMap(({ change, index }) => channelCall(change, index)),
    ...moves.map(({ change, index }) => moveCall(change, index)),
    ...batch(items.filter((e) => e.change.action !== "delete"), options.batchSize, itemSaveCall),
    ...batch(items.filter((e) => e.change.action === "delete"), options.batchSize, itemDeleteCall),
    ...batch(links.filter((e) => e.change.action === "delete"), options.batchSize, linkDeleteCall),
    ...stocks.filter((e) => e.change.action === "delete").flatMap(({ change, index }) => deleteStockCalls(change, index)),
  ];
  return drafts.map((draft, i) => ({ id: i + 1, ...draft }));
}

function batch<C extends Change>(entries: readonly { change: C; index: number }[], size: number, make: (entries: readonly { change: C; index: number }[]) => Draft): Draft[] {
  const result: Draft[] = [];
  for (let i = 0; i < entries.length; i += size) result.push(make(entries.slice(i, i + size)));
  return result;
}

function stockId(change: { stock_id: number | null; stock: string }): number | StockIdRef {
  return change.stock_id ?? { $stock: change.stock };
}

function sourceCall(change: SourceChange, index: number): Draft {
  if (change.action === "create") {
    return {
      method: "POST",
      path: "V1/inventory/sources",
      body: sourcePayload(change.source, change.after, []),
      description: `create source ${change.source}`,
      changes: [index],
      repeatable: "transient",
    };
  }
  return {
    method: "PUT",
    path: `V1/inventory/sources/${encodeURIComponent(change.source)}`,
    body: sourcePayload(change.source, change.after, change.cleared),
    description: `update source ${change.source} (${change.changed.join(", ")})`,
    changes: [index],
    repeatable: "transient",
  };
}

/** A new stock is created without channels; it gets them once its sources are linked. */
function createStockCall(change: StockChange, index: number): Draft {
  return {
    method: "POST",
    path: "V1/inventory/stocks",
    body: stockPayload(undefined, change.stock, []),
    description: `create stock "${change.stock}"`,
    changes: [index],
    // Creating twice would make two stocks; apply looks the stock up by name before retrying.
    repeatable: "never",
    returns_stock_id: change.stock,
  };
}

/** Every stock save carries the whole channel list: Magento replaces it (msi-api.md §5.4). */
function channelCall(change: StockChange, index: number): Draft[] {
  const after = change.after;
  if (!after || change.action === "delete") return [];
  if (change.action === "create" && after.sales_channels.length === 0) return [];
  const id = stockId(change);
  const known = typeof id === "number";
  return [
    {
      method: "PUT",
      path: known ? `V1/inventory/stocks/${id}` : "V1/inventory/stocks/:stockId",
      ...(known ? {} : { path_stock: change.stock }),
      body: stockPayload(id, after.name, after.sales_channels),
      description:
        change.action === "create"
          ? `assign sales channels to stock "${change.stock}"`
          : `update stock "${change.stock}" (${change.changed.join(", ")})`,
      changes: [index],
      repeatable: "transient",
    },
  ];
}

function deleteStockCalls(change: StockChange, index: number): Draft[] {
  const id = change.stock_id;
  if (id === null) return [];
  const before = change.before;
  // Magento refuses to delete a stock that has sales channels (PreventDeletingAssignedToSalesChannelsStockPlugin).
  const unassign: Draft[] =
    before && before.sales_channels.length > 0
      ? [{ method: "PUT", path: `V1/inventory/stocks/${id}`, body: stockPayload(id, before.name, []), description: `unassign sales channels of stock "${change.stock}" before deleting it`, changes: [index], repeatable: "transient" }]
      : [];
  return [...unassign, { method: "DELETE", path: `V1/inventory/stocks/${id}`, body: undefined, description: `delete stock "${change.stock}"`, changes: [index], repeatable: "transient" }];
}

function linkSaveCall(entries: readonly { change: LinkChange; index: number }[]): Draft {
  const sorted = [...entries].sort((a, b) => compareCodePoints(a.change.stock, b.change.stock) || (a.change.after?.priority ?? 0) - (b.change.after?.priority ?? 0));
  return {
    method: "POST",
    path: "V1/inventory/stock-source-links",
    body: { links: sorted.map(({ change }) => ({ source_code: change.source, stock_id: stockId(change), priority: change.after?.priority ?? 1 })) },
    description: `link ${count(entries.length, "source")} to stocks`,
    changes: sorted.map((e) => e.index),
    repeatable: "transient",
    array: { key: "links", items: entries.length },
  };
}

function linkDeleteCall(entries: readonly { change: LinkChange; index: number }[]): Draft {
  return {
    method: "POST",
    path: "V1/inventory/stock-source-links-delete",
    body: { links: entries.map(({ change }) => ({ source_code: change.source, stock_id: stockId(change) })) },
    description: `unlink ${count(entries.length, "source")} from stocks`,
    changes: entries.map((e) => e.index),
    repeatable: "transient",
    array: { key: "links", items: entries.length },
  };
}

function itemSaveCall(entries: readonly { change: SourceItemChange; index: number }[]): Draft {
  return {
    method: "POST",
    path: "V1/inventory/source-items",
    body: {
      sourceItems: entries.map(({ change }) => {
        const after = change.after!;
        return sourceItemPayload(change.sku, change.source, after.quantity, after.status);
      }),
    },
    description: `save ${count(entries.length, "source item")}`,
    changes: entries.map((e) => e.index),
    repeatable: "source-item-save",
    array: { key: "sourceItems", items: entries.length },
  };
}

function itemDeleteCall(entries: readonly { change: SourceItemChange; index: number }[]): Draft {
  return {
    method: "POST",
    path: "V1/inventory/source-items-delete",
    body: { sourceItems: entries.map(({ change }) => ({ sku: change.sku, source_code: change.source })) },
    description: `unassign ${count(entries.length, "source item")}`,
    changes: entries.map((e) => e.index),
    repeatable: "transient",
    array: { key: "sourceItems", items: entries.length },
  };
}

/** Seed 002's payload. A transfer adds quantities, so it is never sent twice blindly. */
function moveCall(change: MoveChange, index: number): Draft {
  return {
    method: "POST",
    path: "V1/inventory/bulk-product-source-transfer",
    body: { skus: change.skus, originSource: change.from, destinationSource: change.to, unassignFromOrigin: change.unassign_from_origin },
    description: `transfer ${count(change.skus.length, "SKU")} from ${change.from} to ${change.to}`,
    changes: [index],
    repeatable: "never",
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
