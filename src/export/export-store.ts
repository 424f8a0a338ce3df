// `inv export`: the live store -> an inventory file (and, for large catalogs, a quantity
// CSV). Reads everything with the same paged searches as `inv plan`, plus one scan of all
// source items; returns the texts and leaves writing them to the caller.

import { dirname, join, relative, sep } from "node:path";
import { MAX_YAML_BYTES } from "../inventory/parse-yaml.js";
import type { MagentoClient } from "../magento/client.js";
import type { LiveState } from "../model.js";
import { packageRoot } from "../package-files.js";
import { readAllSourceItems } from "../state/read-all-source-items.js";
import { readLiveState, type ReadProgress } from "../state/read-live-state.js";
import { inventoryYaml } from "./inventory-yaml.js";
import { quantityCsv } from "./quantity-csv.js";

export const CSV_FILE_NAME = "source-items.csv";
/** Beyond this many products a YAML file is too long to review in a pull request. */
export const REVIEWABLE_PRODUCTS = 10_000;

export interface ExportOptions {
  readonly client: MagentoClient;
  /** Where the YAML will be written (absolute); undefined when it goes to stdout. */
  readonly outFile?: string;
  /** Paths inside the YAML are relative to the file's directory, or to this one for stdout. */
  readonly cwd: string;
  /** Write quantities to `<csvDir>/source-items.csv` (absolute) instead of `products:`. */
  readonly csvDir?: string;
  readonly onProgress?: (progress: ReadProgress) => void;
}

export interface ExportResult {
  readonly yaml: string;
  readonly csv?: { readonly file: string; readonly text: string };
  readonly counts: {
    readonly sources: number;
    readonly stocks: number;
    readonly products: number;
    readonly sourceItems: number;
  };
  readonly warnings: readonly string[];
  /** Advice that is not a warning: the export is sound, but could be easier to work with. */
  readonly notes: readonly string[];
}

export async function exportStore(options: ExportOptions): Promise<ExportResult> {
  const onProgress = options.onProgress;
  const [live, sourceItems] = await Promise.all([
    readLiveState(options.client, { skus: new Set(), ...(onProgress ? { onProgress } : {}) }),
    readAllSourceItems(
      options.client,
      onProgress ? (done, total) => onProgress({ what: "source items", done, total }) : undefined,
    ),
  ]);
  const store: LiveState = { sources: live.sources, stocks: live.stocks, sourceItems };
  const baseDir = options.outFile ? dirname(options.outFile) : options.cwd;
  const csvFile = options.csvDir ? join(options.csvDir, CSV_FILE_NAME) : undefined;
  const yaml = inventoryYaml(store, {
    schema: relativeReference(baseDir, join(packageRoot(), "schemas", "inventory.schema.json")),
    ...(csvFile ? { csv: [relativeReference(baseDir, csvFile).replace(/^\.\//, "")] } : {}),
  });
  const warnings = [...yaml.warnings];
  if (!csvFile && Buffer.byteLength(yaml.text) > MAX_YAML_BYTES) {
    warnings.push(
      `the file is larger than the ${MAX_YAML_BYTES / 1048576} MiB inv reads ` +
        "from one YAML file; export again with --csv DIR to keep quantities in CSV.",
    );
  }
  let sourceItemCount = 0;
  for (const items of sourceItems.values()) sourceItemCount += items.length;
  const products = [...sourceItems.values()].filter((i) => i.length > 0).length;
  const notes =
    !csvFile && products > REVIEWABLE_PRODUCTS
      ? [
          `the file lists ${products.toLocaleString("en-US")} products; export with --csv DIR to write their quantities to DIR/${CSV_FILE_NAME}, which keeps the YAML file short enough to review.`,
        ]
      : [];
  return {
    yaml: yaml.text,
    ...(csvFile ? { csv: { file: csvFile, text: quantityCsv(sourceItems) } } : {}),
    counts: {
      sources: store.sources.size,
      stocks: store.stocks.size,
      products,
      sourceItems: sourceItemCount,
    },
    warnings,
    notes,
  };
}

/** A path relative to `fromDir` with forward slashes, starting with ./ or ../ as editors expect. */
function relativeReference(fromDir: string, to: string): string {
  const rel = relative(fromDir, to).split(sep).join("/");
  return rel.startsWith("../") || rel.startsWith("/") ? rel : `./${rel}`;
}
