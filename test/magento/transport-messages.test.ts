// What inv says when the store cannot be reached or something else answers in its place:
// every message names the method and the URL (host and store code, ids as sent, never a
// query or a credential), statuses read with their phrase, and each kind of failure says
// what to do. Undici's MockAgent stands in for the network; the refused port is real loopback.

import { createServer } from "node:net";
import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionError, httpStatus, MagentoApiError } from "../../src/errors.js";
import { BearerAuth } from "../../src/magento/auth.js";
import { MagentoClient, type ClientEvent } from "../../src/magento/client.js";
import { runInv } from "../helpers/run-cli.js";
import { workspace } from "../helpers/sandbox.js";

const ORIGIN = "https://shop.example.com";
const TOKEN = "transport-token-7f3a9c";
const FAST = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 1000 };
const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

function mocked(options: { storeCode?: string } = {}) {
  const agent = new MockAgent().enableCallHistory();
  agent.disableNetConnect();
  agents.push(agent);
  const events: ClientEvent[] = [];
  const sleeps: number[] = [];
  const client = new MagentoClient({
    baseUrl: ORIGIN,
    ...(options.storeCode ? { storeCode: options.storeCode } : {}),
    auth: new BearerAuth(TOKEN),
    dispatcher: agent,
    retry: FAST,
    sleep: async (ms) => void sleeps.push(ms),
    onEvent: (e) => events.push(e),
  });
  return { pool: agent.get(ORIGIN), client, events, sleeps, agent };
}

const failure = (promise: Promise<unknown>) => promise.then(() => undefined).catch((e: unknown) => e as Error);
const json = { headers: { "content-type": "application/json" } };
const html = { headers: { "content-type": "text/html" } };

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("statuses", () => {
  it("read with their reason phrase, and by number when they have none", () => {
    expect(httpStatus(503)).toBe("HTTP 503 Service Unavailable");
    expect(httpStatus(401)).toBe("HTTP 401 Unauthorized");
    expect(httpStatus(520)).toBe("HTTP 520");
  });
});

describe("where a call went", () => {
  it("names the method, host, store code and the path with its ids, and no query or token", async () => {
    const m = mocked({ storeCode: "default" });
    m.pool
      .intercept({ path: "/rest/default/V1/inventory/stocks/3", method: "PUT" })
      .reply(400, { message: 'Stock with id "%value" does not exist.', parameters: { value: 3 } }, json);
    const error = await failure(m.client.send("PUT", "V1/inventory/stocks/3", { stock: { name: "EU" } }, "transient"));
    expect(error).toBeInstanceOf(MagentoApiError);
    expect(error?.message).toBe(
      `PUT ${ORIGIN}/rest/default/V1/inventory/stocks/3 failed with HTTP 400 Bad Request: Stock with id "3" does not exist.`,
    );
    expect(`${error?.message} ${(error as MagentoApiError).hint}`).not.toContain(TOKEN);
  });

  it("leaves the query out of errors", async () => {
    const m = mocked();
    m.pool
      .intercept({ path: (p) => p.startsWith("/rest/all/V1/inventory/sources?"), method: "GET" })
      .reply(400, { message: "Maximum SearchCriteria pageSize is %max", parameters: { max: 300 } }, json);
    const error = await failure(m.client.get("V1/inventory/sources", "searchCriteria%5BpageSize%5D=1000"));
    expect(error?.message).toBe(
      `GET ${ORIGIN}/rest/all/V1/inventory/sources failed with HTTP 400 Bad Request: Maximum SearchCriteria pageSize is 300`,
    );
  });
});

