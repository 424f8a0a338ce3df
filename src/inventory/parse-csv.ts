// Quantities from CSV files: `sku,source_code,quantity,status`, the columns of Magento's
// stock-sources import (any order, header required). Large catalogs live here, not in YAML.

import type { Problem } from "../errors.js";
import type { DesiredAssignment, ItemStatus, Origin, QuantityPolicy } from "../model.js";

export interface CsvProduct {
  readonly sku: string;
  readonly origin: Origin;
  readonly quantities: QuantityPolicy;
  readonly assignments: DesiredAssignment[];
}

export interface CsvResult {
  readonly products: Map<string, CsvProduct>;
  readonly problems: Problem[];
}

const REQUIRED_COLUMNS = ["sku", "source_code", "quantity"] as const;
/** Magento's import writes status as 1/0; the YAML words are accepted too. */
const STATUS_WORDS: Readonly<Record<string, ItemStatus>> = {
  "1": "in_stock",
  "0": "out_of_stock",
  in_stock: "in_stock",
  out_of_stock: "out_of_stock",
};
const MAX_PROBLEMS = 200;

/**
 * Reads a whole quantity CSV. Written for a million rows: one pass over the text, no
 * allocation beyond the rows' own values, duplicates found within each SKU's few sources.
 */
export function parseQuantityCsv(text: string, file: string, quantities: QuantityPolicy = "manage"): CsvResult {
  const steps = parseQuantityCsvSteps(text, file, quantities);
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
  quantities: QuantityPolicy = "manage",
): Generator<number, CsvResult> {
  const products = new Map<string, CsvProduct>();
  const problems: Problem[] = [];
  const reader = new RowReader(text);
  const header = reader.next();
  if (header === undefined) {
    problems.push({
      origin: { file, line: 1, column: 1 },
      rule: "csv",
      message: "is empty; a quantity CSV starts with the header sku,source_code,quantity,status.",
    });
    return { products, problems };
  }
  const columns = header.map((c) => c.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    problems.push({
      origin: { file, line: 1, column: 1 },
      rule: "csv",
      message:
        `header lacks ${missing.map((m) => `"${m}"`).join(", ")}; expected ` +
        "sku,source_code,quantity,status (Magento's stock-sources import columns).",
    });
    return { products, problems };
  }
  const skuAt = columns.indexOf("sku");
  const sourceAt = columns.indexOf("source_code");
  const quantityAt = columns.indexOf("quantity");
  const statusAt = columns.indexOf("status");
  // Valid source codes, one string each: a million rows then hold a handful of strings.
  const validSources = new Map<string, string>();
  let last: CsvProduct | undefined;
  let rows = 0;
  for (let cells = reader.next(); cells !== undefined && problems.length < MAX_PROBLEMS; cells = reader.next()) {
    if (++rows % ROWS_PER_STEP === 0) yield Math.round((rows * text.length) / Math.max(1, reader.position));
    if (cells.length === 1 && cells[0]!.trim() === "") continue;
    const line = reader.line;
    const row = checkRow(cells, skuAt, sourceAt, quantityAt, statusAt, validSources);
    if (typeof row === "string") {
      problems.push({ origin: { file, line, column: 1 }, rule: "csv", message: row });
      continue;
    }
    const { sku, source } = row;
    // Rows of one SKU usually stand together; the map is asked only when the SKU changes.
    let product = last?.sku === sku ? last : products.get(sku);
    if (!product) {
      product = { sku, origin: { file, line, column: 1 }, quantities, assignments: [] };
      products.set(sku, product);
    } else if (product.assignments.some((a) => a.source === source)) {
      problems.push({
        origin: { file, line, column: 1 },
        rule: "csv",
        message: `repeats "${sku}" at source "${source}"; each SKU and source may appear once.`,
      });
      continue;
    }
    last = product;
    product.assignments.push({ source, quantity: row.quantity, status: row.status });
  }
  return { products, problems };
}

interface Row {
  readonly sku: string;
  readonly source: string;
  readonly quantity: number;
  readonly status: ItemStatus;
}

/** The row's values, or the sentence that says what is wrong with it. */
function checkRow(
  cells: readonly string[],
  skuAt: number,
  sourceAt: number,
  quantityAt: number,
  statusAt: number,
  validSources: Map<string, string>,
): Row | string {
  const sku = cells[skuAt] ?? "";
  const cell = (cells[sourceAt] ?? "").trim();
  const quantityText = (cells[quantityAt] ?? "").trim();
  const statusText = statusAt >= 0 ? (cells[statusAt] ?? "").trim().toLowerCase() : "";
  if (sku === "" || sku.trim() !== sku)
    return (
      `SKU ${JSON.stringify(sku)} is not valid: ` +
      "Magento refuses empty SKUs and SKUs with leading or trailing spaces."
    );
  if (sku.length > 64) return `SKU "${sku}" is longer than 64 characters, the most Magento stores for a source item.`;
  let source = validSources.get(cell);
  if (source === undefined) {
    if (cell === "" || /\s/.test(cell))
      return `source code ${JSON.stringify(cell)} is not valid: Magento refuses empty codes and codes with whitespace.`;
    validSources.set(cell, (source = cell));
  }
  const quantity = Number(quantityText);
  if (quantityText === "" || !Number.isFinite(quantity))
    return `quantity ${JSON.stringify(quantityText)} of "${sku}" at "${source}" is not a number.`;
  const status = statusText === "" ? "in_stock" : STATUS_WORDS[statusText];
  if (!status)
    return `status ${JSON.stringify(statusText)} of "${sku}" at "${source}" must be 1, 0, in_stock or out_of_stock.`;
  return { sku, source, quantity, status };
}

/** RFC 4180 rows: quoted cells may hold commas, quotes ("") and newlines. */
class RowReader {
  private at: number;
  /** How far into the text the reader is. */
  get position(): number {
    return this.at;
  }
  /** The line the last row returned starts on (1-based). */
  line = 0;
  private nextLine = 1;
  /** Where the next quote is, found once and reused: searching per row would scan the rest of the file each time. */
  private quoteAt = -1;

  constructor(private readonly text: string) {
    this.at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  next(): string[] | undefined {
    const text = this.text;
    if (this.at >= text.length) return undefined;
    this.line = this.nextLine;
    let end = text.indexOf("\n", this.at);
    if (end < 0) end = text.length;
    if (this.quoteAt !== Number.POSITIVE_INFINITY && this.quoteAt < this.at) {
      const found = text.indexOf('"', this.at);
      this.quoteAt = found < 0 ? Number.POSITIVE_INFINITY : found;
    }
    if (this.quoteAt > end) {
      // The common case: a line without quotes.
      const lineEnd = end > this.at && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const cells = text.slice(this.at, lineEnd).split(",");
      this.at = end + 1;
      this.nextLine++;
      return cells;
    }
    return this.quotedRow();
  }

  private quotedRow(): string[] {
    const text = this.text;
    const n = text.length;
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
      while (end < n && text[end] !== "," && text[end] !== "\n" && text[end] !== "\r") end++;
      cell += text.slice(i, end);
      i = end;
      cells.push(cell);
      cell = "";
      if (i >= n) break;
      if (text[i] === ",") {
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
