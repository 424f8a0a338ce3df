// Stocks renamed in place (`renamed_from`) and deleted explicitly (`Old Stock: { delete: true }`),
// against the sandbox: one stock update with the same id, links and channels kept; a delete
// with consent, its links gone with it; Magento's refusals said before any call.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apply, plan } from "../../src/pipeline.js";
import type { Plan } from "../../src/plan/plan.js";
import { renderMarkdown } from "../../src/render/render-markdown.js";
import { renderText } from "../../src/render/render-text.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";

const SOURCES = `sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
  west_wh: { name: West Warehouse, country_id: US, postcode: "94607" }
`;

/** The store a first file made: "US Stock" selling on base, linked to both sources; "Outlet" linked to west_wh. */
async function storeWithStocks(): Promise<{ handle: SandboxHandle; dir: string; usId: number; outletId: number }> {
  const handle = await openSandbox();
  const dir = workspace({
    "inventory.yaml": `version: 1
${SOURCES}stocks:
  US Stock:
    sales_channels: { website: [base] }
    sources: [ne_wh, west_wh]
  Outlet:
    sources: [west_wh]
`,
  });
  const first = await runInv(["apply", "--yes"], { env: handle.env, cwd: dir });
  expect(first.code, first.stderr).toBe(0);
  const stocks = handle.sandbox.store.snapshot().stocks;
  const id = (name: string) => stocks.find((s) => s.name === name)!.stock_id;
  return { handle, dir, usId: id("US Stock"), outletId: id("Outlet") };
}

function writes(handle: SandboxHandle): number {
  return Object.entries(handle.sandbox.stats.byRoute)
    .filter(([route]) => !route.startsWith("GET "))
    .reduce((sum, [, n]) => sum + n, 0);
}

