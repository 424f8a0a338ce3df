// The ACL tree the inventory routes' resources hang in. A grant on a parent covers its
// children (Laminas ACL inheritance, as Magento's role rules use it).
// Magento: inv InventoryApi/etc/acl.xml, inv InventoryLowQuantityNotificationApi/etc/acl.xml,
// mm2 Magento/Catalog/etc/acl.xml, Magento/Backend/etc/acl.xml.

const PARENT: Readonly<Record<string, string>> = {
  "Magento_Backend::stores": "Magento_Backend::admin",
  "Magento_InventoryApi::inventory": "Magento_Backend::stores",
  "Magento_InventoryApi::source": "Magento_InventoryApi::inventory",
  "Magento_InventoryApi::source_edit": "Magento_InventoryApi::source",
  "Magento_InventoryApi::ship_source_selection": "Magento_InventoryApi::source",
  "Magento_InventoryApi::stock": "Magento_InventoryApi::inventory",
  "Magento_InventoryApi::stock_edit": "Magento_InventoryApi::stock",
  "Magento_InventoryApi::stock_delete": "Magento_InventoryApi::stock",
  "Magento_InventoryApi::stock_source_link": "Magento_InventoryApi::stock",
  "Magento_InventoryApi::stock_source_item_assign": "Magento_InventoryApi::stock",
  "Magento_InventoryLowQuantityNotificationApi::low_quantity_notification": "Magento_InventoryApi::stock",
  "Magento_InventoryLowQuantityNotificationApi::stock_create_low_quantity_notification": "Magento_InventoryApi::stock",
  "Magento_InventoryLowQuantityNotificationApi::stock_delete_low_quantity_notification": "Magento_InventoryApi::stock",
  // Placement of the sales resource in the tree was not looked up; it sits under the inventory node here.
  "Magento_InventorySalesApi::stock": "Magento_InventoryApi::inventory",
  "Magento_Catalog::catalog": "Magento_Backend::admin",
  "Magento_Catalog::catalog_inventory": "Magento_Catalog::catalog",
  "Magento_Catalog::products": "Magento_Catalog::catalog_inventory",
};

export type Grants = "all" | ReadonlySet<string>;

export function isAllowed(grants: Grants, resource: string): boolean {
  if (grants === "all" || grants.has("Magento_Backend::all")) return true;
  let cur: string | undefined = resource;
  while (cur !== undefined) {
    if (grants.has(cur)) return true;
    cur = PARENT[cur];
  }
  return false;
}
