// --rollback-out against the sandbox: for random stores and files, `apply` then applying the
// rollback it wrote leaves the sandbox's source items, links, stocks and sales channels as they
// were (compared in the sandbox's own state, not through inv), after a whole apply and after one
// stopped by a fault at a random write; a rollback refuses a store that moved since, and its
// destructive steps need consent.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PartialApplyError } from "../../src/apply/report.js";
import type { RollbackWritten } from "../../src/apply/rollback-file.js";
import { SafetyError, StalePlanError } from "../../src/errors.js";
import { BearerAuth } from "../../src/magento/auth.js";
import { MagentoClient } from "../../src/magento/client.js";
import { apply, applySavedPlan, plan as planFrom } from "../../src/pipeline.js";
import { parsePlan, serializePlan } from "../../src/plan/plan-file.js";
import {
  freshState,
  startSandbox,
  type Sandbox,
  type SandboxState,
  type StateSourceItem,
} from "../../src/sandbox/index.js";
import { workspace } from "../helpers/sandbox.js";
import { writeFaults, type WriteFault } from "../helpers/write-faults.js";

const POOL_SOURCES = ["s_a", "s_b", "s_c"] as const;
const POOL_STOCKS = ["Stock A", "Stock B"] as const;
const WEBSITES = ["base", "w1", "w2"] as const;
const SKUS = ["24-WB01", "24-WB03", "24-MB01", "24-MB04"] as const;
type Status = "in_stock" | "out_of_stock";

interface Spec {
  readonly quantity: number;
  readonly status: Status;
}

interface SourceSpec {
  readonly code: string;
  readonly name: string;
  readonly city: string | null;
  readonly enabled: boolean;
}

interface StockSpec {
  readonly name: string;
  readonly links: readonly string[];
  /** undefined: the file leaves its channels alone. */
  readonly websites: readonly string[] | undefined;
}

interface World {
  readonly existingSources: readonly SourceSpec[];
  readonly declaredSources: readonly SourceSpec[];
  readonly existingStocks: readonly StockSpec[];
  /** Who holds w1 and w2 in the store (index into existing stocks; -1 the Default Stock). */
  readonly websiteOwners: readonly number[];
  readonly declaredStocks: readonly StockSpec[];
  /**
   * The file declares the Default Stock with every website no declared stock takes: Magento
   * keeps a website the Default Stock drops on it, so a file can give it no fewer.
   */
  readonly declareDefault: boolean;
  readonly items: Readonly<Record<string, Readonly<Record<string, Spec>>>>;
  readonly products: readonly { readonly sku: string; readonly assignments: Readonly<Record<string, Spec | null>> }[];
  readonly move: {
    readonly skus: readonly string[];
    readonly from: string;
    readonly to: string;
    readonly unassign: boolean;
  } | null;
}

// --- generators ------------------------------------------------------------------------------

const spec: fc.Arbitrary<Spec> = fc.record({
  quantity: fc.integer({ min: 0, max: 40 }),
  status: fc.constantFrom<Status>("in_stock", "in_stock", "out_of_stock"),
});

const sourceSpec = (code: string): fc.Arbitrary<SourceSpec> =>
  fc.record({
    code: fc.constant(code),
    name: fc.constantFrom(`Source ${code}`, `Renamed ${code}`),
    city: fc.constantFrom(null, "Newark", "Oakland"),
    enabled: fc.constantFrom(true, true, false),
  });

