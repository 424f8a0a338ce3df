// Validators and their exact messages (docs/magento/msi-rest.md#validation) and framework input errors
// (docs/magento/webapi-platform.md#framework-errors, docs/magento/webapi-platform.md#type-coercion,
// docs/magento/webapi-platform.md#unknown-fields).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/index.js";
import { call, createSources, start } from "./helpers.js";

let sb: Sandbox;
beforeAll(async () => {
  sb = await start();
  await createSources(sb, ["eu-1", "eu-2"]);
});
afterAll(async () => sb.close());

const src = (over: Record<string, unknown>): { source: Record<string, unknown> } => ({
  source: { source_code: "v-src", name: "V Source", country_id: "US", postcode: "1", ...over },
});

describe("source validators (magento/inventory:Inventory/Model/Source/Validator/*)", () => {
  it("a missing name gives Validation Failed with the raw empty-field phrase", async () => {
    // magento/inventory:InventoryApi/Test/Api/SourceRepository/ValidationTest.php
    const r = await call(sb, "POST", "/rest/V1/inventory/sources", {
      source: { source_code: "x", country_id: "US", postcode: "1" },
    });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      message: "Validation Failed",
      errors: [{ message: '"%field" can not be empty.', parameters: { field: "name" } }],
    });
  });

  it('source_code " " gives the empty and the whitespace error', async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/sources", src({ source_code: " " }));
    expect((r.json as { errors: unknown[] }).errors).toEqual([
      { message: '"%field" can not be empty.', parameters: { field: "source_code" } },
      { message: '"%field" can not contain whitespaces.', parameters: { field: "source_code" } },
    ]);
  });

  it("country_id null and postcode missing are empty errors", async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/sources", {
      source: { source_code: "x", name: "X", country_id: null },
    });
    expect((r.json as { errors: unknown[] }).errors).toEqual([
      { message: '"%field" can not be empty.', parameters: { field: "postcode" } },
      { message: '"%field" can not be empty.', parameters: { field: "country_id" } },
    ]);
  });

  it("a ${...} template in the name is refused with a bare Validation Failed", async () => {
    // magento/inventory:Inventory/Model/Validators/NoSpecialCharsInString.php (MC-16116)
    const r = await call(sb, "POST", "/rest/V1/inventory/sources", src({ name: "${foo}" }));
    expect((r.json as { errors: unknown[] }).errors).toEqual([{ message: "Validation Failed", parameters: [] }]);
  });

  it("saving default without enabled fails: Default source can not be disabled.", async () => {
    // magento/inventory:InventoryCatalog/Model/Source/Validator/DefaultSourceDisableValidator.php
    const r = await call(sb, "PUT", "/rest/V1/inventory/sources/default", {
      source: { name: "Default Source", country_id: "US", postcode: "00000" },
    });
    expect(r.json).toEqual({
      message: "Validation Failed",
      errors: [{ message: "Default source can not be disabled.", parameters: [] }],
    });
  });

  it("non-empty carrier_links are refused because the global config getter is always true", async () => {
    // magento/inventory:InventoryShipping/Model/Source/Validator/CarrierLinksValidator.php
    const r = await call(
      sb,
      "POST",
      "/rest/V1/inventory/sources",
      src({ carrier_links: [{ carrier_code: "ups", position: 1 }] }),
    );
    expect((r.json as { errors: unknown[] }).errors).toEqual([
      {
        message: 'You can\'t configure "%field" because you have chosen Global Shipping configuration.',
        parameters: { field: "carrier_links" },
      },
    ]);
  });

  it("a pickup location without city reports city, street and (bug) phone", async () => {
    // magento/inventory:InventoryInStorePickup/Model/Source/Validator/PhoneValidator.php tests getCity()
    const r = await call(
      sb,
      "POST",
      "/rest/V1/inventory/sources",
      src({ extension_attributes: { is_pickup_location_active: true } }),
    );
    expect((r.json as { errors: unknown[] }).errors).toEqual([
      { message: '"%field" can not be empty for Pickup Location.', parameters: { field: "city" } },
      { message: '"%field" can not be empty for Pickup Location.', parameters: { field: "street" } },
      { message: '"%field" can not be empty for Pickup Location.', parameters: { field: "phone" } },
    ]);
    const ok = await call(
      sb,
      "POST",
      "/rest/V1/inventory/sources",
      src({ city: "A", street: "B", extension_attributes: { is_pickup_location_active: true } }),
    );
    expect(ok.status).toBe(200);
  });

  it("the default source cannot be a pickup location", async () => {
    const r = await call(sb, "PUT", "/rest/V1/inventory/sources/default", {
      source: {
        name: "Default Source",
        country_id: "US",
        postcode: "00000",
        enabled: true,
        city: "A",
        street: "B",
        extension_attributes: { is_pickup_location_active: true },
      },
    });
    expect((r.json as { errors: unknown[] }).errors).toEqual([
      { message: "The Default Source can not be used for In-Store Pickup Delivery.", parameters: [] },
    ]);
  });

  it("a duplicate name (case-insensitive, trimmed) is only Could not save Source", async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/sources", src({ source_code: "dup", name: "  source EU-1 " }));
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ message: "Could not save Source" });
  });

  it("GET of an unknown source is 404 with the raw phrase and its value", async () => {
    // magento/inventory:InventoryApi/Test/Api/SourceRepository/GetTest.php
    const r = await call(sb, "GET", "/rest/V1/inventory/sources/-1");
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ message: 'Source with code "%value" does not exist.', parameters: { value: "-1" } });
  });
});

