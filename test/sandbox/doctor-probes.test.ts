// The requests inv doctor sends, answered by the sandbox as Magento answers them: the ACL
// check first (RequestValidator, from InputParamsResolver::resolve), then the refusal of the
// input by ServiceInputProcessor before any service runs, so nothing is ever written. Raw
// HTTP: no client code is used.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/index.js";
import { call, start } from "./helpers.js";

const MALFORMED_ITEMS = [{ sku: ["inv-doctor-probe"] }, ...Array.from({ length: 499 }, () => ({}))];
const ALL_BUT_ITEM_ASSIGN = [
  "Magento_InventoryApi::source",
  "Magento_InventoryApi::source_edit",
  "Magento_InventoryApi::stock",
  "Magento_InventoryApi::stock_edit",
  "Magento_InventoryApi::stock_delete",
  "Magento_InventoryApi::stock_source_link",
  "Magento_InventorySalesApi::stock",
  "Magento_Catalog::products",
  "Magento_Backend::store",
];

let full: Sandbox;
let limited: Sandbox;
let limits: Sandbox;
let twoFactor: Sandbox;
let adminRole: Sandbox;

beforeAll(async () => {
  full = await start();
  limited = await start({ auth: { aclResources: ALL_BUT_ITEM_ASSIGN } });
  limits = await start({ inputLimits: true });
  twoFactor = await start({ auth: { admin: { username: "ops", password: "pass-1234", twoFactor: true } } });
  adminRole = await start({
    auth: { admin: { username: "ops", password: "pass-1234", aclResources: ALL_BUT_ITEM_ASSIGN } },
  });
});
afterAll(async () => {
  await Promise.all([full, limited, limits, twoFactor, adminRole].map((s) => s.close()));
});

const anonymous = { Authorization: "" };
const required = (field: string) => ({
  message: '"%fieldName" is required. Enter and try again.',
  parameters: { fieldName: field },
});

describe("the ACL check comes before the input is read", () => {
  it("without credentials every probe is refused with 401, whatever its body", async () => {
    for (const [method, path, body, resource] of [
      ["GET", "/rest/all/V1/inventory/sources", undefined, "Magento_InventoryApi::source"],
      ["GET", "/rest/all/V1/inventory/get-product-salable-quantity/x/1", undefined, "Magento_InventorySalesApi::stock"],
      ["POST", "/rest/all/V1/inventory/bulk-product-source-transfer", {}, "Magento_Catalog::products"],
      ["POST", "/rest/all/V1/inventory/sources", {}, "Magento_InventoryApi::source_edit"],
      ["GET", "/rest/all/V1/store/websites", undefined, "Magento_Backend::store"],
      [
        "POST",
        "/rest/all/V1/inventory/source-items",
        "not json at all",
        "Magento_InventoryApi::stock_source_item_assign",
      ],
    ] as const) {
      const r = await call(full, method, path, body, anonymous);
      expect(r.status, path).toBe(401);
      expect(r.json, path).toEqual({
        message: "The consumer isn't authorized to access %resources.",
        parameters: { resources: resource },
      });
    }
  });

  it("a role without Magento_InventoryApi::stock_source_item_assign gets 401 for the malformed save, not 400", async () => {
    const r = await call(limited, "POST", "/rest/all/V1/inventory/source-items", { sourceItems: MALFORMED_ITEMS });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ parameters: { resources: "Magento_InventoryApi::stock_source_item_assign" } });
  });

  it("an admin user's role holds only its resources (TokenUserContext gives the token its user's role)", async () => {
    const token = (
      await call(
        adminRole,
        "POST",
        "/rest/V1/integration/admin/token",
        { username: "ops", password: "pass-1234" },
        anonymous,
      )
    ).json as string;
    const bearer = { Authorization: `Bearer ${token}` };
    expect((await call(adminRole, "GET", "/rest/all/V1/inventory/sources", undefined, bearer)).status).toBe(200);
    const r = await call(adminRole, "POST", "/rest/all/V1/inventory/source-items", { sourceItems: [] }, bearer);
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ parameters: { resources: "Magento_InventoryApi::stock_source_item_assign" } });
  });

  it("website codes need Magento_Backend::store (All Stores), not the Stores menu resource above it", async () => {
    const menuOnly = await start({ auth: { aclResources: ["Magento_Backend::stores"] } });
    try {
      expect((await call(menuOnly, "GET", "/rest/all/V1/store/websites")).status).toBe(401);
    } finally {
      await menuOnly.close();
    }
    expect((await call(limited, "GET", "/rest/all/V1/store/websites")).status).toBe(200);
  });
});

