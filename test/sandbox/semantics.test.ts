// Write semantics a diff/apply tool depends on (docs/magento/msi-rest.md#write-semantics) and the read routes around
// them.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/index.js";
import { call, createSources, start } from "./helpers.js";

let sb: Sandbox;
beforeAll(async () => {
  sb = await start();
  sb.store.addWebsite("eu_website", "EU Website");
  sb.store.addWebsite("us_website", "US Website");
  await createSources(sb, ["eu-1", "us-1"]);
});
afterAll(async () => sb.close());

type Stock = {
  stock_id: number;
  name: string;
  extension_attributes: { sales_channels: { type: string; code: string }[] };
};
const channels = async (id: number): Promise<string[]> =>
  ((await call(sb, "GET", `/rest/V1/inventory/stocks/${id}`)).json as Stock).extension_attributes.sales_channels.map(
    (c) => c.code,
  );

describe("sources: upsert and partial update (docs/magento/msi-rest.md#sources-upsert-and-partial-update)", () => {
  it("POST with an existing code updates; PUT to an unknown code creates", async () => {
    const put = await call(sb, "PUT", "/rest/V1/inventory/sources/new-by-put", {
      source: { name: "By Put", country_id: "US", postcode: "1" },
    });
    expect(put.json).toEqual([]);
    const got = await call(sb, "GET", "/rest/V1/inventory/sources/new-by-put");
    expect(got.json).toMatchObject({ source_code: "new-by-put", name: "By Put", enabled: true });
    await call(sb, "POST", "/rest/V1/inventory/sources", {
      source: { source_code: "new-by-put", name: "Renamed", country_id: "US", postcode: "1" },
    });
    expect((await call(sb, "GET", "/rest/V1/inventory/sources/new-by-put")).json).toMatchObject({ name: "Renamed" });
  });

  it("PUT: the URL code wins over the body's source_code", async () => {
    await call(sb, "PUT", "/rest/V1/inventory/sources/eu-1", {
      source: { source_code: "other", name: "EU One", country_id: "DE", postcode: "2" },
    });
    expect((await call(sb, "GET", "/rest/V1/inventory/sources/eu-1")).json).toMatchObject({
      source_code: "eu-1",
      name: "EU One",
      country_id: "DE",
    });
    expect((await call(sb, "GET", "/rest/V1/inventory/sources/other")).status).toBe(404);
  });

  it("only sent columns change; explicit null clears; omitted fields keep their value", async () => {
    await call(sb, "PUT", "/rest/V1/inventory/sources/us-1", {
      source: { name: "US One", country_id: "US", postcode: "3", email: "a@b.c", city: "Town", enabled: false },
    });
    await call(sb, "PUT", "/rest/V1/inventory/sources/us-1", {
      source: { name: "US One", country_id: "US", postcode: "3", email: null },
    });
    const s = (await call(sb, "GET", "/rest/V1/inventory/sources/us-1")).json as Record<string, unknown>;
    expect(s["city"]).toBe("Town");
    expect(s["enabled"]).toBe(false);
    expect(s).not.toHaveProperty("email");
  });

  it("pickup quirks: empty frontend_name becomes the name, omitted frontend_description is cleared", async () => {
    await call(sb, "PUT", "/rest/V1/inventory/sources/us-1", {
      source: {
        name: "US One",
        country_id: "US",
        postcode: "3",
        extension_attributes: { frontend_name: "", frontend_description: "Desc" },
      },
    });
    let s = (await call(sb, "GET", "/rest/V1/inventory/sources/us-1")).json as {
      extension_attributes: Record<string, unknown>;
    };
    expect(s.extension_attributes).toEqual({
      is_pickup_location_active: false,
      frontend_name: "US One",
      frontend_description: "Desc",
    });
    await call(sb, "PUT", "/rest/V1/inventory/sources/us-1", {
      source: { name: "US One", country_id: "US", postcode: "3" },
    });
    s = (await call(sb, "GET", "/rest/V1/inventory/sources/us-1")).json as {
      extension_attributes: Record<string, unknown>;
    };
    expect(s.extension_attributes).toEqual({ is_pickup_location_active: false, frontend_name: "US One" });
  });

  it("use_default_carrier_config always reads true; latitude keeps 6 decimals; country_id is cut to 2", async () => {
    await call(sb, "PUT", "/rest/V1/inventory/sources/us-1", {
      source: {
        name: "US One",
        country_id: "USA",
        postcode: "3",
        use_default_carrier_config: false,
        latitude: 40.123456789,
        longitude: "-74.5",
      },
    });
    const s = (await call(sb, "GET", "/rest/V1/inventory/sources/us-1")).json as Record<string, unknown>;
    expect(s).toMatchObject({
      use_default_carrier_config: true,
      carrier_links: [],
      latitude: 40.123457,
      longitude: -74.5,
      country_id: "US",
    });
  });

  it("the default source keeps its setup values", async () => {
    const s = (await call(sb, "GET", "/rest/V1/inventory/sources/default")).json;
    expect(s).toMatchObject({
      source_code: "default",
      name: "Default Source",
      enabled: true,
      description: "Default Source",
      latitude: 0,
      longitude: 0,
      country_id: "US",
      postcode: "00000",
    });
  });
});

