// The seed documents' payloads, sent verbatim; responses as the pages document them.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/index.js";
import { call, createSources, NE_SOURCES, start } from "./helpers.js";

let sb: Sandbox;
beforeAll(async () => {
  sb = await start();
  await createSources(sb, NE_SOURCES);
});
afterAll(async () => sb.close());

describe("seed 000: reassign products to custom sources", () => {
  it("source-items-delete of the three default assignments answers []", async () => {
    // Seed 000 "Unassign products from the default source".
    const r = await call(sb, "POST", "/rest/default/V1/inventory/source-items-delete", {
      sourceItems: [
        { sku: "24-WB01", source_code: "default" },
        { sku: "24-WB03", source_code: "default" },
        { sku: "240-LV06", source_code: "default" },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual([]);
    const left = await call(
      sb,
      "GET",
      "/rest/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=source_code" +
        "&searchCriteria[filter_groups][0][filters][0][value]=default" +
        "&searchCriteria[filter_groups][1][filters][0][field]=sku" +
        "&searchCriteria[filter_groups][1][filters][0][value]=24-WB01,24-WB03,240-LV06" +
        "&searchCriteria[filter_groups][1][filters][0][condition_type]=in",
    );
    expect((left.json as { total_count: number }).total_count).toBe(0);
  });

  it("source-items save of fifteen assignments answers [] and they read back", async () => {
    // Seed 000 "Assign products to custom sources" (payload verbatim).
    const payload = {
      sourceItems: [
        { sku: "24-WB01", source_code: "ne_wh", quantity: 35, status: 1 },
        { sku: "24-WB01", source_code: "brooklyn", quantity: 10, status: 1 },
        { sku: "24-WB01", source_code: "huntington", quantity: 10, status: 1 },
        { sku: "24-WB01", source_code: "manhattan", quantity: 10, status: 1 },
        { sku: "24-WB01", source_code: "west_wh", quantity: 15, status: 1 },
        { sku: "24-WB01", source_code: "berkeley", quantity: 10, status: 1 },
        { sku: "24-WB01", source_code: "sausalito", quantity: 10, status: 1 },
        { sku: "24-WB03", source_code: "ne_wh", quantity: 50, status: 1 },
        { sku: "24-WB03", source_code: "brooklyn", quantity: 0, status: 1 },
        { sku: "24-WB03", source_code: "huntington", quantity: 0, status: 1 },
        { sku: "24-WB03", source_code: "manhattan", quantity: 0, status: 1 },
        { sku: "24-WB03", source_code: "west_wh", quantity: 10, status: 1 },
        { sku: "24-WB03", source_code: "berkeley", quantity: 20, status: 1 },
        { sku: "24-WB03", source_code: "sausalito", quantity: 20, status: 1 },
        { sku: "240-LV06", source_code: "hq", quantity: 9999, status: 1 },
      ],
    };
    const r = await call(sb, "POST", "/rest/default/V1/inventory/source-items", payload);
    expect(r.status).toBe(200);
    expect(r.json).toEqual([]);
    const back = await call(
      sb,
      "GET",
      "/rest/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku" +
        "&searchCriteria[filter_groups][0][filters][0][value]=240-LV06",
    );
    expect(back.json).toMatchObject({
      items: [{ sku: "240-LV06", source_code: "hq", quantity: 9999, status: 1 }],
      total_count: 1,
    });
  });
});

describe("seed 001: manage source items", () => {
  it("unassign, assign, then the documented search answers the documented shape", async () => {
    const del = await call(sb, "POST", "/rest/all/V1/inventory/source-items-delete", {
      sourceItems: [
        { sku: "new_product1", source_code: "default" },
        { sku: "new_product2", source_code: "default" },
      ],
    });
    expect(del.json).toEqual([]);
    const save = await call(sb, "POST", "/rest/all/V1/inventory/source-items", {
      sourceItems: [
        { sku: "new_product1", source_code: "central", quantity: 1000, status: 1 },
        { sku: "new_product1", source_code: "east", quantity: 2000, status: 1 },
        { sku: "new_product2", source_code: "central", quantity: 500, status: 1 },
        { sku: "new_product2", source_code: "east", quantity: 250, status: 1 },
      ],
    });
    expect(save.json).toEqual([]);
    // The exact query string of the page.
    const r = await call(
      sb,
      "GET",
      "/rest/all/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku" +
        "&searchCriteria[filter_groups][0][filters][0][value]=new_product2" +
        "&searchCriteria[filter_groups][0][filters][0][condition_type]=eq",
    );
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      items: [
        { sku: "new_product2", source_code: "central", quantity: 500, status: 1 },
        { sku: "new_product2", source_code: "east", quantity: 250, status: 1 },
      ],
      search_criteria: {
        filter_groups: [{ filters: [{ field: "sku", value: "new_product2", condition_type: "eq" }] }],
      },
      total_count: 2,
    });
  });
});

describe("seed 002: inventory mass actions", () => {
  it("bulk transfer moves quantity, status and notify qty and answers true", async () => {
    await call(sb, "POST", "/rest/V1/inventory/low-quantity-notification", {
      sourceItemConfigurations: [{ source_code: "default", sku: "testConfigProduct-red", notify_stock_qty: 3 }],
    });
    const r = await call(sb, "POST", "/rest/default/V1/inventory/bulk-product-source-transfer", {
      skus: ["testConfigProduct-red", "testConfigProduct-blue"],
      originSource: "default",
      destinationSource: "central",
      unassignFromOrigin: true,
    });
    expect(r.status).toBe(200);
    expect(r.json).toBe(true);
    const items = await call(
      sb,
      "GET",
      "/rest/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku" +
        "&searchCriteria[filter_groups][0][filters][0][value]=testConfigProduct-red",
    );
    expect((items.json as { items: unknown[] }).items).toEqual([
      { sku: "testConfigProduct-red", source_code: "central", quantity: 100, status: 1 },
    ]);
    const notify = await call(sb, "GET", "/rest/V1/inventory/low-quantity-notification/central/testConfigProduct-red");
    expect(notify.json).toEqual({ source_code: "central", sku: "testConfigProduct-red", notify_stock_qty: 3 });
  });

  it("bulk assign inserts quantity 0 / out of stock rows and answers their count", async () => {
    const r = await call(sb, "POST", "/rest/default/V1/inventory/bulk-product-source-assign", {
      skus: ["new-product3", "new-product4"],
      sourceCodes: ["central", "east"],
    });
    expect(r.status).toBe(200);
    expect(r.json).toBe(4);
    const items = await call(
      sb,
      "GET",
      "/rest/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku" +
        "&searchCriteria[filter_groups][0][filters][0][value]=new-product3" +
        "&searchCriteria[sortOrders][0][field]=source_code&searchCriteria[sortOrders][0][direction]=ASC",
    );
    expect((items.json as { items: unknown[] }).items).toEqual([
      { sku: "new-product3", source_code: "central", quantity: 0, status: 0 },
      { sku: "new-product3", source_code: "default", quantity: 100, status: 1 },
      { sku: "new-product3", source_code: "east", quantity: 0, status: 0 },
    ]);
  });

  it("bulk unassign deletes the rows and answers their count", async () => {
    const r = await call(sb, "POST", "/rest/default/V1/inventory/bulk-product-source-unassign", {
      skus: ["testSimpleProduct", "testSimpleProduct2"],
      sourceCodes: ["default"],
    });
    expect(r.status).toBe(200);
    expect(r.json).toBe(2);
  });
});

describe("seed 003 and 004: link stocks and sources", () => {
  it("links save/delete/search and sources ordered by priority answer the documented shapes", async () => {
    for (const name of ["Stock Two", "Stock Three", "Stock Four"]) {
      const s = await call(sb, "POST", "/rest/V1/inventory/stocks", { stock: { name } });
      expect(typeof s.json).toBe("number");
    }
    await call(sb, "PUT", "/rest/V1/inventory/sources/central", {
      source: {
        source_code: "central",
        name: "Central Shipping Center",
        email: "hsmith@example.com",
        contact_name: "Harold Smith",
        enabled: true,
        description: "Primary source for the central region",
        latitude: 38.74132,
        longitude: -90.363267,
        country_id: "US",
        region_id: 36,
        city: "St. Louis",
        street: "123 Warehouse Blvd",
        postcode: "63145",
        phone: "(314) 555-1234",
      },
    });
    const save = await call(sb, "POST", "/rest/V1/inventory/stock-source-links", {
      links: [
        { source_code: "central", stock_id: 4, priority: 1 },
        { source_code: "east", stock_id: 4, priority: 2 },
        { source_code: "south", stock_id: 4, priority: 3 },
      ],
    });
    expect(save.json).toEqual([]);
    const del = await call(sb, "POST", "/rest/V1/inventory/stock-source-links-delete", {
      links: [{ source_code: "south", stock_id: 4 }],
    });
    expect(del.json).toEqual([]);
    const search = await call(
      sb,
      "GET",
      "/rest/V1/inventory/stock-source-links?searchCriteria[filter_groups][0][filters][0][field]=stock_id" +
        "&searchCriteria[filter_groups][0][filters][0][value]=4" +
        "&searchCriteria[filter_groups][0][filters][0][condition_type]=eq",
    );
    // Seed 003: the filter value is echoed as the string "4".
    expect(search.json).toEqual({
      items: [
        { stock_id: 4, source_code: "central", priority: 1 },
        { stock_id: 4, source_code: "east", priority: 2 },
      ],
      search_criteria: { filter_groups: [{ filters: [{ field: "stock_id", value: "4", condition_type: "eq" }] }] },
      total_count: 2,
    });
    const ordered = await call(sb, "GET", "/rest/V1/inventory/get-sources-assigned-to-stock-ordered-by-priority/4");
    const list = ordered.json as Record<string, unknown>[];
    expect(list.map((s) => s["source_code"])).toEqual(["central", "east"]);
    expect(list[0]).toMatchObject({
      source_code: "central",
      name: "Central Shipping Center",
      email: "hsmith@example.com",
      contact_name: "Harold Smith",
      enabled: true,
      description: "Primary source for the central region",
      latitude: 38.74132,
      longitude: -90.363267,
      country_id: "US",
      region_id: 36,
      city: "St. Louis",
      street: "123 Warehouse Blvd",
      postcode: "63145",
      phone: "(314) 555-1234",
      use_default_carrier_config: true,
      carrier_links: [],
    });
    expect(list[0]).not.toHaveProperty("region");
    expect(list[0]).not.toHaveProperty("fax");
  });

  it('seed 004: stock_id sent as "2"/"3" is coerced to int', async () => {
    await createSources(sb, ["uk_warehouse", "uk_store", "de_warehouse", "us_warehouse"]);
    const r = await call(sb, "POST", "/rest/all/V1/inventory/stock-source-links", {
      links: [
        { source_code: "uk_warehouse", stock_id: "2", priority: 1 },
        { source_code: "uk_store", stock_id: "2", priority: 2 },
        { source_code: "de_warehouse", stock_id: "2", priority: 3 },
        { source_code: "us_warehouse", stock_id: "3", priority: 1 },
        { source_code: "uk_warehouse", stock_id: "3", priority: 2 },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual([]);
    const two = await call(sb, "GET", "/rest/all/V1/inventory/get-sources-assigned-to-stock-ordered-by-priority/2");
    expect((two.json as { source_code: string }[]).map((s) => s.source_code)).toEqual([
      "uk_warehouse",
      "uk_store",
      "de_warehouse",
    ]);
  });
});
