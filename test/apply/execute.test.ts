// Executing a plan against scripted answers (undici MockAgent): writes that are not safe to
// send twice are settled by reading the store, the report and the journal say exactly what
// happened, and array calls are split again when the store's input limit is lower.

import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { executePlan, UnsettledWriteError, type JournalEntry } from "../../src/apply/execute.js";
import { PartialApplyError } from "../../src/apply/report.js";
import { diff } from "../../src/diff/diff.js";
import { EXIT_CODES, MagentoApiError } from "../../src/errors.js";
import { BearerAuth } from "../../src/magento/auth.js";
import { MagentoClient } from "../../src/magento/client.js";
import type {
  DesiredMove,
  DesiredProduct,
  DesiredState,
  DesiredStock,
  LiveSource,
  LiveSourceItem,
  LiveState,
  LiveStock,
  Origin,
  SourceFields,
} from "../../src/model.js";
import { buildPlan, type Plan } from "../../src/plan/plan.js";

const ORIGIN = "http://127.0.0.1:8081";
const HERE: Origin = { file: "inventory.yaml", line: 1, column: 1 };

// --- model builders ----------------------------------------------------------------------

function fields(name: string): SourceFields {
  return {
    name,
    enabled: true,
    email: null,
    contact_name: null,
    description: null,
    latitude: null,
    longitude: null,
    country_id: "US",
    region_id: null,
    region: null,
    city: null,
    street: null,
    postcode: "00000",
    phone: null,
    fax: null,
    is_pickup_location_active: false,
    frontend_name: name,
    frontend_description: null,
  };
}

interface World {
  readonly stocks?: readonly DesiredStock[];
  readonly products?: readonly DesiredProduct[];
  readonly moves?: readonly DesiredMove[];
  readonly liveSources?: readonly string[];
  readonly liveStocks?: readonly LiveStock[];
  readonly liveItems?: Readonly<Record<string, readonly LiveSourceItem[]>>;
}

function planFor(world: World): Plan {
  const desired: DesiredState = {
    sources: new Map(),
    stocks: new Map((world.stocks ?? []).map((s) => [s.name, s])),
    products: new Map((world.products ?? []).map((p) => [p.sku, p])),
    moves: world.moves ?? [],
    quantities: "manage",
    safety: { allowDestroy: true, maxUnassign: undefined, maxUnitsRemoved: undefined },
    files: [],
  };
  const liveSources = new Map<string, LiveSource>(
    (world.liveSources ?? ["default", "ne_wh", "hq"]).map((code) => [code, { code, fields: fields(code) }]),
  );
  const live: LiveState = {
    sources: liveSources,
    stocks: new Map(
      (
        world.liveStocks ?? [
          {
            id: 1,
            name: "Default Stock",
            salesChannels: [{ type: "website", code: "base" }],
            links: [{ source: "default", priority: 1 }],
          },
        ]
      ).map((s) => [s.id, s]),
    ),
    sourceItems: new Map(Object.entries(world.liveItems ?? {})),
  };
  return buildPlan({
    diff: diff(desired, live),
    live,
    batchSize: 500,
    store: { url: ORIGIN, store_code: "all" },
    basis: { files: [], git: null },
    createdAt: "2025-01-01T00:00:00.000Z",
    invVersion: "test",
    checked: { sources: 0, stocks: 0, products: 0 },
  });
}

const NEW_STOCK: World = {
  stocks: [
    {
      name: "US Stock",
      salesChannels: [{ type: "website", code: "base" }],
      links: [{ source: "ne_wh", priority: 1 }],
      origin: HERE,
    },
  ],
};

function moveWorld(unassignFromOrigin = true): World {
  return {
    moves: [{ skus: ["A-1", "B-2"], from: "hq", to: "ne_wh", unassignFromOrigin, origin: HERE }],
    liveItems: {
      "A-1": [{ source: "hq", quantity: 5, status: "in_stock" }],
      "B-2": [
        { source: "hq", quantity: 7, status: "in_stock" },
        { source: "ne_wh", quantity: 1, status: "in_stock" },
      ],
    },
  };
}

// --- scripted store ------------------------------------------------------------------------

type Step = { readonly status: number; readonly body?: unknown } | { readonly drop: true };

