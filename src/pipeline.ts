// The programmatic API: plan() and apply(), which the CLI and the tests both call.
// load file -> validate -> read live state -> diff -> plan -> (render | apply -> verify)

import { dirname, resolve } from "node:path";
import { checkSafety, checkUnchecked, effectivePolicy, type SafetyFlags } from "./apply/guards.js";
import { executePlan, type ApplyEvent, type JournalEntry } from "./apply/execute.js";
import { RollbackRecorder, type RollbackOutput } from "./apply/rollback-file.js";
import { PartialApplyError, type ApplyReport } from "./apply/report.js";
import { afterValueDifferences, replanDifferences, VerificationError } from "./apply/verify.js";
import {
  expectedFromFile,
  expectedFromPlan,
  priorityDifferences,
  type ExpectedOrder,
} from "./apply/verify-priority.js";
import { diff } from "./diff/diff.js";
import { changedSkus, markBaseChanges, rebase, type Rebased } from "./diff/three-way.js";
import { formatProblem, InventoryFileError, PlanAppliedError, PlanFileError, StalePlanError } from "./errors.js";
import { loadInventoryAsync } from "./inventory/load-inventory.js";
import { describeSkipped, unknownSkus, withoutSkus } from "./inventory/skip-unknown.js";
import { loadBase } from "./inventory/read-base.js";
import { plural } from "./words.js";
import { assignmentOnlySkus } from "./plan/calls/bulk-groups.js";
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
import { readSavedPlan, writePlanFile } from "./plan/plan-file.js";
import { buildPlan, deriveCalls, type GitInfo, type Plan, type PlanBase } from "./plan/plan.js";
import { findStaleRecords, rebaseQuantities, skusOfPlan } from "./plan/staleness.js";
import { compareCodePoints } from "./sort.js";
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
  /** `--base <git-ref>`: quantities the file changed since that commit are applied as changes. */
  readonly base?: BaseOptions;
  /** Things said once, to the operator (the CLI writes them on stderr). */
  readonly onNotice?: (message: string) => void;
  /** `--skip-unknown-skus`: plan the rest, leaving out (and reporting) SKUs the catalog lacks. */
  readonly skipUnknownSkus?: boolean;
}

export interface BaseOptions {
  readonly ref: string;
  /** Read and plan only the SKUs whose entries changed since the base. */
  readonly changedOnly?: boolean;
  /** Delete what the file declared at the base and no longer declares (with the usual consent). */
  readonly prune?: boolean;
}

export interface PlanOutcome {
  readonly plan: Plan;
  readonly desired: DesiredState;
  readonly live: LiveState;
}

export async function plan(options: PlanOptions): Promise<PlanOutcome> {
  // The base is read first: a bad ref or a missing git stops the plan before any request.
  const base = options.base ? readBase(options, options.base) : undefined;
  // The store is read while the file is parsed: reads start once the main file is sound,
  // and a file that declares most of the store starts the scan of its source items early
  // (not with --changed-only, which reads only what changed).
  let read: LiveRead | undefined;
  const changedOnly = base?.options.changedOnly ?? false;
  const head = await loadInventoryAsync(options.file, {
    cwd: options.cwd,
    onProgress: (progress) => {
      if (changedOnly) return;
      if (progress.phase === "main-file-valid") read = startLiveRead(options.client, options.onProgress);
      else read?.declared(progress.rows);
    },
  });
  const skus = base ? skusWithBase(head, base) : new Set<string>(head.products.keys());
  if (!changedOnly) for (const move of head.moves) for (const sku of move.skus) skus.add(sku);
  // The catalog is read alongside the rest of the store; if a later check fails first, nobody awaits it.
  const catalog = readCatalogIfAllowed(options.client, skus);
  catalog.catch(() => {});

  const [live, websites] = await Promise.all([
    (read ?? startLiveRead(options.client, options.onProgress)).finish(skus),
    needsWebsiteCodes(head) ? readWebsiteCodes(options.client) : Promise.resolve(new Set<string>()),
  ]);
  // With a base, the file's quantities become the targets its changes since imply.
  const rebased = base ? rebase(head, base.state, live, base.options) : undefined;
  const declared = rebased?.desired ?? head;
  const store = { desired: declared, live, websites: websites ?? "unreadable" } as const;
  const problems = checkAgainstLive(store);
  // What the file says that is accepted with a warning (a quantity below 0), with where it says it.
  const warnings = [...(head.warnings ?? []).map(formatProblem), ...liveWarnings(store)];
  if (problems.length > 0) throw new InventoryFileError(problems);

  // Skipping needs the catalog before the diff; otherwise the diff runs while it is read.
  const skipping = options.skipUnknownSkus === true || head.skipUnknownSkus === true;
  const earlyCatalog = skipping ? await catalog : undefined;
  const skipped = earlyCatalog instanceof Map ? unknownSkus(declared, earlyCatalog) : [];
  const desired = withoutSkus(declared, skipped);
  const result = base ? markBaseChanges(diff(desired, live), head, base.state, rebased!) : diff(desired, live);
  const catalogRead = await catalog;
  const context = {
    ...store,
    desired,
    catalog: catalogRead instanceof Map ? catalogRead : new Map<string, CatalogEntry>(),
  };
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
    ...(desired.scope ? { scope: { sources: [...desired.scope.sources].sort(compareCodePoints) } } : {}),
    ...(skipping ? { skipped } : {}),
    bulk: { assignmentOnly: assignmentOnlySkus(desired), inCatalog: stockHoldingSkus(context.catalog) },
    ...(base && rebased ? { base: { base: planBase(base, rebased), movement: rebased.movement } } : {}),
  });
  if (rebased) noticeNoLongerDeclared(rebased, options.onNotice);
  if (skipped.length > 0) options.onNotice?.(describeSkipped(skipped));
  return { plan: outcome, desired, live };
}

