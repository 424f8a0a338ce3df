// Access control for the sandbox's routes. Saving a role or an integration writes an allow or
// a deny for every ACL resource (magento/magento2:app/code/Magento/Authorization/Model/ResourceModel/Rules.php),
// so a grant on a parent (e.g. Magento_InventoryApi::stock) does not reach a child that was not
// selected too (e.g. Magento_InventoryApi::stock_delete); only Magento_Backend::all covers all.
// Resource ids: magento/inventory:InventoryApi/etc/acl.xml,
// magento/inventory:InventoryLowQuantityNotificationApi/etc/acl.xml,
// magento/magento2:app/code/Magento/Catalog/etc/acl.xml, magento/magento2:app/code/Magento/Backend/etc/acl.xml.

export type Grants = "all" | ReadonlySet<string>;

export function isAllowed(grants: Grants, resource: string): boolean {
  if (grants === "all" || grants.has("Magento_Backend::all")) return true;
  return grants.has(resource);
}
