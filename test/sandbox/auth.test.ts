// Authentication and authorisation (docs/magento/webapi-platform.md#framework-errors,
// docs/magento/webapi-platform.md#authentication). OAuth signatures and TOTP codes are computed here with node:crypto,
// independently of the sandbox's code.

import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/index.js";
import { call, start } from "./helpers.js";

let sb: Sandbox;
let limitedAcl: Sandbox;
let twoFactor: Sandbox;
let shortTtl: Sandbox;
let bearer: Sandbox;
const OTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

beforeAll(async () => {
  sb = await start({ auth: { admin: { username: "admin", password: "admin123" } } });
  limitedAcl = await start({ auth: { aclResources: ["Magento_InventoryApi::source"] } });
  twoFactor = await start({
    auth: { admin: { username: "admin", password: "admin123", twoFactor: true, otpSecret: OTP_SECRET } },
  });
  // 2 s, so a loaded machine still makes the first request before the token expires.
  shortTtl = await start({ auth: { admin: { username: "admin", password: "admin123", tokenTtlSeconds: 2 } } });
  bearer = await start({ auth: { integration: { bearerAllowed: true } } });
});
afterAll(async () => {
  await Promise.all([sb, limitedAcl, twoFactor, shortTtl, bearer].map((s) => s.close()));
});

const plain = (
  s: Sandbox,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): ReturnType<typeof call> => call(s, method, path, body, { Authorization: "", ...headers });

describe("ACL (RequestValidator::checkPermissions)", () => {
  it("no token → 401 with the route's ACL id in parameters.resources", async () => {
    const r = await plain(sb, "GET", "/rest/V1/inventory/sources");
    expect(r.status).toBe(401);
    expect(r.json).toEqual({
      message: "The consumer isn't authorized to access %resources.",
      parameters: { resources: "Magento_InventoryApi::source" },
    });
    const w = await plain(sb, "POST", "/rest/V1/inventory/source-items", { sourceItems: [] });
    expect(w.json).toMatchObject({ parameters: { resources: "Magento_InventoryApi::stock_source_item_assign" } });
    const b = await plain(sb, "POST", "/rest/V1/inventory/bulk-product-source-assign", { skus: [], sourceCodes: [] });
    expect(b.json).toMatchObject({ parameters: { resources: "Magento_Catalog::products" } });
  });

  it("a token holding only Magento_InventoryApi::source reads sources but cannot save source items", async () => {
    expect((await call(limitedAcl, "GET", "/rest/V1/inventory/sources")).status).toBe(200);
    const r = await call(limitedAcl, "POST", "/rest/V1/inventory/source-items", { sourceItems: [] });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ parameters: { resources: "Magento_InventoryApi::stock_source_item_assign" } });
  });

  it("a parent resource's grant does not reach its children (Authorization Rules store every resource)", async () => {
    // Magento_InventoryApi::source_edit sits under Magento_InventoryApi::source in acl.xml.
    const r = await call(limitedAcl, "PUT", "/rest/V1/inventory/sources/default", {
      source: { name: "Default Source", country_id: "US", postcode: "00000", enabled: true },
    });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ parameters: { resources: "Magento_InventoryApi::source_edit" } });
  });
});

describe("admin token (Integration AdminTokenService, 2FA, JWT expiry)", () => {
  it("valid credentials give a bare JSON string token that authorises", async () => {
    const r = await plain(sb, "POST", "/rest/V1/integration/admin/token", { username: "admin", password: "admin123" });
    expect(r.status).toBe(200);
    expect(typeof r.json).toBe("string");
    const token = r.json as string;
    expect(token.split(".")).toHaveLength(3);
    expect(
      (await plain(sb, "GET", "/rest/V1/inventory/sources", undefined, { Authorization: `Bearer ${token}` })).status,
    ).toBe(200);
  });

  it("wrong credentials → 401 with the 2.4 sign-in text", async () => {
    const r = await plain(sb, "POST", "/rest/V1/integration/admin/token", { username: "admin", password: "nope" });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({
      message:
        "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.",
    });
  });

  it("an expired token gives the same 401 as no token", async () => {
    const token = (
      await plain(shortTtl, "POST", "/rest/V1/integration/admin/token", { username: "admin", password: "admin123" })
    ).json as string;
    expect(
      (await plain(shortTtl, "GET", "/rest/V1/inventory/sources", undefined, { Authorization: `Bearer ${token}` }))
        .status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 3100));
    const r = await plain(shortTtl, "GET", "/rest/V1/inventory/sources", undefined, {
      Authorization: `Bearer ${token}`,
    });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({
      message: "The consumer isn't authorized to access %resources.",
      parameters: { resources: "Magento_InventoryApi::source" },
    });
  });

  it("with 2FA the token route points to the provider endpoints; Google TOTP then works", async () => {
    const refused = await plain(twoFactor, "POST", "/rest/V1/integration/admin/token", {
      username: "admin",
      password: "admin123",
    });
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({
      message: "Please use the 2fa provider-specific endpoints to obtain a token.",
      parameters: { active_providers: ["google"] },
    });
    const wrong = await plain(twoFactor, "POST", "/rest/V1/tfa/provider/google/authenticate", {
      username: "admin",
      password: "admin123",
      otp: "000000",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ message: "Invalid code." });
    const ok = await plain(twoFactor, "POST", "/rest/V1/tfa/provider/google/authenticate", {
      username: "admin",
      password: "admin123",
      otp: totp(OTP_SECRET),
    });
    expect(ok.status).toBe(200);
    const r = await plain(twoFactor, "GET", "/rest/V1/inventory/sources", undefined, {
      Authorization: `Bearer ${ok.json as string}`,
    });
    expect(r.status).toBe(200);
  });

  it("without 2FA the provider endpoint does not exist", async () => {
    expect(
      (await plain(sb, "POST", "/rest/V1/tfa/provider/google/authenticate", { username: "a", password: "b", otp: "1" }))
        .status,
    ).toBe(404);
  });
});

