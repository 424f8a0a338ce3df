// Filter groups (OR inside, AND across), sort orders and paging over in-memory rows.
// Magento: magento/magento2:lib/internal/Magento/Framework/Api/SearchCriteria/CollectionProcessor/{FilterProcessor,
// SortingProcessor}.php, magento/magento2:lib/internal/Magento/Framework/Data/Collection/AbstractDb.php (_renderLimit:
// pageSize 0/absent → no LIMIT);
// docs/magento/webapi-platform.md#searchcriteria.

import { collationKey, compareKeys } from "../collation.js";
import { maskedInternalError } from "../errors.js";
import type { Column, Columns } from "./columns.js";
import { compileFilter, type Predicate } from "./conditions.js";
import type { SearchCriteria } from "./criteria.js";

export type LastPageBehavior = "empty" | "repeat-last";
export type Comparator<Row> = (a: Row, b: Row) => number;

function column<Row>(columns: Columns<Row>, field: string | null): Column<Row> {
  // Column names are case-insensitive in MySQL; an unknown column is an SQL error → masked 500
  // in production (issues #31551, #32784).
  const name = field?.toLowerCase() ?? null;
  const col = name === null ? undefined : Object.hasOwn(columns, name) ? columns[name] : undefined;
  if (col === undefined) throw maskedInternalError();
  return col;
}

/** AND of the groups, each an OR of its filters; null when there is nothing to filter. */
export function compilePredicate<Row>(columns: Columns<Row>, criteria: SearchCriteria): Predicate<Row> | null {
  const groups: Predicate<Row>[] = [];
  for (const group of criteria.filterGroups) {
    if (group.length === 0) continue;
    const ors = group.map((f) => compileFilter(column(columns, f.field), f));
    const [only] = ors;
    groups.push(ors.length === 1 && only !== undefined ? only : (row) => ors.some((p) => p(row)));
  }
  if (groups.length === 0) return null;
  const [only] = groups;
  return groups.length === 1 && only !== undefined ? only : (row) => groups.every((p) => p(row));
}

function compareColumn<Row>(col: Column<Row>): Comparator<Row> {
  if (col.kind === "string") {
    const keyOf =
      col.key ??
      ((row: Row): string => {
        const v = col.get(row);
        return v === null ? "" : collationKey(String(v));
      });
    return (a, b) => {
      const va = col.get(a);
      const vb = col.get(b);
      // MySQL sorts NULL first in ascending order.
      if (va === null || vb === null) return va === vb ? 0 : va === null ? -1 : 1;
      return compareKeys(keyOf(a), keyOf(b));
    };
  }
  return (a, b) => {
    const va = col.get(a);
    const vb = col.get(b);
    if (va === null || vb === null) return va === vb ? 0 : va === null ? -1 : 1;
    return Number(va) - Number(vb);
  };
}

/**
 * ORDER BY the sort orders; a missing direction sorts DESC (SortingProcessor treats anything
 * but ASC as DESC). Ties keep primary-key order (what InnoDB returns; inferred).
 */
export function compileComparator<Row>(
  columns: Columns<Row>,
  criteria: SearchCriteria,
  tiebreak: Comparator<Row>,
): Comparator<Row> | null {
  if (criteria.sortOrders === null || criteria.sortOrders.length === 0) return null;
  const parts = criteria.sortOrders.map((s) => {
    const cmp = compareColumn(column(columns, s.field));
    return s.direction === "ASC" ? cmp : (a: Row, b: Row) => -cmp(a, b);
  });
  return (a, b) => {
    for (const p of parts) {
      const c = p(a, b);
      if (c !== 0) return c;
    }
    return tiebreak(a, b);
  };
}

/** Start/end of the requested page over `total` rows. */
export function pageRange(total: number, criteria: SearchCriteria, behavior: LastPageBehavior): [number, number] {
  const size = criteria.pageSize;
  if (size === null || size <= 0) return [0, total];
  // currentPage ≤ 0 or absent → page 1 (the collection clamps below 1).
  const page = criteria.currentPage === null || criteria.currentPage < 1 ? 1 : criteria.currentPage;
  let start = (page - 1) * size;
  if (start >= total && behavior === "repeat-last" && total > 0) {
    // ≤2.3: Collection::getCurPage() clamps to the last page (docs/magento/webapi-platform.md#pages-past-the-end).
    start = (Math.ceil(total / size) - 1) * size;
  }
  if (start >= total) return [total, total];
  return [start, Math.min(total, start + size)];
}

export interface SearchPage<Row> {
  readonly items: readonly Row[];
  readonly total: number;
}

/** The whole search over a small table (sources, stocks, links, products). */
export function searchRows<Row>(
  rows: readonly Row[],
  columns: Columns<Row>,
  criteria: SearchCriteria,
  behavior: LastPageBehavior,
  tiebreak: Comparator<Row>,
): SearchPage<Row> {
  const predicate = compilePredicate(columns, criteria);
  const comparator = compileComparator(columns, criteria, tiebreak);
  const matched = predicate === null ? [...rows] : rows.filter(predicate);
  matched.sort(comparator ?? tiebreak);
  const [start, end] = pageRange(matched.length, criteria, behavior);
  return { items: matched.slice(start, end), total: matched.length };
}
