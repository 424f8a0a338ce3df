// The file stage: read inventory.yaml and what it includes, check it against the schema
// and the offline rules, and return the desired state. Every problem is reported at once.

import { existsSync, readFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, relative, resolve } from "node:path";
import { InventoryFileError, type Problem } from "../errors.js";
import type { DesiredProduct, DesiredState, InventoryFileInfo, Origin, SourceScope } from "../model.js";
import { compareCodePoints } from "../sort.js";
import { checkSchema, checkSchemaWithPaths, type SchemaKind } from "./check-schema.js";
import { displayPath, expandGlob, isGlob } from "./glob.js";
import { ProductMerger, pairKey, type SkuAtSource } from "./merge-products.js";
import { findCsvRows, parseQuantityCsvSteps } from "./parse-csv.js";
import { MAX_YAML_BYTES, parseYaml, type ParsedYaml, type YamlPath } from "./parse-yaml.js";
import { assignmentOrigin, declarationLocator, type LoadedFile } from "./locate-declarations.js";
import { checkOffline, fileWarnings } from "./rules.js";
import {
  toMoves,
  toProducts,
  toSafety,
  toSources,
  toStockDeletions,
  toStocks,
  type CsvEntry,
  type InventoryDocument,
} from "./to-desired.js";

export interface LoadOptions {
  /** Paths in messages are shown relative to this directory. */
  readonly cwd: string;
}

const MAX_CSV_BYTES = 512 * 1024 * 1024;

/** Loads and checks an inventory file; throws InventoryFileError listing every problem. */
export function loadInventory(path: string, options: LoadOptions): DesiredState {
  const steps = load(path, options);
  try {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  } catch (error) {
    if (error instanceof InventoryFileError) throw new InventoryFileError(sortProblems(error.problems));
    throw error;
  }
}

/** What a load has got to, for a caller that works while it loads. */
export type LoadProgress =
  /** The main file is read and matches the schema: the store may be read. */
  | { readonly phase: "main-file-valid" }
  /** About this many source items are declared, by what has been read so far. */
  | { readonly phase: "declared"; readonly rows: number };

/**
 * The same load, giving the event loop a turn every few milliseconds of a large file, so
 * reads of the store run meanwhile; `onProgress` hears how far it has got.
 */
export async function loadInventoryAsync(
  path: string,
  options: LoadOptions & { readonly onProgress?: (progress: LoadProgress) => void },
): Promise<DesiredState> {
  const steps = load(path, options);
  try {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      options.onProgress?.(step.value);
      // A turn for the event loop: requests started on "main-file-valid" go out before the CSV files are read.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    if (error instanceof InventoryFileError) throw new InventoryFileError(sortProblems(error.problems));
    throw error;
  }
}

function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      compareCodePoints(a.origin.file, b.origin.file) ||
      a.origin.line - b.origin.line ||
      a.origin.column - b.origin.column,
  );
}

