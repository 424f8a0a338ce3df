// The programmatic API: plan() and apply(), which the CLI and the tests both call.
// load file -> validate -> read live state -> diff -> plan -> (render | apply -> verify)

import { dirname, resolve } from "node:path";
import { checkSafety, checkUnchecked, effectivePolicy, type SafetyFlags } from "./apply/guards.js";
import { executePlan, type ApplyEvent, type JournalEntry } from "./apply/execute.js";
import { PartialApplyError, type ApplyReport } from "./apply/report.js";
import { afterValueDifferences, replanDifferences, VerificationError } from "./apply/verify.js";
import {
  expectedFromFile,
  expectedFromPlan,
  priorityDifferences,
  type ExpectedOrder,
} from "./apply/verify-priority.js";
import { diff } from "./diff/diff.js";
import { assignmentOnlySkus } from "./plan/calls/bulk-groups.js";
import { InventoryFileError, PlanFileError, StalePlanError } from "./errors.js";
import { loadInventoryAsync } from "./inventory/load-inventory.js";
import {
  checkAgainstLive,
  checkCatalog,
  liveWarnings,
  needsWebsiteCodes,
  stockHoldingSkus,
} from "./inventory/rules.js";
import type { MagentoClient } from "./magento/client.js";
import type { DesiredState, LiveState, SafetyPolicy } from "./model.js";
import { invVersion } from "./package-files.js";
import { readGitInfo } from "./plan/git.js";
import type { PlannedCall } from "./plan/calls/call.js";
import { describeCallDifference, firstCallDifference } from "./plan/calls/compare-calls.js";
import { verifyPlanIntegrity } from "./plan/integrity.js";
import { uncheckedReads, WEBSITES_UNREADABLE } from "./plan/unchecked.js";
import { readPlanFile } from "./plan/plan-file.js";
import { buildPlan, deriveCalls, type GitInfo, type Plan } from "./plan/plan.js";
import { findStaleRecords, skusOfPlan } from "./plan/staleness.js";
import { readCatalogIfAllowed, type CatalogEntry } from "./state/read-catalog.js";
import { readLiveState, startLiveRead, type LiveRead, type ReadProgress } from "./state/read-live-state.js";
import {
  checkReservations,
  describeReservationWarning,
  MAX_SALABLE_READS,
  type ReservationCheck,
  type UnassignedItem,
} from "./state/read-salable.js";
import { readWebsiteCodes } from "./state/read-websites.js";

/** Items per source-item or link call when the store has Magento's input limits off. */
export const DEFAULT_BATCH_SIZE = 500;
/** Magento's default `webapi/validation/complex_array_limit` when input limits are on. */
export const INPUT_LIMIT_BATCH_SIZE = 20;

export type Progress = ReadProgress;

export interface PlanOptions {
  /** The inventory file. */
  readonly file: string;
  /** Paths in messages are relative to this directory. */
  readonly cwd: string;
  readonly client: MagentoClient;
  /** Items per array call; by default the store's limit as far as inv can tell. */
  readonly batchSize?: number;
  readonly now?: () => Date;
  /** The file's git commit; read from the file's repository when not given. */
  readonly git?: GitInfo | null;
  readonly onProgress?: (progress: Progress) => void;
}

export interface PlanOutcome {
  readonly plan: Plan;
  readonly desired: DesiredState;
  readonly live: LiveState;
}

