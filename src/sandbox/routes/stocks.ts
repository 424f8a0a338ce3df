// StockRepositoryInterface + StockResolverInterface over REST.
// Magento: magento/inventory:InventoryApi/etc/webapi.xml, magento/inventory:Inventory/Model/Stock/Command/*.php,
// magento/inventory:Inventory/Model/ResourceModel/Stock.php (PredefinedId),
// magento/inventory:InventorySales/Plugin/InventoryApi/StockRepository/*.

import { collationKey } from "../collation.js";
import { badRequest, notFound } from "../errors.js";
import { SEARCH_CRITERIA, STOCK } from "../input/data-objects.js";
import { asObject, DataObject, object, scalar } from "../input/types.js";
import { searchResults, stockOut } from "../output.js";
import { criteriaFromInput } from "../search/criteria.js";
import { searchRows } from "../search/engine.js";
import { varchar } from "../sql-values.js";
import type { StockRecord } from "../store/records.js";
import { channelKey, type Store } from "../store/store.js";
import { phpTrim } from "../validators/checkers.js";
import { validateStock } from "../validators/stock.js";
import { STOCK_COLUMNS } from "./columns.js";
import type { RouteDef } from "./route-def.js";

const DEFAULT_STOCK_ID = 1;

/** Deletes the stock's channel rows and inserts the list; a channel held elsewhere moves here. */
function replaceChannels(
  store: Store,
  stockId: number,
  list: readonly { readonly type: string; readonly code: string }[],
): void {
  for (const [k, c] of store.channels) if (c.stock_id === stockId) store.channels.delete(k);
  for (const c of list) {
    // INSERT … ON DUPLICATE KEY UPDATE on PK (type, code): silently taken from another stock.
    store.channels.set(channelKey(c.type, c.code), {
      type: varchar(c.type, 64),
      code: varchar(c.code, 64),
      stock_id: stockId,
    });
  }
}

/**
 * Sales channels are replaced on every save; websites dropped from a stock are parked on the
 * default stock. An omitted list counts as empty (AdobeDocs/commerce-webapi:src/pages/rest/inventory/manage-stocks.md;
 * docs/magento/msi-rest.md#sales-channels).
 * Magento: magento/inventory:InventorySales/Plugin/InventoryApi/StockRepository/SaveSalesChannelsLinksPlugin.php,
 * magento/inventory:InventorySales/Model/GetUnassignedSalesChannelsForStock.php.
 */
function saveChannels(store: Store, stockId: number, requested: readonly DataObject[]): void {
  const list = requested.map((c) => ({ type: c.str("type") ?? "", code: c.str("code") ?? "" }));
  const wanted = new Set(list.map((c) => channelKey(c.type, c.code)));
  const dropped = store
    .channelsOf(stockId)
    .filter((c) => c.type === "website" && !wanted.has(channelKey(c.type, c.code)));
  replaceChannels(store, stockId, list);
  if (dropped.length > 0) {
    const current = store.channelsOf(DEFAULT_STOCK_ID).map((c) => ({ type: c.type, code: c.code }));
    replaceChannels(store, DEFAULT_STOCK_ID, [...current, ...dropped.map((c) => ({ type: c.type, code: c.code }))]);
  }
}

export function saveStock(store: Store, stock: DataObject): number {
  const errors = validateStock(stock, store);
  if (errors.length > 0) throw badRequest("Validation Failed", [], errors);
  const requestedId = stock.num("stock_id");
  const name = varchar(stock.str("name") ?? "", 255);
  // POST with an existing id updates; an unknown id is inserted with that id (PredefinedId);
  // 0 or a negative id (clamped to 0 by int unsigned) takes the auto-increment.
  const existing = requestedId !== null && requestedId > 0 ? store.stocks.get(requestedId) : undefined;
  const id = existing?.stock_id ?? (requestedId !== null && requestedId > 0 ? requestedId : store.nextStockId);
  // Unique name (trimmed, collation) → "Could not save Stock". Magento:
  // magento/inventory:Inventory/Model/ResourceModel/Stock.php
  const nameKey = collationKey(phpTrim(name));
  for (const other of store.stocks.values()) {
    if (other.stock_id !== id && collationKey(other.name) === nameKey) throw badRequest("Could not save Stock");
  }
  if (existing !== undefined) existing.name = name;
  else {
    store.stocks.set(id, { stock_id: id, name });
    store.nextStockId = Math.max(store.nextStockId, id + 1);
  }
  saveChannels(store, id, stock.obj("extension_attributes")?.list("sales_channels") ?? []);
  store.touch();
  return id;
}

