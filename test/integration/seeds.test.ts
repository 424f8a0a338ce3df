// For the intents of Magento's own documentation pages, inv's plan sends their payloads.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { plan } from "../../src/pipeline.js";
import { freshState, type SandboxState } from "../../src/sandbox/index.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";

const seed000 = JSON.parse(readFileSync(new URL("../fixtures/seeds/seed-000.json", import.meta.url), "utf8")) as {
  source_items_delete: { sourceItems: object[] };
  source_items_save: { sourceItems: object[] };
};
const seed004 = JSON.parse(readFileSync(new URL("../fixtures/seeds/seed-004.json", import.meta.url), "utf8")) as {
  stock_source_links: { links: { source_code: string; stock_id: string; priority: number }[] };
};

/** Items of every call to a route, in a stable order, to compare as sets. */
function itemsSentTo(calls: readonly { path: string; body: unknown }[], path: string, key: string): object[] {
  return calls
    .filter((c) => c.path === path)
    .flatMap((c) => (c.body as Record<string, object[]>)[key] ?? [])
    .map((item) => JSON.stringify(item, Object.keys(item).sort()))
    .sort()
    .map((text) => JSON.parse(text) as object);
}

function asSet(items: readonly object[]): object[] {
  return items
    .map((item) => JSON.parse(JSON.stringify(item, Object.keys(item).sort())) as object)
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
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
      expect(itemsSentTo(result.calls, "V1/inventory/source-items-delete", "sourceItems")).toEqual(
        asSet(seed000.source_items_delete.sourceItems),
      );
      expect(itemsSentTo(result.calls, "V1/inventory/source-items", "sourceItems")).toEqual(
        asSet(seed000.source_items_save.sourceItems),
      );
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
      const linkCalls = result.calls.filter((c) => c.path === "V1/inventory/stock-source-links");
      expect(linkCalls).toHaveLength(1);
      // The seed sends stock_id as "2"/"3"; Magento's TypeProcessor reads both as int.
      const expected = seed004.stock_source_links.links.map((l) => ({ ...l, stock_id: Number(l.stock_id) }));
      expect(itemsSentTo(result.calls, "V1/inventory/stock-source-links", "links")).toEqual(asSet(expected));
    } finally {
      await sandbox.close();
    }
  });
});
