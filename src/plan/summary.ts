// The numbers a reviewer reads first: changes per kind and action, destructive changes,
// units added and removed per source and per stock, SKUs that go out of stock or lose
// their last source.

import {
  CHANGE_KINDS,
  isDestructive,
  totalUnitsRemoved,
  type Action,
  type Change,
  type ChangeKind,
} from "../diff/changes.js";
import type { DiffResult } from "../diff/diff.js";
import type { TopologyStock } from "../diff/topology.js";
import { roundQuantity } from "../magento/equivalence.js";
import type { LiveSourceItem, LiveState } from "../model.js";
import { compareCodePoints } from "../sort.js";

export interface UnitsRow {
  readonly name: string;
  readonly added: number;
  readonly removed: number;
}

export interface PlanSummary {
  readonly changes: Readonly<Record<ChangeKind, Readonly<Record<Action, number>>>>;
  readonly total: number;
  readonly destructive: number;
  /** Units that leave the store: unassigned, or lowered (those a transfer brought too). A transfer removes none. */
  readonly units_removed: number;
  readonly calls: number;
  readonly units_by_source: readonly UnitsRow[];
  readonly units_by_stock: readonly UnitsRow[];
  readonly skus_out_of_stock: readonly string[];
  readonly skus_without_source: readonly string[];
  readonly unchanged_source_items: number;
  /** What the file declares, all of it compared with the store. */
  readonly checked: { readonly sources: number; readonly stocks: number; readonly products: number };
}

export function summarize(
  changes: readonly Change[],
  diff: DiffResult,
  live: LiveState,
  calls: number,
  checked: PlanSummary["checked"],
): PlanSummary {
  const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, { create: 0, update: 0, delete: 0 }])) as Record<
    ChangeKind,
    Record<Action, number>
  >;
  for (const change of changes)
    if (change.kind !== "source-item" || change.via_move === undefined) counts[change.kind][change.action]++;
  const total = CHANGE_KINDS.reduce((sum, k) => sum + counts[k].create + counts[k].update + counts[k].delete, 0);

  const outOfStock: string[] = [];
  const withoutSource: string[] = [];
  const bySource = new Units();
  for (const [sku, { before, after }] of diff.affectedSkus) {
    if (salable(before) > 0 && salable(after) === 0) outOfStock.push(sku);
    if (before.length > 0 && after.length === 0) withoutSource.push(sku);
    const afterBySource = new Map(after.map((i) => [i.source, i.quantity]));
    for (const item of before) bySource.add(item.source, (afterBySource.get(item.source) ?? 0) - item.quantity);
    const beforeSources = new Set(before.map((i) => i.source));
    for (const item of after) if (!beforeSources.has(item.source)) bySource.add(item.source, item.quantity);
  }

  return {
    changes: counts,
    total,
    destructive: changes.filter(isDestructive).length,
    units_removed: totalUnitsRemoved(changes),
    calls,
    units_by_source: bySource.rows(),
    units_by_stock: unitsByStock(diff, live),
    skus_out_of_stock: outOfStock.sort(compareCodePoints),
    skus_without_source: withoutSource.sort(compareCodePoints),
    unchanged_source_items: diff.unchangedItems,
    checked,
  };
}

/** Units of in-stock source items: what the stock index can sell. */
function salable(items: readonly LiveSourceItem[]): number {
  return items.reduce((sum, i) => sum + (i.status === "in_stock" && i.quantity > 0 ? i.quantity : 0), 0);
}

/**
 * A stock's units are its linked sources' quantities over the SKUs inv read, with the links
 * of the diff's topology before and after apply. A stock whose links change has every read
 * SKU's units move in or out; otherwise only the changed SKUs' units move. Rows name stocks
 * as the store does.
 */
function unitsByStock(diff: DiffResult, live: LiveState): UnitsRow[] {
  const { before, after } = diff.topology;
  // The same stock before and after: by id, or by name for one the plan creates.
  const identity = (stock: TopologyStock) => (stock.id !== null ? `#${stock.id}` : `new ${stock.name}`);
  const afterOf = new Map(after.stocks.map((s) => [identity(s), s]));
  const pairs: { name: string; before: TopologyStock | undefined; after: TopologyStock | undefined }[] =
    before.stocks.map((s) => ({ name: s.name, before: s, after: afterOf.get(identity(s)) }));
  const existing = new Set(before.stocks.map(identity));
  for (const stock of after.stocks)
    if (!existing.has(identity(stock))) pairs.push({ name: stock.name, before: undefined, after: stock });

  const units = new Units();
  const total = (items: readonly LiveSourceItem[], sources: ReadonlySet<string> | undefined) =>
    sources ? items.reduce((sum, i) => sum + (sources.has(i.source) ? i.quantity : 0), 0) : 0;
  for (const pair of pairs) {
    const sourcesBefore = linkedSources(pair.before);
    const sourcesAfter = linkedSources(pair.after);
    if (!sameLinks(pair.before, pair.after)) {
      for (const [sku, items] of live.sourceItems) {
        const afterItems = diff.affectedSkus.get(sku)?.after ?? items;
        units.add(pair.name, total(afterItems, sourcesAfter) - total(items, sourcesBefore));
      }
    } else {
      for (const { before: itemsBefore, after: itemsAfter } of diff.affectedSkus.values()) {
        units.add(pair.name, total(itemsAfter, sourcesAfter) - total(itemsBefore, sourcesBefore));
      }
    }
  }
  return units.rows();
}

function linkedSources(stock: TopologyStock | undefined): ReadonlySet<string> | undefined {
  return stock ? new Set(stock.links.map((l) => l.source)) : undefined;
}

/** Topology links are sorted, so equal link sets are equal lists. */
function sameLinks(a: TopologyStock | undefined, b: TopologyStock | undefined): boolean {
  const x = a?.links ?? [];
  const y = b?.links ?? [];
  return x.length === y.length && x.every((l, i) => l.source === y[i]!.source && l.priority === y[i]!.priority);
}

class Units {
  private readonly totals = new Map<string, { added: number; removed: number }>();

  add(name: string, delta: number): void {
    if (delta === 0) return;
    let row = this.totals.get(name);
    if (!row) this.totals.set(name, (row = { added: 0, removed: 0 }));
    if (delta > 0) row.added += delta;
    else row.removed -= delta;
  }

  rows(): UnitsRow[] {
    return [...this.totals.entries()]
      .map(([name, row]) => ({ name, added: roundQuantity(row.added), removed: roundQuantity(row.removed) }))
      .sort((a, b) => compareCodePoints(a.name, b.name));
  }
}
