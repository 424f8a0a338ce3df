// SourceValidatorChain, in DI order across Inventory, InventoryCatalog, InventoryShipping and
// InventoryInStorePickup (the order between modules is not pinned by Magento; docs/magento/msi-rest.md#open-questions).
// Magento: magento/inventory:Inventory/etc/di.xml and the validators named below;
// docs/magento/msi-rest.md#source-validators.

import { phrase, type Phrase } from "../errors.js";
import type { DataObject } from "../input/types.js";
import { notAnEmptyString, noSpecialCharsInString, noWhitespaceInString } from "./checkers.js";

const DEFAULT_SOURCE = "default";

function pickupActive(source: DataObject): boolean {
  return source.obj("extension_attributes")?.get("is_pickup_location_active") === true;
}

export function validateSource(source: DataObject): Phrase[] {
  const errors: Phrase[] = [];
  const name = source.get("name");
  const code = source.get("source_code");
  // Magento: magento/inventory:Inventory/Model/Source/Validator/NameValidator.php
  errors.push(...notAnEmptyString("name", name), ...noSpecialCharsInString(name));
  // Magento: magento/inventory:Inventory/Model/Source/Validator/CodeValidator.php (" " gives empty + whitespace)
  errors.push(
    ...notAnEmptyString("source_code", code),
    ...noWhitespaceInString("source_code", code),
    ...noSpecialCharsInString(code),
  );
  // Magento: magento/inventory:Inventory/Model/Source/Validator/PostcodeValidator.php
  errors.push(...notAnEmptyString("postcode", source.get("postcode")));
  // Magento: magento/inventory:Inventory/Model/Source/Validator/CountryValidator.php
  errors.push(...notAnEmptyString("country_id", source.get("country_id")));
  // Magento: magento/inventory:InventoryCatalog/Model/Source/Validator/DefaultSourceDisableValidator.php
  // (strict === "default"; an omitted `enabled` is null and fails too)
  if (code === DEFAULT_SOURCE && source.get("enabled") !== true) {
    errors.push(phrase("Default source can not be disabled."));
  }
  // Magento: magento/inventory:InventoryShipping/Model/Source/Validator/CarrierLinksValidator.php — the
  // use-default-config getter is hard-wired to true, so any non-empty list is refused.
  const links = source.get("carrier_links");
  if (Array.isArray(links) && links.length > 0) {
    errors.push(
      phrase('You can\'t configure "%field" because you have chosen Global Shipping configuration.', {
        field: "carrier_links",
      }),
    );
  }
  if (pickupActive(source)) {
    const empty = (v: unknown): boolean => notAnEmptyString("x", v).length > 0;
    // Magento: magento/inventory:InventoryInStorePickup/Model/Source/Validator/{City,Street,Phone}Validator.php
    if (empty(source.get("city")))
      errors.push(phrase('"%field" can not be empty for Pickup Location.', { field: "city" }));
    if (empty(source.get("street")))
      errors.push(phrase('"%field" can not be empty for Pickup Location.', { field: "street" }));
    // PhoneValidator tests getCity(), not the phone: an empty phone is never refused.
    if (empty(source.get("city")))
      errors.push(phrase('"%field" can not be empty for Pickup Location.', { field: "phone" }));
    // Magento:
    // magento/inventory:InventoryInStorePickup/Model/Source/Validator/DefaultSourceUseForPickupLocationValidator.php
    if (code === DEFAULT_SOURCE)
      errors.push(phrase("The Default Source can not be used for In-Store Pickup Delivery."));
  }
  return errors;
}
