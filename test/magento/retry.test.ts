// The client's retry loop against scripted answers (undici MockAgent): what is retried,
// how long it waits, when it gives up, and what is never sent twice.

import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionError, MagentoApiError } from "../../src/errors.js";
import { BearerAuth } from "../../src/magento/auth.js";
import { MagentoClient, type ClientEvent } from "../../src/magento/client.js";
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  parseRetryAfter,
  retryDelayMs,
  type RetryPolicy,
} from "../../src/magento/retry.js";

const ORIGIN = "http://127.0.0.1:8080";
const POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 30_000 };

type Step =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  | { readonly drop: true };

interface Harness {
  readonly client: MagentoClient;
  /** `METHOD path` of every request that reached the mock, in order. */
  readonly requests: string[];
  /** Every wait the client asked for, in ms. */
  readonly sleeps: number[];
  readonly events: ClientEvent[];
  /** Answers the next request matching `method` and a path starting with `/rest/all/<route>` with `step`. */
  script(method: string, route: string, ...steps: Step[]): void;
}

const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

function harness(options: { policy?: RetryPolicy; random?: () => number } = {}): Harness {
  const agent = new MockAgent().enableCallHistory();
  agent.disableNetConnect();
  agents.push(agent);
  const pool = agent.get(ORIGIN);
  const sleeps: number[] = [];
  const events: ClientEvent[] = [];
  const client = new MagentoClient({
    baseUrl: ORIGIN,
    auth: new BearerAuth("test-token-0123456789"),
    retry: options.policy ?? POLICY,
    dispatcher: agent,
    sleep: async (ms) => void sleeps.push(ms),
    random: options.random ?? (() => 0.5),
    onEvent: (event) => events.push(event),
  });
  return {
    client,
    get requests() {
      return (agent.getCallHistory()?.calls() ?? []).map((c) => `${c.method} ${c.path.replace(/^\/rest\/all\//, "")}`);
    },
    sleeps,
    events,
    script(method, route, ...steps) {
      const prefix = `/rest/all/${route}`;
      for (const step of steps) {
        const interceptor = pool.intercept({
          method,
          path: (path: string) => path === prefix || path.startsWith(`${prefix}?`),
        });
        if ("drop" in step) {
          interceptor.replyWithError(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }));
        } else {
          interceptor.reply(() => {
            const json = typeof step.body !== "string";
            return {
              statusCode: step.status,
              data: json ? JSON.stringify(step.body ?? null) : (step.body as string),
              responseOptions: {
                headers: { "content-type": json ? "application/json" : "text/html", ...step.headers },
              },
            };
          });
        }
      }
    },
  };
}

const SOURCES = "V1/inventory/sources";
const SOURCE_ITEMS = "V1/inventory/source-items";
const EMPTY = { items: [], total_count: 0 };
const GATEWAY_HTML = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>";
const DEADLOCK = { message: "Could not save Source Item" };