export async function plan(options: PlanOptions): Promise<PlanOutcome> {
  // The store is read while the file is parsed: reads start once the main file is sound,
  // and a file that declares most of the store starts the scan of its source items early.
  let read: LiveRead | undefined;
  const desired = await loadInventoryAsync(options.file, {
    cwd: options.cwd,
    onProgress: (progress) => {
      if (progress.phase === "main-file-valid") read = startLiveRead(options.client, options.onProgress);
      else read?.declared(progress.rows);
    },
  });
  const skus = new Set<string>(desired.products.keys());
  for (const move of desired.moves) for (const sku of move.skus) skus.add(sku);
  // The catalog is read alongside the rest of the store; if a later check fails first, nobody awaits it.
  const catalog = readCatalogIfAllowed(options.client, skus);
  catalog.catch(() => {});

  const [live, websites] = await Promise.all([
    (read ?? startLiveRead(options.client, options.onProgress)).finish(skus),
    needsWebsiteCodes(desired) ? readWebsiteCodes(options.client) : Promise.resolve(new Set<string>()),
  ]);
  const store = { desired, live, websites: websites ?? "unreadable" } as const;
  const problems = checkAgainstLive(store);
  const warnings = liveWarnings(store);
  if (problems.length > 0) throw new InventoryFileError(problems);

  const result = diff(desired, live);
  const catalogRead = await catalog;
  const context = { ...store, catalog: catalogRead instanceof Map ? catalogRead : new Map<string, CatalogEntry>() };
  if (!(catalogRead instanceof Map))
    warnings.push(`Products were not checked against the catalog: ${catalogRead.unreadable}.`);
  const catalogProblems = checkCatalog(context);
  if (catalogProblems.length > 0) throw new InventoryFileError(catalogProblems);
  const reservations = await checkReservations(
    options.client,
    live,
    unassignedItems(result.changes),
    (sku) => result.affectedSkus.get(sku)?.after ?? live.sourceItems.get(sku) ?? [],
  );
  warnings.push(...reservationWarningLines(reservations));
  const unchecked = uncheckedReads(result.changes, {
    ...(websites === undefined ? { websites: WEBSITES_UNREADABLE } : {}),
    ...(catalogRead instanceof Map ? {} : { catalog: catalogRead.unreadable }),
    salable: reservations.unreadable,
  });
  for (const read of unchecked)
    warnings.push(`\`inv apply\` refuses this plan without --allow-unchecked: ${read.writes}.`);

  const outcome = buildPlan({
    diff: result,
    live,
    batchSize: options.batchSize ?? (options.client.inputLimitsDetected ? INPUT_LIMIT_BATCH_SIZE : DEFAULT_BATCH_SIZE),
    store: { url: options.client.displayUrl, store_code: options.client.storeCode },
    basis: {
      files: desired.files,
      git: options.git !== undefined ? options.git : readGitInfo(dirname(resolve(options.cwd, options.file))),
    },
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    invVersion: invVersion(),
    warnings,
    reservationWarnings: reservations.warnings,
    unchecked,
    checked: { sources: desired.sources.size, stocks: desired.stocks.size, products: desired.products.size },
    policy: desired.safety,
    bulk: { assignmentOnly: assignmentOnlySkus(desired), inCatalog: stockHoldingSkus(context.catalog) },
  });
  return { plan: outcome, desired, live };
}

/** Unassignments of held quantity, whose stocks' salable quantities the plan reads. */
function unassignedItems(changes: Plan["changes"]): UnassignedItem[] {
  return changes.flatMap((c) =>
    c.kind === "source-item" && c.action === "delete" && c.via_move === undefined && (c.before?.quantity ?? 0) > 0
      ? [{ sku: c.sku, source: c.source }]
      : [],
  );
}

function reservationWarningLines(check: ReservationCheck): string[] {
  const lines = check.warnings.map(describeReservationWarning);
  if (check.unchecked.length > 0) {
    lines.push(
      `Reservations were not checked for ${check.unchecked.length} product${check.unchecked.length === 1 ? "" : "s"} (salable quantity unreadable): ${check.unchecked.slice(0, 5).join("; ")}${check.unchecked.length > 5 ? "; ..." : ""}`,
    );
  }
  if (check.skipped > 0)
    lines.push(
      `Reservations were checked for the ${MAX_SALABLE_READS} largest unassignments only; ${check.skipped} more were not checked.`,
    );
  return lines;
}

// --- apply -------------------------------------------------------------------------------
// Both entry points (the file, a saved plan) prepare a plan and the calls to send, then
// applyPlan runs safety -> confirm -> execute -> verify once for both.

export interface ConsentOptions extends SafetyFlags {
  /** Asked once the plan is known and safe; resolve false to cancel. Absent: no confirmation needed (--yes). */
  readonly confirm?: (plan: Plan) => Promise<boolean>;
  readonly journal?: (entry: JournalEntry) => void;
  readonly onApplyEvent?: (event: ApplyEvent) => void;
  /** Called with the plan before anything is sent (the CLI prints it). */
  readonly onPlan?: (plan: Plan) => void;
  /**
   * Aborted when the operator asks to stop: no call starts after it, the call in flight gets
   * `settleMs` to answer, and the apply ends in a PartialApplyError carrying the report.
   */
  readonly signal?: AbortSignal;
  readonly settleMs?: number;
}

export interface ApplyOutcome {
  readonly plan: Plan;
  /** null when there was nothing to do or the operator cancelled. */
  readonly report: ApplyReport | null;
  readonly cancelled: boolean;
}

/** How a finished apply is checked against the store, read again. */
interface Verification {
  /** What still differs among the records the plan touched. */
  readonly records: (after: LiveState, report: ApplyReport) => string[];
  /** The priority order each stock whose links changed must now have (seed 003). */
  readonly priorities: (report: ApplyReport) => ExpectedOrder[];
}

interface PreparedApply {
  readonly plan: Plan;
  /** Derived from the plan's changes, never read from a file. */
  readonly calls: readonly PlannedCall[];
  /** The file's policy (for a saved plan, the one it recorded); the flags add to it. */
  readonly policy: SafetyPolicy;
  readonly verification: Verification;
}