describe("stock validators and delete rules", () => {
  it("name empty → empty error; unknown website → website error; empty code → two errors", async () => {
    // magento/inventory:InventoryApi/Test/Api/StockRepository/ValidationTest.php,
    // magento/inventory:InventorySalesApi/Test/Api/StockRepository/SalesChannelManagementTest.php
    const r = await call(sb, "POST", "/rest/V1/inventory/stocks", {
      stock: {
        name: " ",
        extension_attributes: {
          sales_channels: [{ type: "website", code: "nope" }, { type: "website", code: "" }, { code: "base" }],
        },
      },
    });
    expect(r.json).toEqual({
      message: "Validation Failed",
      errors: [
        { message: '"%field" can not be empty.', parameters: { field: "name" } },
        { message: 'The website with code "%code" does not exist.', parameters: { code: "nope" } },
        { message: '"%field" can not be empty.', parameters: { field: "code" } },
        { message: 'The website with code "%code" does not exist.', parameters: { code: "" } },
        { message: '"%field" can not be empty.', parameters: { field: "type" } },
      ],
    });
  });

  it("a duplicate stock name is Could not save Stock", async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/stocks", { stock: { name: "default stock" } });
    expect(r.json).toEqual({ message: "Could not save Stock" });
  });

  it("DELETE stock 1 → Default Stock message; with channels → sale channel message; unknown → 404", async () => {
    expect((await call(sb, "DELETE", "/rest/V1/inventory/stocks/1")).json).toEqual({
      message: "Default Stock could not be deleted.",
    });
    const id = (
      await call(sb, "POST", "/rest/V1/inventory/stocks", {
        stock: { name: "Channel Stock", extension_attributes: { sales_channels: [{ type: "website", code: "base" }] } },
      })
    ).json as number;
    const withChannel = await call(sb, "DELETE", `/rest/V1/inventory/stocks/${id}`);
    expect(withChannel.json).toEqual({ message: "Stock has at least one sale channel and could not be deleted." });
    const missing = await call(sb, "DELETE", "/rest/V1/inventory/stocks/999");
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      message: 'There is no stock with "%fieldValue" for "%fieldName". Verify and try again.',
      parameters: { fieldName: "stock_id", fieldValue: 999 },
    });
    // Put base back on the default stock for the other tests.
    await call(sb, "PUT", `/rest/V1/inventory/stocks/${id}`, { stock: { name: "Channel Stock" } });
  });

  it("GET stock -1 is 404; a non-numeric id is the int type error", async () => {
    const r = await call(sb, "GET", "/rest/V1/inventory/stocks/-1");
    expect(r.json).toEqual({ message: 'Stock with id "%value" does not exist.', parameters: { value: -1 } });
    const bad = await call(
      sb,
      "GET",
      "/rest/V1/inventory/get-sources-assigned-to-stock-ordered-by-priority/not_numeric",
    );
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      message: 'The "not_numeric" value\'s type is invalid. The "int" type was expected. Verify and try again.',
    });
  });
});

