// Changes -> ordered, batched REST calls on Magento's real routes and envelopes, by one
// converter per call kind, dispatched from one table (as drizzle-kit's statement
// convertors are). Order: sources, new stocks (without channels), links saved, stocks
// given their channels, moves, source-item saves, then source-item deletes, link deletes
// and stock deletes last, so no product or stock is left without a source mid-apply. For
// SKUs declared by assignment only, new assignments (0, out of stock) and unassignments
// that many SKUs share go as one bulk call (seed 002) where Magento's effect is the same as
// the per-item calls'. The same function derives a saved plan's calls again at apply time.

import {
  isRename,
  type Change,
  type LinkChange,
  type MoveChange,
  type SourceChange,
  type SourceItemChange,
  type StockChange,
} from "../../diff/changes.js";
import { sourceCreatePayload, sourceItemPayload, sourcePayload, stockPayload } from "../../magento/convert.js";
import {
  bulkAssignable,
  bulkParts,
  bulkUnassignable,
  groupBySourceSet,
  type BulkCandidates,
  type Grouped,
  type SourceSetGroup,
} from "./bulk-groups.js";
import { plural } from "../../words.js";
import { inFileOrder } from "./file-order.js";
import { CALL_KINDS, type CallKind, type Draft, type PlannedCall, type StockRef } from "./call.js";

export interface CallOptions {
  /** Items per array call (source items, links): the store's input limit. */
  readonly batchSize: number;
  /** Which SKUs bulk assign and unassign may carry; without it every source-item call is per item. */
  readonly bulk?: BulkCandidates;
}

interface Entry<C extends Change> {
  readonly change: C;
  readonly index: number;
}

/** The plan's changes sorted out once, for every converter to read. */
interface DeriveContext {
  readonly batchSize: number;
  readonly sources: readonly Entry<SourceChange>[];
  readonly stocks: readonly Entry<StockChange>[];
  readonly links: readonly Entry<LinkChange>[];
  readonly moves: readonly Entry<MoveChange>[];
  /** New and updated source items, bulk groups apart. */
  readonly saves: Grouped;
  /** Unassigned source items, bulk groups apart. */
  readonly deletes: Grouped;
}

type Converter<K extends CallKind> = (context: DeriveContext) => Draft<K>[];

/** The one converter of each call kind. */
const CONVERTERS: { readonly [K in CallKind]: Converter<K> } = {
  "source-save": (context) => context.sources.map(sourceSave),
  "stock-create": (context) => context.stocks.filter((e) => e.change.action === "create").map(stockCreate),
  "link-save": (context) =>
    batch(
      context.links.filter((e) => e.change.action !== "delete"),
      context.batchSize,
      linkSave,
    ),
  "stock-update": (context) => context.stocks.flatMap(stockUpdate),
  "bulk-transfer": (context) => context.moves.map(bulkTransfer),
  // Assign skips existing pairs and unassign ignores missing ones: sending either again is harmless.
  "bulk-assign": (context) =>
    context.saves.groups.flatMap((group) =>
      bulkCalls(group, "assign").map((call) => ({
        kind: "bulk-assign" as const,
        path: "V1/inventory/bulk-product-source-assign" as const,
        ...call,
      })),
    ),
  "source-item-save": (context) => batch(context.saves.rest, context.batchSize, sourceItemSave),
  "bulk-unassign": (context) =>
    context.deletes.groups.flatMap((group) =>
      bulkCalls(group, "unassign").map((call) => ({
        kind: "bulk-unassign" as const,
        path: "V1/inventory/bulk-product-source-unassign" as const,
        ...call,
      })),
    ),
  "source-item-delete": (context) => batch(context.deletes.rest, context.batchSize, sourceItemDelete),
  "link-delete": (context) =>
    batch(
      context.links.filter((e) => e.change.action === "delete"),
      context.batchSize,
      linkDelete,
    ),
  "stock-delete": (context) => context.stocks.filter((e) => e.change.action === "delete").flatMap(stockDelete),
};

