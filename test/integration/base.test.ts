// --base <git-ref>: the file's changes since a commit applied as changes, against the
// sandbox. The worked example of the README ("Quantities: the file and the store's orders"):
// the store was brought to the file, orders shipped 11 units, a pull request received 50.

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/plan/plan.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";

const SOURCES = `sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
  west_wh: { name: West Warehouse, country_id: US, postcode: "94607" }
  berkeley: { name: Berkeley Store, country_id: US, postcode: "94704" }
`;

function file(products: Record<string, string>): string {
  return `version: 1\n${SOURCES}products:\n${Object.entries(products)
    .map(([sku, value]) => `  ${sku}: ${value}\n`)
    .join("")}`;
}

const TUTORIAL = file({ "24-WB01": "{ ne_wh: 35, west_wh: 15 }", "24-WB03": "{ berkeley: 20 }" });
const RECEIVED = file({ "24-WB01": "{ ne_wh: 85, west_wh: 15 }", "24-WB03": "{ berkeley: 20 }" });

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd: dir,
    encoding: "utf8",
  }).trim();
}

function quantity(handle: SandboxHandle, sku: string, source: string): number | undefined {
  return handle.sandbox.store.snapshot().source_items.find((i) => i.sku === sku && i.source_code === source)?.quantity;
}

/** An order's shipment, as Magento's order flow writes it: the source item's quantity goes down. */
async function ship(handle: SandboxHandle, sku: string, source: string, units: number): Promise<void> {
  const now = quantity(handle, sku, source) ?? 0;
  const response = await fetch(`${handle.sandbox.url}/rest/all/V1/inventory/source-items`, {
    method: "POST",
    headers: { authorization: `Bearer ${handle.sandbox.token}`, "content-type": "application/json" },
    body: JSON.stringify({ sourceItems: [{ sku, source_code: source, quantity: now - units, status: 1 }] }),
  });
  expect(response.status).toBe(200);
}

/** A shop repository whose file the store was brought to, tagged as applied, then orders shipped 11 units. */
async function storeAfterSales(): Promise<{ handle: SandboxHandle; dir: string }> {
  const handle = await openSandbox();
  const dir = workspace({ "inventory.yaml": TUTORIAL });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "the tutorial's file");
  // The fresh sandbox holds these SKUs at the default source; the file moves them off it.
  const applied = await runInv(["apply", "--yes", "--allow-destroy"], { env: handle.env, cwd: dir });
  expect(applied.code, applied.stderr).toBe(0);
  git(dir, "tag", "inv-applied/production");
  await ship(handle, "24-WB01", "ne_wh", 5);
  await ship(handle, "24-WB01", "west_wh", 1);
  await ship(handle, "24-WB03", "berkeley", 2);
  return { handle, dir };
}