describe("link validators", () => {
  it("empty links → Input data is empty", async () => {
    expect((await call(sb, "POST", "/rest/V1/inventory/stock-source-links", { links: [] })).json).toEqual({
      message: "Input data is empty",
    });
  });

  it("[default→1, eu-2→1] gives exactly one default-link error with parameters []", async () => {
    // magento/inventory:InventoryCatalog/Test/Api/StockSourceLink/PreventAssignSourcesToDefaultStockTest.php
    const r = await call(sb, "POST", "/rest/V1/inventory/stock-source-links", {
      links: [
        { source_code: "default", stock_id: 1, priority: 1 },
        { source_code: "eu-2", stock_id: 1, priority: 2 },
      ],
    });
    expect(r.json).toEqual({
      message: "Validation Failed",
      errors: [{ message: "Can not save link related to Default Source or Default Stock", parameters: [] }],
    });
  });

  it("missing stock_id and priority 0 and a spaced code are reported", async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/stock-source-links", {
      links: [{ source_code: "a b", priority: 0 }],
    });
    expect((r.json as { errors: unknown[] }).errors).toEqual([
      { message: '"%field" can not contain whitespaces.', parameters: { field: "source_code" } },
      { message: '"%field" can not be empty.', parameters: { field: "stock_id" } },
      { message: '"%field" should be greater then 0.', parameters: { field: "priority" } },
    ]);
  });

  it("an unknown stock or source is Could not save StockSourceLinks", async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/stock-source-links", {
      links: [{ source_code: "nowhere", stock_id: 1000, priority: 1 }],
    });
    expect(r.json).toEqual({ message: "Could not save StockSourceLinks" });
  });

  it("deleting a default link is refused before the empty check", async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/stock-source-links-delete", {
      links: [{ source_code: "default", stock_id: 1 }],
    });
    expect(r.json).toEqual({ message: "Can not delete link related to Default Source or Default Stock" });
    expect((await call(sb, "POST", "/rest/V1/inventory/stock-source-links-delete", { links: [] })).json).toEqual({
      message: "Input data is empty",
    });
  });
});

