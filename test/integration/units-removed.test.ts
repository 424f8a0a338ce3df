// No unit leaves the store unseen: units that go by any path (an unassignment, a quantity
// lowered after a transfer brought it) are removed units, destructive and counted, and a move
// the file still declares after it was done runs again only with consent.

import { describe, expect, it } from "vitest";
import { plan } from "../../src/pipeline.js";
import { renderText } from "../../src/render/render-text.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";

const SOURCES = `sources:
  berkeley: { name: Berkeley, country_id: US, postcode: "94704" }
  sausalito: { name: Sausalito, country_id: US, postcode: "94965" }
`;
const MOVE = "moves:\n  - { skus: [24-WB03], from: berkeley, to: sausalito }\n";
const FILE = `version: 1\n${SOURCES}${MOVE}products:\n  24-WB03: { sausalito: 40 }\n`;

function itemsOf(handle: SandboxHandle, sku: string): [string, number, number][] {
  return handle.sandbox.store
    .snapshot()
    .source_items.filter((i) => i.sku === sku)
    .map((i): [string, number, number] => [i.source_code, i.quantity, i.status])
    .sort();
}

/**
 * The store: the move done once (berkeley's 33 units now at sausalito, 40 in all), then 7 units received at
 * berkeley.
 */
async function movedOnceThenReceived(): Promise<{ handle: SandboxHandle; dir: string }> {
  const handle = await openSandbox();
  const dir = workspace({ "inventory.yaml": FILE });
  handle.sandbox.store.deleteSourceItem("24-WB03", "default");
  const sources = await runInv(["apply", "--yes", "-f", "sources.yaml"], {
    env: handle.env,
    cwd: workspace({ "sources.yaml": `version: 1\n${SOURCES}` }),
  });
  expect(sources.code, sources.stderr).toBe(0);
  handle.sandbox.store.setSourceItem("24-WB03", "berkeley", 33, 1);
  handle.sandbox.store.setSourceItem("24-WB03", "sausalito", 7, 1);
  const first = await runInv(["apply", "--yes"], { env: handle.env, cwd: dir });
  expect(first.code, first.stderr).toBe(0);
  expect(itemsOf(handle, "24-WB03")).toEqual([["sausalito", 40, 1]]);
  handle.sandbox.store.setSourceItem("24-WB03", "berkeley", 7, 1);
  return { handle, dir };
}

