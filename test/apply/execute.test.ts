// Executing a plan against scripted answers (undici MockAgent): writes that are not safe to
// send twice are settled by reading the store, the report and the journal say exactly what
// happened, and array calls are split again when the store's input limit is lower.

import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { executePlan, type JournalEntry } from "../../src/apply/execute.js";
import { UnsettledWriteError } from "../../src/apply/executors.js";
import { CALL_ROUTES, CallClient, ForbiddenRouteError, routeProblem } from "../../src/apply/routes.js";
import { PartialApplyError } from "../../src/apply/report.js";
import type { StockChange } from "../../src/diff/changes.js";
import { diff } from "../../src/diff/diff.js";
import { EXIT_CODES, InterruptedError, MagentoApiError } from "../../src/errors.js";
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
import { CALL_KINDS, type PlannedCall } from "../../src/plan/calls/call.js";
import { planCalls } from "../../src/plan/calls/derive-calls.js";
import { buildPlan, type Plan } from "../../src/plan/plan.js";
import { DEFAULT_SOURCE, desired, live } from "../helpers/states.js";

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

type Step = { readonly status: number; readonly body?: unknown; readonly delayMs?: number } | { readonly drop: true };

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
        else {
          const reply = interceptor.reply(step.status, JSON.stringify(step.body ?? null), {
            headers: { "content-type": "application/json" },
          });
          if (step.delayMs) reply.delay(step.delayMs);
        }
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

