// searchCriteria, paging and input limits (docs/magento/webapi-platform.md#input-limits,
// docs/magento/webapi-platform.md#searchcriteria).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshState, type Sandbox, type SandboxState } from "../../src/sandbox/index.js";
import { call, criteria, start } from "./helpers.js";

type Page = {
  items: { sku: string; source_code: string; quantity: number; status: number }[];
  total_count: number;
  search_criteria: Record<string, unknown>;
};

function seeded(): SandboxState {
  const base = freshState();
  const sources = ["s1", "s2", "s3"].map((c) => ({
    source_code: c,
    name: `Source ${c}`,
    enabled: true,
    country_id: "US",
    postcode: "1",
  }));
  const items = [];
  for (let i = 1; i <= 10; i++) {
    for (const s of ["s1", "s2", "s3"])
      items.push({
        sku: `SKU-${String(i).padStart(2, "0")}`,
        source_code: s,
        quantity: i * 10 + (s === "s2" ? 1 : 0),
        status: i % 3 === 0 ? 0 : 1,
      });
  }
  return { ...base, sources: [...base.sources, ...sources], source_items: [...base.source_items, ...items] };
}

let sb: Sandbox;
let repeat: Sandbox;
let limited: Sandbox;
beforeAll(async () => {
  sb = await start({ initialState: seeded() });
  repeat = await start({ initialState: seeded(), lastPageBehavior: "repeat-last" });
  limited = await start({ initialState: seeded(), inputLimits: true });
});
afterAll(async () => {
  await Promise.all([sb.close(), repeat.close(), limited.close()]);
});

const get = async (s: Sandbox, qs: string): Promise<Page> =>
  (await call(s, "GET", `/rest/V1/inventory/source-items?${qs}`)).json as Page;
const inS = [[{ field: "source_code", value: "s1,s2,s3", condition_type: "in" }]];

describe("paging", () => {
  it("no pageSize returns every match; pageSize 0 too; total_count counts all matches", async () => {
    expect((await get(sb, criteria(inS))).items).toHaveLength(30);
    const zero = await get(sb, criteria(inS, { "searchCriteria[pageSize]": "0" }));
    expect(zero.items).toHaveLength(30);
    const page = await get(sb, criteria(inS, { "searchCriteria[pageSize]": "7", "searchCriteria[currentPage]": "2" }));
    expect(page.items).toHaveLength(7);
    expect(page.total_count).toBe(30);
    expect(page.search_criteria).toMatchObject({ page_size: 7, current_page: 2 });
  });

  it("2.4: past the last page gives items [] with the true total_count", async () => {
    const p = await get(sb, criteria(inS, { "searchCriteria[pageSize]": "10", "searchCriteria[currentPage]": "9" }));
    expect(p.items).toEqual([]);
    expect(p.total_count).toBe(30);
  });

  it("≤2.3 behaviour: past the last page repeats the last page", async () => {
    const qs = (page: number): string =>
      criteria(inS, {
        "searchCriteria[pageSize]": "7",
        "searchCriteria[currentPage]": String(page),
        "searchCriteria[sortOrders][0][field]": "sku",
        "searchCriteria[sortOrders][0][direction]": "ASC",
      });
    const last = await get(repeat, qs(5));
    const beyond = await get(repeat, qs(9));
    expect(last.items).toHaveLength(2);
    expect(beyond.items).toEqual(last.items);
  });

  it("currentPage ≤ 0 is page 1", async () => {
    const a = await get(sb, criteria(inS, { "searchCriteria[pageSize]": "5", "searchCriteria[currentPage]": "0" }));
    const b = await get(sb, criteria(inS, { "searchCriteria[pageSize]": "5", "searchCriteria[currentPage]": "1" }));
    expect(a.items).toEqual(b.items);
  });

  it("pages of a sort on non-unique keys are stable and cover every row once", async () => {
    const seen = new Set<string>();
    for (let p = 1; p <= 5; p++) {
      const page = await get(
        sb,
        criteria(inS, {
          "searchCriteria[pageSize]": "7",
          "searchCriteria[currentPage]": String(p),
          "searchCriteria[sortOrders][0][field]": "status",
          "searchCriteria[sortOrders][0][direction]": "ASC",
        }),
      );
      for (const i of page.items) seen.add(`${i.sku}/${i.source_code}`);
    }
    expect(seen.size).toBe(30);
  });
});

