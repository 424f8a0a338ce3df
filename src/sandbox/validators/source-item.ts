// SourceItemValidatorChain. Magento: magento/inventory:Inventory/Model/SourceItem/Validator/{Sku,SourceCode,
// Quantity,Status}Validator.php; docs/magento/msi-rest.md#source-item-save-validators. The bundle "Ship Together"
// validator is not emulated (the sandbox has no bundle selections).

import { phrase, type Phrase } from "../errors.js";
import type { DataObject } from "../input/types.js";
import { isNumericValue, notAnEmptyString, noSpaceBeforeAndAfterString, noWhitespaceInString } from "./checkers.js";

export function validateSourceItem(item: DataObject): Phrase[] {
  const sku = item.get("sku");
  const code = item.get("source_code");
  const status = item.get("status");
  const errors: Phrase[] = [];
  // 2.4.7+ (ACP2E-2114): no leading/trailing spaces either; " " gives both errors.
  errors.push(...notAnEmptyString("sku", sku), ...noSpaceBeforeAndAfterString("sku", sku ?? ""));
  errors.push(...notAnEmptyString("source_code", code), ...noWhitespaceInString("source_code", code));
  // is_numeric makes both fields mandatory, whatever the docs say.
  errors.push(...isNumericValue("quantity", item.get("quantity")));
  const statusErrors = isNumericValue("status", status);
  errors.push(...statusErrors);
  if (statusErrors.length === 0 && status !== 0 && status !== 1) {
    errors.push(phrase('"%field" should a known status.', { field: "status" }));
  }
  return errors;
}
