// What the plan could not check, where a write depends on it, blocks `inv apply` before the
// first write (exit 6, naming the check and the flag) unless the operator goes on with
// --allow-unchecked: website codes the credentials may not read when a stock is given a
// website, the catalog when source items are written, salable quantities for a destructive
// unassignment.

import { join } from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REQUIRED_ACL_RESOURCES } from "../../src/magento/auth.js";
import type { Plan } from "../../src/plan/plan.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";

const UNKNOWN_WEBSITE = `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
stocks:
  US Stock:
    sales_channels: { website: [us_site] }
    sources: [ne_wh]
products:
  24-WB01: { default: 100, ne_wh: 35 }
`;

function writes(sandbox: SandboxHandle["sandbox"]): number {
  return Object.entries(sandbox.stats.byRoute)
    .filter(([route]) => /^(POST|PUT|DELETE) /.test(route) && !route.includes("token"))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** Credentials with every resource inv needs but these. */
function without(...resources: string[]): Promise<SandboxHandle> {
  return openSandbox({
    auth: {
      token: "restricted-token-7e1a",
      aclResources: REQUIRED_ACL_RESOURCES.filter((r) => !resources.includes(r)),
    },
  });
}

describe("website codes the credentials may not read", () => {
  it("block an apply that assigns a website before any write, instead of failing halfway", async () => {
    const { sandbox, env } = await without("Magento_Backend::store");
    try {
      const dir = workspace({ "inventory.yaml": UNKNOWN_WEBSITE });
      const refused = await runInv(["apply", "--yes"], { env, cwd: dir });
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain(
        "Refused to apply: the plan could not check website codes, which its writes depend on. Nothing was written to the store.",
      );
      expect(refused.stderr).toContain(
        'website codes: not checked: the credentials may not read V1/store/websites (Magento_Backend::store); a stock save assigns stock "US Stock" website us_site',
      );
      expect(refused.stderr).toContain("pass --allow-unchecked to apply without these checks");
      expect(writes(sandbox)).toBe(0);
      // No stock with links and no channel is left behind.
      expect(sandbox.store.snapshot().stocks.map((s) => s.name)).toEqual(["Default Stock"]);

      // Told to go on, it does, and Magento refuses the unknown website as before (exit 5).
      const unchecked = await runInv(["apply", "--yes", "--allow-unchecked"], { env, cwd: dir });
      expect(unchecked.code).toBe(5);
      expect(unchecked.stderr).toContain('The website with code "us_site" does not exist.');
    } finally {
      await sandbox.close();
    }
  });

  it("block a saved plan too, and do not block a plan that assigns no website", async () => {
    const { sandbox, env } = await without("Magento_Backend::store");
    try {
      const dir = workspace({ "inventory.yaml": UNKNOWN_WEBSITE });
      const planned = await runInv(["plan", "--out", "plan.json"], { env, cwd: dir });
      expect(planned.code).toBe(0);
      expect(planned.stdout).toContain("`inv apply` refuses this plan without --allow-unchecked");
      const plan = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as Plan;
      expect(plan.unchecked?.map((u) => u.check)).toEqual(["website-codes"]);
      const refused = await runInv(["apply", "plan.json", "--yes"], { env, cwd: dir });
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain("could not check website codes");
      expect(writes(sandbox)).toBe(0);

      // The same file without the stock: nothing depends on the website codes.
      const quantities = workspace({ "inventory.yaml": "version: 1\nproducts:\n  24-WB01: { default: 90 }\n" });
      const applied = await runInv(["apply", "--yes"], { env, cwd: quantities });
      expect(applied.code, applied.stderr).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});

describe("a catalog the credentials may not read", () => {
  it("is named in the plan, and blocks an apply that writes source items until the operator goes on", async () => {
    const { sandbox, env } = await without("Magento_Catalog::products");
    try {
      const dir = workspace({
        "inventory.yaml": "version: 1\nproducts:\n  24-WB01: { default: 90 }\n  no-such-sku: { default: 1 }\n",
      });
      const planned = await runInv(["plan"], { env, cwd: dir });
      expect(planned.code, planned.stderr).toBe(0);
      expect(planned.stdout).toContain(
        "Products were not checked against the catalog: the credentials may not read V1/products (Magento_Catalog::products): HTTP 401 Unauthorized",
      );
      const refused = await runInv(["apply", "--yes"], { env, cwd: dir });
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain("the catalog: not checked: the credentials may not read V1/products");
      expect(refused.stderr).toContain("source items of 2 SKUs are written (24-WB01, no-such-sku)");
      expect(writes(sandbox)).toBe(0);
      const applied = await runInv(["apply", "--yes", "--allow-unchecked"], { env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});

describe("salable quantities the credentials may not read", () => {
  it("block a destructive unassignment even with --allow-destroy, until the operator goes on", async () => {
    const { sandbox, env } = await without("Magento_InventorySalesApi::stock");
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
products:
  24-WB01: { ne_wh: 5 }
`,
      });
      const refused = await runInv(["apply", "--yes", "--allow-destroy"], { env, cwd: dir });
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain(
        'salable quantities: not checked: salable quantities could not be read for 24-WB01 in stock "Default Stock": HTTP 401 Unauthorized',
      );
      expect(refused.stderr).toContain("unassignments remove units that open orders may have reserved");
      expect(writes(sandbox)).toBe(0);
      const applied = await runInv(["apply", "--yes", "--allow-destroy", "--allow-unchecked"], { env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});
