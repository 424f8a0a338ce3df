// 100,000 SKUs × 10 sources through initialState; sorted paging and `sku in (...)` chunks
// answer correctly (correctness only; no timing assertions).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshState, type Sandbox, type StateSourceItem } from "../../src/sandbox/index.js";
import { call, start } from "./helpers.js";

const SKUS = 100_000;
const SOURCES = Array.from({ length: 10 }, (_v, i) => `src${i}`);
const sku = (i: number): string => `SKU-${String(i).padStart(6, "0")}`;

let sb: Sandbox;
beforeAll(async () => {
  const base = freshState();
  const items: StateSourceItem[] = new Array<StateSourceItem>(SKUS * SOURCES.length);
  let n = 0;
  for (let i = 0; i < SKUS; i++) {
    for (let s = SOURCES.length - 1; s >= 0; s--)
      items[n++] = { sku: sku(i), source_code: SOURCES[s] ?? "", quantity: (i % 97) + s, status: 1 };
  }
  sb = await start({
    initialState: {
      ...base,
      sources: [
        ...base.sources,
        ...SOURCES.map((c) => ({
          source_code: c,
          name: `Source ${c}`,
          enabled: true,
          country_id: "US",
          postcode: "1",
        })),
      ],
      source_items: items,
    },
  });
}, 60_000);
afterAll(async () => sb.close());

type Page = { items: { sku: string; source_code: string; quantity: number }[]; total_count: number };

describe("a million source items", () => {
  it("pages sorted by sku ASC, source_code ASC, fetched concurrently", async () => {
    const qs = (page: number): string =>
      "searchCriteria[sortOrders][0][field]=sku&searchCriteria[sortOrders][0][direction]=ASC" +
      "&searchCriteria[sortOrders][1][field]=source_code" +
      `&searchCriteria[sortOrders][1][direction]=ASC&searchCriteria[pageSize]=5000&searchCriteria[currentPage]=${page}`;
    const pages = await Promise.all(
      [1, 2, 200].map(async (p) => (await call(sb, "GET", `/rest/V1/inventory/source-items?${qs(p)}`)).json as Page),
    );
    const [first, second, last] = pages;
    expect(first?.total_count).toBe(SKUS * SOURCES.length);
    expect(first?.items[0]).toEqual({ sku: sku(0), source_code: "src0", quantity: 0, status: 1 });
    expect(second?.items).toHaveLength(5000);
    const lastItems = last?.items ?? [];
    expect(lastItems[lastItems.length - 1]).toMatchObject({ sku: sku(SKUS - 1), source_code: "src9" });
    // Within a SKU the sources come in order.
    const codes = second?.items.filter((i) => i.sku === second.items[0]?.sku).map((i) => i.source_code);
    expect(codes).toEqual([...(codes ?? [])].sort());
  });

  it("answers a sku-in chunk of 200 SKUs", async () => {
    const chunk = Array.from({ length: 200 }, (_v, i) => sku(50_000 + i * 7));
    const r = (
      await call(
        sb,
        "GET",
        "/rest/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku" +
          `&searchCriteria[filter_groups][0][filters][0][value]=${chunk.join(",")}` +
          "&searchCriteria[filter_groups][0][filters][0][condition_type]=in" +
          "&searchCriteria[pageSize]=5000",
      )
    ).json as Page;
    expect(r.total_count).toBe(2000);
    expect(new Set(r.items.map((i) => i.sku))).toEqual(new Set(chunk));
  });

  it("a write invalidates the cached order", async () => {
    await call(sb, "POST", "/rest/V1/inventory/source-items", {
      sourceItems: [{ sku: "AAA-first", source_code: "src0", quantity: 1, status: 1 }],
    });
    const r = (
      await call(
        sb,
        "GET",
        "/rest/V1/inventory/source-items?searchCriteria[sortOrders][0][field]=sku" +
          "&searchCriteria[sortOrders][0][direction]=ASC&searchCriteria[sortOrders][1][field]=source_code" +
          "&searchCriteria[sortOrders][1][direction]=ASC&searchCriteria[pageSize]=1",
      )
    ).json as Page;
    expect(r.items[0]?.sku).toBe("AAA-first");
    const r2 = (
      await call(
        sb,
        "GET",
        "/rest/V1/inventory/source-items?searchCriteria[sortOrders][0][field]=sku" +
          "&searchCriteria[sortOrders][0][direction]=DESC&searchCriteria[pageSize]=1",
      )
    ).json as Page;
    expect(r2.items[0]?.sku).toBe(sku(SKUS - 1));
    expect(r.total_count).toBe(SKUS * SOURCES.length + 1);
  });
});
