// For the intents of Magento's own documentation pages, inv's plan sends their payloads.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apply, plan } from "../../src/pipeline.js";
import { freshState, type SandboxState } from "../../src/sandbox/index.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";

const seed000 = JSON.parse(readFileSync(new URL("../fixtures/seeds/seed-000.json", import.meta.url), "utf8")) as {
  source_items_delete: { sourceItems: object[] };
  source_items_save: { sourceItems: object[] };
};
const seed004 = JSON.parse(readFileSync(new URL("../fixtures/seeds/seed-004.json", import.meta.url), "utf8")) as {
  stock_source_links: { links: { source_code: string; stock_id: string; priority: number }[] };
};

const tutorialSources = JSON.parse(
  readFileSync(new URL("../fixtures/seeds/tutorial-sources.json", import.meta.url), "utf8"),
) as { sources: { source: Record<string, unknown> }[] };

/** The one call to a route, whose body must be the seed's payload byte for byte (as JSON text). */
function onlyBodyTo(calls: readonly { path: string; body: unknown }[], path: string): string {
  const sent = calls.filter((c) => c.path === path);
  expect(sent, path).toHaveLength(1);
  return JSON.stringify(sent[0]!.body);
}

const SEED_000_SOURCES = ["ne_wh", "west_wh", "brooklyn", "huntington", "manhattan", "berkeley", "sausalito", "hq"]
  .map((code) => `  ${code}: { name: "${code} source", country_id: US, postcode: "10001" }`)
  .join("\n");

describe("seed 000: reassign products to custom sources", () => {
  it("unassigns the three SKUs from default, assigns them the seed's quantities, payload for payload", async () => {
    const { sandbox, client } = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1
sources:
${SEED_000_SOURCES}
products:
  24-WB01: { ne_wh: 35, brooklyn: 10, huntington: 10, manhattan: 10, west_wh: 15, berkeley: 10, sausalito: 10 }
  24-WB03: { ne_wh: 50, brooklyn: 0, huntington: 0, manhattan: 0, west_wh: 10, berkeley: 20, sausalito: 20 }
  240-LV06: { hq: 9999 }
`,
      });
      const { plan: result } = await plan({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      // Byte for byte: the SKUs and each SKU's sources in the order the file (and the seed) lists them.
      expect(onlyBodyTo(result.calls, "V1/inventory/source-items-delete")).toBe(
        JSON.stringify(seed000.source_items_delete),
      );
      expect(onlyBodyTo(result.calls, "V1/inventory/source-items")).toBe(JSON.stringify(seed000.source_items_save));
      // The changes and the renderings stay sorted by source code (the unassignment last).
      const wb01 = result.changes.filter((c) => c.kind === "source-item" && c.sku === "24-WB01");
      expect(wb01.map((c) => (c.kind === "source-item" ? c.source : ""))).toEqual([
        "berkeley",
        "brooklyn",
        "huntington",
        "manhattan",
        "ne_wh",
        "sausalito",
        "west_wh",
        "default",
      ]);
      // Saves come before deletes: the SKUs never stand without a source.
      const saveAt = result.calls.findIndex((c) => c.path === "V1/inventory/source-items");
      const deleteAt = result.calls.findIndex((c) => c.path === "V1/inventory/source-items-delete");
      expect(saveAt).toBeGreaterThanOrEqual(0);
      expect(saveAt).toBeLessThan(deleteAt);
    } finally {
      await sandbox.close();
    }
  });
});

describe("seed 004: link stocks and sources", () => {
  it("links UK Stock (2) and US Stock (3) to their sources with the seed's payload", async () => {
    const state: SandboxState = freshState();
    const source = (code: string, country: string) => ({
      source_code: code,
      name: code,
      enabled: true,
      country_id: country,
      postcode: "00001",
    });
    const initialState: SandboxState = {
      ...state,
      websites: [...state.websites, { website_id: 2, code: "uk_site", name: "UK" }],
      sources: [
        ...state.sources,
        source("uk_warehouse", "GB"),
        source("uk_store", "GB"),
        source("de_warehouse", "DE"),
        source("us_warehouse", "US"),
      ],
      stocks: [
        ...state.stocks,
        { stock_id: 2, name: "UK Stock", sales_channels: [] },
        { stock_id: 3, name: "US Stock", sales_channels: [] },
      ],
      next_stock_id: 4,
    };
    const { sandbox, client } = await openSandbox({ initialState });
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1
stocks:
  UK Stock:
    sources: [uk_warehouse, uk_store, de_warehouse]
  US Stock:
    sources: [us_warehouse, uk_warehouse]
`,
      });
      const { plan: result } = await plan({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      // The seed sends stock_id as "2"/"3"; Magento's TypeProcessor reads both as int. Otherwise byte for byte.
      const expected = seed004.stock_source_links.links.map((l) => ({ ...l, stock_id: Number(l.stock_id) }));
      expect(onlyBodyTo(result.calls, "V1/inventory/stock-source-links")).toBe(JSON.stringify({ links: expected }));
    } finally {
      await sandbox.close();
    }
  });
});

/** The tutorial's payload as a file declares it: the same fields in the same order, the code as the key. */
function declaredAsInFile(payload: Record<string, unknown>): string {
  const { source_code, extension_attributes, ...fields } = payload;
  const flat = { ...fields, ...(extension_attributes as Record<string, unknown> | undefined) };
  const body = Object.entries(flat)
    .map(([field, value]) => `    ${field}: ${JSON.stringify(value)}`)
    .join("\n");
  return `  ${String(source_code)}:\n${body}`;
}

describe("tutorial step 2: create sources", () => {
  it("sends each source's payload byte for byte, and nothing Magento fills by itself", async () => {
    const { sandbox, client } = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1\nsources:\n${tutorialSources.sources.map((p) => declaredAsInFile(p.source)).join("\n")}\n`,
      });
      const { plan: result } = await plan({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      const creates = result.calls.filter((c) => c.path === "V1/inventory/sources");
      expect(creates).toHaveLength(tutorialSources.sources.length);
      const sent = new Map(creates.map((c) => [(c.body as { source: { source_code: string } }).source.source_code, c]));
      for (const payload of tutorialSources.sources) {
        const call = sent.get(String(payload.source["source_code"]));
        expect(call?.method).toBe("POST");
        expect(JSON.stringify(call?.body)).toBe(JSON.stringify(payload));
      }
      // Magento fills the rest (enabled, the pickup flag, the frontend name); the plan knew what it would be.
      await apply({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      expect(sandbox.store.snapshot().sources.find((x) => x.source_code === "hq")).toMatchObject({
        is_pickup_location_active: false,
        frontend_name: "HQ",
        frontend_description: null,
      });
      const again = await plan({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      expect(again.plan.changes).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it("a source the file declares with the required fields only is created with exactly those", async () => {
    const { sandbox, client } = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1\nsources:\n  east: { name: East, country_id: US, postcode: "10001" }\n`,
      });
      const { plan: result } = await plan({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      expect(onlyBodyTo(result.calls, "V1/inventory/sources")).toBe(
        JSON.stringify({ source: { name: "East", source_code: "east", country_id: "US", postcode: "10001" } }),
      );
      // The plan still shows what the store will hold, defaults included.
      expect(result.changes[0]).toMatchObject({
        kind: "source",
        action: "create",
        after: { enabled: true, is_pickup_location_active: false, frontend_name: "East" },
        changed: ["name", "country_id", "postcode"],
      });
      await apply({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      expect((await plan({ file: "inventory.yaml", cwd: dir, client: client(), git: null })).plan.changes).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});
