// Sends a plan's calls in order, one at a time: Magento's source-item saves deadlock and
// race in the indexer when sent concurrently (webapi-platform.md §7), so writes are
// serial. Stops at the first real failure and reports what was and was not done.

import { changeAddress, type Change, type MoveChange } from "../diff/changes.js";
import { ConnectionError, MagentoApiError } from "../errors.js";
import { ArrayLimitError, type MagentoClient } from "../magento/client.js";
import { isStockIdRef, liveItemFromRaw, type RawSourceItem, type RawStock } from "../magento/convert.js";
import type { PlannedCall } from "../plan/calls.js";
import type { Plan } from "../plan/plan.js";
import { buildReport, type ApplyReport, type CallOutcome } from "./report.js";

export type ApplyEvent =
  | { readonly type: "call-start"; readonly call: PlannedCall; readonly index: number; readonly total: number }
  | { readonly type: "call-done"; readonly call: PlannedCall; readonly index: number; readonly total: number }
  | { readonly type: "rebatch"; readonly call: PlannedCall; readonly max: number };

/** One line of `--journal FILE`: a call with the before and after values of what it changes. */
export interface JournalEntry {
  readonly time: string;
  readonly call: number;
  readonly method: string;
  readonly path: string;
  readonly outcome: "done" | "failed";
  readonly error?: string;
  readonly changes: readonly { readonly change: string; readonly before: unknown; readonly after: unknown }[];
}

export interface ExecuteOptions {
  readonly client: MagentoClient;
  readonly onEvent?: (event: ApplyEvent) => void;
  readonly journal?: (entry: JournalEntry) => void;
  readonly now?: () => Date;
}

export interface ExecuteResult {
  readonly report: ApplyReport;
  /** The error that stopped the apply, if one did. */
  readonly error: Error | undefined;
}

const STOCK_CREATE_ATTEMPTS = 4;

export async function executePlan(plan: Plan, options: ExecuteOptions): Promise<ExecuteResult> {
  const stockIds = new Map<string, number>();
  const createdStockIds = new Map<string, number>();
  const outcomes: CallOutcome[] = [];
  const now = options.now ?? (() => new Date());
  let arrayLimit = Number.POSITIVE_INFINITY;
  let error: Error | undefined;

  for (const [index, call] of plan.calls.entries()) {
    if (error) {
      outcomes.push(outcome(call, "not-attempted", 0));
      continue;
    }
    options.onEvent?.({ type: "call-start", call, index, total: plan.calls.length });
    const counter = { requests: 0 };
    try {
      const path = resolvePath(call, stockIds);
      const body = resolveBody(call.body, stockIds);
      if (call.returns_stock_id !== undefined) {
        const id = await createStock(options.client, call.returns_stock_id, body, counter);
        stockIds.set(call.returns_stock_id, id);
        createdStockIds.set(call.returns_stock_id, id);
      } else if (call.repeatable === "never") {
        await sendOnce(options.client, call, path, body, plan, counter);
      } else {
        arrayLimit = await sendInBatches(options.client, call, path, body, arrayLimit, counter, options.onEvent);
      }
      outcomes.push(outcome(call, "done", counter.requests));
      options.journal?.(journalEntry(call, plan.changes, "done", now()));
      options.onEvent?.({ type: "call-done", call, index, total: plan.calls.length });
    } catch (caught) {
      error = caught instanceof Error ? caught : new Error(String(caught));
      outcomes.push(outcome(call, "failed", counter.requests, error.message));
      options.journal?.(journalEntry(call, plan.changes, "failed", now(), error.message));
    }
  }
  return { report: buildReport(outcomes, createdStockIds), error };
}

function outcome(call: PlannedCall, status: CallOutcome["status"], requests: number, error?: string): CallOutcome {
  return { id: call.id, method: call.method, path: call.path, description: call.description, status, requests, ...(error ? { error } : {}) };
}

function journalEntry(call: PlannedCall, changes: readonly Change[], outcome: "done" | "failed", time: Date, error?: string): JournalEntry {
  return {
    time: time.toISOString(),
    call: call.id,
    method: call.method,
    path: call.path,
    outcome,
    ...(error ? { error } : {}),
    changes: call.changes.map((i) => {
      const change = changes[i]!;
      return { change: changeAddress(change), before: "before" in change ? change.before : null, after: "after" in change ? change.after : null };
    }),
  };
}

function resolvePath(call: PlannedCall, stockIds: ReadonlyMap<string, number>): string {
  if (call.path_stock === undefined) return call.path;
  return call.path.replace(":stockId", String(requireStockId(call.path_stock, stockIds)));
}

function resolveBody(body: unknown, stockIds: ReadonlyMap<string, number>): unknown {
  if (isStockIdRef(body)) return requireStockId(body.$stock, stockIds);
  if (Array.isArray(body)) return body.map((b) => resolveBody(b, stockIds));
  if (body && typeof body === "object") return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, resolveBody(v, stockIds)]));
  return body;
}