export function planCalls(changes: readonly Change[], options: CallOptions): PlannedCall[] {
  const context = deriveContext(changes, options);
  const drafts: Draft[] = CALL_KINDS.flatMap((kind): Draft[] => CONVERTERS[kind](context));
  return drafts.map((draft, i) => ({ id: i + 1, ...draft }) as PlannedCall);
}

function deriveContext(changes: readonly Change[], options: CallOptions): DeriveContext {
  const indexed = changes.map((change, index) => ({ change, index }));
  const of = <K extends Change["kind"]>(kind: K) =>
    indexed.filter((e): e is Entry<Extract<Change, { kind: K }>> => e.change.kind === kind);
  const items = of("source-item")
    .filter((e) => e.change.via_move === undefined)
    .sort(inFileOrder);
  return {
    batchSize: options.batchSize,
    sources: of("source"),
    stocks: of("stock"),
    links: of("link").sort(inFileOrder),
    moves: of("move"),
    saves: groupBySourceSet(
      items.filter((e) => e.change.action !== "delete"),
      (change) => bulkAssignable(change, options.bulk),
    ),
    deletes: groupBySourceSet(
      items.filter((e) => e.change.action === "delete"),
      (change) => bulkUnassignable(change, options.bulk),
    ),
  };
}

function batch<C extends Change, D>(
  entries: readonly Entry<C>[],
  size: number,
  make: (entries: readonly Entry<C>[]) => D,
): D[] {
  const result: D[] = [];
  for (let i = 0; i < entries.length; i += size) result.push(make(entries.slice(i, i + size)));
  return result;
}

function stockRef(change: { stock_id: number | null; stock: string }): StockRef {
  return change.stock_id ?? { $stock: change.stock };
}

function sourceSave({ change, index }: Entry<SourceChange>): Draft<"source-save"> {
  const create = change.action === "create";
  return {
    kind: "source-save",
    method: create ? "POST" : "PUT",
    path: create ? "V1/inventory/sources" : `V1/inventory/sources/${encodeURIComponent(change.source)}`,
    // A create sends what the file declares (`changed`, in the file's order); an update the whole record.
    body: create
      ? sourceCreatePayload(change.source, change.after, change.changed)
      : sourcePayload(change.source, change.after, change.cleared),
    description: create
      ? `create source ${change.source}`
      : `update source ${change.source} (${change.changed.join(", ")})`,
    changes: [index],
    repeatable: "transient",
  };
}

/** A new stock is created without channels; it gets them once its sources are linked. */
function stockCreate({ change, index }: Entry<StockChange>): Draft<"stock-create"> {
  return {
    kind: "stock-create",
    method: "POST",
    path: "V1/inventory/stocks",
    body: stockPayload(undefined, change.stock, []),
    description: `create stock "${change.stock}"`,
    changes: [index],
    // Creating twice would make two stocks; apply looks the stock up by name before sending again.
    repeatable: "checked",
    returns_stock_id: change.stock,
  };
}

/** Every stock save carries the whole channel list: Magento replaces it (docs/magento/msi-rest.md#sales-channels). */
function stockUpdate({ change, index }: Entry<StockChange>): Draft<"stock-update">[] {
  const after = change.after;
  if (!after || change.action === "delete") return [];
  if (change.action === "create" && after.sales_channels.length === 0) return [];
  const id = stockRef(change);
  const known = typeof id === "number";
  return [
    {
      kind: "stock-update",
      method: "PUT",
      path: known ? `V1/inventory/stocks/${id}` : "V1/inventory/stocks/:stockId",
      ...(known ? {} : { path_stock: change.stock }),
      body: stockPayload(id, after.name, after.sales_channels),
      description:
        change.action === "create"
          ? `assign sales channels to stock "${change.stock}"`
          : isRename(change)
            ? `rename stock "${change.before.name}" to "${change.after.name}"` +
              (change.changed.includes("sales_channels") ? " and update its sales channels" : "")
            : `update stock "${change.stock}" (${change.changed.join(", ")})`,
      changes: [index],
      repeatable: "transient",
    },
  ];
}

