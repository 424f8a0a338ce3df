// plan -> apply -> plan (empty) against the sandbox: from a fresh store, a store that
// partly matches the file, and a store that drifted after an apply.

import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apply, plan } from "../../src/pipeline.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";
import { runInv } from "../helpers/run-cli.js";

const EXAMPLE = new URL("../../inventory.example.yaml", import.meta.url);

function exampleWorkspace(): string {
  const dir = workspace({});
  copyFileSync(EXAMPLE, join(dir, "inventory.yaml"));
  return dir;
}

describe("plan, apply, plan", () => {
  it("brings a fresh store to the example file and then plans nothing", async () => {
    const { sandbox, client } = await openSandbox();
    try {
      const dir = exampleWorkspace();
      const first = await apply({ file: "inventory.yaml", cwd: dir, client: client(), git: null, allowDestroy: true });
      expect(first.report?.failed).toBe(0);
      expect(first.report?.done).toBe(first.plan.calls.length);
      const again = await plan({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      expect(again.plan.changes).toEqual([]);
      expect(again.plan.calls).toEqual([]);
      // The store holds exactly what the file says.
      const items = sandbox.store.snapshot().source_items.filter((i) => i.sku === "24-WB01");
      expect(items.map((i) => [i.source_code, i.quantity]).sort()).toEqual(
        [
          ["berkeley", 10],
          ["brooklyn", 10],
          ["huntington", 10],
          ["manhattan", 10],
          ["ne_wh", 35],
          ["sausalito", 10],
          ["west_wh", 15],
        ].sort(),
      );
      const stocks = sandbox.store.snapshot().stocks;
      expect(stocks.find((s) => s.name === "US Stock")?.sales_channels).toEqual([{ type: "website", code: "base" }]);
      expect(stocks.find((s) => s.stock_id === 1)?.sales_channels).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it("from a store that partly matches, plans only the difference", async () => {
    const { sandbox, client } = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
products:
  24-WB01: { default: 100, ne_wh: 35 }
`,
      });
      await apply({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      // The file grows: one more source, a stock, and a quantity change.
      const grown = workspace({
        "inventory.yaml": `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
  west_wh: { name: West Warehouse, country_id: US, postcode: "94607" }
stocks:
  US Stock:
    sales_channels: { website: [base] }
    sources: [ne_wh, west_wh]
products:
  24-WB01: { default: 100, ne_wh: 30, west_wh: 5 }
`,
      });
      const partial = await plan({ file: "inventory.yaml", cwd: grown, client: client(), git: null });
      const kinds = partial.plan.changes.map((c) => `${c.kind}:${c.action}`);
      expect(kinds).toEqual([
        "source:create",
        "stock:create",
        "link:create",
        "link:create",
        "source-item:update",
        "source-item:create",
      ]);
      const applied = await apply({ file: "inventory.yaml", cwd: grown, client: client(), git: null });
      expect(applied.report?.failed).toBe(0);
      expect((await plan({ file: "inventory.yaml", cwd: grown, client: client(), git: null })).plan.changes).toEqual(
        [],
      );
    } finally {
      await sandbox.close();
    }
  });

  it("puts back what drifted outside inv, and only that", async () => {
    const { sandbox, client } = await openSandbox();
    try {
      const dir = exampleWorkspace();
      await apply({ file: "inventory.yaml", cwd: dir, client: client(), git: null, allowDestroy: true });
      // Someone edits the store by hand: a quantity, an assignment, a link priority, a source name.
      sandbox.store.setSourceItem("24-WB03", "ne_wh", 41, 1);
      sandbox.store.deleteSourceItem("24-WB01", "sausalito");
      const drifted = await plan({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      expect(drifted.plan.changes).toEqual([
        {
          kind: "source-item",
          action: "create",
          sku: "24-WB01",
          source: "sausalito",
          before: null,
          after: { quantity: 10, status: "in_stock" },
          declared_order: 6,
        },
        {
          kind: "source-item",
          action: "update",
          sku: "24-WB03",
          source: "ne_wh",
          before: { quantity: 41, status: "in_stock" },
          after: { quantity: 50, status: "in_stock" },
          declared_order: 8,
        },
      ]);
      await apply({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      expect((await plan({ file: "inventory.yaml", cwd: dir, client: client(), git: null })).plan.changes).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it("leaves undeclared SKUs, stocks and sources alone", async () => {
    const { sandbox, client } = await openSandbox();
    try {
      const before = sandbox.store.snapshot();
      const dir = workspace({ "inventory.yaml": "version: 1\nproducts:\n  24-MB01: { default: 7 }\n" });
      await apply({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      const after = sandbox.store.snapshot();
      const others = (s: typeof before) => s.source_items.filter((i) => i.sku !== "24-MB01");
      expect(others(after)).toEqual(others(before));
      expect(after.stocks).toEqual(before.stocks);
      expect(after.sources).toEqual(before.sources);
      expect(after.source_items.find((i) => i.sku === "24-MB01")?.quantity).toBe(7);
    } finally {
      await sandbox.close();
    }
  });
});

describe("the CLI against the sandbox", () => {
  it("plan --detailed-exitcode says 2 with changes and 0 without; apply needs --yes off a terminal", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = exampleWorkspace();
      const planned = await runInv(["plan", "--detailed-exitcode"], { env, cwd: dir });
      expect(planned.code).toBe(2);
      expect(planned.stdout).toContain("Plan: sources 8 to create");

      const noYes = await runInv(["apply", "--allow-destroy"], { env, cwd: dir });
      expect(noYes.code).toBe(6);
      expect(noYes.stderr).toContain("run inv apply again with --yes");
      expect(sandbox.stats.byRoute["POST V1/inventory/sources"] ?? 0).toBe(0);

      const noConsent = await runInv(["apply", "--yes"], { env, cwd: dir });
      expect(noConsent.code).toBe(6);
      expect(noConsent.stderr).toContain("source item 24-WB01 @ default: unassigns 100 units");

      const applied = await runInv(["apply", "--yes", "--allow-destroy"], { env, cwd: dir });
      expect(applied.code).toBe(0);
      expect(applied.stdout).toContain("Verified");
      expect(applied.stdout).toContain("bin/magento indexer:reindex inventory");
      expect(applied.stdout).toContain("bin/magento cache:flush");

      const clean = await runInv(["plan", "--detailed-exitcode"], { env, cwd: dir });
      expect(clean.code).toBe(0);
      expect(clean.stdout).toContain("No changes.");
    } finally {
      await sandbox.close();
    }
  });

  it("asks at a terminal and applies only on yes", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": "version: 1\nproducts:\n  24-MB01: { default: 8 }\n" });
      const declined = await runInv(["apply"], { env, cwd: dir, tty: true, answers: ["no"] });
      expect(declined.code).toBe(1);
      expect(declined.stderr).toContain("Cancelled; nothing was written to the store.");
      expect(sandbox.store.snapshot().source_items.find((i) => i.sku === "24-MB01")?.quantity).toBe(100);
      const accepted = await runInv(["apply"], { env, cwd: dir, tty: true, answers: ["yes"] });
      expect(accepted.code).toBe(0);
      expect(sandbox.store.snapshot().source_items.find((i) => i.sku === "24-MB01")?.quantity).toBe(8);
    } finally {
      await sandbox.close();
    }
  });

  it("refuses an invalid file with exit 3, every problem at once, and sends nothing", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1
sources:
  default: { name: Default Source, country_id: US, postcode: "00000", enabled: false }
stocks:
  US Stock:
    sources: [default, nyc_wh]
products:
  24-WB01: { nyc_wh: 5 }
`,
      });
      const result = await runInv(["apply", "--yes"], { env, cwd: dir });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('inventory.yaml:3:3 source "default" cannot be disabled');
      expect(result.stderr).toContain(
        'inventory.yaml:5:3 stock "US Stock" links source "default" together with other sources',
      );
      expect(sandbox.stats.requests).toBe(0);
      const live = await runInv(["plan"], {
        env,
        cwd: workspace({
          "inventory.yaml":
            "version: 1\nstocks:\n  US Stock:\n    sources: [nyc_wh]\nproducts:\n  24-WB01: { nyc_wh: 5 }\n",
        }),
      });
      expect(live.code).toBe(3);
      expect(live.stderr).toContain(
        'inventory.yaml:3:3 stock "US Stock" links source "nyc_wh", which is not ' +
          "declared and does not exist in the store. Declare it under sources, or remove it.",
      );
      expect(live.stderr).toContain('inventory.yaml:6:3 product "24-WB01" is assigned to source "nyc_wh"');
      const writes = Object.entries(sandbox.stats.byRoute).filter(([route]) => !route.startsWith("GET"));
      expect(writes).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it("refuses SKUs that are not in the catalog or cannot hold stock, naming each", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1
products:
  NOT-A-SKU: { default: 1 }
  MH01: { default: 5 }
  24-WG080: [default]
  24-MB04: { default: 3 }
`,
      });
      const result = await runInv(["apply", "--yes"], { env, cwd: dir });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('inventory.yaml:3:3 product "NOT-A-SKU" is not in the store\'s catalog');
      expect(result.stderr).toContain('inventory.yaml:4:3 product "MH01" is a configurable product');
      expect(result.stderr).toContain('inventory.yaml:5:3 product "24-WG080" is a bundle product');
      expect(result.stderr).not.toContain("24-MB04");
      expect(Object.keys(sandbox.stats.byRoute).filter((r) => !r.startsWith("GET"))).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it("checks every declared SKU, not just those it writes; lets a file clear a deleted product's items", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      // Source items a deleted product left behind (Magento removes them only when its cleanup consumer runs).
      sandbox.store.setSourceItem("GONE-1", "default", 5, 1);
      sandbox.store.setSourceItem("GONE-2", "default", 3, 1);
      const matching = workspace({ "inventory.yaml": "version: 1\nproducts:\n  GONE-1: { default: 5 }\n" });
      const refused = await runInv(["plan"], { env, cwd: matching });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('inventory.yaml:3:3 product "GONE-1" is not in the store\'s catalog');

      const clearing = workspace({ "inventory.yaml": "version: 1\nproducts:\n  GONE-2: []\n" });
      const cleared = await runInv(["apply", "--yes", "--allow-destroy"], { env, cwd: clearing });
      expect(cleared.code, cleared.stderr).toBe(0);
      expect(sandbox.store.snapshot().source_items.some((i) => i.sku === "GONE-2")).toBe(false);
    } finally {
      await sandbox.close();
    }
  });

  it("names the failed call with Magento's message filled in, and never prints the token", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": readFileSync(EXAMPLE, "utf8") });
      const wrong = await runInv(["plan"], { env: { ...env, MAGENTO_TOKEN: "wrong-token-value" }, cwd: dir });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain(`GET ${env.MAGENTO_URL}/rest/all/V1/inventory/`);
      expect(wrong.stderr).toContain(
        "failed with HTTP 401 Unauthorized: The consumer isn't authorized to access Magento_InventoryApi::",
      );
      expect(wrong.stderr).toContain("Magento_InventoryApi::stock_source_item_assign");
      expect(wrong.stderr + wrong.stdout).not.toContain("wrong-token-value");
      const right = await runInv(["plan", "--format", "json", "--verbose"], { env, cwd: dir });
      expect(right.code).toBe(0);
      expect(right.stdout + right.stderr).not.toContain(sandbox.token);
    } finally {
      await sandbox.close();
    }
  });
});
