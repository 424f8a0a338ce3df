// The benchmark's shop: SKUS x SOURCES source items, deterministic, and an inventory file
// that changes one quantity in a hundred. Shared by the store process and the measurements.

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
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
