// Magento's searchCriteria, written as the PHP bracket query string its REST layer reads
// (docs/magento/webapi-platform.md#filters-sorting-and-fields): filters OR-ed inside a group, groups AND-ed.

export type ConditionType = "eq" | "neq" | "in" | "nin" | "like" | "gt" | "gteq" | "lt" | "lteq" | "null" | "notnull";

export interface Filter {
  readonly field: string;
  readonly value: string;
  readonly conditionType: ConditionType;
}

export interface SortOrder {
  readonly field: string;
  readonly direction: "ASC" | "DESC";
}

export interface SearchCriteria {
  /** Each inner list is one filter group (OR); groups are AND-ed. */
  readonly filterGroups: readonly (readonly Filter[])[];
  /** Always explicit: without sortOrders Magento's order is not stable between pages. */
  readonly sortOrders: readonly SortOrder[];
}

export interface Page {
  readonly pageSize: number;
  readonly currentPage: number;
}

/** Brackets are percent-encoded too, so OAuth signatures see the same bytes the server does. */
export function searchCriteriaQuery(criteria: SearchCriteria, page: Page): string {
  const parts: string[] = [];
  const add = (key: string, value: string | number) =>
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  criteria.filterGroups.forEach((group, g) => {
    group.forEach((filter, f) => {
      const prefix = `searchCriteria[filter_groups][${g}][filters][${f}]`;
      add(`${prefix}[field]`, filter.field);
      add(`${prefix}[value]`, filter.value);
      add(`${prefix}[condition_type]`, filter.conditionType);
    });
  });
  criteria.sortOrders.forEach((order, s) => {
    add(`searchCriteria[sortOrders][${s}][field]`, order.field);
    add(`searchCriteria[sortOrders][${s}][direction]`, order.direction);
  });
  add("searchCriteria[pageSize]", page.pageSize);
  add("searchCriteria[currentPage]", page.currentPage);
  return parts.join("&");
}

/** Bytes a filter group adds to a query string, to keep requests under the web server's line limit. */
function encodedLength(text: string): number {
  return encodeURIComponent(text).length;
}

/**
 * Splits values into groups that each fit one filter: Magento's `in` splits its value on
 * commas, so a value holding a comma cannot be matched with `in` and gets an `eq` of its own.
 */
function chunkForInFilter(
  values: readonly string[],
  maxEncodedBytes: number,
  maxValues: number,
): { inChunks: string[][]; eqValues: string[] } {
  const inChunks: string[][] = [];
  const eqValues: string[] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const value of values) {
    if (value.includes(",")) {
      eqValues.push(value);
      continue;
    }
    const size = encodedLength(value) + 3; // the encoded comma
    if (current.length > 0 && (bytes + size > maxEncodedBytes || current.length >= maxValues)) {
      inChunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(value);
    bytes += size;
  }
  if (current.length > 0) inChunks.push(current);
  return { inChunks, eqValues };
}

/** Keeps a request line well under the common 8 KB web-server limit (nginx large_client_header_buffers). */
export const MAX_FILTER_BYTES = 6000;

/**
 * At most 10 `eq`s per OR-group: input limits count every filter in a group
 * (docs/magento/webapi-platform.md#array-limit), and OAuth signatures order parameter names with strnatcmp in some
 * Magento versions and byte-wise in others; the two orders agree only below ten entries.
 */
const MAX_EQ_PER_GROUP = 10;

/**
 * One search per chunk of values of `field`: an `in` list of at most `maxValues`, or for values
 * that contain a comma (which Magento's `in` would split) an OR-group of `eq` filters.
 */
export function inFilterChunks(
  field: string,
  values: readonly string[],
  maxValues: number,
  sortOrders: readonly SortOrder[],
): SearchCriteria[] {
  const { inChunks, eqValues } = chunkForInFilter(values, MAX_FILTER_BYTES, maxValues);
  const chunks: SearchCriteria[] = inChunks.map((chunk) => ({
    filterGroups: [[{ field, value: chunk.join(","), conditionType: "in" }]],
    sortOrders,
  }));
  for (let i = 0; i < eqValues.length; i += MAX_EQ_PER_GROUP) {
    const group: Filter[] = eqValues
      .slice(i, i + MAX_EQ_PER_GROUP)
      .map((value) => ({ field, value, conditionType: "eq" }));
    chunks.push({ filterGroups: [group], sortOrders });
  }
  return chunks;
}