const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

function store() {
  const agent = new MockAgent().enableCallHistory();
  agent.disableNetConnect();
  agents.push(agent);
  const pool = agent.get(ORIGIN);
  const client = new MagentoClient({
    baseUrl: ORIGIN,
    auth: new BearerAuth("exec-test-token"),
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 1000 },
    dispatcher: agent,
    sleep: async () => {},
  });
  return {
    client,
    script(method: string, route: string | RegExp, ...steps: Step[]) {
      const matches = (path: string) => {
        const bare = path.replace(/^\/rest\/all\//, "").split("?")[0] ?? "";
        return typeof route === "string" ? bare === route : route.test(bare);
      };
      for (const step of steps) {
        const interceptor = pool.intercept({ method, path: matches });
        if ("drop" in step)
          interceptor.replyWithError(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }));
        else
          interceptor.reply(step.status, JSON.stringify(step.body ?? null), {
            headers: { "content-type": "application/json" },
          });
      }
    },
    /** `METHOD route` of every request, in order. */
    requests(): string[] {
      return (agent.getCallHistory()?.calls() ?? []).map((c) => `${c.method} ${c.path.replace(/^\/rest\/all\//, "")}`);
    },
    bodyOf(method: string, route: string): unknown {
      const call = (agent.getCallHistory()?.calls() ?? []).find((c) => c.method === method && c.path.endsWith(route));
      return call?.body ? JSON.parse(String(call.body)) : undefined;
    },
  };
}

const search = (items: unknown[]) => ({ items, total_count: items.length });

describe("creating a stock is never duplicated", () => {
  it("after a dropped answer, finds the stock by name and uses its id instead of creating it again", async () => {
    const s = store();
    s.script("POST", "V1/inventory/stocks", { drop: true });
    s.script("GET", "V1/inventory/stocks", { status: 200, body: search([{ stock_id: 7, name: "US Stock" }]) });
    s.script("POST", "V1/inventory/stock-source-links", { status: 200, body: [] });
    s.script("PUT", "V1/inventory/stocks/7", { status: 200, body: 7 });
    const { report, error } = await executePlan(planFor(NEW_STOCK), { client: s.client });
    expect(error).toBeUndefined();
    expect(s.requests().filter((r) => r === "POST V1/inventory/stocks")).toHaveLength(1);
    expect(report.created_stock_ids).toEqual({ "US Stock": 7 });
    expect(s.bodyOf("POST", "stock-source-links")).toEqual({
      links: [{ source_code: "ne_wh", stock_id: 7, priority: 1 }],
    });
    expect(report.outcomes.map((o) => o.status)).toEqual(["done", "done", "done"]);
  });

  it("creates it again only when the lookup shows the first attempt did not", async () => {
    const s = store();
    s.script("POST", "V1/inventory/stocks", { status: 503, body: "<html>503</html>" }, { status: 200, body: 8 });
    s.script("GET", "V1/inventory/stocks", { status: 200, body: search([]) });
    s.script("POST", "V1/inventory/stock-source-links", { status: 200, body: [] });
    s.script("PUT", "V1/inventory/stocks/8", { status: 200, body: 8 });
    const { report, error } = await executePlan(planFor(NEW_STOCK), { client: s.client });
    expect(error).toBeUndefined();
    expect(s.requests().slice(0, 3)).toEqual([
      "POST V1/inventory/stocks",
      "GET V1/inventory/stocks",
      "POST V1/inventory/stocks",
    ]);
    expect(report.created_stock_ids).toEqual({ "US Stock": 8 });
    expect(report.outcomes[0]?.requests).toBe(3);
  });

  it("is throttled like any call: a 429 is waited out, looked up, and sent again", async () => {
    const s = store();
    s.script(
      "POST",
      "V1/inventory/stocks",
      { status: 429, body: { message: "Too Many Requests" } },
      { status: 200, body: 9 },
    );
    s.script("GET", "V1/inventory/stocks", { status: 200, body: search([]) });
    s.script("POST", "V1/inventory/stock-source-links", { status: 200, body: [] });
    s.script("PUT", "V1/inventory/stocks/9", { status: 200, body: 9 });
    const { error } = await executePlan(planFor(NEW_STOCK), { client: s.client });
    expect(error).toBeUndefined();
  });

  it("stops at a refusal: nothing after it is sent, and the report says so", async () => {
    const s = store();
    s.script("POST", "V1/inventory/stocks", { status: 400, body: { message: "Could not save Stock" } });
    const { report, error } = await executePlan(planFor(NEW_STOCK), { client: s.client });
    expect(error).toBeInstanceOf(MagentoApiError);
    expect(s.requests()).toEqual(["POST V1/inventory/stocks"]);
    expect([report.done, report.failed, report.not_attempted]).toEqual([0, 1, 2]);
  });
});