describe("source item validators (magento/inventory:InventoryApi/Test/Api/SourceItemsSave/ValidationTest.php)", () => {
  const save = (items: unknown[]): Promise<{ status: number; json: unknown }> =>
    call(sb, "POST", "/rest/V1/inventory/source-items", { sourceItems: items });

  it('missing sku → Validation Failed: "sku" can not be empty.', async () => {
    const r = await save([{ source_code: "eu-1", quantity: 1, status: 1 }]);
    expect(r.json).toEqual({
      message: 'Validation Failed: "sku" can not be empty.',
      errors: [{ message: '"%field" can not be empty.', parameters: { field: "sku" } }],
    });
  });

  it('missing quantity and status are "should be numeric"', async () => {
    const r = await save([{ sku: "a", source_code: "eu-1" }]);
    expect(r.json).toEqual({
      message: 'Validation Failed: "quantity" should be numeric.',
      errors: [
        { message: '"%field" should be numeric.', parameters: { field: "quantity" } },
        { message: '"%field" should be numeric.', parameters: { field: "status" } },
      ],
    });
  });

  it('status "999999" → should a known status', async () => {
    const r = await save([{ sku: "a", source_code: "eu-1", quantity: 1, status: "999999" }]);
    expect(r.json).toMatchObject({ message: 'Validation Failed: "status" should a known status.' });
  });

  it('sku " " → empty and leading/trailing-spaces errors', async () => {
    const r = await save([{ sku: " ", source_code: "eu-1", quantity: 1, status: 1 }]);
    expect((r.json as { errors: unknown[] }).errors).toEqual([
      { message: '"%field" can not be empty.', parameters: { field: "sku" } },
      { message: '"%field" can not contain leading or trailing spaces.', parameters: { field: "sku" } },
    ]);
  });

  it("an unknown source rejects the whole batch with Could not save Source Item", async () => {
    const r = await save([
      { sku: "batch-a", source_code: "eu-1", quantity: 1, status: 1 },
      { sku: "batch-b", source_code: "not_exists_source_code", quantity: 1, status: 1 },
    ]);
    expect(r.json).toEqual({ message: "Could not save Source Item" });
    const a = await call(
      sb,
      "GET",
      "/rest/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku" +
        "&searchCriteria[filter_groups][0][filters][0][value]=batch-a",
    );
    expect((a.json as { total_count: number }).total_count).toBe(0);
  });

  it('quantity "test" and source_code [] are nested type errors', async () => {
    const q = await save([{ sku: "a", source_code: "eu-1", quantity: "test", status: 1 }]);
    expect(q.json).toEqual({
      message:
        'Error occurred during "quantity" processing. The "test" value\'s ' +
        'type is invalid. The "float" type was expected. Verify and try again.',
    });
    const c = await save([{ sku: "a", source_code: [], quantity: 1, status: 1 }]);
    expect(c.json).toEqual({
      message:
        'Error occurred during "source_code" processing. The "array" value\'s ' +
        'type is invalid. The "string" type was expected. Verify and try again.',
    });
  });

  it("sourceItems [] → Input data is empty; no sourceItems → required argument", async () => {
    expect((await save([])).json).toEqual({ message: "Input data is empty" });
    const r = await call(sb, "POST", "/rest/V1/inventory/source-items", { items: [] });
    expect(r.json).toEqual({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: "sourceItems" },
    });
  });

  it("SKUs not in the catalog and configurable products are accepted (Magento does not check)", async () => {
    const r = await save([
      { sku: "not-in-catalog", source_code: "eu-1", quantity: 1, status: 1 },
      { sku: "MH01", source_code: "eu-1", quantity: 1, status: 1 },
    ]);
    expect(r.json).toEqual([]);
  });

  it("an unknown field inside a data object is 2.4.7's not-supported error", async () => {
    const r = await save([{ sku: "a", source_code: "eu-1", quantity: 1, status: 1, foo_bar: 1 }]);
    expect(r.json).toEqual({
      message: '"%fieldName" is not supported. Correct the field name and try again.',
      parameters: { fieldName: "FooBar" },
    });
  });

  it("camelCase keys inside data objects are accepted", async () => {
    const r = await save([{ sku: "camel", sourceCode: "eu-1", quantity: "2.5", status: "1" }]);
    expect(r.json).toEqual([]);
  });
});

describe("bulk validators (magento/inventory:InventoryCatalog/Model/Source/Validator/Bulk/*)", () => {
  it("assign to an unknown source → Validation Failed with Source %sourceCode does not exist", async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/bulk-product-source-assign", {
      skus: ["24-MB01"],
      sourceCodes: ["nope"],
    });
    expect(r.json).toEqual({
      message: "Validation Failed",
      errors: [{ message: "Source %sourceCode does not exist", parameters: { sourceCode: "nope" } }],
    });
  });

  it("transfer onto itself is reported under the 'Select different sources' message", async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/bulk-product-source-transfer", {
      skus: ["24-MB01"],
      originSource: "eu-1",
      destinationSource: "eu-1",
      unassignFromOrigin: false,
    });
    expect(r.json).toEqual({
      message: "Validation Error: Select different sources for origin and destination.",
      errors: [{ message: "Cannot transfer a source on itself", parameters: [] }],
    });
  });

  it("partial transfer: unknown origin gives the origin error and the missing source item %message", async () => {
    // magento/inventory:InventoryCatalog/Test/Api/Bulk/PartialInventoryTransferTest.php
    const r = await call(sb, "POST", "/rest/V1/inventory/bulk-partial-source-transfer", {
      originSourceCode: "eu-999",
      destinationSourceCode: "default",
      items: [{ sku: "24-MB01", qty: 1 }],
    });
    expect(r.json).toEqual({
      message: "Transfer validation failed",
      errors: [
        { message: "Origin source %sourceCode does not exist", parameters: { sourceCode: "eu-999" } },
        { message: "%message", parameters: { message: "Source item for 24-MB01 and eu-999 does not exist" } },
      ],
    });
  });

  it("partial transfer of more than available → Requested transfer amount ... is not available", async () => {
    await call(sb, "POST", "/rest/V1/inventory/source-items", {
      sourceItems: [{ sku: "24-MB01", source_code: "eu-1", quantity: 1, status: 1 }],
    });
    const r = await call(sb, "POST", "/rest/V1/inventory/bulk-partial-source-transfer", {
      originSourceCode: "default",
      destinationSourceCode: "eu-1",
      items: [{ sku: "24-MB01", qty: 1000 }],
    });
    expect((r.json as { errors: unknown[] }).errors).toEqual([
      { message: "Requested transfer amount for sku %sku is not available", parameters: { sku: "24-MB01" } },
    ]);
  });
});

