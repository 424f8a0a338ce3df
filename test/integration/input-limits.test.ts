// Stores with Magento's Web API input limits on (docs/magento/webapi-platform.md#input-limits): pages of at most 300
// rows, arrays of at most 20 items. `inv` learns both from the store's own errors
// ("Maximum SearchCriteria pageSize is %max", "Maximum items of type "%type" is %max")
// and carries on. The store here is `inv sandbox --input-limits`, run as the CLI runs it.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";
import type { Io } from "../../src/cli/io.js";
import { freshState, type SandboxState } from "../../src/sandbox/index.js";
import { runInv } from "../helpers/run-cli.js";
import { workspace } from "../helpers/sandbox.js";

const SKUS = Array.from({ length: 130 }, (_, i) => `LIM-${String(i + 1).padStart(3, "0")}`);
const SOURCES = ["east", "west", "north"];

interface RunningSandbox {
  readonly env: Record<string, string>;
  readonly stateFile: string;
  stop(): Promise<number>;
}

/** `inv sandbox --input-limits --state FILE`, in-process; stops when asked, as on Ctrl-C. */
async function startCliSandbox(dir: string, state: SandboxState): Promise<RunningSandbox> {
  const stateFile = join(dir, "store.json");
  writeFileSync(stateFile, JSON.stringify(state));
  let stdout = "";
  let interrupt!: () => void;
  const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const io: Io = {
    stdout: {
      write: (text) => {
        stdout += text;
        if (stdout.includes("Press Ctrl-C")) ready();
      },
      isTTY: false,
    },
    stderr: { write: () => {}, isTTY: false },
    env: { NO_COLOR: "1" },
    cwd: dir,
    stdinIsTTY: false,
    prompt: async () => "",
    interrupted: () => interrupted,
    onInterrupt: () => () => {},
    exit: () => {},
  };
  const exited = runCli(["sandbox", "--input-limits", "--state", "store.json"], io);
  await Promise.race([started, exited.then((code) => Promise.reject(new Error(`inv sandbox exited with ${code}`)))]);
  expect(stdout).toContain("Input limits: on (pageSize at most 300, arrays at most 20 items)");
  const url = /export MAGENTO_URL=(\S+)/.exec(stdout)?.[1];
  const token = /export MAGENTO_TOKEN=(\S+)/.exec(stdout)?.[1];
  if (!url || !token) throw new Error(`no URL or token in:\n${stdout}`);
  return {
    env: { MAGENTO_URL: url, MAGENTO_TOKEN: token },
    stateFile,
    stop: () => {
      interrupt();
      return exited;
    },
  };
}

function storeWithCatalog(): SandboxState {
  const fresh = freshState();
  return {
    ...fresh,
    sources: [
      ...fresh.sources,
      ...SOURCES.map((code) => ({
        source_code: code,
        name: `${code} warehouse`,
        enabled: true,
        country_id: "US",
        postcode: "10001",
      })),
    ],
    products: [...fresh.products, ...SKUS.map((sku) => ({ sku, name: sku, type_id: "simple" as const }))],
  };
}

/** 130 SKUs x 3 sources = 390 source items: more than one page of 300, many arrays of 20. */
function inventoryFile(quantity: (i: number) => number): string {
  const lines = ["version: 1", "products:"];
  for (const [i, sku] of SKUS.entries())
    lines.push(`  ${sku}: { ${SOURCES.map((s, j) => `${s}: ${quantity(i + j)}`).join(", ")} }`);
  return `${lines.join("\n")}\n`;
}

const countLines = (text: string, pattern: RegExp): number =>
  text.split("\n").filter((line) => pattern.test(line)).length;

let dir: string;
let sandbox: RunningSandbox;

beforeAll(async () => {
  dir = workspace({ "inventory.yaml": inventoryFile((i) => i), "more.yaml": inventoryFile((i) => i + 1000) });
  sandbox = await startCliSandbox(dir, storeWithCatalog());
});
afterAll(async () => {
  expect(await sandbox.stop()).toBe(0);
});

