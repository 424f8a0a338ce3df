// `inv apply` with a saved plan takes no flag that would plan differently: each is refused
// with a sentence (exit 1, nothing sent) instead of being ignored. Its output is one view,
// chosen once from --format.

import { describe, expect, it } from "vitest";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";

const FILE = "version: 1\nproducts:\n  24-MB01: { default: 90 }\n";

describe("inv apply with a saved plan", () => {
  it("refuses -f and --batch-size, naming why, before connecting", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE, "other.yaml": FILE });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const requests = sandbox.stats.requests;
      const file = await runInv(["apply", "plan.json", "--yes", "-f", "other.yaml"], { env, cwd: dir });
      expect(file.code).toBe(1);
      expect(file.stderr).toContain(
        "-f does not apply to a saved plan: the plan records the files it was made from. Nothing was sent.",
      );
      expect(file.stderr).toContain("Run `inv apply plan.json` without it, or `inv plan --out plan.json` with it");
      const both = await runInv(["apply", "plan.json", "--yes", "--batch-size", "5", "--file", "inventory.yaml"], {
        env,
        cwd: dir,
      });
      expect(both.code).toBe(1);
      expect(both.stderr).toContain(
        "-f and --batch-size do not apply to a saved plan: the plan records the files it was made from; the plan's calls were derived with the batch size it records.",
      );
      expect(sandbox.stats.requests).toBe(requests);
      // Flags that do apply are taken: the plan applies.
      const applied = await runInv(["apply", "plan.json", "--yes", "--max-unassign", "0", "--quiet"], {
        env,
        cwd: dir,
      });
      expect(applied.code).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("says to use -f for an inventory file given as the plan", async () => {
    for (const name of ["inventory.yaml", "stock/Inventory.YML"]) {
      const result = await runInv(["apply", name, "--yes"], { cwd: workspace({}) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`inv: ${name} is an inventory file, not a saved plan`);
      expect(result.stderr).toContain(`To apply the inventory file, run \`inv apply -f ${name}\`.`);
    }
  });

  it("prints nothing but the JSON report with --format json, for a saved plan and for the file", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const saved = await runInv(["apply", "plan.json", "--yes", "--format", "json"], { env, cwd: dir });
      expect(saved.code).toBe(0);
      expect(JSON.parse(saved.stdout)).toMatchObject({ outcome: "applied", done: 1, failed: 0, not_attempted: 0 });
      const again = await runInv(["apply", "--yes", "--format", "json"], { env, cwd: dir });
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toEqual({ outcome: "no-changes" });
      const text = await runInv(["apply", "plan.json", "--yes"], { env, cwd: dir });
      // Applied already: the plan file says so, and it is refused before anything is read.
      expect(text.code).toBe(4);
      expect(text.stderr).toContain("plan.json was applied already");
    } finally {
      await sandbox.close();
    }
  });

  it("documents which flags a saved plan does not take", async () => {
    const help = (await runInv(["apply", "--help"])).stdout.replace(/\s+/g, " ");
    expect(help).toContain("-f, --file <path> the inventory file (not with a saved plan)");
    expect(help).toContain(
      "--batch-size <n> items per source-item or link call (not with a saved plan, which records its own)",
    );
    expect(help).toContain(
      "its changes are derived again from the inventory files it names (found from here or from the plan's directory) and its calls from its changes; it is refused if they differ or the store changed since",
    );
  });
});