describe("sales and low-quantity errors", () => {
  it("salable qty of an unknown SKU is 404; of a configurable product is 400", async () => {
    const a = await call(sb, "GET", "/rest/V1/inventory/get-product-salable-quantity/nope/1");
    expect(a.status).toBe(404);
    expect(a.json).toEqual({
      message: "The product that was requested doesn't exist. Verify the product and try again.",
    });
    const b = await call(sb, "GET", "/rest/V1/inventory/get-product-salable-quantity/MH01/1");
    expect(b.json).toEqual({ message: "Can't check requested quantity for products without Source Items support." });
  });

  it("stock resolver for an unassigned website → 404 No linked stock found", async () => {
    const r = await call(sb, "GET", "/rest/V1/inventory/stock-resolver/website/nope");
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ message: "No linked stock found" });
  });

  it("low-quantity GET with an unknown source or SKU → Wrong input data", async () => {
    expect((await call(sb, "GET", "/rest/V1/inventory/low-quantity-notification/nope/24-MB01")).json).toEqual({
      message: "Wrong input data",
    });
    expect((await call(sb, "GET", "/rest/V1/inventory/low-quantity-notification/eu-1/nope")).json).toEqual({
      message: "Wrong input data",
    });
  });
});

describe("framework errors (docs/magento/webapi-platform.md#framework-errors)", () => {
  it("bad JSON → Decoding error.", async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/source-items", "{not json");
    expect(r.json).toEqual({ message: "Decoding error." });
  });

  it("a body without Content-Type → Content-Type header is empty.; another charset refused", async () => {
    const res = await fetch(`${sb.url}/rest/V1/inventory/source-items`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sb.token}` },
      body: new Blob(["{}"]),
    });
    expect(await res.json()).toEqual({ message: "Content-Type header is empty." });
    const r = await call(sb, "POST", "/rest/V1/inventory/source-items", "{}", {
      "Content-Type": "application/json; charset=latin1",
    });
    expect(r.json).toEqual({ message: "UTF-8 is the only supported charset." });
  });

  it("PATCH → Request method is invalid.; unknown path or wrong method → 404 route message", async () => {
    expect((await call(sb, "PATCH", "/rest/V1/inventory/sources")).json).toEqual({
      message: "Request method is invalid.",
    });
    const unknown = await call(sb, "GET", "/rest/V1/inventory/nothing");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ message: "Request does not match any route." });
    expect((await call(sb, "DELETE", "/rest/V1/inventory/sources/default")).status).toBe(404);
    expect((await call(sb, "GET", "/rest/xyz/V1/inventory/sources")).json).toEqual({
      message: "Request does not match any route.",
    });
  });

  it('GET source-items without searchCriteria → "searchCriteria" is required', async () => {
    const r = await call(sb, "GET", "/rest/V1/inventory/source-items");
    expect(r.json).toEqual({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: "searchCriteria" },
    });
    expect((await call(sb, "GET", "/rest/V1/inventory/source-items?searchCriteria=")).status).toBe(200);
  });

  it("a <script> value is refused", async () => {
    const r = await call(sb, "POST", "/rest/V1/inventory/sources", src({ description: "<script>alert(1)</script>" }));
    expect(r.json).toEqual({
      message: '"%field_name" does not contains valid value.',
      parameters: { field_name: "description" },
    });
  });
});
