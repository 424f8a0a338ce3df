// Sends a plan's calls in order, one at a time: Magento's source-item saves deadlock and
// race in the indexer when sent concurrently (docs/magento/webapi-platform.md#concurrency-and-retries), so writes are
// serial. Each call goes to the executor of its kind (executors.ts) through a client that
// reaches only that kind's routes (routes.ts). Stops at the first real failure and reports
// what was and was not done.

import { changeAddress, type Change } from "../diff/changes.js";
import { InvError } from "../errors.js";
import type { MagentoClient } from "../magento/client.js";
import { isStockIdRef } from "../magento/convert.js";
import type { PlannedCall } from "../plan/calls/call.js";
import { execute, type ExecutorContext } from "./executors.js";
import { buildReport, type ApplyReport, type CallOutcome } from "./report.js";
import { CallClient, ForbiddenRouteError, routeProblem } from "./routes.js";

export type ApplyEvent =
  | { readonly type: "call-start"; readonly call: PlannedCall; readonly index: number; readonly total: number }
  | { readonly type: "call-done"; readonly call: PlannedCall; readonly index: number; readonly total: number }
  | { readonly type: "rebatch"; readonly call: PlannedCall; readonly max: number };

/**
 * One line of `--journal FILE`: a call with the before and after values of what it changes.
 * Each call has two: `sending`, written before its first request goes out (so the journal
 * holds every write the store may have taken, however the process ends), then `done`,
 * `failed`, or `unknown` (cut short by an interrupt before Magento answered: it may be done).
 */
export interface JournalEntry {
  readonly time: string;
  readonly call: number;
  readonly method: string;
  readonly path: string;
  readonly outcome: "sending" | "done" | "failed" | "unknown";
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
  /**
   * Aborted when the operator asks to stop: no call is started after it, and the call in
   * flight is given `settleMs` to answer (its outcome is then known and journalled).
   */
  readonly signal?: AbortSignal;
  readonly settleMs?: number;
}

/** How long the call in flight may take to answer once the apply is interrupted, by default. */
export const DEFAULT_SETTLE_MS = 30_000;

export interface ExecuteResult {
  readonly report: ApplyReport;
  /** The error that stopped the apply, if one did. */
  readonly error: Error | undefined;
}

/** The calls to send and the changes they carry out (for the journal). */
export interface ExecutablePlan {
  readonly changes: readonly Change[];
  readonly calls: readonly PlannedCall[];
}

export async function executePlan(plan: ExecutablePlan, options: ExecuteOptions): Promise<ExecuteResult> {
  /** The ids Magento gave the stocks this apply created, by name. */
  const stockIds = new Map<string, number>();
  const outcomes: CallOutcome[] = [];
  const now = options.now ?? (() => new Date());
  const arrayLimit = { value: Number.POSITIVE_INFINITY };
  // Every call's route is checked before the first is sent, so a bad one late in the plan stops it whole.
  const problems = plan.calls.flatMap((call) => routeProblem(call) ?? []);
  let error: Error | undefined =
    problems.length > 0
      ? new ForbiddenRouteError(
          `Refused to apply: ${problems.join("; ")}. Nothing was sent.`,
          "inv sends only the inventory calls it derives from a plan's changes. Make the plan again with `inv plan`.",
        )
      : undefined;

  const { signal } = options;
  const journal = (entry: JournalEntry): boolean => {
    try {
      options.journal?.(entry);
      return true;
    } catch (caught) {
      // The journal is the record the operator asked for: without it, stop.
      // So is the rollback file (--rollback-out), whose errors say so themselves.
      error ??=
        caught instanceof InvError
          ? caught
          : new Error(`could not write the journal: ${caught instanceof Error ? caught.message : String(caught)}`);
      return false;
    }
  };

  for (const [index, call] of plan.calls.entries()) {
    if (!error && signal?.aborted) error = interruption(signal);
    if (error) {
      outcomes.push(outcome(call, call.path, "not-attempted", 0));
      continue;
    }
    options.onEvent?.({ type: "call-start", call, index, total: plan.calls.length });
    const client = new CallClient(options.client, call);
    const context: ExecutorContext = {
      client,
      arrayLimit,
      onRebatch: (max) => options.onEvent?.({ type: "rebatch", call, max }),
    };
    let path = call.path;
    let failure: Error | undefined;
    let createdStockId: number | undefined;
    /** Cut short by the interrupt before Magento answered: it may have been done. */
    let unknown = false;
    try {
      path = resolvePath(call, stockIds);
      const body = resolveBody(call.body, stockIds);
      if (!journal(journalEntry(call, path, plan.changes, "sending", now(), undefined, undefined))) {
        outcomes.push(outcome(call, path, "not-attempted", 0));
        continue;
      }
      const result = await settle(
        execute(call, { path, body }, context),
        signal,
        options.settleMs ?? DEFAULT_SETTLE_MS,
      );
      if (result === UNSETTLED) {
        unknown = true;
        failure = new Error(
          `interrupted: no answer within ${duration(options.settleMs ?? DEFAULT_SETTLE_MS)} of the interrupt, so it may have been done`,
        );
      } else {
        createdStockId = result.createdStockId;
        if (createdStockId !== undefined && call.kind === "stock-create")
          stockIds.set(call.returns_stock_id, createdStockId);
      }
    } catch (caught) {
      failure = caught instanceof Error ? caught : new Error(String(caught));
      // A retry the interrupt stopped: the attempt before it may have reached the store.
      if (signal?.aborted && caught === signal.reason) {
        unknown = true;
        failure = new Error(`interrupted while waiting to send it again, so it may have been done`);
      }
    }
    outcomes.push({
      ...outcome(call, path, failure ? "failed" : "done", client.requests, failure?.message),
      ...(unknown ? { maybe_done: true as const } : {}),
    });
    error = unknown && signal ? interruption(signal) : failure;
    const settled = failure ? (unknown ? "unknown" : "failed") : "done";
    journal(journalEntry(call, path, plan.changes, settled, now(), failure?.message, createdStockId));
    if (!failure) options.onEvent?.({ type: "call-done", call, index, total: plan.calls.length });
  }
  return { report: buildReport(outcomes, stockIds), error };
}

const UNSETTLED = Symbol("unsettled");

/**
 * The call's own result, or UNSETTLED when the signal was aborted and the call had not
 * answered `graceMs` later. A call that answers after that is nobody's concern any more.
 */
async function settle<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  graceMs: number,
): Promise<T | typeof UNSETTLED> {
  if (!signal) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => {};
  const grace = new Promise<typeof UNSETTLED>((resolve) => {
    onAbort = () => {
      timer = setTimeout(() => resolve(UNSETTLED), graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  work.catch(() => {});
  try {
    return await Promise.race([work, grace]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  }
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function interruption(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("interrupted");
}

/** `path` is the route as sent, with the ids known by then (a stock created earlier in this apply). */
function outcome(
  call: PlannedCall,
  path: string,
  status: CallOutcome["status"],
  requests: number,
  error?: string,
): CallOutcome {
  return {
    id: call.id,
    method: call.method,
    path,
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
  outcome: JournalEntry["outcome"],
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
  if (call.kind !== "stock-update" || call.path_stock === undefined) return call.path;
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
