// Source items over REST. Magento: magento/inventory:InventoryApi/etc/webapi.xml,
// magento/inventory:Inventory/Model/SourceItem/Command/Handler/SourceItemsSaveHandler.php,
// magento/inventory:Inventory/Model/ResourceModel/SourceItem/{SaveMultiple,DeleteMultiple}.php,
// magento/inventory:Inventory/Model/SourceItem/Command/SourceItemsDelete.php.

import { badRequest, renderPhrase } from "../errors.js";
import { SEARCH_CRITERIA, SOURCE_ITEM } from "../input/data-objects.js";
import { asObject, object, objectList, type Converted, type DataObject } from "../input/types.js";
import { sourceItemResults } from "../output.js";
import { criteriaFromInput } from "../search/criteria.js";
import { decimal, varchar } from "../sql-values.js";
import type { RouteDef } from "./route-def.js";
import { searchSourceItems } from "./source-item-search.js";
import { validateSourceItem } from "../validators/source-item.js";

function objects(v: Converted | undefined): DataObject[] {
  return Array.isArray(v)
    ? (v as readonly Converted[]).map((x) => asObject(x)).filter((x): x is DataObject => x !== null)
    : [];
}

export const sourceItemRoutes: readonly RouteDef[] = [
  {
    method: "GET",
    path: "V1/inventory/source-items",
    acl: ["Magento_InventoryApi::source"],
    // SourceItemRepositoryInterface::getList has no default: searchCriteria is required.
    params: [{ name: "searchCriteria", type: object(SEARCH_CRITERIA) }],
    handle: ([criteriaIn], ctx) => {
      const criteria = criteriaFromInput(asObject(criteriaIn));
      const page = searchSourceItems(ctx.store.items, criteria, ctx.lastPageBehavior);
      return sourceItemResults(page.items, criteria, page.total);
    },
  },
  {
    method: "POST",
    path: "V1/inventory/source-items",
    // 2.4.5+ (inv commit 37af031, AC-1500); Magento_InventoryApi::source before.
    acl: ["Magento_InventoryApi::stock_source_item_assign"],
    params: [{ name: "sourceItems", type: objectList(SOURCE_ITEM) }],
    handle: ([itemsIn], ctx) => {
      const items = objects(itemsIn);
      if (items.length === 0) throw badRequest("Input data is empty");
      // The whole batch is validated first; the top message carries the first error rendered.
      const errors = items.flatMap(validateSourceItem);
      const [first] = errors;
      if (first !== undefined) throw badRequest(`Validation Failed: ${renderPhrase(first)}`, [], errors);
      // FK to inventory_source: an unknown source fails the (single-statement) insert.
      for (const i of items) {
        if (ctx.store.findSource(i.str("source_code") ?? "") === undefined)
          throw badRequest("Could not save Source Item");
      }
      // A deadlock / lock wait in the save step is wrapped the same way
      // (docs/magento/webapi-platform.md#exception-to-status).
      if (ctx.deadlock()) throw badRequest("Could not save Source Item");
      for (const i of items) {
        ctx.store.items.upsert(
          varchar(i.str("sku") ?? "", 64),
          i.str("source_code") ?? "",
          decimal(i.num("quantity") ?? 0, 12, 4),
          i.num("status") ?? 0,
        );
      }
      return null;
    },
  },
  {
    method: "POST",
    path: "V1/inventory/source-items-delete",
    acl: ["Magento_InventoryApi::stock_source_item_assign"],
    params: [{ name: "sourceItems", type: objectList(SOURCE_ITEM) }],
    handle: ([itemsIn], ctx) => {
      const items = objects(itemsIn);
      if (items.length === 0) throw badRequest("Input data is empty");
      for (const i of items) {
        const sku = i.str("sku") ?? "";
        const code = i.str("source_code") ?? "";
        ctx.store.items.delete(sku, code);
        // After-plugins drop the matching low-quantity configuration.
        // Magento:
        // magento/inventory:InventoryLowQuantityNotification/Plugin/InventoryApi/SourceItemsDeleteInterfacePlugin.php
        ctx.store.deleteLowStock(code, sku);
      }
      return null;
    },
  },
];
