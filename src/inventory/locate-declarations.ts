// Where the files declare what a message points at: a stock's list entry, a source's field,
// a product's source in YAML, a CSV cell. Found on demand by reading the files again, so a
// load keeps no positions below the entries' own keys (a million source items would cost
// more than the rest of the load).

import { readFileSync } from "node:fs";
import type { DeclarationLocator, DesiredProduct, Origin, SkuAtSource } from "../model.js";
import { pairKey } from "./merge-products.js";
import { findCsvCells } from "./parse-csv.js";
import { parseYaml, type ParsedYaml, type YamlPath } from "./parse-yaml.js";
import type { InventoryDocument } from "./to-desired.js";

/** A file the load read, to read again. */
export interface LoadedFile {
  readonly kind: "yaml" | "csv";
  readonly absolute: string;
  /** As messages show it. */
  readonly shown: string;
}

export interface LocatorInput {
  readonly main: LoadedFile;
  /** Every file read, by shown path. */
  readonly files: ReadonlyMap<string, LoadedFile>;
  readonly products: ReadonlyMap<string, DesiredProduct>;
  /** The file (shown path) that declares a SKU's assignment at a position. */
  readonly fileOf: (product: DesiredProduct, index: number) => string;
}

export function declarationLocator(input: LocatorInput): DeclarationLocator {
  let main: ParsedYaml | undefined;
  const mainFile = (): ParsedYaml | undefined => {
    main ??= readYaml(input.main);
    return main;
  };
  const fallback: Origin = { file: input.main.shown, line: 0, column: 0 };
  return {
    inMainFile: (path, part = "key") => mainFile()?.originOf(path, part) ?? fallback,
    listEntry: (path, value) => {
      const parsed = mainFile();
      if (!parsed) return fallback;
      const list = valueAt(parsed.value, path);
      const index = Array.isArray(list)
        ? list.findIndex((entry) => entry === value || (isRecord(entry) && entry["source"] === value))
        : -1;
      return index >= 0 ? parsed.originOf([...path, index], "value") : parsed.originOf(path, "value");
    },
    assignments: (pairs, part) => {
      const byFile = new Map<string, SkuAtSource[]>();
      for (const pair of pairs) {
        const product = input.products.get(pair.sku);
        const index = product?.assignments.findIndex((a) => a.source === pair.source) ?? -1;
        if (!product || index < 0) continue;
        const file = input.fileOf(product, index);
        const list = byFile.get(file) ?? [];
        list.push(pair);
        byFile.set(file, list);
      }
      const found = new Map<string, Origin>();
      for (const [shown, list] of byFile) {
        const file = input.files.get(shown);
        if (!file) continue;
        for (const [key, origin] of locateIn(file, list, part)) found.set(key, origin);
      }
      return found;
    },
  };
}

function locateIn(file: LoadedFile, pairs: readonly SkuAtSource[], part: "source" | "quantity"): Map<string, Origin> {
  if (file.kind === "csv") {
    let text: string;
    try {
      text = readFileSync(file.absolute, "utf8");
    } catch {
      return new Map();
    }
    const column = part === "source" ? "source_code" : "quantity";
    return findCsvCells(text, file.shown, new Set(pairs.map((p) => pairKey(p.sku, p.source))), column);
  }
  const parsed = readYaml(file);
  const found = new Map<string, Origin>();
  if (!parsed) return found;
  for (const p of pairs) found.set(pairKey(p.sku, p.source), assignmentOrigin(parsed, p.sku, p.source, part));
  return found;
}

function readYaml(file: LoadedFile): ParsedYaml | undefined {
  try {
    return parseYaml(readFileSync(file.absolute, "utf8"), file.shown).parsed;
  } catch {
    return undefined;
  }
}

/**
 * Where a YAML file declares a SKU at a source: the source's key (or list entry) in the
 * product, or the value that holds its quantity.
 */
export function assignmentOrigin(
  parsed: ParsedYaml,
  sku: string,
  source: string,
  part: "source" | "quantity" = "source",
): Origin {
  const product = (parsed.value as InventoryDocument).products?.[sku];
  const longForm =
    typeof product === "object" && product !== null && !Array.isArray(product) && "sources" in product
      ? (product as { sources: unknown }).sources
      : undefined;
  const sources = longForm !== undefined && typeof longForm === "object" ? longForm : product;
  const prefix: YamlPath =
    longForm !== undefined && typeof longForm === "object" ? ["products", sku, "sources"] : ["products", sku];
  if (Array.isArray(sources)) return parsed.originOf([...prefix, sources.indexOf(source)], "value");
  const spec = isRecord(sources) ? sources[source] : undefined;
  if (part === "quantity" && isRecord(spec)) return parsed.originOf([...prefix, source, "quantity"], "value");
  return parsed.originOf([...prefix, source], part === "quantity" ? "value" : "key");
}

function valueAt(value: unknown, path: YamlPath): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
