// Which source-item changes go as one bulk assign or unassign (seed 002), where Magento's
// effect is the same as the per-item calls'.
//
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

import type { Change, SourceItemChange } from "../../diff/changes.js";
import { DEFAULT_SOURCE_CODE, type DesiredState } from "../../model.js";
import { compareCodePoints } from "../../sort.js";
import { inFileOrder } from "./file-order.js";

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

export interface ItemEntry {
  readonly change: SourceItemChange;
  readonly index: number;
}

export interface SourceSetGroup {
  readonly sources: readonly string[];
  readonly entries: readonly ItemEntry[];
}

export interface Grouped {
  /** Sets of sources two or more SKUs share: one bulk call (or a few) each. */
  readonly groups: readonly SourceSetGroup[];
  /** Everything else, per item, in the file's order. */
  readonly rest: readonly ItemEntry[];
}

/** A new assignment as bulk assign writes it. */
export function bulkAssignable(change: SourceItemChange, bulk: BulkCandidates | undefined): boolean {
  if (!bulk?.assignmentOnly.has(change.sku)) return false;
  return (
    change.action === "create" &&
    change.after?.quantity === 0 &&
    change.after.status === "out_of_stock" &&
    change.source !== DEFAULT_SOURCE_CODE
  );
}

export function bulkUnassignable(change: SourceItemChange, bulk: BulkCandidates | undefined): boolean {
  if (!bulk?.assignmentOnly.has(change.sku)) return false;
  return change.action === "delete" && (change.source !== DEFAULT_SOURCE_CODE || bulk.inCatalog.has(change.sku));
}

/**
 * SKUs whose eligible changes name the same set of sources, for sets that two or more
 * SKUs share: each is one bulk call over skus x sources, exactly these pairs. The rest
 * stay per item.
 */
export function groupBySourceSet(
  entries: readonly ItemEntry[],
  eligible: (change: SourceItemChange) => boolean,
): Grouped {
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
  // Per-item calls list items in the file's order.
  rest.sort(inFileOrder);
  return { groups, rest };
}

/** A group's SKUs in order, split into calls of BULK_SKUS_PER_CALL, each with the changes it carries out. */
export function bulkParts(group: SourceSetGroup): { skus: string[]; changes: number[] }[] {
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
  const parts: { skus: string[]; changes: number[] }[] = [];
  for (let i = 0; i < skus.length; i += BULK_SKUS_PER_CALL) {
    const part = skus.slice(i, i + BULK_SKUS_PER_CALL);
    parts.push({ skus: part, changes: part.flatMap((sku) => changesOf.get(sku) ?? []) });
  }
  return parts;
}

/**
 * The candidates as the plan document records them: only the SKUs of the plan's own
 * source-item changes, sorted, so applying the saved plan derives the same calls.
 */
export interface RecordedBulkCandidates {
  readonly assignment_only: readonly string[];
  readonly in_catalog: readonly string[];
}

export function recordBulkCandidates(
  changes: readonly Change[],
  bulk: BulkCandidates | undefined,
): RecordedBulkCandidates | undefined {
  if (!bulk) return undefined;
  const skus = new Set<string>();
  for (const change of changes)
    if (change.kind === "source-item" && change.via_move === undefined && bulk.assignmentOnly.has(change.sku))
      skus.add(change.sku);
  if (skus.size === 0) return undefined;
  const sorted = [...skus].sort(compareCodePoints);
  return { assignment_only: sorted, in_catalog: sorted.filter((sku) => bulk.inCatalog.has(sku)) };
}

/** Products whose file manages their assignment only: the list form, or `quantities: ignore`. */
export function assignmentOnlySkus(desired: DesiredState): Set<string> {
  const skus = new Set<string>();
  for (const product of desired.products.values()) {
    if (product.quantities === "ignore" || product.assignments.every((a) => a.quantity === undefined))
      skus.add(product.sku);
  }
  return skus;
}

export function bulkCandidatesOf(recorded: RecordedBulkCandidates | undefined): BulkCandidates | undefined {
  return recorded && { assignmentOnly: new Set(recorded.assignment_only), inCatalog: new Set(recorded.in_catalog) };
}
