// Consent: `inv apply` asks at a terminal and needs --yes elsewhere; destroying (unassigning
// a source item that holds quantity, deleting a link or a stock) needs its own consent,
// --allow-destroy or the file's policy, even with --yes, or exits 6 listing what it refused.

import { describe, expect, it } from "vitest";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";

const NE_WH = `sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
  west_wh: { name: West Warehouse, country_id: US, postcode: "94607" }
`;

function writes(sandbox: SandboxHandle["sandbox"]): number {
  return Object.entries(sandbox.stats.byRoute)
    .filter(([route]) => !route.startsWith("GET"))
    .reduce((sum, [, n]) => sum + n, 0);
}

function quantity(sandbox: SandboxHandle["sandbox"], sku: string, source: string): number | undefined {
  return sandbox.store.snapshot().source_items.find((i) => i.sku === sku && i.source_code === source)?.quantity;
}

describe("confirmation", () => {
  it("needs --yes off a terminal, and sends nothing without it", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": "version: 1\nproducts:\n  24-MB01: { default: 90 }\n" });
      const result = await runInv(["apply"], { env, cwd: dir });
      expect(result.code).toBe(6);
      // One sentence for what happened, the plan it refused, and what to do.
      expect(result.stderr).toBe(
        "inv: Not applied: inv apply asks before it changes the store, and there is no terminal to ask at " +
          "(stdin or stderr is not one). Nothing was written to the store.\n" +
          "  the plan above: not confirmed (source items 1 to update)\n" +
          "Review the plan, then run inv apply again with --yes, or at a terminal to be asked.\n",
      );
      expect(writes(sandbox)).toBe(0);
      expect((await runInv(["apply", "--yes"], { env, cwd: dir })).code).toBe(0);
      expect(quantity(sandbox, "24-MB01", "default")).toBe(90);
    } finally {
      await sandbox.close();
    }
  });

  it("asks at a terminal and takes only a typed yes", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": "version: 1\nproducts:\n  24-MB01: { default: 90 }\n" });
      for (const answer of ["no", "y", ""]) {
        const declined = await runInv(["apply"], { env, cwd: dir, tty: true, answers: [answer] });
        expect(declined.code).toBe(1);
        expect(declined.stderr).toContain(`Apply these changes to ${sandbox.url}?`);
        expect(declined.stderr).toContain("Cancelled; nothing was written to the store.");
      }
      expect(writes(sandbox)).toBe(0);
      expect((await runInv(["apply"], { env, cwd: dir, tty: true, answers: ["yes"] })).code).toBe(0);
      expect(quantity(sandbox, "24-MB01", "default")).toBe(90);
    } finally {
      await sandbox.close();
    }
  });
});

describe("destroying needs its own consent", () => {
  it("refuses to unassign a source item that holds quantity, even with --yes, and lists it", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1\n${NE_WH}products:\n  24-MB01: { ne_wh: 5 }\n  24-MB04: { ne_wh: 5 }\n`,
      });
      const refused = await runInv(["apply", "--yes"], { env, cwd: dir });
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain(
        "Refused to apply: 2 destructive changes without consent. Nothing was written to the store.",
      );
      expect(refused.stderr).toContain(
        "source item 24-MB01 @ default: unassigns 100 units (Magento deletes the quantity with the assignment)",
      );
      expect(refused.stderr).toContain("source item 24-MB04 @ default: unassigns 100 units");
      expect(refused.stderr).toContain("pass --allow-destroy");
      expect(writes(sandbox)).toBe(0);
      const allowed = await runInv(["apply", "--yes", "--allow-destroy"], { env, cwd: dir });
      expect(allowed.code).toBe(0);
      expect(quantity(sandbox, "24-MB01", "default")).toBeUndefined();
      expect(quantity(sandbox, "24-MB01", "ne_wh")).toBe(5);
    } finally {
      await sandbox.close();
    }
  });

  it("unassigns a source item that holds nothing without asking for more than --yes", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      // 240-LV06 holds 0 at the default source in a fresh store.
      const dir = workspace({ "inventory.yaml": `version: 1\n${NE_WH}products:\n  240-LV06: { ne_wh: 1 }\n` });
      const result = await runInv(["apply", "--yes"], { env, cwd: dir });
      expect(result.code).toBe(0);
      expect(quantity(sandbox, "240-LV06", "default")).toBeUndefined();
    } finally {
      await sandbox.close();
    }
  });

  it("refuses to delete a stock-source link without --allow-destroy", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const stock = (sources: string) => `version: 1\n${NE_WH}stocks:\n  US Stock:\n    sources: [${sources}]\n`;
      expect(
        (await runInv(["apply", "--yes"], { env, cwd: workspace({ "inventory.yaml": stock("ne_wh, west_wh") }) })).code,
      ).toBe(0);
      const dir = workspace({ "inventory.yaml": stock("ne_wh") });
      const before = writes(sandbox);
      const refused = await runInv(["apply", "--yes"], { env, cwd: dir });
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain('link "US Stock" <- west_wh: deletes a stock-source link');
      expect(writes(sandbox)).toBe(before);
      expect((await runInv(["apply", "--yes", "--allow-destroy"], { env, cwd: dir })).code).toBe(0);
      const links = sandbox.store
        .snapshot()
        .links.map((l) => l.source_code)
        .sort();
      expect(links).not.toContain("west_wh");
    } finally {
      await sandbox.close();
    }
  });

  it("refuses at a terminal before asking, so a yes cannot consent to destroying", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": `version: 1\n${NE_WH}products:\n  24-MB01: { ne_wh: 5 }\n` });
      const result = await runInv(["apply"], { env, cwd: dir, tty: true, answers: ["yes"] });
      expect(result.code).toBe(6);
      expect(result.stderr).not.toContain("Apply these changes");
      expect(writes(sandbox)).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("takes consent from the file's policy, for the file and for a plan saved from it", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const file = `version: 1\npolicy: { allow_destroy: true }\n${NE_WH}products:\n  24-MB01: { ne_wh: 5 }\n`;
      const dir = workspace({ "inventory.yaml": file });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const applied = await runInv(["apply", "plan.json", "--yes"], { env, cwd: dir });
      expect(applied.code).toBe(0);
      expect(quantity(sandbox, "24-MB01", "default")).toBeUndefined();
      const direct = workspace({ "inventory.yaml": file.replace("24-MB01", "24-MB04") });
      expect((await runInv(["apply", "--yes"], { env, cwd: direct })).code).toBe(0);
      expect(quantity(sandbox, "24-MB04", "default")).toBeUndefined();
    } finally {
      await sandbox.close();
    }
  });

  it("needs --allow-destroy for a saved plan that destroys, even with --yes", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": `version: 1\n${NE_WH}products:\n  24-MB01: { ne_wh: 5 }\n` });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const refused = await runInv(["apply", "plan.json", "--yes"], { env, cwd: dir });
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain("source item 24-MB01 @ default: unassigns 100 units");
      expect(writes(sandbox)).toBe(0);
      expect((await runInv(["apply", "plan.json", "--yes", "--allow-destroy"], { env, cwd: dir })).code).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("holds a saved plan to the limits its file set", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml":
          `version: 1\npolicy: { max_unassign: 1 }\n${NE_WH}` +
          "products:\n  240-LV06: { ne_wh: 1 }\n  24-MB01: [ne_wh]\n",
      });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const refused = await runInv(["apply", "plan.json", "--yes", "--allow-destroy"], { env, cwd: dir });
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain("2 source items to unassign, above the limit of 1");
      expect(writes(sandbox)).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});