describe("integrations (OAuth 1.0a HMAC-SHA256; bearer only when allowed)", () => {
  it("a signed GET with a searchCriteria query is accepted; the JSON body of a POST is not signed", async () => {
    const qs =
      "searchCriteria[filter_groups][0][filters][0][field]=sku" +
      "&searchCriteria[filter_groups][0][filters][0][value]=24-WB01";
    const r = await oauthCall(sb, "GET", "/rest/V1/inventory/source-items", qs);
    expect(r.status).toBe(200);
    expect((r.json as { total_count: number }).total_count).toBe(1);
    const post = await oauthCall(
      sb,
      "POST",
      "/rest/V1/inventory/source-items",
      "",
      {},
      { sourceItems: [{ sku: "oauth", source_code: "default", quantity: 1, status: 1 }] },
    );
    expect(post.json).toEqual([]);
  });

  it("a bad signature → 401 The signature is invalid.", async () => {
    const r = await oauthCall(sb, "GET", "/rest/V1/inventory/sources", "", { tamper: true });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ message: "The signature is invalid. Verify and try again." });
  });

  it("HMAC-SHA1 is refused (2.4.4+)", async () => {
    const r = await oauthCall(sb, "GET", "/rest/V1/inventory/sources", "", { method: "HMAC-SHA1" });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ message: "Signature method %1 is not supported", parameters: ["HMAC-SHA1"] });
  });

  it("a reused nonce is refused", async () => {
    const nonce = randomBytes(16).toString("hex");
    expect((await oauthCall(sb, "GET", "/rest/V1/inventory/sources", "", { nonce })).status).toBe(200);
    const r = await oauthCall(sb, "GET", "/rest/V1/inventory/sources", "", { nonce });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ message: "The nonce is already being used by the consumer with ID %1", parameters: [1] });
  });

  it("a timestamp more than 600 s ahead is refused", async () => {
    const r = await oauthCall(sb, "GET", "/rest/V1/inventory/sources", "", {
      timestamp: Math.floor(Date.now() / 1000) + 3600,
    });
    expect(r.json).toEqual({ message: "Incorrect timestamp value in the oauth_timestamp parameter" });
  });

  it("the integration access token as bearer only works when the store allows it", async () => {
    const denied = await plain(sb, "GET", "/rest/V1/inventory/sources", undefined, {
      Authorization: `Bearer ${sb.credentials.accessToken}`,
    });
    expect(denied.status).toBe(401);
    const allowed = await plain(bearer, "GET", "/rest/V1/inventory/sources", undefined, {
      Authorization: `Bearer ${bearer.credentials.accessToken}`,
    });
    expect(allowed.status).toBe(200);
  });
});

// --- independent implementations for the tests ---

function base32(secret: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((b) => parseInt(b, 2)));
}

function totp(secret: string): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const h = createHmac("sha1", base32(secret)).update(counter).digest();
  const o = (h[19] ?? 0) & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, "0");
}

const enc = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

async function oauthCall(
  s: Sandbox,
  method: string,
  path: string,
  query: string,
  opts: { tamper?: boolean; method?: string; nonce?: string; timestamp?: number } = {},
  body?: unknown,
): ReturnType<typeof call> {
  const c = s.credentials;
  const oauth: Record<string, string> = {
    oauth_consumer_key: c.consumerKey,
    oauth_nonce: opts.nonce ?? randomBytes(16).toString("hex"),
    oauth_signature_method: opts.method ?? "HMAC-SHA256",
    oauth_timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_token: c.accessToken,
    oauth_version: "1.0",
  };
  const params: [string, string][] = Object.entries(oauth);
  for (const pair of query === "" ? [] : query.split("&")) {
    const [k = "", v = ""] = pair.split("=");
    params.push([decodeURIComponent(k), decodeURIComponent(v)]);
  }
  const normalized = params
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const url = new URL(s.url);
  const base = [method, enc(`http://${url.host}${path}`), enc(normalized)].join("&");
  let signature = createHmac(
    opts.method === "HMAC-SHA1" ? "sha1" : "sha256",
    `${enc(c.consumerSecret)}&${enc(c.accessTokenSecret)}`,
  )
    .update(base)
    .digest("base64");
  if (opts.tamper === true) signature = `${signature.slice(1)}A`;
  const header =
    "OAuth " +
    Object.entries({ ...oauth, oauth_signature: signature })
      .map(([k, v]) => `${k}="${enc(v)}"`)
      .join(",");
  const encodedQuery = query
    .split("&")
    .filter((p) => p !== "")
    .map((p) => p.split("=").map(enc).join("="))
    .join("&");
  return call(s, method, `${path}${encodedQuery === "" ? "" : `?${encodedQuery}`}`, body, { Authorization: header });
}
