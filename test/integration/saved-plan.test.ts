// Saved plans against the sandbox: `inv plan --out plan.json` records what it was made
// from, and `inv apply plan.json` applies exactly it while the store still holds those
// values, or refuses with exit 4 naming every record that changed and how.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deriveCalls, type Plan } from "../../src/plan/plan.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";

const FILE = `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
stocks:
  US Stock:
    sales_channels: { website: [base] }
    sources: [ne_wh]
products:
  24-MB01: { default: 60, ne_wh: 20 }
  24-MB04: { default: 7 }
`;

function readPlan(dir: string, name = "plan.json"): Plan {
  return JSON.parse(readFileSync(join(dir, name), "utf8")) as Plan;
}

function writes(sandbox: SandboxHandle["sandbox"]): number {
  return Object.entries(sandbox.stats.byRoute)
    .filter(([route]) => !route.startsWith("GET"))
    .reduce((sum, [, n]) => sum + n, 0);
}

function quantity(sandbox: SandboxHandle["sandbox"], sku: string, source: string): number | undefined {
  return sandbox.store.snapshot().source_items.find((i) => i.sku === sku && i.source_code === source)?.quantity;
}

/** A change made in the store by someone else, through Magento's REST API. */
async function rest(handle: SandboxHandle, method: string, route: string, body: unknown): Promise<void> {
  const response = await fetch(`${handle.sandbox.url}/rest/all/V1/${route}`, {
    method,
    headers: { authorization: `Bearer ${handle.sandbox.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

describe("inv plan --out", () => {
  it("records the file's sha256, git commit, credential-free store URL and the live values it used", async () => {
    const handle = await openSandbox();
    const { sandbox } = handle;
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
      git("init", "-q");
      git(
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "empty",
      );
      git("add", "inventory.yaml");
      git(
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "-m",
        "inventory",
      );
      const { adminUsername, adminPassword } = sandbox.credentials;
      // An admin login instead of a token: neither the password nor the token it is exchanged for may reach the plan.
      const env = {
        MAGENTO_URL: sandbox.url,
        MAGENTO_ADMIN_USERNAME: adminUsername,
        MAGENTO_ADMIN_PASSWORD: adminPassword,
      };
      const result = await runInv(["plan", "--out", "plan.json", "--format", "json"], { env, cwd: dir });
      expect(result.code).toBe(0);
      const saved = readFileSync(join(dir, "plan.json"), "utf8");
      expect(result.stdout).toBe(saved);
      const plan = JSON.parse(saved) as Plan;
      expect(plan.format_version).toBe(2);
      expect(plan.basis.files).toEqual([
        { path: "inventory.yaml", sha256: createHash("sha256").update(FILE).digest("hex") },
      ]);
      expect(plan.basis.git).toEqual({ commit: git("rev-parse", "HEAD"), dirty: false });
      expect(plan.store).toEqual({ url: sandbox.url, store_code: "all" });
      expect(saved).not.toContain(adminPassword);
      expect(saved).not.toContain(sandbox.token);
      expect(saved).not.toMatch(/Bearer|authorization|oauth_/i);
      // Every record the plan touches, with its live value.
      const items = plan.changes.filter((c) => c.kind === "source-item");
      expect(items).toContainEqual(
        expect.objectContaining({
          sku: "24-MB01",
          source: "default",
          before: { quantity: 100, status: "in_stock" },
          after: { quantity: 60, status: "in_stock" },
        }),
      );
      expect(items).toContainEqual(
        expect.objectContaining({ sku: "24-MB01", source: "ne_wh", action: "create", before: null }),
      );
      expect(plan.changes).toContainEqual(
        expect.objectContaining({ kind: "stock", stock: "US Stock", action: "create", before: null }),
      );

      writeFileSync(join(dir, "inventory.yaml"), FILE.replace("default: 7", "default: 8"));
      await runInv(["plan", "--out", "dirty.json"], { env, cwd: dir });
      expect(readPlan(dir, "dirty.json").basis.git?.dirty).toBe(true);
    } finally {
      await sandbox.close();
    }
  });

  it("records no git commit for a file outside a repository", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      expect(readPlan(dir).basis.git).toBeNull();
    } finally {
      await sandbox.close();
    }
  });
});

describe("inv apply plan.json", () => {
  it("applies a current plan exactly as reviewed, and a new plan is then empty", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const applied = await runInv(["apply", "plan.json", "--yes"], { env, cwd: dir });
      expect(applied.stderr).toBe("");
      expect(applied.code).toBe(0);
      expect(applied.stdout).toContain("Apply complete");
      expect(applied.stdout).toContain("bin/magento indexer:reindex inventory");
      expect(quantity(sandbox, "24-MB01", "default")).toBe(60);
      expect(quantity(sandbox, "24-MB01", "ne_wh")).toBe(20);
      const again = await runInv(["plan", "--detailed-exitcode"], { env, cwd: dir });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain("No changes.");
    } finally {
      await sandbox.close();
    }
  });

  it("refuses a stale plan with exit 4, naming each record that changed and how, and sends nothing", async () => {
    const handle = await openSandbox();
    const { sandbox, env } = handle;
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      // Between review and merge, an order ships 3 units, and someone creates the stock the plan would create.
      sandbox.store.setSourceItem("24-MB01", "default", 97, 1);
      await rest(handle, "POST", "inventory/stocks", {
        stock: { name: "us stock", extension_attributes: { sales_channels: [] } },
      });
      const writesBefore = writes(sandbox);
      const stale = await runInv(["apply", "plan.json", "--yes", "--allow-destroy"], { env, cwd: dir });
      expect(stale.code).toBe(4);
      expect(stale.stderr).toContain("The saved plan is stale: 2 records changed in the store since it was made:");
      expect(stale.stderr).toContain("source item 24-MB01 @ default: planned from 100 in stock, now 97 in stock");
      expect(stale.stderr).toMatch(/stock "US Stock": planned from no such stock, now stock \d+ "us stock" exists/);
      expect(stale.stderr).toContain("Nothing was applied. Run `inv plan` again");
      expect(writes(sandbox)).toBe(writesBefore);
      expect(quantity(sandbox, "24-MB01", "default")).toBe(97);
      expect(quantity(sandbox, "24-MB04", "default")).toBe(100);
    } finally {
      await sandbox.close();
    }
  });

  it("refuses a plan whose source changed in the store since, with the field's old and new value", async () => {
    const handle = await openSandbox();
    const { sandbox, env } = handle;
    try {
      const dir = workspace({ "inventory.yaml": FILE.replace("Northeast Warehouse", "NE Warehouse") });
      // The source exists; the plan renames it.
      await rest(handle, "POST", "inventory/sources", {
        source: {
          source_code: "ne_wh",
          name: "Northeast Warehouse",
          country_id: "US",
          postcode: "07306",
          enabled: true,
        },
      });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      await rest(handle, "PUT", "inventory/sources/ne_wh", {
        source: {
          source_code: "ne_wh",
          name: "Northeast Warehouse",
          country_id: "US",
          postcode: "07310",
          enabled: true,
        },
      });
      const stale = await runInv(["apply", "plan.json", "--yes"], { env, cwd: dir });
      expect(stale.code).toBe(4);
      expect(stale.stderr).toContain('source ne_wh: planned from postcode "07306", now postcode "07310"');
    } finally {
      await sandbox.close();
    }
  });

  it("refuses a plan made for another store, before reading or writing anything", async () => {
    const first = await openSandbox();
    const second = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      expect((await runInv(["plan", "--out", "plan.json"], { env: first.env, cwd: dir })).code).toBe(0);
      const result = await runInv(["apply", "plan.json", "--yes"], { env: second.env, cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `The saved plan was made for ${first.sandbox.url} (store all), not ${second.sandbox.url} (store all).`,
      );
      expect(second.sandbox.stats.requests).toBe(0);
      const otherStoreCode = await runInv(["apply", "plan.json", "--yes", "--store", "default"], {
        env: first.env,
        cwd: dir,
      });
      expect(otherStoreCode.code).toBe(1);
      expect(otherStoreCode.stderr).toContain("(store all), not");
    } finally {
      await first.sandbox.close();
      await second.sandbox.close();
    }
  });

  it("refuses a file that is not a plan inv can read, naming why", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      await runInv(["plan", "--out", "plan.json"], { env, cwd: dir });
      const plan = readPlan(dir);
      writeFileSync(join(dir, "future.json"), JSON.stringify({ ...plan, format_version: 3 }));
      const future = await runInv(["apply", "future.json", "--yes"], { env, cwd: dir });
      expect(future.code).toBe(1);
      expect(future.stderr).toContain("future.json has plan format version 3; this inv reads version 2.");
      const { policy: _policy, ...noPolicy } = plan;
      writeFileSync(join(dir, "old.json"), JSON.stringify(noPolicy));
      const old = await runInv(["apply", "old.json", "--yes"], { env, cwd: dir });
      expect(old.code).toBe(1);
      expect(old.stderr).toContain('"policy" is missing');
      expect(writes(sandbox)).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});

describe("inv apply plan.json derives the calls from the changes", () => {
  /** A plan saved for FILE, edited by `edit`, then applied: the result and what reached the store. */
  async function applyEdited(edit: (plan: Plan) => unknown) {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      writeFileSync(join(dir, "plan.json"), JSON.stringify(edit(readPlan(dir))));
      const requestsBefore = sandbox.stats.requests;
      const result = await runInv(["apply", "plan.json", "--yes", "--allow-destroy"], { env, cwd: dir });
      return {
        result,
        plan: readPlan(dir),
        writes: writes(sandbox),
        requests: sandbox.stats.requests - requestsBefore,
      };
    } finally {
      await sandbox.close();
    }
  }

  it("refuses a plan with an extra call to a route inv never uses, and sends nothing", async () => {
    const { result, plan, writes, requests } = await applyEdited((plan) => ({
      ...plan,
      calls: [
        ...plan.calls,
        {
          id: plan.calls.length + 1,
          kind: "stock-delete",
          method: "DELETE",
          path: "V1/customers/1",
          description: "tidy up",
          changes: [],
          repeatable: "transient",
          unassign_channels_first: null,
        },
      ],
    }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `plan.json was changed after it was planned: call ${plan.calls.length}: the plan has DELETE V1/customers/1 ("tidy up"), its changes give no such call (the changes imply ${plan.calls.length - 1}). Nothing was sent.`,
    );
    expect(writes).toBe(0);
    expect(requests).toBe(0);
  });

  it("refuses a plan with an extra unassignment no change asks for, and sends nothing", async () => {
    const { result, plan, writes } = await applyEdited((plan) => ({
      ...plan,
      calls: [
        ...plan.calls,
        {
          id: plan.calls.length + 1,
          kind: "source-item-delete",
          method: "POST",
          path: "V1/inventory/source-items-delete",
          body: { sourceItems: [{ sku: "24-MB04", source_code: "default" }] },
          description: "unassign 1 source item",
          changes: [],
          repeatable: "transient",
          array: { key: "sourceItems", items: 1 },
        },
      ],
    }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `call ${plan.calls.length}: the plan has POST V1/inventory/source-items-delete ("unassign 1 source item"), its changes give no such call`,
    );
    expect(writes).toBe(0);
  });

  it("refuses a call whose body was edited, naming the call, the field, and both values", async () => {
    const { result, writes } = await applyEdited((plan) => ({
      ...plan,
      calls: plan.calls.map((call) =>
        call.kind === "source-item-save"
          ? {
              ...call,
              body: {
                sourceItems: call.body.sourceItems.map((item, i) => (i === 0 ? { ...item, quantity: 999 } : item)),
              },
            }
          : call,
      ),
    }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /call \d+, body\.sourceItems\[0\]\.quantity: the plan has 999, its changes give \d+\. Nothing was sent\./,
    );
    expect(writes).toBe(0);
  });

  it("refuses a plan whose calls were dropped or reordered", async () => {
    const { result } = await applyEdited((plan) => ({ ...plan, calls: plan.calls.slice(1) }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("call 1, id: the plan has 2, its changes give 1.");
    const missing = await applyEdited((plan) => ({ ...plan, calls: plan.calls.slice(0, -1) }));
    expect(missing.result.stderr).toMatch(/call \d+: the plan has no such call, its changes give POST /);
  });

  it("refuses a change that is not well formed, before reading the store", async () => {
    const cases: [(plan: Plan) => unknown, string][] = [
      [
        (plan) => ({ ...plan, changes: [...plan.changes, { kind: "customer", action: "delete", id: 1 }] }),
        'has kind "customer"; a change is one of source, stock, link, move, source-item',
      ],
      [
        (plan) => ({
          ...plan,
          changes: plan.changes.map((c) => (c.kind === "source-item" ? { ...c, after: { quantity: "lots" } } : c)),
        }),
        "(source-item): after.quantity must be a number",
      ],
      [
        (plan) => ({
          ...plan,
          changes: plan.changes.map((c) => (c.kind === "source" ? { ...c, path: "V1/customers/1" } : c)),
        }),
        "(source): path is not a field of it",
      ],
      [
        (plan) => ({
          ...plan,
          changes: plan.changes.map((c) => (c.kind === "source-item" ? { ...c, action: "delete" } : c)),
        }),
        "(source-item): a delete has a before and after null",
      ],
      [
        (plan) => ({
          ...plan,
          changes: plan.changes.map((c) => (c.kind === "link" ? { ...c, stock: "EU Stock" } : c)),
        }),
        '(link): stock_id is null, but no change creates stock "EU Stock"',
      ],
      [(plan) => ({ ...plan, batch_size: 0 }), '"batch_size" must be a whole number from 1'],
    ];
    for (const [edit, message] of cases) {
      const { result, requests } = await applyEdited(edit);
      expect(result.code, message).toBe(1);
      expect(result.stderr).toContain("plan.json is not a valid saved plan: ");
      expect(result.stderr).toContain(message);
      expect(requests).toBe(0);
    }
  });
});

describe("inv apply plan.json re-reads the stock ids its calls carry", () => {
  it("refuses with exit 4 when a link's stock id names another stock now, even with the calls edited to match", async () => {
    const handle = await openSandbox();
    const { sandbox, env } = handle;
    try {
      const file = `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
stocks:
  US Stock: { sources: [ne_wh] }
`;
      for (const name of ["US Stock", "EU Stock"])
        await rest(handle, "POST", "inventory/stocks", {
          stock: { name, extension_attributes: { sales_channels: [] } },
        });
      const dir = workspace({ "inventory.yaml": file });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const plan = readPlan(dir);
      const euStock = sandbox.store.snapshot().stocks.find((s) => s.name === "EU Stock")!.stock_id;
      // Both the change and its call edited to point the link at EU Stock: the calls match the changes.
      const edited = {
        ...plan,
        changes: plan.changes.map((c) => (c.kind === "link" ? { ...c, stock_id: euStock } : c)),
        calls: plan.calls.map((c) =>
          c.kind === "link-save"
            ? { ...c, body: { links: c.body.links.map((l) => ({ ...l, stock_id: euStock })) } }
            : c,
        ),
      };
      writeFileSync(join(dir, "plan.json"), JSON.stringify(edited));
      const result = await runInv(["apply", "plan.json", "--yes"], { env, cwd: dir });
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(
        `link "US Stock" <- ne_wh: planned from stock ${euStock} "US Stock", now stock ${euStock} is "EU Stock"`,
      );
      // The two stocks created above, and nothing since.
      expect(writes(sandbox)).toBe(2);
    } finally {
      await sandbox.close();
    }
  });
});

describe("inv apply plan.json applies only what its inventory files imply", () => {
  it("refuses a change added to both changes and calls that the file does not imply, and writes nothing", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const plan = readPlan(dir);
      // An unassignment no reviewer saw, of a SKU the file does not declare, with its call.
      const changes = [
        ...plan.changes,
        {
          kind: "source-item" as const,
          action: "delete" as const,
          sku: "24-WB01",
          source: "default",
          before: { quantity: 100, status: "in_stock" as const },
          after: null,
        },
      ];
      writeFileSync(
        join(dir, "plan.json"),
        JSON.stringify({ ...plan, changes, calls: deriveCalls({ ...plan, changes }) }),
      );
      const result = await runInv(["apply", "plan.json", "--yes", "--allow-destroy"], { env, cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `plan.json was changed after it was planned: change ${plan.changes.length} (source item 24-WB01 @ default): the plan has it, its files give no such change (they imply ${plan.changes.length}). Nothing was sent.`,
      );
      expect(writes(sandbox)).toBe(0);
      expect(quantity(sandbox, "24-WB01", "default")).toBe(100);

      // Edited in place instead: a quantity the file does not declare.
      const edited = plan.changes.map((c) =>
        c.kind === "source-item" && c.after ? { ...c, after: { ...c.after, quantity: 1 } } : c,
      );
      writeFileSync(
        join(dir, "plan.json"),
        JSON.stringify({ ...plan, changes: edited, calls: deriveCalls({ ...plan, changes: edited }) }),
      );
      const quantityEdited = await runInv(["apply", "plan.json", "--yes"], { env, cwd: dir });
      expect(quantityEdited.code).toBe(1);
      expect(quantityEdited.stderr).toMatch(
        /change \d+ \(source item 24-MB01 @ default\), after\.quantity: the plan has 1, its files give 60/,
      );
      expect(writes(sandbox)).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("refuses a plan whose file changed since, naming the file and both hashes", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const requests = sandbox.stats.requests;
      writeFileSync(join(dir, "inventory.yaml"), FILE.replace("24-MB04: { default: 7 }", "24-MB04: { default: 0 }"));
      const result = await runInv(["apply", "plan.json", "--yes"], { env, cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /inventory\.yaml is not the file plan\.json was made from: its SHA-256 is [0-9a-f]{12}…, the plan's [0-9a-f]{12}…\. Nothing was sent\./,
      );
      expect(sandbox.stats.requests).toBe(requests);
    } finally {
      await sandbox.close();
    }
  });

  it("finds the files from the plan's own directory, and says where it looked when they are in neither", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const requests = sandbox.stats.requests;
      const elsewhere = workspace({});
      writeFileSync(join(elsewhere, "plan.json"), readFileSync(join(dir, "plan.json")));
      const lost = await runInv(["apply", "plan.json", "--yes"], { env, cwd: elsewhere });
      expect(lost.code).toBe(1);
      expect(lost.stderr).toContain(`plan.json was made from inventory.yaml, which is not in "${elsewhere}"`);
      expect(lost.stderr).toContain("Run `inv apply` in the directory `inv plan` ran in");
      expect(sandbox.stats.requests).toBe(requests);
      const fromThere = await runInv(["apply", join(dir, "plan.json"), "--yes"], { env, cwd: elsewhere });
      expect(fromThere.stderr).toBe("");
      expect(fromThere.code).toBe(0);
      expect(quantity(sandbox, "24-MB04", "default")).toBe(7);
    } finally {
      await sandbox.close();
    }
  });

  it("refuses a plan whose files now include a CSV file it was not made from", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": "version: 1\ncsv: ['*.csv']\n",
        "a.csv": "sku,source_code,quantity\n24-MB01,default,60\n",
      });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const requests = sandbox.stats.requests;
      writeFileSync(join(dir, "b.csv"), "sku,source_code,quantity\n24-MB04,default,1\n");
      const result = await runInv(["apply", "plan.json", "--yes"], { env, cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("the inventory now also reads b.csv, which plan.json was not made from");
      expect(sandbox.stats.requests).toBe(requests);
    } finally {
      await sandbox.close();
    }
  });

  it("takes consent and limits from the file, and counts units from the changes, not the stored summary", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: dir })).code).toBe(0);
      const plan = readPlan(dir);
      const policy = { allow_destroy: true, max_unassign: null, max_units_removed: null };
      writeFileSync(join(dir, "plan.json"), JSON.stringify({ ...plan, policy }));
      const consented = await runInv(["apply", "plan.json", "--yes"], { env, cwd: dir });
      expect(consented.code).toBe(1);
      expect(consented.stderr).toContain(
        'its policy is {"allow_destroy":true,"max_unassign":null,"max_units_removed":null}, its files set {"allow_destroy":false,',
      );
      // A summary that claims nothing is removed does not lift the limit: 24-MB01 goes 100 -> 60, 24-MB04 100 -> 7.
      const summary = { ...plan.summary, units_by_source: [], destructive: 0 };
      writeFileSync(join(dir, "plan.json"), JSON.stringify({ ...plan, summary }));
      const limited = await runInv(["apply", "plan.json", "--yes", "--max-units-removed", "10"], { env, cwd: dir });
      expect(limited.code).toBe(6);
      expect(limited.stderr).toContain("133 units removed, above the limit of 10");
      expect(limited.stderr).toContain("source default: removes 133 units (limit 10 in all)");
      expect(writes(sandbox)).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});
