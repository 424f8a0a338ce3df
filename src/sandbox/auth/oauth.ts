// OAuth 1.0a request verification for integrations, step by step as Magento does it.
// Magento: magento/magento2:lib/internal/Magento/Framework/Oauth/Oauth.php (validateAccessTokenRequest,
// _validateProtocolParams, _validateSignature),
// magento/magento2:lib/internal/Magento/Framework/Oauth/Helper/Request.php (header and query parsing),
// magento/magento2:app/code/Magento/Integration/Model/Oauth/Token/Provider.php (consumer/token messages),
// magento/magento2:app/code/Magento/Integration/Model/Oauth/Nonce/Generator.php (timestamp, nonce), Zend_Oauth
// signature (base string, strnatcmp key order, RFC 3986 encoding); docs/magento/webapi-platform.md#oauth-signatures
// (HMAC-SHA256 only since 2.4.4).

import { createHmac, timingSafeEqual } from "node:crypto";
import { badRequest, inputErrors, phrase, unauthorized } from "../errors.js";
import { rawQueryPairs } from "../php-query.js";

export interface OAuthIntegration {
  readonly consumerId: number;
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessTokenSecret: string;
}

export interface OAuthRequest {
  readonly method: string;
  readonly scheme: string;
  readonly host: string;
  /** Path as sent, without the query string. */
  readonly path: string;
  readonly rawQuery: string;
  readonly authorization: string;
  readonly contentType: string;
  readonly rawBody: string;
}

/** Zend_Oauth_Http_Utility::urlEncode: rawurlencode (RFC 3986). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** PHP strnatcmp: digit runs compare as numbers, everything else byte by byte. */
export function strnatcmp(a: string, b: string): number {
  const chunk = /(\d+|\D+)/g;
  const ca = a.match(chunk) ?? [];
  const cb = b.match(chunk) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i] ?? "";
    const y = cb[i] ?? "";
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = x.replace(/^0+(?=\d)/, "");
      const ny = y.replace(/^0+(?=\d)/, "");
      if (nx.length !== ny.length) return nx.length < ny.length ? -1 : 1;
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return ca.length === cb.length ? 0 : ca.length < cb.length ? -1 : 1;
}

const isProtocolParameter = (name: string): boolean => /oauth_[a-z_-]+/.test(name);

function headerParams(authorization: string, into: Map<string, string>): void {
  const at = authorization.toLowerCase().indexOf("oauth ");
  if (at < 0) return;
  for (const part of authorization.slice(at + 6).split(",")) {
    const trimmed = part.trim();
    const eq = trimmed.indexOf("=");
    if (eq < 0) continue;
    const name = trimmed.slice(0, eq);
    if (!isProtocolParameter(name)) continue;
    const raw = trimmed.slice(eq + 1).replace(/^"+|"+$/g, "");
    try {
      into.set(decodeURIComponent(name), decodeURIComponent(raw));
    } catch {
      into.set(name, raw);
    }
  }
}

/** scheme://host[:port]/path, lower-cased host, default port dropped. */
function normalisedUrl(scheme: string, host: string, path: string): string {
  let h = host.toLowerCase();
  if ((scheme === "http" && h.endsWith(":80")) || (scheme === "https" && h.endsWith(":443")))
    h = h.replace(/:\d+$/, "");
  return `${scheme}://${h}${path}`;
}

export function signatureBaseString(method: string, url: string, params: ReadonlyMap<string, string>): string {
  const encoded = [...params]
    .filter(([k]) => k !== "oauth_signature")
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const);
  encoded.sort((x, y) => strnatcmp(x[0], y[0]));
  const query = encoded.map(([k, v]) => `${k}=${v}`).join("&");
  return [method.toUpperCase(), rfc3986(url), rfc3986(query)].join("&");
}

export function sign(base: string, consumerSecret: string, tokenSecret: string): string {
  return createHmac("sha256", `${rfc3986(consumerSecret)}&${rfc3986(tokenSecret)}`)
    .update(base)
    .digest("base64");
}

const REQUIRED = [
  "oauth_consumer_key",
  "oauth_signature",
  "oauth_signature_method",
  "oauth_nonce",
  "oauth_timestamp",
  "oauth_token",
];

/** Verifies the request and returns the consumer id; throws Magento's errors otherwise. */
/** Request::_extractQueryStringParams: only `name=value` pairs (exactly one "="), oauth_* skipped. */
function queryParams(rawQuery: string, into: Map<string, string>): void {
  if (rawQuery === "") return;
  for (const pair of rawQuery.split("&")) {
    const parts = pair.split("=");
    const [name, value] = parts;
    if (parts.length !== 2 || name === undefined || value === undefined || isProtocolParameter(name)) continue;
    const decode = (x: string): string => {
      try {
        return decodeURIComponent(x);
      } catch {
        return x;
      }
    };
    into.set(decode(name), decode(value));
  }
}

export function verifyOAuth(
  req: OAuthRequest,
  integration: OAuthIntegration,
  usedNonces: Set<string>,
  nowSeconds: number,
): number {
  // Header first, then form-encoded body fields, then the query (Request::_processRequest).
  const params = new Map<string, string>();
  headerParams(req.authorization, params);
  if (req.contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    for (const [k, v] of rawQueryPairs(req.rawBody.replace(/\+/g, "%20")))
      if (!isProtocolParameter(k)) params.set(k, v);
  }
  queryParams(req.rawQuery, params);
  const version = params.get("oauth_version");
  if (version !== undefined && version !== "1.0") {
    throw badRequest('The "%1" Oauth version isn\'t supported.', [version]);
  }
  const missing = REQUIRED.filter((p) => params.get(p) === undefined);
  if (missing.length > 0) {
    throw inputErrors(missing.map((f) => phrase('"%fieldName" is required. Enter and try again.', { fieldName: f })));
  }
  const token = params.get("oauth_token") ?? "";
  if (token.length !== 32) throw badRequest("The token length is invalid. Check the length and try again.");
  const method = params.get("oauth_signature_method") ?? "";
  // 2.4.4+: only HMAC-SHA256 (Oauth::getSupportedSignatureMethods).
  if (method !== "HMAC-SHA256") throw badRequest("Signature method %1 is not supported", [method]);
  const key = params.get("oauth_consumer_key") ?? "";
  if (key.length !== 32) throw unauthorized("Consumer key is not the correct length");
  if (key !== integration.consumerKey) throw unauthorized("A consumer having the specified key does not exist");
  const timestamp = Math.trunc(Number.parseInt(params.get("oauth_timestamp") ?? "0", 10) || 0);
  if (timestamp <= 0 || timestamp > nowSeconds + 600) {
    throw unauthorized("Incorrect timestamp value in the oauth_timestamp parameter");
  }
  const nonce = params.get("oauth_nonce") ?? "";
  if (usedNonces.has(nonce)) {
    throw unauthorized("The nonce is already being used by the consumer with ID %1", [integration.consumerId]);
  }
  // The nonce is stored before the token and signature are checked.
  usedNonces.add(nonce);
  if (token !== integration.accessToken) throw unauthorized("Specified token does not exist");
  const base = signatureBaseString(req.method, normalisedUrl(req.scheme, req.host, req.path), params);
  const expected = Buffer.from(sign(base, integration.consumerSecret, integration.accessTokenSecret));
  const given = Buffer.from(params.get("oauth_signature") ?? "");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw unauthorized("The signature is invalid. Verify and try again.");
  }
  return integration.consumerId;
}
