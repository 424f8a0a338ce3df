// The ACL resources behind the routes inv calls, what inv does with each, and where the
// Admin shows it. Magento checks a route's resources before anything else
// (magento/magento2:app/code/Magento/Webapi/Controller/Rest/RequestValidator.php), and a role
// holds each resource on its own: a parent does not grant its children.
// Routes and resources: magento/inventory:InventoryApi/etc/webapi.xml,
// magento/inventory:InventorySalesApi/etc/webapi.xml, magento/inventory:InventoryCatalogApi/etc/webapi.xml;
// magento/magento2:app/code/Magento/Catalog/etc/webapi.xml (GET V1/products),
// magento/magento2:app/code/Magento/Store/etc/webapi.xml (GET V1/store/websites).
// Titles in the Admin's resource tree: the acl.xml of InventoryApi, InventorySalesApi,
// magento/magento2 Catalog and Backend.

export interface AclResourceUse {
  readonly resource: string;
  /** What inv does with it, completing "inv needs it to ...". */
  readonly usedFor: string;
  /** The routes inv calls that need it. */
  readonly routes: readonly string[];
  /**
   * Without it: `plan`, inv plan cannot read the store; `apply`, inv apply cannot make some
   * changes; `optional`, inv carries on and says which check it skipped.
   */
  readonly need: "plan" | "apply" | "optional";
  /** What inv does without an optional resource. */
  readonly without?: string;
  /** Its place in the Admin's resource tree (role or integration "Role Resources" / "API"). */
  readonly adminPath: string;
}

export const ACL_RESOURCES: readonly AclResourceUse[] = [
  {
    resource: "Magento_InventoryApi::source",
    usedFor: "read sources, source items and each stock's sources by priority",
    routes: [
      "GET V1/inventory/sources",
      "GET V1/inventory/source-items",
      "GET V1/inventory/get-sources-assigned-to-stock-ordered-by-priority/:stockId",
    ],
    need: "plan",
    adminPath: "Stores > Inventory > Sources",
  },
  {
    resource: "Magento_InventoryApi::source_edit",
    usedFor: "create and update sources",
    routes: ["POST V1/inventory/sources", "PUT V1/inventory/sources/:sourceCode"],
    need: "apply",
    adminPath: "Stores > Inventory > Sources > Edit Sources",
  },
  {
    resource: "Magento_InventoryApi::stock",
    usedFor: "read stocks and their sales channels",
    routes: ["GET V1/inventory/stocks"],
    need: "plan",
    adminPath: "Stores > Inventory > Stocks",
  },
  {
    resource: "Magento_InventoryApi::stock_edit",
    usedFor: "create, update and rename stocks",
    routes: ["POST V1/inventory/stocks", "PUT V1/inventory/stocks/:stockId"],
    need: "apply",
    adminPath: "Stores > Inventory > Stocks > Edit Stocks",
  },
  {
    resource: "Magento_InventoryApi::stock_delete",
    usedFor: "delete stocks",
    routes: ["DELETE V1/inventory/stocks/:stockId"],
    need: "apply",
    adminPath: "Stores > Inventory > Stocks > Delete Stocks",
  },
  {
    resource: "Magento_InventoryApi::stock_source_link",
    usedFor: "read, save and delete the links between stocks and sources",
    routes: [
      "GET V1/inventory/stock-source-links",
      "POST V1/inventory/stock-source-links",
      "POST V1/inventory/stock-source-links-delete",
    ],
    need: "plan",
    adminPath: "Stores > Inventory > Stocks > Source to Stock Assigning",
  },
  {
    // Magento 2.4.5 (MSI 1.2.5) moved these routes here from Magento_InventoryApi::source.
    resource: "Magento_InventoryApi::stock_source_item_assign",
    usedFor: "save and delete source items",
    routes: ["POST V1/inventory/source-items", "POST V1/inventory/source-items-delete"],
    need: "apply",
    adminPath: "Stores > Inventory > Stocks > Source Item Assigning",
  },
  {
    resource: "Magento_InventorySalesApi::stock",
    usedFor: "read salable quantities, to check reservations before unassigning stock",
    routes: ["GET V1/inventory/get-product-salable-quantity/:sku/:stockId"],
    need: "optional",
    without: "inv plan names the reservations it could not check",
    adminPath: "Stores > Inventory > Sales Stock",
  },
  {
    resource: "Magento_Catalog::products",
    usedFor: "check the file's SKUs against the catalog and send bulk assign, unassign and transfer calls",
    routes: [
      "GET V1/products",
      "POST V1/inventory/bulk-product-source-assign",
      "POST V1/inventory/bulk-product-source-unassign",
      "POST V1/inventory/bulk-product-source-transfer",
    ],
    need: "plan",
    adminPath: "Products > Inventory > Catalog",
  },
  {
    resource: "Magento_Backend::store",
    usedFor: "read website codes, to check stocks' sales channels before saving them",
    routes: ["GET V1/store/websites"],
    need: "optional",
    without: "inv plan cannot check website codes, and Magento refuses an unknown one mid-apply",
    adminPath: "Stores > Settings > All Stores",
  },
];