function* load(path: string, options: LoadOptions): Generator<LoadProgress, DesiredState> {
  const problems: Problem[] = [];
  const files: InventoryFileInfo[] = [];
  const absolute = resolve(options.cwd, path);
  const shown = displayPath(absolute, options.cwd);

  const whole = readYaml(absolute, shown, problems);
  if (!whole) throw new InventoryFileError(problems);
  files.push({ path: shown, sha256: whole.sha256 });
  if (checkProductCount(whole, problems)) throw new InventoryFileError(problems);
  // Every problem at once: the rules below check what the schema could read, and the load
  // goes on to the included and CSV files, though a file with problems sends nothing.
  const main = readablePart(whole, "inventory", problems);
  if (!main) throw new InventoryFileError(problems);

  const doc = main.value as InventoryDocument;
  const quantities = doc.quantities ?? "manage";
  const sources = toSources(doc, main);
  const stocks = toStocks(doc, main, problems);
  const stockDeletions = toStockDeletions(doc, main, problems);
  const products = toProducts(doc, main, quantities);
  const fileScope: SourceScope | undefined = doc.scope
    ? { sources: new Set(doc.scope.sources), origin: main.originOf(["scope"]) }
    : undefined;
  checkWithinScope(products, main, fileScope, shown, problems);
  const baseDir = dirname(absolute);
  const merger = new ProductMerger(products);
  // Every file read, to find what messages point at (read again on demand, after the load too).
  const mainFile: LoadedFile = { kind: "yaml", absolute, shown };
  const loaded = new Map<string, LoadedFile>([[shown, mainFile]]);
  const locate = declarationLocator({
    main: mainFile,
    files: loaded,
    products,
    fileOf: (product, index) => merger.fileOf(product, index),
  });
  // The store may be read once the main file is sound on its own: a file with problems there
  // sends nothing. (Rules run again on the whole state below; this run only opens the gate.)
  const mainOnly: DesiredState = {
    ...(fileScope ? { scope: fileScope } : {}),
    sources,
    stocks,
    products,
    moves: toMoves(doc, main),
    ...(stockDeletions.size > 0 ? { stockDeletions } : {}),
    quantities,
    safety: toSafety(doc),
    files,
    locate,
  };
  const mainRules = problems.length === 0 ? checkOffline(mainOnly) : undefined;
  if (mainRules?.length === 0) yield { phase: "main-file-valid" };
  let declared = countAssignments(products);
  // Where each file is, to find the earlier place of a repeated SKU and source again.
  const sourcesOf = new Map<string, FileSource>([[shown, { kind: "main", parsed: main }]]);

  for (const [index, pattern] of (doc.include ?? []).entries()) {
    for (const file of matchFiles(pattern, ["include", index], baseDir, main, options.cwd, problems)) {
      const shownInclude = displayPath(file, options.cwd);
      const included = readYaml(file, shownInclude, problems);
      if (!included) continue;
      files.push({ path: shownInclude, sha256: included.sha256 });
      if (checkProductCount(included, problems)) continue;
      const readable = readablePart(included, "productsFile", problems);
      if (!readable) continue;
      const more = toProducts(readable.value as InventoryDocument, readable, quantities);
      checkWithinScope(more, included, fileScope, shown, problems);
      sourcesOf.set(shownInclude, { kind: "yaml", absolute: file });
      loaded.set(shownInclude, { kind: "yaml", absolute: file, shown: shownInclude });
      merger.add(more, shownInclude, (sku, source) => assignmentOrigin(included, sku, source), problems);
      declared += countAssignments(more);
      yield { phase: "declared", rows: declared };
    }
  }

  for (const [index, entry] of (doc.csv ?? []).entries()) {
    const pattern = typeof entry === "string" ? entry : entry.file;
    const feedScope = typeof entry === "string" ? undefined : toFeedScope(entry, index, fileScope, main, problems);
    const rowScope = feedScope
      ? { sources: feedScope, label: `the scope of this feed (${[...feedScope].join(", ")})` }
      : fileScope && {
          sources: fileScope.sources,
          label: `the scope of ${shown} (${[...fileScope.sources].join(", ")})`,
        };
    const path: YamlPath = typeof entry === "string" ? ["csv", index] : ["csv", index, "file"];
    for (const file of matchFiles(pattern, path, baseDir, main, options.cwd, problems)) {
      const shownCsv = displayPath(file, options.cwd);
      const read = readText(file, shownCsv, MAX_CSV_BYTES, problems);
      if (read === undefined) continue;
      files.push({ path: shownCsv, sha256: read.sha256 });
      const before = declared;
      const steps = parseQuantityCsvSteps(read.text, shownCsv, {
        quantities,
        declared: products,
        ...(rowScope ? { scope: rowScope } : {}),
        ...(feedScope ? { productScope: feedScope } : {}),
      });
      const csv = yield* withDeclared(steps, (rows) => ({ phase: "declared", rows: before + rows }));
      declared = before + countAssignments(csv.products);
      problems.push(...csv.problems);
      sourcesOf.set(shownCsv, { kind: "csv", absolute: file });
      loaded.set(shownCsv, { kind: "csv", absolute: file, shown: shownCsv });
      merger.addRepeats(csv.repeats, shownCsv);
      // The CSV reader has left out repeated pairs; what remains adds to earlier files' SKUs.
      merger.add(csv.products, shownCsv, (sku) => csv.products.get(sku)?.origin ?? fileOrigin(shownCsv), problems);
    }
  }

  problems.push(...merger.repeatProblems((file, pairs) => locatePairs(sourcesOf.get(file), pairs, options.cwd)));

  const desired: DesiredState = {
    ...(fileScope ? { scope: fileScope } : {}),
    sources,
    stocks,
    products,
    moves: toMoves(doc, main),
    ...(stockDeletions.size > 0 ? { stockDeletions } : {}),
    quantities,
    safety: toSafety(doc),
    ...(doc.policy?.skip_unknown_skus ? { skipUnknownSkus: true } : {}),
    files,
    locate,
  };
  // A file without include: or csv: is its main part: the rules have run on it already.
  const alone = (doc.include ?? []).length === 0 && (doc.csv ?? []).length === 0;
  problems.push(...(alone && mainRules ? mainRules : checkOffline(desired)));
  if (problems.length > 0) throw new InventoryFileError(problems);
  const warnings = fileWarnings(desired);
  return warnings.length > 0 ? { ...desired, warnings } : desired;
}

