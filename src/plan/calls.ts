// Changes -> ordered, batched REST calls on Magento's real routes and envelopes.
// Order: sources, new stocks (without channels), links saved, stocks given their
// channels, moves, source-item saves, then source-item deletes, link deletes and stock
// deletes last, so no product or stock is left without a source mid-apply. For SKUs
// declared by assignment only, new assignments (0, out of stock) and unassignments that
// many SKUs share go as one bulk call (seed 002) where Magento's effect is the same as
// the per-item calls'.

import type { Change, LinkChange, MoveChange, SourceChange, SourceItemChange, StockChange } from "../diff/changes.js";
import { sourceItemPayload, sourcePayload, stockPayload, type StockIdRef } from "../magento/convert.js";
import type { Repeatable } from "../magento/retry.js";
import { DEFAULT_SOURCE_CODE } from "../model.js";
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
  /** Which SKUs bulk assign and unassign may carry; without it every source-item call is per item. */
  readonly bulk?: BulkCandidates;
}

export interface BulkCandidates {
  /**
   * SKUs the file declares by assignment only (the list form, or `quantities: ignore`), as
   * seed 002's mass actions do; files that manage quantities keep seed 000's per-item calls.
   */
  readonly assignmentOnly: ReadonlySet<string>;
  /**
   * SKUs the catalog holds as stock-holding products, spelled as stored. A bulk unassign
   * from `default` looks every SKU up in the catalog and fails on an unknown one, so only
   * these go into one.
   */
  readonly inCatalog: ReadonlySet<string>;
}

/**
 * SKUs per bulk call. Magento's input limits count arrays of data objects, not `skus`
 * (docs/magento/webapi-platform.md#array-limit), so this only keeps each request and its SQL `IN` modest.
 */
export const BULK_SKUS_PER_CALL = 500;

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
  const assigns = groupBySourceSet(
    items.filter((e) => e.change.action !== "delete"),
    (change) => bulkAssignable(change, options.bulk),
  );
  const unassigns = groupBySourceSet(
    items.filter((e) => e.change.action === "delete"),
    (change) => bulkUnassignable(change, options.bulk),
  );

  const drafts: Draft[] = [
    ...sources.map(({ change, index }) => sourceCall(change, index)),
    ...stocks.filter((e) => e.change.action === "create").map(({ change, index }) => createStockCall(change, index)),
    ...batch(
      links.filter((e) => e.change.action !== "delete"),
      options.batchSize,
      linkSaveCall,
    ),
    ...stocks.flatMap(({ change, index }) => channelCall(change, index)),
    ...moves.map(({ change, index }) => moveCall(change, index)),
    ...assigns.groups.flatMap((group) => bulkCalls(group, "assign")),
    ...batch(assigns.rest, options.batchSize, itemSaveCall),
    ...unassigns.groups.flatMap((group) => bulkCalls(group, "unassign")),
    ...batch(unassigns.rest, options.batchSize, itemDeleteCall),
    ...batch(
      links.filter((e) => e.change.action === "delete"),
      options.batchSize,
      linkDeleteCall,
    ),
    ...stocks
      .filter((e) => e.change.action === "delete")
      .flatMap(({ change, index }) => deleteStockCalls(change, index)),
  ];
  return drafts.map((draft, i) => ({ id: i + 1, ...draft }));
}

function batch<C extends Change>(
  entries: readonly { change: C; index: number }[],
  size: number,
  make: (entries: readonly { change: C; index: number }[]) => Draft,
): Draft[] {
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
    // Creating twice would make two stocks; apply looks the stock up by name before sending again.
    repeatable: "checked",
    returns_stock_id: change.stock,
  };
}

/** Every stock save carries the whole channel list: Magento replaces it (docs/magento/msi-rest.md#sales-channels). */
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
      ? [
          {
            method: "PUT",
            path: `V1/inventory/stocks/${id}`,
            body: stockPayload(id, before.name, []),
            description: `unassign sales channels of stock "${change.stock}" before deleting it`,
            changes: [index],
            repeatable: "transient",
          },
        ]
      : [];
  return [
    ...unassign,
    {
      method: "DELETE",
      path: `V1/inventory/stocks/${id}`,
      body: undefined,
      description: `delete stock "${change.stock}"`,
      changes: [index],
      repeatable: "checked",
    },
  ];
}

