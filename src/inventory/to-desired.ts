// Turns a schema-valid file into the model types the diff compares (src/model.ts).
// It trusts the schema for shapes; meaning is checked afterwards by the rules.

import type { Problem } from "../errors.js";
import type {
  DesiredAssignment,
  DesiredMove,
  DesiredProduct,
  DesiredSource,
  DesiredStock,
  ItemStatus,
  Origin,
  QuantityPolicy,
  SafetyPolicy,
  SalesChannel,
  SourceField,
  SourceFields,
  StockLink,
} from "../model.js";
import { sortChannels } from "../magento/equivalence.js";
import { SOURCE_FIELDS } from "../model.js";
import type { ParsedYaml } from "./parse-yaml.js";

/** The file's shape after the schema check; see schemas/inventory.schema.json. */
export interface InventoryDocument {
  readonly version: 1;
  readonly quantities?: QuantityPolicy;
  readonly policy?: {
    allow_destroy?: boolean;
    max_unassign?: number;
    max_units_removed?: number;
    skip_unknown_skus?: boolean;
  };
  readonly scope?: ScopeDocument;
  readonly include?: readonly string[];
  readonly csv?: readonly CsvEntry[];
  readonly sources?: Readonly<Record<string, Partial<Record<SourceField, unknown>>>>;
  readonly stocks?: Readonly<Record<string, StockDocument>>;
  readonly products?: Readonly<Record<string, ProductDocument>>;
  readonly moves?: readonly MoveDocument[];
}

export interface ScopeDocument {
  readonly sources: readonly string[];
}

/** A CSV file or pattern, or a feed that manages some sources only. */
export type CsvEntry = string | { readonly file: string; readonly scope?: ScopeDocument };

interface StockDocument {
  readonly sales_channels?: Readonly<Record<string, readonly string[]>>;
  readonly sources?: readonly (string | { source: string; priority: number })[];
  readonly renamed_from?: string;
  readonly delete?: true;
}

type QuantitySpec = number | { quantity: number; status?: ItemStatus };
type ProductSources = readonly string[] | Readonly<Record<string, QuantitySpec>>;
type ProductDocument = ProductSources | { sources: ProductSources; quantities?: QuantityPolicy };

interface MoveDocument {
  readonly skus: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly unassign_from_origin?: boolean;
}

export function toSources(doc: InventoryDocument, parsed: ParsedYaml): Map<string, DesiredSource> {
  const origins = parsed.keyOrigins(["sources"]);
  const result = new Map<string, DesiredSource>();
  for (const [code, declared] of Object.entries(doc.sources ?? {})) {
    // In the file's order, which a create sends them in.
    const fields: Partial<Record<SourceField, unknown>> = {};
    for (const field of Object.keys(declared) as SourceField[]) {
      if (SOURCE_FIELDS.includes(field)) fields[field] = declared[field];
    }
    result.set(code, {
      code,
      fields: fields as Partial<SourceFields>,
      origin: origins.get(code) ?? fileOrigin(parsed),
    });
  }
  return result;
}

export function toStocks(doc: InventoryDocument, parsed: ParsedYaml, problems: Problem[]): Map<string, DesiredStock> {
  const origins = parsed.keyOrigins(["stocks"]);
  const result = new Map<string, DesiredStock>();
  for (const [name, declared] of inFileOrder(doc.stocks ?? {}, origins)) {
    if (declared.delete === true) continue;
    const origin = origins.get(name) ?? fileOrigin(parsed);
    result.set(name, {
      name,
      salesChannels: declared.sales_channels ? toSalesChannels(declared.sales_channels) : undefined,
      links: declared.sources ? toLinks(name, declared.sources, parsed, problems) : undefined,
      ...(declared.renamed_from !== undefined
        ? {
            renamedFrom: {
              name: declared.renamed_from,
              origin: parsed.originOf(["stocks", name, "renamed_from"], "value"),
            },
          }
        : {}),
      origin,
    });
  }
  return result;
}

/**
 * Stocks the file deletes: `Old Stock: { delete: true }`, the stock's entry turned into its
 * tombstone, with nothing beside it (a deleted stock has no links, channels or new name).
 */
export function toStockDeletions(doc: InventoryDocument, parsed: ParsedYaml, problems: Problem[]): Map<string, Origin> {
  const origins = parsed.keyOrigins(["stocks"]);
  const result = new Map<string, Origin>();
  for (const [name, declared] of inFileOrder(doc.stocks ?? {}, origins)) {
    if (declared.delete !== true) continue;
    const origin = origins.get(name) ?? fileOrigin(parsed);
    const beside = Object.keys(declared).filter((key) => key !== "delete");
    if (beside.length > 0) {
      problems.push({
        origin: parsed.originOf(["stocks", name, beside[0]!]),
        rule: "stock-delete",
        message:
          `stock "${name}" is deleted (delete: true) and also has ${beside.join(", ")}; a deleted stock has ` +
          "nothing else. Remove them, or remove delete: true to keep the stock.",
      });
    }
    result.set(name, origin);
  }
  return result;
}

