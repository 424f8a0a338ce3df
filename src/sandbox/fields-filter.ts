// The `fields` query parameter: trims a response to the listed keys, applied after the
// service ran. An invalid filter string yields an empty array.
// Magento: magento/magento2:lib/internal/Magento/Framework/Webapi/Rest/Response/FieldsFilter.php

type Filter = Map<string, Filter | true>;

/** FieldsFilter::parse: `items[sku,type_id],total_count` → nested key map; null if malformed. */
export function parseFields(filter: string): Filter | null {
  if (filter.length === 0 || /[^\w[\],]/.test(filter)) return null;
  let current: Filter = new Map();
  const stack: Filter[] = [];
  const parents: (string | null)[] = [];
  let start: number | null = null;
  let element: string | null = null;
  for (let pos = 0; pos < filter.length; pos++) {
    const ch = filter.charAt(pos);
    if (ch === "[" || ch === "]" || ch === ",") {
      if (start !== null) {
        element = filter.slice(start, pos);
        current.set(element, true);
      }
      start = null;
    }
    if (ch === "[") {
      parents.push(element);
      stack.push(current);
      current = new Map();
    } else if (ch === "]") {
      const inner = current;
      const outer = stack.pop();
      if (outer === undefined) return null;
      current = outer;
      current.set(parents.pop() ?? "", inner);
    } else if (ch !== "," && start === null) {
      start = pos;
    }
  }
  if (stack.length > 0) return null;
  if (start !== null) current.set(filter.slice(start), true);
  return current;
}

function isList(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

function intersect(value: Record<string, unknown>, filter: Filter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const f = filter.get(k);
    if (f === undefined) continue;
    out[k] = f !== true && typeof v === "object" && v !== null ? apply(v, f) : v;
  }
  return out;
}

/** applyFilter: lists are filtered item by item, maps key by key. */
function apply(value: object, filter: Filter): unknown {
  if (isList(value))
    return value.map((item) =>
      typeof item === "object" && item !== null ? intersect(item as Record<string, unknown>, filter) : item,
    );
  return intersect(value as Record<string, unknown>, filter);
}

export function applyFieldsFilter(response: unknown, fields: string): unknown {
  if (typeof response !== "object" || response === null) return response;
  const filter = parseFields(fields);
  if (filter === null) return [];
  return apply(response, filter);
}
