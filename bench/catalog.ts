// The benchmark's shop: SKUS x SOURCES source items, deterministic, and an inventory file
// that changes one quantity in a hundred. Shared by the store process and the measurements.

import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { inventoryYaml } from "../src/export/inventory-yaml.js";
import { quantityCsv } from "../src/export/quantity-csv.js";
import { MAX_YAML_BYTES } from "../src/inventory/parse-yaml.js";
import { liveSourceFromRaw } from "../src/magento/convert.js";
import type { LiveSourceItem, LiveState, LiveStock } from "../src/model.js";
import { freshState, type SandboxState, type StateSourceItem } from "../src/sandbox/index.js";

export interface CatalogSize {
  readonly skus: number;
  readonly sources: number;
}

export const CHANGE_EVERY = 100;

export function sku(i: number): string {
  return `BENCH-${String(i).padStart(6, "0")}`;
}

export function sourceCode(s: number): string {
  return `src_${String(s).padStart(2, "0")}`;
}

export function quantity(i: number, s: number): number {
  return (i * 7 + s * 13) % 500;
}

export function storeState(size: CatalogSize): SandboxState {
  const fresh = freshState();
  const sources = Array.from({ length: size.sources }, (_, s) => ({
    source_code: sourceCode(s),
    name: `Bench Source ${s}`,
    enabled: true,
    country_id: "US",
    postcode: String(10000 + s),
  }));
  const items: StateSourceItem[] = new Array(size.skus * size.sources);
  let k = 0;
  for (let i = 0; i < size.skus; i++) {
    for (let s = 0; s < size.sources; s++)
      items[k++] = { sku: sku(i), source_code: sourceCode(s), quantity: quantity(i, s), status: 1 };
  }
  return {
    ...fresh,
    sources: [...fresh.sources, ...sources],
    stocks: [
      { stock_id: 1, name: "Default Stock", sales_channels: [] },
      { stock_id: 2, name: "Bench Stock", sales_channels: [{ type: "website", code: "base" }] },
    ],
    links: [
      ...fresh.links,
      ...sources.map((src, s) => ({ stock_id: 2, source_code: src.source_code, priority: s + 1 })),
    ],
    products: [
      ...fresh.products,
      ...Array.from({ length: size.skus }, (_, i) => ({
        sku: sku(i),
        name: `Bench product ${i}`,
        type_id: "simple" as const,
      })),
    ],
    source_items: items,
    next_stock_id: 3,
  };
}

/**
 * inventory.yaml declares the sources and the stock; quantities.csv holds every source
 * item, with every CHANGE_EVERY-th quantity one higher than the store's.
 */
export function writeInventory(dir: string, size: CatalogSize): { changed: number } {
  const sources = Array.from(
    { length: size.sources },
    (_, s) =>
      `  ${sourceCode(s)}: { name: Bench Source ${s}, enabled: true, country_id: US, postcode: "${10000 + s}" }`,
  );
  writeFileSync(
    join(dir, "inventory.yaml"),
    [
      "# yaml-language-server: $schema=../schemas/inventory.schema.json",
      "version: 1",
      "csv: [quantities.csv]",
      "sources:",
      ...sources,
      "stocks:",
      "  Bench Stock:",
      "    sales_channels: { website: [base] }",
      `    sources: [${Array.from({ length: size.sources }, (_, s) => sourceCode(s)).join(", ")}]`,
      "",
    ].join("\n"),
  );
  const rows: string[] = ["sku,source_code,quantity,status"];
  let row = 0;
  let changed = 0;
  for (let i = 0; i < size.skus; i++) {
    for (let s = 0; s < size.sources; s++) {
      const bump = row % CHANGE_EVERY === 0 ? 1 : 0;
      changed += bump;
      rows.push(`${sku(i)},${sourceCode(s)},${quantity(i, s) + bump},1`);
      row++;
    }
  }
  writeFileSync(join(dir, "quantities.csv"), `${rows.join("\n")}\n`);
  return { changed };
}

/**
 * A git repository for the --changed-only scenario: the file at the commit tagged
 * `bench-base` holds exactly the store's quantities; the working tree then changes one
 * quantity of every CHANGE_EVERY-th SKU (1% of the SKUs, 0.1% of the items at 10 sources).
 */
export function writeBaseRepository(dir: string, size: CatalogSize): { changedSkus: number } {
  const rowsOf = (bumped: (i: number, s: number) => boolean) => {
    const rows: string[] = ["sku,source_code,quantity,status"];
    for (let i = 0; i < size.skus; i++) {
      for (let s = 0; s < size.sources; s++)
        rows.push(`${sku(i)},${sourceCode(s)},${quantity(i, s) + (bumped(i, s) ? 1 : 0)},1`);
    }
    return `${rows.join("\n")}\n`;
  };
  writeInventory(dir, size);
  writeFileSync(
    join(dir, "quantities.csv"),
    rowsOf(() => false),
  );
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", ...args], {
      cwd: dir,
      stdio: "ignore",
    });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "the store as it was brought to the file");
  git("tag", "bench-base");
  writeFileSync(
    join(dir, "quantities.csv"),
    rowsOf((i, s) => i % CHANGE_EVERY === 0 && s === 0),
  );
  return { changedSkus: Math.ceil(size.skus / CHANGE_EVERY) };
}