// --- the base ----------------------------------------------------------------------------

interface ReadBase {
  readonly options: Required<BaseOptions>;
  readonly ref: string;
  readonly commit: string;
  readonly state: DesiredState;
}

/** The file as it was at the base; a file absent there means everything in it is new. */
function readBase(options: PlanOptions, base: BaseOptions): ReadBase {
  const { commit, state, mainFileAbsent } = loadBase(options.file, base.ref, options.cwd);
  if (mainFileAbsent)
    options.onNotice?.(
      `${options.file} did not exist at ${base.ref} (${commit.slice(0, 12)}): everything in it is new.`,
    );
  const settings = { ref: base.ref, changedOnly: base.changedOnly ?? false, prune: base.prune ?? false };
  return { options: settings, ref: base.ref, commit, state };
}

/** The SKUs a plan with a base reads: all the file declares, or (--changed-only) what changed. */
function skusWithBase(head: DesiredState, base: ReadBase): Set<string> {
  if (base.options.changedOnly) return changedSkus(head, base.state, base.options);
  const skus = new Set<string>(head.products.keys());
  if (base.options.prune) for (const sku of base.state.products.keys()) skus.add(sku);
  return skus;
}

function planBase(base: ReadBase, rebased: Rebased): PlanBase {
  return {
    ref: base.ref,
    commit: base.commit,
    files: base.state.files,
    changed_only: base.options.changedOnly,
    no_longer_declared: rebased.noLongerDeclared,
    pruned: base.options.prune,
  };
}

function noticeNoLongerDeclared(rebased: Rebased, onNotice: PlanOptions["onNotice"]): void {
  const { stocks, skus } = rebased.noLongerDeclared;
  const parts = [
    ...(stocks.length > 0 ? [`${plural(stocks.length, "stock")} (${listSome(stocks.map((s) => `"${s}"`))})`] : []),
    ...(skus.length > 0 ? [`${plural(skus.length, "SKU")} (${listSome(skus)})`] : []),
  ];
  if (parts.length === 0) return;
  onNotice?.(
    `The file declared ${parts.join(" and ")} at the base and no longer does; inv no longer manages them and leaves them as they are. Plan with --prune to delete them.`,
  );
}

function listSome(items: readonly string[]): string {
  return items.length > 5 ? `${items.slice(0, 5).join(", ")}, ...` : items.join(", ");
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
  /** --rollback-out: the saved plan that undoes the apply, written before the first call and as calls complete. */
  readonly rollback?: RollbackOutput;
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
  /** The store before the apply, as read for the plan or its staleness check (the rollback starts from it). */
  readonly live: LiveState;
  /** SHA-256 of the saved plan applied; null when planned from the file. */
  readonly planSha256: string | null;
  /** Called once the apply has sent a write the store accepted: done, or stopped partway. */
  readonly onWritten?: (outcome: "done" | "partial") => void;
}

/** Plans from the file, then applies that plan; verified by planning again, which must be empty. */
export async function apply(options: PlanOptions & ConsentOptions): Promise<ApplyOutcome> {
  const { plan: planned, desired, live } = await plan(options);
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
      live,
      planSha256: null,
    },
    options,
  );
}

