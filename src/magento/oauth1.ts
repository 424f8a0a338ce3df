// OAuth 1.0a request signing with HMAC-SHA256, the only method Magento accepts since
// 2.4.4 (magento/magento2:lib/internal/Magento/Framework/Oauth/Oauth.php). The base string covers the
// method, scheme://host/path and the oauth_* plus query parameters; JSON bodies are not
// signed (magento/magento2:lib/internal/Magento/Framework/Oauth/Helper/Request.php). Parameters are
// ordered as Laminas\OAuth\Signature\AbstractSignature orders them (strnatcmp).

import { createHmac, randomBytes } from "node:crypto";
import { strnatcmp } from "./php-strnatcmp.js";

export interface OAuthCredentials {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessTokenSecret: string;
}

/** RFC 3986 encoding, as OAuth 1.0a §3.6 requires (encodeURIComponent leaves !'()* alone). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function baseUrl(url: URL): string {
  const defaultPort =
    (url.protocol === "https:" && url.port === "443") || (url.protocol === "http:" && url.port === "80");
  const port = url.port && !defaultPort ? `:${url.port}` : "";
  return `${url.protocol.toLowerCase()}//${url.hostname.toLowerCase()}${port}${url.pathname}`;
}

export function signatureBaseString(method: string, url: URL, oauthParams: Readonly<Record<string, string>>): string {
  // Magento collects the parameters into a PHP array (one value per name, the last wins) and
  // sorts the encoded names with strnatcmp, so `filters[2]` comes before `filters[10]`.
  const params = new Map<string, string>();
  for (const [key, value] of Object.entries(oauthParams)) params.set(percentEncode(key), percentEncode(value));
  for (const [key, value] of url.searchParams)
    if (!/oauth_[a-z_-]+/.test(key)) params.set(percentEncode(key), percentEncode(value));
  const normalized = [...params]
    .sort(([a], [b]) => strnatcmp(a, b))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  return [method.toUpperCase(), percentEncode(baseUrl(url)), percentEncode(normalized)].join("&");
}

export interface SignOptions {
  readonly nonce?: string;
  readonly timestamp?: number;
}

export function oauthAuthorizationHeader(
  method: string,
  url: URL,
  credentials: OAuthCredentials,
  options: SignOptions = {},
): string {
  const params: Record<string, string> = {
    oauth_consumer_key: credentials.consumerKey,
    oauth_nonce: options.nonce ?? randomBytes(16).toString("hex"),
    oauth_signature_method: "HMAC-SHA256",
    oauth_timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_token: credentials.accessToken,
    oauth_version: "1.0",
  };
  const key = `${percentEncode(credentials.consumerSecret)}&${percentEncode(credentials.accessTokenSecret)}`;
  const signature = createHmac("sha256", key)
    .update(signatureBaseString(method, url, params))
    .digest("base64");
  const header = { ...params, oauth_signature: signature };
  return `OAuth ${Object.entries(header)
    .map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`)
    .join(",")}`;
}