const world: fc.Arbitrary<World> = fc
  .record({ existing: fc.subarray([...POOL_SOURCES]), declared: fc.subarray([...POOL_SOURCES]) })
  .filter((w) => w.existing.length + w.declared.length > 0)
  .chain(({ existing, declared }) => {
    const usable = [...new Set([...existing, ...declared])].sort();
    const held = ["default", ...existing];
    const links = (from: readonly string[]) => fc.shuffledSubarray([...from], { minLength: 1 });
    const stocks = (
      names: readonly string[],
      from: readonly string[],
      websites: fc.Arbitrary<string[] | undefined>,
    ): fc.Arbitrary<StockSpec[]> =>
      fc.tuple(...names.map((name) => fc.record({ name: fc.constant(name), links: links(from), websites })));
    return fc.record({
      existingSources: fc.tuple(...existing.map(sourceSpec)),
      declaredSources: fc.tuple(...declared.map(sourceSpec)),
      existingStocks:
        existing.length === 0
          ? fc.constant<StockSpec[]>([])
          : fc.subarray([...POOL_STOCKS]).chain((names) => stocks(names, existing, fc.constant(undefined))),
      websiteOwners: fc.tuple(fc.integer({ min: -1, max: 1 }), fc.integer({ min: -1, max: 1 })),
      declaredStocks:
        usable.length === 0
          ? fc.constant<StockSpec[]>([])
          : fc
              .subarray([...POOL_STOCKS])
              .chain((names) =>
                stocks(names, usable, fc.option(fc.subarray([...WEBSITES]), { nil: undefined, freq: 2 })),
              ),
      declareDefault: fc.boolean(),
      items: fc.record(
        Object.fromEntries(SKUS.map((sku) => [sku, fc.dictionary(fc.constantFrom(...held), spec, { maxKeys: 3 })])),
      ) as fc.Arbitrary<Record<string, Record<string, Spec>>>,
      products: fc.subarray([...SKUS], { maxLength: 3 }).chain((skus) =>
        fc.tuple(
          ...skus.map((sku) =>
            fc.record({
              sku: fc.constant(sku),
              listForm: fc.boolean(),
              assignments: fc.dictionary(fc.constantFrom(...usable, "default"), spec, { minKeys: 1, maxKeys: 3 }),
            }),
          ),
        ),
      ),
      move: fc.option(
        fc.record({
          skus: fc.subarray([...SKUS], { minLength: 1 }),
          from: fc.constantFrom(...held),
          to: fc.constantFrom(...held),
          unassign: fc.boolean(),
        }),
        { nil: null },
      ),
    });
  })
  .map((w) => {
    const declared = new Set(w.products.map((p) => p.sku));
    // A website belongs to one stock: the first declared stock that names it keeps it.
    const taken = new Set<string>();
    const declaredStocks = w.declaredStocks.map((s) => {
      const websites = s.websites?.filter((c) => !taken.has(c));
      for (const c of websites ?? []) taken.add(c);
      return { ...s, websites };
    });
    const move =
      w.move && w.move.from !== w.move.to ? { ...w.move, skus: w.move.skus.filter((sku) => !declared.has(sku)) } : null;
    return {
      ...w,
      declaredStocks,
      websiteOwners: w.websiteOwners.map((o) => (o < w.existingStocks.length ? o : -1)),
      products: w.products.map((p) => ({
        sku: p.sku,
        assignments: Object.fromEntries(Object.entries(p.assignments).map(([s, a]) => [s, p.listForm ? null : a])),
      })),
      move: move && move.skus.length > 0 ? move : null,
    };
  });

// --- the world as a store and a file -----------------------------------------------------------

function sourceRecord(s: SourceSpec) {
  return {
    source_code: s.code,
    name: `Source ${s.code}`,
    enabled: true,
    country_id: "US",
    postcode: "10001",
    city: s.code === "s_a" ? "Newark" : null,
  };
}

