// The REST client without a server (undici MockAgent): URLs, paging, limits, error decoding.

import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigurationError, MagentoApiError } from "../../src/errors.js";
import { BearerAuth } from "../../src/magento/auth.js";
import { MagentoClient } from "../../src/magento/client.js";
import { fillPlaceholders } from "../../src/magento/decode-error.js";

const ORIGIN = "https://shop.example.com";
let agent: MockAgent | undefined;

function client(options: { pageSize?: number; baseUrl?: string } = {}): MagentoClient & { agent: MockAgent } {
  const mock = new MockAgent();
  mock.disableNetConnect();
  agent = mock;
  return Object.assign(
    new MagentoClient({
      baseUrl: options.baseUrl ?? ORIGIN,
      auth: new BearerAuth("secret-token-1234"),
      dispatcher: agent,
      pageSize: options.pageSize ?? 2,
      sleep: async () => {},
      random: () => 0.5,
    }),
    { agent: mock },
  );
}

afterEach(async () => {
  await agent?.close();
  agent = undefined;
});

const json = { headers: { "content-type": "application/json" } };

describe("requests", () => {
  it("calls /rest/<store>/V1 under the base URL, with the bearer token and JSON bodies", async () => {
    const c = client({ baseUrl: `${ORIGIN}/shop/` });
    let seen: { path: string; headers: Record<string, string>; body: string } | undefined;
    c.agent
      .get(ORIGIN)
      .intercept({ path: "/shop/rest/all/V1/inventory/source-items", method: "POST" })
      .reply((options) => {
        seen = { path: options.path, headers: options.headers as Record<string, string>, body: String(options.body) };
        return { statusCode: 200, data: "[]", responseOptions: json };
      });
    await c.send("POST", "V1/inventory/source-items", { sourceItems: [{ sku: "A" }] }, "source-item-save");
    expect(seen?.headers["authorization"]).toBe("Bearer secret-token-1234");
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(seen?.body).toBe('{"sourceItems":[{"sku":"A"}]}');
  });

  it("refuses plain http to another host, credentials in the URL, and a URL ending in /rest", () => {
    expect(() => new MagentoClient({ baseUrl: "http://shop.example.com", auth: new BearerAuth("x") })).toThrow(
      ConfigurationError,
    );
    expect(() => new MagentoClient({ baseUrl: "https://user:pw@shop.example.com", auth: new BearerAuth("x") })).toThrow(
      /must not carry credentials/,
    );
    expect(() => new MagentoClient({ baseUrl: "https://shop.example.com/rest", auth: new BearerAuth("x") })).toThrow(
      /ends in \/rest/,
    );
    expect(new MagentoClient({ baseUrl: "http://127.0.0.1:8080", auth: new BearerAuth("x") }).displayUrl).toBe(
      "http://127.0.0.1:8080",
    );
    expect(
      new MagentoClient({ baseUrl: "http://shop.example.com", auth: new BearerAuth("x"), allowHttp: true }).displayUrl,
    ).toBe("http://shop.example.com");
  });
});

describe("paging", () => {
  it("reads page 1, learns the total, then reads the other pages, and keeps their order", async () => {
    const c = client({ pageSize: 2 });
    const rows = [{ sku: "a" }, { sku: "b" }, { sku: "c" }, { sku: "d" }, { sku: "e" }];
    const pool = c.agent.get(ORIGIN);
    for (const page of [1, 2, 3]) {
      pool
        .intercept({
          path: (p) =>
            p.startsWith("/rest/all/V1/inventory/source-items?") &&
            p.includes(`searchCriteria%5BcurrentPage%5D=${page}`),
        })
        .reply(200, { items: rows.slice((page - 1) * 2, page * 2), total_count: 5 }, json);
    }
    const items = await c.search<{ sku: string }, string>(
      "V1/inventory/source-items",
      { filterGroups: [], sortOrders: [{ field: "sku", direction: "ASC" }] },
      (r) => r.sku,
    );
    expect(items).toEqual(["a", "b", "c", "d", "e"]);
    expect(c.requestCounts.get("GET V1/inventory/source-items")).toBe(3);
  });

  it("adopts the store's maximum page size when it has input limits on", async () => {
    const c = client({ pageSize: 1000 });
    const pool = c.agent.get(ORIGIN);
    pool
      .intercept({ path: (p) => p.includes("pageSize%5D=1000") })
      .reply(400, { message: "Maximum SearchCriteria pageSize is %max", parameters: { max: 300 } }, json);
    pool
      .intercept({ path: (p) => p.includes("pageSize%5D=300") })
      .reply(200, { items: [{ sku: "a" }], total_count: 1 }, json);
    const items = await c.search<{ sku: string }, string>(
      "V1/inventory/source-items",
      { filterGroups: [], sortOrders: [] },
      (r) => r.sku,
    );
    expect(items).toEqual(["a"]);
    expect(c.pageSize).toBe(300);
    expect(c.inputLimitsDetected).toBe(true);
  });
});

