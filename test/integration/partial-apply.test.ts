// A failure in the middle of an apply: exit 5, a report of calls done, failed and not
// attempted (text and JSON), a journal line per call sent, and a second apply converges.
// The failure is real Magento behaviour: with credentials that may not read websites, inv
// cannot check the file's website codes, and once told to go on without that check
// (--allow-unchecked), Magento refuses the stock save that names an unknown one ("The website
// with code ... does not exist.") after sources, stock and links are done. Once the website
// exists, the same file applies and converges.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";
import { runInv } from "../helpers/run-cli.js";
import { REQUIRED_ACL_RESOURCES } from "../../src/magento/auth.js";

const FILE = `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
stocks:
  US Stock:
    sales_channels: { website: [us_site] }
    sources: [ne_wh]
products:
  24-WB01: { default: 100, ne_wh: 35 }
  24-MB01: { default: 100, ne_wh: 5 }
  24-WB03: { ne_wh: 3 }
`;

/** Every resource inv needs, but not Magento_Backend::store (websites). Magento grants each resource on its own. */
const INVENTORY_ONLY = REQUIRED_ACL_RESOURCES.filter((r) => r !== "Magento_Backend::store");

async function restrictedSandbox(): Promise<SandboxHandle> {
  return openSandbox({ auth: { token: "inventory-only-token-3b9f2c71", aclResources: INVENTORY_ONLY } });
}

function writes(sandbox: SandboxHandle["sandbox"]): number {
  return Object.entries(sandbox.stats.byRoute)
    .filter(([route]) => /^(POST|PUT|DELETE) /.test(route) && !route.includes("token") && !route.includes("tfa"))
    .reduce((sum, [, n]) => sum + n, 0);
}

interface ReportJson {
  readonly outcome: string;
  readonly done: number;
  readonly failed: number;
  readonly not_attempted: number;
  readonly outcomes: readonly { id: number; method: string; path: string; status: string; error?: string }[];
  readonly created_stock_ids: Record<string, number>;
}