function initialState(w: World): SandboxState {
  const fresh = freshState();
  const channels = (owner: number) =>
    (["w1", "w2"] as const).filter((_, i) => w.websiteOwners[i] === owner).map((code) => ({ type: "website", code }));
  const stocks = [{ ...fresh.stocks[0]!, sales_channels: [{ type: "website", code: "base" }, ...channels(-1)] }];
  const links = [...fresh.links];
  w.existingStocks.forEach((stock, i) => {
    stocks.push({ stock_id: 2 + i, name: stock.name, sales_channels: channels(i) });
    for (const [p, source] of stock.links.entries())
      links.push({ stock_id: 2 + i, source_code: source, priority: p + 1 });
  });
  const items: StateSourceItem[] = fresh.source_items.filter((i) => !(SKUS as readonly string[]).includes(i.sku));
  for (const [sku, bySource] of Object.entries(w.items)) {
    for (const [source, s] of Object.entries(bySource))
      items.push({ sku, source_code: source, quantity: s.quantity, status: s.status === "in_stock" ? 1 : 0 });
  }
  return {
    ...fresh,
    websites: [...fresh.websites, { website_id: 2, code: "w1", name: "W1" }, { website_id: 3, code: "w2", name: "W2" }],
    sources: [...fresh.sources, ...w.existingSources.map(sourceRecord)],
    stocks,
    links,
    source_items: items,
    next_stock_id: 2 + w.existingStocks.length,
  };
}

