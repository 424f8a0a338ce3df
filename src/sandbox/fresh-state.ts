// A fresh Magento 2.4 with MSI and a sample-ish catalog (the products the seed pages use).
// Magento: magento/inventory:InventoryCatalog/Setup/Operation/CreateDefaultSource.php, CreateDefaultStock.php,
// AssignDefaultSourceToDefaultStock.php; new products get a `default` source item.

import type { ProductType, SandboxState, StateProduct, StateSourceItem } from "./types.js";

const PRODUCTS: readonly (readonly [string, string, ProductType])[] = [
  ["24-WB01", "Voyage Yoga Bag", "simple"],
  ["24-WB03", "Driven Backpack", "simple"],
  ["240-LV06", "Yoga Adventure", "downloadable"],
  ["24-MB01", "Joust Duffle Bag", "simple"],
  ["24-MB04", "Strive Shoulder Pack", "simple"],
  ["24-UG06", "Affirm Water Bottle", "simple"],
  ["new_product1", "New Product 1", "simple"],
  ["new_product2", "New Product 2", "simple"],
  ["testSimpleProduct", "Test Simple Product", "simple"],
  ["testSimpleProduct2", "Test Simple Product 2", "simple"],
  ["new-product3", "New Product 3", "simple"],
  ["new-product4", "New Product 4", "simple"],
  ["testConfigProduct-red", "Test Config Product-red", "simple"],
  ["testConfigProduct-blue", "Test Config Product-blue", "simple"],
  ["testConfigProduct", "Test Config Product", "configurable"],
  ["MH01", "Chaz Kangeroo Hoodie", "configurable"],
  ["24-WG080", "Sprite Yoga Companion Kit", "bundle"],
  ["24-WG085_Group", "Set of Sprite Yoga Straps", "grouped"],
  ["VGC-1", "Virtual Gift Certificate", "virtual"],
];

// Only simple, virtual and downloadable products hold source items (getIsQtyTypeIds).
const QTY_TYPES: ReadonlySet<ProductType> = new Set<ProductType>(["simple", "virtual", "downloadable"]);

export function freshState(): SandboxState {
  const products: StateProduct[] = PRODUCTS.map(([sku, name, type_id]) => ({ sku, name, type_id }));
  const items: StateSourceItem[] = products
    .filter((p) => QTY_TYPES.has(p.type_id))
    // Seed 000: 24-WB01 / 24-WB03 hold 100; the downloadable 240-LV06 has no quantity.
    .map((p) => ({ sku: p.sku, source_code: "default", quantity: p.sku === "240-LV06" ? 0 : 100, status: 1 }));
  return {
    format: "inv-sandbox-state",
    version: 1,
    websites: [
      { website_id: 0, code: "admin", name: "Admin" },
      { website_id: 1, code: "base", name: "Main Website" },
    ],
    sources: [
      {
        source_code: "default",
        name: "Default Source",
        enabled: true,
        description: "Default Source",
        latitude: 0,
        longitude: 0,
        country_id: "US",
        postcode: "00000",
        use_default_carrier_config: true,
        is_pickup_location_active: false,
        // Column default of inventory_source.frontend_name
        // (magento/inventory:InventoryInStorePickup/etc/db_schema.xml).
        frontend_name: "",
        frontend_description: null,
      },
    ],
    stocks: [{ stock_id: 1, name: "Default Stock", sales_channels: [{ type: "website", code: "base" }] }],
    links: [{ stock_id: 1, source_code: "default", priority: 1 }],
    source_items: items,
    products,
    low_stock: [],
    reservations: [],
    next_stock_id: 2,
  };
}
