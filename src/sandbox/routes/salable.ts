// InventorySalesApi salability. Magento computes these from the stock index
// (inventory_stock_<id>: per SKU, SUM of quantities of in-stock items and MAX(status) over the
// ENABLED sources linked to the stock) plus reservations. The real index is refreshed on source-item
// save but only invalidated by link/source changes until a reindex; the sandbox has no indexer and
// computes the index live, so it is never stale.
// Magento: magento/inventory:InventorySales/Model/GetProductSalableQty.php,
// magento/inventory:InventoryIndexer/Indexer/SelectBuilder.php,
// magento/inventory:InventorySales/Model/IsProductSalableCondition/IsSalableWithReservationsCondition.php;
// docs/magento/msi-rest.md#salable-quantity-and-stock-resolver.

import { badRequest, notFound } from "../errors.js";
import { scalar } from "../input/types.js";
import { collationKey } from "../collation.js";
import { QTY_TYPES } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { RouteDef } from "./route-def.js";

interface IndexRow {
  readonly quantity: number;
  readonly isSalable: boolean;
}

function indexRow(store: Store, sku: string, stockId: number): IndexRow | null {
  const linked = new Set(
    store
      .linksOf(stockId)
      .filter((l) => store.findSource(l.source_code)?.enabled === true)
      .map((l) => collationKey(l.source_code)),
  );
  let quantity = 0;
  let any = false;
  let salable = false;
  for (const r of store.items.forSkuKey(collationKey(sku))) {
    if (!linked.has(r.sourceKey)) continue;
    any = true;
    if (r.status === 1) {
      quantity += r.quantity;
      salable = true;
    }
  }
  return any ? { quantity, isSalable: salable } : null;
}

function reservations(store: Store, sku: string, stockId: number): number {
  const key = collationKey(sku);
  return store.reservations
    .filter((r) => r.stock_id === stockId && collationKey(r.sku) === key)
    .reduce((s, r) => s + r.quantity, 0);
}

/** Min qty (cataloginventory/item_options/min_qty) is 0 on a fresh install. */
const MIN_QTY = 0;

export const salableRoutes: readonly RouteDef[] = [
  {
    method: "GET",
    path: "V1/inventory/get-product-salable-quantity/:sku/:stockId",
    acl: ["Magento_InventorySalesApi::stock"],
    params: [
      { name: "sku", type: scalar("string") },
      { name: "stockId", type: scalar("int") },
    ],
    handle: ([skuIn, stockIn], ctx) => {
      const sku = String(skuIn);
      const stockId = Number(stockIn);
      const product = ctx.store.findProduct(sku);
      if (product === undefined)
        throw notFound("The product that was requested doesn't exist. Verify the product and try again.");
      if (!QTY_TYPES.has(product.type_id))
        throw badRequest("Can't check requested quantity for products without Source Items support.");
      // No inventory_stock_<id> table for an unknown stock (inferred: GetStockItemData wraps the SQL error).
      if (!ctx.store.stocks.has(stockId)) throw badRequest("Could not receive Stock Item data");
      const row = indexRow(ctx.store, sku, stockId);
      // GetProductSalableQty returns 0 unless the stock index row says is_salable.
      if (row === null || !row.isSalable) return 0;
      return row.quantity + reservations(ctx.store, sku, stockId) - MIN_QTY;
    },
  },
  {
    method: "GET",
    path: "V1/inventory/is-product-salable/:sku/:stockId",
    acl: ["Magento_InventorySalesApi::stock"],
    params: [
      { name: "sku", type: scalar("string") },
      { name: "stockId", type: scalar("int") },
    ],
    handle: ([skuIn, stockIn], ctx) => {
      const sku = String(skuIn);
      const stockId = Number(stockIn);
      const product = ctx.store.findProduct(sku);
      // Composite products are indexed from their children, which the sandbox does not model.
      if (product === undefined || !QTY_TYPES.has(product.type_id) || !ctx.store.stocks.has(stockId)) return false;
      const row = indexRow(ctx.store, sku, stockId);
      if (row === null || !row.isSalable) return false;
      return row.quantity + reservations(ctx.store, sku, stockId) - MIN_QTY > 0;
    },
  },
];