function requireStockId(name: string, stockIds: ReadonlyMap<string, number>): number {
  const id = stockIds.get(name);
  // The plan orders a stock's create before every call that uses its id.
  if (id === undefined) throw new Error(`inv: the id of stock "${name}" is not known; its create call did not run`);
  return id;
}

/** Counts every HTTP request a call needed by watching the client's counters. */
async function counted<T>(client: MagentoClient, counter: { requests: number }, task: () => Promise<T>): Promise<T> {
  const before = totalRequests(client);
  try {
    return await task();
  } finally {
    counter.requests += totalRequests(client) - before;
  }
}

function totalRequests(client: MagentoClient): number {
  let sum = 0;
  for (const n of client.requestCounts.values()) sum += n;
  return sum;
}

/**
 * Creating a stock is not idempotent: POST without an id inserts a new row each time. When
 * the outcome of an attempt is unknown (connection lost, gateway error), look the stock up
 * by name first, and create it again only if it is not there.
 */
async function createStock(client: MagentoClient, name: string, body: unknown, counter: { requests: number }): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const id = await counted(client, counter, () => client.send<number | string>("POST", "V1/inventory/stocks", body, "never"));
      return Number(id);
    } catch (error) {
      if (!outcomeUnknown(error) || attempt >= STOCK_CREATE_ATTEMPTS) throw error;
      const existing = await counted(client, counter, () => findStockByName(client, name));
      if (existing !== undefined) return existing;
    }
  }
}

export async function findStockByName(client: MagentoClient, name: string): Promise<number | undefined> {
  const stocks = await client.search<RawStock, RawStock>(
    "V1/inventory/stocks",
    { filterGroups: [[{ field: "name", value: name, conditionType: "eq" }]], sortOrders: [{ field: "stock_id", direction: "ASC" }] },
    (raw) => raw,
  );
  const match = stocks.find((s) => s.name.trim().toLowerCase() === name.trim().toLowerCase());
  return match ? Number(match.stock_id) : undefined;
}

/** A lost connection or a gateway error: the store may or may not have done the write. */
function outcomeUnknown(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  return error instanceof MagentoApiError && [500, 502, 503, 504].includes(error.status);
}

/**
 * A bulk transfer adds quantities, so it is not resent blindly: after an unknown outcome,
 * the origin's source items tell whether it happened.
 */
async function sendOnce(client: MagentoClient, call: PlannedCall, path: string, body: unknown, plan: Plan, counter: { requests: number }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await counted(client, counter, () => client.send(call.method, path, body, "never"));
      return;
    } catch (error) {
      const move = plan.changes[call.changes[0] ?? -1];
      if (!outcomeUnknown(error) || move?.kind !== "move" || attempt >= STOCK_CREATE_ATTEMPTS) throw error;
      const state = await counted(client, counter, () => moveState(client, move));
      if (state === "done") return;
      if (state === "partly") throw error;
    }
  }
}

async function moveState(client: MagentoClient, move: MoveChange): Promise<"done" | "not-started" | "partly"> {
  const items = await client.search<RawSourceItem, { sku: string; source: string; quantity: number; status: string }>(
    "V1/inventory/source-items",
    {
      filterGroups: [[{ field: "source_code", value: move.from, conditionType: "eq" }], [{ field: "sku", value: move.skus.join(","), conditionType: "in" }]],
      sortOrders: [{ field: "sku", direction: "ASC" }],
    },
    (raw) => ({ sku: raw.sku, ...liveItemFromRaw(raw) }),
  );
  const remaining = items.filter((i) => (move.unassign_from_origin ? true : i.quantity !== 0 || i.status !== "out_of_stock")).length;
  if (remaining === 0) return "done";
  return remaining === move.skus.length ? "not-started" : "partly";
}

/**
 * Sends an array call, split further if the store's input limit is below the plan's batch
 * size ("Maximum items of type ... is %max"); the lower limit holds for the calls after it.
 */
async function sendInBatches(
  client: MagentoClient,
  call: PlannedCall,
  path: string,
  body: unknown,
  limit: number,
  counter: { requests: number },
  onEvent: ExecuteOptions["onEvent"],
): Promise<number> {
  const key = call.array?.key;
  const items = key ? ((body as Record<string, unknown[]>)[key] ?? []) : [];
  if (!key || items.length <= limit) {
    try {
      await counted(client, counter, () => client.send(call.method, path, body, call.repeatable));
      return limit;
    } catch (error) {
      if (!(error instanceof ArrayLimitError) || !key) throw error;
      limit = error.max;
      onEvent?.({ type: "rebatch", call, max: limit });
    }
  }
  for (let i = 0; i < items.length; i += limit) {
    const part = { ...(body as Record<string, unknown>), [key]: items.slice(i, i + limit) };
    await counted(client, counter, () => client.send(call.method, path, part, call.repeatable));
  }
  return limit;
}