/** Plans from the file, then applies that plan; verified by planning again, which must be empty. */
export async function apply(options: PlanOptions & ConsentOptions): Promise<ApplyOutcome> {
  const { plan: planned, desired } = await plan(options);
  options.onPlan?.(planned);
  return applyPlan(
    {
      plan: planned,
      calls: planned.calls,
      policy: desired.safety,
      verification: {
        records: (after) => replanDifferences(desired, after, skusOfPlan(planned)),
        priorities: (report) => expectedFromFile(desired, planned, report),
      },
    },
    options,
  );
}

export interface SavedPlanOptions extends ConsentOptions {
  readonly planFile: string;
  readonly client: MagentoClient;
  /**
   * Where inv runs; the plan's inventory files are looked for relative to it first, then to
   * the plan file's directory (paths are recorded relative to where `inv plan` ran).
   */
  readonly cwd?: string;
  /** The plan file as the user named it, for messages; the path by default. */
  readonly shownPlanFile?: string;
}

/**
 * Applies a reviewed plan: its changes derived again from the inventory files it names (and
 * refused when they differ), its calls derived again from its changes (and refused when the
 * file's differ), once the store is shown to still hold every `before` value.
 */
export async function applySavedPlan(options: SavedPlanOptions): Promise<ApplyOutcome> {
  const saved = readPlanFile(options.planFile);
  const here = { url: options.client.displayUrl, store_code: options.client.storeCode };
  if (saved.store.url !== here.url || saved.store.store_code !== here.store_code) {
    throw new PlanFileError(
      `The saved plan was made for ${saved.store.url} (store ${saved.store.store_code}), not ${here.url} (store ${here.store_code}).`,
      "Apply it to the store it was made for, or make a new plan for this one.",
    );
  }
  const shown = options.shownPlanFile ?? options.planFile;
  // Nothing in a plan file is trusted as an action: its changes must be the ones its files
  // give, and its calls the ones its changes give.
  verifyPlanIntegrity(saved, { shown, roots: [...(options.cwd ? [options.cwd] : []), dirname(options.planFile)] });
  const calls = deriveCalls(saved);
  const difference = firstCallDifference(saved.calls, calls);
  if (difference) {
    throw new PlanFileError(
      `${shown} was changed after it was planned: ${describeCallDifference(difference)}. Nothing was sent.`,
      "inv applies only the calls it derives from a saved plan's changes. Make the plan again with `inv plan --out`, review it, and apply that.",
    );
  }
  options.onPlan?.(saved);
  if (saved.changes.length > 0) {
    const before = await readLiveState(options.client, { skus: skusOfPlan(saved) });
    const stale = findStaleRecords(saved, before);
    if (stale.length > 0) throw new StalePlanError(stale);
  }
  return applyPlan(
    {
      plan: saved,
      calls,
      // The reviewed file's policy travels in the plan, so it consents (and limits) here as it does for `inv apply`.
      policy: saved.policy,
      verification: {
        records: (after, report) => afterValueDifferences(saved, after, report.created_stock_ids),
        priorities: (report) => expectedFromPlan(saved, report),
      },
    },
    options,
  );
}

async function applyPlan(
  prepared: PreparedApply,
  options: ConsentOptions & { client: MagentoClient },
): Promise<ApplyOutcome> {
  const { plan: planned } = prepared;
  if (planned.changes.length === 0) return { plan: planned, report: null, cancelled: false };
  checkSafety(planned.changes, effectivePolicy(prepared.policy, options));
  checkUnchecked(planned.unchecked ?? [], options.allowUnchecked ?? false);
  if (options.confirm && !(await options.confirm(planned))) return { plan: planned, report: null, cancelled: true };
  const { report, error } = await executePlan(
    { changes: planned.changes, calls: prepared.calls },
    {
      client: options.client,
      ...(options.onApplyEvent ? { onEvent: options.onApplyEvent } : {}),
      ...(options.journal ? { journal: options.journal } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
    },
  );
  if (error) throw new PartialApplyError(report, error);
  try {
    const after = await readLiveState(options.client, { skus: skusOfPlan(planned) });
    const differences = prepared.verification.records(after, report);
    // Then Magento's priority view of every stock whose links changed (seed 003).
    if (differences.length === 0)
      differences.push(...(await priorityDifferences(options.client, prepared.verification.priorities(report))));
    if (differences.length > 0) throw new VerificationError(differences);
  } catch (caught) {
    // Interrupted while verifying: every call was done, and the report says so.
    if (options.signal?.aborted && caught === options.signal.reason)
      throw new PartialApplyError(report, caught as Error);
    throw caught;
  }
  return { plan: planned, report, cancelled: false };
}
