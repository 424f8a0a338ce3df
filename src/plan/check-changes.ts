// A saved plan's changes are checked for shape before anything is derived from them: every
// change a known kind, with the fields of that kind and values of the right types, and an
// action its before and after agree with. The calls are then derived from these changes
// (deriveCalls), so a change that passes here can only produce the calls inv plans.

import { CHANGE_KINDS } from "../diff/changes.js";
import { SOURCE_FIELDS, type SourceField } from "../model.js";

/** Why a value is not as expected, naming where inside the change; undefined when it is. */
type Check = (value: unknown, at: string) => string | undefined;

const text: Check = (v, at) => (typeof v === "string" ? undefined : `${at} must be a string`);
const name: Check = (v, at) => (typeof v === "string" && v !== "" ? undefined : `${at} must be a non-empty string`);
const flag: Check = (v, at) => (typeof v === "boolean" ? undefined : `${at} must be true or false`);
const number: Check = (v, at) => (typeof v === "number" && Number.isFinite(v) ? undefined : `${at} must be a number`);
const count: Check = (v, at) =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? undefined : `${at} must be a whole number`;
const id: Check = (v, at) =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 1 ? undefined : `${at} must be a whole number from 1`;

function nullable(check: Check): Check {
  return (v, at) => (v === null ? undefined : check(v, at));
}

function oneOf(...values: readonly string[]): Check {
  return (v, at) => (values.includes(v as string) ? undefined : `${at} must be one of ${values.join(", ")}`);
}

