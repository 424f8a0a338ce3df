// inv export against the sandbox: the live store in our format, read back by inv itself.
// The round trip is the test that matters: export, then plan against the same store = no changes.

import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exportStore } from "../../src/export/export-store.js";
import { EXPORT_FIELD_ORDER } from "../../src/export/inventory-yaml.js";
import { SOURCE_FIELDS } from "../../src/model.js";
import { loadInventory } from "../../src/inventory/load-inventory.js";
import { plan } from "../../src/pipeline.js";
import { freshState, type SandboxState } from "../../src/sandbox/index.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";

const EXAMPLE = new URL("../../inventory.example.yaml", import.meta.url);

/**
 * A store with what a real one has and the example lacks: odd SKUs and codes, gaps in priorities, out-of-stock items.
 */
function awkwardStore(): SandboxState {
  const fresh = freshState();
  const skus = [
    "0012",
    "1e3",
    "SKU,with,commas",
    "a: b # c",
    "true",
    "null",
    "Ünïcødé-sku",
    "-dash",
    'quote"d',
    "=SUM(A1)",
    "+plus",
    "@at",
    "'-apostrophe",
  ];
  return {
    ...fresh,
    websites: [...fresh.websites, { website_id: 2, code: "eu", name: "EU Website" }],
    sources: [
      ...fresh.sources,
      {
        source_code: "ne_wh",
        name: "Northeast Warehouse",
        enabled: true,
        description: 'Line one\nline two: "quoted" # not a comment',
        contact_name: "Dana O'Neil",
        email: "ne@example.com",
        phone: "+1 (201) 555-0107",
        country_id: "US",
        region_id: 41,
        city: "Jersey City",
        street: "160 Harbor Drive, Unit 4",
        postcode: "07306",
        latitude: 40.73379,
        longitude: -74.05872,
        is_pickup_location_active: false,
        frontend_name: "NE pickup",
        frontend_description: "",
      },
      {
        source_code: "uk.london-1",
        name: "London",
        enabled: false,
        country_id: "GB",
        postcode: "SW1A 1AA",
        region: "Greater London",
      },
      {
        source_code: "west",
        name: "West",
        enabled: true,
        country_id: "US",
        postcode: "94607",
        latitude: null,
        longitude: null,
      },
    ],
    stocks: [
      ...fresh.stocks,
      { stock_id: 2, name: "US Stock", sales_channels: [] },
      { stock_id: 3, name: "EU: Stock", sales_channels: [{ type: "website", code: "eu" }] },
    ],
    links: [
      ...fresh.links,
      { stock_id: 2, source_code: "ne_wh", priority: 1 },
      { stock_id: 2, source_code: "west", priority: 2 },
      { stock_id: 2, source_code: "uk.london-1", priority: 10 },
      { stock_id: 3, source_code: "uk.london-1", priority: 3 },
    ],
    source_items: [
      ...fresh.source_items,
      ...skus.map((sku, i) => ({ sku, source_code: "ne_wh", quantity: i + 0.5, status: 1 })),
      { sku: "24-WB01", source_code: "west", quantity: 0, status: 0 },
      { sku: "24-WB01", source_code: "uk.london-1", quantity: 12.3456, status: 1 },
      { sku: "24-WB03", source_code: "west", quantity: -2, status: 0 },
    ],
    products: [...fresh.products, ...skus.map((sku) => ({ sku, name: sku, type_id: "simple" as const }))],
    next_stock_id: 4,
  };
}

