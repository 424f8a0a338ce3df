// Quantities from CSV files: `sku,source_code,quantity,status`, the columns of Magento's
// stock-sources import (any order, header required). Large catalogs live here, not in YAML.

import type { Problem } from "../errors.js";
import type { DesiredAssignment, ItemStatus, Origin } from "../model.js";

export interface CsvProduct {
  readonly sku: string;
  readonly origin: Origin;
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

export function parseQuantityCsv(text: string, file: string): CsvResult {
  const products = new Map<string, CsvProduct>();
  const problems: Problem[] = [];
  const rows = readRows(text);
  const header = rows.next();
  if (header.done) {
    problems.push({ origin: { file, line: 1, column: 1 }, rule: "csv", message: "is empty; a quantity CSV starts with the header sku,source_code,quantity,status." });
    return { products, problems };
  }
  const columns = header.value.cells.map((c) => c.trim().toLowerCase());
  const index = (name: string) => columns.indexOf(name);
  const missing = REQUIRED_COLUMNS.filter((c) => index(c) < 0);
  if (missing.length > 0) {
    problems.push({
      origin: { file, line: 1, column: 1 },
      rule: "csv",
      message: `header lacks ${missing.map((m) => `"${m}"`).join(", ")}; expected sku,source_code,quantity,status (Magento's stock-sources import columns).`,
    });
    return { products, problems };
  }
  const skuAt = index("sku");
  const sourceAt = index("source_code");
  const quantityAt = index("quantity");
  const statusAt = index("status");
  const seenPairs = new Set<string>();
  for (const row of rows) {
    if (problems.length >= MAX_PROBLEMS) break;
    if (row.cells.length === 1 && row.cells[0]?.trim() === "") continue;
    const origin: Origin = { file, line: row.line, column: 1 };
    const problem = (message: string) => problems.push({ origin, rule: "csv", message });
    const sku = row.cells[skuAt] ?? "";
    const source = (row.cells[sourceAt] ?? "").trim();
    const quantityText = (row.cells[quantityAt] ?? "").trim();
    const statusText = statusAt >= 0 ? (row.cells[statusAt] ?? "").trim().toLowerCase() : "";
    if (sku.trim() === "" || sku !== sku.trim()) {
      problem(`SKU ${JSON.stringify(sku)} is not valid: Magento refuses empty SKUs and SKUs with leading or trailing spaces.`);
      continue;
    }
    if (sku.length > 64) {
      problem(`SKU "${sku}" is longer than 64 characters, the most Magento stores for a source item.`);
      continue;
    }
    if (source === "" || /\s/.test(source)) {
      problem(`source code ${JSON.stringify(source)} is not valid: Magento refuses empty codes and codes with whitespace.`);
      continue;
    }
    const quantity = Number(quantityText);
    if (quantityText === "" || !Number.isFinite(quantity)) {
      problem(`quantity ${JSON.stringify(quantityText)} of "${sku}" at "${source}" is not a number.`);
      continue;
    }
    const status = statusText === "" ? "in_stock" : STATUS_WORDS[statusText];
    if (!status) {
      problem(`status ${JSON.stringify(statusText)} of "${sku}" at "${source}" must be 1, 0, in_stock or out_of_stock.`);
      continue;
    }
    const pair = `${sku}\u0000${source}`;
    if (seenPairs.has(pair)) {
      problem(`repeats "${sku}" at source "${source}"; each SKU and source may appear once.`);
      continue;
    }
    seenPairs.add(pair);
    let product = products.get(sku);
    if (!product) {
      product = { sku, origin, assignments: [] };
      products.set(sku, product);
    }
    product.assignments.push({ source, quantity, status });
  }
  return { products, problems };
}

interface Row {
  readonly line: number;
  readonly cells: string[];
}

/** RFC 4180 rows: quoted cells may hold commas, quotes ("") and newlines. */
function* readRows(text: string): Generator<Row> {
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    let cell = "";
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
          line += countNewlines(text, i, quote);
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
      line++;
      break;
    }
    yield { line: startLine, cells };
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}