function toSalesChannels(channels: Readonly<Record<string, readonly string[]>>): SalesChannel[] {
  const result: SalesChannel[] = [];
  for (const [type, codes] of Object.entries(channels)) for (const code of codes) result.push({ type, code });
  return sortChannels(result);
}

/** List position is priority; an entry may give its own, and later plain entries count on from it. */
function toLinks(
  stock: string,
  entries: StockDocument["sources"] & object,
  parsed: ParsedYaml,
  problems: Problem[],
): StockLink[] {
  const links: StockLink[] = [];
  let previous = 0;
  entries.forEach((entry, index) => {
    const source = typeof entry === "string" ? entry : entry.source;
    const priority = typeof entry === "string" ? previous + 1 : entry.priority;
    if (priority <= previous) {
      problems.push({
        origin: parsed.originOf(["stocks", stock, "sources", index], "value"),
        rule: "link-priority",
        message:
          `stock "${stock}" gives source "${source}" priority ${priority}, not ` +
          `above the ${previous} of the entry before it; list sources in priority order.`,
      });
    } else if (priority > 65535) {
      problems.push({
        origin: parsed.originOf(["stocks", stock, "sources", index], "value"),
        rule: "link-priority",
        message:
          `stock "${stock}" would give source "${source}" priority ${priority}; ` +
          "Magento stores priorities up to 65535.",
      });
    }
    links.push({ source, priority });
    previous = Math.max(previous, priority);
  });
  return links;
}

export function toProducts(
  doc: InventoryDocument,
  parsed: ParsedYaml,
  defaultPolicy: QuantityPolicy,
): Map<string, DesiredProduct> {
  const origins = parsed.keyOrigins(["products"]);
  const result = new Map<string, DesiredProduct>();
  for (const [sku, declared] of inFileOrder(doc.products ?? {}, origins)) {
    const longForm = isLongForm(declared);
    const sources = longForm ? declared.sources : declared;
    const quantities = (longForm ? declared.quantities : undefined) ?? defaultPolicy;
    result.set(sku, {
      sku,
      quantities,
      assignments: toAssignments(sources),
      origin: origins.get(sku) ?? fileOrigin(parsed),
    });
  }
  return result;
}

/**
 * A map's entries in the file's order. A plain object lists keys such as "1001" first, in
 * numeric order, so the order comes from the keys' positions; payloads list SKUs in it.
 */
function inFileOrder<T>(map: Readonly<Record<string, T>>, origins: ReadonlyMap<string, Origin>): [string, T][] {
  const entries: [string, T][] = [];
  for (const key of origins.keys()) if (Object.hasOwn(map, key)) entries.push([key, map[key]!]);
  if (entries.length === Object.keys(map).length) return entries;
  return Object.entries(map);
}

function isLongForm(product: ProductDocument): product is { sources: ProductSources; quantities?: QuantityPolicy } {
  if (Array.isArray(product) || typeof product !== "object") return false;
  const sources = (product as { sources?: unknown }).sources;
  // Mirrors the schema's if/then: `sources` holding a map or list, not a `{ quantity }` spec.
  return (
    typeof sources === "object" &&
    sources !== null &&
    !(typeof sources === "object" && !Array.isArray(sources) && "quantity" in sources)
  );
}

function toAssignments(sources: ProductSources): DesiredAssignment[] {
  if (isSourceList(sources)) return sources.map((source) => ({ source, quantity: undefined, status: undefined }));
  // map, not push: arrays that grow by push keep room for 17 entries, and there may be a million of them.
  return Object.keys(sources).map((source): DesiredAssignment => {
    const spec = sources[source] as QuantitySpec;
    return typeof spec === "number"
      ? { source, quantity: spec, status: "in_stock" }
      : { source, quantity: spec.quantity, status: spec.status ?? "in_stock" };
  });
}

function isSourceList(sources: ProductSources): sources is readonly string[] {
  return Array.isArray(sources);
}

export function toMoves(doc: InventoryDocument, parsed: ParsedYaml): DesiredMove[] {
  return (doc.moves ?? []).map((move, index) => ({
    skus: move.skus,
    from: move.from,
    to: move.to,
    unassignFromOrigin: move.unassign_from_origin ?? true,
    origin: parsed.originOf(["moves", index], "value"),
    index,
  }));
}

export function toSafety(doc: InventoryDocument): SafetyPolicy {
  return {
    allowDestroy: doc.policy?.allow_destroy ?? false,
    maxUnassign: doc.policy?.max_unassign,
    maxUnitsRemoved: doc.policy?.max_units_removed,
  };
}

function fileOrigin(parsed: ParsedYaml): Origin {
  return { file: parsed.file, line: 0, column: 0 };
}
