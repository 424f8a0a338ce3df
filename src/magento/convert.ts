// Magento's raw REST shapes, and their conversion to and from the model. Values are
// normalised the way Magento returns them (docs/magento/msi-rest.md#reading-values-back): absent fields are
// null, empty strings are null, coordinates have 6 decimals, status is 1/0.

import { normalizeSourceField } from "../normalize.js";
import { roundQuantity } from "./equivalence.js";
import {
  SOURCE_FIELDS,
  statusFromMagento,
  statusToMagento,
  type ItemStatus,
  type LiveSource,
  type LiveSourceItem,
  type SalesChannel,
  type SourceField,
  type SourceFields,
} from "../model.js";

export interface RawSource {
  readonly source_code: string;
  readonly name?: string;
  readonly enabled?: boolean | number | string;
  readonly email?: string | null;
  readonly contact_name?: string | null;
  readonly description?: string | null;
  readonly latitude?: number | string | null;
  readonly longitude?: number | string | null;
  readonly country_id?: string;
  readonly region_id?: number | string | null;
  readonly region?: string | null;
  readonly city?: string | null;
  readonly street?: string | null;
  readonly postcode?: string;
  readonly phone?: string | null;
  readonly fax?: string | null;
  readonly use_default_carrier_config?: boolean;
  readonly carrier_links?: readonly unknown[];
  readonly extension_attributes?: {
    readonly is_pickup_location_active?: boolean | number | string;
    readonly frontend_name?: string | null;
    readonly frontend_description?: string | null;
  };
}

export interface RawStock {
  readonly stock_id: number | string;
  readonly name: string;
  readonly extension_attributes?: { readonly sales_channels?: readonly { type: string; code: string }[] };
}

export interface RawLink {
  readonly stock_id: number | string;
  readonly source_code: string;
  readonly priority: number | string;
}

export interface RawSourceItem {
  readonly sku: string;
  readonly source_code: string;
  readonly quantity: number | string;
  readonly status: number | string;
}

export interface RawProduct {
  readonly sku: string;
  readonly type_id?: string;
}

export function liveSourceFromRaw(raw: RawSource): LiveSource {
  const flat: Record<string, unknown> = { ...raw, ...raw.extension_attributes };
  const name = typeof raw.name === "string" ? raw.name : "";
  const fields = {} as Record<SourceField, unknown>;
  for (const field of SOURCE_FIELDS) fields[field] = normalizeSourceField(field, flat[field], name);
  return { code: raw.source_code, fields: fields as unknown as SourceFields };
}

const EXTENSION_FIELDS: readonly SourceField[] = ["is_pickup_location_active", "frontend_name", "frontend_description"];

/**
 * The body of a source create: what the file declares and nothing else, since Magento fills
 * the rest itself (`enabled` 1 and `is_pickup_location_active` 0 by column default,
 * magento/inventory:Inventory/etc/db_schema.xml and magento/inventory:InventoryInStorePickup/etc/db_schema.xml;
 * an empty `frontend_name` becomes the name, docs/magento/msi-rest.md#sources-upsert-and-partial-update).
 * Name and code first, as Magento's tutorial writes them, then the fields in the file's order.
 */
export function sourceCreatePayload(
  code: string,
  fields: SourceFields,
  declared: readonly SourceField[],
): { source: Record<string, unknown> } {
  const source: Record<string, unknown> = {};
  const extension: Record<string, unknown> = {};
  if (declared.includes("name")) source["name"] = fields.name;
  source["source_code"] = code;
  for (const field of declared) {
    if (field === "name") continue;
    if (EXTENSION_FIELDS.includes(field)) extension[field] = fields[field];
    else source[field] = fields[field];
  }
  if (Object.keys(extension).length > 0) source["extension_attributes"] = extension;
  return { source };
}

/**
 * The body of a source update. Magento writes only the columns it is sent
 * (docs/magento/msi-rest.md#sources-upsert-and-partial-update), except the pickup extension attributes, which it always
 * rewrites; so the body carries every non-null field and `null` only where the file clears a field.
 */
export function sourcePayload(
  code: string,
  fields: SourceFields,
  cleared: readonly SourceField[],
): { source: Record<string, unknown> } {
  const source: Record<string, unknown> = { source_code: code };
  const extension: Record<string, unknown> = {};
  for (const field of SOURCE_FIELDS) {
    const value = fields[field];
    if (value === null && !cleared.includes(field)) continue;
    if (EXTENSION_FIELDS.includes(field)) extension[field] = value;
    else source[field] = value;
  }
  if (Object.keys(extension).length > 0) source["extension_attributes"] = extension;
  return { source };
}

export function salesChannelsFromRaw(raw: RawStock): SalesChannel[] {
  return (raw.extension_attributes?.sales_channels ?? []).map((c) => ({ type: c.type, code: c.code }));
}

export function stockPayload(
  stockId: number | StockIdRef | undefined,
  name: string,
  channels: readonly SalesChannel[],
): { stock: Record<string, unknown> } {
  return {
    stock: {
      ...(stockId !== undefined ? { stock_id: stockId } : {}),
      name,
      extension_attributes: { sales_channels: channels.map((c) => ({ type: c.type, code: c.code })) },
    },
  };
}

/** A stock id that exists only after the stock is created: resolved at apply time. */
export interface StockIdRef {
  readonly $stock: string;
}

export function isStockIdRef(value: unknown): value is StockIdRef {
  return typeof value === "object" && value !== null && "$stock" in value;
}

export function liveItemFromRaw(raw: RawSourceItem): LiveSourceItem {
  return {
    source: raw.source_code,
    quantity: roundQuantity(Number(raw.quantity)),
    status: statusFromMagento(Number(raw.status)),
  };
}

export function sourceItemPayload(sku: string, source: string, quantity: number, status: ItemStatus) {
  return { sku, source_code: source, quantity, status: statusToMagento(status) };
}
