// Field maps of the data interfaces the routes accept (getter names → snake_case, getter
// return types). Magento: magento/inventory:InventoryApi/Api/Data/*.php,
// magento/inventory:InventorySalesApi/Api/Data/SalesChannelInterface.php,
// magento/inventory:InventoryLowQuantityNotificationApi/Api/Data/SourceItemConfigurationInterface.php,
// magento/inventory:InventoryCatalogApi/Api/Data/PartialInventoryTransferItemInterface.php,
// magento/inventory:InventoryInStorePickupApi/etc/extension_attributes.xml,
// magento/inventory:InventorySales/etc/extension_attributes.xml,
// magento/magento2:lib/internal/Magento/Framework/Api/{SearchCriteria,Search/FilterGroup,Filter,SortOrder}.php.

import { object, objectList, scalar, type DataObjectDef } from "./types.js";

const noExtension = (phpType: string): DataObjectDef => ({ phpType, fields: {} });

export const SOURCE_CARRIER_LINK: DataObjectDef = {
  phpType: "\\Magento\\InventoryApi\\Api\\Data\\SourceCarrierLinkInterface",
  fields: {
    carrier_code: scalar("string"),
    position: scalar("int"),
    extension_attributes: object(
      noExtension("\\Magento\\InventoryApi\\Api\\Data\\SourceCarrierLinkExtensionInterface"),
    ),
  },
};

export const SOURCE_EXTENSION: DataObjectDef = {
  phpType: "\\Magento\\InventoryApi\\Api\\Data\\SourceExtensionInterface",
  fields: {
    is_pickup_location_active: scalar("bool"),
    frontend_name: scalar("string"),
    frontend_description: scalar("string"),
  },
};

export const SOURCE: DataObjectDef = {
  phpType: "\\Magento\\InventoryApi\\Api\\Data\\SourceInterface",
  fields: {
    source_code: scalar("string"),
    name: scalar("string"),
    email: scalar("string"),
    contact_name: scalar("string"),
    enabled: scalar("bool"),
    description: scalar("string"),
    latitude: scalar("float"),
    longitude: scalar("float"),
    country_id: scalar("string"),
    region_id: scalar("int"),
    region: scalar("string"),
    city: scalar("string"),
    street: scalar("string"),
    postcode: scalar("string"),
    phone: scalar("string"),
    fax: scalar("string"),
    use_default_carrier_config: scalar("bool"),
    carrier_links: objectList(SOURCE_CARRIER_LINK),
    extension_attributes: object(SOURCE_EXTENSION),
  },
};

export const SALES_CHANNEL: DataObjectDef = {
  phpType: "\\Magento\\InventorySalesApi\\Api\\Data\\SalesChannelInterface",
  fields: {
    type: scalar("string"),
    code: scalar("string"),
    extension_attributes: object(
      noExtension("\\Magento\\InventorySalesApi\\Api\\Data\\SalesChannelExtensionInterface"),
    ),
  },
};

export const STOCK_EXTENSION: DataObjectDef = {
  phpType: "\\Magento\\InventoryApi\\Api\\Data\\StockExtensionInterface",
  fields: { sales_channels: objectList(SALES_CHANNEL) },
};

export const STOCK: DataObjectDef = {
  phpType: "\\Magento\\InventoryApi\\Api\\Data\\StockInterface",
  fields: {
    stock_id: scalar("int"),
    name: scalar("string"),
    extension_attributes: object(STOCK_EXTENSION),
  },
};

export const STOCK_SOURCE_LINK: DataObjectDef = {
  phpType: "\\Magento\\InventoryApi\\Api\\Data\\StockSourceLinkInterface",
  fields: {
    stock_id: scalar("int"),
    source_code: scalar("string"),
    priority: scalar("int"),
    extension_attributes: object(noExtension("\\Magento\\InventoryApi\\Api\\Data\\StockSourceLinkExtensionInterface")),
  },
};

export const SOURCE_ITEM: DataObjectDef = {
  phpType: "\\Magento\\InventoryApi\\Api\\Data\\SourceItemInterface",
  fields: {
    sku: scalar("string"),
    source_code: scalar("string"),
    quantity: scalar("float"),
    status: scalar("int"),
    extension_attributes: object(noExtension("\\Magento\\InventoryApi\\Api\\Data\\SourceItemExtensionInterface")),
  },
};

export const SOURCE_ITEM_CONFIGURATION: DataObjectDef = {
  phpType: "\\Magento\\InventoryLowQuantityNotificationApi\\Api\\Data\\SourceItemConfigurationInterface",
  fields: {
    source_code: scalar("string"),
    sku: scalar("string"),
    notify_stock_qty: scalar("float"),
    extension_attributes: object(
      noExtension(
        "\\Magento\\InventoryLowQuantityNotificationApi\\Api\\Data\\SourceItemConfigurationExtensionInterface",
      ),
    ),
  },
};

export const PARTIAL_TRANSFER_ITEM: DataObjectDef = {
  phpType: "\\Magento\\InventoryCatalogApi\\Api\\Data\\PartialInventoryTransferItemInterface",
  fields: { sku: scalar("string"), qty: scalar("float") },
};

export const FILTER: DataObjectDef = {
  phpType: "\\Magento\\Framework\\Api\\Filter",
  fields: { field: scalar("string"), value: scalar("string"), condition_type: scalar("string") },
};

export const FILTER_GROUP: DataObjectDef = {
  phpType: "\\Magento\\Framework\\Api\\Search\\FilterGroup",
  fields: { filters: objectList(FILTER) },
};

export const SORT_ORDER: DataObjectDef = {
  phpType: "\\Magento\\Framework\\Api\\SortOrder",
  fields: { field: scalar("string"), direction: scalar("string") },
  isSortOrder: true,
};

export const SEARCH_CRITERIA: DataObjectDef = {
  phpType: "\\Magento\\Framework\\Api\\SearchCriteriaInterface",
  fields: {
    filter_groups: objectList(FILTER_GROUP),
    sort_orders: objectList(SORT_ORDER),
    page_size: scalar("int"),
    current_page: scalar("int"),
  },
  isSearchCriteria: true,
};