describe("an HTML page in Magento's place", () => {
  it("a web server's 404 page says it is not Magento's REST API and lists the likely causes", async () => {
    const m = mocked();
    m.pool
      .intercept({ path: "/rest/all/V1/inventory/sources", method: "GET" })
      .reply(404, "<html><head><title>404 Not Found</title></head><body><center>nginx</center></body></html>", html);
    const error = (await failure(m.client.get("V1/inventory/sources"))) as MagentoApiError;
    expect(error.message).toBe(
      `GET ${ORIGIN}/rest/all/V1/inventory/sources failed with HTTP 404 Not Found: the server answered with an HTML page ("404 Not Found"), not Magento's REST API.`,
    );
    expect(error.answer).toEqual({ kind: "html" });
    expect(error.hint).toContain("--url or MAGENTO_URL is not the store's base URL");
    expect(error.hint).toContain("a proxy, CDN or firewall answered in Magento's place");
    expect(error.hint).toContain("Magento's Web API or its Magento_Inventory* modules are off");
  });

  it("a page answered with 200 (the storefront, a login page) is no answer either, even without a content type", async () => {
    const m = mocked();
    m.pool
      .intercept({ path: "/rest/all/V1/inventory/sources", method: "GET" })
      .reply(200, "<!DOCTYPE html><html><head><title>Home page</title></head><body>Luma</body></html>");
    const error = (await failure(m.client.get("V1/inventory/sources"))) as MagentoApiError;
    expect(error.message).toBe(
      `GET ${ORIGIN}/rest/all/V1/inventory/sources answered HTTP 200 OK: the server answered with an HTML page ("Home page"), not Magento's REST API.`,
    );
    expect(error.hint).toContain("is not the store's base URL");
  });

  it("a gateway's 503 page is retried, logged as HTTP 503 Service Unavailable, and then blamed on the gateway", async () => {
    const m = mocked();
    const page =
      "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body><center>nginx</center></body></html>";
    for (let i = 0; i < FAST.maxAttempts; i++)
      m.pool.intercept({ path: "/rest/all/V1/inventory/sources", method: "GET" }).reply(503, page, html);
    const error = (await failure(m.client.get("V1/inventory/sources"))) as MagentoApiError;
    const retries = m.events.filter((e) => e.type === "retry");
    expect(retries).toHaveLength(FAST.maxAttempts - 1);
    expect(retries.map((e) => (e.type === "retry" ? e.reason : ""))).toEqual([
      "HTTP 503 Service Unavailable, an HTML page",
      "HTTP 503 Service Unavailable, an HTML page",
    ]);
    expect(error.message).toBe(
      `GET ${ORIGIN}/rest/all/V1/inventory/sources failed with HTTP 503 Service Unavailable: the server answered with an HTML page ("503 Service Temporarily Unavailable"), not Magento's REST API.`,
    );
    expect(error.hint).toContain("A gateway in front of Magento answered in its place");
    expect(error.hint).toContain("maintenance mode");
  });

  it("an empty gateway answer says so once, not the status twice", async () => {
    const m = mocked();
    for (let i = 0; i < FAST.maxAttempts; i++)
      m.pool.intercept({ path: "/rest/all/V1/inventory/sources", method: "GET" }).reply(502, "");
    const error = await failure(m.client.get("V1/inventory/sources"));
    expect(error?.message).toBe(
      `GET ${ORIGIN}/rest/all/V1/inventory/sources failed with HTTP 502 Bad Gateway and an empty body.`,
    );
  });
});

