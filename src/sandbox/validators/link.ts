// StockSourceLinkValidatorChain, run per link; errors do not say which link failed.
// Magento: magento/inventory:Inventory/Model/StockSourceLink/Validator/{SourceCode,StockId,Priority}Validator.php,
// magento/inventory:InventoryCatalog/Model/StockSourceLink/Validator/AssignToDefaultStockDefaultSourceValidator.php;
// docs/magento/msi-rest.md#link-save-validators.

import { phrase, type Phrase } from "../errors.js";
import { phpString } from "../input/type-processor.js";
import type { DataObject } from "../input/types.js";
import { notAnEmptyString, noWhitespaceInString } from "./checkers.js";

export function validateLink(link: DataObject): Phrase[] {
  const code = link.get("source_code");
  const stockId = link.get("stock_id");
  const priority = link.get("priority");
  const errors: Phrase[] = [...notAnEmptyString("source_code", code), ...noWhitespaceInString("source_code", code)];
  // (string)stock_id must not be empty: null/omitted fails, 0 passes.
  if (phpString(stockId) === "") errors.push(phrase('"%field" can not be empty.', { field: "stock_id" }));
  // (int)priority > 0; the text really says "then".
  if (!(typeof priority === "number" && Math.trunc(priority) > 0)) {
    errors.push(phrase('"%field" should be greater then 0.', { field: "priority" }));
  }
  const touchesDefault = stockId === 1 || code === "default";
  if (touchesDefault && !(stockId === 1 && code === "default")) {
    errors.push(phrase("Can not save link related to Default Source or Default Stock"));
  }
  return errors;
}
