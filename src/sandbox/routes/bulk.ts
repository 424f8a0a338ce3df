// InventoryCatalogApi mass actions. Magento: magento/inventory:InventoryCatalogApi/etc/webapi.xml,
// magento/inventory:InventoryCatalog/Model/{BulkSourceAssign,BulkSourceUnassign,BulkInventoryTransfer}.php,
// magento/inventory:InventoryCatalog/Model/ResourceModel/Bulk*.php,
// magento/inventory:InventoryCatalog/Model/TransferInventoryPartially.php,
// magento/inventory:InventoryCatalog/Model/Source/Validator/Bulk/*.php,
// magento/inventory:InventoryCatalog/Model/GetProductIdsBySkus.php;
// docs/magento/msi-rest.md#bulk-validators; seed 002.

import { badRequest, maskedInternalError, notFound, phrase, type Phrase } from "../errors.js";
import { PARTIAL_TRANSFER_ITEM } from "../input/data-objects.js";
import { asObject, objectList, scalar, scalarList, type Converted, type DataObject } from "../input/types.js";
import { decimal } from "../sql-values.js";
import { QTY_TYPES, type ProductRecord } from "../store/records.js";
import { pairKey, type Store } from "../store/store.js";
import type { RouteDef } from "./route-def.js";

const DEFAULT_SOURCE = "default";

function strings(v: Converted | undefined): string[] {
  return Array.isArray(v) ? (v as readonly Converted[]).map((x) => String(x)) : [];
}

function unknownSources(store: Store, codes: readonly string[]): Phrase[] {
  return codes
    .filter((c) => store.findSource(c) === undefined)
    .map((c) => phrase("Source %sourceCode does not exist", { sourceCode: c }));
}

/** Products that exist and whose type holds source items; others are skipped silently. */
function qtyProduct(store: Store, sku: string): ProductRecord | undefined {
  const p = store.findProduct(sku);
  return p !== undefined && QTY_TYPES.has(p.type_id) ? p : undefined;
}

/** GetProductIdsBySkus throws for unknown SKUs — after the write was committed. */
function requireProducts(store: Store, skus: readonly string[]): void {
  const missing = skus.filter((s) => store.findProduct(s) === undefined);
  if (missing.length > 0)
    throw notFound("Following products with requested skus were not found: %1", [missing.join(", ")]);
}

function transferErrors(store: Store, origin: string, destination: string): Phrase[] {
  const errors: Phrase[] = [];
  if (store.findSource(origin) === undefined)
    errors.push(phrase("Origin source %sourceCode does not exist", { sourceCode: origin }));
  if (store.findSource(destination) === undefined) {
    errors.push(phrase("Destination source %sourceCode does not exist", { sourceCode: destination }));
  }
  if (origin === destination) errors.push(phrase("Cannot transfer a source on itself"));
  return errors;
}

// Magento: magento/inventory:InventoryLowQuantityNotification/Model/ResourceModel/BulkConfigurationTransfer.php copies
// the origin's row only where the destination has none (a missing origin row is a NULL one, read as the
// default); the around-plugin deletes the origin's row when unassigning.
function copyLowStock(store: Store, sku: string, from: string, to: string, move: boolean): void {
  const cfg = store.lowStock.get(pairKey(from, sku));
  if (cfg === undefined) return;
  if (store.lowStock.has(pairKey(to, sku))) {
    if (move) store.deleteLowStock(from, sku);
    return;
  }
  store.lowStock.set(pairKey(to, sku), { source_code: to, sku, notify_stock_qty: cfg.notify_stock_qty });
  if (move) store.lowStock.delete(pairKey(from, sku));
  store.touch();
}