describe("a bulk transfer is never applied twice", () => {
  it("after a dropped answer, reads the origin and does not resend a transfer that happened", async () => {
    const s = store();
    s.script("POST", "V1/inventory/bulk-product-source-transfer", { drop: true });
    s.script("GET", "V1/inventory/source-items", {
      status: 200,
      body: search([
        { sku: "A-1", source_code: "ne_wh", quantity: 5, status: 1 },
        { sku: "B-2", source_code: "ne_wh", quantity: 8, status: 1 },
      ]),
    });
    const { report, error } = await executePlan(planFor(moveWorld()), { client: s.client });
    expect(error).toBeUndefined();
    expect(s.requests()).toEqual(["POST V1/inventory/bulk-product-source-transfer", "GET V1/inventory/source-items"]);
    expect(report.done).toBe(1);
  });

  it("resends once when the origin shows the transfer did not happen", async () => {
    const s = store();
    s.script("POST", "V1/inventory/bulk-product-source-transfer", { drop: true }, { status: 200, body: true });
    s.script("GET", "V1/inventory/source-items", {
      status: 200,
      body: search([
        { sku: "A-1", source_code: "hq", quantity: 5, status: 1 },
        { sku: "B-2", source_code: "hq", quantity: 7, status: 1 },
        { sku: "B-2", source_code: "ne_wh", quantity: 1, status: 1 },
      ]),
    });
    const { error } = await executePlan(planFor(moveWorld()), { client: s.client });
    expect(error).toBeUndefined();
    expect(s.requests().filter((r) => r.startsWith("POST"))).toHaveLength(2);
  });

  it("a transfer that kept the origin at 0, out of stock counts as done", async () => {
    const s = store();
    s.script("POST", "V1/inventory/bulk-product-source-transfer", { status: 503, body: "<html></html>" });
    s.script("GET", "V1/inventory/source-items", {
      status: 200,
      body: search([
        { sku: "A-1", source_code: "hq", quantity: 0, status: 0 },
        { sku: "B-2", source_code: "hq", quantity: 0, status: 0 },
      ]),
    });
    const { error } = await executePlan(planFor(moveWorld(false)), { client: s.client });
    expect(error).toBeUndefined();
    expect(s.requests().filter((r) => r.startsWith("POST"))).toHaveLength(1);
  });

  it("stops when the store shows it done for some SKUs only", async () => {
    const s = store();
    s.script("POST", "V1/inventory/bulk-product-source-transfer", { drop: true });
    s.script("GET", "V1/inventory/source-items", {
      status: 200,
      body: search([{ sku: "B-2", source_code: "hq", quantity: 7, status: 1 }]),
    });
    const { report, error } = await executePlan(planFor(moveWorld()), { client: s.client });
    expect(error).toBeInstanceOf(UnsettledWriteError);
    expect(report.failed).toBe(1);
    expect(s.requests().filter((r) => r.startsWith("POST"))).toHaveLength(1);
  });
});

describe("deleting a stock", () => {
  it("after a dropped answer, a 404 on reading the stock means it is gone: not sent again", async () => {
    const base = planFor({});
    const plan: Plan = {
      ...base,
      calls: [
        {
          id: 1,
          method: "DELETE",
          path: "V1/inventory/stocks/5",
          body: undefined,
          description: 'delete stock "Old"',
          changes: [],
          repeatable: "transient",
        },
      ],
    };
    const s = store();
    s.script(
      "DELETE",
      "V1/inventory/stocks/5",
      { drop: true },
      { status: 404, body: { message: "There is no stock" } },
    );
    s.script("GET", "V1/inventory/stocks/5", {
      status: 404,
      body: { message: 'There is no stock with "5" for "stock_id". Verify and try again.' },
    });
    const { error } = await executePlan(plan, { client: s.client });
    expect(error).toBeUndefined();
    expect(s.requests()).toEqual(["DELETE V1/inventory/stocks/5", "GET V1/inventory/stocks/5"]);
  });
});

