// The programmatic API: plan() and apply(), which the CLI and the tests both call.
// load file -> validate -> read live state -> diff -> plan -> (render | apply -> verify)

import { dirname, resolve } from "node:path";
import { checkSafety } from "./apply/guards.js";
import { executePlan, type ApplyEvent, type JournalEntry } from "./apply/execute.js";
import { PartialApplyError, type ApplyReport } from "./apply/report.js";
import { afterValueDifferences, replanDifferences, VerificationError } from "./apply/verify.js";
import { expectedFromFile, expectedFromPlan, priorityDifferences } from "./apply/verify-priority.js";
import { diff } from "./diff/diff.js";
import { InventoryFileError, PlanFileError, StalePlanError, type Problem } from "./errors.js";
import { loadInventoryAsync } from "./inventory/load-inventory.js";
import { checkAgainstLive } from "./inventory/rules.js";
import type { MagentoClient } from "./magento/client.js";
import type { DesiredState, LiveState } from "./model.js";
import { invVersion } from "./package-files.js";
import { readGitInfo } from "./plan/git.js";
import { readPlanFile } from "./plan/plan-file.js";
import { buildPlan, type GitInfo, type Plan } from "./plan/plan.js";
import { findStaleRecords, skusOfPlan } from "./plan/staleness.js";
import { readCatalog, STOCK_HOLDING_TYPES, type CatalogEntry } from "./state/read-catalog.js";
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
  const catalog = readCatalog(options.client, skus);
  catalog.catch(() => {});

  const [live, websites] = await Promise.all([
    (read ?? startLiveRead(options.client, options.onProgress)).finish(skus),
    hasWebsiteChannels(desired) ? readWebsiteCodes(options.client) : Promise.resolve(undefined),
  ]);
  const warnings: string[] = [];
  const problems: Problem[] = [...checkAgainstLive(desired, live), ...websiteProblems(desired, websites)];
  if (hasWebsiteChannels(desired) && websites === undefined) {
    warnings.push(
      "Website codes were not checked: the credentials may not read V1/store/websites (Magento_Backend::store).",
    );
  }
  if (problems.length > 0) throw new InventoryFileError(problems);

  const result = diff(desired, live);
  const catalogSkus = checkCatalog(desired, await catalog);
  const reservations = await checkReservations(
    options.client,
    live,
    unassignedItems(result.changes),
    (sku) => result.affectedSkus.get(sku)?.after ?? live.sourceItems.get(sku) ?? [],
  );
  warnings.push(...reservationWarningLines(reservations));

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
    checked: { sources: desired.sources.size, stocks: desired.stocks.size, products: desired.products.size },
    policy: desired.safety,
    bulk: { assignmentOnly: assignmentOnlySkus(desired), inCatalog: catalogSkus },
  });
  return { plan: outcome, desired, live };
}

/** Products whose file manages their assignment only: the list form, or `quantities: ignore`. */
function assignmentOnlySkus(desired: DesiredState): Set<string> {
  const skus = new Set<string>();
  for (const product of desired.products.values()) {
    if (product.quantities === "ignore" || product.assignments.every((a) => a.quantity === undefined))
      skus.add(product.sku);
  }
  return skus;
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
      `Reservations were not checked for ${check.unchecked.length} ` +
        `product${check.unchecked.length === 1 ? "" : "s"} (salable quantity ` +
        `unreadable): ${check.unchecked.slice(0, 5).join("; ")}${check.unchecked.length > 5 ? "; ..." : ""}`,
    );
  }
  if (check.skipped > 0)
    lines.push(
      `Reservations were checked for the ${MAX_SALABLE_READS} ` +
        `largest unassignments only; ${check.skipped} more were not checked.`,
    );
  return lines;
}

function hasWebsiteChannels(desired: DesiredState): boolean {
  return [...desired.stocks.values()].some((s) => s.salesChannels?.some((c) => c.type === "website"));
}

function websiteProblems(desired: DesiredState, websites: ReadonlySet<string> | undefined): Problem[] {
  if (!websites) return [];
  const problems: Problem[] = [];
  for (const stock of desired.stocks.values()) {
    for (const channel of stock.salesChannels ?? []) {
      if (channel.type === "website" && !websites.has(channel.code.toLowerCase())) {
        problems.push({
          origin: stock.origin,
          rule: "unknown-website",
          message:
            `stock "${stock.name}" sells on website "${channel.code}", which does not ` +
            `exist in the store ("The website with code "${channel.code}" does not exist.").`,
        });
      }
    }
  }
  return problems;
}

/**
 * Magento accepts source items for SKUs that are not in the catalog or whose type cannot
 * hold stock, so inv checks every SKU the file declares (and every SKU a move names) and
 * refuses the plan naming each one. A SKU declared with no sources at all is allowed: that
 * is how a file clears the source items a deleted product left behind. Returns the SKUs the
 * catalog holds as stock-holding products, spelled as stored (bulk calls need them).
 */