describe("redirects", () => {
  it("a 301 to https names its Location and the base URL to use instead, and is not followed", async () => {
    const agent = new MockAgent().enableCallHistory();
    agent.disableNetConnect();
    agents.push(agent);
    const client = new MagentoClient({
      baseUrl: "http://shop.example.com",
      allowHttp: true,
      auth: new BearerAuth(TOKEN),
      dispatcher: agent,
      retry: FAST,
      sleep: async () => {},
    });
    agent
      .get("http://shop.example.com")
      .intercept({ path: (p) => p.startsWith("/rest/all/V1/inventory/sources"), method: "GET" })
      .reply(301, "", {
        headers: {
          location: "https://shop.example.com/rest/all/V1/inventory/sources?searchCriteria%5BpageSize%5D=1",
        },
      });
    const error = (await failure(
      client.get("V1/inventory/sources", "searchCriteria%5BpageSize%5D=1"),
    )) as MagentoApiError;
    expect(error.message).toBe(
      "GET http://shop.example.com/rest/all/V1/inventory/sources was redirected (HTTP 301 Moved Permanently) to https://shop.example.com/rest/all/V1/inventory/sources.",
    );
    expect(error.hint).toContain("inv does not follow redirects");
    expect(error.hint).toContain("set MAGENTO_URL (or --url) to https://shop.example.com.");
    expect(error.hint).toContain("The store is served over https: use https://.");
    expect(agent.getCallHistory()?.calls()).toHaveLength(1);
  });

  it("a redirect that keeps a path prefix gives the base URL with it", async () => {
    const m = mocked();
    m.pool
      .intercept({ path: "/rest/all/V1/inventory/stocks", method: "POST" })
      .reply(308, "", { headers: { location: "/shop/rest/all/V1/inventory/stocks" } });
    const error = (await failure(
      m.client.send("POST", "V1/inventory/stocks", { stock: {} }, "never"),
    )) as MagentoApiError;
    expect(error.message).toBe(
      `POST ${ORIGIN}/rest/all/V1/inventory/stocks was redirected (HTTP 308 Permanent Redirect) to ${ORIGIN}/shop/rest/all/V1/inventory/stocks.`,
    );
    expect(error.hint).toContain(`set MAGENTO_URL (or --url) to ${ORIGIN}/shop.`);
    expect(error.hint).not.toContain("served over https");
  });

  it("a redirect to another page (a single sign-on login) says the URL is probably not the base URL", async () => {
    const m = mocked();
    m.pool
      .intercept({ path: "/rest/all/V1/inventory/sources", method: "GET" })
      .reply(302, "", { headers: { location: "https://login.example.com/sso?next=%2Frest" } });
    const error = (await failure(m.client.get("V1/inventory/sources"))) as MagentoApiError;
    expect(error.message).toBe(
      `GET ${ORIGIN}/rest/all/V1/inventory/sources was redirected (HTTP 302 Found) to https://login.example.com/sso.`,
    );
    expect(error.hint).toContain("probably not its base URL, or a proxy or single sign-on page intercepts them");
  });

  it("a redirect without a Location says so", async () => {
    const m = mocked();
    m.pool.intercept({ path: "/rest/all/V1/inventory/sources", method: "GET" }).reply(307, "");
    const error = await failure(m.client.get("V1/inventory/sources"));
    expect(error?.message).toBe(
      `GET ${ORIGIN}/rest/all/V1/inventory/sources was redirected (HTTP 307 Temporary Redirect) without a Location to go to.`,
    );
  });
});

