// MySQL utf8(mb3)_general_ci as Magento's tables use it: case- and accent-insensitive,
// trailing spaces ignored (PAD SPACE); ASCII letters weigh as their upper case, so `_` sorts
// after letters as in MySQL. Identity (primary/unique keys) and string filters
// both go through this key.
// Magento: magento/magento2:lib/internal/Magento/Framework/Setup/Declaration/Schema/Dto/Factories/Table.php
// (default collation); docs/magento/msi-rest.md#reading-values-back.

const ASCII = /^[\x00-\x7f]*$/;

export function collationKey(value: string): string {
  // Fast path: no lower-case letter, space or non-ASCII character, nothing to fold or trim.
  if (/^[\x21-\x60\x7b-\x7e]*$/.test(value)) return value;
  let s = value;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  if (end !== s.length) s = s.slice(0, end);
  if (ASCII.test(s)) return s.toUpperCase();
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase();
}

/** Compares two already-computed collation keys (code-unit order of the folded text). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Case/accent folding without the PAD SPACE trim, for LIKE / REGEXP / FIND_IN_SET. */
export function fold(value: string): string {
  if (ASCII.test(value)) return value.toUpperCase();
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase();
}