export interface SavedPlanOptions extends ConsentOptions {
  readonly planFile: string;
  readonly client: MagentoClient;
  /** Things said once, to the operator (the CLI writes them on stderr). */
  readonly onNotice?: (message: string) => void;
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
  const { plan: saved, sha256 } = readSavedPlan(options.planFile);
  const here = { url: options.client.displayUrl, store_code: options.client.storeCode };
  if (saved.store.url !== here.url || saved.store.store_code !== here.store_code) {
    throw new PlanFileError(
      `The saved plan was made for ${saved.store.url} (store ${saved.store.store_code}), not ${here.url} (store ${here.store_code}).`,
      "Apply it to the store it was made for, or make a new plan for this one.",
    );
  }
  const shown = options.shownPlanFile ?? options.planFile;
  if (saved.applied) {
    throw new PlanAppliedError(
      `${shown} was applied already (${saved.applied.outcome === "partial" ? "in part, " : ""}at ${saved.applied.at}); a saved plan is applied once, as its quantity changes would otherwise count twice. Nothing was sent.`,
      "Run `inv plan` again (with the same --base) and apply the new plan: it holds what is left to do.",
    );
  }
  // Nothing in a plan file is trusted as an action: its changes must be the ones its files
  // give, and its calls the ones its changes give.
  // A rollback plan has no files of its own: it was derived from an apply, and its calls from its changes.
  if (saved.basis.rollback_of === undefined)
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
  let current = saved;
  let before: LiveState = { sources: new Map(), stocks: new Map(), sourceItems: new Map() };
  if (saved.changes.length > 0) {
    before = await readLiveState(options.client, { skus: skusOfPlan(saved) });
    // A plan made with a base applies its quantities as changes, so orders since do not make it stale.
    const { plan: rebased, rebased: count, applied } = rebaseQuantities(saved, before);
    const stale = findStaleRecords(rebased, before);
    const rollback = saved.basis.rollback_of !== undefined;
    if (stale.length > 0)
      throw new StalePlanError(stale, rollback ? STALE_ROLLBACK : applied > 0 ? alreadyApplied(applied) : undefined);
    if (count > 0) {
      options.onNotice?.(
        `Rebased ${count} quantity change${count === 1 ? "" : "s"} on the orders since the plan: each writes the ` +
          "store's quantity now plus the change the file made.",
      );
      current = rebased;
    }
  }
  // Once anything of it was written, the plan file says so: a plan applied twice would add its
  // quantity changes twice where they rebase (a --base plan), so it is applied once.
  const markApplied = (outcome: "done" | "partial") =>
    writePlanFile(options.planFile, { ...saved, applied: { at: new Date().toISOString(), outcome } });
  return applyPlan(
    {
      onWritten: markApplied,
      plan: current,
      calls: current === saved ? calls : deriveCalls(current),
      // The reviewed file's policy travels in the plan, so it consents (and limits) here as it does for `inv apply`.
      policy: saved.policy,
      verification: {
        records: (after, report) => afterValueDifferences(current, after, report.created_stock_ids),
        priorities: (report) => expectedFromPlan(current, report),
      },
      live: before,
      planSha256: sha256,
    },
    options,
  );
}

function alreadyApplied(records: number): string {
  return (
    `${records} of these record${records === 1 ? "" : "s"} already hold${records === 1 ? "s" : ""} exactly what the plan writes: ` +
    "it looks applied already, and applying it again would add its changes twice. Nothing was applied. " +
    "Run `inv plan --base <the applied commit>` to see what is left to do."
  );
}

const STALE_ROLLBACK =
  "Nothing was applied. These records changed since the apply (an order shipped counts), and the rollback puts back " +
  "exact values, so it would overwrite that: put them right with an inventory file instead (`inv plan`, `inv apply`).";

async function applyPlan(
  prepared: PreparedApply,
  options: ConsentOptions & { client: MagentoClient },
): Promise<ApplyOutcome> {
  const { plan: planned } = prepared;
  if (planned.changes.length === 0) return { plan: planned, report: null, cancelled: false };
  checkSafety(planned.changes, effectivePolicy(prepared.policy, options));
  checkUnchecked(planned.unchecked ?? [], options.allowUnchecked ?? false);
  if (options.confirm && !(await options.confirm(planned))) return { plan: planned, report: null, cancelled: true };
  const recorder = options.rollback
    ? new RollbackRecorder(options.rollback, {
        plan: planned,
        calls: prepared.calls,
        live: prepared.live,
        planSha256: prepared.planSha256,
      })
    : undefined;
  recorder?.start();
  const journal =
    recorder || options.journal
      ? (entry: JournalEntry) => {
          // Both records are written even when one fails; the apply then stops on the first failure.
          let failure: unknown;
          for (const write of [options.journal, recorder && ((e: JournalEntry) => recorder.record(e))]) {
            try {
              write?.(entry);
            } catch (caught) {
              failure ??= caught;
            }
          }
          if (failure !== undefined) throw failure;
        }
      : undefined;
  const { report, error } = await executePlan(
    { changes: planned.changes, calls: prepared.calls },
    {
      client: options.client,
      ...(options.onApplyEvent ? { onEvent: options.onApplyEvent } : {}),
      ...(journal ? { journal } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
    },
  );
  if (recorder) {
    if (error) await recorder.settle(options.client);
    try {
      recorder.finish();
    } catch (writeError) {
      // After a failed apply its error is the one to report; the file then still holds the rollback of the last write.
      if (!error) throw writeError;
    }
  }
  if (report.done > 0) prepared.onWritten?.(error ? "partial" : "done");
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
