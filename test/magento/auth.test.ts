// Every way `inv` authenticates, end to end against the sandbox: a bearer token, an admin
// login (with the relogin after expiry), Google two-factor, OAuth 1.0a, and what a 401 says.
// TOTP codes are computed here with node:crypto, independently of the sandbox's code.

import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AdminAuth,
  authFromEnvironment,
  BearerAuth,
  OAuthAuth,
  REQUIRED_ACL_RESOURCES,
} from "../../src/magento/auth.js";
import { MagentoClient, type ClientEvent } from "../../src/magento/client.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { startSandbox } from "../../src/sandbox/index.js";
import { runInv } from "../helpers/run-cli.js";
import { workspace } from "../helpers/sandbox.js";

const OTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const RETRY = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1000 };
const FILE = `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
products:
  24-WB01: { default: 100, ne_wh: 35 }
`;

/** RFC 6238 as Google Authenticator computes it: base32 secret, SHA1, 30 s steps, 6 digits. */
function totp(secret: string, unixSeconds = Date.now() / 1000): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of secret) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let plain: Sandbox;
let twoFactor: Sandbox;
let shortTtl: Sandbox;
let bearerAllowed: Sandbox;
let readOnly: Sandbox;

beforeAll(async () => {
  [plain, twoFactor, shortTtl, bearerAllowed, readOnly] = await Promise.all([
    startSandbox({ auth: { admin: { username: "ops", password: "s3cret-pass" } } }),
    startSandbox({
      auth: { admin: { username: "ops", password: "s3cret-pass", twoFactor: true, otpSecret: OTP_SECRET } },
    }),
    // 2 s, so a loaded machine still makes the first request before the token expires.
    startSandbox({ auth: { admin: { username: "ops", password: "s3cret-pass", tokenTtlSeconds: 2 } } }),
    startSandbox({ auth: { integration: { bearerAllowed: true } } }),
    // Magento grants each resource on its own: every inventory resource inv reads, but not the catalog.
    startSandbox({
      auth: {
        aclResources: [
          "Magento_InventoryApi::source",
          "Magento_InventoryApi::stock",
          "Magento_InventoryApi::stock_source_link",
          "Magento_InventorySalesApi::stock",
        ],
      },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain, twoFactor, shortTtl, bearerAllowed, readOnly].map((s) => s.close()));
});

function oauthEnv(sandbox: Sandbox): Record<string, string> {
  const c = sandbox.credentials;
  return {
    MAGENTO_URL: sandbox.url,
    MAGENTO_CONSUMER_KEY: c.consumerKey,
    MAGENTO_CONSUMER_SECRET: c.consumerSecret,
    MAGENTO_ACCESS_TOKEN: c.accessToken,
    MAGENTO_ACCESS_TOKEN_SECRET: c.accessTokenSecret,
  };
}

describe("choosing credentials from the environment", () => {
  const request = async () => ({
    status: 500,
    contentType: "",
    body: "",
    call: {
      method: "POST",
      route: "V1/integration/admin/token",
      url: "https://shop.example/rest/all/V1/integration/admin/token",
    },
  });

  it("takes OAuth keys first, then an admin login, then a bearer token", () => {
    expect(
      authFromEnvironment(
        {
          MAGENTO_TOKEN: "t0ken",
          MAGENTO_CONSUMER_KEY: "a",
          MAGENTO_CONSUMER_SECRET: "b",
          MAGENTO_ACCESS_TOKEN: "c",
          MAGENTO_ACCESS_TOKEN_SECRET: "d",
        },
        request,
      ),
    ).toBeInstanceOf(OAuthAuth);
    expect(
      authFromEnvironment(
        { MAGENTO_TOKEN: "t0ken", MAGENTO_ADMIN_USERNAME: "u", MAGENTO_ADMIN_PASSWORD: "p" },
        request,
      ),
    ).toBeInstanceOf(AdminAuth);
    expect(authFromEnvironment({ MAGENTO_TOKEN: "t0ken" }, request)).toBeInstanceOf(BearerAuth);
  });

  it("refuses half an OAuth key set, half an admin login, and no credentials at all", () => {
    expect(() => authFromEnvironment({ MAGENTO_CONSUMER_KEY: "a", MAGENTO_ACCESS_TOKEN: "c" }, request)).toThrow(
      /all four of MAGENTO_CONSUMER_KEY/,
    );
    expect(() => authFromEnvironment({ MAGENTO_ADMIN_USERNAME: "u" }, request)).toThrow(
      /both MAGENTO_ADMIN_USERNAME and MAGENTO_ADMIN_PASSWORD/,
    );
    expect(() => authFromEnvironment({}, request)).toThrow(/No credentials/);
  });
});

describe("bearer token", () => {
  it("MAGENTO_TOKEN reaches the store and never appears in the output", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const r = await runInv(["plan", "--verbose"], {
      cwd: dir,
      env: { MAGENTO_URL: plain.url, MAGENTO_TOKEN: plain.token },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("ne_wh");
    expect(r.stdout + r.stderr).not.toContain(plain.token);
  });

  it("a wrong token gets a 401 that lists the likely causes and the ACL resources inv needs", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const r = await runInv(["plan"], { cwd: dir, env: { MAGENTO_URL: plain.url, MAGENTO_TOKEN: "not-a-valid-token" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HTTP 401");
    expect(r.stderr).toContain("the token is wrong or has expired");
    expect(r.stderr).toContain("integration access token is used as a bearer token");
    expect(r.stderr).toContain("lacks an ACL resource");
    for (const resource of REQUIRED_ACL_RESOURCES) expect(r.stderr).toContain(resource);
    expect(r.stderr).not.toContain("not-a-valid-token");
  });
});

describe("integration access token as bearer", () => {
  it("is refused by a store that does not allow it (Magento 2.4.4+ default), and the 401 says so", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const r = await runInv(["plan"], {
      cwd: dir,
      env: { MAGENTO_URL: plain.url, MAGENTO_TOKEN: plain.credentials.accessToken },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HTTP 401");
    expect(r.stderr).toMatch(/Consumer Settings allows it \(or use the four OAuth keys instead\)/);
  });

  it("works where oauth/consumer/enable_integration_as_bearer is on", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const r = await runInv(["plan"], {
      cwd: dir,
      env: { MAGENTO_URL: bearerAllowed.url, MAGENTO_TOKEN: bearerAllowed.credentials.accessToken },
    });
    expect(r.code, r.stderr).toBe(0);
  });
});

describe("missing ACL resources", () => {
  it("a role without Magento_Catalog::products is told the catalog was not checked, and apply asks to go on", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const env = { MAGENTO_URL: readOnly.url, MAGENTO_TOKEN: readOnly.token };
    const r = await runInv(["plan"], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "Products were not checked against the catalog: the credentials may not read V1/products (Magento_Catalog::products): HTTP 401 Unauthorized: The consumer isn't authorized to access Magento_Catalog::products.",
    );
    const applied = await runInv(["apply", "--yes"], { cwd: dir, env });
    expect(applied.code).toBe(6);
    expect(applied.stderr).toContain("the plan could not check the catalog");
    expect(applied.stderr).toContain("--allow-unchecked");
  });

  it("a role without a resource a write needs is told which one, and all that inv needs", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const env = { MAGENTO_URL: readOnly.url, MAGENTO_TOKEN: readOnly.token };
    const r = await runInv(["apply", "--yes", "--allow-unchecked"], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `POST ${readOnly.url}/rest/all/V1/inventory/sources failed with HTTP 401 Unauthorized: The consumer isn't authorized to access Magento_InventoryApi::source_edit.`,
    );
    expect(r.stderr).toContain("This call needs Magento_InventoryApi::source_edit.");
    expect(r.stderr).toContain("lacks an ACL resource");
    for (const resource of REQUIRED_ACL_RESOURCES) expect(r.stderr).toContain(resource);
  });
});

describe("admin login", () => {
  it("turns MAGENTO_ADMIN_USERNAME and MAGENTO_ADMIN_PASSWORD into a token (V1/integration/admin/token)", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const env = { MAGENTO_URL: plain.url, MAGENTO_ADMIN_USERNAME: "ops", MAGENTO_ADMIN_PASSWORD: "s3cret-pass" };
    const r = await runInv(["apply", "--yes", "--verbose"], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`POST ${plain.url}/rest/all/V1/integration/admin/token -> HTTP 200 OK in`);
    expect(r.stdout + r.stderr).not.toContain("s3cret-pass");
    expect(plain.store.snapshot().source_items).toContainEqual({
      sku: "24-WB01",
      source_code: "ne_wh",
      quantity: 35,
      status: 1,
    });
  });

  it("logs in even when every read slot holds a request waiting for the token (--concurrency 1)", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const env = { MAGENTO_URL: plain.url, MAGENTO_ADMIN_USERNAME: "ops", MAGENTO_ADMIN_PASSWORD: "s3cret-pass" };
    const r = await runInv(["plan", "--concurrency", "1"], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
  });

  it("wrong credentials name the variables to check and the lock-out", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const r = await runInv(["plan"], {
      cwd: dir,
      env: { MAGENTO_URL: plain.url, MAGENTO_ADMIN_USERNAME: "ops", MAGENTO_ADMIN_PASSWORD: "wrong-pass" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `POST ${plain.url}/rest/all/V1/integration/admin/token failed with HTTP 401 Unauthorized`,
    );
    expect(r.stderr).toContain("Check MAGENTO_ADMIN_USERNAME and MAGENTO_ADMIN_PASSWORD");
    expect(r.stderr).not.toContain("wrong-pass");
  });

  it("logs in again once when the token expires between two requests", async () => {
    const events: ClientEvent[] = [];
    const client = new MagentoClient({
      baseUrl: shortTtl.url,
      auth: (request) => new AdminAuth("ops", "s3cret-pass", undefined, request),
      retry: RETRY,
      onEvent: (e) => events.push(e),
    });
    try {
      await client.get("V1/inventory/sources", "searchCriteria[pageSize]=5");
      await sleep(2100); // the sandbox's admin tokens live 2 s here (webapi/jwtauth/admin_expiration)
      const result = await client.get<{ total_count: number }>("V1/inventory/sources", "searchCriteria[pageSize]=5");
      expect(result.total_count).toBeGreaterThan(0);
      expect(events.filter((e) => e.type === "relogin")).toEqual([
        {
          type: "relogin",
          method: "GET",
          route: "V1/inventory/sources",
          url: `${shortTtl.url}/rest/all/V1/inventory/sources`,
        },
      ]);
      expect(client.requestCounts.get("POST V1/integration/admin/token")).toBe(2);
    } finally {
      await client.close();
    }
  });

  it("concurrent requests that all see the expired token share one new login", async () => {
    const client = new MagentoClient({
      baseUrl: shortTtl.url,
      auth: (request) => new AdminAuth("ops", "s3cret-pass", undefined, request),
      retry: RETRY,
      concurrency: 4,
    });
    try {
      await client.get("V1/inventory/sources", "searchCriteria[pageSize]=5");
      await sleep(2100);
      await Promise.all(
        Array.from({ length: 4 }, () => client.get("V1/inventory/stocks", "searchCriteria[pageSize]=5")),
      );
      expect(client.requestCounts.get("POST V1/integration/admin/token")).toBe(2);
    } finally {
      await client.close();
    }
  });

  it("a run longer than the token's life logs in again and finishes (inv apply)", async () => {
    // Every answer takes 250 ms, so the run outlives its first 1 s token.
    const slow = await startSandbox({
      latencyMs: 250,
      auth: { admin: { username: "ops", password: "s3cret-pass", tokenTtlSeconds: 1 } },
    });
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const env = { MAGENTO_URL: slow.url, MAGENTO_ADMIN_USERNAME: "ops", MAGENTO_ADMIN_PASSWORD: "s3cret-pass" };
      const r = await runInv(["apply", "--yes"], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/the admin token was refused on \S+ \S+; logging in again/);
      expect(slow.store.snapshot().source_items).toContainEqual({
        sku: "24-WB01",
        source_code: "ne_wh",
        quantity: 35,
        status: 1,
      });
    } finally {
      await slow.close();
    }
  });
});

describe("two-factor authentication (Google Authenticator)", () => {
  it("without MAGENTO_ADMIN_OTP, says the store wants the code", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const r = await runInv(["plan"], {
      cwd: dir,
      env: { MAGENTO_URL: twoFactor.url, MAGENTO_ADMIN_USERNAME: "ops", MAGENTO_ADMIN_PASSWORD: "s3cret-pass" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Please use the 2fa provider-specific endpoints to obtain a token.");
    expect(r.stderr).toContain("set MAGENTO_ADMIN_OTP");
  });

  it("with the current code, logs in through POST V1/tfa/provider/google/authenticate", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const otp = totp(OTP_SECRET);
    const env = {
      MAGENTO_URL: twoFactor.url,
      MAGENTO_ADMIN_USERNAME: "ops",
      MAGENTO_ADMIN_PASSWORD: "s3cret-pass",
      MAGENTO_ADMIN_OTP: otp,
    };
    const r = await runInv(["plan", "--verbose"], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`POST ${twoFactor.url}/rest/all/V1/tfa/provider/google/authenticate -> HTTP 200 OK in`);
    expect(r.stderr).not.toContain("V1/integration/admin/token");
  });

  it("a wrong code is refused with a hint about fresh codes", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const wrong = String((Number(totp(OTP_SECRET)) + 500_000) % 1_000_000).padStart(6, "0");
    const env = {
      MAGENTO_URL: twoFactor.url,
      MAGENTO_ADMIN_USERNAME: "ops",
      MAGENTO_ADMIN_PASSWORD: "s3cret-pass",
      MAGENTO_ADMIN_OTP: wrong,
    };
    const r = await runInv(["plan"], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `POST ${twoFactor.url}/rest/all/V1/tfa/provider/google/authenticate failed with HTTP 401 Unauthorized`,
    );
    expect(r.stderr).toContain("MAGENTO_ADMIN_OTP is the current code");
  });

  it("a code for a store without two-factor authentication says so", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const env = {
      MAGENTO_URL: plain.url,
      MAGENTO_ADMIN_USERNAME: "ops",
      MAGENTO_ADMIN_PASSWORD: "s3cret-pass",
      MAGENTO_ADMIN_OTP: "123456",
    };
    const r = await runInv(["plan"], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unset MAGENTO_ADMIN_OTP");
  });
});

describe("OAuth 1.0a (HMAC-SHA256)", () => {
  it("the four integration keys plan and apply, every request signed and accepted", async () => {
    const store = await startSandbox({});
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const env = oauthEnv(store);
      const applied = await runInv(["apply", "--yes"], { cwd: dir, env });
      expect(applied.code, applied.stderr).toBe(0);
      const again = await runInv(["plan", "--detailed-exitcode"], { cwd: dir, env });
      expect(again.code, again.stderr).toBe(0);
      for (const secret of Object.values(env).slice(1))
        expect(applied.stdout + applied.stderr + again.stdout + again.stderr).not.toContain(secret);
    } finally {
      await store.close();
    }
  });

  it("signs queries with ten or more filters in the order Magento sorts them (strnatcmp)", async () => {
    // SKUs with commas cannot use `in`, so each gets an `eq` filter: filters[0] .. filters[11].
    const skus = Array.from({ length: 12 }, (_, i) => `PACK,${i}`);
    const store = await startSandbox({});
    try {
      for (const sku of skus) {
        store.store.addProduct({ sku, name: sku, type_id: "simple" });
        store.store.setSourceItem(sku, "default", 3, 1);
      }
      const products = skus.map((sku) => `  "${sku}": { default: 3 }`).join("\n");
      const dir = workspace({ "inventory.yaml": `version: 1\nproducts:\n${products}\n` });
      const r = await runInv(["plan", "--detailed-exitcode"], { cwd: dir, env: oauthEnv(store) });
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await store.close();
    }
  });

  it("wrong secrets get Magento's signature error and the 401 hint", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const env = { ...oauthEnv(plain), MAGENTO_CONSUMER_SECRET: "x".repeat(32) };
    const r = await runInv(["plan"], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("The signature is invalid. Verify and try again.");
    expect(r.stderr).toContain("Check MAGENTO_CONSUMER_SECRET and MAGENTO_ACCESS_TOKEN_SECRET");
    expect(r.stderr).toContain("Magento_InventoryApi::stock_source_item_assign");
    expect(r.stderr).not.toContain("x".repeat(32));
  });
});
