// Quantities from CSV files: `sku,source_code,quantity,status`, the columns of Magento's
// stock-sources import (any order, header required). Large catalogs live here, not in YAML.
// Cells are separated by commas, semicolons or tabs (the header says which); a byte-order
// mark is skipped; quantities follow the schema's number rules; a leading apostrophe that
// `inv export` put before =, +, - or @ (so spreadsheets read no formula) is taken off.

import type { Problem } from "../errors.js";
import type { DesiredAssignment, DesiredProduct, ItemStatus, Origin, QuantityPolicy } from "../model.js";
import { quantityLimits } from "./check-schema.js";

export interface CsvProduct {
  readonly sku: string;
  readonly origin: Origin;
  readonly quantities: QuantityPolicy;
  readonly assignments: DesiredAssignment[];
  readonly scope?: ReadonlySet<string>;
}

/** A row whose SKU and source are declared already: in an earlier row, or by an earlier file. */
export interface CsvRepeat {
  readonly sku: string;
  readonly source: string;
  readonly origin: Origin;
  readonly earlier: "this-file" | "declared";
}

export interface CsvResult {
  readonly products: Map<string, CsvProduct>;
  readonly problems: Problem[];
  /** Repeated rows are not added; the caller names both places (it knows the earlier files). */
  readonly repeats: CsvRepeat[];
  readonly delimiter: CsvDelimiter | undefined;
}

export interface CsvOptions {
  readonly quantities?: QuantityPolicy;
  /** Products that earlier files declare: a row at a source one of them has is a repeat. */
  readonly declared?: ReadonlyMap<string, DesiredProduct>;
  /** The sources rows may name (the feed's scope, else the file's), and how messages name that scope. */
  readonly scope?: { readonly sources: ReadonlySet<string>; readonly label: string };
  /** The feed's own scope, recorded on its products. */
  readonly productScope?: ReadonlySet<string>;
}

export type CsvDelimiter = "," | ";" | "\t";

const DELIMITERS: readonly CsvDelimiter[] = [",", ";", "\t"];
const DELIMITER_NAMES: Readonly<Record<CsvDelimiter, string>> = {
  ",": "commas",
  ";": "semicolons",
  "\t": "tabs",
};

const REQUIRED_COLUMNS = ["sku", "source_code", "quantity"] as const;
/** Magento's import writes status as 1/0; the YAML words are accepted too. */
const STATUS_WORDS: Readonly<Record<string, ItemStatus>> = {
  "1": "in_stock",
  "0": "out_of_stock",
  in_stock: "in_stock",
  out_of_stock: "out_of_stock",
};
const MAX_PROBLEMS = 200;
/** The schema's quantity is a JSON number; in a CSV cell that is decimal notation. */
const DECIMAL = /^-?[0-9]+(?:\.[0-9]+)?$/;
const DECIMAL_COMMA = /^-?[0-9]+,[0-9]+$/;
/** What `inv export` escaped: an apostrophe before =, + , - or @ (and before apostrophes that precede them). */
const ESCAPED_FORMULA = /^'+[=+\-@]/;

/**
 * Reads a whole quantity CSV. Written for a million rows: one pass over the text, no
 * allocation beyond the rows' own values, repeats found within each SKU's few sources.
 */
