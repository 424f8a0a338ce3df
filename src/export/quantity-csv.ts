// Quantities as CSV, the format `csv:` reads back: header sku,source_code,quantity,status
// (Magento's stock-sources import columns), status 1 or 0, rows by SKU then source code.
// A SKU or source code that a spreadsheet would take for a formula gets an apostrophe in
// front, which inv's CSV reader takes off again (src/inventory/parse-csv.ts unescapeFormula).

import type { LiveSourceItem } from "../model.js";
import { compareCodePoints } from "../sort.js";
import { yamlNumber } from "./yaml-scalar.js";

export const CSV_HEADER = "sku,source_code,quantity,status";

export function quantityCsv(sourceItems: ReadonlyMap<string, readonly LiveSourceItem[]>): string {
  const lines = [CSV_HEADER];
  for (const sku of [...sourceItems.keys()].sort(compareCodePoints)) {
    const items = [...(sourceItems.get(sku) ?? [])].sort((a, b) => compareCodePoints(a.source, b.source));
    for (const item of items)
      lines.push(
        [
          csvCell(textCell(sku)),
          csvCell(textCell(item.source)),
          yamlNumber(item.quantity),
          item.status === "in_stock" ? "1" : "0",
        ].join(","),
      );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Spreadsheets run a cell that starts with =, +, - or @ as a formula (CSV injection; a SKU
 * may well start with -). An apostrophe in front keeps it text there; the reader takes one
 * off exactly where this adds one: before those four, and before apostrophes that precede them.
 */
const READS_AS_FORMULA = /^'*[=+\-@]/;

function textCell(value: string): string {
  return READS_AS_FORMULA.test(value) ? `'${value}` : value;
}

/** RFC 4180: a cell with a comma, quote or line break is quoted, quotes doubled; so are cells with edge spaces. */
function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