describe("default source and stock rules (docs/magento/msi-rest.md#default-source-and-default-stock)", () => {
  it("stock 1 can be renamed; the default link can be re-saved with a new priority", async () => {
    const r = await call(sb, "PUT", "/rest/V1/inventory/stocks/1", {
      stock: { name: "Default Stock", extension_attributes: { sales_channels: [{ type: "website", code: "base" }] } },
    });
    expect(r.json).toBe(1);
    const link = await call(sb, "POST", "/rest/V1/inventory/stock-source-links", {
      links: [{ stock_id: 1, source_code: "default", priority: 2 }],
    });
    expect(link.json).toEqual([]);
    await call(sb, "POST", "/rest/V1/inventory/stock-source-links", {
      links: [{ stock_id: 1, source_code: "default", priority: 1 }],
    });
  });

  it("linking default to another stock is refused", async () => {
    const id = (await call(sb, "POST", "/rest/V1/inventory/stocks", { stock: { name: "Rules Stock" } })).json as number;
    const r = await call(sb, "POST", "/rest/V1/inventory/stock-source-links", {
      links: [{ stock_id: id, source_code: "default", priority: 1 }],
    });
    expect(r.json).toEqual({
      message: "Validation Failed",
      errors: [{ message: "Can not save link related to Default Source or Default Stock", parameters: [] }],
    });
  });

  it("a case variant of default bypasses the PHP guard but hits the same row (collation)", async () => {
    const r = await call(sb, "PUT", "/rest/V1/inventory/sources/Default", {
      source: { name: "Default Source", country_id: "US", postcode: "00000", enabled: true },
    });
    expect(r.json).toEqual([]);
    expect((await call(sb, "GET", "/rest/V1/inventory/sources/DEFAULT")).json).toMatchObject({
      source_code: "default",
    });
  });
});

describe("sales channels: full replace, park on stock 1, silent move (docs/magento/msi-rest.md#sales-channels)", () => {
  it("assigning a website held by another stock moves it silently", async () => {
    const id = (
      await call(sb, "POST", "/rest/V1/inventory/stocks", {
        stock: {
          name: "EU Stock",
          extension_attributes: { sales_channels: [{ type: "website", code: "eu_website" }] },
        },
      })
    ).json as number;
    expect(await channels(id)).toEqual(["eu_website"]);
    expect(await channels(1)).toEqual(["base", "us_website"]);
  });

  it("dropping a website parks it on the default stock; a name-only PUT drops them all", async () => {
    // magento/inventory:InventorySalesApi/Test/Api/StockRepository/SalesChannelManagementTest.php
    const stocks = (
      await call(
        sb,
        "GET",
        "/rest/V1/inventory/stocks?searchCriteria[filter_groups][0][filters][0][field]=name" +
          "&searchCriteria[filter_groups][0][filters][0][value]=EU Stock",
      )
    ).json as { items: Stock[] };
    const id = stocks.items[0]?.stock_id ?? 0;
    await call(sb, "PUT", `/rest/V1/inventory/stocks/${id}`, {
      stock: { name: "EU Stock", extension_attributes: { sales_channels: [{ type: "website", code: "us_website" }] } },
    });
    expect(await channels(id)).toEqual(["us_website"]);
    expect(await channels(1)).toEqual(["base", "eu_website"]);
    await call(sb, "PUT", `/rest/V1/inventory/stocks/${id}`, { stock: { name: "EU Stock" } });
    expect(await channels(id)).toEqual([]);
    expect(await channels(1)).toEqual(["base", "eu_website", "us_website"]);
    // Now deletable; links cascade.
    await call(sb, "POST", "/rest/V1/inventory/stock-source-links", {
      links: [{ stock_id: id, source_code: "eu-1", priority: 1 }],
    });
    expect((await call(sb, "DELETE", `/rest/V1/inventory/stocks/${id}`)).json).toEqual([]);
    const links = (
      await call(
        sb,
        "GET",
        "/rest/V1/inventory/stock-source-links?searchCriteria[filter_groups][0][filters][0][field]=stock_id" +
          `&searchCriteria[filter_groups][0][filters][0][value]=${id}`,
      )
    ).json;
    expect(links).toMatchObject({ total_count: 0 });
  });

  it("stock resolver finds the stock of a website; website/admin is always the default stock", async () => {
    expect((await call(sb, "GET", "/rest/V1/inventory/stock-resolver/website/base")).json).toMatchObject({
      stock_id: 1,
    });
    expect((await call(sb, "GET", "/rest/V1/inventory/stock-resolver/website/admin")).json).toMatchObject({
      stock_id: 1,
    });
  });

  it("POST with a stock_id that does not exist inserts with that id; later ids continue after it", async () => {
    expect((await call(sb, "POST", "/rest/V1/inventory/stocks", { stock: { stock_id: 50, name: "Fifty" } })).json).toBe(
      50,
    );
    expect((await call(sb, "POST", "/rest/V1/inventory/stocks", { stock: { name: "After Fifty" } })).json).toBe(51);
  });
});

