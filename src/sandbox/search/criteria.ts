// SearchCriteria as the service receives it, and its echo in search results.
// Magento: magento/magento2:lib/internal/Magento/Framework/Api/SearchCriteria.php, Filter.php, SortOrder.php;
// docs/magento/webapi-platform.md#search-result-envelope (filter_groups always; sort_orders/page_size/current_page only
// if set).

import type { DataObject } from "../input/types.js";

export interface Filter {
  readonly field: string | null;
  readonly value: string | null;
  readonly conditionType: string | null;
}

export interface SortOrder {
  readonly field: string | null;
  readonly direction: string | null;
}

export interface SearchCriteria {
  readonly filterGroups: readonly (readonly Filter[])[];
  readonly sortOrders: readonly SortOrder[] | null;
  readonly pageSize: number | null;
  readonly currentPage: number | null;
}

export const EMPTY_CRITERIA: SearchCriteria = { filterGroups: [], sortOrders: null, pageSize: null, currentPage: null };

export function criteriaFromInput(obj: DataObject | null): SearchCriteria {
  if (obj === null) return EMPTY_CRITERIA;
  const groups = (obj.list("filter_groups") ?? []).map((g) =>
    (g.list("filters") ?? []).map((f) => ({
      field: f.str("field"),
      value: f.str("value"),
      conditionType: f.str("condition_type"),
    })),
  );
  const sorts = obj.list("sort_orders");
  return {
    filterGroups: groups,
    sortOrders: sorts === null ? null : sorts.map((s) => ({ field: s.str("field"), direction: s.str("direction") })),
    pageSize: obj.num("page_size"),
    currentPage: obj.num("current_page"),
  };
}

/** The `search_criteria` echo: DataObjectProcessor output, null fields omitted. */
export function echoCriteria(c: SearchCriteria): Record<string, unknown> {
  const out: Record<string, unknown> = {
    filter_groups: c.filterGroups.map((g) => ({
      filters: g.map((f) => {
        const o: Record<string, unknown> = {};
        if (f.field !== null) o["field"] = f.field;
        if (f.value !== null) o["value"] = f.value;
        if (f.conditionType !== null) o["condition_type"] = f.conditionType;
        return o;
      }),
    })),
  };
  if (c.sortOrders !== null) {
    out["sort_orders"] = c.sortOrders.map((s) => {
      const o: Record<string, unknown> = {};
      if (s.field !== null) o["field"] = s.field;
      if (s.direction !== null) o["direction"] = s.direction;
      return o;
    });
  }
  if (c.pageSize !== null) out["page_size"] = c.pageSize;
  if (c.currentPage !== null) out["current_page"] = c.currentPage;
  return out;
}