function linkSaveCall(entries: readonly { change: LinkChange; index: number }[]): Draft {
  const sorted = [...entries].sort(
    (a, b) =>
      compareCodePoints(a.change.stock, b.change.stock) ||
      (a.change.after?.priority ?? 0) - (b.change.after?.priority ?? 0),
  );
  return {
    method: "POST",
    path: "V1/inventory/stock-source-links",
    body: {
      links: sorted.map(({ change }) => ({
        source_code: change.source,
        stock_id: stockId(change),
        priority: change.after?.priority ?? 1,
      })),
    },
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

/** Seed 002's payload. A transfer adds quantities, so it is sent again only once the store shows it did not happen. */
function moveCall(change: MoveChange, index: number): Draft {
  return {
    method: "POST",
    path: "V1/inventory/bulk-product-source-transfer",
    body: {
      skus: change.skus,
      originSource: change.from,
      destinationSource: change.to,
      unassignFromOrigin: change.unassign_from_origin,
    },
    description: `transfer ${count(change.skus.length, "SKU")} from ${change.from} to ${change.to}`,
    changes: [index],
    repeatable: "checked",
  };
}

// --- bulk assign and unassign ------------------------------------------------------------
// What was checked in Magento (magento/inventory:InventoryCatalog/Model/{BulkSourceAssign,BulkSourceUnassign}.php,
// magento/inventory:InventoryCatalog/Model/ResourceModel/{BulkSourceAssign,BulkSourceUnassign,
// BulkZeroLegacyStockItem}.php, magento/inventory:InventoryLowQuantityNotification/Plugin/InventoryCatalogApi/
// BulkSource{Assign,Unassign}InterfacePlugin.php):
// - assign inserts (sku, source, 0, out of stock) per pair, skipping existing pairs and SKUs that
//   are unknown or cannot hold stock (inv refuses those before planning), adds a NULL notify-qty
//   row (read back as the default, like no row), and reindexes the sources. It never writes the
//   legacy stock item, which a per-item save to `default` does: `default` stays per item. It also
//   skips the per-item validators; the only one that can refuse a 0/out-of-stock row is the
//   "Ship Together" bundle check (InventoryBundleProduct ShipmentTypeValidator), which inv cannot see.
// - unassign deletes every (sku, source) pair and those pairs' notify-qty rows, as the per-item
//   delete and its plugins do; with `default` among the sources it zeroes the legacy stock items
//   like SetToZeroLegacyCatalogInventoryAtSourceItemsDeletePlugin, but resolves product ids with
//   the throwing GetProductIdsBySkus inside its transaction, so only SKUs the catalog holds as
//   stock-holding products (the per-item plugin's own condition) go into it.
// Both routes need the ACL resource Magento_Catalog::products, not an inventory one.

type ItemEntry = { change: SourceItemChange; index: number };

interface SourceSetGroup {
  readonly sources: readonly string[];
  readonly entries: readonly ItemEntry[];
}

/** A new assignment as bulk assign writes it. */
function bulkAssignable(change: SourceItemChange, bulk: BulkCandidates | undefined): boolean {
  if (!bulk?.assignmentOnly.has(change.sku)) return false;
  return (
    change.action === "create" &&
    change.after?.quantity === 0 &&
    change.after.status === "out_of_stock" &&
    change.source !== DEFAULT_SOURCE_CODE
  );
}

function bulkUnassignable(change: SourceItemChange, bulk: BulkCandidates | undefined): boolean {
  if (!bulk?.assignmentOnly.has(change.sku)) return false;
  return change.action === "delete" && (change.source !== DEFAULT_SOURCE_CODE || bulk.inCatalog.has(change.sku));
}

/**
 * SKUs whose eligible changes name the same set of sources, for sets that two or more
 * SKUs share: each is one bulk call over skus x sources, exactly these pairs. The rest
 * stay per item.
 */
function groupBySourceSet(
  entries: readonly ItemEntry[],
  eligible: (change: SourceItemChange) => boolean,
): { groups: SourceSetGroup[]; rest: ItemEntry[] } {
  const bySku = new Map<string, ItemEntry[]>();
  const rest: ItemEntry[] = [];
  for (const entry of entries) {
    if (!eligible(entry.change)) {
      rest.push(entry);
      continue;
    }
    const list = bySku.get(entry.change.sku);
    if (list) list.push(entry);
    else bySku.set(entry.change.sku, [entry]);
  }
  const bySet = new Map<string, { sources: string[]; entries: ItemEntry[]; skus: number }>();
  for (const list of bySku.values()) {
    const sources = list.map((e) => e.change.source).sort(compareCodePoints);
    const key = sources.join("\u0000");
    const group = bySet.get(key);
    if (group) {
      group.entries.push(...list);
      group.skus++;
    } else bySet.set(key, { sources, entries: [...list], skus: 1 });
  }
  const groups: SourceSetGroup[] = [];
  for (const [, group] of [...bySet].sort(([a], [b]) => compareCodePoints(a, b))) {
    if (group.skus >= 2) groups.push({ sources: group.sources, entries: group.entries });
    else rest.push(...group.entries);
  }
  // Per-item calls keep the changes' own order.
  rest.sort((a, b) => a.index - b.index);
  return { groups, rest };
}

/** Seed 002's bulk payloads: `{ skus, sourceCodes }`. */
function bulkCalls(group: SourceSetGroup, verb: "assign" | "unassign"): Draft[] {
  const skus: string[] = [];
  const changesOf = new Map<string, number[]>();
  for (const { change, index } of group.entries) {
    const list = changesOf.get(change.sku);
    if (list) list.push(index);
    else {
      skus.push(change.sku);
      changesOf.set(change.sku, [index]);
    }
  }
  const drafts: Draft[] = [];
  for (let i = 0; i < skus.length; i += BULK_SKUS_PER_CALL) {
    const part = skus.slice(i, i + BULK_SKUS_PER_CALL);
    drafts.push({
      method: "POST",
      path: `V1/inventory/bulk-product-source-${verb}`,
      body: { skus: part, sourceCodes: group.sources },
      description:
        `${verb} ${count(part.length, "SKU")} ${verb === "assign" ? "to" : "from"} ` +
        `${group.sources.join(", ")} (bulk)`,
      changes: part.flatMap((sku) => changesOf.get(sku) ?? []),
      // Assign skips existing pairs and unassign ignores missing ones: sending either again is harmless.
      repeatable: "transient",
    });
  }
  return drafts;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
