// Magento saves source items for any SKU, in the catalog or not, and for product types
// that cannot hold stock (docs/magento/msi-rest.md#source-items). So before any write `inv` looks the SKUs up
// in the catalog itself, and the rules (src/inventory/rules.ts) refuse those that could
// never be sold from a source.

import { httpStatus, MagentoApiError } from "../errors.js";
import type { MagentoClient } from "../magento/client.js";
import type { RawProduct } from "../magento/convert.js";
import { identifierKey } from "../magento/equivalence.js";
import { forEachPooled } from "../magento/pool.js";
import { inFilterChunks, type SearchCriteria } from "../magento/search-criteria.js";
import { compareCodePoints } from "../sort.js";

export type CatalogEntry =
  | { readonly found: false }
  | { readonly found: true; readonly sku: string; readonly typeId: string };

const ROUTE = "V1/products";

/** Each SKU's catalog entry, matched without case as MySQL does. */
export async function readCatalog(client: MagentoClient, skus: Iterable<string>): Promise<Map<string, CatalogEntry>> {
  const wanted = [...new Set(skus)].sort(compareCodePoints);
  const result = new Map<string, CatalogEntry>(wanted.map((sku) => [sku, { found: false }]));
  if (wanted.length === 0) return result;
  const byFold = new Map(wanted.map((sku) => [identifierKey(sku), sku]));
  const criteriaList = inFilterChunks("sku", wanted, client.pageSize, [{ field: "entity_id", direction: "ASC" }]);
  await forEachPooled(criteriaList, client.readConcurrency, async (criteria) => {
    const rows = await readAllPages(client, criteria);
    for (const row of rows) {
      const declared = byFold.get(identifierKey(row.sku));
      if (declared !== undefined) result.set(declared, { found: true, sku: row.sku, typeId: row.type_id ?? "" });
    }
  });
  return result;
}

/** Why the catalog could not be read, when the credentials may not (Magento_Catalog::products). */
export interface CatalogUnreadable {
  readonly unreadable: string;
}

/** The catalog, or why the credentials may not read it: then the plan says so, and `inv apply` asks to go on. */
export async function readCatalogIfAllowed(
  client: MagentoClient,
  skus: Iterable<string>,
): Promise<Map<string, CatalogEntry> | CatalogUnreadable> {
  try {
    return await readCatalog(client, skus);
  } catch (error) {
    if (error instanceof MagentoApiError && [401, 403, 404].includes(error.status))
      return {
        unreadable: `the credentials may not read ${ROUTE} (Magento_Catalog::products): ${httpStatus(error.status)}: ${error.magentoMessage}`,
      };
    throw error;
  }
}

/**
 * Product lists are heavy; `fields` trims each row to what the check needs
 * (docs/magento/webapi-platform.md#filters-sorting-and-fields).
 */
const FIELDS = `fields=${encodeURIComponent("items[sku,type_id],total_count")}`;

function readAllPages(client: MagentoClient, criteria: SearchCriteria): Promise<RawProduct[]> {
  return client.search<RawProduct, RawProduct>(ROUTE, criteria, (row) => row, undefined, FIELDS);
}
