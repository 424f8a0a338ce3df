// Mutable rows the store keeps internally; snapshots copy them into SandboxState.

import type { ProductType } from "../types.js";

/**
 * inventory_source with the in-store-pickup columns. Magento: magento/inventory:Inventory/etc/db_schema.xml,
 * magento/inventory:InventoryInStorePickup/etc/db_schema.xml
 */
export interface SourceRecord {
  source_code: string;
  name: string;
  email: string | null;
  contact_name: string | null;
  enabled: boolean;
  description: string | null;
  latitude: number | null;
  longitude: number | null;
  country_id: string;
  region_id: number | null;
  region: string | null;
  city: string | null;
  street: string | null;
  postcode: string;
  phone: string | null;
  fax: string | null;
  use_default_carrier_config: boolean;
  is_pickup_location_active: boolean;
  frontend_name: string | null;
  frontend_description: string | null;
}

export interface StockRecord {
  readonly stock_id: number;
  name: string;
}

/** inventory_stock_sales_channel: PK (type, code), so a channel belongs to one stock. */
export interface ChannelRecord {
  readonly type: string;
  readonly code: string;
  stock_id: number;
}

export interface LinkRecord {
  readonly link_id: number;
  readonly stock_id: number;
  readonly source_code: string;
  priority: number;
}

export interface ProductRecord {
  readonly entity_id: number;
  readonly sku: string;
  readonly name: string;
  readonly type_id: ProductType;
}

export interface LowStockRecord {
  readonly source_code: string;
  readonly sku: string;
  notify_stock_qty: number | null;
}

export interface WebsiteRecord {
  readonly website_id: number;
  readonly code: string;
  readonly name: string;
  readonly default_group_id: number;
}

export interface ReservationRecord {
  readonly sku: string;
  readonly stock_id: number;
  readonly quantity: number;
}

/**
 * Types whose products hold source items. Magento: CatalogInventory getIsQtyTypeIds (simple, virtual, downloadable).
 */
export const QTY_TYPES: ReadonlySet<ProductType> = new Set<ProductType>(["simple", "virtual", "downloadable"]);