describe("a partial apply", () => {
  it("exits 5 with the JSON report of calls done, failed and not attempted, and the next apply converges", async () => {
    const { sandbox, env } = await restrictedSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const first = await runInv(["apply", "--yes", "--allow-destroy", "--allow-unchecked", "--format", "json"], {
        env,
        cwd: dir,
      });
      expect(first.code).toBe(5);
      const report = JSON.parse(first.stdout) as ReportJson;
      expect(report.outcome).toBe("failed");
      expect(report.outcomes.map((o) => `${o.method} ${o.path} ${o.status}`)).toEqual([
        "POST V1/inventory/sources done",
        "POST V1/inventory/stocks done",
        "POST V1/inventory/stock-source-links done",
        "PUT V1/inventory/stocks/2 failed",
        "POST V1/inventory/source-items not-attempted",
        "POST V1/inventory/source-items-delete not-attempted",
      ]);
      expect([report.done, report.failed, report.not_attempted]).toEqual([3, 1, 2]);
      expect(report.outcomes[3]?.error).toContain('The website with code "us_site" does not exist.');
      expect(report.created_stock_ids["US Stock"]).toBe(2);
      // The store holds exactly what the done calls did, and nothing of the rest.
      const snapshot = sandbox.store.snapshot();
      expect(snapshot.stocks.map((s) => s.name)).toEqual(["Default Stock", "US Stock"]);
      expect(snapshot.source_items.filter((i) => i.source_code === "ne_wh")).toEqual([]);
      expect(first.stderr).toContain("Apply stopped after 3 of 6 calls");

      sandbox.store.addWebsite("us_site", "US Site");
      const second = await runInv(["apply", "--yes", "--allow-destroy", "--allow-unchecked", "--format", "json"], {
        env,
        cwd: dir,
      });
      expect(second.code).toBe(0);
      const secondReport = JSON.parse(second.stdout) as ReportJson;
      // Only what was left: the store was planned as it is now, and the stock is not created again.
      expect(secondReport.outcomes.map((o) => `${o.method} ${o.path}`)).toEqual([
        "PUT V1/inventory/stocks/2",
        "POST V1/inventory/source-items",
        "POST V1/inventory/source-items-delete",
      ]);
      const again = await runInv(["plan", "--detailed-exitcode"], { env, cwd: dir });
      expect(again.code).toBe(0);
      expect(sandbox.store.snapshot().stocks.filter((s) => s.name === "US Stock")).toHaveLength(1);
    } finally {
      await sandbox.close();
    }
  });

  it("prints the report as text on stderr, call by call, and says how to converge", async () => {
    const { sandbox, env } = await restrictedSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const result = await runInv(["apply", "--yes", "--allow-destroy", "--allow-unchecked"], { env, cwd: dir });
      expect(result.code).toBe(5);
      expect(result.stderr).toContain("Calls done: 3, failed: 1, not attempted: 2.");
      expect(result.stderr).toMatch(/done {3}1\. POST V1\/inventory\/sources/);
      expect(result.stderr).toMatch(/FAILED 4\. PUT V1\/inventory\/stocks\/2 /);
      expect(result.stderr).toMatch(/skipped 5\. POST V1\/inventory\/source-items /);
      expect(result.stderr).toMatch(/skipped 6\. POST V1\/inventory\/source-items-delete/);
      expect(result.stdout).toContain("Website codes were not checked");
      expect(result.stderr).toContain("run `inv apply` again");
      expect(result.stdout).not.toContain("Apply complete");
    } finally {
      await sandbox.close();
    }
  });

  it("--journal appends a JSON line before each call is sent and one with its outcome, with before and after values, across runs", async () => {
    const { sandbox, env } = await restrictedSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const journal = join(dir, "apply.jsonl");
      const first = await runInv(
        ["apply", "--yes", "--allow-destroy", "--allow-unchecked", "--journal", "apply.jsonl"],
        { env, cwd: dir },
      );
      expect(first.code).toBe(5);
      const written = readFileSync(journal, "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(written.map((l) => [l["call"], l["outcome"]])).toEqual([
        [1, "sending"],
        [1, "done"],
        [2, "sending"],
        [2, "done"],
        [3, "sending"],
        [3, "done"],
        [4, "sending"],
        [4, "failed"],
      ]);
      const lines = written.filter((l) => l["outcome"] !== "sending");
      // Paths are as sent, with the id Magento gave the new stock.
      expect(lines[3]?.["path"]).toBe("V1/inventory/stocks/2");
      expect(lines[1]?.["stock_id"]).toBe(2);
      expect(lines[3]?.["error"]).toContain("does not exist");
      expect(lines[3]?.["changes"]).toEqual([
        {
          change: 'stock "US Stock"',
          before: null,
          after: { name: "US Stock", sales_channels: [{ type: "website", code: "us_site" }] },
        },
      ]);
      expect(lines[0]?.["changes"]).toMatchObject([
        { change: "source ne_wh", before: null, after: { name: "Northeast Warehouse" } },
      ]);

      sandbox.store.addWebsite("us_site", "US Site");
      const second = await runInv(
        ["apply", "--yes", "--allow-destroy", "--allow-unchecked", "--journal", "apply.jsonl"],
        { env, cwd: dir },
      );
      expect(second.code).toBe(0);
      const all = readFileSync(journal, "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l["outcome"] !== "sending");
      expect(all).toHaveLength(7);
      expect(all.slice(4).map((l) => [l["path"], l["outcome"]])).toEqual([
        ["V1/inventory/stocks/2", "done"],
        ["V1/inventory/source-items", "done"],
        ["V1/inventory/source-items-delete", "done"],
      ]);
      // In the file's order, as the payload lists them.
      expect(all[5]?.["changes"]).toEqual([
        { change: "source item 24-WB01 @ ne_wh", before: null, after: { quantity: 35, status: "in_stock" } },
        { change: "source item 24-MB01 @ ne_wh", before: null, after: { quantity: 5, status: "in_stock" } },
        { change: "source item 24-WB03 @ ne_wh", before: null, after: { quantity: 3, status: "in_stock" } },
      ]);
      expect(all[6]?.["changes"]).toEqual([
        { change: "source item 24-WB03 @ default", before: { quantity: 100, status: "in_stock" }, after: null },
      ]);
    } finally {
      await sandbox.close();
    }
  });

  it("a failure on the first call is not partial: exit 1, and the report says nothing was done", async () => {
    const { sandbox, env } = await restrictedSandbox();
    try {
      const file = `version: 1
stocks:
  Default Stock: { sales_channels: { website: [base, us_site] } }
products:
  24-WB01: { default: 90 }
  24-MB01: { default: 80 }
`;
      const dir = workspace({ "inventory.yaml": file });
      const result = await runInv(["apply", "--yes", "--allow-unchecked", "--format", "json"], { env, cwd: dir });
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as ReportJson;
      expect([report.done, report.failed, report.not_attempted]).toEqual([0, 1, 1]);
      expect(writes(sandbox)).toBe(1);
      expect(result.stderr).toContain("Calls done: 0, failed: 1, not attempted: 1.");
    } finally {
      await sandbox.close();
    }
  });

  it("a journal that cannot be written is refused before anything is sent", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const result = await runInv(["apply", "--yes", "--allow-destroy", "--journal", "no/such/dir/apply.jsonl"], {
        env,
        cwd: dir,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Cannot write the journal no/such/dir/apply.jsonl (ENOENT)");
      expect(sandbox.stats.requests).toBe(0);
      expect(existsSync(join(dir, "no"))).toBe(false);
    } finally {
      await sandbox.close();
    }
  });
});