describe("filters and sorting", () => {
  it("OR inside a group, AND across groups", async () => {
    const p = await get(
      sb,
      criteria([
        [
          { field: "sku", value: "SKU-01" },
          { field: "sku", value: "SKU-02" },
        ],
        [{ field: "source_code", value: "s2" }],
      ]),
    );
    expect(p.items.map((i) => `${i.sku}/${i.source_code}`).sort()).toEqual(["SKU-01/s2", "SKU-02/s2"]);
  });

  it("condition types: like, nlike, neq, gt, lt, gteq, lteq, from/to, nin, finset, null/notnull", async () => {
    const count = async (f: { field: string; value: string; condition_type?: string }[][]): Promise<number> =>
      (await get(sb, criteria(f))).total_count;
    const only = [{ field: "source_code", value: "s1" }];
    expect(await count([only, [{ field: "sku", value: "sku-1%", condition_type: "like" }]])).toBe(1);
    expect(await count([only, [{ field: "sku", value: "SKU-0_", condition_type: "like" }]])).toBe(9);
    expect(await count([only, [{ field: "sku", value: "SKU-0%", condition_type: "nlike" }]])).toBe(1);
    expect(await count([only, [{ field: "status", value: "1", condition_type: "neq" }]])).toBe(3);
    expect(await count([only, [{ field: "quantity", value: "50", condition_type: "gt" }]])).toBe(5);
    expect(await count([only, [{ field: "quantity", value: "50", condition_type: "lt" }]])).toBe(4);
    expect(await count([only, [{ field: "quantity", value: "50", condition_type: "gteq" }]])).toBe(6);
    expect(await count([only, [{ field: "quantity", value: "50", condition_type: "lteq" }]])).toBe(5);
    expect(
      await count([
        only,
        [{ field: "quantity", value: "20", condition_type: "from" }],
        [{ field: "quantity", value: "40", condition_type: "to" }],
      ]),
    ).toBe(3);
    expect(await count([only, [{ field: "sku", value: "SKU-01,SKU-02", condition_type: "nin" }]])).toBe(8);
    expect(await count([only, [{ field: "sku", value: "SKU-03", condition_type: "finset" }]])).toBe(1);
    expect(await count([only, [{ field: "sku", value: "", condition_type: "null" }]])).toBe(0);
    expect(await count([only, [{ field: "sku", value: "", condition_type: "notnull" }]])).toBe(10);
  });

  it("string matching is case-insensitive like utf8_general_ci", async () => {
    const p = await get(
      sb,
      criteria([
        [{ field: "sku", value: "sku-05,Sku-06", condition_type: "in" }],
        [{ field: "source_code", value: "S1" }],
      ]),
    );
    expect(p.items.map((i) => i.sku)).toEqual(["SKU-05", "SKU-06"]);
  });

  it("sortOrders: direction case-insensitive, missing direction sorts DESC, several keys", async () => {
    const qs = criteria([[{ field: "source_code", value: "s2" }]], {
      "searchCriteria[sortOrders][0][field]": "quantity",
      "searchCriteria[pageSize]": "2",
    });
    const p = await get(sb, qs);
    expect(p.items.map((i) => i.quantity)).toEqual([101, 91]);
    expect(p.search_criteria["sort_orders"]).toEqual([{ field: "quantity" }]);
    const two = await get(
      sb,
      criteria([[{ field: "sku", value: "SKU-01,SKU-02", condition_type: "in" }]], {
        "searchCriteria[sort_orders][0][field]": "sku",
        "searchCriteria[sort_orders][0][direction]": "desc",
        "searchCriteria[sort_orders][1][field]": "source_code",
        "searchCriteria[sort_orders][1][direction]": "asc",
      }),
    );
    expect(two.items.map((i) => `${i.sku}/${i.source_code}`)).toEqual([
      "SKU-02/s1",
      "SKU-02/s2",
      "SKU-02/s3",
      "SKU-01/s1",
      "SKU-01/s2",
      "SKU-01/s3",
    ]);
    expect(two.search_criteria["sort_orders"]).toEqual([
      { field: "sku", direction: "DESC" },
      { field: "source_code", direction: "ASC" },
    ]);
  });

  it("a bad direction is the SortOrder message; an unknown field is a masked 500", async () => {
    const bad = await call(
      sb,
      "GET",
      "/rest/V1/inventory/source-items?searchCriteria[sortOrders][0][field]=sku" +
        "&searchCriteria[sortOrders][0][direction]=up",
    );
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      message: "The sort order has to be specified as %1 for ascending order or %2 for descending order.",
      parameters: ["ASC", "DESC"],
    });
    const unknown = await call(
      sb,
      "GET",
      `/rest/V1/inventory/source-items?${criteria([[{ field: "colour", value: "red" }]])}`,
    );
    expect(unknown.status).toBe(500);
    expect((unknown.json as { message: string }).message).toMatch(
      /^Internal Error\. Details are available in Magento log file\. Report ID: webapi-[0-9a-f]{13}$/,
    );
  });

  it("sources and stocks list without searchCriteria (optional) and echo filter_groups []", async () => {
    const r = (await call(sb, "GET", "/rest/V1/inventory/sources")).json as {
      items: { source_code: string }[];
      search_criteria: unknown;
      total_count: number;
    };
    expect(r.items.map((s) => s.source_code)).toEqual(["default", "s1", "s2", "s3"]);
    expect(r.search_criteria).toEqual({ filter_groups: [] });
    const filtered = (
      await call(
        sb,
        "GET",
        "/rest/V1/inventory/sources?" +
          criteria([[{ field: "enabled", value: "1" }]], {
            "searchCriteria[sortOrders][0][field]": "name",
            "searchCriteria[sortOrders][0][direction]": "DESC",
            "searchCriteria[pageSize]": "2",
            "searchCriteria[currentPage]": "2",
          }),
      )
    ).json as { items: { source_code: string }[]; total_count: number };
    expect(filtered.items.map((s) => s.source_code)).toEqual(["s1", "default"]);
    expect(filtered.total_count).toBe(4);
  });
});