describe("what a read retries", () => {
  it("retries 429, 502, 503, 504 and a dropped connection, then returns the answer", async () => {
    const h = harness({ policy: { ...POLICY, maxAttempts: 6 } });
    h.script(
      "GET",
      SOURCES,
      { status: 503, body: GATEWAY_HTML },
      { status: 502, body: GATEWAY_HTML },
      { status: 504, body: GATEWAY_HTML },
      { status: 429, body: { message: "Too Many Requests" } },
      { drop: true },
      { status: 200, body: EMPTY },
    );
    await expect(h.client.get(SOURCES)).resolves.toEqual(EMPTY);
    expect(h.requests).toHaveLength(6);
    expect(h.sleeps).toHaveLength(5);
  });

  it("gives up after maxAttempts requests in all and names the last failure", async () => {
    const h = harness();
    h.script(
      "GET",
      SOURCES,
      ...Array.from({ length: POLICY.maxAttempts }, () => ({ status: 503, body: GATEWAY_HTML })),
    );
    const error = await h.client.get(SOURCES).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MagentoApiError);
    expect((error as MagentoApiError).status).toBe(503);
    expect(h.requests).toHaveLength(POLICY.maxAttempts);
    expect(h.sleeps).toHaveLength(POLICY.maxAttempts - 1);
  });

  it("a connection that keeps dropping ends in a ConnectionError that says it was retried", async () => {
    const h = harness();
    h.script("GET", SOURCES, ...Array.from({ length: POLICY.maxAttempts }, () => ({ drop: true }) as const));
    const error = await h.client.get(SOURCES).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toContain("the connection was closed before the answer arrived");
    expect((error as ConnectionError).hint).toContain("retried it with backoff");
    expect(h.requests).toHaveLength(POLICY.maxAttempts);
  });

  it.each([400, 401, 403, 404, 405, 406, 422])("never retries a %i", async (status) => {
    const h = harness();
    h.script("GET", SOURCES, { status, body: { message: "No such entity." } }, { status: 200, body: EMPTY });
    await expect(h.client.get(SOURCES)).rejects.toBeInstanceOf(MagentoApiError);
    expect(h.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it("does not retry a masked 500 on a read (it is Magento's answer, not a gateway's)", async () => {
    const h = harness();
    h.script(
      "GET",
      SOURCES,
      {
        status: 500,
        body: { message: "Internal Error. Details are available in Magento log file. Report ID: webapi-1" },
      },
      { status: 200, body: EMPTY },
    );
    await expect(h.client.get(SOURCES)).rejects.toBeInstanceOf(MagentoApiError);
    expect(h.requests).toHaveLength(1);
  });
});

describe("timeouts", () => {
  it("a store that does not answer in time is asked again, and the answer of the retry is used", async () => {
    const hanging: ServerResponse[] = [];
    let requests = 0;
    const server = createServer((_req, res) => {
      if (++requests === 1) hanging.push(res);
      else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(EMPTY));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const sleeps: number[] = [];
    const client = new MagentoClient({
      baseUrl: `http://127.0.0.1:${port}`,
      auth: new BearerAuth("timeout-token"),
      timeoutMs: 150,
      retry: POLICY,
      sleep: async (ms) => void sleeps.push(ms),
    });
    try {
      await expect(client.get(SOURCES)).resolves.toEqual(EMPTY);
      expect(requests).toBe(2);
      expect(sleeps).toHaveLength(1);
    } finally {
      await client.close();
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("a closed client", () => {
  it("fails at once instead of retrying, so an ended command does not linger", async () => {
    const sleeps: number[] = [];
    const client = new MagentoClient({
      baseUrl: "http://127.0.0.1:9",
      auth: new BearerAuth("closed-token"),
      retry: POLICY,
      sleep: async (ms) => void sleeps.push(ms),
    });
    await client.close();
    const error = await client.get(SOURCES).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toContain("the connection pool was closed");
    expect(sleeps).toEqual([]);
  });
});

describe("Retry-After", () => {
  it("waits at least the seconds a 429 asks for", async () => {
    const h = harness();
    h.script(
      "GET",
      SOURCES,
      { status: 429, body: { message: "Too Many Requests" }, headers: { "retry-after": "7" } },
      { status: 200, body: EMPTY },
    );
    await h.client.get(SOURCES);
    expect(h.sleeps).toHaveLength(1);
    expect(h.sleeps[0]).toBeGreaterThanOrEqual(7000);
  });

  it("reads an HTTP date too", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBe(0);
  });

  it("fails at once when Retry-After is beyond what inv waits for", async () => {
    const h = harness();
    h.script(
      "GET",
      SOURCES,
      { status: 429, body: { message: "Too Many Requests" }, headers: { "retry-after": "3600" } },
      { status: 200, body: EMPTY },
    );
    const error = await h.client.get(SOURCES).catch((e: unknown) => e);
    expect((error as MagentoApiError).status).toBe(429);
    expect(h.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });
});

describe("backoff", () => {
  it("is full jitter: anywhere from 0 to a ceiling that doubles from the base up to the cap", () => {
    const failure = { kind: "network", reason: "x", transient: true } as const;
    const delay = (attempt: number, r: number) => retryDelayMs(failure, attempt, POLICY, () => r);
    // random() = 0 waits nothing at all: full jitter, not "half plus a random half".
    expect([1, 2, 3, 4, 5, 6].map((a) => delay(a, 0))).toEqual([0, 0, 0, 0, 0, 0]);
    expect([1, 2, 3, 4, 5, 6].map((a) => delay(a, 0.5))).toEqual([50, 100, 200, 400, 500, 500]);
    // Just under 1, as Math.random gives at most: just under min(cap, base * 2^n).
    expect([1, 2, 3, 4, 5, 6].map((a) => delay(a, 0.999999))).toEqual([100, 200, 400, 800, 1000, 1000]);
    // A source that strays outside [0, 1) is held to the interval.
    expect(delay(3, 7)).toBe(400);
    expect(delay(3, -1)).toBe(0);
  });

  it("spreads the waits over the whole interval, never beyond the cap", () => {
    const failure = { kind: "network", reason: "x", transient: true } as const;
    for (let attempt = 1; attempt < 20; attempt++) {
      const ceiling = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1));
      const waits = Array.from({ length: 200 }, () =>
        retryDelayMs(failure, attempt, DEFAULT_RETRY_POLICY, Math.random),
      );
      expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...waits)).toBeLessThanOrEqual(ceiling);
      // 200 draws from the whole interval land in its lower and its upper quarter.
      expect(waits.some((w) => w < ceiling / 4)).toBe(true);
      expect(waits.some((w) => w > (ceiling * 3) / 4)).toBe(true);
    }
  });

  it("waits at least a Retry-After, whatever the jitter draws", () => {
    const throttled = { kind: "http", status: 429, rawMessage: "", retryAfterMs: 3000 } as const;
    expect(retryDelayMs(throttled, 1, POLICY, () => 0)).toBe(3000);
    expect(retryDelayMs(throttled, 6, POLICY, () => 0.999999)).toBe(3000);
  });

  it("the client waits the jittered delays it announces", async () => {
    let draws = 0;
    const h = harness({ random: () => [0, 1, 0.5][draws++ % 3]! });
    h.script("GET", SOURCES, { drop: true }, { drop: true }, { drop: true }, { status: 200, body: EMPTY });
    await h.client.get(SOURCES);
    expect(h.sleeps).toEqual([0, 200, 200]);
    const retries = h.events.filter((e) => e.type === "retry");
    expect(retries.map((e) => (e.type === "retry" ? e.delayMs : 0))).toEqual(h.sleeps);
  });
});

describe("what a write retries", () => {
  it("retries Magento's deadlock signature on source-item saves", async () => {
    const h = harness();
    h.script(
      "POST",
      SOURCE_ITEMS,
      { status: 400, body: DEADLOCK },
      { status: 400, body: DEADLOCK },
      { status: 200, body: [] },
    );
    await h.client.send("POST", SOURCE_ITEMS, { sourceItems: [] }, "source-item-save");
    expect(h.requests).toHaveLength(3);
  });

  it("does not retry other 400s of a source-item save", async () => {
    const h = harness();
    h.script(
      "POST",
      SOURCE_ITEMS,
      {
        status: 400,
        body: { message: 'Validation Failed: "%field" should be numeric.', parameters: { field: "quantity" } },
      },
      { status: 200, body: [] },
    );
    const error = await h.client
      .send("POST", SOURCE_ITEMS, { sourceItems: [] }, "source-item-save")
      .catch((e: unknown) => e);
    expect((error as MagentoApiError).magentoMessage).toBe('Validation Failed: "quantity" should be numeric.');
    expect(h.requests).toHaveLength(1);
  });

  it("does not treat the deadlock text as transient on other writes", async () => {
    const h = harness();
    h.script(
      "POST",
      "V1/inventory/stock-source-links",
      { status: 400, body: { message: "Could not save Source Item" } },
      { status: 200, body: [] },
    );
    await expect(
      h.client.send("POST", "V1/inventory/stock-source-links", { links: [] }, "transient"),
    ).rejects.toBeInstanceOf(MagentoApiError);
    expect(h.requests).toHaveLength(1);
  });

  it("retries an idempotent write on a gateway error", async () => {
    const h = harness();
    h.script("PUT", "V1/inventory/sources/ne_wh", { status: 502, body: GATEWAY_HTML }, { status: 200, body: [] });
    await h.client.send("PUT", "V1/inventory/sources/ne_wh", { source: {} }, "transient");
    expect(h.requests).toHaveLength(2);
  });

  it("never sends a `never` write twice, whatever the failure", async () => {
    for (const step of [
      { drop: true } as const,
      { status: 503, body: GATEWAY_HTML },
      { status: 429, body: { message: "Too Many Requests" } },
    ]) {
      const h = harness();
      h.script("POST", "V1/inventory/stocks", step, { status: 200, body: 9 });
      await expect(h.client.send("POST", "V1/inventory/stocks", { stock: { name: "X" } }, "never")).rejects.toThrow();
      expect(h.requests).toEqual(["POST V1/inventory/stocks"]);
    }
  });

  it("a checked write sent without its check is not retried", async () => {
    const h = harness();
    h.script("POST", "V1/inventory/stocks", { drop: true }, { status: 200, body: 9 });
    await expect(h.client.send("POST", "V1/inventory/stocks", {}, "checked")).rejects.toBeInstanceOf(ConnectionError);
    expect(h.requests).toHaveLength(1);
  });
});

describe("checked writes (stock create, bulk transfer)", () => {
  it("after a dropped answer, asks the store first and does not resend what is already done", async () => {
    const h = harness();
    h.script("POST", "V1/inventory/stocks", { drop: true }, { status: 200, body: 10 });
    const checks: number[] = [];
    const result = await h.client.sendChecked<number>("POST", "V1/inventory/stocks", {}, async () => {
      checks.push(h.requests.length);
      return true;
    });
    expect(result).toBeUndefined();
    expect(h.requests).toEqual(["POST V1/inventory/stocks"]);
    expect(checks).toEqual([1]);
  });

  it("resends after the check finds it not done, waiting out a 429 first", async () => {
    const h = harness();
    h.script(
      "POST",
      "V1/inventory/stocks",
      { status: 429, body: { message: "Too Many Requests" }, headers: { "retry-after": "2" } },
      { status: 503, body: GATEWAY_HTML },
      { status: 200, body: 12 },
    );
    let checks = 0;
    const result = await h.client.sendChecked<number>("POST", "V1/inventory/stocks", {}, async () => {
      checks++;
      return false;
    });
    expect(result).toBe(12);
    expect(checks).toBe(2);
    expect(h.requests).toHaveLength(3);
    expect(h.sleeps[0]).toBeGreaterThanOrEqual(2000);
  });

  it("checks after a masked 500 too, since the write may have committed before it", async () => {
    const h = harness();
    h.script("POST", "V1/inventory/stocks", {
      status: 500,
      body: { message: "Internal Error. Details are available in Magento log file. Report ID: webapi-2" },
    });
    let checks = 0;
    await h.client.sendChecked("POST", "V1/inventory/stocks", {}, async () => ++checks > 0);
    expect(checks).toBe(1);
  });

  it("a 400 is final: no check, no resend", async () => {
    const h = harness();
    h.script("POST", "V1/inventory/stocks", { status: 400, body: { message: "Could not save Stock" } });
    let checks = 0;
    await expect(
      h.client.sendChecked("POST", "V1/inventory/stocks", {}, async () => {
        checks++;
        return false;
      }),
    ).rejects.toBeInstanceOf(MagentoApiError);
    expect(checks).toBe(0);
    expect(h.requests).toHaveLength(1);
  });
});

describe("the policy table", () => {
  const http = (status: number, rawMessage = "") =>
    ({ kind: "http", status, rawMessage, retryAfterMs: undefined }) as const;
  // docs/magento/webapi-platform.md#concurrency-and-retries
  it("follows Magento: transient for all, deadlock and 500 for source-item saves, nothing for never", () => {
    expect([429, 502, 503, 504].every((s) => isRetryable(http(s), "transient"))).toBe(true);
    expect([400, 401, 403, 404, 409, 422, 500, 501].some((s) => isRetryable(http(s), "transient"))).toBe(false);
    expect(isRetryable(http(400, "Could not save Source Item"), "source-item-save")).toBe(true);
    expect(isRetryable(http(400, "Could not save Source"), "source-item-save")).toBe(false);
    expect(isRetryable(http(500), "source-item-save")).toBe(true);
    expect(isRetryable(http(400, "Could not save Source Item"), "transient")).toBe(false);
    expect(isRetryable({ kind: "network", reason: "x", transient: true }, "never")).toBe(false);
    expect(isRetryable({ kind: "network", reason: "x", transient: true }, "transient")).toBe(true);
    expect(isRetryable({ kind: "network", reason: "x", transient: false }, "transient")).toBe(false);
    expect(isRetryable(http(503), "never")).toBe(false);
    expect(isRetryable(http(500), "checked")).toBe(true);
    expect(isRetryable(http(400), "checked")).toBe(false);
  });
});
