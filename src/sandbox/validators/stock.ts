// StockValidatorChain. Magento: magento/inventory:Inventory/Model/Stock/Validator/NameValidator.php,
// magento/inventory:InventorySales/Model/Stock/Validator/SalesChannelsValidator.php;
// docs/magento/msi-rest.md#stock-validators.

import { phrase, type Phrase } from "../errors.js";
import type { DataObject } from "../input/types.js";
import type { Store } from "../store/store.js";
import { notAnEmptyString } from "./checkers.js";

export function validateStock(stock: DataObject, store: Store): Phrase[] {
  const errors: Phrase[] = [...notAnEmptyString("name", stock.get("name"))];
  // Only when sales_channels is an array; website codes must exist, other types are free.
  const channels = stock.obj("extension_attributes")?.list("sales_channels") ?? null;
  if (channels !== null) {
    for (const ch of channels) {
      const type = ch.get("type");
      const code = ch.get("code");
      errors.push(...notAnEmptyString("type", type), ...notAnEmptyString("code", code));
      if (type === "website") {
        const c = typeof code === "string" ? code : "";
        if (store.findWebsite(c) === undefined)
          errors.push(phrase('The website with code "%code" does not exist.', { code: c }));
      }
    }
  }
  return errors;
}
