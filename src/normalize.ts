// Values as Magento reads them back (docs/magento/msi-rest.md#reading-values-back): absent fields are null,
// empty strings are null, coordinates have 6 decimals, quantities 4. The file and the store
// are both normalised here, so they compare equal exactly when Magento would store the same.

import { roundCoordinate } from "./magento/equivalence.js";
import type { SourceField, SourceFields } from "./model.js";

const NULLABLE_TEXT: readonly SourceField[] = [
  "email",
  "contact_name",
  "description",
  "region",
  "city",
  "street",
  "phone",
  "fax",
  "frontend_name",
  "frontend_description",
];

export function toBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === "1" || value === "true";
}

function toNullableNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function toNullableText(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** A field's value as Magento reads it back, so a file and a store compare equal when Magento would. */
export function normalizeSourceField<F extends SourceField>(field: F, value: unknown, name: string): SourceFields[F] {
  switch (field) {
    case "enabled":
    case "is_pickup_location_active":
      return toBoolean(value) as SourceFields[F];
    case "latitude":
    case "longitude": {
      const n = toNullableNumber(value);
      return (n === null ? null : roundCoordinate(n)) as SourceFields[F];
    }
    case "region_id": {
      const n = toNullableNumber(value);
      return (n === null ? null : Math.trunc(n)) as SourceFields[F];
    }
    case "frontend_name":
      // Magento resets an empty frontend name to the name on every save (InventoryInStorePickup
      // SaveInStorePickupPlugin).
      return (toNullableText(value) ?? name) as SourceFields[F];
    case "name":
    case "country_id":
    case "postcode":
      return (typeof value === "string" ? value : String(value ?? "")) as SourceFields[F];
    default:
      return (NULLABLE_TEXT.includes(field) ? toNullableText(value) : value) as SourceFields[F];
  }
}
