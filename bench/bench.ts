// npm run bench: builds a store of 100,000 SKUs x 10 sources in the sandbox, writes a file
// that changes 1% of the quantities, and measures in one run: inv plan against a bare
// download of the same pages, requests against the paging floor, peak memory, the local
// stages on their own, and an apply of the changed items; then the same catalog exported
// as YAML against the same as CSV, YAML files at the 64 MiB limit, and an ERP's feed: one
// CSV per warehouse, each scoped to its source, with unknown SKUs skipped. Each measurement
// runs in a process of its own, so peak memory and the event loop are its alone.
//
//   npm run bench -- [--skus 100000] [--sources 10] [--concurrency 4] [--only store|yaml|base|erp]

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  writeBaseRepository,
  writeErpFeeds,
  writeExportFiles,
  writeInventory,
  writeLargestYaml,
  type CatalogSize,
} from "./catalog.js";

interface Options {
  readonly size: CatalogSize;
  readonly concurrency: number;
  /** Only the store scenarios (local stages, A, B, C), the YAML ones, F (--base, --changed-only), or G (ERP feeds). */
  readonly only: "store" | "yaml" | "base" | "erp" | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string, fallback: number) => {
    const at = argv.indexOf(flag);
    const n = at >= 0 ? Number(argv[at + 1]) : fallback;
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes a whole number of 1 or more`);
    return n;
  };
  const at = argv.indexOf("--only");
  const only = at >= 0 ? argv[at + 1] : undefined;
  if (only !== undefined && only !== "store" && only !== "yaml" && only !== "base" && only !== "erp")
    throw new Error("--only takes store, yaml, base or erp");
  return {
    size: { skus: value("--skus", 100_000), sources: value("--sources", 10) },
    concurrency: value("--concurrency", 4),
    only,
  };
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Runs a bench process and returns the JSON line it prints last. */
function runChild<T>(file: string, args: unknown, keepOpen = false): Promise<{ result: T; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--max-old-space-size=4096", here(file), JSON.stringify(args)], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    let output = "";
    let settled = false;
    const stop = () =>
      new Promise<void>((done) => {
        child.once("exit", () => done());
        child.stdin.end();
      });
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (keepOpen && !settled && output.includes("\n")) {
        settled = true;
        resolve({ result: JSON.parse(output.split("\n")[0]!) as T, stop });
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (settled) return;
      settled = true;
      if (code !== 0) return reject(new Error(`${file} exited with ${code}`));
      const last = output.trim().split("\n").pop() ?? "{}";
      resolve({ result: JSON.parse(last) as T, stop: async () => {} });
    });
    if (!keepOpen) child.stdin.end();
  });
}

interface PlanResult {
  wallMs: number;
  cpuMs: number;
  requests: Record<string, number>;
  pageSize: number;
  changes: number;
  calls: number;
  skipped: number;
  maxRssMb: number;
}
interface DownloadResult {
  wallMs: number;
  requests: number;
  bytes: number;
}
interface LocalResult {
  stages: Record<string, number>;
  totalCpuMs: number;
  changes: number;
  maxRssMb: number;
}
interface LoadResult {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  read: boolean;
  products?: number;
  sourceItems?: number;
  problem?: string;
}
interface ApplyResult {
  wallMs: number;
  items: number;
  writeRequests: Record<string, number>;
  itemCalls: number;
  itemsPerCall: number;
  batchSize: number;
  skipped: number;
  maxRssMb: number;
}

/**
 * What a store spends on each request, added by the sandbox in scenarios B and C. Every
 * Magento REST call is a full application bootstrap; 25 ms is a fast store
 * (docs/magento/webapi-platform.md#latency reports seconds for large saves), so the ratios there flatter nothing.
 */
const MAGENTO_MS = 25;

const n = (value: number) => value.toLocaleString("en-US");
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Scenario {
  readonly name: string;
  readonly inputLimits: boolean;
  readonly latencyMs: number;
  readonly apply: boolean;
}

async function scenario(
  spec: Scenario,
  options: Options,
  dir: string,
  rows: number,
): Promise<{ ratio: number; requestsOk: boolean }> {
  const { name, inputLimits, latencyMs } = spec;
  const { result: store, stop } = await runChild<{ url: string; token: string; loadMs: number }>(
    "store.js",
    { size: options.size, inputLimits, latencyMs },
    true,
  );
  try {
    const pathsFile = join(dir, `paths-${inputLimits ? "limits" : "open"}.json`);
    const common = { url: store.url, token: store.token, concurrency: options.concurrency };
    const { result: planned } = await runChild<PlanResult>("run-plan.js", { ...common, dir, pathsFile });
    const { result: download } = await runChild<DownloadResult>("run-download.js", { ...common, pathsFile });
    const itemReads = planned.requests["GET V1/inventory/source-items"] ?? 0;
    const floor = Math.ceil(rows / planned.pageSize);
    const ratio = planned.wallMs / download.wallMs;
    console.log(`\n${name} (store ready in ${s(store.loadMs)})`);
    console.log(
      `  inv plan, wall time                 ${s(planned.wallMs)}  (${n(planned.changes)} changes, ${n(planned.calls)} calls planned; CPU ${s(planned.cpuMs)})`,
    );
    console.log(
      `  bare download of the same pages     ${s(download.wallMs)}  (${n(download.requests)} GETs, ${(download.bytes / 1048576).toFixed(1)} MiB)`,
    );
    console.log(`  ratio plan / download               ${ratio.toFixed(2)}x  (target <= 1.5x)`);
    console.log(
      `  source-item reads                   ${n(itemReads)} at pageSize ${n(planned.pageSize)}; floor ceil(${n(rows)} / ${n(planned.pageSize)}) = ${n(floor)}`,
    );
    const others = Object.entries(planned.requests)
      .filter(([route]) => route !== "GET V1/inventory/source-items")
      .map(([route, count]) => `${route.replace("GET V1/", "")} ${count}`)
      .join(", ");
    console.log(`  other reads                         ${others}`);
    console.log(`  peak RSS of inv plan                ${n(planned.maxRssMb)} MiB`);
    if (spec.apply) {
      const { result: applied } = await runChild<ApplyResult>("run-apply.js", { ...common, dir });
      console.log(
        `  apply of ${n(applied.items)} changed items     ${n(applied.itemCalls)} source-item calls, ${applied.itemsPerCall} items per call (batch ${applied.batchSize}); ${s(applied.wallMs)} incl. plan and verify`,
      );
    }
    return { ratio, requestsOk: itemReads <= floor + 1 };
  } finally {
    await stop();
  }
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

/**
 * The catalog as `inv export` writes it, once with every product in the YAML file and once
 * with quantities in CSV (--csv), each loaded as `inv validate` does; then YAML files at the
 * 64 MiB limit: one read, one refused after reading to its last line. Loads alternate, twice
 * each, and the faster of each counts: the machine is shared.
 */
async function yamlScenarios(options: Options, dir: string): Promise<{ ratioOk: boolean; largestOk: boolean }> {
  const files = writeExportFiles(dir, options.size);
  const load = (file: string) => runChild<LoadResult>("run-load.js", { dir, file }).then((r) => r.result);
  const yamlRuns: LoadResult[] = [];
  const csvRuns: LoadResult[] = [];
  for (let round = 0; round < 2; round++) {
    yamlRuns.push(await load(files.yaml));
    csvRuns.push(await load(files.csv));
  }
  const fastest = (runs: LoadResult[]) => runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const yaml = fastest(yamlRuns);
  const csv = fastest(csvRuns);
  if (!yaml.read || !csv.read) throw new Error(`an exported file was refused: ${yaml.problem ?? csv.problem}`);
  const ratio = yaml.wallMs / csv.wallMs;
  console.log(
    `\nD. The same catalog as inv export writes it, loaded as inv validate does (${n(yaml.products ?? 0)} products, ${n(yaml.sourceItems ?? 0)} source items)`,
  );
  console.log(
    `  YAML, products in the file (${mib(files.yamlBytes)})  ${s(yaml.wallMs)}  (CPU ${s(yaml.cpuMs)}, peak RSS ${n(yaml.maxRssMb)} MiB)`,
  );
  console.log(
    `  CSV, quantities in source-items.csv (${mib(files.csvBytes)})  ${s(csv.wallMs)}  (CPU ${s(csv.cpuMs)}, peak RSS ${n(csv.maxRssMb)} MiB)`,
  );
  console.log(`  ratio YAML / CSV                    ${ratio.toFixed(2)}x  (target <= 2x)`);

  const exported = readFileSync(join(dir, files.yaml), "utf8");
  const largestBytes = writeLargestYaml(dir, exported, "largest.yaml", false);
  const refusedBytes = writeLargestYaml(dir, exported, "largest-anchor.yaml", true);
  const largest = await load("largest.yaml");
  const refused = await load("largest-anchor.yaml");
  console.log("\nE. YAML files at the 64 MiB limit");
  console.log(
    `  exported products, ${mib(largestBytes)}        ${largest.read ? `read, ${n(largest.products ?? 0)} products` : `refused: ${largest.problem}`} in ${s(largest.wallMs)}, peak RSS ${n(largest.maxRssMb)} MiB`,
  );
  console.log(
    `  the same with an anchor on its last line (${mib(refusedBytes)})  ${refused.read ? "read" : "refused"} in ${s(refused.wallMs)}, peak RSS ${n(refused.maxRssMb)} MiB`,
  );
  if (!refused.read) console.log(`    ${refused.problem?.slice(0, 140)}...`);
  const within = (r: LoadResult) => r.wallMs < 60_000 && r.maxRssMb < 1024;
  return { ratioOk: ratio <= 2, largestOk: largest.read && !refused.read && within(largest) && within(refused) };
}

/** The local stages, then plan and apply against the store in scenarios A, B and C; returns the target lines. */
async function storeScenarios(options: Options, dir: string, rows: number): Promise<string[]> {
  const { result: local } = await runChild<LocalResult>("run-local.js", { dir, size: options.size });
  console.log("\nLocal stages on their own (CPU time, live state built in memory)");
  for (const [stage, ms] of Object.entries(local.stages)) console.log(`  ${stage.padEnd(34)} ${s(ms)}`);
  console.log(`  total                              ${s(local.totalCpuMs)}  (target < 10 s)`);
  console.log(`  peak RSS                           ${n(local.maxRssMb)} MiB  (target < 1024 MiB)`);

  const raw = await scenario(
    {
      name: "A. Input limits off (Magento's default; inv reads 1,000 rows a page), no added latency",
      inputLimits: false,
      latencyMs: 0,
      apply: true,
    },
    options,
    dir,
    rows,
  );
  const open = await scenario(
    {
      name: `B. Input limits off, ${MAGENTO_MS} ms per request`,
      inputLimits: false,
      latencyMs: MAGENTO_MS,
      apply: false,
    },
    options,
    dir,
    rows,
  );
  const limited = await scenario(
    {
      name: `C. Input limits on (pageSize <= 300, arrays <= 20), ${MAGENTO_MS} ms per request`,
      inputLimits: true,
      latencyMs: MAGENTO_MS,
      apply: true,
    },
    options,
    dir,
    rows,
  );

  return [
    `  plan within 1.5x of the bare download: ${open.ratio <= 1.5 && limited.ratio <= 1.5 ? "met" : "NOT met"} with ${MAGENTO_MS} ms a request (B ${open.ratio.toFixed(2)}x, C ${limited.ratio.toFixed(2)}x); ${raw.ratio <= 1.5 ? "met" : "NOT met"} against the sandbox's bare ~1 ms pages (A ${raw.ratio.toFixed(2)}x)`,
    `  source-item reads at the paging floor: ${raw.requestsOk && open.requestsOk && limited.requestsOk ? "met" : "NOT met"}`,
    `  local stages under 10 s and 1 GiB:     ${local.totalCpuMs < 10_000 && local.maxRssMb < 1024 ? "met" : "NOT met"}`,
  ];
}