describe("inv export", () => {
  it("round trip: the example applied, exported, then planned against the same store gives no changes", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({});
      copyFileSync(EXAMPLE, join(dir, "inventory.yaml"));
      expect((await runInv(["apply", "--yes", "--allow-destroy"], { cwd: dir, env })).code).toBe(0);
      const exported = await runInv(["export", "--out", "exported.yaml"], { cwd: dir, env });
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stderr).toContain("Exported 9 sources, 3 stocks and 15 products (27 source items)");
      const validated = await runInv(["validate", "-f", "exported.yaml"], { cwd: dir, env: {} });
      expect(validated.code, validated.stderr).toBe(0);
      const planned = await runInv(["plan", "-f", "exported.yaml", "--detailed-exitcode"], { cwd: dir, env });
      expect(planned.code, planned.stdout + planned.stderr).toBe(0);
      expect(planned.stdout).toContain("No changes.");
    } finally {
      await sandbox.close();
    }
  });

  it("round trip with awkward names, gaps in priorities and out-of-stock items", async () => {
    const { sandbox, client } = await openSandbox({ initialState: awkwardStore() });
    try {
      const dir = workspace({});
      const out = join(dir, "inventory.yaml");
      const result = await exportStore({ client: client(), cwd: dir, outFile: out });
      writeFileSync(out, result.yaml);
      expect(result.warnings).toEqual([]);
      const again = await plan({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      expect(again.plan.changes).toEqual([]);
      // What inv reads back is what the store holds.
      expect(again.desired.products.get("SKU,with,commas")?.assignments).toEqual([
        { source: "ne_wh", quantity: 2.5, status: "in_stock" },
      ]);
      expect(again.desired.products.get("24-WB03")?.assignments).toContainEqual({
        source: "west",
        quantity: -2,
        status: "out_of_stock",
      });
      expect(again.desired.sources.get("ne_wh")?.fields.description).toBe(
        'Line one\nline two: "quoted" # not a comment',
      );
    } finally {
      await sandbox.close();
    }
  });

  it("writes every source field, quotes postcodes, names a priority only where the count 1, 2, 3 breaks", async () => {
    const { sandbox, client } = await openSandbox({ initialState: awkwardStore() });
    try {
      const { yaml } = await exportStore({ client: client(), cwd: workspace({}) });
      const doc = parse(yaml) as {
        sources: Record<string, Record<string, unknown>>;
        stocks: Record<string, { sales_channels: unknown; sources: unknown[] }>;
        products: Record<string, unknown>;
      };
      expect([...EXPORT_FIELD_ORDER].sort()).toEqual([...SOURCE_FIELDS].sort());
      for (const source of Object.values(doc.sources))
        expect(Object.keys(source).sort()).toEqual([...SOURCE_FIELDS].sort());
      expect(yaml).toContain('    postcode: "07306"');
      expect(yaml).toContain('    postcode: "00000"');
      expect(yaml).toContain('    postcode: "SW1A 1AA"');
      expect(doc.sources["ne_wh"]?.["frontend_description"]).toBeNull();
      expect(doc.sources["uk.london-1"]?.["enabled"]).toBe(false);
      expect(doc.stocks["US Stock"]?.sources).toEqual(["ne_wh", "west", { source: "uk.london-1", priority: 10 }]);
      expect(doc.stocks["EU: Stock"]).toEqual({
        sales_channels: { website: ["eu"] },
        sources: [{ source: "uk.london-1", priority: 3 }],
      });
      expect(doc.stocks["Default Stock"]).toEqual({ sales_channels: { website: ["base"] }, sources: ["default"] });
      expect(doc.products["24-WB01"]).toEqual({
        default: 100,
        "uk.london-1": 12.3456,
        west: { quantity: 0, status: "out_of_stock" },
      });
      expect(Object.keys(doc.products)).toContain("0012");
      expect(yaml.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=\S+schemas\/inventory\.schema\.json$/);
    } finally {
      await sandbox.close();
    }
  });

  it("is deterministic: the same store exports the same bytes, whatever order the store answers in", async () => {
    const state = awkwardStore();
    const reversed: SandboxState = {
      ...state,
      sources: [...state.sources].reverse(),
      links: [...state.links].reverse(),
      source_items: [...state.source_items].reverse(),
    };
    const a = await openSandbox({ initialState: state });
    const b = await openSandbox({ initialState: reversed });
    try {
      const dir = workspace({});
      const first = await exportStore({ client: a.client(), cwd: dir });
      const second = await exportStore({ client: a.client({ pageSize: 3, concurrency: 3 }), cwd: dir });
      const third = await exportStore({ client: b.client(), cwd: dir });
      expect(second.yaml).toBe(first.yaml);
      expect(third.yaml).toBe(first.yaml);
    } finally {
      await a.sandbox.close();
      await b.sandbox.close();
    }
  });

  it("--csv DIR writes quantities as CSV that the file reads back: round trip", async () => {
    const { sandbox, env } = await openSandbox({ initialState: awkwardStore() });
    try {
      const dir = workspace({});
      const r = await runInv(["export", "--out", "shop/inventory.yaml", "--csv", "shop/quantities"], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain("to shop/inventory.yaml and shop/quantities/source-items.csv");
      const yaml = readFileSync(join(dir, "shop/inventory.yaml"), "utf8");
      expect(yaml).toContain("csv: [quantities/source-items.csv]");
      expect(yaml).not.toContain("products:");
      const csv = readFileSync(join(dir, "shop/quantities/source-items.csv"), "utf8").split("\n");
      expect(csv[0]).toBe("sku,source_code,quantity,status");
      expect(csv).toContain('"SKU,with,commas",ne_wh,2.5,1');
      expect(csv).toContain("24-WB01,west,0,0");
      expect(csv).toContain('"quote""d",ne_wh,8.5,1');
      // Cells a spreadsheet would run as formulas start with an apostrophe, which inv's reader takes off.
      expect(csv).toContain("'-dash,ne_wh,7.5,1");
      expect(csv).toContain("'=SUM(A1),ne_wh,9.5,1");
      expect(csv).toContain("'+plus,ne_wh,10.5,1");
      expect(csv).toContain("'@at,ne_wh,11.5,1");
      expect(csv).toContain("''-apostrophe,ne_wh,12.5,1");
      expect(csv).toContain("24-WB03,west,-2,0");
      const planned = await runInv(["plan", "-f", "shop/inventory.yaml", "--detailed-exitcode"], { cwd: dir, env });
      expect(planned.code, planned.stdout + planned.stderr).toBe(0);
      expect(planned.stdout).toContain("No changes.");
      const desired = loadInventory("shop/inventory.yaml", { cwd: dir });
      for (const sku of ["-dash", "=SUM(A1)", "+plus", "@at", "'-apostrophe"])
        expect(desired.products.get(sku)?.assignments, sku).toHaveLength(1);
    } finally {
      await sandbox.close();
    }
  });

  it("beyond 10,000 products, says on stderr that --csv keeps the file reviewable", async () => {
    const many = (count: number): SandboxState => {
      const fresh = freshState();
      const skus = Array.from({ length: count }, (_, i) => `SKU-${String(i).padStart(5, "0")}`);
      return {
        ...fresh,
        products: [...fresh.products, ...skus.map((sku) => ({ sku, name: sku, type_id: "simple" as const }))],
        source_items: skus.map((sku) => ({ sku, source_code: "default", quantity: 1, status: 1 })),
      };
    };
    const note =
      "inv: note: the file lists 10,001 products; export with --csv DIR to write their quantities to DIR/source-items.csv, which keeps the YAML file short enough to review.";
    const large = await openSandbox({ initialState: many(10_001) });
    const limit = await openSandbox({ initialState: many(10_000) });
    try {
      const dir = workspace({});
      const yaml = await runInv(["export", "--out", "a.yaml"], { cwd: dir, env: large.env });
      expect(yaml.code, yaml.stderr).toBe(0);
      expect(yaml.stderr).toContain(note);
      const csv = await runInv(["export", "--out", "b.yaml", "--csv", "q"], { cwd: dir, env: large.env });
      expect(csv.code, csv.stderr).toBe(0);
      expect(csv.stderr).not.toContain("inv: note:");
      const atLimit = await runInv(["export", "--out", "c.yaml"], { cwd: dir, env: limit.env });
      expect(atLimit.code, atLimit.stderr).toBe(0);
      expect(atLimit.stderr).not.toContain("inv: note:");
    } finally {
      await large.sandbox.close();
      await limit.sandbox.close();
    }
  }, 60_000);

  it("to stdout: the file and nothing else on stdout, the summary on stderr", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const r = await runInv(["export"], { cwd: workspace({}), env });
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith("# yaml-language-server: $schema=")).toBe(true);
      expect(parse(r.stdout)).toMatchObject({ version: 1, stocks: { "Default Stock": { sources: ["default"] } } });
      expect(r.stderr).toMatch(/^Exported 1 source, 1 stock and \d+ products/m);
    } finally {
      await sandbox.close();
    }
  });

  it("does not overwrite an existing file without --force", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": "version: 1\n# hand-written\n" });
      const refused = await runInv(["export", "--out", "inventory.yaml"], { cwd: dir, env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("inventory.yaml exists; inv export does not overwrite it.");
      expect(readFileSync(join(dir, "inventory.yaml"), "utf8")).toContain("hand-written");
      const forced = await runInv(["export", "--out", "inventory.yaml", "--force"], { cwd: dir, env });
      expect(forced.code).toBe(0);
      expect(readFileSync(join(dir, "inventory.yaml"), "utf8")).toContain("Default Stock:");
    } finally {
      await sandbox.close();
    }
  });

  it("equal priorities, which the file cannot express, are listed in source order with a warning", async () => {
    const state = freshState();
    const { sandbox, env } = await openSandbox({
      initialState: {
        ...state,
        sources: [
          ...state.sources,
          { source_code: "a", name: "A", enabled: true, country_id: "US", postcode: "1" },
          { source_code: "b", name: "B", enabled: true, country_id: "US", postcode: "2" },
        ],
        stocks: [...state.stocks, { stock_id: 2, name: "Tied", sales_channels: [] }],
        links: [
          ...state.links,
          { stock_id: 2, source_code: "b", priority: 4 },
          { stock_id: 2, source_code: "a", priority: 4 },
        ],
        next_stock_id: 3,
      },
    });
    try {
      const dir = workspace({});
      const r = await runInv(["export", "--out", "inventory.yaml"], { cwd: dir, env });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        'inv: warning: stock "Tied" gives source "b" the same priority (4) as the source before it',
      );
      expect(readFileSync(join(dir, "inventory.yaml"), "utf8")).toContain("sources: [{ source: a, priority: 4 }, b]");
      expect(existsSync(join(dir, "inventory.yaml"))).toBe(true);
    } finally {
      await sandbox.close();
    }
  });
});