describe("--base: quantities as changes since the base", () => {
  it("applies +50 received on what orders left, and never undoes a sale (80 / 14 / 18)", async () => {
    const { handle, dir } = await storeAfterSales();
    try {
      writeFileSync(join(dir, "inventory.yaml"), RECEIVED);
      const planned = await runInv(["plan", "--base", "inv-applied/production", "--detailed-exitcode"], {
        env: handle.env,
        cwd: dir,
      });
      expect(planned.code, planned.stderr).toBe(2);
      expect(planned.stdout).toContain("+50: 30 -> 80 (file 35 -> 85)");
      const json = await runInv(["plan", "--base", "inv-applied/production", "--format", "json"], {
        env: handle.env,
        cwd: dir,
      });
      const plan = JSON.parse(json.stdout) as Plan;
      expect(plan.base).toMatchObject({ ref: "inv-applied/production", changed_only: false });
      expect(plan.base?.commit).toBe(git(dir, "rev-parse", "inv-applied/production"));
      expect(plan.movement).toEqual([
        { sku: "24-WB03", source: "berkeley", base: 20, live: 18 },
        { sku: "24-WB01", source: "west_wh", base: 15, live: 14 },
      ]);
      expect(plan.changes).toEqual([
        {
          kind: "source-item",
          action: "update",
          sku: "24-WB01",
          source: "ne_wh",
          before: { quantity: 30, status: "in_stock" },
          after: { quantity: 80, status: "in_stock" },
          declared_order: 0,
          delta: 50,
          file: { base: 35, head: 85 },
        },
      ]);

      const applied = await runInv(["apply", "--yes", "--base", "inv-applied/production"], {
        env: handle.env,
        cwd: dir,
      });
      expect(applied.code, applied.stderr).toBe(0);
      expect([
        quantity(handle, "24-WB01", "ne_wh"),
        quantity(handle, "24-WB01", "west_wh"),
        quantity(handle, "24-WB03", "berkeley"),
      ]).toEqual([80, 14, 18]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("a saved plan is rebased on the orders since it was made, and applies the file's change", async () => {
    const { handle, dir } = await storeAfterSales();
    try {
      writeFileSync(join(dir, "inventory.yaml"), RECEIVED);
      const saved = await runInv(["plan", "--base", "inv-applied/production", "--out", "plan.json"], {
        env: handle.env,
        cwd: dir,
      });
      expect(saved.code, saved.stderr).toBe(0);
      // One more sale at ne_wh after the review: 30 -> 29.
      await ship(handle, "24-WB01", "ne_wh", 1);
      const applied = await runInv(["apply", "plan.json", "--yes"], { env: handle.env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stderr).toContain("Rebased 1 quantity change on the orders since the plan");
      expect(quantity(handle, "24-WB01", "ne_wh")).toBe(79);
      expect(quantity(handle, "24-WB01", "west_wh")).toBe(14);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("a saved plan is applied once: the file says so, and a copy is refused by the store holding what it writes", async () => {
    const { handle, dir } = await storeAfterSales();
    try {
      writeFileSync(join(dir, "inventory.yaml"), RECEIVED);
      await runInv(["plan", "--base", "inv-applied/production", "--out", "plan.json"], { env: handle.env, cwd: dir });
      expect((await runInv(["apply", "plan.json", "--yes"], { env: handle.env, cwd: dir })).code).toBe(0);
      expect(quantity(handle, "24-WB01", "ne_wh")).toBe(80);
      // The plan file says it was applied.
      const again = await runInv(["apply", "plan.json", "--yes"], { env: handle.env, cwd: dir });
      expect(again.code).toBe(4);
      expect(again.stderr).toContain("plan.json was applied already");
      // A copy without that mark (a pipeline's artifact downloaded again) is refused by the store's values.
      const copy = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as Plan & { applied?: unknown };
      delete copy.applied;
      writeFileSync(join(dir, "copy.json"), JSON.stringify(copy));
      const twice = await runInv(["apply", "copy.json", "--yes"], { env: handle.env, cwd: dir });
      expect(twice.code).toBe(4);
      expect(twice.stderr).toContain("it looks applied already");
      expect(quantity(handle, "24-WB01", "ne_wh")).toBe(80);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("a saved plan is still refused as stale when a record changed in structure since (exit 4)", async () => {
    const { handle, dir } = await storeAfterSales();
    try {
      writeFileSync(join(dir, "inventory.yaml"), RECEIVED);
      await runInv(["plan", "--base", "inv-applied/production", "--out", "plan.json"], { env: handle.env, cwd: dir });
      // Someone marks the item out of stock by hand: not an order's doing.
      const response = await fetch(`${handle.sandbox.url}/rest/all/V1/inventory/source-items`, {
        method: "POST",
        headers: { authorization: `Bearer ${handle.sandbox.token}`, "content-type": "application/json" },
        body: JSON.stringify({ sourceItems: [{ sku: "24-WB01", source_code: "ne_wh", quantity: 30, status: 0 }] }),
      });
      expect(response.status).toBe(200);
      const applied = await runInv(["apply", "plan.json", "--yes"], { env: handle.env, cwd: dir });
      expect(applied.code).toBe(4);
      expect(quantity(handle, "24-WB01", "ne_wh")).toBe(30);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("refuses a change that would go below 0 without --allow-negative (exit 6), and applies it with it", async () => {
    const { handle, dir } = await storeAfterSales();
    try {
      // The file takes 33 of the 35 at ne_wh away, but orders took 5 of them already.
      writeFileSync(
        join(dir, "inventory.yaml"),
        file({ "24-WB01": "{ ne_wh: 2, west_wh: 15 }", "24-WB03": "{ berkeley: 20 }" }),
      );
      const refused = await runInv(["apply", "--yes", "--base", "inv-applied/production"], {
        env: handle.env,
        cwd: dir,
      });
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain("would go below 0");
      expect(refused.stderr).toContain("--allow-negative");
      expect(quantity(handle, "24-WB01", "ne_wh")).toBe(30);
      const applied = await runInv(["apply", "--yes", "--allow-negative", "--base", "inv-applied/production"], {
        env: handle.env,
        cwd: dir,
      });
      expect(applied.code, applied.stderr).toBe(0);
      expect(quantity(handle, "24-WB01", "ne_wh")).toBe(-3);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("with --changed-only reads only the source items of SKUs whose entries changed", async () => {
    const { handle, dir } = await storeAfterSales();
    try {
      writeFileSync(join(dir, "inventory.yaml"), RECEIVED);
      const before = { ...handle.sandbox.stats.byRoute };
      const planned = await runInv(["plan", "--base", "inv-applied/production", "--changed-only", "--format", "json"], {
        env: handle.env,
        cwd: dir,
      });
      expect(planned.code, planned.stderr).toBe(0);
      const plan = JSON.parse(planned.stdout) as Plan;
      expect(plan.base?.changed_only).toBe(true);
      expect(plan.changes.map((c) => (c.kind === "source-item" ? c.sku : c.kind))).toEqual(["24-WB01"]);
      // Movement of SKUs not read is not known, and not claimed.
      expect(plan.movement).toEqual([{ sku: "24-WB01", source: "west_wh", base: 15, live: 14 }]);
      const reads = Object.entries(handle.sandbox.stats.byRoute).filter(
        ([route, n]) => route.startsWith("GET") && route.includes("source-items") && n !== (before[route] ?? 0),
      );
      expect(reads.length).toBeGreaterThan(0);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("prunes a SKU the file stopped declaring only with --prune, and says so once otherwise", async () => {
    const { handle, dir } = await storeAfterSales();
    try {
      writeFileSync(join(dir, "inventory.yaml"), file({ "24-WB01": "{ ne_wh: 35, west_wh: 15 }" }));
      const kept = await runInv(["plan", "--base", "inv-applied/production", "--detailed-exitcode"], {
        env: handle.env,
        cwd: dir,
      });
      expect(kept.code, kept.stderr).toBe(0);
      expect(kept.stderr).toContain("1 SKU (24-WB03) at the base and no longer does");
      const refused = await runInv(["apply", "--yes", "--base", "inv-applied/production", "--prune"], {
        env: handle.env,
        cwd: dir,
      });
      expect(refused.code).toBe(6);
      expect(quantity(handle, "24-WB03", "berkeley")).toBe(18);
      const pruned = await runInv(
        ["apply", "--yes", "--allow-destroy", "--base", "inv-applied/production", "--prune"],
        {
          env: handle.env,
          cwd: dir,
        },
      );
      expect(pruned.code, pruned.stderr).toBe(0);
      expect(quantity(handle, "24-WB03", "berkeley")).toBeUndefined();
    } finally {
      await handle.sandbox.close();
    }
  });

  it("fails before any request for an unknown ref, outside a repository, and for flags without --base", async () => {
    const handle = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": TUTORIAL });
      const outside = await runInv(["plan", "--base", "main"], { env: handle.env, cwd: dir });
      expect(outside.code).toBe(1);
      expect(outside.stderr).toContain("inventory.yaml is not in a git repository");
      git(dir, "init", "-q", "-b", "main");
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "-m", "first");
      const unknown = await runInv(["plan", "--base", "no-such-ref"], { env: handle.env, cwd: dir });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain("--base no-such-ref: the repository of inventory.yaml has no commit");
      const orphan = await runInv(["plan", "--changed-only"], { env: handle.env, cwd: dir });
      expect(orphan.code).toBe(1);
      expect(orphan.stderr).toContain("--changed-only needs --base");
      const saved = await runInv(["apply", "plan.json", "--base", "main"], { env: handle.env, cwd: dir });
      expect(saved.code).toBe(1);
      expect(saved.stderr).toContain("--base does not apply to a saved plan");
      expect(Object.keys(handle.sandbox.stats.byRoute)).toEqual([]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("says once that a file absent at the base is new, and plans it whole", async () => {
    const handle = await openSandbox();
    try {
      const dir = workspace({ "README.md": "shop\n" });
      git(dir, "init", "-q", "-b", "main");
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "-m", "first");
      writeFileSync(join(dir, "inventory.yaml"), TUTORIAL);
      const planned = await runInv(["plan", "--base", "main", "--format", "json"], { env: handle.env, cwd: dir });
      expect(planned.code, planned.stderr).toBe(0);
      expect(planned.stderr.match(/did not exist at main/g)).toHaveLength(1);
      const plan = JSON.parse(planned.stdout) as Plan;
      expect(plan.changes.filter((c) => c.kind === "source-item" && c.action === "create")).toHaveLength(3);
      expect(readFileSync(join(dir, "inventory.yaml"), "utf8")).toBe(TUTORIAL);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("prunes a stock the file stopped declaring, with its links, and refuses one that still sells", async () => {
    const handle = await openSandbox();
    try {
      const stocks = (websites: string) =>
        `stocks:\n  Old Stock:\n    sales_channels: { website: [${websites}] }\n    sources: [ne_wh]\n`;
      const dir = workspace({ "inventory.yaml": `version: 1\n${SOURCES}${stocks("")}` });
      git(dir, "init", "-q", "-b", "main");
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "-m", "a stock");
      expect((await runInv(["apply", "--yes"], { env: handle.env, cwd: dir })).code).toBe(0);
      writeFileSync(join(dir, "inventory.yaml"), `version: 1\n${SOURCES}`);
      const pruned = await runInv(["apply", "--yes", "--allow-destroy", "--base", "main", "--prune"], {
        env: handle.env,
        cwd: dir,
      });
      expect(pruned.code, pruned.stderr).toBe(0);
      const state = handle.sandbox.store.snapshot();
      expect(state.stocks.map((s) => s.name)).not.toContain("Old Stock");
      expect(state.links.filter((l) => l.source_code === "ne_wh")).toEqual([]);

      // A stock that sells on a website: Magento would refuse the delete, so the plan does first.
      writeFileSync(join(dir, "inventory.yaml"), `version: 1\n${SOURCES}${stocks("base")}`);
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "-m", "sells on base");
      expect((await runInv(["apply", "--yes"], { env: handle.env, cwd: dir })).code).toBe(0);
      writeFileSync(join(dir, "inventory.yaml"), `version: 1\n${SOURCES}`);
      const refused = await runInv(["plan", "--base", "main", "--prune"], { env: handle.env, cwd: dir });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(
        'stock "Old Stock" would be deleted, but it still sells on website "base"; Magento refuses to delete a stock that has sales channels',
      );
    } finally {
      await handle.sandbox.close();
    }
  });
});

describe("--base with --skip-unknown-skus", () => {
  it("a saved plan that skipped a SKU the catalog lacks passes the integrity check and applies", async () => {
    const { handle, dir } = await storeAfterSales();
    try {
      const withUnknown = file({
        "24-WB01": "{ ne_wh: 85, west_wh: 15 }",
        "24-WB03": "{ berkeley: 20 }",
        "ERP-NEW-1": "{ ne_wh: 5 }",
      });
      writeFileSync(join(dir, "inventory.yaml"), withUnknown);
      const refused = await runInv(["plan", "--base", "inv-applied/production"], { env: handle.env, cwd: dir });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain("--skip-unknown-skus");
      const saved = await runInv(
        ["plan", "--base", "inv-applied/production", "--skip-unknown-skus", "--out", "plan.json"],
        { env: handle.env, cwd: dir },
      );
      expect(saved.code, saved.stderr).toBe(0);
      const plan = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as Plan;
      expect(plan.skipped).toEqual([{ sku: "ERP-NEW-1", origin: "inventory.yaml:9:3" }]);
      const applied = await runInv(["apply", "plan.json", "--yes"], { env: handle.env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
      expect(quantity(handle, "24-WB01", "ne_wh")).toBe(80);
      expect(quantity(handle, "ERP-NEW-1", "ne_wh")).toBeUndefined();
    } finally {
      await handle.sandbox.close();
    }
  });
});
