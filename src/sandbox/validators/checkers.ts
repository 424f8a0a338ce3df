// Shared field checkers of the MSI validators.
// Magento: magento/inventory:Inventory/Model/Validators/{NotAnEmptyString,NoWhitespaceInString,
// NoSpaceBeforeAndAfterString,NoSpecialCharsInString,IsNumericValue}.php

import { phrase, type Phrase } from "../errors.js";
import { isNumeric, phpString } from "../input/type-processor.js";

/** PHP trim()'s default character set. */
export function phpTrim(value: string): string {
  return value.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, "");
}

export function notAnEmptyString(field: string, value: unknown): Phrase[] {
  return phpTrim(phpString(value)) === "" ? [phrase('"%field" can not be empty.', { field })] : [];
}

export function noWhitespaceInString(field: string, value: unknown): Phrase[] {
  return /\s/.test(phpString(value)) ? [phrase('"%field" can not contain whitespaces.', { field })] : [];
}

export function noSpaceBeforeAndAfterString(field: string, value: unknown): Phrase[] {
  const s = phpString(value);
  return phpTrim(s) !== s ? [phrase('"%field" can not contain leading or trailing spaces.', { field })] : [];
}

/** Forbids `${…}` / `$:{…}` templates only (MC-16116); its message names no field. */
export function noSpecialCharsInString(value: unknown): Phrase[] {
  return /\$:*\{.*\}/s.test(phpString(value)) ? [phrase("Validation Failed")] : [];
}

export function isNumericValue(field: string, value: unknown): Phrase[] {
  return isNumeric(value) ? [] : [phrase('"%field" should be numeric.', { field })];
}