describe("a move left in the file", () => {
  it("is refused without --allow-destroy once the origin received stock again (exit 6), and nothing is written", async () => {
    const { handle, dir } = await movedOnceThenReceived();
    try {
      const writes = () =>
        Object.entries(handle.sandbox.stats.byRoute)
          .filter(([route]) => !route.startsWith("GET"))
          .reduce((sum, [, n]) => sum + n, 0);
      const before = writes();
      const refused = await runInv(["apply", "--yes"], { env: handle.env, cwd: dir });
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain(
        "move berkeley -> sausalito (1 SKU): runs again: 7 units at berkeley since (sausalito already holds what the file declares for 24-WB03)",
      );
      expect(refused.stderr).toContain(
        "source item 24-WB03 @ sausalito: lowers 7 units a transfer brought, which leave the store",
      );
      expect(writes()).toBe(before);
      expect(itemsOf(handle, "24-WB03")).toEqual([
        ["berkeley", 7, 1],
        ["sausalito", 40, 1],
      ]);

      // With consent it runs, and the 7 units are counted as removed.
      const limited = await runInv(["apply", "--yes", "--allow-destroy", "--max-units-removed", "6"], {
        env: handle.env,
        cwd: dir,
      });
      expect(limited.code).toBe(6);
      expect(limited.stderr).toContain("7 units removed, above the limit of 6");
      const applied = await runInv(["apply", "--yes", "--allow-destroy"], { env: handle.env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
      expect(itemsOf(handle, "24-WB03")).toEqual([["sausalito", 40, 1]]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("shows the move as running again, and the units it loses in the summary", async () => {
    const { handle, dir } = await movedOnceThenReceived();
    try {
      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(planned.changes.filter((c) => c.kind !== "source")).toEqual([
        expect.objectContaining({ kind: "move", skus: ["24-WB03"], units: 7, runs_again: ["24-WB03"] }),
        {
          kind: "source-item",
          action: "update",
          sku: "24-WB03",
          source: "sausalito",
          before: { quantity: 47, status: "in_stock" },
          after: { quantity: 40, status: "in_stock" },
          declared_order: 0,
          moved_in: 7,
        },
      ]);
      expect(planned.summary.destructive).toBe(2);
      expect(planned.summary.units_removed).toBe(7);
      const text = renderText(planned, { color: false });
      expect(text).toContain("runs again: 7 units at berkeley since (24-WB03)");
      expect(text).toContain(
        "sausalito  47 in stock -> 40 in stock  (as the transfer leaves it)  7 units leave the store",
      );
      expect(text).toContain("7 units leave the store.");
    } finally {
      await handle.sandbox.close();
    }
  });

  it("needs no consent the first time, when the transfer's units stay", async () => {
    const handle = await openSandbox();
    try {
      handle.sandbox.store.deleteSourceItem("24-WB03", "default");
      const dir = workspace({ "inventory.yaml": FILE });
      const sources = workspace({ "sources.yaml": `version: 1\n${SOURCES}` });
      expect((await runInv(["apply", "--yes", "-f", "sources.yaml"], { env: handle.env, cwd: sources })).code).toBe(0);
      handle.sandbox.store.setSourceItem("24-WB03", "berkeley", 33, 1);
      handle.sandbox.store.setSourceItem("24-WB03", "sausalito", 5, 1);
      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      // 5 + 33 = 38, raised to 40: every transferred unit stays.
      expect(planned.summary.destructive).toBe(0);
      expect(planned.summary.units_removed).toBe(0);
      const applied = await runInv(["apply", "--yes"], { env: handle.env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
      expect(itemsOf(handle, "24-WB03")).toEqual([["sausalito", 40, 1]]);
    } finally {
      await handle.sandbox.close();
    }
  });
});

describe("units that leave the store", () => {
  it("lowered after a transfer brought them are destructive, counted as removed even on the first run", async () => {
    const handle = await openSandbox();
    try {
      handle.sandbox.store.deleteSourceItem("24-WB03", "default");
      const sources = workspace({ "sources.yaml": `version: 1\n${SOURCES}` });
      expect((await runInv(["apply", "--yes", "-f", "sources.yaml"], { env: handle.env, cwd: sources })).code).toBe(0);
      handle.sandbox.store.setSourceItem("24-WB03", "berkeley", 33, 1);
      handle.sandbox.store.setSourceItem("24-WB03", "sausalito", 20, 1);
      const dir = workspace({ "inventory.yaml": FILE });
      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      // 20 + 33 = 53, lowered to 40: 13 of the 33 units the transfer brought go.
      expect(planned.changes.find((c) => c.kind === "move")).not.toHaveProperty("runs_again");
      expect(planned.summary.units_removed).toBe(13);
      expect(planned.summary.destructive).toBe(1);
      const refused = await runInv(["apply", "--yes"], { env: handle.env, cwd: dir });
      expect(refused.code).toBe(6);
      expect(refused.stderr).toContain("source item 24-WB03 @ sausalito: lowers 13 units a transfer brought");
    } finally {
      await handle.sandbox.close();
    }
  });

  it("an unassignment and a lowered quantity are counted, and a plain transfer removes none", async () => {
    const handle = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1\n${SOURCES}moves:\n  - { skus: [24-WB01], from: default, to: berkeley }\nproducts:\n  24-MB01: { default: 90 }\n  24-WB03: [sausalito]\n`,
      });
      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      // 24-WB01's 100 units move (none removed); 24-MB01 loses 10; 24-WB03's 100 at default are unassigned.
      expect(planned.summary.units_removed).toBe(110);
      expect(planned.summary.destructive).toBe(1);
      const limited = await runInv(["apply", "--yes", "--allow-destroy", "--max-units-removed", "109"], {
        env: handle.env,
        cwd: dir,
      });
      expect(limited.code).toBe(6);
      expect(limited.stderr).toContain("110 units removed, above the limit of 109");
      const applied = await runInv(["apply", "--yes", "--allow-destroy", "--max-units-removed", "110"], {
        env: handle.env,
        cwd: dir,
      });
      expect(applied.code, applied.stderr).toBe(0);
    } finally {
      await handle.sandbox.close();
    }
  });
});
