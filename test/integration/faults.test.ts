// Property tests against the sandbox with faults injected (503s, 429s, dropped connections
// before and after the write, Magento's deadlock 400, latency): for random stores and files,
// applying again and again converges, nothing the file does not declare changes, no quantity
// ends up different from the file, and no write that is unsafe to repeat is done twice.
// Runs, seeds and the client's concurrency (1) are fixed, so a failure reproduces.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PartialApplyError } from "../../src/apply/report.js";
import { ConnectionError, MagentoApiError } from "../../src/errors.js";
import { BearerAuth } from "../../src/magento/auth.js";
import { MagentoClient, type ClientEvent } from "../../src/magento/client.js";
import { apply, plan } from "../../src/pipeline.js";
import {
  freshState,
  startSandbox,
  type Sandbox,
  type SandboxFaults,
  type SandboxState,
  type StateSourceItem,
} from "../../src/sandbox/index.js";
import { workspace } from "../helpers/sandbox.js";

const POOL_SOURCES = ["s_a", "s_b", "s_c"] as const;
const POOL_STOCKS = ["Stock A", "Stock B"] as const;
const SKUS = ["24-WB01", "24-WB03", "24-MB01", "24-MB04", "24-UG06", "new_product1"] as const;
const OUTSIDE_SOURCE = "outside";
const OUTSIDE_STOCK = "Outside Stock";
type Policy = "manage" | "on_create" | "ignore";
type Status = "in_stock" | "out_of_stock";

interface Spec {
  readonly quantity: number;
  readonly status: Status;
}

interface World {
  /** Pool sources in the store before the apply. */
  readonly existingSources: readonly string[];
  /** Pool sources the file declares (the rest of the pool is unknown to both). */
  readonly declaredSources: readonly string[];
  readonly existingStocks: readonly { readonly name: string; readonly links: readonly string[] }[];
  readonly declaredStocks: readonly { readonly name: string; readonly links: readonly string[] }[];
  /** Initial source items, by SKU then source. */
  readonly items: Readonly<Record<string, Readonly<Record<string, Spec>>>>;
  readonly globalPolicy: Policy | undefined;
  readonly products: readonly {
    readonly sku: string;
    readonly policy: Policy | undefined;
    /** null: assignment only (list form). */
    readonly assignments: Readonly<Record<string, Spec | null>>;
  }[];
}

// --- generators ------------------------------------------------------------------------------

const spec: fc.Arbitrary<Spec> = fc.record({
  quantity: fc.integer({ min: 0, max: 60 }),
  status: fc.constantFrom<Status>("in_stock", "in_stock", "out_of_stock"),
});
const policy = fc.option(fc.constantFrom<Policy>("manage", "on_create", "ignore"), { nil: undefined });

const world: fc.Arbitrary<World> = fc
  .record({
    existingSources: fc.subarray([...POOL_SOURCES]),
    declaredSources: fc.subarray([...POOL_SOURCES]),
  })
  .filter((w) => new Set([...w.existingSources, ...w.declaredSources]).size > 0)
  .chain((w) => {
    const usable = [...new Set([...w.existingSources, ...w.declaredSources])].sort();
    const held = ["default", OUTSIDE_SOURCE, ...w.existingSources];
    const links = (from: readonly string[]) => fc.shuffledSubarray([...from], { minLength: 1 });
    return fc.record({
      existingSources: fc.constant(w.existingSources),
      declaredSources: fc.constant(w.declaredSources),
      existingStocks:
        w.existingSources.length === 0
          ? fc.constant([])
          : fc
              .subarray([...POOL_STOCKS])
              .chain((names) =>
                fc.tuple(...names.map((name) => links(w.existingSources).map((l) => ({ name, links: l })))),
              ),
      declaredStocks: fc
        .subarray([...POOL_STOCKS])
        .chain((names) => fc.tuple(...names.map((name) => links(usable).map((l) => ({ name, links: l }))))),
      items: fc.record(
        Object.fromEntries(SKUS.map((sku) => [sku, fc.dictionary(fc.constantFrom(...held), spec, { maxKeys: 3 })])),
      ) as fc.Arbitrary<Record<string, Record<string, Spec>>>,
      globalPolicy: policy,
      products: fc.subarray([...SKUS], { minLength: 1, maxLength: 4 }).chain((skus) =>
        fc.tuple(
          ...skus.map((sku) =>
            fc.record({
              sku: fc.constant(sku),
              policy,
              assignments: fc.dictionary(
                fc.constantFrom(...usable, "default"),
                fc.option(spec, { nil: null, freq: 3 }),
                { minKeys: 1, maxKeys: 3 },
              ),
            }),
          ),
        ),
      ),
    });
  })
  // A product is either all quantities or all list: the file's two forms.
  .map((w) => ({
    ...w,
    products: w.products.map((p) => {
      const listForm = Object.values(p.assignments).some((a) => a === null);
      return {
        ...p,
        assignments: Object.fromEntries(Object.entries(p.assignments).map(([s, a]) => [s, listForm ? null : a])),
      };
    }),
  }));

