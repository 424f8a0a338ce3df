// `inv apply --rollback-out FILE` at the command line: the file is checked before anything is
// sent, the apply says what it wrote and how to undo, and `inv apply FILE` undoes it as a
// saved plan (consent for its destructive steps, exit 4 once the store moved, exit 5 partial).

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REQUIRED_ACL_RESOURCES } from "../../src/magento/auth.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";

const FILE = `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
stocks:
  US Stock:
    sales_channels: { website: [us_site] }
    sources: [ne_wh]
products:
  24-WB01: { default: 60, ne_wh: 35 }
  24-WB03: { ne_wh: 3 }
`;

function inventory(state: ReturnType<Awaited<ReturnType<typeof openSandbox>>["sandbox"]["store"]["snapshot"]>) {
  return {
    items: state.source_items.map((i) => `${i.sku} ${i.source_code} ${i.quantity} ${i.status}`).sort(),
    stocks: state.stocks,
    links: state.links,
  };
}

describe("inv apply --rollback-out", () => {
  it("writes the rollback, says how to undo, and `inv apply FILE` undoes the apply with consent", async () => {
    const { sandbox, env } = await openSandbox();
    sandbox.store.addWebsite("us_site", "US Site");
    try {
      const before = inventory(sandbox.store.snapshot());
      const dir = workspace({ "inventory.yaml": FILE });
      const applied = await runInv(["apply", "--yes", "--allow-destroy", "--rollback-out", "rollback.json"], {
        env,
        cwd: dir,
      });
      expect(applied.code).toBe(0);
      expect(applied.stderr).toContain(
        "Wrote the rollback rollback.json: 7 changes that undo this apply, 4 of them destructive. To undo, run " +
          "`inv apply rollback.json --allow-destroy`. Read its 1 warning first.",
      );

      // Like a plan, it names the store by its URL and never holds a credential.
      expect(readFileSync(join(dir, "rollback.json"), "utf8")).not.toContain(env.MAGENTO_TOKEN);

      const refused = await runInv(["apply", "rollback.json", "--yes"], { env, cwd: dir });
      expect(refused.code).toBe(6);
      expect(refused.stdout).toMatch(/^inv will change the store at http:\/\/[\d.:]+ \(store all\) back to how/);
      expect(refused.stdout).toContain("back to how it was before the apply of inventory.yaml (started ");
      expect(refused.stdout).toContain('Source "ne_wh" was created by the apply and stays');

      const undone = await runInv(["apply", "rollback.json", "--yes", "--allow-destroy"], { env, cwd: dir });
      expect(undone.code).toBe(0);
      expect(undone.stdout).toContain("Verified: every record the plan changed now holds its planned value.");
      expect(inventory(sandbox.store.snapshot())).toEqual(before);

      // A rollback, like any saved plan, is applied once.
      const again = await runInv(["apply", "rollback.json", "--yes", "--allow-destroy"], { env, cwd: dir });
      expect(again.code).toBe(4);
      expect(again.stderr).toContain("rollback.json was applied already");
    } finally {
      await sandbox.close();
    }
  });

  it("after a partial apply (exit 5), undoes the calls that were done", async () => {
    // Credentials that cannot read websites, and --allow-unchecked: the stock save naming an unknown website fails
    // halfway.
    const { sandbox, env } = await openSandbox({
      auth: {
        token: "inventory-only-token-3b9f2c71",
        aclResources: REQUIRED_ACL_RESOURCES.filter((r) => r !== "Magento_Backend::store"),
      },
    });
    try {
      const before = inventory(sandbox.store.snapshot());
      const dir = workspace({ "inventory.yaml": FILE });
      const first = await runInv(
        [
          "apply",
          "--yes",
          "--allow-destroy",
          "--allow-unchecked",
          "--format",
          "json",
          "--rollback-out",
          "rollback.json",
        ],
        { env, cwd: dir },
      );
      expect(first.code).toBe(5);
      // stdout is the report alone; the rollback is said on stderr.
      expect(JSON.parse(first.stdout)).toMatchObject({ outcome: "failed", done: 3, failed: 1, not_attempted: 2 });
      expect(first.stderr).toContain(
        "Wrote the rollback rollback.json: 2 changes that undo the 3 calls done of 6, 2 of them destructive. " +
          "To undo, run `inv apply rollback.json --allow-destroy`.",
      );
      const rollback = JSON.parse(readFileSync(join(dir, "rollback.json"), "utf8"));
      expect(rollback.basis.rollback_of).toMatchObject({ calls_total: 6, calls_done: 3, finished: true });

      const undone = await runInv(["apply", "rollback.json", "--yes", "--allow-destroy"], { env, cwd: dir });
      expect(undone.code).toBe(0);
      expect(inventory(sandbox.store.snapshot())).toEqual(before);
    } finally {
      await sandbox.close();
    }
  });

  it("refuses a file that exists, and a flag that needs it, before anything is sent", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE, "rollback.json": "{}" });
      const exists = await runInv(["apply", "--yes", "--rollback-out", "rollback.json"], { env, cwd: dir });
      expect(exists.code).toBe(1);
      expect(exists.stderr).toContain(
        "--rollback-out rollback.json exists already; a rollback file is never overwritten, so the rollback of " +
          "an earlier apply is not lost.",
      );
      expect(readFileSync(join(dir, "rollback.json"), "utf8")).toBe("{}");
      const alone = await runInv(["apply", "--yes", "--rollback-disable-created-sources"], { env, cwd: dir });
      expect(alone.code).toBe(1);
      expect(alone.stderr).toContain("no --rollback-out file was given. Nothing was sent.");
      expect(sandbox.stats.requests).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("writes nothing when nothing is sent, and says so", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": "version: 1\nproducts:\n  24-WB01: { default: 100 }\n" });
      const result = await runInv(["apply", "--yes", "--rollback-out", "rollback.json"], { env, cwd: dir });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain("Nothing was sent, so no rollback was written to rollback.json.");
      expect(existsSync(join(dir, "rollback.json"))).toBe(false);
    } finally {
      await sandbox.close();
    }
  });

  it("is described in `inv apply --help`", async () => {
    const help = await runInv(["apply", "--help"]);
    expect(help.stdout).toContain("--rollback-out <file>");
    expect(help.stdout).toContain("--rollback-disable-created-sources");
  });
});
