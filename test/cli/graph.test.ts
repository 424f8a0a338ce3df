// inv graph: the live store's stocks, channels and sources in priority order as Mermaid,
// or with -f what a file declares, offline.

import { describe, expect, it } from "vitest";
import { apply } from "../../src/pipeline.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";

const FILE = `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
  west_wh: { name: West Warehouse, country_id: US, postcode: "94607", enabled: false }
stocks:
  US Stock:
    sales_channels: { website: [base] }
    sources: [west_wh, ne_wh]
`;

describe("inv graph", () => {
  it("prints the live store's stocks, their websites and their sources in priority order", async () => {
    const { sandbox, env, client } = await openSandbox();
    try {
      const fresh = await runInv(["graph"], { env });
      expect(fresh.code).toBe(0);
      expect(fresh.stdout).toBe(
        [
          "flowchart LR",
          '  channel_1(["website base"])',
          '  stock_1[["Default Stock<br/>stock 1"]]',
          '  source_1["Default Source<br/>default"]',
          "  channel_1 --> stock_1",
          '  stock_1 -->|"1"| source_1',
          "",
        ].join("\n"),
      );

      await apply({ file: "inventory.yaml", cwd: workspace({ "inventory.yaml": FILE }), client: client(), git: null });
      const itemReads = sandbox.stats.byRoute["GET V1/inventory/source-items"] ?? 0;
      const after = await runInv(["graph"], { env });
      expect(after.code).toBe(0);
      expect(after.stdout).toContain('  stock_2[["US Stock<br/>stock 2"]]\n');
      expect(after.stdout).toContain("  channel_1 --> stock_2\n");
      expect(after.stdout).not.toContain("channel_1 --> stock_1");
      // west_wh first, then ne_wh; the disabled one is drawn dashed.
      expect(after.stdout).toContain('  stock_2 -->|"1"| source_3\n  stock_2 -->|"2"| source_2\n');
      expect(after.stdout).toContain('  source_3["West Warehouse<br/>west_wh<br/>disabled"]\n');
      expect(after.stdout).toContain("  class source_3 disabled\n");
      // Only sources, stocks and links are read: no source items.
      expect(sandbox.stats.byRoute["GET V1/inventory/source-items"] ?? 0).toBe(itemReads);

      const fenced = await runInv(["graph", "--markdown"], { env });
      expect(fenced.stdout).toBe(`\`\`\`mermaid\n${after.stdout}\`\`\`\n`);
    } finally {
      await sandbox.close();
    }
  });

  it("graphs what a file declares with -f, without a store", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const result = await runInv(["graph", "-f", "inventory.yaml"], { cwd: dir, env: {} });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  stock_1[["US Stock"]]\n');
    expect(result.stdout).toContain('  stock_1 -->|"1"| source_2\n  stock_1 -->|"2"| source_1\n');
  });

  it("exits 3 for an invalid file and 1 without a store, sending nothing", async () => {
    const bad = await runInv(["graph", "-f", "inventory.yaml"], {
      cwd: workspace({ "inventory.yaml": "version: 1\nstocks: 5\n" }),
      env: {},
    });
    expect(bad.code).toBe(3);
    expect(bad.stdout).toBe("");
    const noStore = await runInv(["graph"], { cwd: workspace({}), env: {} });
    expect(noStore.code).toBe(1);
    expect(noStore.stderr).toContain("No store");
  });
});
