// Searchable columns per table (any other field is an SQL error → 500).
// Magento: magento/inventory:Inventory/etc/db_schema.xml, magento/inventory:InventoryInStorePickup/etc/db_schema.xml;
// catalog_product_entity.

import type { Columns } from "../search/columns.js";
import type { LinkRecord, ProductRecord, SourceRecord, StockRecord } from "../store/records.js";

export const SOURCE_COLUMNS: Columns<SourceRecord> = {
  source_code: { kind: "string", get: (s) => s.source_code },
  name: { kind: "string", get: (s) => s.name },
  email: { kind: "string", get: (s) => s.email },
  contact_name: { kind: "string", get: (s) => s.contact_name },
  enabled: { kind: "bool", get: (s) => s.enabled },
  description: { kind: "string", get: (s) => s.description },
  latitude: { kind: "decimal", scale: 6, get: (s) => s.latitude },
  longitude: { kind: "decimal", scale: 6, get: (s) => s.longitude },
  country_id: { kind: "string", get: (s) => s.country_id },
  region_id: { kind: "int", get: (s) => s.region_id },
  region: { kind: "string", get: (s) => s.region },
  city: { kind: "string", get: (s) => s.city },
  street: { kind: "string", get: (s) => s.street },
  postcode: { kind: "string", get: (s) => s.postcode },
  phone: { kind: "string", get: (s) => s.phone },
  fax: { kind: "string", get: (s) => s.fax },
  use_default_carrier_config: { kind: "bool", get: (s) => s.use_default_carrier_config },
  is_pickup_location_active: { kind: "bool", get: (s) => s.is_pickup_location_active },
  frontend_name: { kind: "string", get: (s) => s.frontend_name },
  frontend_description: { kind: "string", get: (s) => s.frontend_description },
};

export const STOCK_COLUMNS: Columns<StockRecord> = {
  stock_id: { kind: "int", get: (s) => s.stock_id },
  name: { kind: "string", get: (s) => s.name },
};

export const LINK_COLUMNS: Columns<LinkRecord> = {
  link_id: { kind: "int", get: (l) => l.link_id },
  stock_id: { kind: "int", get: (l) => l.stock_id },
  source_code: { kind: "string", get: (l) => l.source_code },
  priority: { kind: "int", get: (l) => l.priority },
};

export const PRODUCT_COLUMNS: Columns<ProductRecord> = {
  entity_id: { kind: "int", get: (p) => p.entity_id },
  sku: { kind: "string", get: (p) => p.sku },
  name: { kind: "string", get: (p) => p.name },
  type_id: { kind: "string", get: (p) => p.type_id },
  attribute_set_id: { kind: "int", get: () => 4 },
};