describe("the journal", () => {
  const world: World = {
    products: [
      {
        sku: "A-1",
        quantities: "manage",
        assignments: [{ source: "ne_wh", quantity: 3, status: "in_stock" }],
        origin: HERE,
      },
    ],
    stocks: NEW_STOCK.stocks!,
    liveItems: {
      "A-1": [
        { source: "ne_wh", quantity: 1, status: "in_stock" },
        { source: "hq", quantity: 4, status: "in_stock" },
      ],
    },
  };

  it("has one line per call sent, with each change's before and after, the resolved path and the error", async () => {
    const s = store();
    s.script("POST", "V1/inventory/stocks", { status: 200, body: 11 });
    s.script("POST", "V1/inventory/stock-source-links", { status: 200, body: [] });
    s.script("PUT", "V1/inventory/stocks/11", {
      status: 400,
      body: { message: 'The website with code "%code" does not exist.', parameters: { code: "base" } },
    });
    const lines: JournalEntry[] = [];
    const plan = planFor(world);
    const { report, error } = await executePlan(plan, {
      client: s.client,
      journal: (e) => lines.push(e),
      now: () => new Date("2025-02-03T04:05:06Z"),
    });
    expect(error).toBeInstanceOf(MagentoApiError);
    expect(lines.map((l) => [l.call, l.method, l.path, l.outcome])).toEqual([
      [1, "POST", "V1/inventory/stocks", "done"],
      [2, "POST", "V1/inventory/stock-source-links", "done"],
      [3, "PUT", "V1/inventory/stocks/11", "failed"],
    ]);
    expect(lines[0]).toMatchObject({
      stock_id: 11,
      time: "2025-02-03T04:05:06.000Z",
      changes: [{ change: 'stock "US Stock"', before: null, after: { name: "US Stock" } }],
    });
    expect(lines[2]?.error).toContain('The website with code "base" does not exist.');
    expect(report.outcomes.map((o) => o.status)).toEqual(["done", "done", "failed", "not-attempted", "not-attempted"]);
    const partial = new PartialApplyError(report, error!);
    expect(EXIT_CODES[partial.code]).toBe(5);
    expect(partial.message).toContain("Calls done: 2, failed: 1, not attempted: 2.");
  });

  it("a journal that cannot be written stops the apply without counting the call twice", async () => {
    const s = store();
    s.script("POST", "V1/inventory/stocks", { status: 200, body: 12 });
    const { report, error } = await executePlan(planFor(world), {
      client: s.client,
      journal: () => {
        throw new Error("ENOSPC: no space left on device");
      },
    });
    expect(error?.message).toContain("could not write the journal: ENOSPC");
    expect(report.outcomes.map((o) => o.status)).toEqual([
      "done",
      "not-attempted",
      "not-attempted",
      "not-attempted",
      "not-attempted",
    ]);
    expect(s.requests()).toEqual(["POST V1/inventory/stocks"]);
  });
});

describe("array calls", () => {
  it("are split again at the store's input limit, which then holds for the calls after", async () => {
    const products: DesiredProduct[] = ["A", "B", "C"].map((sku) => ({
      sku,
      quantities: "manage",
      assignments: [{ source: "ne_wh", quantity: 2, status: "in_stock" }],
      origin: HERE,
    }));
    const s = store();
    s.script(
      "POST",
      "V1/inventory/source-items",
      {
        status: 400,
        body: {
          message: 'Maximum items of type "%type" is %max',
          parameters: { type: "\\Magento\\InventoryApi\\Api\\Data\\SourceItemInterface", max: 2 },
        },
      },
      { status: 200, body: [] },
      { status: 200, body: [] },
    );
    const { report, error } = await executePlan(planFor({ products, liveItems: { A: [], B: [], C: [] } }), {
      client: s.client,
    });
    expect(error).toBeUndefined();
    expect(report.outcomes[0]?.requests).toBe(3);
  });
});
