// Fault injection reproducible by seed, and the --state file across two instances.

import { request } from "node:http";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshState, type Sandbox } from "../../src/sandbox/index.js";
import { call, start } from "./helpers.js";

interface RawReply {
  readonly status: number | "dropped";
  readonly body: string;
  readonly retryAfter?: string;
}

/** One request on its own connection, so a destroyed socket is never retried by a client. */
function raw(sb: Sandbox, method: string, path: string, body?: unknown): Promise<RawReply> {
  return new Promise((resolve) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${sb.url}${path}`,
      {
        method,
        agent: false,
        headers: {
          Authorization: `Bearer ${sb.token}`,
          ...(data === undefined ? {} : { "Content-Type": "application/json" }),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          const ra = res.headers["retry-after"];
          resolve({ status: res.statusCode ?? 0, body: text, ...(typeof ra === "string" ? { retryAfter: ra } : {}) });
        });
        res.on("error", () => resolve({ status: "dropped", body: "" }));
      },
    );
    req.on("error", () => resolve({ status: "dropped", body: "" }));
    req.end(data);
  });
}

const opened: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});
async function open(...args: Parameters<typeof start>): Promise<Sandbox> {
  const s = await start(...args);
  opened.push(s);
  return s;
}

describe("faults", () => {
  const faults = { failRate: 0.2, throttleRate: 0.2, dropRate: 0.2, retryAfterSeconds: 7 };

  it("the same seed gives the same fault sequence; another seed a different one", async () => {
    const run = async (seed: number): Promise<(number | "dropped")[]> => {
      const s = await open({ faults, seed });
      const out: (number | "dropped")[] = [];
      for (let i = 0; i < 40; i++) out.push((await raw(s, "GET", "/rest/V1/inventory/sources")).status);
      expect(s.stats.faultsInjected).toBe(out.filter((x) => x !== 200).length);
      return out;
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(7);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toContain(503);
    expect(a).toContain(429);
    expect(a).toContain("dropped");
  });

  it("503 is an HTML gateway page; 429 carries Retry-After and Magento's body", async () => {
    const failing = await open({ faults: { failRate: 1 } });
    const r = await raw(failing, "GET", "/rest/V1/inventory/sources");
    expect(r.status).toBe(503);
    expect(r.body).toContain("<html>");
    const throttled = await open({ faults: { throttleRate: 1, retryAfterSeconds: 7 } });
    const t = await raw(throttled, "POST", "/rest/V1/integration/admin/token", { username: "a", password: "b" });
    expect(t.status).toBe(429);
    expect(t.retryAfter).toBe("7");
    expect(JSON.parse(t.body)).toEqual({ message: "Too Many Requests", trace: null });
  });

  it("drops after processing still commit the write the client never saw", async () => {
    const s = await open({ faults: { dropRate: 1 }, seed: 3 });
    const results: RawReply[] = [];
    for (let i = 0; i < 12; i++) {
      results.push(
        await raw(s, "POST", "/rest/V1/inventory/source-items", {
          sourceItems: [{ sku: `DROP-${i}`, source_code: "default", quantity: 1, status: 1 }],
        }),
      );
    }
    expect(results.every((r) => r.status === "dropped")).toBe(true);
    const written = s.store.snapshot().source_items.filter((i) => i.sku.startsWith("DROP-")).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(12);
    expect(s.stats.faultsInjected).toBe(12);
  });

  it("a deadlock on POST source-items is 400 Could not save Source Item and writes nothing", async () => {
    const s = await open({ faults: { deadlockRate: 1 } });
    const r = await raw(s, "POST", "/rest/V1/inventory/source-items", {
      sourceItems: [{ sku: "DL", source_code: "default", quantity: 1, status: 1 }],
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ message: "Could not save Source Item" });
    expect(s.store.snapshot().source_items.some((i) => i.sku === "DL")).toBe(false);
    expect((await raw(s, "GET", "/rest/V1/inventory/sources")).status).toBe(200);
    expect(s.stats.faultsInjected).toBe(1);
    expect(s.stats.byRoute["POST V1/inventory/source-items"]).toBe(1);
  });
});

describe("state file", () => {
  it("a fresh state is written at start, writes persist, and a second instance loads them", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "inv-sandbox-")), "state.json");
    const first = await start({ stateFile: file });
    expect(existsSync(file)).toBe(true);
    await call(first, "POST", "/rest/V1/inventory/sources", {
      source: { source_code: "persisted", name: "Persisted", country_id: "US", postcode: "1" },
    });
    await call(first, "POST", "/rest/V1/inventory/source-items", {
      sourceItems: [{ sku: "24-WB01", source_code: "persisted", quantity: 12.5, status: 1 }],
    });
    // Persisted before the response: the file already has it.
    expect(readFileSync(file, "utf8")).toContain('"persisted"');
    first.store.addProduct({ sku: "direct-sku", name: "Direct", type_id: "simple" });
    await first.close();
    const second = await open({ stateFile: file });
    const got = await call(
      second,
      "GET",
      "/rest/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=source_code" +
        "&searchCriteria[filter_groups][0][filters][0][value]=persisted",
    );
    expect(got.json).toMatchObject({
      items: [{ sku: "24-WB01", source_code: "persisted", quantity: 12.5, status: 1 }],
    });
    expect(second.store.snapshot().products.some((p) => p.sku === "direct-sku")).toBe(true);
  });

  it("initialState wins over an existing file and is written to it", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "inv-sandbox-")), "state.json");
    const a = await start({ stateFile: file });
    await a.close();
    const seeded = {
      ...freshState(),
      products: [{ sku: "only-one", name: "Only", type_id: "simple" as const }],
      source_items: [],
    };
    const b = await open({ stateFile: file, initialState: seeded });
    expect(b.store.snapshot().products).toEqual([{ sku: "only-one", name: "Only", type_id: "simple" }]);
    expect(JSON.parse(readFileSync(file, "utf8")).products).toEqual([
      { sku: "only-one", name: "Only", type_id: "simple" },
    ]);
  });
});