/**
 * Products one YAML file may declare: a million take about 800 MiB once read, and a 64 MiB
 * file could declare two million. CSV files hold such catalogs.
 */
export const MAX_YAML_PRODUCTS = 1_000_000;

/** Whether the file declares more products than inv reads from one YAML file (said as a problem). */
function checkProductCount(parsed: ParsedYaml, problems: Problem[]): boolean {
  const products = (parsed.value as Partial<InventoryDocument> | null)?.products;
  const count = typeof products === "object" && products !== null ? Object.keys(products).length : 0;
  if (count <= MAX_YAML_PRODUCTS) return false;
  problems.push({
    origin: parsed.originOf(["products"]),
    rule: "file-size",
    message: `declares ${count.toLocaleString("en-US")} products; inv reads up to ${MAX_YAML_PRODUCTS.toLocaleString("en-US")} from one YAML file. Move quantities to CSV files (csv:) or split products over include: files.`,
  });
  return true;
}

/** Sections whose entries are checked one by one: a bad entry leaves the others readable. */
const MAPS_OF_ENTRIES: ReadonlySet<string | number> = new Set(["sources", "stocks", "products"]);

/**
 * The file as the schema could read it: its schema problems said, and the entries they are
 * in left out (a source, a stock, a product; other sections whole, lists whole, since their
 * entries are named by position). The semantic rules then check the rest in the same run.
 * Undefined when nothing is readable.
 */
function readablePart(parsed: ParsedYaml, kind: SchemaKind, problems: Problem[]): ParsedYaml | undefined {
  const schema = checkSchemaWithPaths(parsed, kind);
  problems.push(...schema.problems);
  if (schema.paths.length === 0) return parsed;
  const value = parsed.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const document: Record<string, unknown> = { ...value };
  const left = new Map<string, Set<string>>();
  for (const [section, entry] of schema.paths) {
    // An error of the document itself (a missing version): every section is still readable.
    if (section === undefined) continue;
    const key = String(section);
    if (MAPS_OF_ENTRIES.has(key) && entry !== undefined && key in document) {
      const out = left.get(key) ?? new Set<string>();
      out.add(String(entry));
      left.set(key, out);
    } else delete document[key];
  }
  for (const [section, out] of left) {
    const entries = document[section];
    if (typeof entries !== "object" || entries === null || Array.isArray(entries)) continue;
    const kept: Record<string, unknown> = {};
    for (const key of Object.keys(entries)) if (!out.has(key)) kept[key] = (entries as Record<string, unknown>)[key];
    document[section] = kept;
  }
  const readable: ParsedYaml = { ...parsed, value: document };
  // What is left must pass the schema; if some part of it still does not, the rules wait for a fixed file.
  return checkSchema(readable, kind).length === 0 ? readable : undefined;
}

function readYaml(absolute: string, shown: string, problems: Problem[]): ParsedYaml | undefined {
  const read = readText(absolute, shown, MAX_YAML_BYTES, problems);
  if (read === undefined) return undefined;
  const result = parseYaml(read.text, shown);
  problems.push(...result.problems);
  return result.parsed;
}