/**
 * F: a file under git whose base holds the store's quantities, and a working tree that
 * changes 1% of the SKUs: the full plan with --base against --changed-only, on one store.
 */
async function changedOnlyScenario(options: Options, rows: number): Promise<{ share: number }> {
  const dir = mkdtempSync(join(tmpdir(), "inv-bench-base-"));
  const { result: store, stop } = await runChild<{ url: string; token: string; loadMs: number }>(
    "store.js",
    { size: options.size, inputLimits: false, latencyMs: MAGENTO_MS },
    true,
  );
  try {
    const { changedSkus } = writeBaseRepository(dir, options.size);
    const common = { url: store.url, token: store.token, concurrency: options.concurrency, dir };
    const pathsFile = join(dir, "paths.json");
    const { result: full } = await runChild<PlanResult>("run-plan.js", {
      ...common,
      pathsFile,
      base: { ref: "bench-base", changedOnly: false },
    });
    const { result: changed } = await runChild<PlanResult>("run-plan.js", {
      ...common,
      pathsFile,
      base: { ref: "bench-base", changedOnly: true },
    });
    const reads = (r: PlanResult) => r.requests["GET V1/inventory/source-items"] ?? 0;
    const share = reads(changed) / Math.max(1, reads(full));
    console.log(
      `\nF. --base, ${n(changedSkus)} of ${n(options.size.skus)} SKUs changed since it (${n(rows)} items), ` +
        `${MAGENTO_MS} ms per request`,
    );
    console.log(
      `  full plan with --base               ${s(full.wallMs)}  ${n(reads(full))} source-item reads, ` +
        `${n(full.changes)} changes; peak RSS ${n(full.maxRssMb)} MiB`,
    );
    console.log(
      `  --changed-only                      ${s(changed.wallMs)}  ${n(reads(changed))} source-item reads, ` +
        `${n(changed.changes)} changes; peak RSS ${n(changed.maxRssMb)} MiB`,
    );
    console.log(
      `  reads ${(share * 100).toFixed(2)}% of the full plan's source-item pages; wall time ` +
        `${(changed.wallMs / full.wallMs).toFixed(2)}x`,
    );
    return { share };
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * G: an ERP's feed, one CSV per warehouse each scoped to its source, with 0.1% SKUs the
 * catalog lacks, planned and applied with --skip-unknown-skus on a store of its own.
 */
async function erpScenario(options: Options, rows: number): Promise<{ readsOk: boolean; skippedOk: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), "inv-bench-erp-"));
  const { result: store, stop } = await runChild<{ url: string; token: string; loadMs: number }>(
    "store.js",
    { size: options.size, inputLimits: false, latencyMs: 0 },
    true,
  );
  try {
    const { changed, unknown } = writeErpFeeds(dir, options.size);
    const common = { url: store.url, token: store.token, concurrency: options.concurrency, dir, skipUnknownSkus: true };
    const { result: planned } = await runChild<PlanResult>("run-plan.js", {
      ...common,
      pathsFile: join(dir, "paths.json"),
    });
    const { result: applied } = await runChild<ApplyResult>("run-apply.js", common);
    const reads = planned.requests["GET V1/inventory/source-items"] ?? 0;
    const floor = Math.ceil(rows / planned.pageSize);
    console.log(
      `\nG. ERP feed: ${options.size.sources} per-warehouse CSVs, each scoped to its source; ${n(changed)} quantities changed, ` +
        `${n(unknown)} SKUs the catalog lacks, --skip-unknown-skus, no added latency (store ready in ${s(store.loadMs)})`,
    );
    console.log(
      `  inv plan, wall time                 ${s(planned.wallMs)}  (${n(planned.changes)} changes, ${n(planned.calls)} calls, ${n(planned.skipped)} SKUs skipped; CPU ${s(planned.cpuMs)})`,
    );
    console.log(
      `  source-item reads                   ${n(reads)} at pageSize ${n(planned.pageSize)}; floor ceil(${n(rows)} / ${n(planned.pageSize)}) = ${n(floor)}`,
    );
    console.log(`  peak RSS of inv plan                ${n(planned.maxRssMb)} MiB`);
    console.log(
      `  inv apply, wall time                ${s(applied.wallMs)}  (${n(applied.items)} items in ${n(applied.itemCalls)} calls, ${n(applied.skipped)} SKUs skipped; incl. plan and verify)`,
    );
    console.log(`  peak RSS of inv apply               ${n(applied.maxRssMb)} MiB`);
    return {
      readsOk: reads <= floor + 1,
      skippedOk: planned.skipped === unknown && applied.skipped === unknown && applied.items === changed,
    };
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const rows = options.size.skus * options.size.sources;
  const dir = mkdtempSync(join(tmpdir(), "inv-bench-"));
  try {
    const { changed } = writeInventory(dir, options.size);
    console.log(
      `inv benchmark: ${n(options.size.skus)} SKUs x ${n(options.size.sources)} sources = ${n(rows)} source items; the file changes ${n(changed)} quantities (${((changed / rows) * 100).toFixed(0)}%)`,
    );
    console.log(
      `Node ${process.version}, ${cpus().length} CPUs, read concurrency ${options.concurrency}; the store (inv's sandbox) runs in its own process`,
    );

    const targets: string[] = [];
    if (options.only === undefined || options.only === "store")
      targets.push(...(await storeScenarios(options, dir, rows)));
    if (options.only === undefined || options.only === "base") {
      const changedOnly = await changedOnlyScenario(options, rows);
      targets.push(
        `  --changed-only reads about 1% of a full plan's source-item pages: ${changedOnly.share <= 0.02 ? "met" : "NOT met"} (${(changedOnly.share * 100).toFixed(2)}%)`,
      );
    }
    if (options.only === undefined || options.only === "erp") {
      const erp = await erpScenario(options, rows);
      targets.push(
        `  ERP feed: source-item reads at the paging floor: ${erp.readsOk ? "met" : "NOT met"}; every unknown SKU skipped and every change applied: ${erp.skippedOk ? "met" : "NOT met"}`,
      );
    }
    if (options.only === undefined || options.only === "yaml") {
      const yaml = await yamlScenarios(options, dir);
      targets.push(
        `  YAML within 2x of the same data as CSV: ${yaml.ratioOk ? "met" : "NOT met"}`,
        `  64 MiB YAML read or refused in under a minute and 1 GiB: ${yaml.largestOk ? "met" : "NOT met"}`,
      );
    }
    console.log("\nTargets");
    for (const line of targets) console.log(line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
