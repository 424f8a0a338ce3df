// ERP feeds against the sandbox: a source scope protects the sources outside it, per-warehouse
// feeds each manage their own source, and SKUs the catalog lacks are skipped only when asked.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { plan } from "../../src/pipeline.js";
import { renderMarkdown } from "../../src/render/render-markdown.js";
import { renderText } from "../../src/render/render-text.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";

const CODES = ["s1", "s2", "s3", "s4", "s5"] as const;
const SOURCES = `sources:\n${CODES.map((c) => `  ${c}: { name: Store ${c}, country_id: US, postcode: "9470${c[1]}" }`).join("\n")}\n`;
const SKUS = ["24-WB01", "24-WB03", "24-MB01"] as const;
const HEADER = "sku,source_code,quantity,status\n";

/** Five sources, and each SKU at each of them with 10 units (the default source's items removed). */
async function fiveSourceStore(): Promise<SandboxHandle> {
  const handle = await openSandbox();
  const created = await runInv(["apply", "--yes", "-f", "sources.yaml"], {
    env: handle.env,
    cwd: workspace({ "sources.yaml": `version: 1\n${SOURCES}` }),
  });
  expect(created.code, created.stderr).toBe(0);
  for (const sku of SKUS) {
    handle.sandbox.store.deleteSourceItem(sku, "default");
    for (const code of CODES) handle.sandbox.store.setSourceItem(sku, code, 10, 1);
  }
  return handle;
}

function itemsOf(handle: SandboxHandle, sku: string): [string, number][] {
  return handle.sandbox.store
    .snapshot()
    .source_items.filter((i) => i.sku === sku)
    .map((i): [string, number] => [i.source_code, i.quantity])
    .sort();
}

/** A feed for s1 and s2: every SKU gets 12 at s1, stays 10 at s2. */
const FEED = `${HEADER}${SKUS.map((sku) => `${sku},s1,12,1\n${sku},s2,10,1\n`).join("")}`;

async function planned(handle: SandboxHandle, dir: string, options: { skipUnknownSkus?: boolean } = {}) {
  return plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null, ...options });
}