describe("Magento's error bodies", () => {
  it("fills %1 and %name placeholders from parameters", () => {
    expect(fillPlaceholders("Invalid product data: %1", ["Invalid attribute set entity type"])).toBe(
      "Invalid product data: Invalid attribute set entity type",
    );
    expect(fillPlaceholders('"%fieldName" is required. Enter and try again.', { fieldName: "cartId" })).toBe(
      '"cartId" is required. Enter and try again.',
    );
    expect(fillPlaceholders("%field and %fieldName", { field: "a", fieldName: "b" })).toBe("a and b");
  });

  it("names the call, the status, the message and every listed error", async () => {
    const c = client();
    c.agent
      .get(ORIGIN)
      .intercept({ path: "/rest/all/V1/inventory/sources", method: "POST" })
      .reply(
        400,
        {
          message: "Validation Failed",
          errors: [
            { message: '"%field" can not be empty.', parameters: { field: "name" } },
            { message: '"%field" can not be empty.', parameters: { field: "postcode" } },
          ],
        },
        json,
      );
    const error = await c.send("POST", "V1/inventory/sources", { source: {} }, "transient").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MagentoApiError);
    expect((error as Error).message).toBe(
      "POST V1/inventory/sources failed with HTTP 400: Validation " +
        'Failed\n  - "name" can not be empty.\n  - "postcode" can not be empty.',
    );
  });

  it("reads the fallback envelope and a gateway's HTML page", async () => {
    const c = client();
    const pool = c.agent.get(ORIGIN);
    pool
      .intercept({ path: "/rest/all/V1/inventory/stocks/9", method: "GET" })
      .reply(
        500,
        { messages: { error: [{ code: 500, message: "Server internal error. See details in report api/123" }] } },
        json,
      );
    pool
      .intercept({ path: "/rest/all/V1/inventory/stocks/8", method: "GET" })
      .reply(404, "<html><head><title>404 Not Found</title></head><body>nginx</body></html>", {
        headers: { "content-type": "text/html" },
      });
    await expect(c.get("V1/inventory/stocks/9")).rejects.toThrow(
      "GET V1/inventory/stocks/:stockId failed with HTTP 500: Server internal error. See details in report api/123",
    );
    await expect(c.get("V1/inventory/stocks/8")).rejects.toThrow("failed with HTTP 404: 404 Not Found");
  });

  it("explains a 401 and a route that does not exist", async () => {
    const c = client();
    const pool = c.agent.get(ORIGIN);
    pool.intercept({ path: "/rest/all/V1/inventory/sources/x", method: "GET" }).reply(
      401,
      {
        message: "The consumer isn't authorized to access %resources.",
        parameters: { resources: "Magento_InventoryApi::source" },
      },
      json,
    );
    pool
      .intercept({ path: "/rest/all/V1/inventory/nope", method: "GET" })
      .reply(404, { message: "Request does not match any route." }, json);
    const unauthorized = (await c.get("V1/inventory/sources/x").catch((e: unknown) => e)) as MagentoApiError;
    expect(unauthorized.message).toContain("The consumer isn't authorized to access Magento_InventoryApi::source.");
    expect(unauthorized.hint).toContain("integration access token is used as a bearer token");
    expect(unauthorized.hint).toContain("Magento_InventoryApi::stock_source_item_assign");
    expect(unauthorized.message + unauthorized.hint).not.toContain("secret-token-1234");
    const missing = (await c.get("V1/inventory/nope").catch((e: unknown) => e)) as MagentoApiError;
    expect(missing.hint).toContain("Check MAGENTO_URL");
  });
});