describe("past the ACL check, the input is refused before the service runs", () => {
  it("a save without its entity: the required argument is missing", async () => {
    const before = full.store.snapshot();
    const source = await call(full, "POST", "/rest/all/V1/inventory/sources", {});
    expect([source.status, source.json]).toEqual([400, required("source")]);
    const stock = await call(full, "POST", "/rest/all/V1/inventory/stocks", {});
    expect([stock.status, stock.json]).toEqual([400, required("stock")]);
    expect(full.store.snapshot()).toEqual(before);
  });

  it("a stock delete with an id that is not a number fails its int conversion", async () => {
    const before = full.store.snapshot();
    const r = await call(full, "DELETE", "/rest/all/V1/inventory/stocks/inv-doctor-probe");
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      message: 'The "inv-doctor-probe" value\'s type is invalid. The "int" type was expected. Verify and try again.',
    });
    expect(full.store.snapshot()).toEqual(before);
  });

  it("a source-item save whose first item's sku is a list fails its conversion, after the array's count", async () => {
    const before = full.store.snapshot();
    const r = await call(full, "POST", "/rest/all/V1/inventory/source-items", { sourceItems: MALFORMED_ITEMS });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      message:
        'Error occurred during "sku" processing. The "array" value\'s type is invalid. The "string" type was expected. Verify and try again.',
    });
    expect(full.store.snapshot()).toEqual(before);
  });

  it("with input limits on, the same save is refused for its length first, naming the maximum", async () => {
    const before = limits.store.snapshot();
    const r = await call(limits, "POST", "/rest/all/V1/inventory/source-items", { sourceItems: MALFORMED_ITEMS });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      message: 'Maximum items of type "%type" is %max',
      parameters: { type: "\\Magento\\InventoryApi\\Api\\Data\\SourceItemInterface", max: 20 },
    });
    const page = await call(limits, "GET", "/rest/all/V1/inventory/sources?searchCriteria%5BpageSize%5D=1000");
    expect(page.json).toEqual({ message: "Maximum SearchCriteria pageSize is %max", parameters: { max: 300 } });
    expect(limits.store.snapshot()).toEqual(before);
  });

  it("a salable quantity for a product no store has is a 404 past the ACL check", async () => {
    const r = await call(full, "GET", "/rest/all/V1/inventory/get-product-salable-quantity/inv-doctor-probe/1");
    expect(r.status).toBe(404);
    expect(r.json).toEqual({
      message: "The product that was requested doesn't exist. Verify the product and try again.",
    });
  });

  it("the Google two-factor route without arguments: 400 when Magento_TwoFactorAuth is on, no route when off", async () => {
    const on = await call(twoFactor, "POST", "/rest/V1/tfa/provider/google/authenticate", {}, anonymous);
    expect(on.status).toBe(400);
    expect(on.json).toEqual({
      message: "One or more input exceptions have occurred.",
      errors: ["username", "password", "otp"].map(required),
    });
    const off = await call(full, "POST", "/rest/V1/tfa/provider/google/authenticate", {}, anonymous);
    expect([off.status, off.json]).toEqual([404, { message: "Request does not match any route." }]);
  });
});
