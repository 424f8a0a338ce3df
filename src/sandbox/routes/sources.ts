// SourceRepositoryInterface over REST. Magento: magento/inventory:InventoryApi/etc/webapi.xml,
// magento/inventory:Inventory/Model/Source/Command/{Get,GetList,Save}.php,
// magento/inventory:Inventory/Model/ResourceModel/Source.php.

import { collationKey, compareKeys } from "../collation.js";
import { badRequest, notFound } from "../errors.js";
import { SEARCH_CRITERIA, SOURCE } from "../input/data-objects.js";
import { asObject, DataObject, object, scalar } from "../input/types.js";
import { sourceOut, searchResults } from "../output.js";
import { criteriaFromInput } from "../search/criteria.js";
import { searchRows } from "../search/engine.js";
import { decimal, INT_UNSIGNED_MAX, unsignedInt, varchar } from "../sql-values.js";
import type { SourceRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { phpTrim } from "../validators/checkers.js";
import { validateSource } from "../validators/source.js";
import { SOURCE_COLUMNS } from "./columns.js";
import type { RouteDef } from "./route-def.js";

const bySourceCode = (a: SourceRecord, b: SourceRecord): number =>
  compareKeys(collationKey(a.source_code), collationKey(b.source_code));

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

/**
 * Writes only the columns present in the request; null on a NOT NULL column is skipped.
 * Magento:
 * magento/magento2:lib/internal/Magento/Framework/Model/ResourceModel/AbstractResource.php::_prepareDataForTable.
 */
function applyColumns(rec: SourceRecord, src: DataObject): void {
  const text = (field: keyof SourceRecord, length: number): void => {
    if (!src.has(field)) return;
    const v = str(src.get(field));
    (rec as unknown as Record<string, unknown>)[field] = v === null ? null : varchar(v, length);
  };
  text("email", 255);
  text("contact_name", 255);
  text("region", 255);
  text("city", 255);
  text("street", 255);
  text("phone", 255);
  text("fax", 255);
  if (src.has("description")) rec.description = str(src.get("description"));
  const name = str(src.get("name"));
  if (name !== null) rec.name = varchar(name, 255);
  const country = str(src.get("country_id"));
  if (country !== null) rec.country_id = varchar(country, 2);
  const postcode = str(src.get("postcode"));
  if (postcode !== null) rec.postcode = varchar(postcode, 255);
  const enabled = src.get("enabled");
  if (typeof enabled === "boolean") rec.enabled = enabled;
  const udcc = src.get("use_default_carrier_config");
  if (typeof udcc === "boolean") rec.use_default_carrier_config = udcc;
  // decimal(8,6) / decimal(9,6), stored to 6 decimals.
  if (src.has("latitude")) {
    const v = src.num("latitude");
    rec.latitude = v === null ? null : decimal(v, 8, 6);
  }
  if (src.has("longitude")) {
    const v = src.num("longitude");
    rec.longitude = v === null ? null : decimal(v, 9, 6);
  }
  if (src.has("region_id")) {
    const v = src.num("region_id");
    rec.region_id = v === null ? null : unsignedInt(v, INT_UNSIGNED_MAX);
  }
}

/**
 * In-store-pickup after-save plugin: the extension object always exists, so an omitted
 * frontend_description is written as NULL and an empty frontend_name becomes the name;
 * an omitted is_pickup_location_active is left alone (NOT NULL column).
 * Magento: magento/inventory:InventoryInStorePickup/Plugin/InventoryApi/SourceRepository/SaveInStorePickupPlugin.php
 */
function applyPickup(rec: SourceRecord, src: DataObject): void {
  const ext = src.obj("extension_attributes");
  const active = ext?.get("is_pickup_location_active");
  if (typeof active === "boolean") rec.is_pickup_location_active = active;
  const frontendName = str(ext?.get("frontend_name"));
  rec.frontend_name = frontendName === null || frontendName === "" ? rec.name : varchar(frontendName, 255);
  rec.frontend_description = str(ext?.get("frontend_description"));
}

export function saveSource(store: Store, src: DataObject): void {
  const errors = validateSource(src);
  if (errors.length > 0) throw badRequest("Validation Failed", [], errors);
  const code = varchar(str(src.get("source_code")) ?? "", 255);
  const key = collationKey(code);
  const name = str(src.get("name")) ?? "";
  // Unique name, trimmed, compared by the column collation; the failure is swallowed into
  // "Could not save Source". Magento:
  // magento/magento2:lib/internal/Magento/Framework/Model/ResourceModel/Db/AbstractDb.php::_checkUnique.
  const nameKey = collationKey(phpTrim(name));
  for (const [k, other] of store.sources) {
    if (k !== key && collationKey(other.name) === nameKey) throw badRequest("Could not save Source");
  }
  // POST and PUT both upsert by code (PredefinedId::isObjectNotNew).
  let rec = store.sources.get(key);
  if (rec === undefined) {
    rec = {
      source_code: code,
      name,
      email: null,
      contact_name: null,
      enabled: true,
      description: null,
      latitude: null,
      longitude: null,
      country_id: "",
      region_id: null,
      region: null,
      city: null,
      street: null,
      postcode: "",
      phone: null,
      fax: null,
      use_default_carrier_config: true,
      is_pickup_location_active: false,
      frontend_name: "",
      frontend_description: null,
    };
    store.sources.set(key, rec);
  }
  applyColumns(rec, src);
  applyPickup(rec, src);
  store.touch();
}

export const sourceRoutes: readonly RouteDef[] = [
  {
    method: "GET",
    path: "V1/inventory/sources",
    acl: ["Magento_InventoryApi::source"],
    params: [{ name: "searchCriteria", type: object(SEARCH_CRITERIA), optional: true }],
    handle: ([criteriaIn], ctx) => {
      const criteria = criteriaFromInput(asObject(criteriaIn));
      const page = searchRows(
        [...ctx.store.sources.values()],
        SOURCE_COLUMNS,
        criteria,
        ctx.lastPageBehavior,
        bySourceCode,
      );
      return searchResults(page.items.map(sourceOut), criteria, page.total);
    },
  },
  {
    method: "GET",
    path: "V1/inventory/sources/:sourceCode",
    acl: ["Magento_InventoryApi::source"],
    params: [{ name: "sourceCode", type: scalar("string") }],
    handle: ([code], ctx) => {
      const rec = ctx.store.findSource(String(code));
      // Magento: magento/inventory:Inventory/Model/Source/Command/Get.php
      if (rec === undefined) throw notFound('Source with code "%value" does not exist.', { value: String(code) });
      return sourceOut(rec);
    },
  },
  {
    method: "POST",
    path: "V1/inventory/sources",
    acl: ["Magento_InventoryApi::source_edit"],
    params: [{ name: "source", type: object(SOURCE) }],
    handle: ([src], ctx) => {
      saveSource(ctx.store, asObject(src) ?? new DataObject());
      return null;
    },
  },
  {
    method: "PUT",
    path: "V1/inventory/sources/:sourceCode",
    acl: ["Magento_InventoryApi::source_edit"],
    params: [{ name: "source", type: object(SOURCE) }],
    bodyEntity: SOURCE,
    handle: ([src], ctx) => {
      saveSource(ctx.store, asObject(src) ?? new DataObject());
      return null;
    },
  },
];
