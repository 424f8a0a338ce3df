// Feeds from an ERP or a warehouse system: one CSV per warehouse (a SKU in several files,
// each source once), the dialects spreadsheets write (semicolons, tabs, a byte-order mark),
// and quantity cells held to the schema's number rules, each refusal with its position.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { InventoryFileError } from "../../src/errors.js";
import { loadInventory } from "../../src/inventory/load-inventory.js";
import { parseQuantityCsv } from "../../src/inventory/parse-csv.js";
import type { DesiredState } from "../../src/model.js";
import { workspace } from "../helpers/sandbox.js";

function tree(files: Record<string, string>): string {
  const dir = workspace({});
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function load(files: Record<string, string>): DesiredState {
  return loadInventory("inventory.yaml", { cwd: tree(files) });
}

function problems(files: Record<string, string>): string[] {
  try {
    load(files);
  } catch (error) {
    if (error instanceof InventoryFileError)
      return error.problems.map((p) => `${p.origin.file}:${p.origin.line}:${p.origin.column} ${p.message}`);
    throw error;
  }
  return [];
}

const HEADER = "sku,source_code,quantity,status\n";

describe("one feed per warehouse", () => {
  const main = "version: 1\ncsv: [feeds/*.csv]\n";

  it("a SKU in several CSV files is assigned the union of their sources", () => {
    const desired = load({
      "inventory.yaml": main,
      "feeds/ne_wh.csv": `${HEADER}24-WB01,ne_wh,35,1\n24-WB03,ne_wh,0,0\n`,
      "feeds/west_wh.csv": `${HEADER}24-WB01,west_wh,12,1\n24-MB01,west_wh,4,1\n`,
    });
    expect(desired.products.get("24-WB01")?.assignments).toEqual([
      { source: "ne_wh", quantity: 35, status: "in_stock" },
      { source: "west_wh", quantity: 12, status: "in_stock" },
    ]);
    expect(desired.products.get("24-WB01")?.origin).toEqual({ file: "feeds/ne_wh.csv", line: 2, column: 1 });
    expect([...desired.products.keys()].sort()).toEqual(["24-MB01", "24-WB01", "24-WB03"]);
  });

  it("a SKU in YAML products and in a feed is assigned both; a list entry in YAML adds an assignment only", () => {
    const desired = load({
      "inventory.yaml": `${main}products:\n  24-WB01: [hq]\n  24-WB03: { hq: 2 }\n`,
      "feeds/ne_wh.csv": `${HEADER}24-WB01,ne_wh,35,1\n24-WB03,ne_wh,1,1\n`,
    });
    expect(desired.products.get("24-WB01")?.assignments).toEqual([
      { source: "hq", quantity: undefined, status: undefined },
      { source: "ne_wh", quantity: 35, status: "in_stock" },
    ]);
    expect(desired.products.get("24-WB03")?.assignments.map((a) => a.source)).toEqual(["hq", "ne_wh"]);
  });

  it("the same SKU and source in two feeds is refused, naming both places", () => {
    expect(
      problems({
        "inventory.yaml": main,
        "feeds/ne_wh.csv": `${HEADER}24-MB01,ne_wh,1,1\n24-WB01,ne_wh,35,1\n`,
        "feeds/west_wh.csv": `${HEADER}24-WB01,west_wh,12,1\n24-WB01,ne_wh,3,1\n`,
      }),
    ).toEqual([
      'feeds/west_wh.csv:3:1 product "24-WB01" at source "ne_wh" is declared again; it is already declared at feeds/ne_wh.csv:3:1. A SKU may be in several files, each of its sources once.',
    ]);
  });

  it("the same SKU and source in two included YAML files, or in the main file and a feed, names both places", () => {
    expect(
      problems({
        "inventory.yaml": "version: 1\ninclude: [p/*.yaml]\ncsv: [q.csv]\nproducts:\n  C: { sources: [hq] }\n",
        "p/a.yaml": "products:\n  A: { ne_wh: 1 }\n  B:\n    west_wh: 2\n",
        "p/b.yaml": "products:\n  A: { west_wh: 1, ne_wh: 2 }\n  B: [west_wh]\n",
        "q.csv": `${HEADER}C,ne_wh,1,1\nC,hq,1,1\n`,
      }),
    ).toEqual([
      'p/b.yaml:2:20 product "A" at source "ne_wh" is declared again; it is already declared at p/a.yaml:2:8. A SKU may be in several files, each of its sources once.',
      'p/b.yaml:3:7 product "B" at source "west_wh" is declared again; it is already declared at p/a.yaml:4:5. A SKU may be in several files, each of its sources once.',
      'q.csv:3:1 product "C" at source "hq" is declared again; it is already declared at inventory.yaml:5:18. A SKU may be in several files, each of its sources once.',
    ]);
  });

  it("a SKU's files must agree on its quantities policy; CSV rows take the main file's", () => {
    expect(
      problems({
        "inventory.yaml": `${main}quantities: manage\nproducts:\n  A: { sources: { hq: 1 }, quantities: on_create }\n`,
        "feeds/ne_wh.csv": `${HEADER}A,ne_wh,1,1\n`,
      }),
    ).toEqual([
      'feeds/ne_wh.csv:2:1 product "A" has quantities: manage here and quantities: on_create at inventory.yaml:5:3; a SKU declared in several files has one policy (CSV rows take the main file\'s quantities:). Give it the same policy in each file.',
    ]);
    const desired = load({
      "inventory.yaml": `${main}quantities: on_create\nproducts:\n  A: { sources: { hq: 1 }, quantities: on_create }\n`,
      "feeds/ne_wh.csv": `${HEADER}A,ne_wh,1,1\n`,
    });
    expect(desired.products.get("A")?.quantities).toBe("on_create");
    expect(desired.products.get("A")?.assignments.map((a) => a.source)).toEqual(["hq", "ne_wh"]);
  });
});

describe("CSV dialects", () => {
  const main = "version: 1\ncsv: [q.csv]\n";
  const rows = (desired: DesiredState) =>
    [...desired.products.values()].flatMap((p) =>
      p.assignments.map((a) => `${p.sku}@${a.source}=${a.quantity}/${a.status}`),
    );

  it("reads semicolons and tabs where the header is split by them, and skips a byte-order mark", () => {
    const expected = ["24-MB01@ne_wh=5/in_stock", "24-MB04@ne_wh=0.5/out_of_stock"];
    for (const csv of [
      "sku;source_code;quantity;status\n24-MB01;ne_wh;5;1\n24-MB04;ne_wh;0.5;0\n",
      "\uFEFFsku;source_code;quantity;status\r\n24-MB01;ne_wh;5;1\r\n24-MB04;ne_wh;0.5;0\r\n",
      "sku\tsource_code\tquantity\tstatus\n24-MB01\tne_wh\t5\t1\n24-MB04\tne_wh\t0.5\t0\n",
      "\uFEFFsku,source_code,quantity,status\n24-MB01,ne_wh,5,1\n24-MB04,ne_wh,0.5,0\n",
      '"sku";"source_code";"quantity";"status"\n"24-MB01";"ne_wh";"5";"1"\n"24-MB04";ne_wh;0.5;0\n',
    ])
      expect(rows(load({ "inventory.yaml": main, "q.csv": csv })), JSON.stringify(csv)).toEqual(expected);
  });

  it("a semicolon file keeps commas inside cells, and a decimal comma is named as such", () => {
    expect(
      rows(load({ "inventory.yaml": main, "q.csv": "source_code;sku;quantity\nne_wh;SKU,with,commas;2\n" })),
    ).toEqual(["SKU,with,commas@ne_wh=2/in_stock"]);
    expect(problems({ "inventory.yaml": main, "q.csv": "sku;source_code;quantity\nA;ne_wh;2,5\n" })).toEqual([
      'q.csv:2:9 quantity "2,5" of "A" at "ne_wh" has a decimal comma; write a point (2.5).',
    ]);
  });

  it("refuses a header whose delimiter is ambiguous, naming what it found", () => {
    expect(problems({ "inventory.yaml": main, "q.csv": "sku;source_code;quantity,status\nA;ne_wh;1,1\n" })).toEqual([
      "q.csv:1:1 header has commas and semicolons, so which separates the columns is ambiguous; inv reads CSV files separated by commas, semicolons or tabs, one of them throughout. Expected sku,source_code,quantity,status (Magento's stock-sources import columns).",
    ]);
    expect(problems({ "inventory.yaml": main, "q.csv": "sku;source;qty\nA;ne_wh;1\n" })).toEqual([
      'q.csv:1:1 header (separated by semicolons) lacks "source_code", "quantity"; expected sku,source_code,quantity,status (Magento\'s stock-sources import columns).',
    ]);
  });
});

describe("quantity cells follow the schema's number rules", () => {
  const cell = (quantity: string) => parseQuantityCsv(`sku,source_code,quantity\nA,ne_wh,${quantity}\n`, "q.csv");

  it("accepts decimal notation within Magento's limits", () => {
    for (const [text, value] of [
      ["12", 12],
      ["-3.5", -3.5],
      ["007", 7],
      ["0", 0],
      ["99999999.9999", 99999999.9999],
      ["-99999999.9999", -99999999.9999],
      ["100.0000", 100],
    ] as const) {
      const result = cell(text);
      expect(result.problems, text).toEqual([]);
      expect(result.products.get("A")?.assignments[0]?.quantity, text).toBe(value);
    }
  });

  it("refuses every other cell with its line, column and the rule", () => {
    const notDecimal =
      'is not a decimal number; write digits with an optional leading "-" and a "." before decimals, such as 12 or -3.5 (no "+", exponent, hex or thousands separator).';
    const outside = "is outside the quantities Magento stores (-99999999.9999 to 99999999.9999, decimal(12,4)).";
    for (const [text, reason] of [
      ["0x10", notDecimal],
      ["1e12", notDecimal],
      ["1E3", notDecimal],
      ["+5", notDecimal],
      ["Infinity", notDecimal],
      ["-Infinity", notDecimal],
      ["NaN", notDecimal],
      [".5", notDecimal],
      ["5.", notDecimal],
      ["1_000", notDecimal],
      ['"1,000"', "has a decimal comma; write a point (1.000)."],
      ["0o17", notDecimal],
      [" 12", "has spaces around it; write the number alone."],
      ["12 ", "has spaces around it; write the number alone."],
      ["", "is empty; give a number, such as 12 or 3.5."],
      ["100000000", outside],
      ["-100000000", outside],
      ["1000000000000", outside],
    ] as const) {
      const shown = JSON.stringify(text.startsWith('"') ? text.slice(1, -1) : text);
      expect(cell(text).problems, text).toEqual([
        {
          origin: { file: "q.csv", line: 2, column: 9 },
          rule: "csv-quantity",
          message: `quantity ${shown} of "A" at "ne_wh" ${reason}`,
        },
      ]);
    }
  });
});

describe("cells that spreadsheets read as formulas", () => {
  it("lose the apostrophe inv export puts before =, +, - and @, and keep any other", () => {
    const result = parseQuantityCsv(
      "sku,source_code,quantity\n'-WB01,ne_wh,1\n'=SUM(A1),'@wh,2\n''+x,ne_wh,3\n'plain,ne_wh,4\n'',ne_wh,5\n",
      "q.csv",
    );
    expect(result.problems).toEqual([]);
    expect([...result.products.values()].map((p) => `${p.sku}@${p.assignments[0]?.source}`)).toEqual([
      "-WB01@ne_wh",
      "=SUM(A1)@@wh",
      "'+x@ne_wh",
      "'plain@ne_wh",
      "''@ne_wh",
    ]);
  });
});

describe("source scope (read and checked; what the plan does with it is the diff's)", () => {
  const sources = 'sources:\n  ne_wh: { name: NE, country_id: US, postcode: "1" }\n';

  it("a file's scope and each feed's own scope are on the desired state, merged per SKU", () => {
    const desired = load({
      "inventory.yaml": [
        "version: 1",
        "scope: { sources: [ne_wh, west_wh, hq] }",
        "csv:",
        "  - { file: ne_wh.csv, scope: { sources: [ne_wh] } }",
        "  - file: west_wh.csv",
        "    scope: { sources: [west_wh] }",
        "  - all.csv",
        "products:",
        "  C: { hq: 1 }",
        "",
      ].join("\n"),
      "ne_wh.csv": `${HEADER}A,ne_wh,1,1\nB,ne_wh,2,1\nC,ne_wh,3,1\n`,
      "west_wh.csv": `${HEADER}A,west_wh,1,1\n`,
      "all.csv": `${HEADER}D,hq,1,1\n`,
    });
    expect(desired.scope).toEqual({
      sources: new Set(["ne_wh", "west_wh", "hq"]),
      origin: expect.objectContaining({ line: 2, column: 1 }),
    });
    expect(desired.products.get("A")?.scope).toEqual(new Set(["ne_wh", "west_wh"]));
    expect(desired.products.get("B")?.scope).toEqual(new Set(["ne_wh"]));
    // Declared in YAML or in a feed without a scope of its own: the file's scope.
    expect(desired.products.get("C")?.scope).toBeUndefined();
    expect(desired.products.get("D")?.scope).toBeUndefined();
    expect(desired.products.get("A")?.assignments.map((a) => a.source)).toEqual(["ne_wh", "west_wh"]);
    expect(load({ "inventory.yaml": `version: 1\n${sources}` }).scope).toBeUndefined();
  });

  it("refuses rows, products and feed scopes outside the scope they belong to, at their positions", () => {
    expect(
      problems({
        "inventory.yaml": [
          "version: 1",
          "scope: { sources: [ne_wh, west_wh] }",
          "csv: [{ file: ne_wh.csv, scope: { sources: [ne_wh, hq] } }, all.csv]",
          "products:",
          "  C: { hq: 1, ne_wh: 2 }",
          "",
        ].join("\n"),
        "ne_wh.csv": `${HEADER}A,ne_wh,1,1\nA,west_wh,1,1\n`,
        "all.csv": `${HEADER}B,default,1,1\n`,
      }),
    ).toEqual([
      'all.csv:2:3 source "default" of "B" is outside the scope of inventory.yaml (ne_wh, west_wh); the rows of a file are at the sources of its scope. Add the source to the scope, or leave the row out.',
      'inventory.yaml:3:52 feed "ne_wh.csv" has source "hq" in its scope, outside the file\'s scope (ne_wh, west_wh). Add it to the file\'s scope, or take it out of the feed\'s.',
      'inventory.yaml:5:8 product "C" is assigned to source "hq", outside the scope of inventory.yaml (ne_wh, west_wh). Add the source to the scope, or remove it from the product.',
      'ne_wh.csv:3:3 source "west_wh" of "A" is outside the scope of this feed (ne_wh, hq); the rows of a file are at the sources of its scope. Add the source to the scope, or leave the row out.',
    ]);
  });

  it("the schema holds a scope to a non-empty list of source codes", () => {
    expect(problems({ "inventory.yaml": "version: 1\nscope: { sources: [] }\n" })).toEqual([
      'inventory.yaml:2:19 "scope" "sources" must list at least 1 item.',
    ]);
    expect(problems({ "inventory.yaml": "version: 1\ncsv: [{ file: a.csv, scope: { codes: [x] } }]\n" })).toEqual([
      'inventory.yaml:2:22 "csv" #1 "scope" is missing "sources".',
      'inventory.yaml:2:31 "csv" #1 "scope" has an unknown field "codes".',
    ]);
  });
});