function getStock(store: Store, id: number): StockRecord {
  const rec = store.stocks.get(id);
  // Magento: magento/inventory:Inventory/Model/Stock/Command/Get.php
  if (rec === undefined) throw notFound('Stock with id "%value" does not exist.', { value: id });
  return rec;
}

export const stockRoutes: readonly RouteDef[] = [
  {
    method: "GET",
    path: "V1/inventory/stocks",
    acl: ["Magento_InventoryApi::stock"],
    params: [{ name: "searchCriteria", type: object(SEARCH_CRITERIA), optional: true }],
    handle: ([criteriaIn], ctx) => {
      const criteria = criteriaFromInput(asObject(criteriaIn));
      const rows = [...ctx.store.stocks.values()];
      const page = searchRows(rows, STOCK_COLUMNS, criteria, ctx.lastPageBehavior, (a, b) => a.stock_id - b.stock_id);
      return searchResults(
        page.items.map((s) => stockOut(s, ctx.store.channelsOf(s.stock_id))),
        criteria,
        page.total,
      );
    },
  },
  {
    method: "GET",
    path: "V1/inventory/stocks/:stockId",
    acl: ["Magento_InventoryApi::stock"],
    params: [{ name: "stockId", type: scalar("int") }],
    handle: ([id], ctx) => {
      const rec = getStock(ctx.store, Number(id));
      return stockOut(rec, ctx.store.channelsOf(rec.stock_id));
    },
  },
  {
    method: "POST",
    path: "V1/inventory/stocks",
    acl: ["Magento_InventoryApi::stock_edit"],
    params: [{ name: "stock", type: object(STOCK) }],
    handle: ([stock], ctx) => saveStock(ctx.store, asObject(stock) ?? new DataObject()),
  },
  {
    method: "PUT",
    path: "V1/inventory/stocks/:stockId",
    acl: ["Magento_InventoryApi::stock_edit"],
    params: [{ name: "stock", type: object(STOCK) }],
    bodyEntity: STOCK,
    handle: ([stock], ctx) => saveStock(ctx.store, asObject(stock) ?? new DataObject()),
  },
  {
    method: "DELETE",
    path: "V1/inventory/stocks/:stockId",
    acl: ["Magento_InventoryApi::stock_delete"],
    params: [{ name: "stockId", type: scalar("int") }],
    handle: ([idIn], ctx) => {
      const id = Number(idIn);
      // Magento:
      // magento/inventory:InventoryCatalog/Plugin/InventoryApi/StockRepository/PreventDeleting/DefaultStockPlugin.php
      if (id === DEFAULT_STOCK_ID) throw badRequest("Default Stock could not be deleted.");
      // Magento: magento/inventory:InventorySales/Plugin/InventoryApi/StockRepository/
      // PreventDeletingAssignedToSalesChannelsStockPlugin.php
      if (ctx.store.channelsOf(id).length > 0)
        throw badRequest("Stock has at least one sale channel and could not be deleted.");
      // Magento: magento/inventory:Inventory/Model/Stock/Command/DeleteById.php (404 despite the docblock).
      if (!ctx.store.stocks.has(id)) {
        throw notFound('There is no stock with "%fieldValue" for "%fieldName". Verify and try again.', {
          fieldName: "stock_id",
          fieldValue: id,
        });
      }
      ctx.store.stocks.delete(id);
      // FK ON DELETE CASCADE: links and channel rows go with the stock.
      for (const [k, l] of ctx.store.links) if (l.stock_id === id) ctx.store.links.delete(k);
      for (const [k, c] of ctx.store.channels) if (c.stock_id === id) ctx.store.channels.delete(k);
      ctx.store.touch();
      return null;
    },
  },
  {
    method: "GET",
    path: "V1/inventory/stock-resolver/:type/:code",
    acl: ["Magento_InventorySalesApi::stock"],
    params: [
      { name: "type", type: scalar("string") },
      { name: "code", type: scalar("string") },
    ],
    handle: ([type, code], ctx) => {
      const t = String(type);
      const c = String(code);
      // Magento: magento/inventory:InventoryCatalog/Plugin/InventorySalesApi/StockResolver/
      // AdaptStockResolverToAdminWebsitePlugin.php
      if (t === "website" && c === "admin") {
        const rec = getStock(ctx.store, DEFAULT_STOCK_ID);
        return stockOut(rec, ctx.store.channelsOf(rec.stock_id));
      }
      const channel = ctx.store.channels.get(channelKey(t, c));
      // Magento: magento/inventory:InventorySales/Model/GetStockBySalesChannel.php
      if (channel === undefined) throw notFound("No linked stock found");
      const rec = getStock(ctx.store, channel.stock_id);
      return stockOut(rec, ctx.store.channelsOf(rec.stock_id));
    },
  },
];