describe("renamed_from", () => {
  it("renames a stock in place: one update with the same id, links and channels kept", async () => {
    const { handle, dir, usId } = await storeWithStocks();
    try {
      writeFileSync(
        join(dir, "inventory.yaml"),
        `version: 1
${SOURCES}stocks:
  North America:
    renamed_from: US Stock
    sources: [ne_wh, west_wh]
  Outlet:
    sources: [west_wh]
`,
      );
      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(planned.changes).toEqual([
        {
          kind: "stock",
          action: "update",
          stock: "North America",
          stock_id: usId,
          before: { name: "US Stock", sales_channels: [{ type: "website", code: "base" }] },
          after: { name: "North America", sales_channels: [{ type: "website", code: "base" }] },
          changed: ["name"],
          notes: [],
        },
      ]);
      expect(planned.calls.map((c) => [c.method, c.path, c.description, c.body])).toEqual([
        [
          "PUT",
          `V1/inventory/stocks/${usId}`,
          'rename stock "US Stock" to "North America"',
          {
            stock: {
              stock_id: usId,
              name: "North America",
              extension_attributes: { sales_channels: [{ type: "website", code: "base" }] },
            },
          },
        ],
      ]);
      // Every rendering says rename.
      expect(renderText(planned, { color: false })).toContain(
        `~  rename stock "US Stock" to "North America" (id ${usId})`,
      );
      expect(renderMarkdown(planned)).toContain(
        `| rename | \`North America\` | ${usId} | renamed from \`US Stock\` to \`North America\`, in place |`,
      );
      const json = JSON.parse(
        (await runInv(["plan", "--format", "json"], { env: handle.env, cwd: dir })).stdout,
      ) as Plan;
      expect(json.changes[0]).toMatchObject({ changed: ["name"], before: { name: "US Stock" } });
      expect(json.calls[0]?.description).toBe('rename stock "US Stock" to "North America"');

      const before = handle.sandbox.store.snapshot();
      const applied = await apply({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(applied.report?.failed).toBe(0);
      const after = handle.sandbox.store.snapshot();
      expect(after.stocks.find((s) => s.stock_id === usId)?.name).toBe("North America");
      expect(after.stocks).toHaveLength(before.stocks.length);
      expect(after.links).toEqual(before.links);
      // Done: the new name is in the store, so renamed_from has nothing left to do.
      expect(
        (await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null })).plan.changes,
      ).toEqual([]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("a saved plan of a rename applies: its links still name the stock by its old name", async () => {
    const { handle, dir, usId } = await storeWithStocks();
    try {
      writeFileSync(
        join(dir, "inventory.yaml"),
        `version: 1
${SOURCES}stocks:
  North America:
    renamed_from: US Stock
    sources: [west_wh, ne_wh]
`,
      );
      const saved = await runInv(["plan", "--out", "plan.json"], { env: handle.env, cwd: dir });
      expect(saved.code, saved.stderr).toBe(0);
      const applied = await runInv(["apply", "plan.json", "--yes"], { env: handle.env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
      const state = handle.sandbox.store.snapshot();
      expect(state.stocks.find((s) => s.stock_id === usId)?.name).toBe("North America");
      expect(
        state.links
          .filter((l) => l.stock_id === usId)
          .sort((a, b) => a.priority - b.priority)
          .map((l) => l.source_code),
      ).toEqual(["west_wh", "ne_wh"]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("is refused when the store has both the old and the new name, before any call", async () => {
    const { handle, dir } = await storeWithStocks();
    try {
      writeFileSync(
        join(dir, "inventory.yaml"),
        `version: 1
${SOURCES}stocks:
  Outlet:
    renamed_from: US Stock
`,
      );
      const sent = writes(handle);
      const refused = await runInv(["apply", "--yes"], { env: handle.env, cwd: dir });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(
        'inventory.yaml:7:19 stock "Outlet" is renamed from "US Stock", but the store has both:',
      );
      expect(refused.stderr).toContain('or delete the old one ("US Stock": { delete: true }).');
      expect(writes(handle)).toBe(sent);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("creates the stock when the old name is in no store, and says so", async () => {
    const handle = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1\n${SOURCES}stocks:\n  Europe:\n    renamed_from: EU Stock\n    sources: [ne_wh]\n`,
      });
      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(planned.changes.find((c) => c.kind === "stock")).toMatchObject({
        kind: "stock",
        action: "create",
        stock: "Europe",
        notes: ['renamed_from "EU Stock" names no stock in the store, so this stock is created'],
      });
      expect(renderText(planned, { color: false })).toContain(
        'note: renamed_from "EU Stock" names no stock in the store, so this stock is created',
      );
    } finally {
      await handle.sandbox.close();
    }
  });

  it("renames the Default Stock, which Magento allows, and keeps its link to default", async () => {
    const handle = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1\nstocks:\n  Main Stock:\n    renamed_from: Default Stock\n    sources: [default]\n`,
      });
      const applied = await runInv(["apply", "--yes"], { env: handle.env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
      const state = handle.sandbox.store.snapshot();
      expect(state.stocks.find((s) => s.stock_id === 1)?.name).toBe("Main Stock");
      expect(state.links.filter((l) => l.stock_id === 1).map((l) => l.source_code)).toEqual(["default"]);
    } finally {
      await handle.sandbox.close();
    }
  });
});

describe("delete: true", () => {
  it("deletes a stock with --allow-destroy, its links with it, and nothing without consent", async () => {
    const { handle, dir, outletId } = await storeWithStocks();
    try {
      writeFileSync(join(dir, "inventory.yaml"), `version: 1\n${SOURCES}stocks:\n  Outlet: { delete: true }\n`);
      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(planned.changes).toEqual([
        {
          kind: "stock",
          action: "delete",
          stock: "Outlet",
          stock_id: outletId,
          before: { name: "Outlet", sales_channels: [] },
          after: null,
          changed: [],
          notes: [],
        },
      ]);
      expect(planned.summary.destructive).toBe(1);
      expect(planned.calls.map((c) => `${c.method} ${c.path}`)).toEqual([`DELETE V1/inventory/stocks/${outletId}`]);

      const sent = writes(handle);
      const refused = await runInv(["apply", "--yes"], { env: handle.env, cwd: dir });
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain("--allow-destroy");
      expect(writes(handle)).toBe(sent);

      const applied = await runInv(["apply", "--yes", "--allow-destroy"], { env: handle.env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
      const state = handle.sandbox.store.snapshot();
      expect(state.stocks.map((s) => s.name)).not.toContain("Outlet");
      expect(state.links.filter((l) => l.stock_id === outletId)).toEqual([]);
      // Deleted is done: the tombstone plans nothing more.
      const again = await runInv(["plan", "--detailed-exitcode"], { env: handle.env, cwd: dir });
      expect(again.code, again.stdout).toBe(0);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("is refused before any call for a stock that still sells, and for the Default Stock", async () => {
    const { handle, dir } = await storeWithStocks();
    try {
      writeFileSync(
        join(dir, "inventory.yaml"),
        `version: 1\n${SOURCES}stocks:\n  US Stock: { delete: true }\n  Default Stock: { delete: true }\n`,
      );
      const sent = writes(handle);
      const refused = await runInv(["apply", "--yes", "--allow-destroy"], { env: handle.env, cwd: dir });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(
        'inventory.yaml:6:3 stock "US Stock" would be deleted, but it still sells on website "base"; Magento refuses to delete a stock that has sales channels',
      );
      expect(refused.stderr).toContain(
        'inventory.yaml:7:3 stock "Default Stock" is Magento\'s Default Stock, which cannot be deleted',
      );
      expect(writes(handle)).toBe(sent);

      // Giving its website to another stock in the same file lets it go.
      writeFileSync(
        join(dir, "inventory.yaml"),
        `version: 1\n${SOURCES}stocks:\n  US Stock: { delete: true }\n  Outlet:\n    sales_channels: { website: [base] }\n`,
      );
      const applied = await runInv(["apply", "--yes", "--allow-destroy"], { env: handle.env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
      const state = handle.sandbox.store.snapshot();
      expect(state.stocks.map((s) => s.name)).not.toContain("US Stock");
    } finally {
      await handle.sandbox.close();
    }
  });

  it("stands alone: a deleted stock with anything beside it is a problem of the file", async () => {
    const dir = workspace({
      "inventory.yaml": `version: 1\n${SOURCES}stocks:\n  Outlet:\n    delete: true\n    sources: [west_wh]\n`,
    });
    const result = await runInv(["validate"], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'inventory.yaml:8:5 stock "Outlet" is deleted (delete: true) and also has sources; a deleted stock has nothing else.',
    );
  });
});