describe("a store with input limits on (inv sandbox --input-limits)", () => {
  it("reads at the store's maximum page size and writes in arrays of 20, then verifies", async () => {
    const r = await runInv(["apply", "--yes", "--verbose"], { cwd: dir, env: sandbox.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("the store allows at most 300 rows per page (input limits on); reading at that size");
    // Page size 1000 is refused once per read that starts before the limit is known, never after.
    expect(r.stderr).not.toMatch(
      /GET \S+\/rest\/all\/V1\/inventory\/source-items -> HTTP 400[\s\S]*GET \S+\/rest\/all\/V1\/inventory\/source-items -> HTTP 200[\s\S]*GET \S+\/rest\/all\/V1\/inventory\/source-items -> HTTP 400/,
    );
    // 390 new source items: 20 calls of at most 20 items, none refused.
    expect(countLines(r.stderr, /POST \S+\/rest\/all\/V1\/inventory\/source-items -> HTTP 200/)).toBe(20);
    expect(countLines(r.stderr, /POST \S+\/rest\/all\/V1\/inventory\/source-items -> HTTP 400/)).toBe(0);
    const saved = JSON.parse(readFileSync(sandbox.stateFile, "utf8")) as SandboxState;
    expect(saved.source_items.filter((i) => i.sku.startsWith("LIM-"))).toHaveLength(390);
  });

  it("a batch size above the store's limit is split to the maximum the store reports, and carries on", async () => {
    const r = await runInv(["apply", "-f", "more.yaml", "--yes", "--batch-size", "100", "--verbose"], {
      cwd: dir,
      env: sandbox.env,
    });
    expect(r.code, r.stderr).toBe(0);
    // Said once on stderr: the apply now makes more requests than the plan showed.
    expect(r.stderr.match(/inv: the store takes at most/g)).toHaveLength(1);
    expect(r.stderr).toContain(
      "inv: the store takes at most 20 items per array call (Magento's input limits); call 1 (save 100 source items) " +
        "goes as 5 requests of at most 20, and later array calls are split the same way.",
    );
    // The first call of 100 is refused with "Maximum items ... is 20"; every later call is sent at 20.
    expect(countLines(r.stderr, /POST \S+\/rest\/all\/V1\/inventory\/source-items -> HTTP 400/)).toBe(1);
    expect(countLines(r.stderr, /POST \S+\/rest\/all\/V1\/inventory\/source-items -> HTTP 200/)).toBe(20);
    const saved = JSON.parse(readFileSync(sandbox.stateFile, "utf8")) as SandboxState;
    expect(saved.source_items.find((i) => i.sku === "LIM-001" && i.source_code === "east")?.quantity).toBe(1000);
    const again = await runInv(["plan", "-f", "more.yaml", "--detailed-exitcode"], { cwd: dir, env: sandbox.env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it("-q keeps the input-limit notices off stderr, with nothing else changed", async () => {
    writeFileSync(
      join(dir, "quiet.yaml"),
      inventoryFile((i) => i + 2000),
    );
    const quiet = await runInv(["apply", "-f", "quiet.yaml", "--yes", "-q", "--batch-size", "100"], {
      cwd: dir,
      env: sandbox.env,
    });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe("");
    const planned = await runInv(["plan", "-f", "quiet.yaml", "-q", "--detailed-exitcode"], {
      cwd: dir,
      env: sandbox.env,
    });
    expect(planned.code).toBe(0);
    expect(planned.stderr).toBe("");
    const loud = await runInv(["plan", "-f", "quiet.yaml"], { cwd: dir, env: sandbox.env });
    expect(loud.stderr).toContain("the store allows at most 300 rows per page (input limits on); reading at that size");
  });

  it("export reads every source item in pages of 300 and round-trips", async () => {
    const r = await runInv(["export", "--out", "exported.yaml", "--force", "--verbose"], {
      cwd: dir,
      env: sandbox.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("reading at that size");
    expect(r.stderr).toMatch(/Exported 4 sources, 1 stock and 14\d products \(40\d source items\)/);
    const planned = await runInv(["plan", "-f", "exported.yaml", "--detailed-exitcode"], {
      cwd: dir,
      env: sandbox.env,
    });
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
  });
});
