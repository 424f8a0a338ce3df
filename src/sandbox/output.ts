// Entities as Magento's DataObjectProcessor renders them: getter order, null fields omitted,
// floats without trailing zeros, `enabled` as bool, `status` as int.
// Magento: magento/magento2:lib/internal/Magento/Framework/Reflection/DataObjectProcessor.php;
// docs/magento/msi-rest.md#reading-values-back.

import { echoCriteria, type SearchCriteria } from "./search/criteria.js";
import type { ChannelRecord, LinkRecord, ProductRecord, SourceRecord, StockRecord } from "./store/records.js";
import type { SourceItemRow } from "./store/source-item-table.js";
import { RawJson } from "./routes/route-def.js";

function omitNulls(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

export function sourceOut(s: SourceRecord): Record<string, unknown> {
  return omitNulls([
    ["source_code", s.source_code],
    ["name", s.name],
    ["email", s.email],
    ["contact_name", s.contact_name],
    ["enabled", s.enabled],
    ["description", s.description],
    ["latitude", s.latitude],
    ["longitude", s.longitude],
    ["country_id", s.country_id],
    ["region_id", s.region_id],
    ["region", s.region],
    ["city", s.city],
    ["street", s.street],
    ["postcode", s.postcode],
    ["phone", s.phone],
    ["fax", s.fax],
    // Getter hard-wired to true (magento/inventory:Inventory/Model/Source.php, TODO msi#1192).
    ["use_default_carrier_config", true],
    // Binding carriers to sources is not implemented in MSI; the list is always empty.
    ["carrier_links", []],
    [
      "extension_attributes",
      omitNulls([
        ["is_pickup_location_active", s.is_pickup_location_active],
        ["frontend_name", s.frontend_name],
        ["frontend_description", s.frontend_description],
      ]),
    ],
  ]);
}

export function stockOut(s: StockRecord, channels: readonly ChannelRecord[]): Record<string, unknown> {
  return {
    stock_id: s.stock_id,
    name: s.name,
    extension_attributes: { sales_channels: channels.map((c) => ({ type: c.type, code: c.code })) },
  };
}

export function linkOut(l: LinkRecord): Record<string, unknown> {
  return { stock_id: l.stock_id, source_code: l.source_code, priority: l.priority };
}

export function productOut(p: ProductRecord): Record<string, unknown> {
  // Default attribute set of a fresh install is 4 ("Default").
  return { id: p.entity_id, sku: p.sku, name: p.name, attribute_set_id: 4, type_id: p.type_id };
}

export function searchResults(
  items: readonly unknown[],
  criteria: SearchCriteria,
  total: number,
): Record<string, unknown> {
  return { items, search_criteria: echoCriteria(criteria), total_count: total };
}

/** Source-item pages are built as text: a million-row store pages at thousands of rows a call. */
export function sourceItemResults(rows: readonly SourceItemRow[], criteria: SearchCriteria, total: number): RawJson {
  const parts: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r === undefined) continue;
    parts[i] =
      `{"sku":${JSON.stringify(r.sku)},` +
      `"source_code":${JSON.stringify(r.source_code)},"quantity":${r.quantity},"status":${r.status}}`;
  }
  return new RawJson(
    `{"items":[${parts.join(",")}],"search_criteria":${JSON.stringify(echoCriteria(criteria))},"total_count":${total}}`,
  );
}