// --- the world as a store and a file -----------------------------------------------------------

function sourceRecord(code: string) {
  return { source_code: code, name: `Source ${code}`, enabled: true, country_id: "US", postcode: "10001" };
}

function initialState(w: World): SandboxState {
  const fresh = freshState();
  const stocks = [...fresh.stocks, { stock_id: 2, name: OUTSIDE_STOCK, sales_channels: [] }];
  const links = [...fresh.links, { stock_id: 2, source_code: OUTSIDE_SOURCE, priority: 1 }];
  w.existingStocks.forEach((stock, i) => {
    stocks.push({ stock_id: 3 + i, name: stock.name, sales_channels: [] });
    for (const [p, source] of stock.links.entries())
      links.push({ stock_id: 3 + i, source_code: source, priority: p + 1 });
  });
  const items: StateSourceItem[] = fresh.source_items.filter((i) => !(SKUS as readonly string[]).includes(i.sku));
  for (const [sku, bySource] of Object.entries(w.items)) {
    for (const [source, s] of Object.entries(bySource))
      items.push({ sku, source_code: source, quantity: s.quantity, status: s.status === "in_stock" ? 1 : 0 });
  }
  return {
    ...fresh,
    sources: [...fresh.sources, sourceRecord(OUTSIDE_SOURCE), ...w.existingSources.map(sourceRecord)],
    stocks,
    links,
    source_items: items,
    next_stock_id: 3 + w.existingStocks.length,
  };
}

