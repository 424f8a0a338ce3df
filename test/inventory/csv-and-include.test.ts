// Large catalogs: products split over several YAML files (`include:` with globs) and
// quantities in CSV files (`csv:`). Every problem names the file and line it is on, all
// problems are reported at once, and `inv validate` does it offline.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { InventoryFileError } from "../../src/errors.js";
import { loadInventory } from "../../src/inventory/load-inventory.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";

function tree(files: Record<string, string>): string {
  const dir = workspace({});
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function problemsOf(dir: string, file = "inventory.yaml", columns = false): string[] {
  try {
    loadInventory(file, { cwd: dir });
  } catch (error) {
    if (error instanceof InventoryFileError)
      return error.problems.map(
        (p) => `${p.origin.file}:${p.origin.line}${columns ? `:${p.origin.column}` : ""} ${p.message}`,
      );
    throw error;
  }
  return [];
}

const MAIN = `version: 1
include: [products/*.yaml]
csv: [quantities/*.csv]
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
`;

describe("include: and csv:", () => {
  it("merge products from globbed YAML files and quantities from CSV files", () => {
    const dir = tree({
      "inventory.yaml": MAIN,
      "products/bags.yaml": "products:\n  24-WB01: { ne_wh: 35 }\n  24-WB03: [ne_wh]\n",
      "products/kits.yaml": "# kits\nproducts:\n  24-WG080-A: { default: { quantity: 0, status: out_of_stock } }\n",
      "quantities/a.csv": "sku,source_code,quantity,status\n24-MB01,ne_wh,5,1\n24-MB01,default,0,0\n",
      "quantities/b.csv": "sku,source_code,quantity,status\n24-UG06,default,7.25,in_stock\n",
    });
    const desired = loadInventory("inventory.yaml", { cwd: dir });
    expect([...desired.products.keys()].sort()).toEqual(["24-MB01", "24-UG06", "24-WB01", "24-WB03", "24-WG080-A"]);
    expect(desired.products.get("24-MB01")?.assignments).toEqual([
      { source: "ne_wh", quantity: 5, status: "in_stock" },
      { source: "default", quantity: 0, status: "out_of_stock" },
    ]);
    expect(desired.products.get("24-WB03")?.assignments).toEqual([
      { source: "ne_wh", quantity: undefined, status: undefined },
    ]);
    expect(desired.products.get("24-MB01")?.origin).toEqual({ file: "quantities/a.csv", line: 2, column: 1 });
    expect(desired.products.get("24-WG080-A")?.origin).toMatchObject({ file: "products/kits.yaml", line: 3 });
    expect(desired.files.map((f) => f.path)).toEqual([
      "inventory.yaml",
      "products/bags.yaml",
      "products/kits.yaml",
      "quantities/a.csv",
      "quantities/b.csv",
    ]);
  });

  it("accepts Magento's stock-sources import columns in Magento's order (source_code,sku,status,quantity)", () => {
    const dir = tree({
      "inventory.yaml": "version: 1\ncsv: [stock_sources.csv]\n",
      "stock_sources.csv": "source_code,sku,status,quantity\ndefault,24-MB01,1,100\ndefault,24-MB04,0,0\n",
    });
    const desired = loadInventory("inventory.yaml", { cwd: dir });
    expect(desired.products.get("24-MB01")?.assignments).toEqual([
      { source: "default", quantity: 100, status: "in_stock" },
    ]);
    expect(desired.products.get("24-MB04")?.assignments).toEqual([
      { source: "default", quantity: 0, status: "out_of_stock" },
    ]);
  });

  it("every CSV problem points at its file, line and column, quoted line breaks counted", () => {
    const dir = tree({
      "inventory.yaml": "version: 1\ncsv: [q.csv]\n",
      "q.csv": [
        "sku,source_code,quantity,status", // 1
        "A-1,default,5,1", // 2
        'A-2,default,"lots",1', // 3
        '"B\nwith a line break",default,1,1', // 4-5
        "A-3,default,2,maybe", // 6
        "A-1,default,6,1", // 7
        " A-4,default,1,1", // 8
        "A-5,de fault,1,1", // 9
        '"C\nD",default,x,1', // 10-11
      ].join("\n"),
    });
    expect(problemsOf(dir, "inventory.yaml", true)).toEqual([
      'q.csv:3:13 quantity "lots" of "A-2" at "default" is not a decimal number; write digits with an optional leading "-" and a "." before decimals, such as 12 or -3.5 (no "+", exponent, hex or thousands separator).',
      'q.csv:6:15 status "maybe" of "A-3" at "default" must be 1, 0, in_stock or out_of_stock.',
      'q.csv:7:1 product "A-1" at source "default" is declared again; it is already declared at q.csv:2:1. A SKU may be in several files, each of its sources once.',
      'q.csv:8:1 SKU " A-4" is not valid: Magento refuses empty SKUs and SKUs with leading or trailing spaces.',
      'q.csv:9:5 source code "de fault" is not valid: Magento refuses empty codes and codes with whitespace.',
      'q.csv:11:12 quantity "x" of "C\nD" at "default" is not a decimal number; write digits with an optional leading "-" and a "." before decimals, such as 12 or -3.5 (no "+", exponent, hex or thousands separator).',
    ]);
  });

  it("a CSV without the required columns is reported at its header line", () => {
    const dir = tree({ "inventory.yaml": "version: 1\ncsv: [q.csv]\n", "q.csv": "sku,qty\nA,1\n" });
    expect(problemsOf(dir)).toEqual([
      'q.csv:1 header lacks "source_code", "quantity"; expected sku,source_code,quantity,status (Magento\'s stock-sources import columns).',
    ]);
  });

  it("a problem in an included file points at that file, line and column", async () => {
    const dir = tree({
      "inventory.yaml": MAIN.replace("csv: [quantities/*.csv]\n", ""),
      "products/a.yaml": "products:\n  24-WB01: { ne_wh: 35 }\n  24-WB03: { ne_wh: plenty }\n",
      "products/b.yaml": 'sources:\n  x: { name: X, country_id: US, postcode: "1" }\nproducts: {}\n',
    });
    const problems = problemsOf(dir);
    expect(problems[0]).toMatch(/^products\/a\.yaml:3 /);
    expect(problems[0]).toContain("24-WB03");
    expect(problems[1]).toMatch(/^products\/b\.yaml:1 /);
    expect(problems[1]).toContain("sources");
    const r = await runInv(["validate"], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/products\/a\.yaml:3:\d+ /);
    expect(r.stderr).toMatch(/products\/b\.yaml:1:1 /);
  });

  it("a SKU in YAML and CSV at different sources is assigned to both; the same source twice names both places", () => {
    const dir = tree({
      "inventory.yaml": MAIN,
      "products/a.yaml": "products:\n  24-WB01: { ne_wh: 35 }\n",
      "quantities/q.csv": "sku,source_code,quantity,status\n24-MB01,default,1,1\n24-WB01,default,5,1\n",
    });
    expect(loadInventory("inventory.yaml", { cwd: dir }).products.get("24-WB01")?.assignments).toEqual([
      { source: "ne_wh", quantity: 35, status: "in_stock" },
      { source: "default", quantity: 5, status: "in_stock" },
    ]);
    writeFileSync(
      join(dir, "quantities/q.csv"),
      "sku,source_code,quantity,status\n24-MB01,default,1,1\n24-WB01,ne_wh,5,1\n",
    );
    expect(problemsOf(dir)).toEqual([
      'quantities/q.csv:3 product "24-WB01" at source "ne_wh" is declared again; it is already declared at products/a.yaml:2:14. A SKU may be in several files, each of its sources once.',
    ]);
  });

  it("a pattern that matches nothing, and a named file that is missing, point at the line in the main file", () => {
    const dir = tree({
      "inventory.yaml": "version: 1\ninclude:\n  - products/*.yaml\n  - extra.yaml\ncsv: [q/*.csv]\n",
    });
    const problems = problemsOf(dir);
    expect(problems).toContain('inventory.yaml:3 include pattern "products/*.yaml" matches no file (looked in .).');
    expect(problems).toContain('inventory.yaml:5 csv pattern "q/*.csv" matches no file (looked in .).');
    expect(problems).toContain('inventory.yaml:4 include file "extra.yaml" does not exist (looked in .).');
  });

  it("inv validate checks included and CSV files offline, and says how many it read", async () => {
    const dir = tree({
      "inventory.yaml": MAIN,
      "products/a.yaml": "products:\n  24-WB01: { ne_wh: 35 }\n",
      "quantities/q.csv": "sku,source_code,quantity,status\n24-MB01,default,1,1\n",
    });
    const r = await runInv(["validate"], { cwd: dir, env: { MAGENTO_URL: "http://127.0.0.1:9" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("inventory.yaml is valid (with 2 included files): 1 source, 0 stocks, 2 products.");
  });

  it("plans and applies products from included YAML and CSV files against the store, then plans nothing", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = tree({
        "inventory.yaml": MAIN,
        "products/a.yaml": "products:\n  24-WB01: { ne_wh: 35, default: 1 }\n",
        "quantities/q.csv": "sku,source_code,quantity,status\n24-MB01,default,3,1\n24-MB01,ne_wh,0,0\n",
      });
      const applied = await runInv(["apply", "--yes", "--allow-destroy"], { cwd: dir, env });
      expect(applied.code, applied.stderr).toBe(0);
      expect(sandbox.store.snapshot().source_items).toContainEqual({
        sku: "24-MB01",
        source_code: "ne_wh",
        quantity: 0,
        status: 0,
      });
      const again = await runInv(["plan", "--detailed-exitcode"], { cwd: dir, env });
      expect(again.code, again.stdout).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});