describe("no answer at all", () => {
  it("an unknown host fails at once, in one line that says what to check", async () => {
    const m = mocked();
    m.pool
      .intercept({ path: "/rest/all/V1/inventory/sources", method: "GET" })
      .replyWithError(Object.assign(new Error("getaddrinfo ENOTFOUND shop.example.com"), { code: "ENOTFOUND" }))
      .times(FAST.maxAttempts);
    const error = (await failure(m.client.get("V1/inventory/sources"))) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(
      `GET ${ORIGIN}/rest/all/V1/inventory/sources could not reach the store: host shop.example.com not found (DNS has no address for it). Check --url or MAGENTO_URL (the host name).`,
    );
    expect(error.hint).toBeUndefined();
    expect(m.sleeps).toEqual([]);
    expect(m.agent.getCallHistory()?.calls()).toHaveLength(1);
  });

  it("a refused connection once the store has answered is a restart: retried with backoff", async () => {
    const m = mocked();
    m.pool
      .intercept({ path: "/rest/all/V1/inventory/sources", method: "GET" })
      .reply(200, { items: [], total_count: 0 }, json);
    m.pool
      .intercept({ path: "/rest/all/V1/inventory/stocks", method: "GET" })
      .replyWithError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
    m.pool
      .intercept({ path: "/rest/all/V1/inventory/stocks", method: "GET" })
      .reply(200, { items: [], total_count: 0 }, json);
    await m.client.get("V1/inventory/sources");
    await expect(m.client.get("V1/inventory/stocks")).resolves.toEqual({ items: [], total_count: 0 });
    expect(m.events.filter((e) => e.type === "retry").map((e) => (e.type === "retry" ? e.reason : ""))).toEqual([
      "connection refused by shop.example.com:443",
    ]);
  });

  it("a dropped connection is retried, and then says what may close it", async () => {
    const m = mocked();
    m.pool
      .intercept({ path: "/rest/all/V1/inventory/sources", method: "GET" })
      .replyWithError(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }))
      .times(FAST.maxAttempts);
    const error = (await failure(m.client.get("V1/inventory/sources"))) as ConnectionError;
    expect(m.sleeps).toHaveLength(FAST.maxAttempts - 1);
    expect(error.message).toBe(
      `GET ${ORIGIN}/rest/all/V1/inventory/sources could not reach the store: the connection was closed before the answer arrived`,
    );
    expect(error.hint).toContain("inv retried it with backoff.");
    expect(error.hint).toContain("a proxy or load balancer in front of Magento may be closing connections");
    expect(error.hint).not.toContain("NODE_EXTRA_CA_CERTS");
  });

  it("inv plan against a port nothing listens on fails within seconds, with one line", async () => {
    const port = await closedPort();
    const dir = workspace({ "inventory.yaml": "version: 1\nproducts:\n  24-WB01: { default: 100 }\n" });
    const started = Date.now();
    // The default retry policy: nothing here is shortened for the test.
    const r = await runInv(["plan"], {
      cwd: dir,
      env: { MAGENTO_URL: `http://127.0.0.1:${port}`, MAGENTO_TOKEN: TOKEN },
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        new RegExp(
          `^inv: GET http://127\\.0\\.0\\.1:${port}/rest/all/V1/\\S+ could not reach the store: connection refused by 127\\.0\\.0\\.1:${port}\\. Check --url or MAGENTO_URL \\(host and port\\) and that the store is running\\.$`,
        ),
      ),
    ]);
  });
});

describe("--verbose", () => {
  it("logs a request that got no answer with its query, reason and time", async () => {
    const port = await closedPort();
    const dir = workspace({ "inventory.yaml": "version: 1\nproducts:\n  24-WB01: { default: 100 }\n" });
    const r = await runInv(["plan", "--verbose"], {
      cwd: dir,
      env: { MAGENTO_URL: `http://127.0.0.1:${port}`, MAGENTO_TOKEN: TOKEN },
    });
    expect(r.code).toBe(1);
    const logged = r.stderr.split("\n").filter((l) => l.includes(" -> "));
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged)
      expect(line).toMatch(
        new RegExp(
          `^inv: GET http://127\\.0\\.0\\.1:${port}/rest/all/V1/\\S+\\?searchCriteria\\[\\S+ -> connection refused by 127\\.0\\.0\\.1:${port} after \\d+ ms$`,
        ),
      );
    expect(r.stderr.trimEnd().split("\n").at(-1)).toContain("could not reach the store: connection refused");
  });

  it("logs each request's method, URL with store code and query, status and time, and never the token", async () => {
    const { openSandbox } = await import("../helpers/sandbox.js");
    const store = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": "version: 1\nproducts:\n  24-WB01: { default: 100 }\n" });
      const r = await runInv(["plan", "--verbose", "--store", "default"], { cwd: dir, env: store.env });
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stderr.split("\n").filter((l) => l.startsWith("inv: GET"));
      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines)
        expect(line).toMatch(
          new RegExp(`^inv: GET ${store.sandbox.url}/rest/default/V1/\\S+ -> HTTP 200 OK in \\d+ ms \\(\\d+ bytes\\)$`),
        );
      // The query as sent, its brackets shown as brackets.
      expect(lines.some((l) => /\/V1\/inventory\/sources\?\S*searchCriteria\[pageSize\]=1000/.test(l))).toBe(true);
      expect(r.stderr).not.toContain(store.sandbox.token);
    } finally {
      await store.sandbox.close();
    }
  });
});
