// Stock-source links over REST. Magento: magento/inventory:InventoryApi/etc/webapi.xml,
// magento/inventory:Inventory/Model/StockSourceLink/Command/{StockSourceLinksSave,StockSourceLinksDelete,
// GetStockSourceLinks}.php,
// magento/inventory:Inventory/Model/ResourceModel/StockSourceLink/{SaveMultiple,DeleteMultiple}.php,
// magento/inventory:Inventory/Model/Source/Command/GetSourcesAssignedToStockOrderedByPriority.php.

import { badRequest } from "../errors.js";
import { SEARCH_CRITERIA, STOCK_SOURCE_LINK } from "../input/data-objects.js";
import { asObject, object, objectList, scalar, type Converted, type DataObject } from "../input/types.js";
import { linkOut, searchResults, sourceOut } from "../output.js";
import { criteriaFromInput } from "../search/criteria.js";
import { searchRows } from "../search/engine.js";
import { SMALLINT_UNSIGNED_MAX, unsignedInt, varchar } from "../sql-values.js";
import { linkKey } from "../store/store.js";
import { validateLink } from "../validators/link.js";
import { LINK_COLUMNS } from "./columns.js";
import type { RouteDef } from "./route-def.js";

function objects(v: Converted | undefined): DataObject[] {
  return Array.isArray(v)
    ? (v as readonly Converted[]).map((x) => asObject(x)).filter((x): x is DataObject => x !== null)
    : [];
}

export const linkRoutes: readonly RouteDef[] = [
  {
    method: "GET",
    path: "V1/inventory/stock-source-links",
    acl: ["Magento_InventoryApi::stock_source_link"],
    // GetStockSourceLinksInterface::execute has no default: searchCriteria is required.
    params: [{ name: "searchCriteria", type: object(SEARCH_CRITERIA) }],
    handle: ([criteriaIn], ctx) => {
      const criteria = criteriaFromInput(asObject(criteriaIn));
      const page = searchRows(
        [...ctx.store.links.values()],
        LINK_COLUMNS,
        criteria,
        ctx.lastPageBehavior,
        (a, b) => a.link_id - b.link_id,
      );
      return searchResults(page.items.map(linkOut), criteria, page.total);
    },
  },
  {
    method: "POST",
    path: "V1/inventory/stock-source-links",
    acl: ["Magento_InventoryApi::stock_source_link"],
    params: [{ name: "links", type: objectList(STOCK_SOURCE_LINK) }],
    handle: ([linksIn], ctx) => {
      const links = objects(linksIn);
      if (links.length === 0) throw badRequest("Input data is empty");
      const errors = links.flatMap(validateLink);
      if (errors.length > 0) throw badRequest("Validation Failed", [], errors);
      // One multi-row INSERT … ON DUPLICATE KEY UPDATE priority: an unknown stock or source is an
      // FK violation and the whole batch fails.
      for (const l of links) {
        if (
          !ctx.store.stocks.has(l.num("stock_id") ?? -1) ||
          ctx.store.findSource(l.str("source_code") ?? "") === undefined
        ) {
          throw badRequest("Could not save StockSourceLinks");
        }
      }
      for (const l of links) {
        const stockId = l.num("stock_id") ?? 0;
        const code = ctx.store.findSource(l.str("source_code") ?? "")?.source_code ?? "";
        const existing = ctx.store.links.get(linkKey(stockId, code));
        ctx.store.putLink(
          stockId,
          existing?.source_code ?? varchar(l.str("source_code") ?? "", 255),
          unsignedInt(l.num("priority") ?? 0, SMALLINT_UNSIGNED_MAX),
        );
      }
      return null;
    },
  },
  {
    method: "POST",
    path: "V1/inventory/stock-source-links-delete",
    acl: ["Magento_InventoryApi::stock_source_link"],
    params: [{ name: "links", type: objectList(STOCK_SOURCE_LINK) }],
    handle: ([linksIn], ctx) => {
      const links = objects(linksIn);
      // Magento: magento/inventory:InventoryCatalog/Plugin/InventoryApi/StockSourceLinksDelete/
      // PreventDeleteDefaultStockLinksPlugin.php
      if (links.some((l) => l.get("stock_id") === 1 || l.get("source_code") === "default")) {
        throw badRequest("Can not delete link related to Default Source or Default Stock");
      }
      if (links.length === 0) throw badRequest("Input data is empty");
      // One OR-ed DELETE; pairs that do not exist are ignored.
      for (const l of links) {
        const key = linkKey(l.num("stock_id") ?? -1, l.str("source_code") ?? "");
        if (ctx.store.links.delete(key)) ctx.store.touch();
      }
      return null;
    },
  },
  {
    method: "GET",
    path: "V1/inventory/get-sources-assigned-to-stock-ordered-by-priority/:stockId",
    acl: ["Magento_InventoryApi::source"],
    params: [{ name: "stockId", type: scalar("int") }],
    handle: ([id], ctx) => {
      // Disabled sources included; an unknown stock gives [] (docs/magento/msi-rest.md#stock-source-links).
      const links = ctx.store.linksOf(Number(id)).sort((a, b) => a.priority - b.priority || a.link_id - b.link_id);
      return links.flatMap((l) => {
        const src = ctx.store.findSource(l.source_code);
        return src === undefined ? [] : [sourceOut(src)];
      });
    },
  },
];
