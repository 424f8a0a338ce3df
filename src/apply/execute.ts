// Sends a plan's calls in order, one at a time: Magento's source-item saves deadlock and
// race in the indexer when sent concurrently (docs/magento/webapi-platform.md#concurrency-and-retries), so writes are
// serial. Stops at the first real failure and reports what was and was not done.

import { changeAddress, type Change, type MoveChange } from "../diff/changes.js";
import { InvError, MagentoApiError } from "../errors.js";
import { ArrayLimitError, type MagentoClient } from "../magento/client.js";
import { isStockIdRef, type RawStock } from "../magento/convert.js";
import type { PlannedCall } from "../plan/calls.js";
import type { Plan } from "../plan/plan.js";
import { readSourceItems } from "../state/read-source-items.js";
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
  /** The id Magento gave a stock this call created. */
  readonly stock_id?: number;
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
    let path = call.path;
    let failure: Error | undefined;
    try {
      path = resolvePath(call, stockIds);
      const body = resolveBody(call.body, stockIds);
      const move = plan.changes[call.changes[0] ?? -1];
      if (call.returns_stock_id !== undefined) {
        const id = await createStock(options.client, call.returns_stock_id, body, counter);
        stockIds.set(call.returns_stock_id, id);
        createdStockIds.set(call.returns_stock_id, id);
      } else if (move?.kind === "move" && call.path === MOVE_ROUTE) {
        await transfer(options.client, move, body, counter);
      } else if (call.method === "DELETE" && STOCK_PATH.test(path)) {
        await deleteStock(options.client, path, counter);
      } else if (call.repeatable === "never") {
        await counted(options.client, counter, () => options.client.send(call.method, path, body, "never"));
      } else {
        arrayLimit = await sendInBatches(options.client, call, path, body, arrayLimit, counter, options.onEvent);
      }
    } catch (caught) {
      failure = caught instanceof Error ? caught : new Error(String(caught));
    }
    outcomes.push(outcome(call, failure ? "failed" : "done", counter.requests, failure?.message));
    error = failure;
    try {
      options.journal?.(
        journalEntry(
          call,
          path,
          plan.changes,
          failure ? "failed" : "done",
          now(),
          failure?.message,
          createdStockIds.get(call.returns_stock_id ?? ""),
        ),
      );
    } catch (caught) {
      // The journal is the record the operator asked for: without it, stop.
      error ??= new Error(`could not write the journal: ${caught instanceof Error ? caught.message : String(caught)}`);
    }
    if (!failure) options.onEvent?.({ type: "call-done", call, index, total: plan.calls.length });
  }
  return { report: buildReport(outcomes, createdStockIds), error };
}

function outcome(call: PlannedCall, status: CallOutcome["status"], requests: number, error?: string): CallOutcome {
  return {
    id: call.id,
    method: call.method,
    path: call.path,
    description: call.description,
    status,
    requests,
    ...(error ? { error } : {}),
  };
}

function journalEntry(
  call: PlannedCall,
  path: string,
  changes: readonly Change[],
  outcome: "done" | "failed",
  time: Date,
  error: string | undefined,
  stockId: number | undefined,
): JournalEntry {
  return {
    time: time.toISOString(),
    call: call.id,
    method: call.method,
    path,
    outcome,
    ...(error ? { error } : {}),
    ...(stockId !== undefined ? { stock_id: stockId } : {}),
    changes: call.changes.map((i) => {
      const change = changes[i]!;
      return {
        change: changeAddress(change),
        before: "before" in change ? change.before : null,
        after: "after" in change ? change.after : null,
      };
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
  if (body && typeof body === "object")
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, resolveBody(v, stockIds)]));
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

const MOVE_ROUTE = "V1/inventory/bulk-product-source-transfer";
const STOCK_PATH = /^V1\/inventory\/stocks\/\d+$/;

/** A write whose outcome the store contradicts: something else changed these records meanwhile. */
export class UnsettledWriteError extends InvError {
  readonly code = "magento-api" as const;
}

/**
 * Creating a stock is not idempotent: POST without an id inserts a new row each time. After
 * an unknown outcome (connection lost, gateway error), the stock is looked up by name, and
 * created again only if it is not there.
 */
async function createStock(
  client: MagentoClient,
  name: string,
  body: unknown,
  counter: { requests: number },
): Promise<number> {
  let found: number | undefined;
  const id = await counted(client, counter, () =>
    client.sendChecked<number | string>("POST", "V1/inventory/stocks", body, async () => {
      found = await findStockByName(client, name);
      return found !== undefined;
    }),
  );
  return id !== undefined ? Number(id) : found!;
}

export async function findStockByName(client: MagentoClient, name: string): Promise<number | undefined> {
  const stocks = await client.search<RawStock, RawStock>(
    "V1/inventory/stocks",
    {
      filterGroups: [[{ field: "name", value: name, conditionType: "eq" }]],
      sortOrders: [{ field: "stock_id", direction: "ASC" }],
    },
    (raw) => raw,
  );
  const match = stocks.find((s) => s.name.trim().toLowerCase() === name.trim().toLowerCase());
  return match ? Number(match.stock_id) : undefined;
}

/**
 * A bulk transfer adds the origin's quantity at the destination, so it is never resent
 * blindly: after an unknown outcome, the origin's source items tell whether it happened.
 * Magento runs it in one transaction
 * (magento/inventory:InventoryCatalog/Model/ResourceModel/BulkInventoryTransfer.php), so it is done for every SKU or
 * for none.
 */
async function transfer(
  client: MagentoClient,
  move: MoveChange,
  body: unknown,
  counter: { requests: number },
): Promise<void> {
  await counted(client, counter, () =>
    client.sendChecked("POST", MOVE_ROUTE, body, async () => {
      const state = await moveState(client, move);
      if (state === "partly") {
        throw new UnsettledWriteError(
          `The transfer from ${move.from} to ${move.to} lost its connection, and the store now shows ` +
            "it done for some SKUs and not others; something else changed these source items meanwhile.",
          "Nothing after it was sent. Run `inv plan` to see the store as it is now.",
        );
      }
      return state === "done";
    }),
  );
}

/** Deleting a stock twice answers 404, so a lost answer is settled by looking the stock up. */
async function deleteStock(client: MagentoClient, path: string, counter: { requests: number }): Promise<void> {
  await counted(client, counter, () =>
    client.sendChecked("DELETE", path, undefined, async () => {
      try {
        await client.get(path);
        return false;
      } catch (error) {
        if (error instanceof MagentoApiError && error.status === 404) return true;
        throw error;
      }
    }),
  );
}

async function moveState(client: MagentoClient, move: MoveChange): Promise<"done" | "not-started" | "partly"> {
  // The same chunked read as planning: SKUs with a comma need `eq`, long lists several requests.
  const bySku = await readSourceItems(client, new Set(move.skus));
  const origins = [...bySku.values()].flatMap((items) => items.filter((i) => i.source === move.from));
  const remaining = origins.filter((i) =>
    move.unassign_from_origin ? true : i.quantity !== 0 || i.status !== "out_of_stock",
  ).length;
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