describe("deleting a stock (no file produces one yet; pruning will)", () => {
  const deletion = (channels: { type: string; code: string }[]): StockChange => ({
    kind: "stock",
    action: "delete",
    stock: "Old",
    stock_id: 5,
    before: { name: "Old", sales_channels: channels },
    after: null,
    changed: [],
    notes: [],
  });

  it("is one call, which empties the stock's sales channels first when it has any", () => {
    const [call] = planCalls([deletion([{ type: "website", code: "eu" }])], { batchSize: 500 });
    expect(call).toEqual({
      id: 1,
      kind: "stock-delete",
      method: "DELETE",
      path: "V1/inventory/stocks/5",
      body: undefined,
      description: 'delete stock "Old" (its sales channels unassigned first)',
      changes: [0],
      repeatable: "checked",
      unassign_channels_first: { stock: { stock_id: 5, name: "Old", extension_attributes: { sales_channels: [] } } },
    });
    expect(planCalls([deletion([])], { batchSize: 500 })[0]).toMatchObject({ unassign_channels_first: null });
  });

  it("sends the channel save, then the delete; after a dropped answer, a 404 on reading the stock means it is gone", async () => {
    const change = deletion([{ type: "website", code: "eu" }]);
    const s = store();
    s.script("PUT", "V1/inventory/stocks/5", { status: 200, body: 5 });
    s.script("DELETE", "V1/inventory/stocks/5", { drop: true });
    s.script("GET", "V1/inventory/stocks/5", {
      status: 404,
      body: { message: 'There is no stock with "5" for "stock_id". Verify and try again.' },
    });
    const calls = planCalls([change], { batchSize: 500 });
    const { report, error } = await executePlan({ changes: [change], calls }, { client: s.client });
    expect(error).toBeUndefined();
    expect(s.bodyOf("PUT", "V1/inventory/stocks/5")).toEqual({
      stock: { stock_id: 5, name: "Old", extension_attributes: { sales_channels: [] } },
    });
    expect(s.requests()).toEqual([
      "PUT V1/inventory/stocks/5",
      "DELETE V1/inventory/stocks/5",
      "GET V1/inventory/stocks/5",
    ]);
    expect(report.outcomes.map((o) => o.status)).toEqual(["done"]);
  });

  it("sends the delete again when the stock is still there after a dropped answer", async () => {
    const change = deletion([]);
    const s = store();
    s.script("DELETE", "V1/inventory/stocks/5", { drop: true }, { status: 200, body: true });
    s.script("GET", "V1/inventory/stocks/5", { status: 200, body: { stock_id: 5, name: "Old" } });
    const calls = planCalls([change], { batchSize: 500 });
    const { error } = await executePlan({ changes: [change], calls }, { client: s.client });
    expect(error).toBeUndefined();
    expect(s.requests()).toEqual([
      "DELETE V1/inventory/stocks/5",
      "GET V1/inventory/stocks/5",
      "DELETE V1/inventory/stocks/5",
    ]);
  });

  it("stops when the store refuses the delete", async () => {
    const change = deletion([]);
    const s = store();
    s.script("DELETE", "V1/inventory/stocks/5", {
      status: 400,
      body: { message: "Stock has at least one sale channel and could not be deleted." },
    });
    const { report, error } = await executePlan(
      { changes: [change], calls: planCalls([change], { batchSize: 500 }) },
      { client: s.client },
    );
    expect(error).toBeInstanceOf(MagentoApiError);
    expect(s.requests()).toEqual(["DELETE V1/inventory/stocks/5"]);
    expect(report.failed).toBe(1);
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

  it("has a line before each call is sent and one when it is answered, with the before and after of each change, the resolved path and the error", async () => {
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
      [1, "POST", "V1/inventory/stocks", "sending"],
      [1, "POST", "V1/inventory/stocks", "done"],
      [2, "POST", "V1/inventory/stock-source-links", "sending"],
      [2, "POST", "V1/inventory/stock-source-links", "done"],
      [3, "PUT", "V1/inventory/stocks/11", "sending"],
      [3, "PUT", "V1/inventory/stocks/11", "failed"],
    ]);
    expect(lines[0]).not.toHaveProperty("stock_id");
    expect(lines[1]).toMatchObject({
      stock_id: 11,
      time: "2025-02-03T04:05:06.000Z",
      changes: [{ change: 'stock "US Stock"', before: null, after: { name: "US Stock" } }],
    });
    expect(lines[0]?.changes).toEqual(lines[1]?.changes);
    expect(lines[5]?.error).toContain('The website with code "base" does not exist.');
    expect(report.outcomes.map((o) => o.status)).toEqual(["done", "done", "failed", "not-attempted", "not-attempted"]);
    const partial = new PartialApplyError(report, error!);
    expect(EXIT_CODES[partial.code]).toBe(5);
    expect(partial.message).toContain("Calls done: 2, failed: 1, not attempted: 2.");
  });

  it("a journal that cannot be written stops the apply before the next call is sent", async () => {
    const s = store();
    s.script("POST", "V1/inventory/stocks", { status: 200, body: 12 });
    const never = await executePlan(planFor(world), {
      client: s.client,
      journal: () => {
        throw new Error("ENOSPC: no space left on device");
      },
    });
    expect(never.error?.message).toContain("could not write the journal: ENOSPC");
    expect(never.report.outcomes.every((o) => o.status === "not-attempted")).toBe(true);
    expect(s.requests()).toEqual([]);

    // The disk fills once the first call is on its way: it is done, and counted once.
    let written = 0;
    const { report, error } = await executePlan(planFor(world), {
      client: s.client,
      journal: () => {
        if (++written > 1) throw new Error("ENOSPC: no space left on device");
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

describe("the route allow-list", () => {
  it("refuses a call outside its kind's routes before anything is sent", async () => {
    const s = store();
    const plan = planFor(NEW_STOCK);
    const calls = plan.calls.map((call, i) => (i === 1 ? { ...call, path: "V1/customers/1" } : call)) as PlannedCall[];
    const { report, error } = await executePlan({ changes: plan.changes, calls }, { client: s.client });
    expect(error).toBeInstanceOf(ForbiddenRouteError);
    expect(error?.message).toBe(
      "Refused to apply: call 2 (link-save) would send POST V1/customers/1; a link-save call goes only to POST V1/inventory/stock-source-links. Nothing was sent.",
    );
    expect(EXIT_CODES[(error as ForbiddenRouteError).code]).toBe(1);
    expect(s.requests()).toEqual([]);
    expect(report.outcomes.map((o) => o.status)).toEqual(["not-attempted", "not-attempted", "not-attempted"]);
  });

  it("refuses a DELETE of a customer dressed as a stock deletion, and a kind inv does not know", async () => {
    const s = store();
    const base = planFor({});
    const customer = {
      id: 1,
      kind: "stock-delete",
      method: "DELETE",
      path: "V1/customers/1",
      body: undefined,
      description: 'delete stock "Old"',
      changes: [],
      repeatable: "checked",
      unassign_channels_first: null,
    } as const;
    const unknown = { ...customer, id: 2, kind: "customer-delete" } as unknown as PlannedCall;
    const { error } = await executePlan({ changes: base.changes, calls: [customer, unknown] }, { client: s.client });
    expect(error?.message).toContain(
      "call 1 (stock-delete) would send DELETE V1/customers/1; a stock-delete call goes only to DELETE V1/inventory/stocks/{stockId} or PUT V1/inventory/stocks/{stockId}",
    );
    expect(error?.message).toContain('call 2 has kind "customer-delete", which inv does not send');
    expect(s.requests()).toEqual([]);
  });

  it("lets through every call inv plans, of every kind", () => {
    const file = desired({
      sources: {
        hq: { name: "HQ", country_id: "US", postcode: "2" },
        east: { name: "E", country_id: "US", postcode: "3" },
      },
      stocks: { "US Stock": { channels: ["us"], links: ["hq"] }, Legacy: { links: ["hq"] } },
      products: { A: ["hq", "east"], B: ["hq", "east"], C: ["west"], D: ["west"], E: { hq: 4 }, F: { hq: 1 } },
      moves: [{ skus: ["G"], from: "hq", to: "east", unassignFromOrigin: true }],
    });
    const store = live({
      sources: [
        DEFAULT_SOURCE,
        ...["hq", "west"].map((code) => ({ source_code: code, name: code, country_id: "US", postcode: "1" })),
      ],
      stocks: [
        { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
        { id: 2, name: "Legacy", links: [["west", 1]] },
      ],
      items: {
        A: [["west", 1, 1]],
        B: [["west", 1, 1]],
        C: [],
        D: [],
        E: [["west", 2, 1]],
        F: [],
        G: [["hq", 2, 1]],
      },
    });
    const deletion: StockChange = {
      kind: "stock",
      action: "delete",
      stock: "Old",
      stock_id: 9,
      before: { name: "Old", sales_channels: [] },
      after: null,
      changed: [],
      notes: [],
    };
    const changes = [...diff(file, store).changes, deletion];
    const calls = planCalls(changes, {
      batchSize: 500,
      bulk: { assignmentOnly: new Set(["A", "B", "C", "D"]), inCatalog: new Set(["A", "B", "C", "D"]) },
    });
    expect(new Set(calls.map((c) => c.kind))).toEqual(new Set(CALL_KINDS));
    expect(calls.map(routeProblem).filter((p) => p !== undefined)).toEqual([]);
    expect(Object.keys(CALL_ROUTES).sort()).toEqual([...CALL_KINDS].sort());
  });

  it("holds at the client too: a call's client sends nothing outside its kind's routes", async () => {
    const s = store();
    const [call] = planFor(NEW_STOCK).calls;
    const client = new CallClient(s.client, call!);
    await expect(client.send("DELETE", "V1/customers/1", undefined, "transient")).rejects.toThrow(
      "Refused to send DELETE V1/customers/1: call 1 (stock-create) would send DELETE V1/customers/1",
    );
    await expect(client.get("V1/customers/1")).rejects.toBeInstanceOf(ForbiddenRouteError);
    await expect(client.send("POST", "V1/inventory/sources", {}, "transient")).rejects.toBeInstanceOf(
      ForbiddenRouteError,
    );
    expect(s.requests()).toEqual([]);
    expect(client.requests).toBe(0);
  });
});

describe("an interrupted apply", () => {
  function journalled() {
    const lines: JournalEntry[] = [];
    return { lines, journal: (e: JournalEntry) => void lines.push(e) };
  }

  it("lets the call in flight answer, journals it, and starts no other", async () => {
    const s = store();
    s.script("POST", "V1/inventory/stocks", { status: 200, body: 11, delayMs: 60 });
    const controller = new AbortController();
    const { lines, journal } = journalled();
    const running = executePlan(planFor(NEW_STOCK), { client: s.client, journal, signal: controller.signal });
    setTimeout(() => controller.abort(new InterruptedError("SIGINT")), 10);
    const { report, error } = await running;
    expect(error).toBeInstanceOf(InterruptedError);
    expect(report.outcomes.map((o) => o.status)).toEqual(["done", "not-attempted", "not-attempted"]);
    expect(lines.map((l) => [l.call, l.outcome])).toEqual([
      [1, "sending"],
      [1, "done"],
    ]);
    expect(s.requests()).toEqual(["POST V1/inventory/stocks"]);
    const partial = new PartialApplyError(report, error!);
    expect(EXIT_CODES[partial.code]).toBe(5);
    expect(partial.message).toContain("Apply stopped after 1 of 3 calls: interrupted (SIGINT).");
    expect(partial.hint).toContain("No call was started after the interrupt.");
  });

  it("gives up on a call that does not answer in time: it may have been done, so the apply is partial", async () => {
    const s = store();
    s.script("POST", "V1/inventory/stocks", { status: 200, body: 11, delayMs: 2000 });
    const controller = new AbortController();
    const { lines, journal } = journalled();
    const running = executePlan(planFor(NEW_STOCK), {
      client: s.client,
      journal,
      signal: controller.signal,
      settleMs: 30,
    });
    setTimeout(() => controller.abort(new InterruptedError("SIGTERM")), 10);
    const { report, error } = await running;
    expect(report.outcomes[0]).toMatchObject({ status: "failed", maybe_done: true });
    expect(report.outcomes[0]?.error).toContain("no answer within 30 ms of the interrupt, so it may have been done");
    expect(lines.map((l) => [l.call, l.outcome])).toEqual([
      [1, "sending"],
      [1, "unknown"],
    ]);
    const partial = new PartialApplyError(report, error!);
    expect(EXIT_CODES[partial.code]).toBe(5);
    expect(partial.message).toContain("MAYBE  1. POST V1/inventory/stocks");
  });

  it("before any call is sent, sends none: exit 130 for SIGINT, 143 for SIGTERM", async () => {
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      const s = store();
      const controller = new AbortController();
      controller.abort(new InterruptedError(signal));
      const { report, error } = await executePlan(planFor(NEW_STOCK), { client: s.client, signal: controller.signal });
      expect(report.outcomes.every((o) => o.status === "not-attempted")).toBe(true);
      expect(s.requests()).toEqual([]);
      expect(EXIT_CODES[new PartialApplyError(report, error!).code]).toBe(code);
    }
  });
});