function listOf(check: Check, nonEmpty = false): Check {
  return (v, at) => {
    if (!Array.isArray(v)) return `${at} must be a list`;
    if (nonEmpty && v.length === 0) return `${at} must not be empty`;
    for (const [i, item] of v.entries()) {
      const problem = check(item, `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** A list that names nothing twice (a source create sends its fields in this order). */
function distinct(check: Check): Check {
  return (v, at) => {
    const problem = check(v, at);
    if (problem) return problem;
    const seen = new Set<unknown>();
    for (const [i, item] of (v as readonly unknown[]).entries()) {
      if (seen.has(item)) return `${at}[${i}] repeats ${JSON.stringify(item)}`;
      seen.add(item);
    }
    return undefined;
  };
}

/** An object with exactly these fields (the optional ones may be absent). */
function shape(required: Readonly<Record<string, Check>>, optional: Readonly<Record<string, Check>> = {}): Check {
  return (v, at) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return `${at} must be an object`;
    const record = v as Record<string, unknown>;
    const prefix = at === "" ? "" : `${at}.`;
    for (const key of Object.keys(record))
      if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key)) return `${prefix}${key} is not a field of it`;
    for (const [key, check] of Object.entries(required)) {
      if (!Object.hasOwn(record, key)) return `${prefix}${key} is missing`;
      const problem = check(record[key], `${prefix}${key}`);
      if (problem) return problem;
    }
    for (const [key, check] of Object.entries(optional)) {
      const problem = Object.hasOwn(record, key) ? check(record[key], `${prefix}${key}`) : undefined;
      if (problem) return problem;
    }
    return undefined;
  };
}

const SOURCE_FIELD_CHECKS: Readonly<Record<SourceField, Check>> = {
  name: text,
  enabled: flag,
  email: nullable(text),
  contact_name: nullable(text),
  description: nullable(text),
  latitude: nullable(number),
  longitude: nullable(number),
  country_id: text,
  region_id: nullable(number),
  region: nullable(text),
  city: nullable(text),
  street: nullable(text),
  postcode: text,
  phone: nullable(text),
  fax: nullable(text),
  is_pickup_location_active: flag,
  frontend_name: nullable(text),
  frontend_description: nullable(text),
};

const sourceFields = shape(SOURCE_FIELD_CHECKS);
const sourceField = oneOf(...SOURCE_FIELDS);
const stockState = shape({ name, sales_channels: listOf(shape({ type: name, code: name })) });
const itemState = shape({ quantity: number, status: oneOf("in_stock", "out_of_stock") });
const priority = shape({ priority: id });

/** With a base, a change the file did not cause says so. */
const DRIFT: Readonly<Record<string, Check>> = {
  drift: (v, at) => (v === true ? undefined : `${at} must be true when present`),
};

const KIND_SHAPES: Readonly<Record<(typeof CHANGE_KINDS)[number], Check>> = {
  source: shape(
    {
      kind: text,
      action: oneOf("create", "update"),
      source: name,
      before: nullable(sourceFields),
      after: sourceFields,
      changed: distinct(listOf(sourceField)),
      cleared: distinct(listOf(sourceField)),
    },
    DRIFT,
  ),
  stock: shape(
    {
      kind: text,
      action: oneOf("create", "update", "delete"),
      stock: name,
      stock_id: nullable(id),
      before: nullable(stockState),
      after: nullable(stockState),
      changed: listOf(oneOf("name", "sales_channels")),
      notes: listOf(text),
    },
    DRIFT,
  ),
  link: shape(
    {
      kind: text,
      action: oneOf("create", "update", "delete"),
      stock: name,
      stock_id: nullable(id),
      source: name,
      before: nullable(priority),
      after: nullable(priority),
    },
    { declared_order: count, ...DRIFT },
  ),
  "source-item": shape(
    {
      kind: text,
      action: oneOf("create", "update", "delete"),
      sku: name,
      source: name,
      before: nullable(itemState),
      after: nullable(itemState),
    },
    {
      declared_order: count,
      via_move: count,
      moved_in: number,
      delta: number,
      file: shape({ base: number, head: number }),
      ...DRIFT,
    },
  ),
  move: shape(
    {
      kind: text,
      action: oneOf("update"),
      from: name,
      to: name,
      skus: listOf(name, true),
      unassign_from_origin: flag,
      units: number,
      before: listOf(shape({ sku: name, origin: itemState, destination: nullable(itemState) })),
    },
    { runs_again: listOf(name, true) },
  ),
};

/**
 * The first problem with a saved plan's changes, as "change N (kind): what", or undefined
 * when every change is well formed.
 */
export function changeProblem(changes: readonly unknown[]): string | undefined {
  for (const [index, change] of changes.entries()) {
    const problem = problemOf(change, index, changes);
    if (problem) return problem;
  }
  // A stock id known only after apply must be one this plan creates.
  const created = new Set<unknown>();
  for (const change of changes as readonly Record<string, unknown>[])
    if (change["kind"] === "stock" && change["action"] === "create") created.add(change["stock"]);
  for (const [index, change] of (changes as readonly Record<string, unknown>[]).entries()) {
    if (change["kind"] === "link" && change["stock_id"] === null && !created.has(change["stock"]))
      return `change ${index} (link): stock_id is null, but no change creates stock ${JSON.stringify(change["stock"])}`;
  }
  return undefined;
}

function problemOf(change: unknown, index: number, changes: readonly unknown[]): string | undefined {
  const where = `change ${index}`;
  if (typeof change !== "object" || change === null || Array.isArray(change)) return `${where} is not an object`;
  const record = change as Record<string, unknown>;
  const kind = record["kind"];
  if (!CHANGE_KINDS.includes(kind as (typeof CHANGE_KINDS)[number]))
    return `${where} has kind ${JSON.stringify(kind)}; a change is one of ${CHANGE_KINDS.join(", ")}`;
  const named = `${where} (${String(kind)})`;
  const problem = KIND_SHAPES[kind as (typeof CHANGE_KINDS)[number]](change, "");
  if (problem) return `${named}: ${problem}`;
  const consistency = actionProblem(record, changes);
  return consistency ? `${named}: ${consistency}` : undefined;
}

/** What each action says about before, after and the stock id. */
function actionProblem(change: Record<string, unknown>, changes: readonly unknown[]): string | undefined {
  const { action, before, after } = change;
  if (change["kind"] === "move") return change["from"] === change["to"] ? "from and to are the same source" : undefined;
  if (action === "create" && before !== null) return "a create has before null";
  if (action === "update" && (before === null || after === null)) return "an update has both before and after";
  if (action === "delete" && (before === null || after !== null)) return "a delete has a before and after null";
  if (action === "create" && after === null) return "a create has an after";
  if (change["kind"] === "stock" && (change["stock_id"] === null) !== (action === "create"))
    return action === "create" ? "a stock to create has stock_id null" : "a stock that exists has its stock_id";
  if (change["kind"] === "link" && action !== "create" && change["stock_id"] === null)
    return "a link that exists has its stock_id";
  if ("via_move" in change) {
    const move = changes[change["via_move"] as number] as { kind?: unknown } | undefined;
    if (move?.kind !== "move") return "via_move must be the position of a move in changes";
  }
  return undefined;
}