function readText(
  absolute: string,
  shown: string,
  limit: number,
  problems: Problem[],
): { text: string; sha256: string } | undefined {
  const origin: Origin = { file: shown, line: 0, column: 0 };
  try {
    const size = statSync(absolute).size;
    if (size > limit) {
      problems.push({
        origin,
        rule: "file-size",
        message: `is ${Math.round(size / 1048576)} MiB; inv reads such files up to ${Math.round(limit / 1048576)} MiB. Split it.`,
      });
      return undefined;
    }
    const bytes = readFileSync(absolute);
    if (bytes.includes(0)) {
      problems.push({ origin, rule: "file-encoding", message: "is not a text file (it contains NUL bytes)." });
      return undefined;
    }
    return { text: bytes.toString("utf8"), sha256: createHash("sha256").update(bytes).digest("hex") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "does not exist"
        : code === "EISDIR"
          ? "is a directory, not a file"
          : code === "EACCES"
            ? "cannot be read (permission denied)"
            : `cannot be read (${code ?? String(error)})`;
    problems.push({ origin, rule: "file", message: `${reason}.` });
    return undefined;
  }
}

function matchFiles(
  pattern: string,
  entry: YamlPath,
  baseDir: string,
  main: ParsedYaml,
  cwd: string,
  problems: Problem[],
): string[] {
  // Problems with the list itself point at the entry in the main file that names the file.
  const key = entry[0];
  const origin = main.originOf(entry, "value");
  const where = relative(cwd, baseDir) === "" ? "." : displayPath(baseDir, cwd);
  if (!isGlob(pattern)) {
    const file = resolve(baseDir, pattern);
    if (existsSync(file)) return [file];
    problems.push({ origin, rule: "file", message: `${key} file "${pattern}" does not exist (looked in ${where}).` });
    return [];
  }
  const matches = expandGlob(pattern, baseDir);
  if (matches.length === 0)
    problems.push({
      origin,
      rule: "file",
      message: `${key} pattern "${pattern}" matches no file (looked in ${where}).`,
    });
  return matches;
}

/** A feed's scope, which must lie within the file's. */
function toFeedScope(
  entry: Exclude<CsvEntry, string>,
  index: number,
  fileScope: SourceScope | undefined,
  main: ParsedYaml,
  problems: Problem[],
): ReadonlySet<string> | undefined {
  if (!entry.scope) return undefined;
  entry.scope.sources.forEach((source, at) => {
    if (fileScope && !fileScope.sources.has(source))
      problems.push({
        origin: main.originOf(["csv", index, "scope", "sources", at], "value"),
        rule: "scope",
        message: `feed "${entry.file}" has source "${source}" in its scope, outside the file's scope (${[...fileScope.sources].join(", ")}). Add it to the file's scope, or take it out of the feed's.`,
      });
  });
  return new Set(entry.scope.sources);
}

/** A YAML product at a source outside the file's scope contradicts the scope. */
function checkWithinScope(
  products: ReadonlyMap<string, DesiredProduct>,
  parsed: ParsedYaml,
  scope: SourceScope | undefined,
  shown: string,
  problems: Problem[],
): void {
  if (!scope) return;
  for (const product of products.values()) {
    for (const { source } of product.assignments) {
      if (scope.sources.has(source)) continue;
      problems.push({
        origin: assignmentOrigin(parsed, product.sku, source),
        rule: "scope",
        message: `product "${product.sku}" is assigned to source "${source}", outside the scope of ${shown} (${[...scope.sources].join(", ")}). Add the source to the scope, or remove it from the product.`,
      });
    }
  }
}

function fileOrigin(file: string): Origin {
  return { file, line: 0, column: 0 };
}

type FileSource =
  | { readonly kind: "main"; readonly parsed: ParsedYaml }
  | { readonly kind: "yaml" | "csv"; readonly absolute: string };

/** Reads a file again (it was read and hashed before) to find where it declares each pair. */
function locatePairs(file: FileSource | undefined, pairs: readonly SkuAtSource[], cwd: string): Map<string, Origin> {
  const found = new Map<string, Origin>();
  if (!file) return found;
  if (file.kind === "main") {
    for (const p of pairs) found.set(pairKey(p.sku, p.source), assignmentOrigin(file.parsed, p.sku, p.source));
    return found;
  }
  const shown = displayPath(file.absolute, cwd);
  let text: string;
  try {
    text = readFileSync(file.absolute, "utf8");
  } catch {
    return found;
  }
  if (file.kind === "yaml") {
    const parsed = parseYaml(text, shown).parsed;
    if (parsed) for (const p of pairs) found.set(pairKey(p.sku, p.source), assignmentOrigin(parsed, p.sku, p.source));
    return found;
  }
  const lines = findCsvRows(text, new Set(pairs.map((p) => pairKey(p.sku, p.source))));
  for (const [key, line] of lines) found.set(key, { file: shown, line, column: 1 });
  return found;
}

function countAssignments(products: ReadonlyMap<string, DesiredProduct>): number {
  let count = 0;
  for (const product of products.values()) count += product.assignments.length;
  return count;
}

/** Passes a stepwise parse's row counts on as load progress. */
function* withDeclared<R>(
  steps: Generator<number, R>,
  progress: (rows: number) => LoadProgress,
): Generator<LoadProgress, R> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    yield progress(step.value);
  }
}
