// Scalar conversion of request values.
// Magento: magento/magento2:lib/internal/Magento/Framework/Reflection/TypeProcessor.php
// (processSimpleAndAnyType, setType); docs/magento/webapi-platform.md#type-coercion.

import type { ScalarType } from "./types.js";

/** Thrown for a value of the wrong type; Magento's SerializationException. */
export class SerializationError extends Error {}

// PHP 8 is_numeric: optional leading/trailing whitespace, sign, decimal or exponent form.
const NUMERIC = /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/;

export function isNumeric(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && NUMERIC.test(value);
}

/** PHP's (string) cast, used both for conversion and for error messages. */
export function phpString(value: unknown): string {
  if (value === true) return "1";
  if (value === false || value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
    const s = String(value);
    return s.replace(/e\+?/, "E+").replace("E+-", "E-");
  }
  return String(value);
}

/** PHP gettype() names, for "The "array" value's type is invalid". */
export function phpTypeName(value: unknown): string {
  if (Array.isArray(value) || (typeof value === "object" && value !== null)) return "array";
  if (value === null) return "NULL";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "double";
  return "string";
}

export function typeError(value: string, type: string): SerializationError {
  return new SerializationError(
    `The "${value}" value's type is invalid. The "${type}" type was expected. Verify and try again.`,
  );
}

/** filter_var(FILTER_VALIDATE_BOOLEAN): never fails, anything not truthy is false. */
function toBool(value: unknown): boolean {
  if (value === true) return true;
  if (typeof value === "number") return value === 1;
  if (typeof value === "string") return ["1", "true", "on", "yes"].includes(value.trim().toLowerCase());
  return false;
}

/** Converts one scalar; null passes through to the setter unchanged. */
export function convertScalar(value: unknown, type: ScalarType): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "object") throw typeError(phpTypeName(value), type);
  switch (type) {
    case "bool":
      return toBool(value);
    case "string":
      return phpString(value);
    case "int":
    case "float": {
      if (!isNumeric(value)) throw typeError(phpString(value), type);
      const n = typeof value === "number" ? value : Number(String(value).trim());
      // settype($v, 'int') truncates fractions ("1.9" → 1).
      return type === "int" ? Math.trunc(n) : n;
    }
  }
}

/** Arrays of scalars (string[]): each element is settype'd; a non-array is a type error. */
export function convertScalarList(value: unknown, type: ScalarType): readonly (string | number | boolean | null)[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== "object") throw typeError(phpString(value), `${type}[]`);
  const items = Array.isArray(value) ? (value as unknown[]) : Object.values(value as Record<string, unknown>);
  return items.map((v) => {
    if (type === "string") return typeof v === "object" && v !== null ? "Array" : phpString(v);
    if (type === "bool") return toBool(v);
    // settype() on arrays never fails: non-numeric strings become 0.
    const n = typeof v === "number" ? v : Number.parseFloat(phpString(v));
    const safe = Number.isFinite(n) ? n : 0;
    return type === "int" ? Math.trunc(safe) : safe;
  });
}