function stockDelete({ change, index }: Entry<StockChange>): Draft<"stock-delete">[] {
  const id = change.stock_id;
  if (id === null) return [];
  const channels = (change.before?.sales_channels.length ?? 0) > 0;
  return [
    {
      kind: "stock-delete",
      method: "DELETE",
      path: `V1/inventory/stocks/${id}`,
      body: undefined,
      description: channels
        ? `delete stock "${change.stock}" (its sales channels unassigned first)`
        : `delete stock "${change.stock}"`,
      changes: [index],
      // Deleting twice answers 404; apply looks the stock up before sending again.
      repeatable: "checked",
      unassign_channels_first: channels ? stockPayload(id, change.before!.name, []) : null,
    },
  ];
}

function linkSave(entries: readonly Entry<LinkChange>[]): Draft<"link-save"> {
  return {
    kind: "link-save",
    method: "POST",
    path: "V1/inventory/stock-source-links",
    body: {
      links: entries.map(({ change }) => ({
        source_code: change.source,
        stock_id: stockRef(change),
        priority: change.after?.priority ?? 1,
      })),
    },
    description: `link ${plural(entries.length, "source")} to stocks`,
    changes: entries.map((e) => e.index),
    repeatable: "transient",
    array: { key: "links", items: entries.length },
  };
}

function linkDelete(entries: readonly Entry<LinkChange>[]): Draft<"link-delete"> {
  return {
    kind: "link-delete",
    method: "POST",
    path: "V1/inventory/stock-source-links-delete",
    body: { links: entries.map(({ change }) => ({ source_code: change.source, stock_id: stockRef(change) })) },
    description: `unlink ${plural(entries.length, "source")} from stocks`,
    changes: entries.map((e) => e.index),
    repeatable: "transient",
    array: { key: "links", items: entries.length },
  };
}

function sourceItemSave(entries: readonly Entry<SourceItemChange>[]): Draft<"source-item-save"> {
  return {
    kind: "source-item-save",
    method: "POST",
    path: "V1/inventory/source-items",
    body: {
      sourceItems: entries.map(({ change }) => {
        const after = change.after!;
        return sourceItemPayload(change.sku, change.source, after.quantity, after.status);
      }),
    },
    description: `save ${plural(entries.length, "source item")}`,
    changes: entries.map((e) => e.index),
    repeatable: "source-item-save",
    array: { key: "sourceItems", items: entries.length },
  };
}

function sourceItemDelete(entries: readonly Entry<SourceItemChange>[]): Draft<"source-item-delete"> {
  return {
    kind: "source-item-delete",
    method: "POST",
    path: "V1/inventory/source-items-delete",
    body: { sourceItems: entries.map(({ change }) => ({ sku: change.sku, source_code: change.source })) },
    description: `unassign ${plural(entries.length, "source item")}`,
    changes: entries.map((e) => e.index),
    repeatable: "transient",
    array: { key: "sourceItems", items: entries.length },
  };
}

/** Seed 002's payload. A transfer adds quantities, so it is sent again only once the store shows it did not happen. */
function bulkTransfer({ change, index }: Entry<MoveChange>): Draft<"bulk-transfer"> {
  return {
    kind: "bulk-transfer",
    method: "POST",
    path: "V1/inventory/bulk-product-source-transfer",
    body: {
      skus: change.skus,
      originSource: change.from,
      destinationSource: change.to,
      unassignFromOrigin: change.unassign_from_origin,
    },
    description: `transfer ${plural(change.skus.length, "SKU")} from ${change.from} to ${change.to}`,
    changes: [index],
    repeatable: "checked",
  };
}

/** Seed 002's mass actions, `{ skus, sourceCodes }`, in parts of at most BULK_SKUS_PER_CALL SKUs. */
function bulkCalls(group: SourceSetGroup, verb: "assign" | "unassign") {
  return bulkParts(group).map((part) => ({
    method: "POST" as const,
    body: { skus: part.skus, sourceCodes: group.sources },
    description: `${verb} ${plural(part.skus.length, "SKU")} ${verb === "assign" ? "to" : "from"} ${group.sources.join(", ")} (bulk)`,
    changes: part.changes,
    repeatable: "transient" as const,
  }));
}
