// SourceItemRepository::getList over a million rows: SKU filters (`eq`/`in`) are answered from
// the SKU index, unfiltered sorted reads from a cached order, so a page costs O(page) or
// O(matched rows). Semantics are those of the generic engine (same predicate and comparator).

import { collationKey } from "../collation.js";
import type { Filter, SearchCriteria } from "../search/criteria.js";
import {
  compileComparator,
  compilePredicate,
  pageRange,
  type LastPageBehavior,
  type SearchPage,
} from "../search/engine.js";
import { byId, SOURCE_ITEM_COLUMNS, type SourceItemRow, type SourceItemTable } from "../store/source-item-table.js";

/** SKU keys a filter group restricts to, when every filter in it is `sku eq|in value`. */
function skuKeysOfGroup(group: readonly Filter[]): Set<string> | null {
  if (group.length === 0) return null;
  const keys = new Set<string>();
  for (const f of group) {
    const type = (f.conditionType ?? "eq").toLowerCase();
    if (f.field?.toLowerCase() !== "sku" || f.value === null || (type !== "eq" && type !== "in")) return null;
    const parts = type === "in" ? f.value.split(",") : [f.value];
    for (const p of parts) keys.add(collationKey(p));
  }
  return keys;
}

function candidateRows(table: SourceItemTable, criteria: SearchCriteria): SourceItemRow[] | null {
  let best: Set<string> | null = null;
  for (const g of criteria.filterGroups) {
    const keys = skuKeysOfGroup(g);
    if (keys !== null && (best === null || keys.size < best.size)) best = keys;
  }
  if (best === null) return null;
  const out: SourceItemRow[] = [];
  for (const k of best) for (const r of table.forSkuKey(k)) out.push(r);
  return out;
}

export function searchSourceItems(
  table: SourceItemTable,
  criteria: SearchCriteria,
  behavior: LastPageBehavior,
): SearchPage<SourceItemRow> {
  const columns = SOURCE_ITEM_COLUMNS;
  const lowered: SearchCriteria = {
    ...criteria,
    // Column names are case-insensitive in MySQL.
    filterGroups: criteria.filterGroups.map((g) => g.map((f) => ({ ...f, field: f.field?.toLowerCase() ?? null }))),
    sortOrders: criteria.sortOrders?.map((s) => ({ ...s, field: s.field?.toLowerCase() ?? null })) ?? null,
  };
  const predicate = compilePredicate(columns, lowered);
  const comparator = compileComparator(columns, lowered, byId);
  let matched: readonly SourceItemRow[];
  if (predicate === null) {
    if (comparator === null) matched = table.all();
    else {
      const first = lowered.sortOrders?.[0];
      const skuFirst = first?.field === "sku" ? (first.direction === "ASC" ? "ASC" : "DESC") : null;
      const spec = JSON.stringify(lowered.sortOrders);
      matched = table.sorted(spec, comparator, skuFirst);
    }
  } else {
    const candidates = candidateRows(table, lowered);
    const rows = (candidates ?? table.all()).filter(predicate);
    rows.sort(comparator ?? byId);
    matched = rows;
  }
  const [start, end] = pageRange(matched.length, criteria, behavior);
  return { items: matched.slice(start, end), total: matched.length };
}
