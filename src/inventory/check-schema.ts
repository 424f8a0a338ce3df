// The JSON Schema in schemas/ is the one definition of the file format; ajv checks a
// parsed file against it and every error becomes a plain sentence with a position.

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { Problem } from "../errors.js";
import { readPackageJson } from "../package-files.js";
import type { ParsedYaml, YamlPath } from "./parse-yaml.js";

const SCHEMA_FILE = "schemas/inventory.schema.json";

interface Validators {
  readonly inventory: ValidateFunction;
  readonly productsFile: ValidateFunction;
  readonly product: ValidateFunction;
  /** The same without allErrors: stops at a product's first problem. */
  readonly productFirstProblem: ValidateFunction;
  readonly sku: ValidateFunction;
  readonly sourceCode: ValidateFunction;
  readonly plainProduct: (value: unknown) => boolean;
}

let validators: Validators | undefined;
let limits: SchemaLimits["definitions"]["quantity"] | undefined;

/** The parts of the schema the quick product check takes its limits from. */
interface SchemaLimits {
  readonly $id: string;
  readonly definitions: {
    readonly quantity: { readonly minimum: number; readonly maximum: number };
    readonly status: { readonly enum: readonly string[] };
    readonly quantityPolicy: { readonly enum: readonly string[] };
  };
}

function compile(): Validators {
  if (validators) return validators;
  const schema = readPackageJson<SchemaLimits>(SCHEMA_FILE);
  limits = schema.definitions.quantity;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(schema);
  const get = (ref: string) => {
    const validate = ajv.getSchema(`${schema.$id}${ref}`);
    if (!validate) throw new Error(`inv: ${SCHEMA_FILE} does not compile`);
    return validate;
  };
  const sourceCode = get("#/definitions/sourceCode");
  const firstProblems = new Ajv({ allErrors: false, strict: false });
  firstProblems.addSchema(schema);
  const productFirstProblem = firstProblems.getSchema(`${schema.$id}#/definitions/product`);
  if (!productFirstProblem) throw new Error(`inv: ${SCHEMA_FILE} does not compile`);
  validators = {
    productFirstProblem,
    inventory: get(""),
    productsFile: get("#/definitions/productsFile"),
    product: get("#/definitions/product"),
    sku: get("#/definitions/sku"),
    sourceCode,
    plainProduct: plainProductCheck(schema.definitions, sourceCode),
  };
  return validators;
}

export type SchemaKind = "inventory" | "productsFile";

/** Products with problems beyond this many are not described (the file has to be fixed either way). */
const MAX_PRODUCTS_WITH_PROBLEMS = 200;
/** Schema problems listed for one file at most. */
const MAX_SCHEMA_PROBLEMS = 500;
/** A product with more entries than this gets its first problem only (ajv would list each entry's). */
const LARGE_PRODUCT = 1_000;

export function checkSchema(parsed: ParsedYaml, kind: SchemaKind): Problem[] {
  return [...checkSchemaWithPaths(parsed, kind).problems];
}

/** The schema's problems, and where in the document each one is (the parts the schema could not read). */
export interface SchemaCheck {
  readonly problems: readonly Problem[];
  /** The path of every problem, down to the field or key it names. */
  readonly paths: readonly YamlPath[];
}

