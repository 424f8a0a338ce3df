// Builds typed service arguments from request data like Magento's ServiceInputProcessor:
// parameter lookup by camelCase or snake_case name, required-argument errors, nested type
// errors ("Error occurred during ... processing."), unknown fields (2.4.7+), input limits.
// Magento: mage-os/mageos-magento2:lib/internal/Magento/Framework/Webapi/ServiceInputProcessor.php;
// docs/magento/webapi-platform.md#input-limits, docs/magento/webapi-platform.md#type-coercion,
// docs/magento/webapi-platform.md#unknown-fields.

import { badRequest, inputErrors, phrase, renderedBadRequest } from "../errors.js";
import { convertScalar, convertScalarList, phpTypeName, SerializationError } from "./type-processor.js";
import {
  DataObject,
  type Converted,
  type DataObjectDef,
  type InputLimitConfig,
  type MethodParam,
  type ParamType,
} from "./types.js";

type Raw = unknown;

function isPhpArray(v: Raw): v is Record<string, unknown> | unknown[] {
  return typeof v === "object" && v !== null;
}

function entries(v: Record<string, unknown> | unknown[]): [string, unknown][] {
  return Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
}

function snakeCase(name: string): string {
  return name.replace(/(?<=\w)(?=[A-Z])/g, "_").toLowerCase();
}

/** SimpleDataObjectConverter::snakeCaseToUpperCamelCase (ucwords on "_", then joined). */
export function upperCamel(name: string): string {
  return name
    .split("_")
    .map((p) => (p === "" ? "" : p.charAt(0).toUpperCase() + p.slice(1)))
    .join("");
}

// PHP method names are case-insensitive, so `get` + UpperCamel finds the getter whatever the case.
const fieldIndexCache = new WeakMap<DataObjectDef, Map<string, string>>();
function fieldIndex(def: DataObjectDef): Map<string, string> {
  let idx = fieldIndexCache.get(def);
  if (idx === undefined) {
    idx = new Map(Object.keys(def.fields).map((f) => [f.replace(/_/g, "").toLowerCase(), f]));
    fieldIndexCache.set(def, idx);
  }
  return idx;
}

const SCRIPT = /<script\b[^>]*>(.*?)<\/script>/is;

export class ServiceInput {
  constructor(private readonly limits: InputLimitConfig) {}

  /** Returns one converted value per method parameter (null for omitted optional ones). */
  process(params: readonly MethodParam[], input: Readonly<Record<string, unknown>>): Converted[] {
    const out: Converted[] = [];
    const missing: string[] = [];
    for (const p of params) {
      const snake = snakeCase(p.name);
      // PHP isset(): a JSON null counts as missing.
      const value = input[p.name] ?? input[snake];
      if (value === undefined || value === null) {
        if (p.optional === true) out.push(null);
        else missing.push(p.name);
        continue;
      }
      try {
        out.push(this.convert(value, p.type));
      } catch (e) {
        // Top-level: SerializationException becomes a Webapi\Exception with the rendered text.
        if (e instanceof SerializationError) throw renderedBadRequest(e.message);
        throw e;
      }
    }
    if (missing.length > 0) {
      throw inputErrors(missing.map((f) => phrase('"%fieldName" is required. Enter and try again.', { fieldName: f })));
    }
    return out;
  }

  convert(value: Raw, type: ParamType): Converted {
    switch (type.kind) {
      case "scalar":
        return convertScalar(value, type.type);
      case "scalar[]":
        return convertScalarList(value, type.type);
      case "object":
        return this.createFromArray(type.def, value);
      case "object[]": {
        // ServiceInputProcessor::processComplexTypes
        if (!isPhpArray(value)) throw badRequest("Not all parameters valid.");
        const items = entries(value);
        this.validateComplexArray(type.def, items.length);
        return items.map(([, item]) => this.createFromArray(type.def, item));
      }
    }
  }

  /** EntityArrayValidator::validateComplexArrayType: only when input limits are on. */
  private validateComplexArray(def: DataObjectDef, count: number): void {
    if (this.limits.enabled && count > this.limits.arrayLimit) {
      throw badRequest('Maximum items of type "%type" is %max', { type: def.phpType, max: this.limits.arrayLimit });
    }
  }

  private createFromArray(def: DataObjectDef, raw: Raw): DataObject {
    // _createFromArray: a non-array becomes an empty data object.
    const data = isPhpArray(raw) ? entries(raw) : [];
    const obj = new DataObject();
    const index = fieldIndex(def);
    for (const [key, value] of data) {
      const field = index.get(key.replace(/_/g, "").toLowerCase());
      if (field === undefined) {
        // 2.4.7+: processInputErrorForNestedSet with the UpperCamelCase property name.
        throw inputErrors([
          phrase('"%fieldName" is not supported. Correct the field name and try again.', {
            fieldName: upperCamel(key),
          }),
        ]);
      }
      const fieldType = def.fields[field];
      if (fieldType === undefined) continue;
      let converted: Converted;
      try {
        converted = this.convert(value, fieldType);
      } catch (e) {
        if (e instanceof SerializationError) {
          throw new SerializationError(`Error occurred during "${key}" processing. ${e.message}`);
        }
        throw e;
      }
      if (typeof converted === "string" && SCRIPT.test(converted)) {
        throw badRequest('"%field_name" does not contains valid value.', { field_name: key });
      }
      this.validateEntityValue(def, field, converted);
      obj.data.set(field, this.setterValue(def, field, converted));
    }
    if (def.isSearchCriteria === true && this.limits.enabled && obj.get("page_size") == null) {
      // DefaultPageSizeSetter: only when input limits are enabled.
      obj.data.set("page_size", this.limits.defaultPageSize);
    }
    return obj;
  }

  /** SearchCriteriaValidator: pageSize above the configured maximum. */
  private validateEntityValue(def: DataObjectDef, field: string, value: Converted): void {
    if (def.isSearchCriteria === true && field === "page_size" && this.limits.enabled) {
      if (typeof value === "number" && value > this.limits.maxPageSize) {
        throw badRequest("Maximum SearchCriteria pageSize is %max", { max: this.limits.maxPageSize });
      }
    }
  }

  /**
   * SortOrder::setDirection validates and upper-cases. Magento:
   * magento/magento2:lib/internal/Magento/Framework/Api/SortOrder.php
   */
  private setterValue(def: DataObjectDef, field: string, value: Converted): Converted {
    if (def.isSortOrder !== true || field !== "direction") return value;
    if (typeof value !== "string") {
      throw badRequest("The sort order has to be specified as a string, got %1.", [phpTypeName(value)]);
    }
    const upper = value.toUpperCase();
    if (upper !== "ASC" && upper !== "DESC") {
      throw badRequest("The sort order has to be specified as %1 for ascending order or %2 for descending order.", [
        "ASC",
        "DESC",
      ]);
    }
    return upper;
  }
}