/** The store as `inv plan` reads it, built in memory; `outOfStockEvery`: every n-th item is 0, out of stock. */
export function liveStore(size: CatalogSize, outOfStockEvery = 0): LiveState {
  const sources = new Map(
    Array.from({ length: size.sources }, (_, s) => {
      const code = sourceCode(s);
      return [
        code,
        liveSourceFromRaw({
          source_code: code,
          name: `Bench Source ${s}`,
          enabled: true,
          country_id: "US",
          postcode: String(10000 + s),
        }),
      ] as const;
    }),
  );
  const stock: LiveStock = {
    id: 2,
    name: "Bench Stock",
    salesChannels: [{ type: "website", code: "base" }],
    links: Array.from({ length: size.sources }, (_, s) => ({ source: sourceCode(s), priority: s + 1 })),
  };
  const sourceItems = new Map<string, LiveSourceItem[]>();
  let k = 0;
  for (let i = 0; i < size.skus; i++) {
    sourceItems.set(
      sku(i),
      Array.from({ length: size.sources }, (_, s): LiveSourceItem => {
        const out = outOfStockEvery > 0 && k++ % outOfStockEvery === 0;
        return out
          ? { source: sourceCode(s), quantity: 0, status: "out_of_stock" }
          : { source: sourceCode(s), quantity: quantity(i, s), status: "in_stock" };
      }),
    );
  }
  return { sources, stocks: new Map([[2, stock]]), sourceItems };
}

export interface ExportFiles {
  /** `inv export --out yaml/inventory.yaml`: every product in the YAML file. */
  readonly yaml: string;
  /** `inv export --out csv/inventory.yaml --csv csv`: the same store with quantities in source-items.csv. */
  readonly csv: string;
  readonly yamlBytes: number;
  readonly csvBytes: number;
}

/** The same store written both ways `inv export` writes it, one item in 20 out of stock. */
export function writeExportFiles(dir: string, size: CatalogSize): ExportFiles {
  const store = liveStore(size, 20);
  const schema = "../schemas/inventory.schema.json";
  mkdirSync(join(dir, "yaml"), { recursive: true });
  mkdirSync(join(dir, "csv"), { recursive: true });
  const yaml = inventoryYaml(store, { schema }).text;
  writeFileSync(join(dir, "yaml", "inventory.yaml"), yaml);
  writeFileSync(join(dir, "csv", "inventory.yaml"), inventoryYaml(store, { schema, csv: ["source-items.csv"] }).text);
  const csv = quantityCsv(store.sourceItems);
  writeFileSync(join(dir, "csv", "source-items.csv"), csv);
  return {
    yaml: "yaml/inventory.yaml",
    csv: "csv/inventory.yaml",
    yamlBytes: Buffer.byteLength(yaml),
    csvBytes: Buffer.byteLength(csv),
  };
}

/**
 * An exported YAML file grown to just under inv's 64 MiB limit: the export's products again
 * and again under new SKUs (BENCH1-..., BENCH2-...). With `anchor`, its last product uses a
 * YAML anchor, outside what inv reads in a file that size: read to the end, then refused.
 */
export function writeLargestYaml(dir: string, exported: string, file: string, anchor: boolean): number {
  const [head = "", products = ""] = exported.split("\nproducts:\n");
  const fd = openSync(join(dir, file), "w");
  let bytes = 0;
  const write = (text: string) => {
    writeSync(fd, text);
    bytes += Buffer.byteLength(text);
  };
  write(`${head}\nproducts:\n`);
  const tail = anchor ? "  BENCH-ANCHOR: &a { src_00: 1 }\n" : "";
  const room = MAX_YAML_BYTES - 64 * 1024 - Buffer.byteLength(tail);
  const lines = products.split("\n").filter((line) => line !== "");
  let full = lines.length === 0;
  for (let copy = 0; !full; copy++) {
    for (const line of lines) {
      const renamed = copy === 0 ? line : line.replace("BENCH-", `BENCH${copy}-`);
      if (bytes + renamed.length + 1 > room) {
        full = true;
        break;
      }
      write(`${renamed}\n`);
    }
  }
  write(tail);
  closeSync(fd);
  return bytes;
}

/** SKUs an ERP feed knows before the catalog does: one in UNKNOWN_EVERY of the store's. */
export const UNKNOWN_EVERY = 1000;

/**
 * An ERP's export: one CSV per warehouse (feeds/<source>.csv, each a `csv:` entry with the
 * scope of its source), every SKU at every source, one quantity in CHANGE_EVERY one higher
 * than the store's, and one SKU in UNKNOWN_EVERY more that the catalog does not have. The
 * main file declares no stock, so no link is the feed's business.
 */
export function writeErpFeeds(dir: string, size: CatalogSize): { changed: number; unknown: number } {
  mkdirSync(join(dir, "feeds"), { recursive: true });
  const codes = Array.from({ length: size.sources }, (_, s) => sourceCode(s));
  writeFileSync(
    join(dir, "inventory.yaml"),
    [
      "version: 1",
      `scope: { sources: [${codes.join(", ")}] }`,
      "csv:",
      ...codes.map((code) => `  - { file: feeds/${code}.csv, scope: { sources: [${code}] } }`),
      "",
    ].join("\n"),
  );
  const unknown = Math.floor(size.skus / UNKNOWN_EVERY);
  let changed = 0;
  for (let s = 0; s < size.sources; s++) {
    const rows: string[] = ["sku,source_code,quantity,status"];
    for (let i = 0; i < size.skus; i++) {
      // Row order as in the one-file bench: item k = i * sources + s changes when k % CHANGE_EVERY is 0.
      const bump = (i * size.sources + s) % CHANGE_EVERY === 0 ? 1 : 0;
      changed += bump;
      rows.push(`${sku(i)},${codes[s]},${quantity(i, s) + bump},1`);
    }
    for (let u = s; u < unknown; u += size.sources) rows.push(`ERP-NEW-${String(u).padStart(6, "0")},${codes[s]},5,1`);
    writeFileSync(join(dir, "feeds", `${codes[s]}.csv`), `${rows.join("\n")}\n`);
  }
  return { changed, unknown };
}