export function checkSchemaWithPaths(parsed: ParsedYaml, kind: SchemaKind): SchemaCheck {
  const compiled = compile();
  const validate = compiled[kind];
  const value = parsed.value;
  if (!isPlainObject(value) || !isPlainObject(value["products"])) {
    if (validate(value)) return { problems: [], paths: [] };
    return describeErrors(validate.errors ?? [], parsed, kind);
  }
  const products = value["products"];
  // The document without its products, then product by product: ajv checks the few that a
  // quick check of the schema's common shapes cannot vouch for (ajv on 100,000 products
  // takes most of a second).
  const errors: ErrorObject[] = [];
  if (!validate({ ...value, products: {} })) errors.push(...(validate.errors ?? []));
  let withProblems = 0;
  for (const sku of Object.keys(products)) {
    const product = products[sku];
    let bad = false;
    if (!compiled.sku(sku)) {
      bad = true;
      errors.push({
        instancePath: "/products",
        schemaPath: "#/definitions/products/propertyNames",
        keyword: "propertyNames",
        params: { propertyName: sku },
        message: "property name must be valid",
      });
    }
    const check = entryCount(product) > LARGE_PRODUCT ? compiled.productFirstProblem : compiled.product;
    if (!compiled.plainProduct(product) && !check(product)) {
      bad = true;
      const prefix = `/products/${sku.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      for (const error of check.errors ?? []) errors.push({ ...error, instancePath: prefix + error.instancePath });
    }
    if (bad && ++withProblems >= MAX_PRODUCTS_WITH_PROBLEMS) break;
  }
  return describeErrors(errors, parsed, kind);
}

function entryCount(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  return isPlainObject(value) ? Object.keys(value).length : 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A check that accepts only products the schema accepts (test/inventory/check-schema.test.ts
 * holds it to that), for the shapes files use: `{ source: quantity | { quantity, status } }`,
 * `[source, ...]` and the long form. Anything else it leaves to ajv.
 */
function plainProductCheck(definitions: SchemaLimits["definitions"], sourceCode: ValidateFunction) {
  const { minimum, maximum } = definitions.quantity;
  const statuses = new Set(definitions.status.enum);
  const policies = new Set(definitions.quantityPolicy.enum);
  const codes = new Set<string>();
  const isCode = (code: unknown): boolean => {
    if (typeof code !== "string") return false;
    if (codes.has(code)) return true;
    if (!sourceCode(code)) return false;
    codes.add(code);
    return true;
  };
  const isQuantity = (q: unknown) => typeof q === "number" && Number.isFinite(q) && q >= minimum && q <= maximum;
  const isSpec = (spec: unknown): boolean => {
    if (isQuantity(spec)) return true;
    if (!isPlainObject(spec) || !isQuantity(spec["quantity"])) return false;
    for (const key of Object.keys(spec)) {
      if (key === "status") {
        if (!statuses.has(spec[key] as string)) return false;
      } else if (key !== "quantity") return false;
    }
    return true;
  };
  const isSources = (sources: unknown): boolean => {
    if (Array.isArray(sources)) {
      if (!sources.every(isCode)) return false;
      return new Set(sources).size === sources.length;
    }
    if (!isPlainObject(sources)) return false;
    for (const code of Object.keys(sources)) if (!isCode(code) || !isSpec(sources[code])) return false;
    return true;
  };
  return (product: unknown): boolean => {
    // An object with `sources` may be the long form or a source named "sources": ajv decides.
    if (!isPlainObject(product) || !Object.hasOwn(product, "sources")) return isSources(product);
    const sources = product["sources"];
    if (!isPlainObject(sources) && !Array.isArray(sources)) return false;
    if (isPlainObject(sources) && Object.hasOwn(sources, "quantity")) return false;
    for (const key of Object.keys(product)) {
      if (key === "quantities") {
        if (!policies.has(product[key] as string)) return false;
      } else if (key !== "sources") return false;
    }
    return isSources(sources);
  };
}

/** Why a field is unknown, where Magento makes it so. */
const UNMANAGED_SOURCE_FIELDS: Readonly<Record<string, string>> = {
  source_code: "the source code is the key of the entry",
  use_default_carrier_config:
    "Magento always reads it back as true (inv Inventory/Model/Source.php), so inv does not manage it",
  carrier_links:
    "Magento rejects carrier links while use_default_carrier_config reads " +
    "true (InventoryShipping CarrierLinksValidator), so inv does not manage them",
  extension_attributes:
    "write is_pickup_location_active, frontend_name and frontend_description directly on the source",
};

function describeErrors(errors: readonly ErrorObject[], parsed: ParsedYaml, kind: SchemaKind): SchemaCheck {
  // anyOf reports every branch at its own path: when a deeper error explains the problem
  // (e.g. `status` of `{ quantity, status }`) keep that, else keep the anyOf's one sentence.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath));
  // Every path that has an error below it, collected once: a file can have many errors.
  const above = new Set<string>();
  for (const error of errors) {
    const path = error.instancePath;
    for (let slash = path.lastIndexOf("/"); slash > 0; slash = path.lastIndexOf("/", slash - 1))
      above.add(path.slice(0, slash));
    if (path !== "") above.add("");
  }
  const hasDeeper = (path: string) => above.has(path);
  const problems: Problem[] = [];
  const paths: YamlPath[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    paths.push(errorPath(error));
    if (problems.length >= MAX_SCHEMA_PROBLEMS) continue;
    if (error.keyword === "if") continue;
    // A bad key is reported once by the propertyNames error itself.
    if (error.propertyName !== undefined && error.keyword !== "propertyNames") continue;
    if (anyOfPaths.has(error.instancePath) && (error.keyword !== "anyOf" || hasDeeper(error.instancePath))) continue;
    const problem = describe(error, parsed, kind);
    const key = `${problem.origin.line}:${problem.origin.column}:${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return { problems, paths };
}

/** Where an error is: its instance, or the key it names (an unknown field, a bad key). */
function errorPath(error: ErrorObject): YamlPath {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") return [...path, String(params["additionalProperty"])];
  if (error.keyword === "propertyNames" && params["propertyName"] !== undefined)
    return [...path, String(params["propertyName"])];
  if (error.propertyName !== undefined) return [...path, error.propertyName];
  return path;
}

/** Fields of the main file; an included file holds only products. */
const MAIN_FILE_FIELDS = ["version", "quantities", "policy", "scope", "include", "csv", "sources", "stocks", "moves"];

function describe(error: ErrorObject, parsed: ParsedYaml, kind: SchemaKind): Problem {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const where = describePath(path);
  const rule = "schema";
  switch (error.keyword) {
    case "required": {
      const missing = String(params["missingProperty"]);
      return {
        rule,
        origin: parsed.originOf(path),
        message: `${where} is missing "${missing}"${requiredWhy(path, missing)}.`,
      };
    }
    case "additionalProperties": {
      const extra = String(params["additionalProperty"]);
      const fullPath = [...path, extra];
      if (kind === "productsFile" && path.length === 0 && MAIN_FILE_FIELDS.includes(extra)) {
        return {
          rule,
          origin: parsed.originOf(fullPath),
          message: `has "${extra}", which belongs in the main inventory file; a file named by include: holds only products. Move "${extra}" to the main file.`,
        };
      }
      const why = path[0] === "sources" && path.length === 2 ? UNMANAGED_SOURCE_FIELDS[extra] : undefined;
      const known = kind === "productsFile" && path.length === 0 ? "products" : knownFields(path);
      const message = why
        ? `${where} has "${extra}", which inv does not accept: ${why}.`
        : `${where} has an unknown field "${extra}"${known ? `; known fields: ${known}` : ""}.`;
      return { rule, origin: parsed.originOf(fullPath), message };
    }
    case "propertyNames": {
      const name = String(params["propertyName"]);
      return { rule, origin: parsed.originOf([...path, name]), message: propertyNameMessage(path, name) };
    }
    case "anyOf": {
      const value = valueAt(parsed.value, path);
      if (path[0] === "products" && typeof value === "number") return quantityBeyond(parsed, path, value);
      const hint =
        path[0] === "stocks" && typeof value === "number" ? ` (write ${value} in quotes if it is a source code)` : "";
      return { rule, origin: parsed.originOf(path, "value"), message: `${where} ${anyOfExpectation(path)}${hint}.` };
    }
    case "type": {
      const expected = String(params["type"])
        .split(",")
        .filter((t) => t !== "null");
      const value = valueAt(parsed.value, path);
      const hint =
        expected.includes("string") && typeof value === "number"
          ? ` (write it in quotes, e.g. "${quoteHint(path, value)}", so YAML keeps it as text)`
          : "";
      return {
        rule,
        origin: parsed.originOf(path, "value"),
        message: `${where} must be ${expected.map(article).join(" or ")}${hint}.`,
      };
    }
    case "enum":
      return {
        rule,
        origin: parsed.originOf(path, "value"),
        message: `${where} must be one of: ${(params["allowedValues"] as unknown[]).join(", ")}.`,
      };
    case "const":
      return {
        rule,
        origin: parsed.originOf(path, "value"),
        message: `${where} must be ${JSON.stringify(params["allowedValue"])}.`,
      };
    case "pattern":
      return { rule, origin: parsed.originOf(path, "value"), message: `${where} ${patternMessage(path)}.` };
    case "minLength":
      return { rule, origin: parsed.originOf(path, "value"), message: `${where} must not be empty.` };
    case "maxLength":
      return {
        rule,
        origin: parsed.originOf(path, "value"),
        message: `${where} is longer than ${String(params["limit"])} characters, the most Magento stores.`,
      };
    case "minimum":
    case "maximum":
      if (path[0] === "products" && path[path.length - 1] === "quantity") {
        const value = valueAt(parsed.value, path);
        if (typeof value === "number") return quantityBeyond(parsed, path, value);
      }
      return {
        rule,
        origin: parsed.originOf(path, "value"),
        message: `${where} must be ${String(params["comparison"])} ${String(params["limit"])}.`,
      };
    case "minItems":
      return {
        rule,
        origin: parsed.originOf(path, "value"),
        message: `${where} must list at least ${String(params["limit"])} item.`,
      };
    case "uniqueItems":
      return {
        rule,
        origin: parsed.originOf([...path, Number(params["j"])], "value"),
        message:
          `${where} lists the same entry twice (items ${Number(params["i"]) + 1} ` + `and ${Number(params["j"]) + 1}).`,
      };
    default:
      return { rule, origin: parsed.originOf(path, "value"), message: `${where} ${error.message ?? "is not valid"}.` };
  }
}

/**
 * A quantity beyond what Magento's decimal(12,4) column holds (magento/inventory:Inventory/etc/db_schema.xml,
 * inventory_source_item), said with the limit, as the CSV reader says it.
 */
function quantityBeyond(parsed: ParsedYaml, path: YamlPath, value: number): Problem {
  const { minimum, maximum } = quantityLimits();
  const at = path[path.length - 1] === "quantity" ? path.slice(0, -1) : path;
  const what = Number.isFinite(value)
    ? `quantity ${value}`
    : `a quantity too ${value > 0 ? "large" : "small"} to be a number (YAML reads it as ${value > 0 ? "" : "-"}infinity)`;
  return {
    rule: "schema",
    origin: parsed.originOf(path, "value"),
    message: `${describePath(at)} has ${what}, beyond what Magento stores: quantities are decimal(12,4), from ${minimum} to ${maximum}.`,
  };
}

function requiredWhy(path: YamlPath, missing: string): string {
  if (path[0] === "sources" && ["name", "country_id", "postcode"].includes(missing))
    return ", which Magento requires on every source save";
  if (path[0] === "stocks") return "";
  return "";
}

function knownFields(path: YamlPath): string | undefined {
  if (path.length === 0) return "version, quantities, policy, scope, include, csv, sources, stocks, products, moves";
  if (path[0] === "sources" && path.length === 2) {
    return (
      "name, enabled, email, contact_name, description, latitude, longitude, country_id, region_id, " +
      "region, city, street, postcode, phone, fax, is_pickup_location_active, frontend_name, frontend_description"
    );
  }
  if (path[0] === "stocks" && path.length === 2) return "sales_channels, sources, renamed_from, delete";
  if (path[0] === "policy") return "allow_destroy, max_unassign, max_units_removed, skip_unknown_skus";
  if (path[0] === "moves") return "skus, from, to, unassign_from_origin";
  return undefined;
}

function propertyNameMessage(path: YamlPath, name: string): string {
  const shown = JSON.stringify(name);
  if (path[0] === "sources" || (path[0] === "products" && path.length >= 2)) {
    return `source code ${shown} is not valid: Magento refuses empty codes and codes with whitespace.`;
  }
  if (path[0] === "products") {
    return name.length > 64
      ? `SKU ${shown} is longer than 64 characters, the most Magento stores for a source item.`
      : `SKU ${shown} is not valid: Magento refuses empty SKUs and SKUs with leading or trailing spaces.`;
  }
  if (path[0] === "stocks")
    return `stock name ${shown} is not valid: it must not be empty or start or end with spaces.`;
  return `key ${shown} is not valid.`;
}

function anyOfExpectation(path: YamlPath): string {
  if (path[0] === "stocks") return "must be a source code or { source, priority }";
  if (path[0] === "products") return "must be a quantity (a number) or { quantity, status }";
  return "is not valid";
}

function patternMessage(path: YamlPath): string {
  const last = path[path.length - 1];
  if (last === "country_id") return "must be a two-letter country code in capitals, such as US";
  if (path[0] === "moves" && path[2] === "skus") return "is not a valid SKU: no leading or trailing spaces";
  if (last === "renamed_from") return "must be a stock name without leading or trailing spaces";
  return "must be a code without whitespace";
}

function quoteHint(path: YamlPath, value: number): string {
  return path[path.length - 1] === "postcode" ? String(value).padStart(5, "0") : String(value);
}

function article(type: string): string {
  const words: Record<string, string> = {
    string: "text",
    number: "a number",
    integer: "a whole number",
    boolean: "true or false",
    object: "a mapping",
    array: "a list",
  };
  return words[type] ?? type;
}

/** A path in words a reader recognises: `product "24-WB01" at source "ne_wh" field "status"`. */
export function describePath(path: YamlPath): string {
  const [section, key, ...rest] = path;
  if (section === undefined) return "the file";
  if (key === undefined) return `"${section}"`;
  const words = (parts: readonly (string | number)[]) =>
    parts.map((r) => (typeof r === "number" ? `#${r + 1}` : `"${r}"`)).join(" ");
  switch (section) {
    case "sources":
      return `source "${key}"${rest.length > 0 ? ` field ${words(rest)}` : ""}`;
    case "stocks": {
      const [list, index, ...more] = rest;
      if (list === "sources" && typeof index === "number")
        return `stock "${key}" source #${index + 1}${more.length > 0 ? ` ${words(more)}` : ""}`;
      return `stock "${key}"${rest.length > 0 ? ` ${words(rest)}` : ""}`;
    }
    case "products": {
      const tail = rest[0] === "sources" && rest.length > 1 ? rest.slice(1) : rest;
      const [source, ...field] = tail;
      if (source === undefined || typeof source === "number" || (rest[0] !== "sources" && source === "quantities")) {
        return `product "${key}"${rest.length > 0 ? ` ${words(rest)}` : ""}`;
      }
      return `product "${key}" at source "${source}"${field.length > 0 ? ` field ${words(field)}` : ""}`;
    }
    case "moves":
      return `move #${Number(key) + 1}${rest.length > 0 ? ` ${words(rest)}` : ""}`;
    default:
      return `"${section}" ${words([key, ...rest])}`;
  }
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function valueAt(value: unknown, path: YamlPath): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** The schema's limits for a quantity, which CSV cells follow too. */
export function quantityLimits(): { readonly minimum: number; readonly maximum: number } {
  compile();
  if (!limits) throw new Error(`inv: ${SCHEMA_FILE} has no quantity limits`);
  return limits;
}

/** For tests: whether the quick check vouches for a product, and whether ajv accepts it. */
export function productChecks(product: unknown): { readonly quick: boolean; readonly schema: boolean } {
  const compiled = compile();
  return { quick: compiled.plainProduct(product), schema: compiled.product(product) };
}
