// Low-quantity notification configuration. Magento:
// magento/inventory:InventoryLowQuantityNotificationApi/etc/webapi.xml,
// magento/inventory:InventoryLowQuantityNotification/Model/SourceItemConfiguration/{Get,SaveMultiple}.php,
// magento/inventory:InventoryLowQuantityNotification/Plugin/InventoryLowQuantityNotificationApi/
// UpdateLegacyStockItemConfigurationAtSourceItemConfigurationSavePlugin.php;
// docs/magento/msi-rest.md#low-quantity-notification.

import { badRequest, notFound } from "../errors.js";
import { SOURCE_ITEM, SOURCE_ITEM_CONFIGURATION } from "../input/data-objects.js";
import { asObject, objectList, scalar, type Converted, type DataObject } from "../input/types.js";
import { decimal, varchar } from "../sql-values.js";
import { pairKey } from "../store/store.js";
import type { RouteDef } from "./route-def.js";

/** cataloginventory/item_options/notify_stock_qty on a fresh install. */
const DEFAULT_NOTIFY_QTY = 1;

function objects(v: Converted | undefined): DataObject[] {
  return Array.isArray(v)
    ? (v as readonly Converted[]).map((x) => asObject(x)).filter((x): x is DataObject => x !== null)
    : [];
}

export const lowQuantityRoutes: readonly RouteDef[] = [
  {
    method: "GET",
    path: "V1/inventory/low-quantity-notification/:sourceCode/:sku",
    acl: ["Magento_InventoryLowQuantityNotificationApi::low_quantity_notification"],
    params: [
      { name: "sourceCode", type: scalar("string") },
      { name: "sku", type: scalar("string") },
    ],
    handle: ([codeIn, skuIn], ctx) => {
      const code = String(codeIn);
      const sku = String(skuIn);
      if (
        code === "" ||
        sku === "" ||
        ctx.store.findSource(code) === undefined ||
        ctx.store.findProduct(sku) === undefined
      ) {
        throw badRequest("Wrong input data");
      }
      const row = ctx.store.lowStock.get(pairKey(code, sku));
      // A missing row or a NULL quantity falls back to the configuration default.
      return { source_code: code, sku, notify_stock_qty: row?.notify_stock_qty ?? DEFAULT_NOTIFY_QTY };
    },
  },
  {
    method: "POST",
    path: "V1/inventory/low-quantity-notification",
    acl: ["Magento_InventoryLowQuantityNotificationApi::stock_create_low_quantity_notification"],
    params: [{ name: "sourceItemConfigurations", type: objectList(SOURCE_ITEM_CONFIGURATION) }],
    handle: ([configsIn], ctx) => {
      const configs = objects(configsIn);
      if (configs.length === 0) throw badRequest("Input data is empty");
      // INSERT … ON DUPLICATE KEY UPDATE notify_stock_qty; no FK, nothing checked.
      for (const c of configs) {
        const code = varchar(c.str("source_code") ?? "", 255);
        const sku = varchar(c.str("sku") ?? "", 64);
        const qty = c.num("notify_stock_qty");
        const existing = ctx.store.lowStock.get(pairKey(code, sku));
        ctx.store.lowStock.set(pairKey(code, sku), {
          source_code: existing?.source_code ?? code,
          sku: existing?.sku ?? sku,
          notify_stock_qty: qty === null ? null : decimal(qty, 12, 4),
        });
      }
      ctx.store.touch();
      // Multi-source mode mirrors `default` rows to the legacy stock item, resolving SKUs with the
      // throwing GetProductIdsBySkus — after the rows were saved.
      if (ctx.store.sources.size > 1) {
        const missing = configs
          .filter((c) => c.str("source_code") === "default" && ctx.store.findProduct(c.str("sku") ?? "") === undefined)
          .map((c) => c.str("sku") ?? "");
        if (missing.length > 0)
          throw notFound("Following products with requested skus were not found: %1", [missing.join(", ")]);
      }
      return null;
    },
  },
  {
    method: "POST",
    path: "V1/inventory/low-quantity-notifications-delete",
    acl: ["Magento_InventoryLowQuantityNotificationApi::stock_delete_low_quantity_notification"],
    params: [{ name: "sourceItems", type: objectList(SOURCE_ITEM) }],
    handle: ([itemsIn], ctx) => {
      for (const i of objects(itemsIn)) ctx.store.deleteLowStock(i.str("source_code") ?? "", i.str("sku") ?? "");
      return null;
    },
  },
];