function inventoryFile(w: World): string {
  const lines = ["version: 1"];
  if (w.globalPolicy) lines.push(`quantities: ${w.globalPolicy}`);
  if (w.declaredSources.length > 0) {
    lines.push("sources:");
    for (const code of w.declaredSources)
      lines.push(`  ${code}: { name: "Source ${code}", country_id: US, postcode: "10001" }`);
  }
  if (w.declaredStocks.length > 0) {
    lines.push("stocks:");
    for (const stock of w.declaredStocks) lines.push(`  ${stock.name}: { sources: [${stock.links.join(", ")}] }`);
  }
  lines.push("products:");
  for (const p of w.products) {
    const entries = Object.entries(p.assignments);
    const sources = entries.some(([, a]) => a === null)
      ? `[${entries.map(([s]) => s).join(", ")}]`
      : `{ ${entries.map(([s, a]) => `${s}: { quantity: ${a!.quantity}, status: ${a!.status} }`).join(", ")} }`;
    lines.push(
      p.policy ? `  "${p.sku}": { sources: ${sources}, quantities: ${p.policy} }` : `  "${p.sku}": ${sources}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** What the store must hold for a declared product once applied (diff.ts semantics). */
function expectedItems(w: World, p: World["products"][number]): Record<string, Spec> {
  const effective = p.policy ?? w.globalPolicy ?? "manage";
  const before = w.items[p.sku] ?? {};
  const result: Record<string, Spec> = {};
  for (const [source, wanted] of Object.entries(p.assignments)) {
    const current = before[source];
    if (current) result[source] = effective === "manage" && wanted ? wanted : current;
    else result[source] = effective !== "ignore" && wanted ? wanted : { quantity: 0, status: "out_of_stock" };
  }
  return result;
}

function itemsOf(state: SandboxState, sku: string): Record<string, Spec> {
  return Object.fromEntries(
    state.source_items
      .filter((i) => i.sku === sku)
      .map((i) => [
        i.source_code,
        { quantity: i.quantity, status: i.status === 1 ? "in_stock" : "out_of_stock" } as Spec,
      ]),
  );
}

/** Source items of SKUs outside the generated pool, in a stable order. */
function outsidePool(items: readonly StateSourceItem[]): string[] {
  return items
    .filter((i) => !(SKUS as readonly string[]).includes(i.sku))
    .map((i) => `${i.sku} ${i.source_code} ${i.quantity} ${i.status}`)
    .sort();
}

function stockView(state: SandboxState, name: string) {
  const stocks = state.stocks.filter((s) => s.name === name);
  return stocks.map((s) => ({
    channels: s.sales_channels,
    links: state.links
      .filter((l) => l.stock_id === s.stock_id)
      .sort((a, b) => a.priority - b.priority)
      .map((l) => l.source_code),
  }));
}

// --- running applies under faults ------------------------------------------------------------

interface Run {
  readonly sandbox: Sandbox;
  readonly client: MagentoClient;
  readonly events: ClientEvent[];
}

async function start(state: SandboxState, faults: SandboxFaults, seed: number): Promise<Run> {
  const sandbox = await startSandbox({ initialState: state, faults, seed, latencyMs: 1 });
  const events: ClientEvent[] = [];
  const client = new MagentoClient({
    baseUrl: sandbox.url,
    auth: new BearerAuth(sandbox.token),
    concurrency: 1,
    retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 4, maxRetryAfterMs: 1000 },
    sleep: async () => {},
    onEvent: (event) => events.push(event),
  });
  return { sandbox, client, events };
}

/** Faults a caller retries through: anything else (a file problem, a verification failure) is a finding. */
function isFault(error: unknown): boolean {
  if (error instanceof PartialApplyError) return isFault(error.cause);
  if (error instanceof ConnectionError) return true;
  return (
    error instanceof MagentoApiError &&
    (error.status === 429 || error.status >= 500 || error.magentoMessage === "Could not save Source Item")
  );
}

const MAX_APPLIES = 15;

/** Applies until one apply succeeds; returns how many it took. */
async function applyUntilConverged(run: Run, dir: string): Promise<number> {
  for (let attempt = 1; attempt <= MAX_APPLIES; attempt++) {
    try {
      await apply({ file: "inventory.yaml", cwd: dir, client: run.client, git: null, allowDestroy: true });
      return attempt;
    } catch (error) {
      if (!isFault(error)) throw error;
    }
  }
  throw new Error(`no convergence after ${MAX_APPLIES} applies`);
}

async function planUntilRead(run: Run, dir: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await plan({ file: "inventory.yaml", cwd: dir, client: run.client, git: null });
    } catch (error) {
      if (!isFault(error) || attempt >= MAX_APPLIES) throw error;
    }
  }
}

/** Sandbox arrivals and client retries of one route, to tell a settled lost answer from a resend. */
function traffic(run: Run, method: string, route: string): { arrivals: number; retries: number } {
  return {
    arrivals: run.sandbox.stats.byRoute[`${method} ${route}`] ?? 0,
    retries: run.events.filter((e) => e.type === "retry" && e.method === method && e.route === route).length,
  };
}

const FAULTS: SandboxFaults = {
  failRate: 0.08,
  throttleRate: 0.08,
  retryAfterSeconds: 0,
  dropRate: 0.12,
  deadlockRate: 0.25,
};

describe("applying under faults", () => {
  it("converges for random stores and files, touches nothing else, leaves quantities as the file says", async () => {
    let faultsSeen = 0;
    await fc.assert(
      fc.asyncProperty(world, fc.integer({ min: 1, max: 2 ** 30 }), async (w, seed) => {
        const run = await start(initialState(w), FAULTS, seed);
        // The store as the sandbox normalised it, to compare with after the applies.
        const state = run.sandbox.store.snapshot();
        try {
          const dir = workspace({ "inventory.yaml": inventoryFile(w) });
          await applyUntilConverged(run, dir);
          const again = await planUntilRead(run, dir);
          expect(again.plan.changes).toEqual([]);

          const after = run.sandbox.store.snapshot();
          // Declared products hold what the file says; undeclared ones are untouched.
          const declared = new Set(w.products.map((p) => p.sku));
          for (const p of w.products) expect(itemsOf(after, p.sku)).toEqual(expectedItems(w, p));
          for (const sku of SKUS.filter((s) => !declared.has(s)))
            expect(itemsOf(after, sku)).toEqual(itemsOf(state, sku));
          expect(outsidePool(after.source_items)).toEqual(outsidePool(state.source_items));
          // Each declared stock exists once, linked as declared; the others are as they were.
          for (const stock of w.declaredStocks)
            expect(stockView(after, stock.name)).toEqual([{ channels: [], links: stock.links }]);
          for (const name of [
            "Default Stock",
            OUTSIDE_STOCK,
            ...w.existingStocks.map((s) => s.name).filter((n) => !w.declaredStocks.some((d) => d.name === n)),
          ]) {
            expect(stockView(after, name)).toEqual(stockView(state, name));
          }
          const created = w.declaredStocks.filter((d) => !w.existingStocks.some((e) => e.name === d.name)).length;
          expect(after.stocks).toHaveLength(state.stocks.length + created);
          // Sources the file does not declare are exactly as they were.
          for (const source of state.sources.filter((s) => !w.declaredSources.includes(s.source_code))) {
            expect(after.sources.find((s) => s.source_code === source.source_code)).toEqual(source);
          }
          faultsSeen += run.sandbox.stats.faultsInjected;
        } finally {
          await run.client.close();
          await run.sandbox.close();
        }
      }),
      { numRuns: 20, seed: 20250701, endOnFailure: true },
    );
    expect(faultsSeen).toBeGreaterThan(50);
  }, 120_000);
});

describe("writes that are unsafe to repeat, under dropped connections", () => {
  const drops: SandboxFaults = { dropRate: 0.5, failRate: 0.05, throttleRate: 0.05, retryAfterSeconds: 0 };

  it("a new stock is created once, however often the answer to its POST is lost", async () => {
    let settledLostAnswers = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(["North", "South", "East", "West"], { minLength: 1 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        async (names, seed) => {
          const state: SandboxState = { ...freshState(), sources: [...freshState().sources, sourceRecord("s_a")] };
          const run = await start(state, drops, seed);
          try {
            const file = `version: 1\nstocks:\n${names.map((n) => `  ${n} Stock: { sources: [s_a] }`).join("\n")}\n`;
            await applyUntilConverged(run, workspace({ "inventory.yaml": file }));
            const after = run.sandbox.store.snapshot();
            for (const name of names) expect(after.stocks.filter((s) => s.name === `${name} Stock`)).toHaveLength(1);
            expect(after.stocks).toHaveLength(1 + names.length);
            const { arrivals, retries } = traffic(run, "POST", "V1/inventory/stocks");
            // Every POST was followed by a retry: the last one's answer was lost, and the lookup found the stock.
            if (arrivals > 0 && retries >= arrivals) settledLostAnswers++;
          } finally {
            await run.client.close();
            await run.sandbox.close();
          }
        },
      ),
      { numRuns: 15, seed: 4242, endOnFailure: true },
    );
    // The case the lookup exists for did happen (drop after the write committed).
    expect(settledLostAnswers).toBeGreaterThan(0);
  }, 60_000);

  it("a bulk transfer moves each quantity once, however often its answer is lost", async () => {
    let settledLostAnswers = 0;
    const transferWorld = fc.record({
      skus: fc.subarray(["24-WB01", "24-WB03", "24-MB01", "24-MB04"], { minLength: 1 }),
      origin: fc.dictionary(fc.constantFrom("24-WB01", "24-WB03", "24-MB01", "24-MB04"), spec, { minKeys: 1 }),
      destination: fc.dictionary(fc.constantFrom("24-WB01", "24-WB03", "24-MB01", "24-MB04"), spec),
      unassign: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(transferWorld, fc.integer({ min: 1, max: 2 ** 30 }), async (t, seed) => {
        const fresh = freshState();
        const items: StateSourceItem[] = [...fresh.source_items];
        for (const [sku, s] of Object.entries(t.origin))
          items.push({ sku, source_code: "s_a", quantity: s.quantity, status: s.status === "in_stock" ? 1 : 0 });
        for (const [sku, s] of Object.entries(t.destination))
          items.push({ sku, source_code: "s_b", quantity: s.quantity, status: s.status === "in_stock" ? 1 : 0 });
        const state: SandboxState = {
          ...fresh,
          sources: [...fresh.sources, sourceRecord("s_a"), sourceRecord("s_b")],
          source_items: items,
        };
        const run = await start(state, drops, seed);
        try {
          const file =
            `version: 1\nmoves:\n  - { skus: [${t.skus.join(", ")}], ` +
            `from: s_a, to: s_b, unassign_from_origin: ${t.unassign} }\n`;
          await applyUntilConverged(run, workspace({ "inventory.yaml": file }));
          const after = run.sandbox.store.snapshot();
          for (const sku of ["24-WB01", "24-WB03", "24-MB01", "24-MB04"]) {
            const origin = t.origin[sku];
            const destination = t.destination[sku];
            const moves =
              t.skus.includes(sku) &&
              origin !== undefined &&
              (t.unassign || origin.quantity !== 0 || origin.status !== "out_of_stock");
            const expected: Record<string, Spec> = { ...itemsOf(state, sku) };
            if (moves) {
              expected["s_b"] = { quantity: (destination?.quantity ?? 0) + origin.quantity, status: origin.status };
              if (t.unassign) delete expected["s_a"];
              else expected["s_a"] = { quantity: 0, status: "out_of_stock" };
            }
            expect(itemsOf(after, sku)).toEqual(expected);
          }
          const { arrivals, retries } = traffic(run, "POST", "V1/inventory/bulk-product-source-transfer");
          if (arrivals > 0 && retries >= arrivals) settledLostAnswers++;
        } finally {
          await run.client.close();
          await run.sandbox.close();
        }
      }),
      { numRuns: 20, seed: 777, endOnFailure: true },
    );
    expect(settledLostAnswers).toBeGreaterThan(0);
  }, 60_000);
});