describe("a source scope", () => {
  it("protects the sources outside it from a feed that would otherwise unassign them", async () => {
    const handle = await fiveSourceStore();
    try {
      const unscoped = workspace({ "inventory.yaml": `version: 1\n${SOURCES}csv: [feed.csv]\n`, "feed.csv": FEED });
      const without = await planned(handle, unscoped);
      const deletes = without.plan.changes.filter((c) => c.kind === "source-item" && c.action === "delete");
      expect(deletes).toHaveLength(SKUS.length * 3);
      expect(new Set(deletes.map((c) => (c.kind === "source-item" ? c.source : "")))).toEqual(
        new Set(["s3", "s4", "s5"]),
      );
      expect(without.plan.scope).toBeUndefined();

      const dir = workspace({
        "inventory.yaml": `version: 1\nscope: { sources: [s2, s1] }\n${SOURCES}csv: [feed.csv]\n`,
        "feed.csv": FEED,
      });
      const scoped = await planned(handle, dir);
      expect(
        scoped.plan.changes.map((c) => (c.kind === "source-item" ? `${c.action} ${c.sku}@${c.source}` : c.kind)),
      ).toEqual(SKUS.map((sku) => `update ${sku}@s1`).sort());
      expect(scoped.plan.scope).toEqual({ sources: ["s1", "s2"] });
      expect(renderText(scoped.plan, { color: false, showPayloads: false })).toContain(
        "Scope: sources s1, s2 only; source items at other sources are left as they are.",
      );
      expect(renderMarkdown(scoped.plan)).toContain("Scope: sources `s1`, `s2` only");

      const json = await runInv(["plan", "--format", "json"], { env: handle.env, cwd: dir });
      expect(json.code, json.stderr).toBe(0);
      expect(JSON.parse(json.stdout).scope).toEqual({ sources: ["s1", "s2"] });

      // Applied, it writes s1 only and verifies (the re-plan sees the same scope).
      const applied = await runInv(["apply", "--yes"], { env: handle.env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
      for (const sku of SKUS)
        expect(itemsOf(handle, sku)).toEqual([
          ["s1", 12],
          ["s2", 10],
          ["s3", 10],
          ["s4", 10],
          ["s5", 10],
        ]);
      const again = await runInv(["plan", "--detailed-exitcode"], { env: handle.env, cwd: dir });
      expect(again.code, again.stdout).toBe(0);
      expect(again.stdout).toContain("Scope: sources s1, s2 only");
    } finally {
      await handle.sandbox.close();
    }
  });

  it("per-warehouse feeds, each with the scope of its source, manage those sources only", async () => {
    const handle = await fiveSourceStore();
    try {
      const dir = workspace({
        "inventory.yaml": [
          "version: 1",
          SOURCES.trimEnd(),
          "csv:",
          "  - { file: s1.csv, scope: { sources: [s1] } }",
          "  - { file: s2.csv, scope: { sources: [s2] } }",
          "",
        ].join("\n"),
        "s1.csv": `${HEADER}24-WB01,s1,3,1\n24-WB03,s1,10,1\n`,
        "s2.csv": `${HEADER}24-WB01,s2,10,1\n24-MB01,s2,0,0\n`,
      });
      const result = await planned(handle, dir);
      expect(
        result.plan.changes.map((c) => (c.kind === "source-item" ? `${c.action} ${c.sku}@${c.source}` : c.kind)),
      ).toEqual(["update 24-MB01@s2", "update 24-WB01@s1"]);
      const applied = await runInv(["apply", "--yes"], { env: handle.env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
      expect(itemsOf(handle, "24-WB01")).toEqual([
        ["s1", 3],
        ["s2", 10],
        ["s3", 10],
        ["s4", 10],
        ["s5", 10],
      ]);
      expect(itemsOf(handle, "24-MB01")).toContainEqual(["s2", 0]);
      expect(itemsOf(handle, "24-MB01")).toContainEqual(["s5", 10]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("refuses a move naming a source outside the scope, and a scope naming a source nobody has (exit 3)", async () => {
    const handle = await fiveSourceStore();
    try {
      const move = workspace({
        "inventory.yaml": `version: 1\nscope: { sources: [s1, s2] }\n${SOURCES}moves:\n  - { skus: [24-WB01], from: s1, to: s3 }\n`,
      });
      const refused = await runInv(["plan"], { env: handle.env, cwd: move });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(
        'move from "s1" to "s3" names source "s3", outside the file\'s scope (s1, s2); a scoped file writes nothing at other sources.',
      );
      const typo = workspace({
        "inventory.yaml": "version: 1\nscope: { sources: [s1, s9] }\ncsv: [feed.csv]\n",
        "feed.csv": `${HEADER}24-WB01,s1,1,1\n`,
      });
      const unknown = await runInv(["plan"], { env: handle.env, cwd: typo });
      expect(unknown.code).toBe(3);
      expect(unknown.stderr).toContain(
        'scope names source "s9", which is not declared and does not exist in the store.',
      );
      expect(handle.sandbox.stats.byRoute).not.toHaveProperty("POST /V1/inventory/source-items");
    } finally {
      await handle.sandbox.close();
    }
  });
});

describe("SKUs the catalog does not have", () => {
  const feed = `${HEADER}24-WB01,s1,12,1\nERP-NEW-1,s1,5,1\n24-WB03,s1,7,1\nERP-NEW-2,s2,1,1\n${["24-WB01", "24-WB03"].map((sku) => `${sku},s2,10,1\n`).join("")}`;
  const file = `version: 1\nscope: { sources: [s1, s2] }\n${SOURCES}csv: [feed.csv]\n`;

  it("refuse the plan without --skip-unknown-skus (exit 3), naming the option", async () => {
    const handle = await fiveSourceStore();
    try {
      const dir = workspace({ "inventory.yaml": file, "feed.csv": feed });
      const refused = await runInv(["plan"], { env: handle.env, cwd: dir });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(
        'feed.csv:3:1 product "ERP-NEW-1" is not in the store\'s catalog; Magento would keep its source items anyway, but they could never be sold. Create the product first, remove it, or plan the rest with --skip-unknown-skus (or policy: { skip_unknown_skus: true } in the file).',
      );
      expect(refused.stderr).toContain('feed.csv:5:1 product "ERP-NEW-2"');
      const applyRefused = await runInv(["apply", "--yes"], { env: handle.env, cwd: dir });
      expect(applyRefused.code).toBe(3);
      expect(itemsOf(handle, "24-WB01")).toContainEqual(["s1", 10]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("are skipped and reported with --skip-unknown-skus or the file's policy; the rest is planned and applied", async () => {
    const handle = await fiveSourceStore();
    try {
      const dir = workspace({ "inventory.yaml": file, "feed.csv": feed });
      const text = await runInv(["plan", "--skip-unknown-skus"], { env: handle.env, cwd: dir });
      expect(text.code, text.stderr).toBe(0);
      expect(text.stderr).toContain("Skipped 2 SKUs the store's catalog does not have (--skip-unknown-skus)");
      expect(text.stderr).toContain("  ERP-NEW-1  (feed.csv:3:1)");
      expect(text.stdout).toContain("Skipped: 2 SKUs the store's catalog does not have (left as they are)");
      expect(text.stdout).toContain("ERP-NEW-2  feed.csv:5:1");

      const json = await runInv(["plan", "--skip-unknown-skus", "--format", "json"], { env: handle.env, cwd: dir });
      const document = JSON.parse(json.stdout);
      expect(document.skipped).toEqual([
        { sku: "ERP-NEW-1", origin: "feed.csv:3:1" },
        { sku: "ERP-NEW-2", origin: "feed.csv:5:1" },
      ]);
      expect(document.changes.map((c: { sku: string }) => c.sku)).toEqual(["24-WB01", "24-WB03"]);
      const result = await planned(handle, dir, { skipUnknownSkus: true });
      expect(renderMarkdown(result.plan)).toContain("| `ERP-NEW-1` | `feed.csv:3:1` |");

      // The file's policy does the same for apply.
      writeFileSync(join(dir, "inventory.yaml"), `${file}policy: { skip_unknown_skus: true }\n`);
      const applied = await runInv(["apply", "--yes"], { env: handle.env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stderr).toContain("Skipped 2 SKUs");
      expect(itemsOf(handle, "24-WB01")).toContainEqual(["s1", 12]);
      expect(itemsOf(handle, "24-WB03")).toContainEqual(["s1", 7]);
      expect(itemsOf(handle, "ERP-NEW-1")).toEqual([]);
      expect(itemsOf(handle, "ERP-NEW-2")).toEqual([]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("a saved plan with skipped SKUs and a scope applies; one whose skipped list or scope was edited is refused", async () => {
    const handle = await fiveSourceStore();
    try {
      const dir = workspace({ "inventory.yaml": file, "feed.csv": feed });
      const saved = await runInv(["plan", "--skip-unknown-skus", "--out", "plan.json"], { env: handle.env, cwd: dir });
      expect(saved.code, saved.stderr).toBe(0);
      const original = readFileSync(join(dir, "plan.json"), "utf8");
      const document = JSON.parse(original);
      expect(document.scope).toEqual({ sources: ["s1", "s2"] });
      expect(document.skipped).toHaveLength(2);

      const tamper = async (edit: (plan: Record<string, unknown>) => void, message: string) => {
        const copy = JSON.parse(original);
        edit(copy);
        writeFileSync(join(dir, "tampered.json"), JSON.stringify(copy));
        const refused = await runInv(["apply", "--yes", "tampered.json"], { env: handle.env, cwd: dir });
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(message);
      };
      // A write for a skipped SKU: the files, less the skipped SKUs, do not imply it.
      await tamper((p) => {
        const create = { kind: "source-item", action: "create", sku: "ERP-NEW-1", source: "s1", before: null };
        p["changes"] = [...(p["changes"] as unknown[]), { ...create, after: { quantity: 5, status: "in_stock" } }];
      }, "tampered.json was changed after it was planned");
      await tamper((p) => {
        p["scope"] = { sources: ["s1", "s2", "s3"] };
      }, 'its scope is ["s1","s2","s3"], its files set ["s1","s2"]');
      await tamper((p) => {
        p["skipped"] = [...(p["skipped"] as unknown[]), { sku: "24-UG06", origin: "x" }];
      }, 'it skips "24-UG06", which its files do not declare with sources');
      expect(itemsOf(handle, "24-WB01")).toContainEqual(["s1", 10]);

      const flag = await runInv(["apply", "--yes", "--skip-unknown-skus", "plan.json"], { env: handle.env, cwd: dir });
      expect(flag.code).toBe(1);
      expect(flag.stderr).toContain("--skip-unknown-skus does not apply to a saved plan");

      const applied = await runInv(["apply", "--yes", "plan.json"], { env: handle.env, cwd: dir });
      expect(applied.code, applied.stderr).toBe(0);
      expect(itemsOf(handle, "24-WB01")).toContainEqual(["s1", 12]);
      expect(itemsOf(handle, "24-WB01")).toContainEqual(["s5", 10]);
      expect(itemsOf(handle, "ERP-NEW-1")).toEqual([]);
    } finally {
      await handle.sandbox.close();
    }
  });
});