describe("links, source items, bulk and salable quantity", () => {
  it("link save upserts priority; delete ignores unknown pairs", async () => {
    const id = (await call(sb, "POST", "/rest/V1/inventory/stocks", { stock: { name: "Link Stock" } })).json as number;
    await call(sb, "POST", "/rest/V1/inventory/stock-source-links", {
      links: [{ stock_id: id, source_code: "eu-1", priority: 5 }],
    });
    await call(sb, "POST", "/rest/V1/inventory/stock-source-links", {
      links: [{ stock_id: id, source_code: "EU-1", priority: 2 }],
    });
    const r = (
      await call(
        sb,
        "GET",
        "/rest/V1/inventory/stock-source-links?searchCriteria[filter_groups][0][filters][0][field]=stock_id" +
          `&searchCriteria[filter_groups][0][filters][0][value]=${id}`,
      )
    ).json;
    expect(r).toMatchObject({ items: [{ stock_id: id, source_code: "eu-1", priority: 2 }], total_count: 1 });
    expect(
      (
        await call(sb, "POST", "/rest/V1/inventory/stock-source-links-delete", {
          links: [{ stock_id: id, source_code: "us-1" }],
        })
      ).json,
    ).toEqual([]);
    expect(
      (await call(sb, "GET", "/rest/V1/inventory/get-sources-assigned-to-stock-ordered-by-priority/9999")).json,
    ).toEqual([]);
  });

  it("disabled sources are listed by priority but do not count towards salable quantity", async () => {
    const id = (await call(sb, "POST", "/rest/V1/inventory/stocks", { stock: { name: "Salable Stock" } }))
      .json as number;
    await createSources(sb, ["sal-a", "sal-b"]);
    await call(sb, "POST", "/rest/V1/inventory/stock-source-links", {
      links: [
        { stock_id: id, source_code: "sal-b", priority: 2 },
        { stock_id: id, source_code: "sal-a", priority: 1 },
      ],
    });
    await call(sb, "POST", "/rest/V1/inventory/source-items", {
      sourceItems: [
        { sku: "24-UG06", source_code: "sal-a", quantity: 5.5, status: 1 },
        { sku: "24-UG06", source_code: "sal-b", quantity: 3, status: 1 },
      ],
    });
    expect((await call(sb, "GET", `/rest/V1/inventory/get-product-salable-quantity/24-UG06/${id}`)).json).toBe(8.5);
    await call(sb, "PUT", "/rest/V1/inventory/sources/sal-b", {
      source: { name: "Source sal-b", country_id: "US", postcode: "12345", enabled: false },
    });
    const ordered = (
      await call(sb, "GET", `/rest/V1/inventory/get-sources-assigned-to-stock-ordered-by-priority/${id}`)
    ).json as { source_code: string }[];
    expect(ordered.map((s) => s.source_code)).toEqual(["sal-a", "sal-b"]);
    expect((await call(sb, "GET", `/rest/V1/inventory/get-product-salable-quantity/24-UG06/${id}`)).json).toBe(5.5);
    // Reservations are negative and added.
    sb.store.addReservation("24-UG06", id, -2);
    expect((await call(sb, "GET", `/rest/V1/inventory/get-product-salable-quantity/24-UG06/${id}`)).json).toBe(3.5);
    expect((await call(sb, "GET", `/rest/V1/inventory/is-product-salable/24-UG06/${id}`)).json).toBe(true);
    expect((await call(sb, "GET", "/rest/V1/inventory/get-product-salable-quantity/24-MB04/1")).json).toBe(100);
  });

  it("source-item save is an upsert that keeps the stored casing; delete drops notify qty", async () => {
    await call(sb, "POST", "/rest/V1/inventory/source-items", {
      sourceItems: [{ sku: "Case-Sku", source_code: "eu-1", quantity: 1, status: 1 }],
    });
    await call(sb, "POST", "/rest/V1/inventory/source-items", {
      sourceItems: [{ sku: "CASE-SKU", source_code: "EU-1", quantity: 2.12345, status: 0 }],
    });
    const r = (
      await call(
        sb,
        "GET",
        "/rest/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku" +
          "&searchCriteria[filter_groups][0][filters][0][value]=case-sku",
      )
    ).json;
    expect(r).toMatchObject({
      items: [{ sku: "Case-Sku", source_code: "eu-1", quantity: 2.1235, status: 0 }],
      total_count: 1,
    });
    await call(sb, "POST", "/rest/V1/inventory/low-quantity-notification", {
      sourceItemConfigurations: [{ source_code: "eu-1", sku: "24-MB01", notify_stock_qty: 7 }],
    });
    expect((await call(sb, "GET", "/rest/V1/inventory/low-quantity-notification/eu-1/24-MB01")).json).toEqual({
      source_code: "eu-1",
      sku: "24-MB01",
      notify_stock_qty: 7,
    });
    await call(sb, "POST", "/rest/V1/inventory/source-items-delete", {
      sourceItems: [{ sku: "24-MB01", source_code: "eu-1" }],
    });
    // Falls back to the configuration default (1).
    expect((await call(sb, "GET", "/rest/V1/inventory/low-quantity-notification/eu-1/24-MB01")).json).toEqual({
      source_code: "eu-1",
      sku: "24-MB01",
      notify_stock_qty: 1,
    });
  });

  it("bulk unassign from default with an unknown SKU deletes first, then answers 404", async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/bulk-product-source-unassign", {
      skus: ["24-MB04", "ghost"],
      sourceCodes: ["default"],
    });
    expect(r.status).toBe(404);
    expect(r.json).toEqual({
      message: "Following products with requested skus were not found: %1",
      parameters: ["ghost"],
    });
    const left = (
      await call(
        sb,
        "GET",
        "/rest/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku" +
          "&searchCriteria[filter_groups][0][filters][0][value]=24-MB04",
      )
    ).json;
    expect(left).toMatchObject({ total_count: 0 });
  });

  it("bulk assign skips SKUs not in the catalog and types without source items", async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/bulk-product-source-assign", {
      skus: ["ghost", "MH01", "VGC-1"],
      sourceCodes: ["eu-1"],
    });
    expect(r.json).toBe(1);
  });

  it("partial transfer moves quantity and forces the destination in stock", async () => {
    await call(sb, "POST", "/rest/V1/inventory/source-items", {
      sourceItems: [{ sku: "VGC-1", source_code: "eu-1", quantity: 0, status: 0 }],
    });
    const r = await call(sb, "POST", "/rest/V1/inventory/bulk-partial-source-transfer", {
      originSourceCode: "default",
      destinationSourceCode: "eu-1",
      items: [{ sku: "VGC-1", qty: 30 }],
    });
    expect(r.json).toEqual([]);
    const items = (
      await call(
        sb,
        "GET",
        "/rest/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku" +
          "&searchCriteria[filter_groups][0][filters][0][value]=VGC-1" +
          "&searchCriteria[sortOrders][0][field]=source_code&searchCriteria[sortOrders][0][direction]=asc",
      )
    ).json as { items: unknown[] };
    expect(items.items).toEqual([
      { sku: "VGC-1", source_code: "default", quantity: 70, status: 1 },
      { sku: "VGC-1", source_code: "eu-1", quantity: 30, status: 1 },
    ]);
  });
});

describe("catalog and store reads", () => {
  it("GET products honours fields=items[sku,type_id],total_count", async () => {
    const r = await call(
      sb,
      "GET",
      "/rest/V1/products?searchCriteria[filter_groups][0][filters][0][field]=type_id" +
        "&searchCriteria[filter_groups][0][filters][0][value]=configurable&fields=items[sku,type_id],total_count",
    );
    expect(r.json).toEqual({
      items: [
        { sku: "testConfigProduct", type_id: "configurable" },
        { sku: "MH01", type_id: "configurable" },
      ],
      total_count: 2,
    });
  });

  it("GET store/websites lists admin (id 0) and the base website", async () => {
    const r = (await call(sb, "GET", "/rest/V1/store/websites")).json as unknown[];
    expect(r.slice(0, 2)).toEqual([
      { id: 0, code: "admin", name: "Admin", default_group_id: 0 },
      { id: 1, code: "base", name: "Main Website", default_group_id: 1 },
    ]);
  });
});
