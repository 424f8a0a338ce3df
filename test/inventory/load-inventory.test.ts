// The file stage: forms of the format, positions in every message, every problem at once.

import { describe, expect, it } from "vitest";
import { InventoryFileError } from "../../src/errors.js";
import { loadInventory } from "../../src/inventory/load-inventory.js";
import type { DesiredState } from "../../src/model.js";
import { workspace } from "../helpers/sandbox.js";

function load(yaml: string, files: Record<string, string> = {}): DesiredState {
  const dir = workspace({ "inventory.yaml": yaml, ...files });
  return loadInventory("inventory.yaml", { cwd: dir });
}

function problems(yaml: string, files: Record<string, string> = {}): string[] {
  try {
    load(yaml, files);
  } catch (error) {
    if (error instanceof InventoryFileError)
      return error.problems.map((p) => `${p.origin.file}:${p.origin.line}:${p.origin.column} ${p.message}`);
    throw error;
  }
  throw new Error("expected problems, the file loaded");
}

describe("the file format", () => {
  it("loads the example shop", () => {
    const dir = process.cwd();
    const desired = loadInventory("inventory.example.yaml", { cwd: dir });
    expect([...desired.sources.keys()]).toEqual([
      "ne_wh",
      "west_wh",
      "brooklyn",
      "huntington",
      "manhattan",
      "berkeley",
      "sausalito",
      "hq",
    ]);
    expect(desired.stocks.get("US Stock")?.links?.map((l) => `${l.source}:${l.priority}`)).toEqual([
      "ne_wh:1",
      "brooklyn:2",
      "manhattan:3",
      "huntington:4",
      "west_wh:5",
      "berkeley:6",
      "sausalito:7",
      "hq:8",
    ]);
    expect(desired.stocks.get("US Stock")?.salesChannels).toEqual([{ type: "website", code: "base" }]);
    expect(desired.stocks.get("East Coast Stock")?.salesChannels).toBeUndefined();
    expect(desired.products.get("240-LV06")?.assignments).toEqual([
      { source: "hq", quantity: 9999, status: "in_stock" },
    ]);
    expect(desired.files.map((f) => f.path)).toEqual(["inventory.example.yaml"]);
    expect(desired.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reads the three product forms: quantities, { quantity, status }, and a list of sources", () => {
    const desired = load(`version: 1
products:
  A: { ne_wh: 35, brooklyn: 0 }
  B: { ne_wh: { quantity: 2.5, status: out_of_stock }, hq: { quantity: 1 } }
  C: [hq, ne_wh]
  D: { sources: [hq], quantities: on_create }
  E: { sources: { hq: 4 }, quantities: ignore }
`);
    expect(desired.products.get("A")?.assignments).toEqual([
      { source: "ne_wh", quantity: 35, status: "in_stock" },
      { source: "brooklyn", quantity: 0, status: "in_stock" },
    ]);
    expect(desired.products.get("B")?.assignments).toEqual([
      { source: "ne_wh", quantity: 2.5, status: "out_of_stock" },
      { source: "hq", quantity: 1, status: "in_stock" },
    ]);
    expect(desired.products.get("C")?.assignments).toEqual([
      { source: "hq", quantity: undefined, status: undefined },
      { source: "ne_wh", quantity: undefined, status: undefined },
    ]);
    expect(desired.products.get("A")?.quantities).toBe("manage");
    expect(desired.products.get("D")?.quantities).toBe("on_create");
    expect(desired.products.get("E")?.quantities).toBe("ignore");
    expect(desired.products.get("E")?.assignments).toEqual([{ source: "hq", quantity: 4, status: "in_stock" }]);
  });

  it("takes the global quantities policy as every product's default", () => {
    const desired = load(
      "version: 1\nquantities: on_create\nproducts:\n  A: { hq: 1 }\n  B: { sources: { hq: 1 }, quantities: manage }\n",
    );
    expect(desired.products.get("A")?.quantities).toBe("on_create");
    expect(desired.products.get("B")?.quantities).toBe("manage");
  });

  it("gives list positions as priorities, lets an entry set its own, and counts on from it", () => {
    const desired = load(`version: 1
stocks:
  S:
    sales_channels: { website: [us_site, base] }
    sources: [a, { source: b, priority: 10 }, c]
`);
    expect(desired.stocks.get("S")?.links).toEqual([
      { source: "a", priority: 1 },
      { source: "b", priority: 10 },
      { source: "c", priority: 11 },
    ]);
    expect(desired.stocks.get("S")?.salesChannels).toEqual([
      { type: "website", code: "base" },
      { type: "website", code: "us_site" },
    ]);
  });

  it("reads the safety policy", () => {
    const desired = load("version: 1\npolicy: { allow_destroy: true, max_unassign: 3, max_units_removed: 50 }\n");
    expect(desired.safety).toEqual({ allowDestroy: true, maxUnassign: 3, maxUnitsRemoved: 50 });
  });
});

describe("problems in the file", () => {
  it("reports every schema problem at once, with file:line:column and a plain sentence", () => {
    expect(
      problems(`version: 2
sources:
  ne wh:
    name: X
    country_id: usa
    postcode: 07306
    carrier_links: []
  other:
    name: Other
    country_id: US
    postcode: "1"
    foo: 1
stocks:
  S:
    sources: [a, { source: b, priority: 0 }]
products:
  " bad": [a]
  ok: { a: "x", b: { quantity: "1" }, c: { quantity: 1, status: gone } }
`),
    ).toEqual([
      'inventory.yaml:1:10 "version" must be 1.',
      'inventory.yaml:3:3 source code "ne wh" is not valid: Magento refuses empty codes and codes with whitespace.',
      'inventory.yaml:5:17 source "ne wh" field "country_id" ' +
        "must be a two-letter country code in capitals, such as US.",
      'inventory.yaml:6:15 source "ne wh" field "postcode" must be ' +
        'text (write it in quotes, e.g. "07306", so YAML keeps it as text).',
      'inventory.yaml:7:5 source "ne wh" has "carrier_links", which inv does not ' +
        "accept: Magento rejects carrier links while use_default_carrier_config " +
        "reads true (InventoryShipping CarrierLinksValidator), so inv does not manage them.",
      'inventory.yaml:12:5 source "other" has an unknown field "foo"; known fields: name, enabled, ' +
        "email, contact_name, description, latitude, longitude, country_id, region_id, region, city, " +
        "street, postcode, phone, fax, is_pickup_location_active, frontend_name, frontend_description.",
      'inventory.yaml:15:41 stock "S" source #2 "priority" must be >= 1.',
      'inventory.yaml:17:3 SKU " bad" is not valid: Magento ' +
        "refuses empty SKUs and SKUs with leading or trailing spaces.",
      'inventory.yaml:18:12 product "ok" at source "a" must be a quantity (a number) or { quantity, status }.',
      'inventory.yaml:18:32 product "ok" at source "b" field "quantity" must be a number.',
      'inventory.yaml:18:65 product "ok" at source "c" field "status" must be one of: in_stock, out_of_stock.',
    ]);
  });

  it("says where YAML itself is broken", () => {
    expect(problems("version: 1\nsources:\n  a: [unclosed\n")[0]).toMatch(/^inventory\.yaml:\d+:\d+ is not valid YAML/);
  });

  it("refuses a key given twice in one mapping", () => {
    expect(problems("version: 1\nproducts:\n  A: { hq: 1 }\n  A: { hq: 2 }\n")).toEqual([
      'inventory.yaml:4:3 repeats the key "A", which this mapping already has at inventory.yaml:3:3; each key may appear once.',
    ]);
  });

  it("refuses an alias bomb instead of expanding it", () => {
    const bomb = ["version: 1", "a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, ` +
          `*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, ` +
          `*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, ` +
          `*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      );
    const found = problems(`${bomb.join("\n")}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain("alias bomb");
  });

  it("refuses keys YAML would read as numbers or booleans", () => {
    expect(problems("version: 1\nproducts:\n  0012: [hq]\n  yes: [hq]\n")).toContain(
      'inventory.yaml:3:3 key 0012 reads as 12 in YAML; write it in quotes ("0012") to keep it as text.',
    );
  });

  it("says when the file does not exist", () => {
    const dir = workspace({});
    expect(() => loadInventory("missing.yaml", { cwd: dir })).toThrow(/missing\.yaml does not exist/);
  });
});

describe("Magento's rules, offline", () => {
  it("refuses what Magento would refuse about the default source and stock", () => {
    expect(
      problems(`version: 1
sources:
  default: { name: Default Source, country_id: US, postcode: "00000", enabled: false, is_pickup_location_active: true }
stocks:
  Mixed:
    sources: [default, ne_wh]
`),
    ).toEqual([
      // Each at the exact node: the field's value, the list entry.
      'inventory.yaml:3:80 source "default" cannot be disabled; ' +
        'Magento refuses it ("Default source can not be disabled.").',
      'inventory.yaml:3:114 source "default" cannot be a pickup location; Magento ' +
        'refuses it ("The Default Source can not be used for In-Store Pickup Delivery.").',
      'inventory.yaml:6:15 stock "Mixed" links source "default" together with other sources; Magento links ' +
        '"default" only to the Default Stock, alone ("Can not save link related to Default Source or Default Stock").',
    ]);
  });

  it("refuses names and codes that collide the way MySQL compares them", () => {
    const found = problems(`version: 1
sources:
  EU: { name: Europe, country_id: DE, postcode: "1" }
  eu: { name: " europe ", country_id: DE, postcode: "1" }
stocks:
  Main: {}
  MAIN: {}
products:
  abc: [EU]
  ABC: [EU]
`);
    expect(found).toContain(
      'inventory.yaml:4:3 source "eu" and source "EU" differ only in case; Magento stores them as the same source.',
    );
    expect(found).toContain(
      'inventory.yaml:4:15 source "eu" has the name " europe ", which source "EU" has ' +
        "too; Magento requires unique source names (case and surrounding spaces ignored).",
    );
    expect(found).toContain(
      'inventory.yaml:7:3 stock "MAIN" and stock "Main" differ ' +
        "only in case or spaces; Magento requires unique stock names.",
    );
    expect(found).toContain(
      'inventory.yaml:10:3 product "ABC" and product "abc" differ ' +
        "only in case; Magento stores their source items as the same SKU.",
    );
  });

  it("refuses a website claimed by two stocks, a source listed twice, priorities out of order", () => {
    const found = problems(`version: 1
stocks:
  One:
    sales_channels: { website: [base] }
    sources: [a, a]
  Two:
    sales_channels: { website: [base] }
    sources: [{ source: b, priority: 5 }, { source: c, priority: 3 }]
`);
    expect(found).toContain(
      'inventory.yaml:5:18 stock "One" lists source "a" twice; a source is linked to a stock once.',
    );
    expect(found).toContain(
      'inventory.yaml:7:33 stock "Two" and stock "One" both claim website "base"; a sales channel belongs to one stock.',
    );
    expect(found).toContain(
      'inventory.yaml:8:43 stock "Two" gives source "c" priority 3, not ' +
        "above the 5 of the entry before it; list sources in priority order.",
    );
  });

  it("refuses quantities Magento cannot store and a pickup location without an address", () => {
    const found = problems(`version: 1
sources:
  shop: { name: Shop, country_id: US, postcode: "1", is_pickup_location_active: true, city: null }
products:
  A: { shop: 1.23456 }
`);
    expect(found).toContain(
      'inventory.yaml:3:93 source "shop" is a pickup location without a ' +
        'city; Magento requires one ("city" can not be empty for Pickup Location.).',
    );
    expect(found).toContain(
      'inventory.yaml:5:14 product "A" has quantity 1.23456 at "shop"; Magento stores 4 decimals (decimal(12,4)).',
    );
  });
});

describe("the file's order", () => {
  it("keeps products and each product's sources as the file lists them, numeric SKUs included", () => {
    const desired = load(`version: 1
products:
  "300": { west: 1, east: 2 }
  B-2: { hq: 1 }
  "100": [east, west]
`);
    expect([...desired.products.keys()]).toEqual(["300", "B-2", "100"]);
    expect(desired.products.get("300")?.assignments.map((a) => a.source)).toEqual(["west", "east"]);
    expect(desired.products.get("100")?.assignments.map((a) => a.source)).toEqual(["east", "west"]);
  });

  it("keeps a source's fields as the file lists them, which a create sends in that order", () => {
    const desired = load(`version: 1
sources:
  east: { postcode: "1", name: East, country_id: US, enabled: false }
`);
    expect(Object.keys(desired.sources.get("east")?.fields ?? {})).toEqual([
      "postcode",
      "name",
      "country_id",
      "enabled",
    ]);
  });
});

describe("stock renames and deletions in the file", () => {
  it("reads renamed_from and delete: true, with where each stands", () => {
    const desired = load(`version: 1
stocks:
  North America:
    renamed_from: US Stock
  Outlet: { delete: true }
`);
    expect(desired.stocks.get("North America")?.renamedFrom).toEqual({
      name: "US Stock",
      origin: { file: "inventory.yaml", line: 4, column: 19 },
    });
    expect(desired.stocks.has("Outlet")).toBe(false);
    expect([...(desired.stockDeletions ?? [])]).toEqual([["Outlet", { file: "inventory.yaml", line: 5, column: 3 }]]);
  });

  it("refuses renames that cannot be one stock, each at its renamed_from", () => {
    expect(
      problems(`version: 1
stocks:
  A:
    renamed_from: A
  B:
    renamed_from: C
  C: {}
  D:
    renamed_from: Gone
  Gone: { delete: true }
  E:
    renamed_from: Old
  F:
    renamed_from: Old
`),
    ).toEqual([
      'inventory.yaml:4:19 stock "A" is renamed from its own name; remove renamed_from.',
      'inventory.yaml:6:19 stock "B" is renamed from "C", which the file declares as a stock too; a renamed stock is one stock. Remove the entry "C", or renamed_from.',
      'inventory.yaml:9:19 stock "D" is renamed from "Gone", which the file deletes; rename it or delete it, not both.',
      'inventory.yaml:14:19 stocks "E" and "F" are both renamed from "Old"; one stock can take its place.',
    ]);
  });

  it("says delete takes true and nothing else", () => {
    expect(problems(`version: 1\nstocks:\n  Outlet: { delete: false }\n`)).toEqual([
      'inventory.yaml:3:21 stock "Outlet" "delete" must be true.',
    ]);
  });
});

describe("every problem at once, each at its node", () => {
  it("runs the rules on every part the schema could read, in the same report", () => {
    expect(
      problems(
        `version: 1
sources:
  east: { name: East, country_id: USA, postcode: "1" }
  west: { name: West, country_id: US, postcode: "2" }
  north: { name: west, country_id: US, postcode: "3" }
stocks:
  A: { sources: [west, west] }
products:
  X: { west: oops }
  abc: [west]
  ABC: [west]
include: [more.yaml]
`,
        { "more.yaml": "products:\n  Y: { west: nope }\n  y: [west]\n  Z: [west]\n  z: [west]\n" },
      ),
    ).toEqual([
      'inventory.yaml:3:35 source "east" field "country_id" must be a two-letter country code in capitals, such as US.',
      'inventory.yaml:5:18 source "north" has the name "west", which source "west" has too; Magento requires unique source names (case and surrounding spaces ignored).',
      'inventory.yaml:7:24 stock "A" lists source "west" twice; a source is linked to a stock once.',
      'inventory.yaml:9:14 product "X" at source "west" must be a quantity (a number) or { quantity, status }.',
      'inventory.yaml:11:3 product "ABC" and product "abc" differ only in case; Magento stores their source items as the same SKU.',
      'more.yaml:2:14 product "Y" at source "west" must be a quantity (a number) or { quantity, status }.',
      'more.yaml:5:3 product "z" and product "Z" differ only in case; Magento stores their source items as the same SKU.',
    ]);
  });

  it("says the limit of a quantity beyond decimal(12,4), in YAML and in CSV", () => {
    expect(
      problems(
        `version: 1\nproducts:\n  X: { a: 100000000 }\n  Y: { a: 1e309 }\n  Z: { a: { quantity: -123456789 } }\ncsv: [q.csv]\n`,
        {
          "q.csv": "sku,source_code,quantity,status\nW,a,100000000,1\n",
        },
      ),
    ).toEqual([
      'inventory.yaml:3:11 product "X" at source "a" has quantity 100000000, beyond what Magento stores: quantities are decimal(12,4), from -99999999.9999 to 99999999.9999.',
      'inventory.yaml:4:11 product "Y" at source "a" has a quantity too large to be a number (YAML reads it as infinity), beyond what Magento stores: quantities are decimal(12,4), from -99999999.9999 to 99999999.9999.',
      'inventory.yaml:5:23 product "Z" at source "a" has quantity -123456789, beyond what Magento stores: quantities are decimal(12,4), from -99999999.9999 to 99999999.9999.',
      'q.csv:2:5 quantity "100000000" of "W" at "a" is outside the quantities Magento stores (-99999999.9999 to 99999999.9999, decimal(12,4)).',
    ]);
  });

  it("refuses YAML merge keys by name, whichever reader reads the file", () => {
    // Plain YAML (inv's own reader), and a file with an anchor (the yaml package).
    expect(problems(`version: 1\nproducts:\n  X:\n    <<: { west: 1 }\n    east: 2\n`)).toEqual([
      "inventory.yaml:4:5 uses the YAML merge key <<, which inv does not apply (YAML 1.2 has no merge keys, and a merge would hide what the entry declares): write the fields out in this mapping.",
    ]);
    expect(
      problems(
        `version: 1\nsources:\n  east: &east { name: East, country_id: US, postcode: "1" }\n  west:\n    <<: *east\n    name: West\n`,
      ),
    ).toEqual(
      [
        "inventory.yaml:5:5 uses the YAML merge key <<, which inv does not apply (YAML 1.2 has no merge keys, and a merge would hide what the entry declares): write the fields out in this mapping.",
        'inventory.yaml:4:3 source "west" is missing "country_id", which Magento requires on every source save.',
        'inventory.yaml:4:3 source "west" is missing "postcode", which Magento requires on every source save.',
      ].sort((a, b) => Number(a.split(":")[1]) - Number(b.split(":")[1])),
    );
    // A quoted "<<" is a key like any other (here a source code, which the store then checks).
    expect(load(`version: 1\nproducts:\n  X: { "<<": 1 }\n`).products.get("X")?.assignments).toEqual([
      { source: "<<", quantity: 1, status: "in_stock" },
    ]);
  });

  it("says a main-file field in an included file belongs in the main file", () => {
    expect(
      problems(`version: 1\ninclude: [more.yaml]\n`, {
        "more.yaml": `sources:\n  a: { name: A, country_id: US, postcode: "1" }\nproducts:\n  X: [a]\nquantities: on_create\n`,
      }),
    ).toEqual([
      'more.yaml:1:1 has "sources", which belongs in the main inventory file; a file named by include: holds only products. Move "sources" to the main file.',
      'more.yaml:5:1 has "quantities", which belongs in the main inventory file; a file named by include: holds only products. Move "quantities" to the main file.',
    ]);
    expect(problems(`version: 1\ninclude: [more.yaml]\n`, { "more.yaml": "products: {}\nskus: []\n" })).toEqual([
      'more.yaml:2:1 the file has an unknown field "skus"; known fields: products.',
    ]);
  });

  it("accepts a negative quantity with a warning naming where it is, in YAML and in CSV", () => {
    const desired = load(
      `version: 1\nproducts:\n  X: { a: -5, b: 2 }\n  Y: { a: { quantity: -0.5 } }\ncsv: [q.csv]\n`,
      {
        "q.csv": "sku,source_code,quantity,status\nW,a,3,1\nW,b,-3,1\n",
      },
    );
    expect(desired.warnings?.map((w) => `${w.origin.file}:${w.origin.line}:${w.origin.column} ${w.message}`)).toEqual([
      'inventory.yaml:3:11 product "X" has quantity -5 at source "a", below 0. Magento keeps it and sells it only with backorders on; if the minus is a typo, remove it.',
      'inventory.yaml:4:23 product "Y" has quantity -0.5 at source "a", below 0. Magento keeps it and sells it only with backorders on; if the minus is a typo, remove it.',
      'q.csv:3:5 product "W" has quantity -3 at source "b", below 0. Magento keeps it and sells it only with backorders on; if the minus is a typo, remove it.',
    ]);
    expect(load(`version: 1\nproducts:\n  X: { a: 5 }\n`).warnings).toBeUndefined();
  });
});