function inventoryFile(w: World): string {
  const lines = ["version: 1"];
  if (w.declaredSources.length > 0) {
    lines.push("sources:");
    for (const s of w.declaredSources) {
      const city = s.city === null ? "null" : JSON.stringify(s.city);
      lines.push(
        `  ${s.code}: { name: "${s.name}", country_id: US, postcode: "10001", city: ${city}, enabled: ${s.enabled} }`,
      );
    }
  }
  const stocks = [...w.declaredStocks];
  if (stocks.length > 0 || w.declareDefault) {
    lines.push("stocks:");
    const taken = new Set(stocks.flatMap((s) => s.websites ?? []));
    const rest = WEBSITES.filter((c) => !taken.has(c));
    if (w.declareDefault) lines.push(`  Default Stock: { sales_channels: { website: [${rest.join(", ")}] } }`);
    for (const s of stocks) {
      const channels = s.websites ? `sales_channels: { website: [${s.websites.join(", ")}] }, ` : "";
      lines.push(`  ${s.name}: { ${channels}sources: [${s.links.join(", ")}] }`);
    }
  }
  if (w.products.length > 0) {
    lines.push("products:");
    for (const p of w.products) {
      const entries = Object.entries(p.assignments);
      const sources = entries.some(([, a]) => a === null)
        ? `[${entries.map(([s]) => s).join(", ")}]`
        : `{ ${entries.map(([s, a]) => `${s}: { quantity: ${a!.quantity}, status: ${a!.status} }`).join(", ")} }`;
      lines.push(`  "${p.sku}": ${sources}`);
    }
  }
  if (w.move) {
    lines.push("moves:");
    lines.push(
      `  - { skus: [${w.move.skus.join(", ")}], from: ${w.move.from}, to: ${w.move.to}, ` +
        `unassign_from_origin: ${w.move.unassign} }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** What the rollback must restore, as the sandbox holds it: items, stocks with channels and links, sources. */
function inventoryOf(state: SandboxState) {
  return {
    items: state.source_items.map((i) => `${i.sku} @ ${i.source_code}: ${i.quantity} ${i.status}`).sort(),
    stocks: state.stocks
      .map((s) => ({
        id: s.stock_id,
        name: s.name,
        channels: s.sales_channels.map((c) => `${c.type}:${c.code}`).sort(),
        links: state.links
          .filter((l) => l.stock_id === s.stock_id)
          .map((l) => `${l.source_code}:${l.priority}`)
          .sort(),
      }))
      .sort((a, b) => a.id - b.id),
    // Magento writes the name into an empty frontend name on every save (InventoryInStorePickup's
    // SaveInStorePickupPlugin) and shows the name where it is empty, so an empty one is the name.
    sources: state.sources.map((s) => JSON.stringify({ ...s, frontend_name: s.frontend_name || s.name })).sort(),
  };
}

// --- running it --------------------------------------------------------------------------------

function clientFor(sandbox: Sandbox, dispatcher?: WriteFaults["dispatcher"]): MagentoClient {
  return new MagentoClient({
    baseUrl: sandbox.url,
    auth: new BearerAuth(sandbox.token),
    concurrency: 1,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 100 },
    sleep: async () => {},
    ...(dispatcher ? { dispatcher } : {}),
  });
}

type WriteFaults = ReturnType<typeof writeFaults>;

interface Outcome {
  readonly before: ReturnType<typeof inventoryOf>;
  readonly afterApply: ReturnType<typeof inventoryOf>;
  readonly afterRollback: ReturnType<typeof inventoryOf>;
  readonly created: readonly string[];
  readonly partial: boolean;
  readonly warnings: readonly string[];
}

/** Applies the world's file (with a fault at one write, if given), then the rollback it wrote. */
async function applyThenRollback(w: World, fault?: { at: number; kind: WriteFault }): Promise<Outcome> {
  const sandbox = await startSandbox({ initialState: initialState(w) });
  const faults = fault ? writeFaults(fault.at, fault.kind) : undefined;
  const client = clientFor(sandbox, faults?.dispatcher);
  const clean = clientFor(sandbox);
  try {
    const before = sandbox.store.snapshot();
    const dir = workspace({ "inventory.yaml": inventoryFile(w) });
    const path = join(dir, "rollback.json");
    let written: RollbackWritten | undefined;
    let partial = false;
    try {
      await apply({
        file: "inventory.yaml",
        cwd: dir,
        client,
        git: null,
        allowDestroy: true,
        rollback: { path, shown: "rollback.json", disableCreatedSources: false, onWritten: (r) => (written = r) },
      });
    } catch (error) {
      if (!fault || !(error instanceof PartialApplyError)) throw error;
      partial = true;
    }
    const afterApply = sandbox.store.snapshot();
    const created = afterApply.sources
      .map((s) => s.source_code)
      .filter((code) => !before.sources.some((s) => s.source_code === code));
    if (written === undefined) {
      // Nothing to apply: no call was sent, so no rollback was written.
      expect(afterApply).toEqual(before);
      return {
        before: inventoryOf(before),
        afterApply: inventoryOf(afterApply),
        afterRollback: inventoryOf(afterApply),
        created,
        partial,
        warnings: [],
      };
    }
    expect(written.finished).toBe(true);
    const rollbackPlan = parsePlan(readFileSync(path, "utf8"), path);
    await applySavedPlan({ planFile: path, client: clean, allowDestroy: true });
    return {
      before: inventoryOf(before),
      afterApply: inventoryOf(afterApply),
      afterRollback: inventoryOf(sandbox.store.snapshot()),
      created,
      partial,
      warnings: rollbackPlan.warnings,
    };
  } finally {
    await client.close();
    await clean.close();
    await faults?.close();
    await sandbox.close();
  }
}

function expectRestored(outcome: Outcome): void {
  expect(outcome.afterRollback.items).toEqual(outcome.before.items);
  expect(outcome.afterRollback.stocks).toEqual(outcome.before.stocks);
  // Sources the apply created stay (Magento cannot delete one); every other source is as it was.
  const createdSource = (json: string) => outcome.created.some((code) => json.includes(`"source_code":"${code}"`));
  expect(outcome.afterRollback.sources.filter((s) => !createdSource(s))).toEqual(outcome.before.sources);
  for (const code of outcome.created)
    expect(outcome.warnings.join("\n")).toContain(`Source "${code}" was created by the apply and stays`);
}

describe("apply, then apply the rollback it wrote", () => {
  it("leaves source items, links, stocks, channels and sources as they were, for random stores and files", async () => {
    let changed = 0;
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const outcome = await applyThenRollback(w);
        if (JSON.stringify(outcome.afterApply) !== JSON.stringify(outcome.before)) changed++;
        expectRestored(outcome);
      }),
      { numRuns: 25, seed: 20260101, endOnFailure: true },
    );
    // The property was tried on applies that changed the store, not only on empty plans.
    expect(changed).toBeGreaterThan(15);
  }, 60_000);

  it("does the same after an apply that a fault stopped at a random write", async () => {
    let partial = 0;
    let answerLost = 0;
    await fc.assert(
      fc.asyncProperty(
        world,
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom<WriteFault>("drop-before", "drop-after", "refuse"),
        async (w, at, kind) => {
          const outcome = await applyThenRollback(w, { at, kind });
          if (outcome.partial) partial++;
          if (outcome.partial && kind === "drop-after") answerLost++;
          expectRestored(outcome);
        },
      ),
      { numRuns: 25, seed: 424242, endOnFailure: true },
    );
    expect(partial).toBeGreaterThan(10);
    expect(answerLost).toBeGreaterThan(2);
  }, 60_000);
});

// --- what a rollback file is, call by call ------------------------------------------------------

const FILE = `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
stocks:
  US Stock:
    sales_channels: { website: [base] }
    sources: [ne_wh]
products:
  24-WB01: { default: 60, ne_wh: 35 }
  24-WB03: { ne_wh: 3 }
`;

function writesTo(sandbox: Sandbox): number {
  return Object.entries(sandbox.stats.byRoute)
    .filter(([route]) => /^(POST|PUT|DELETE) /.test(route))
    .reduce((sum, [, n]) => sum + n, 0);
}

async function appliedWithRollback(
  options: { disableCreatedSources?: boolean; state?: SandboxState; file?: string } = {},
): Promise<{ sandbox: Sandbox; client: MagentoClient; dir: string; path: string; before: SandboxState }> {
  const sandbox = await startSandbox(options.state ? { initialState: options.state } : {});
  const client = clientFor(sandbox);
  const dir = workspace({ "inventory.yaml": options.file ?? FILE });
  const path = join(dir, "rollback.json");
  const before = sandbox.store.snapshot();
  await apply({
    file: "inventory.yaml",
    cwd: dir,
    client,
    git: null,
    allowDestroy: true,
    rollback: { path, shown: "rollback.json", disableCreatedSources: options.disableCreatedSources ?? false },
  });
  return { sandbox, client, dir, path, before };
}

describe("the rollback file", () => {
  it("is written before the first call and again as each call completes, always a whole plan", async () => {
    const sandbox = await startSandbox();
    const client = clientFor(sandbox);
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const path = join(dir, "rollback.json");
      const seen: { calls_done: number; finished: boolean; changes: number }[] = [];
      const outcome = await apply({
        file: "inventory.yaml",
        cwd: dir,
        client,
        git: null,
        allowDestroy: true,
        rollback: { path, shown: "rollback.json", disableCreatedSources: false },
        onApplyEvent: (event) => {
          if (event.type !== "call-start") return;
          const plan = parsePlan(readFileSync(path, "utf8"), path);
          seen.push({ ...plan.basis.rollback_of!, changes: plan.changes.length });
        },
      });
      const total = outcome.plan.calls.length;
      expect(seen.map((s) => s.calls_done)).toEqual([...Array(total).keys()]);
      expect(seen.every((s) => !s.finished)).toBe(true);
      expect(seen[0]?.changes).toBe(0);
      // Each call done adds what it undoes.
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.changes).toBeGreaterThanOrEqual(seen[i - 1]!.changes);
      const final = parsePlan(readFileSync(path, "utf8"), path);
      expect(final.basis).toEqual({
        files: [],
        git: null,
        rollback_of: {
          plan_sha256: null,
          files: outcome.plan.basis.files,
          started_at: expect.any(String),
          calls_total: total,
          calls_done: total,
          finished: true,
        },
      });
      expect(final.store).toEqual(outcome.plan.store);
      expect(final.warnings).toEqual([
        'Source "ne_wh" was created by the apply and stays: Magento cannot delete a source. The rollback ' +
          "removes its links and source items; to have it disable the source too, write the rollback with " +
          "--rollback-disable-created-sources.",
      ]);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });

  it("refuses to apply once a record it restores has moved since the apply (stale), and sends nothing", async () => {
    const { sandbox, client, path } = await appliedWithRollback();
    try {
      // Orders shipped two of the units the apply put at ne_wh: unassigning them is no longer what was recorded.
      sandbox.store.setSourceItem("24-WB01", "ne_wh", 33, 1);
      const moved = sandbox.store.snapshot();
      const writes = writesTo(sandbox);
      const error = await applySavedPlan({ planFile: path, client, allowDestroy: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StalePlanError);
      expect((error as StalePlanError).message).toContain(
        "source item 24-WB01 @ ne_wh: planned from 35 in stock, now 33 in stock",
      );
      expect((error as StalePlanError).hint).toContain("so it would overwrite that");
      expect(writesTo(sandbox)).toBe(writes);
      expect(sandbox.store.snapshot()).toEqual(moved);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });

  it("is stale once an order moved a quantity it puts back, since it writes exact values", async () => {
    const { sandbox, client, path } = await appliedWithRollback();
    try {
      // The apply lowered 24-WB01 at default from 100 to 60; an order then shipped one.
      sandbox.store.setSourceItem("24-WB01", "default", 59, 1);
      const error = await applySavedPlan({ planFile: path, client, allowDestroy: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StalePlanError);
      expect((error as StalePlanError).message).toContain(
        "source item 24-WB01 @ default: planned from 60 in stock, now 59 in stock",
      );
    } finally {
      await client.close();
      await sandbox.close();
    }
  });

  it("needs consent for its destructive steps, as any plan does, and restores the store with it", async () => {
    const { sandbox, client, path, before } = await appliedWithRollback();
    try {
      const writes = writesTo(sandbox);
      const refused = await applySavedPlan({ planFile: path, client }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SafetyError);
      expect((refused as SafetyError).refused.map((r) => r.change)).toEqual([
        'stock "US Stock"',
        'link "US Stock" <- ne_wh',
        "source item 24-WB01 @ ne_wh",
        "source item 24-WB03 @ ne_wh",
      ]);
      expect(writesTo(sandbox)).toBe(writes);

      await applySavedPlan({ planFile: path, client, allowDestroy: true });
      const after = inventoryOf(sandbox.store.snapshot());
      const then = inventoryOf(before);
      expect(after.items).toEqual(then.items);
      expect(after.stocks).toEqual(then.stocks);
      // The source stays, unlinked and without source items.
      expect(sandbox.store.snapshot().sources.map((s) => s.source_code)).toEqual(["default", "ne_wh"]);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });

  it("disables the sources the apply created when asked to", async () => {
    const { sandbox, client, path } = await appliedWithRollback({ disableCreatedSources: true });
    try {
      const plan = parsePlan(readFileSync(path, "utf8"), path);
      expect(plan.warnings[0]).toContain(
        'Source "ne_wh" was created by the apply; Magento cannot delete a source, so this rollback disables it',
      );
      await applySavedPlan({ planFile: path, client, allowDestroy: true });
      expect(sandbox.store.snapshot().sources.find((s) => s.source_code === "ne_wh")?.enabled).toBe(false);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });

  it("names the saved plan it undoes by its SHA-256, and is made for the same store", async () => {
    const sandbox = await startSandbox();
    const client = clientFor(sandbox);
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const { plan: planned } = await planFrom({ file: "inventory.yaml", cwd: dir, client, git: null });
      const planFile = join(dir, "plan.json");
      writeFileSync(planFile, serializePlan(planned));
      // The plan as it was reviewed: once applied, the file also records that it was.
      const reviewed = createHash("sha256").update(readFileSync(planFile)).digest("hex");
      const path = join(dir, "rollback.json");
      await applySavedPlan({
        planFile,
        client,
        allowDestroy: true,
        rollback: { path, shown: "rollback.json", disableCreatedSources: false },
      });
      const rollback = parsePlan(readFileSync(path, "utf8"), path);
      expect(rollback.basis.rollback_of?.plan_sha256).toBe(reviewed);
      expect(rollback.basis.rollback_of?.files).toEqual(planned.basis.files);
      expect(rollback.store).toEqual(planned.store);
      await applySavedPlan({ planFile: path, client, allowDestroy: true });
      expect(inventoryOf(sandbox.store.snapshot()).items).toEqual(inventoryOf(freshState()).items);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });

  it("creates again a stock the apply deleted, with its channels and links, under a new id", async () => {
    const fresh = freshState();
    const state: SandboxState = {
      ...fresh,
      websites: [...fresh.websites, { website_id: 2, code: "eu", name: "EU" }],
      sources: [...fresh.sources, sourceRecord({ code: "s_a", name: "", city: null, enabled: true })],
      stocks: [...fresh.stocks, { stock_id: 2, name: "EU Stock", sales_channels: [{ type: "website", code: "eu" }] }],
      links: [...fresh.links, { stock_id: 2, source_code: "s_a", priority: 1 }],
      next_stock_id: 3,
    };
    const sandbox = await startSandbox({ initialState: state });
    const client = clientFor(sandbox);
    try {
      // The file declared the stock at the base and no longer does: --prune deletes it, once its
      // website has gone to another stock (Magento refuses to delete a stock that sells).
      const dir = workspace({
        "inventory.yaml":
          "version: 1\nstocks:\n  EU Stock:\n    sales_channels: { website: [eu] }\n    sources: [s_a]\n",
      });
      const git = (...args: string[]) =>
        execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir });
      git("init", "-q", "-b", "main");
      git("add", "-A");
      git("commit", "-q", "-m", "EU Stock");
      writeFileSync(
        join(dir, "inventory.yaml"),
        "version: 1\nstocks:\n  Default Stock:\n    sales_channels: { website: [base, eu] }\n",
      );
      const path = join(dir, "rollback.json");
      await apply({
        file: "inventory.yaml",
        cwd: dir,
        client,
        git: null,
        base: { ref: "main", prune: true },
        allowDestroy: true,
        rollback: { path, shown: "rollback.json", disableCreatedSources: false },
      });
      expect(sandbox.store.snapshot().stocks.map((s) => s.name)).toEqual(["Default Stock"]);

      await applySavedPlan({ planFile: path, client });
      const after = sandbox.store.snapshot();
      expect(after.stocks).toEqual([
        { stock_id: 1, name: "Default Stock", sales_channels: [{ type: "website", code: "base" }] },
        { stock_id: 3, name: "EU Stock", sales_channels: [{ type: "website", code: "eu" }] },
      ]);
      expect(after.links).toEqual([...fresh.links, { stock_id: 3, source_code: "s_a", priority: 1 }]);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });

  it("puts a website that was on no stock on the Default Stock, where Magento keeps it, and says so", async () => {
    const fresh = freshState();
    const state: SandboxState = {
      ...fresh,
      websites: [...fresh.websites, { website_id: 2, code: "outlet", name: "Outlet" }],
    };
    const file = `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
stocks:
  Outlet Stock: { sales_channels: { website: [outlet] }, sources: [ne_wh] }
`;
    const { sandbox, client, path } = await appliedWithRollback({ state, file });
    try {
      const plan = parsePlan(readFileSync(path, "utf8"), path);
      expect(plan.warnings).toContain(
        'Website "outlet" was on no stock before the apply; Magento puts a website a stock drops on the ' +
          "Default Stock, so after the rollback it sells from the Default Stock.",
      );
      await applySavedPlan({ planFile: path, client, allowDestroy: true });
      expect(sandbox.store.snapshot().stocks).toEqual([
        {
          stock_id: 1,
          name: "Default Stock",
          sales_channels: [
            { type: "website", code: "base" },
            { type: "website", code: "outlet" },
          ],
        },
      ]);
    } finally {
      await client.close();
      await sandbox.close();
    }
  });
});
