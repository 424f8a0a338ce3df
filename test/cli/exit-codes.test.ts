// Exit codes as DESIGN.md gives them, documented in `inv --help`: 0 success, 1 error,
// 2 changes (plan --detailed-exitcode), 3 invalid file, 4 stale saved plan, 5 partial
// apply, 6 blocked by a safety rule.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REQUIRED_ACL_RESOURCES } from "../../src/magento/auth.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";

const CHANGE = "version: 1\nproducts:\n  24-MB01: { default: 90 }\n";

describe("documentation", () => {
  it("inv --help lists every exit code and what --detailed-exitcode does", async () => {
    const help = await runInv(["--help"]);
    expect(help.code).toBe(0);
    for (const line of [
      "0  success (with --detailed-exitcode: no changes)",
      "1  error",
      "2  changes present (plan with --detailed-exitcode)",
      "3  invalid inventory file",
      "4  stale saved plan",
      "5  partial apply",
      "6  blocked by a safety rule",
    ]) {
      expect(help.stdout).toContain(line);
    }
    const plan = (await runInv(["plan", "--help"])).stdout.replace(/\s+/g, " ");
    expect(plan).toContain("--detailed-exitcode exit 0 when there are no changes, 2 when there are, 1 on error");
    expect(plan).toContain('choices: "text", "markdown", "json"');
    expect(plan).toContain("--out-details <file>");
  });
});

describe("inv plan", () => {
  it("exits 0 with or without changes, and with --detailed-exitcode 2 for changes and 0 for none", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": CHANGE });
      expect((await runInv(["plan"], { env, cwd: dir })).code).toBe(0);
      for (const format of ["text", "markdown", "json"]) {
        expect((await runInv(["plan", "--detailed-exitcode", "--format", format], { env, cwd: dir })).code).toBe(2);
      }
      expect((await runInv(["apply", "--yes"], { env, cwd: dir })).code).toBe(0);
      expect((await runInv(["plan", "--detailed-exitcode"], { env, cwd: dir })).code).toBe(0);
      expect(
        (await runInv(["plan", "--detailed-exitcode", "--format", "markdown"], { env, cwd: dir })).stdout,
      ).toContain("### inv plan: no changes");
    } finally {
      await sandbox.close();
    }
  });

  it("exits 1 for an error with --detailed-exitcode, never 0 or 2", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": CHANGE });
      const refused = await runInv(["plan", "--detailed-exitcode"], {
        env: { ...env, MAGENTO_TOKEN: "not-the-token" },
        cwd: dir,
      });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe("");
      const badFlag = await runInv(["plan", "--detailed-exitcode", "--format", "html"], { env, cwd: dir });
      expect(badFlag.code).toBe(1);
      expect(badFlag.stderr).toContain("html");
    } finally {
      await sandbox.close();
    }
  });

  it("exits 3 for an invalid file, with --detailed-exitcode too, before asking the store anything", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": "version: 1\nproducts:\n  24-MB01: { default: { quantity: 1, status: maybe } }\n",
      });
      const result = await runInv(["plan", "--detailed-exitcode", "--format", "markdown"], { env, cwd: dir });
      expect(result.code).toBe(3);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("inventory.yaml:3:");
      expect(sandbox.stats.requests).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("writes the whole plan to --out-details, and names the file when the comment condenses", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": CHANGE });
      const result = await runInv(["plan", "--format", "markdown", "--out-details", "details.md"], { env, cwd: dir });
      expect(result.code).toBe(0);
      const details = readFileSync(join(dir, "details.md"), "utf8");
      expect(details).toContain("#### Source items: 1 to update");
      expect(details).toContain("| update | `24-MB01` | `default` | 100 in stock | 90 in stock | -10 |");
      expect(details).not.toContain(sandbox.token);
      expect(result.stdout).toContain("<details><summary>Source items: 1 to update</summary>");
    } finally {
      await sandbox.close();
    }
  });
});

describe("inv apply", () => {
  it("exits 5 when some calls were done and then one failed, saying which", async () => {
    // Credentials that cannot read websites: the plan cannot check the website code; told to go on
    // without it, Magento refuses the stock save that names an unknown one, after the source, stock and link are done.
    const { sandbox, env } = await openSandbox({
      auth: {
        token: "inventory-only-token-5c1d",
        aclResources: REQUIRED_ACL_RESOURCES.filter((r) => r !== "Magento_Backend::store"),
      },
    });
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1\nsources:\n  a_wh: { name: A, country_id: US, postcode: "1" }\nstocks:\n  A Stock:\n    sales_channels: { website: [nowhere] }\n    sources: [a_wh]\n`,
      });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const result = await runInv(["apply", "plan.json", "--yes", "--allow-unchecked"], { env, cwd: dir });
      expect(result.code).toBe(5);
      expect(result.stderr).toContain("Apply stopped after 3 of 4 calls");
      expect(result.stderr).toContain("done   1. POST V1/inventory/sources  create source a_wh");
      expect(result.stderr).toContain('FAILED 4. PUT V1/inventory/stocks/2  assign sales channels to stock "A Stock"');
      expect(result.stderr).toContain('The website with code "nowhere" does not exist.');
      expect(sandbox.store.snapshot().sources.map((s) => s.source_code)).toContain("a_wh");
    } finally {
      await sandbox.close();
    }
  });

  it("exits 0 with nothing to do, without asking", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": "version: 1\nproducts:\n  24-MB01: { default: 100 }\n" });
      const result = await runInv(["apply"], { env, cwd: dir });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("No changes.");
    } finally {
      await sandbox.close();
    }
  });
});