describe("input limits (docs/magento/webapi-platform.md#input-limits)", () => {
  it("pageSize above the maximum → Maximum SearchCriteria pageSize is %max", async () => {
    const r = await call(
      limited,
      "GET",
      `/rest/V1/inventory/source-items?${criteria(inS, { "searchCriteria[pageSize]": "301" })}`,
    );
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ message: "Maximum SearchCriteria pageSize is %max", parameters: { max: 300 } });
  });

  it("no pageSize → the default page size (20) is applied and echoed", async () => {
    const p = await get(limited, criteria(inS));
    expect(p.items).toHaveLength(20);
    expect(p.search_criteria["page_size"]).toBe(20);
    expect(p.total_count).toBe(30);
  });

  it("more than 20 source items → Maximum items of type ... is %max; 20 pass", async () => {
    const items = (n: number): unknown[] =>
      Array.from({ length: n }, (_v, i) => ({ sku: `LIM-${i}`, source_code: "s1", quantity: 1, status: 1 }));
    const r = await call(limited, "POST", "/rest/V1/inventory/source-items", { sourceItems: items(21) });
    expect(r.json).toEqual({
      message: 'Maximum items of type "%type" is %max',
      parameters: { type: "\\Magento\\InventoryApi\\Api\\Data\\SourceItemInterface", max: 20 },
    });
    expect((await call(limited, "POST", "/rest/V1/inventory/source-items", { sourceItems: items(20) })).json).toEqual(
      [],
    );
  });

  it("the limit counts filters of a search too, but not arrays of scalars", async () => {
    const groups = [Array.from({ length: 21 }, (_v, i) => ({ field: "sku", value: `SKU-${i}` }))];
    const r = await call(limited, "GET", `/rest/V1/inventory/source-items?${criteria(groups)}`);
    expect(r.json).toEqual({
      message: 'Maximum items of type "%type" is %max',
      parameters: { type: "\\Magento\\Framework\\Api\\Filter", max: 20 },
    });
    const skus = Array.from({ length: 50 }, (_v, i) => `SKU-${i}`);
    const bulk = await call(limited, "POST", "/rest/V1/inventory/bulk-product-source-assign", {
      skus,
      sourceCodes: ["s1"],
    });
    expect(bulk.status).toBe(200);
  });
});