function checkCatalog(desired: DesiredState, catalog: ReadonlyMap<string, CatalogEntry>): ReadonlySet<string> {
  const known = new Set<string>();
  const problems: Problem[] = [];
  for (const [sku, entry] of catalog) {
    if (entry.found && STOCK_HOLDING_TYPES.has(entry.typeId) && entry.sku === sku) {
      known.add(sku);
      continue;
    }
    const product = desired.products.get(sku);
    const move = desired.moves.find((m) => m.skus.includes(sku));
    if (!move && (!product || product.assignments.length === 0)) continue;
    const origin = (product ?? move)!.origin;
    if (!entry.found) {
      problems.push({
        origin,
        rule: "unknown-sku",
        message:
          `product "${sku}" is not in the store's catalog; Magento would keep its source ` +
          "items anyway, but they could never be sold. Create the product first, or remove it.",
      });
    } else if (!STOCK_HOLDING_TYPES.has(entry.typeId)) {
      problems.push({
        origin,
        rule: "product-type",
        message:
          `product "${sku}" is a ${entry.typeId} product, which has no source ` +
          "items of its own in Magento; assign sources to its simple products instead.",
      });
    } else {
      problems.push({
        origin,
        rule: "sku-case",
        message:
          `product "${sku}" is stored as "${entry.sku}" in the catalog; ` +
          `Magento compares SKUs without case. Write it as "${entry.sku}".`,
      });
    }
  }
  if (problems.length > 0) throw new InventoryFileError(problems);
  return known;
}

// --- apply -------------------------------------------------------------------------------

export interface ConsentOptions {
  /** --allow-destroy; the file's `policy: allow_destroy` counts too. */
  readonly allowDestroy?: boolean;
  readonly maxUnassign?: number;
  readonly maxUnitsRemoved?: number;
  /** Asked once the plan is known and safe; resolve false to cancel. Absent: no confirmation needed (--yes). */
  readonly confirm?: (plan: Plan) => Promise<boolean>;
  readonly journal?: (entry: JournalEntry) => void;
  readonly onApplyEvent?: (event: ApplyEvent) => void;
  /** Called with the plan before anything is sent (the CLI prints it). */
  readonly onPlan?: (plan: Plan) => void;
}

export interface ApplyOutcome {
  readonly plan: Plan;
  /** null when there was nothing to do or the operator cancelled. */
  readonly report: ApplyReport | null;
  readonly cancelled: boolean;
}

export async function apply(options: PlanOptions & ConsentOptions): Promise<ApplyOutcome> {
  const { plan: planned, desired } = await plan(options);
  options.onPlan?.(planned);
  if (planned.changes.length === 0) return { plan: planned, report: null, cancelled: false };
  checkSafety(planned, {
    allowDestroy: (options.allowDestroy ?? false) || desired.safety.allowDestroy,
    maxUnassign: minDefined(options.maxUnassign, desired.safety.maxUnassign),
    maxUnitsRemoved: minDefined(options.maxUnitsRemoved, desired.safety.maxUnitsRemoved),
  });
  if (options.confirm && !(await options.confirm(planned))) return { plan: planned, report: null, cancelled: true };
  const report = await run(planned, options);
  const touched = skusOfPlan(planned);
  const after = await readLiveState(options.client, { skus: touched });
  const differences = replanDifferences(desired, after, touched);
  // Then Magento's priority view of every stock whose links changed (seed 003).
  if (differences.length === 0)
    differences.push(...(await priorityDifferences(options.client, expectedFromFile(desired, planned, report))));
  if (differences.length > 0) throw new VerificationError(differences);
  return { plan: planned, report, cancelled: false };
}

export interface SavedPlanOptions extends ConsentOptions {
  readonly planFile: string;
  readonly client: MagentoClient;
}

/** Applies a reviewed plan exactly, after checking that the store still holds its `before` values. */
export async function applySavedPlan(options: SavedPlanOptions): Promise<ApplyOutcome> {
  const saved = readPlanFile(options.planFile);
  const here = { url: options.client.displayUrl, store_code: options.client.storeCode };
  if (saved.store.url !== here.url || saved.store.store_code !== here.store_code) {
    throw new PlanFileError(
      `The saved plan was made for ${saved.store.url} (store ` +
        `${saved.store.store_code}), not ${here.url} (store ${here.store_code}).`,
      "Apply it to the store it was made for, or make a new plan for this one.",
    );
  }
  options.onPlan?.(saved);
  if (saved.changes.length === 0) return { plan: saved, report: null, cancelled: false };
  const touched = skusOfPlan(saved);
  const before = await readLiveState(options.client, { skus: touched });
  const stale = findStaleRecords(saved, before);
  if (stale.length > 0) throw new StalePlanError(stale);
  // The reviewed file's policy travels in the plan, so it consents (and limits) here as it does for `inv apply`.
  const policy = saved.policy;
  checkSafety(saved, {
    allowDestroy: (options.allowDestroy ?? false) || policy.allow_destroy,
    maxUnassign: minDefined(options.maxUnassign, policy.max_unassign ?? undefined),
    maxUnitsRemoved: minDefined(options.maxUnitsRemoved, policy.max_units_removed ?? undefined),
  });
  if (options.confirm && !(await options.confirm(saved))) return { plan: saved, report: null, cancelled: true };
  const report = await run(saved, options);
  const after = await readLiveState(options.client, { skus: touched });
  const differences = afterValueDifferences(saved, after, report.created_stock_ids);
  if (differences.length === 0)
    differences.push(...(await priorityDifferences(options.client, expectedFromPlan(saved, report))));
  if (differences.length > 0) throw new VerificationError(differences);
  return { plan: saved, report, cancelled: false };
}

async function run(planned: Plan, options: { client: MagentoClient } & ConsentOptions): Promise<ApplyReport> {
  const { report, error } = await executePlan(planned, {
    client: options.client,
    ...(options.onApplyEvent ? { onEvent: options.onApplyEvent } : {}),
    ...(options.journal ? { journal: options.journal } : {}),
  });
  if (error) throw new PartialApplyError(report, error);
  return report;
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