export function parseQuantityCsv(text: string, file: string, options: CsvOptions = {}): CsvResult {
  const steps = parseQuantityCsvSteps(text, file, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Rows between two yields of the stepwise parse: about 2 ms of work, so responses are answered with new requests
 * promptly.
 */
const ROWS_PER_STEP = 2_000;

/**
 * The same parse, yielding every ROWS_PER_STEP rows how many rows the file will have (the
 * rows so far, scaled by the share of the text read), so a caller can let the network
 * work, or start reading the store, while a large file is read.
 */
export function* parseQuantityCsvSteps(
  text: string,
  file: string,
  options: CsvOptions = {},
): Generator<number, CsvResult> {
  const quantities = options.quantities ?? "manage";
  const { declared, scope, productScope } = options;
  const products = new Map<string, CsvProduct>();
  const problems: Problem[] = [];
  const repeats: CsvRepeat[] = [];
  const header = readHeader(text, file);
  if ("problem" in header) {
    problems.push(header.problem);
    return { products, problems, repeats, delimiter: undefined };
  }
  const { columns, delimiter } = header;
  const reader = new RowReader(text, delimiter);
  reader.next();
  const skuAt = columns.indexOf("sku");
  const sourceAt = columns.indexOf("source_code");
  const quantityAt = columns.indexOf("quantity");
  const statusAt = columns.indexOf("status");
  const limits = quantityLimits();
  // Valid source codes, one string each: a million rows then hold a handful of strings.
  const validSources = new Map<string, string>();
  let last: CsvProduct | undefined;
  let lastDeclared: DesiredProduct | undefined;
  let lastSku: string | undefined;
  let rows = 0;
  for (let cells = reader.next(); cells !== undefined && problems.length < MAX_PROBLEMS; cells = reader.next()) {
    if (++rows % ROWS_PER_STEP === 0) yield Math.round((rows * text.length) / Math.max(1, reader.position));
    if (cells.length === 1 && cells[0]?.trim() === "") continue;
    const row = checkRow(cells, { skuAt, sourceAt, quantityAt, statusAt }, validSources, limits);
    if ("cell" in row) {
      problems.push({ origin: reader.cellOrigin(file, row.cell), rule: row.rule, message: row.message });
      continue;
    }
    const { sku, source } = row;
    if (scope && !scope.sources.has(source)) {
      problems.push({
        origin: reader.cellOrigin(file, sourceAt),
        rule: "scope",
        message: `source "${source}" of "${sku}" is outside ${scope.label}; the rows of a file are at the sources of its scope. Add the source to the scope, or leave the row out.`,
      });
      continue;
    }
    // Rows of one SKU usually stand together; the maps are asked only when the SKU changes.
    let product = last?.sku === sku ? last : products.get(sku);
    if (lastSku !== sku) {
      lastDeclared = declared?.get(sku);
      lastSku = sku;
    }
    if (!product) {
      const origin = reader.cellOrigin(file, skuAt);
      product = productScope
        ? { sku, origin, quantities, assignments: [], scope: productScope }
        : { sku, origin, quantities, assignments: [] };
      products.set(sku, product);
    }
    last = product;
    const earlier = product.assignments.some((a) => a.source === source)
      ? "this-file"
      : lastDeclared?.assignments.some((a) => a.source === source)
        ? "declared"
        : undefined;
    if (earlier) {
      repeats.push({ sku, source, origin: reader.cellOrigin(file, skuAt), earlier });
      if (repeats.length >= MAX_PROBLEMS) break;
      continue;
    }
    product.assignments.push({ source, quantity: row.quantity, status: row.status });
  }
  // A SKU whose every row repeats adds nothing.
  for (const [sku, product] of products) if (product.assignments.length === 0) products.delete(sku);
  return { products, problems, repeats, delimiter };
}

/** The first row of each wanted `sku \0 source` pair, for naming the earlier place of a repeat. */
export function findCsvRows(text: string, wanted: ReadonlySet<string>): Map<string, number> {
  const found = new Map<string, number>();
  const header = readHeader(text, "");
  if ("problem" in header) return found;
  const reader = new RowReader(text, header.delimiter);
  reader.next();
  const skuAt = header.columns.indexOf("sku");
  const sourceAt = header.columns.indexOf("source_code");
  for (let cells = reader.next(); cells !== undefined && found.size < wanted.size; cells = reader.next()) {
    const key = `${unescapeFormula(cells[skuAt] ?? "")}\u0000${unescapeFormula((cells[sourceAt] ?? "").trim())}`;
    if (wanted.has(key) && !found.has(key)) found.set(key, reader.line);
  }
  return found;
}

/** Where the first row of each wanted `sku \0 source` pair has its source_code or quantity cell. */
export function findCsvCells(
  text: string,
  file: string,
  wanted: ReadonlySet<string>,
  column: "source_code" | "quantity",
): Map<string, Origin> {
  const found = new Map<string, Origin>();
  const header = readHeader(text, file);
  if ("problem" in header) return found;
  const reader = new RowReader(text, header.delimiter);
  reader.next();
  const skuAt = header.columns.indexOf("sku");
  const sourceAt = header.columns.indexOf("source_code");
  const cellAt = header.columns.indexOf(column);
  for (let cells = reader.next(); cells !== undefined && found.size < wanted.size; cells = reader.next()) {
    const key = `${unescapeFormula(cells[skuAt] ?? "")}\u0000${unescapeFormula((cells[sourceAt] ?? "").trim())}`;
    if (wanted.has(key) && !found.has(key)) found.set(key, reader.cellOrigin(file, cellAt));
  }
  return found;
}

interface Columns {
  readonly skuAt: number;
  readonly sourceAt: number;
  readonly quantityAt: number;
  readonly statusAt: number;
}

interface Row {
  readonly sku: string;
  readonly source: string;
  readonly quantity: number;
  readonly status: ItemStatus;
}

/** A refused cell: which one, the rule, and the sentence that says what is wrong with it. */
interface RefusedCell {
  readonly cell: number;
  readonly rule: string;
  readonly message: string;
}

/** The row's values, or the cell that is wrong. */
function checkRow(
  cells: readonly string[],
  { skuAt, sourceAt, quantityAt, statusAt }: Columns,
  validSources: Map<string, string>,
  limits: { readonly minimum: number; readonly maximum: number },
): Row | RefusedCell {
  const sku = unescapeFormula(cells[skuAt] ?? "");
  const cell = unescapeFormula((cells[sourceAt] ?? "").trim());
  const quantityText = cells[quantityAt] ?? "";
  const statusText = statusAt >= 0 ? (cells[statusAt] ?? "").trim().toLowerCase() : "";
  if (sku === "" || sku.trim() !== sku)
    return {
      cell: skuAt,
      rule: "csv",
      message: `SKU ${JSON.stringify(sku)} is not valid: Magento refuses empty SKUs and SKUs with leading or trailing spaces.`,
    };
  if (sku.length > 64)
    return {
      cell: skuAt,
      rule: "csv",
      message: `SKU "${sku}" is longer than 64 characters, the most Magento stores for a source item.`,
    };
  let source = validSources.get(cell);
  if (source === undefined) {
    if (cell === "" || /\s/.test(cell))
      return {
        cell: sourceAt,
        rule: "csv",
        message: `source code ${JSON.stringify(cell)} is not valid: Magento refuses empty codes and codes with whitespace.`,
      };
    validSources.set(cell, (source = cell));
  }
  const quantity = checkQuantity(quantityText, limits);
  if (typeof quantity === "string")
    return {
      cell: quantityAt,
      rule: "csv-quantity",
      message: `quantity ${JSON.stringify(quantityText)} of "${sku}" at "${source}" ${quantity}`,
    };
  const status = statusText === "" ? "in_stock" : STATUS_WORDS[statusText];
  if (!status)
    return {
      cell: statusAt,
      rule: "csv",
      message: `status ${JSON.stringify(statusText)} of "${sku}" at "${source}" must be 1, 0, in_stock or out_of_stock.`,
    };
  return { sku, source, quantity, status };
}

/** The quantity a cell holds, or what is wrong with it: the schema's rules, in CSV's terms. */
function checkQuantity(text: string, limits: { readonly minimum: number; readonly maximum: number }): number | string {
  if (text === "") return "is empty; give a number, such as 12 or 3.5.";
  if (text.trim() !== text) return "has spaces around it; write the number alone.";
  if (DECIMAL_COMMA.test(text)) return `has a decimal comma; write a point (${text.replace(",", ".")}).`;
  if (!DECIMAL.test(text))
    return 'is not a decimal number; write digits with an optional leading "-" and a "." before decimals, such as 12 or -3.5 (no "+", exponent, hex or thousands separator).';
  const quantity = Number(text);
  if (quantity < limits.minimum || quantity > limits.maximum)
    return `is outside the quantities Magento stores (${limits.minimum} to ${limits.maximum}, decimal(12,4)).`;
  return quantity;
}

/** Takes off the apostrophe that `inv export` puts before a cell spreadsheets would read as a formula. */
export function unescapeFormula(cell: string): string {
  return cell.charCodeAt(0) === 39 && ESCAPED_FORMULA.test(cell) ? cell.slice(1) : cell;
}

/**
 * The header's columns and the delimiter that gives the required ones: commas, semicolons
 * (what spreadsheets write where the decimal separator is a comma) or tabs.
 */
function readHeader(
  text: string,
  file: string,
): { readonly columns: readonly string[]; readonly delimiter: CsvDelimiter } | { readonly problem: Problem } {
  const origin: Origin = { file, line: 1, column: 1 };
  const expected = "sku,source_code,quantity,status (Magento's stock-sources import columns)";
  const rows = DELIMITERS.map((delimiter) => {
    const header = new RowReader(text, delimiter).next();
    return { delimiter, columns: header?.map((c) => c.trim().toLowerCase()) ?? [] };
  });
  const first = rows[0]?.columns ?? [];
  if (first.length === 0 || (first.length === 1 && first[0] === "")) {
    return {
      problem: { origin, rule: "csv", message: `is empty; a quantity CSV starts with the header ${expected}.` },
    };
  }
  const fitting = rows.filter((row) => REQUIRED_COLUMNS.every((c) => row.columns.includes(c)));
  if (fitting.length === 1 && fitting[0]) return fitting[0];
  const headerLine = text.slice(0, text.search(/\r?\n|$/));
  const found = DELIMITERS.filter((d) => headerLine.includes(d));
  if (fitting.length > 1 || found.length > 1) {
    const names = (fitting.length > 1 ? fitting.map((f) => f.delimiter) : found).map((d) => DELIMITER_NAMES[d]);
    return {
      problem: {
        origin,
        rule: "csv",
        message: `header has ${names.join(" and ")}, so which separates the columns is ambiguous; inv reads CSV files separated by commas, semicolons or tabs, one of them throughout. Expected ${expected}.`,
      },
    };
  }
  const delimiter = found[0] ?? ",";
  const columns = rows.find((row) => row.delimiter === delimiter)?.columns ?? [];
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  const separated = delimiter !== "," ? ` (separated by ${DELIMITER_NAMES[delimiter]})` : "";
  return {
    problem: {
      origin,
      rule: "csv",
      message: `header${separated} lacks ${missing.map((m) => `"${m}"`).join(", ")}; expected ${expected}.`,
    },
  };
}

/** RFC 4180 rows: quoted cells may hold the delimiter, quotes ("") and newlines. */
class RowReader {
  private at: number;
  /** How far into the text the reader is. */
  get position(): number {
    return this.at;
  }
  /** The line the last row returned starts on (1-based). */
  line = 0;
  /** Where the last row returned starts. */
  private rowStart = 0;
  private nextLine = 1;
  /** Where the next quote is, found once and reused: searching per row would scan the rest of the file each time. */
  private quoteAt = -1;
  private readonly delimiterCode: number;

  constructor(
    private readonly text: string,
    private readonly delimiter: CsvDelimiter,
  ) {
    this.at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  next(): string[] | undefined {
    const text = this.text;
    if (this.at >= text.length) return undefined;
    this.line = this.nextLine;
    this.rowStart = this.at;
    let end = text.indexOf("\n", this.at);
    if (end < 0) end = text.length;
    if (this.quoteAt !== Number.POSITIVE_INFINITY && this.quoteAt < this.at) {
      const found = text.indexOf('"', this.at);
      this.quoteAt = found < 0 ? Number.POSITIVE_INFINITY : found;
    }
    if (this.quoteAt > end) {
      // The common case: a line without quotes.
      const lineEnd = end > this.at && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const cells = text.slice(this.at, lineEnd).split(this.delimiter);
      this.at = end + 1;
      this.nextLine++;
      return cells;
    }
    return this.quotedRow();
  }

  /** Where cell `index` of the last row starts: found again by walking the row (only for problems). */
  cellOrigin(file: string, index: number): Origin {
    const text = this.text;
    let i = this.rowStart;
    for (let cell = 0; cell < index && i < text.length; cell++) {
      if (text[i] === '"') {
        for (i++; i < text.length; i++) {
          if (text[i] === '"') {
            if (text[i + 1] === '"') i++;
            else break;
          }
        }
      }
      while (i < text.length && text.charCodeAt(i) !== this.delimiterCode && text[i] !== "\n") i++;
      if (text.charCodeAt(i) !== this.delimiterCode) break;
      i++;
    }
    const lineStart = text.lastIndexOf("\n", i - 1) + 1;
    return { file, line: this.line + countNewlines(text, this.rowStart, i), column: i - lineStart + 1 };
  }

  private quotedRow(): string[] {
    const text = this.text;
    const n = text.length;
    const delimiter = this.delimiterCode;
    const cells: string[] = [];
    let cell = "";
    let i = this.at;
    for (;;) {
      if (text[i] === '"') {
        i++;
        for (;;) {
          const quote = text.indexOf('"', i);
          if (quote < 0) {
            cell += text.slice(i);
            i = n;
            break;
          }
          cell += text.slice(i, quote);
          this.nextLine += countNewlines(text, i, quote);
          i = quote + 1;
          if (text[i] === '"') {
            cell += '"';
            i++;
            continue;
          }
          break;
        }
      }
      let end = i;
      while (end < n && text.charCodeAt(end) !== delimiter && text[end] !== "\n" && text[end] !== "\r") end++;
      cell += text.slice(i, end);
      i = end;
      cells.push(cell);
      cell = "";
      if (i >= n) break;
      if (text.charCodeAt(i) === delimiter) {
        i++;
        continue;
      }
      if (text[i] === "\r") i++;
      if (text[i] === "\n") i++;
      break;
    }
    this.nextLine++;
    this.at = i;
    return cells;
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}
