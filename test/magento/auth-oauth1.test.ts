// The OAuth 1.0a signer, unit by unit, as Magento verifies it
// (magento/magento2:lib/internal/Magento/Framework/Oauth/Oauth.php with Laminas\OAuth's HMAC signature): parameter
// order, encoding, key, header.

import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { oauthAuthorizationHeader, percentEncode, signatureBaseString } from "../../src/magento/oauth1.js";
import { strnatcmp } from "../../src/magento/php-strnatcmp.js";
import { searchCriteriaQuery } from "../../src/magento/search-criteria.js";

const CREDENTIALS = {
  consumerKey: "ck".repeat(16),
  consumerSecret: "cs~!*'()",
  accessToken: "at".repeat(16),
  accessTokenSecret: "ats/+=",
};

describe("PHP strnatcmp", () => {
  it("orders digit runs by value and everything else byte by byte, as PHP does", () => {
    expect(strnatcmp("img2", "img10")).toBe(-1);
    expect(strnatcmp("img12", "img10")).toBe(1);
    expect(strnatcmp("a", "a")).toBe(0);
    expect(strnatcmp("a", "b")).toBe(-1);
    expect(strnatcmp("abc", "ab")).toBe(1);
    expect(strnatcmp("", "a")).toBe(-1);
    expect(strnatcmp("x1.5", "x1.10")).toBe(-1);
    // A run that starts with 0 compares left-aligned, as a fraction.
    expect(strnatcmp("x02", "x1")).toBe(-1);
    expect(["f[10]", "f[2]", "f[1]", "f[0]"].sort(strnatcmp)).toEqual(["f[0]", "f[1]", "f[2]", "f[10]"]);
  });
});

describe("signature base string", () => {
  it("sorts encoded parameter names with strnatcmp, so filters[2] precedes filters[10]", () => {
    const filters = Array.from({ length: 12 }, (_, i) => ({
      field: "sku",
      value: `S,${i}`,
      conditionType: "eq" as const,
    }));
    const query = searchCriteriaQuery(
      { filterGroups: [filters], sortOrders: [{ field: "sku", direction: "ASC" }] },
      { pageSize: 300, currentPage: 1 },
    );
    const url = new URL(`https://Shop.Example.com:443/rest/all/V1/inventory/source-items?${query}`);
    const base = signatureBaseString("get", url, { oauth_nonce: "n", oauth_consumer_key: "k" });
    const [method, encodedUrl, encodedParams] = base.split("&");
    expect(method).toBe("GET");
    expect(decodeURIComponent(encodedUrl!)).toBe("https://shop.example.com/rest/all/V1/inventory/source-items");
    const names = decodeURIComponent(encodedParams!)
      .split("&")
      .map((pair) => decodeURIComponent(pair.split("=")[0]!));
    const fieldNames = names.filter((n) => n.endsWith("[field]") && n.includes("[filters]"));
    expect(fieldNames.map((n) => Number(/\[filters\]\[(\d+)\]/.exec(n)?.[1]))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(names[0]).toBe("oauth_consumer_key");
    // Values are encoded once in the pairs and once more as a whole (RFC 5849 §3.4.1).
    expect(encodedParams).toContain(percentEncode(`${percentEncode("searchCriteria[pageSize]")}=300`));
  });

  it("keeps a non-default port and drops the query, fragment and default ports from the URL", () => {
    const at = (href: string) => decodeURIComponent(signatureBaseString("GET", new URL(href), {}).split("&")[1]!);
    expect(at("http://127.0.0.1:8080/rest/V1/x?a=1#f")).toBe("http://127.0.0.1:8080/rest/V1/x");
    expect(at("http://shop.test:80/rest/V1/x")).toBe("http://shop.test/rest/V1/x");
  });
});

describe("Authorization header", () => {
  it("carries every protocol parameter and an HMAC-SHA256 signature keyed by both secrets", () => {
    const url = new URL("https://shop.test/rest/all/V1/inventory/sources?searchCriteria%5BpageSize%5D=5");
    const header = oauthAuthorizationHeader("GET", url, CREDENTIALS, { nonce: "abc123", timestamp: 1_700_000_000 });
    expect(header.startsWith("OAuth ")).toBe(true);
    const params = Object.fromEntries(
      header
        .slice(6)
        .split(",")
        .map((p) => {
          const [k, v] = p.split("=");
          return [k!, decodeURIComponent(v!.slice(1, -1))];
        }),
    );
    expect(params).toMatchObject({
      oauth_consumer_key: CREDENTIALS.consumerKey,
      oauth_nonce: "abc123",
      oauth_signature_method: "HMAC-SHA256",
      oauth_timestamp: "1700000000",
      oauth_token: CREDENTIALS.accessToken,
      oauth_version: "1.0",
    });
    const { oauth_signature: signature, ...signed } = params;
    const base = signatureBaseString("GET", url, signed);
    const key = `${percentEncode(CREDENTIALS.consumerSecret)}&${percentEncode(CREDENTIALS.accessTokenSecret)}`;
    expect(signature).toBe(createHmac("sha256", key).update(base).digest("base64"));
  });
});
