// The requests `inv doctor` sends to prove each ACL resource without writing anything.
//
// Magento checks a route's ACL resources first, before it reads the body
// (magento/magento2:app/code/Magento/Webapi/Controller/Rest/InputParamsResolver.php, resolve():
// RequestValidator::validate(), then ServiceInputProcessor::process(getInputData())). So a read
// proves its resource by answering, and a write proves its resource by being refused for its
// input, which happens in ServiceInputProcessor before the service (or any plugin on it) runs:
// - a required argument left out: process() collects it and throws InputException
//   `"%fieldName" is required. Enter and try again.` (400);
// - a value of the wrong type: TypeProcessor::processSimpleAndAnyType throws a
//   SerializationException, which process() turns into a 400; a non-numeric `int` path value
//   fails setType()'s is_numeric check (magento/magento2:lib/internal/Magento/Framework/Reflection/TypeProcessor.php);
// - an array of data objects longer than the store's input limit: EntityArrayValidator
//   counts it before converting any item, `Maximum items of type "%type" is %max` (400).
// A 401 "The consumer isn't authorized to access %resources." is the resource's absence.

import { searchCriteriaQuery } from "../magento/search-criteria.js";

export interface Probe {
  readonly method: "GET" | "POST" | "DELETE";
  readonly route: string;
  readonly query?: string;
  readonly body?: unknown;
  /** `read`: an answer proves it; `refused`: only a refusal for the input may come back. */
  readonly proof: "read" | "refused";
  /** What makes the request harmless or what it reads, after `METHOD route` on the line. */
  readonly what: string;
  /** What a read counts, for the line: "sources". */
  readonly noun?: string;
}

/** A SKU and an id no store has: probes that get past the ACL check find nothing to act on. */
export const PROBE_SKU = "inv-doctor-probe";

/** One row, total count only: the answer is small whatever the store holds. */
export function onePage(pageSize = 1): string {
  return `${searchCriteriaQuery({ filterGroups: [], sortOrders: [] }, { pageSize, currentPage: 1 })}&fields=total_count`;
}

/**
 * The source-item save inv apply sends, `batchSize` items long, whose first item's `sku` is a
 * list: the array limit is checked on the whole array first, then the first item fails
 * conversion, so Magento refuses it either way before SourceItemsSave runs. (An empty
 * `sourceItems` array would be refused too, but only inside the service, after its plugins
 * were called: magento/inventory:Inventory/Model/SourceItem/Command/Handler/SourceItemsSaveHandler.php.)
 */
export function sourceItemSaveProbe(batchSize: number): Probe {
  const items: unknown[] = [{ sku: [PROBE_SKU] }];
  while (items.length < batchSize) items.push({});
  return {
    method: "POST",
    route: "V1/inventory/source-items",
    body: { sourceItems: items },
    proof: "refused",
    what: `with ${batchSize} items, the first malformed`,
  };
}

/** One probe per ACL resource in acl.ts, by resource. */
export function aclProbes(batchSize: number): ReadonlyMap<string, Probe> {
  return new Map<string, Probe>([
    [
      "Magento_InventoryApi::source",
      { method: "GET", route: "V1/inventory/sources", query: onePage(), proof: "read", what: "", noun: "sources" },
    ],
    [
      "Magento_InventoryApi::source_edit",
      // SourceRepositoryInterface::save(SourceInterface $source): `source` is required.
      {
        method: "POST",
        route: "V1/inventory/sources",
        body: {},
        proof: "refused",
        what: "without a source",
      },
    ],
    [
      "Magento_InventoryApi::stock",
      { method: "GET", route: "V1/inventory/stocks", query: onePage(), proof: "read", what: "", noun: "stocks" },
    ],
    [
      "Magento_InventoryApi::stock_edit",
      // StockRepositoryInterface::save(StockInterface $stock): `stock` is required.
      {
        method: "POST",
        route: "V1/inventory/stocks",
        body: {},
        proof: "refused",
        what: "without a stock",
      },
    ],
    [
      "Magento_InventoryApi::stock_delete",
      // deleteById(int $stockId) with a stockId that is not a number. Releases whose setType() lacks
      // the is_numeric check read it as 0, a stock no store has: DeleteById then throws
      // NoSuchEntityException before deleting (magento/inventory:Inventory/Model/Stock/Command/DeleteById.php).
      {
        method: "DELETE",
        route: `V1/inventory/stocks/${PROBE_SKU}`,
        proof: "refused",
        what: "with an id that is not a number",
      },
    ],
    [
      "Magento_InventoryApi::stock_source_link",
      {
        method: "GET",
        route: "V1/inventory/stock-source-links",
        query: onePage(),
        proof: "read",
        what: "",
        noun: "links",
      },
    ],
    ["Magento_InventoryApi::stock_source_item_assign", sourceItemSaveProbe(batchSize)],
    [
      "Magento_InventorySalesApi::stock",
      // A product no store has: 404 "The product that was requested doesn't exist."
      // (magento/inventory:InventorySales/Model/GetProductSalableQty.php), after the ACL check.
      {
        method: "GET",
        route: `V1/inventory/get-product-salable-quantity/${PROBE_SKU}/1`,
        proof: "read",
        what: "for a product no store has",
      },
    ],
    [
      "Magento_Catalog::products",
      { method: "GET", route: "V1/products", query: onePage(), proof: "read", what: "", noun: "products" },
    ],
    [
      "Magento_Backend::store",
      { method: "GET", route: "V1/store/websites", proof: "read", what: "", noun: "websites" },
    ],
  ]);
}

/** Routes that exist only while their MSI module is on, probed without credentials (a 401 proves the route). */
export const MODULE_ROUTES: readonly {
  readonly module: string;
  readonly probe: Probe;
  readonly need: "fail" | "warn";
}[] = [
  {
    module: "Magento_InventoryApi",
    probe: { method: "GET", route: "V1/inventory/sources", query: onePage(), proof: "read", what: "sources" },
    need: "fail",
  },
  {
    module: "Magento_InventorySalesApi",
    probe: {
      method: "GET",
      route: `V1/inventory/get-product-salable-quantity/${PROBE_SKU}/1`,
      proof: "read",
      what: "salable quantities",
    },
    need: "warn",
  },
  {
    module: "Magento_InventoryCatalogApi",
    // The ACL check comes before the body is read: no credentials, no write.
    probe: {
      method: "POST",
      route: "V1/inventory/bulk-product-source-transfer",
      body: {},
      proof: "refused",
      what: "bulk transfers",
    },
    need: "fail",
  },
];