export const bulkRoutes: readonly RouteDef[] = [
  {
    method: "POST",
    path: "V1/inventory/bulk-product-source-assign",
    acl: ["Magento_Catalog::products"],
    params: [
      { name: "skus", type: scalarList("string") },
      { name: "sourceCodes", type: scalarList("string") },
    ],
    handle: ([skusIn, codesIn], ctx) => {
      const store = ctx.store;
      const codes = strings(codesIn);
      const errors = unknownSources(store, codes);
      if (errors.length > 0) throw badRequest("Validation Failed", [], errors);
      // Returns the number of rows inserted (docs say "an ID"; the code counts).
      let inserted = 0;
      for (const sku of strings(skusIn)) {
        const product = qtyProduct(store, sku);
        if (product === undefined) continue;
        for (const code of codes) {
          if (store.items.get(product.sku, code) !== undefined) continue;
          // New assignments hold quantity 0, out of stock.
          store.items.upsert(product.sku, store.findSource(code)?.source_code ?? code, 0, 0);
          inserted++;
        }
      }
      return inserted;
    },
  },
  {
    method: "POST",
    path: "V1/inventory/bulk-product-source-unassign",
    acl: ["Magento_Catalog::products"],
    params: [
      { name: "skus", type: scalarList("string") },
      { name: "sourceCodes", type: scalarList("string") },
    ],
    handle: ([skusIn, codesIn], ctx) => {
      const store = ctx.store;
      const skus = strings(skusIn);
      const codes = strings(codesIn);
      const errors = unknownSources(store, codes);
      if (errors.length > 0) throw badRequest("Validation Failed", [], errors);
      let deleted = 0;
      for (const sku of skus) {
        for (const code of codes) {
          if (store.items.delete(sku, code)) deleted++;
          // Unassigning clears the Notify Quantity threshold too (seed 002).
          store.deleteLowStock(code, sku);
        }
      }
      if (codes.includes(DEFAULT_SOURCE)) requireProducts(store, skus);
      return deleted;
    },
  },
  {
    method: "POST",
    path: "V1/inventory/bulk-product-source-transfer",
    acl: ["Magento_Catalog::products"],
    params: [
      { name: "skus", type: scalarList("string") },
      { name: "originSource", type: scalar("string") },
      { name: "destinationSource", type: scalar("string") },
      { name: "unassignFromOrigin", type: scalar("bool") },
    ],
    handle: ([skusIn, originIn, destIn, unassignIn], ctx) => {
      const store = ctx.store;
      const skus = strings(skusIn);
      const origin = String(originIn);
      const destination = String(destIn);
      const errors = transferErrors(store, origin, destination);
      // Every failure is reported under this one misleading message (docs/magento/msi-rest.md#bulk-routes).
      if (errors.length > 0)
        throw badRequest("Validation Error: Select different sources for origin and destination.", [], errors);
      const products = skus.map((s) => qtyProduct(store, s)).filter((p): p is ProductRecord => p !== undefined);
      // A SKU without an origin row reaches an array access on null (inferred → 500, nothing written).
      if (products.some((p) => store.items.get(p.sku, origin) === undefined)) throw maskedInternalError();
      const destCode = store.findSource(destination)?.source_code ?? destination;
      for (const p of products) {
        const from = store.items.get(p.sku, origin);
        if (from === undefined) continue;
        const to = store.items.get(p.sku, destination);
        // Destination += origin quantity and takes the origin's status; notify qty moves along (seed 002).
        store.items.upsert(
          to?.sku ?? p.sku,
          to?.source_code ?? destCode,
          decimal((to?.quantity ?? 0) + from.quantity, 12, 4),
          from.status,
        );
        copyLowStock(store, p.sku, origin, destCode, unassignIn === true);
        if (unassignIn === true) store.items.deleteRow(from);
        else store.items.upsert(from.sku, from.source_code, 0, 0);
      }
      if (origin === DEFAULT_SOURCE || destination === DEFAULT_SOURCE) requireProducts(store, skus);
      return true;
    },
  },
  {
    method: "POST",
    path: "V1/inventory/bulk-partial-source-transfer",
    acl: ["Magento_Catalog::products"],
    params: [
      { name: "originSourceCode", type: scalar("string") },
      { name: "destinationSourceCode", type: scalar("string") },
      { name: "items", type: objectList(PARTIAL_TRANSFER_ITEM) },
    ],
    handle: ([originIn, destIn, itemsIn], ctx) => {
      const store = ctx.store;
      const origin = String(originIn);
      const destination = String(destIn);
      const items = (Array.isArray(itemsIn) ? (itemsIn as readonly Converted[]) : [])
        .map((x) => asObject(x))
        .filter((x): x is DataObject => x !== null);
      const errors = transferErrors(store, origin, destination);
      // Magento: magento/inventory:InventoryCatalog/Model/Source/Validator/Bulk/PartialTransferItemsValidator.php
      for (const item of items) {
        const sku = item.str("sku") ?? "";
        const qty = item.num("qty") ?? 0;
        const from = store.items.get(sku, origin);
        if (from === undefined)
          errors.push(phrase("%message", { message: `Source item for ${sku} and ${origin} does not exist` }));
        if (store.items.get(sku, destination) === undefined) {
          errors.push(phrase("%message", { message: `Source item for ${sku} and ${destination} does not exist` }));
        }
        if (from !== undefined && from.quantity < qty) {
          errors.push(phrase("Requested transfer amount for sku %sku is not available", { sku }));
        }
      }
      if (errors.length > 0) throw badRequest("Transfer validation failed", [], errors);
      for (const item of items) {
        const qty = item.num("qty") ?? 0;
        const from = store.items.get(item.str("sku") ?? "", origin);
        const to = store.items.get(item.str("sku") ?? "", destination);
        if (from === undefined || to === undefined) continue;
        // Origin loses the quantity (status untouched); destination gains it and is in stock.
        store.items.upsert(from.sku, from.source_code, decimal(from.quantity - qty, 12, 4), from.status);
        store.items.upsert(to.sku, to.source_code, decimal(to.quantity + qty, 12, 4), 1);
      }
      return null;
    },
  },
];
