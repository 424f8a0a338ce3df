// The plan: a plain, versioned, serialisable value. `inv plan --format json` prints it and
// `inv plan --out` saves it; both are the same document, read back by `inv apply plan.json`.

import type { Change } from "../diff/changes.js";
import type { DiffResult } from "../diff/diff.js";
import type { Movement } from "../diff/three-way.js";
import { changesTopology, type PlanTopology } from "../diff/topology.js";
import type { SkippedSku } from "../inventory/skip-unknown.js";
import type { InventoryFileInfo, LiveState, SafetyPolicy } from "../model.js";
import type { ReservationWarning } from "../state/read-salable.js";
import {
  bulkCandidatesOf,
  recordBulkCandidates,
  type BulkCandidates,
  type RecordedBulkCandidates,
} from "./calls/bulk-groups.js";
import type { PlannedCall } from "./calls/call.js";
import { planCalls } from "./calls/derive-calls.js";
import { summarize, type PlanSummary } from "./summary.js";
import type { UncheckedRead } from "./unchecked.js";

/**
 * 2: calls carry their `kind`, and `inv apply plan.json` derives them again from the
 * changes; a version-1 plan (calls without kinds, trusted as written) is refused.
 */
export const PLAN_FORMAT_VERSION = 2;

export interface GitInfo {
  readonly commit: string;
  /** The working tree had changes that are not committed. */
  readonly dirty: boolean;
}

export interface PlanBasis {
  readonly files: readonly InventoryFileInfo[];
  readonly git: GitInfo | null;
  /** Set on a rollback plan (src/plan/rollback.ts), which has no inventory files of its own: the apply it undoes. */
  readonly rollback_of?: RollbackOf;
}

/** The apply a rollback plan undoes, and how far it had got when the rollback was written. */
export interface RollbackOf {
  /** SHA-256 of the saved plan that was applied; null when the apply planned from the inventory files. */
  readonly plan_sha256: string | null;
  /** The inventory files the applied plan was made from. */
  readonly files: readonly InventoryFileInfo[];
  /** When the apply sent its first call (ISO 8601). */
  readonly started_at: string;
  readonly calls_total: number;
  /** Calls the store accepted, as far as the rollback knows. */
  readonly calls_done: number;
  /** false while the apply was still running: a call may have been in flight. */
  readonly finished: boolean;
}

/**
 * The file as the store was last brought to it (`--base <git-ref>`): quantities the file
 * changed since are applied as changes, and the rest are the store's (docs: README
 * "Quantities: the file and the store's orders").
 */
export interface PlanBase {
  readonly ref: string;
  readonly commit: string;
  /** The inventory files at the base, with their hashes; empty when the main file was not there. */
  readonly files: readonly InventoryFileInfo[];
  /** Only SKUs whose entries changed since the base were read (`--changed-only`). */
  readonly changed_only: boolean;
  /** What the file declared at the base and no longer does: deleted with `--prune`, else left and listed. */
  readonly no_longer_declared: { readonly stocks: readonly string[]; readonly skus: readonly string[] };
  readonly pruned: boolean;
}

export interface ReindexAdvice {
  readonly reasons: readonly string[];
  readonly commands: readonly string[];
}

export interface Plan {
  readonly format_version: typeof PLAN_FORMAT_VERSION;
  readonly inv_version: string;
  readonly created_at: string;
  /** Where the plan was computed; never credentials. */
  readonly store: { readonly url: string; readonly store_code: string };
  readonly basis: PlanBasis;
  /**
   * The file's `policy:` (consent and limits), so `inv apply plan.json` honours it as `inv apply`
   * does; the document spells it as the file does (`allow_destroy`, plan-file.ts).
   */
  readonly policy: SafetyPolicy;
  /** The file's `scope:`: the only sources the plan compares and writes source items at; absent: every source. */
  readonly scope?: PlanScope;
  /** With --skip-unknown-skus: the SKUs left out because the catalog lacks them (possibly none); absent without it. */
  readonly skipped?: readonly SkippedSku[];
  readonly batch_size: number;
  /** SKUs of the changes that bulk assign and unassign may carry (seed 002); absent: none. */
  readonly bulk_candidates?: RecordedBulkCandidates;
  /** Every change, in plan order; each `before` is the live value the plan was computed from. */
  readonly changes: readonly Change[];
  /** Derived from the changes (deriveCalls), never trusted from a file. */
  readonly calls: readonly PlannedCall[];
  readonly summary: PlanSummary;
  readonly warnings: readonly string[];
  /** Unassignments that would strand reservations of open orders (read from salable quantities). */
  readonly reservation_warnings: readonly ReservationWarning[];
  readonly reindex: ReindexAdvice | null;
  /** Set in a saved plan once `inv apply plan.json` wrote any of it: a saved plan is applied once. */
  readonly applied?: { readonly at: string; readonly outcome: "done" | "partial" };
  /** With `--base`: the base, and the quantities orders moved since (reported, never planned). */
  readonly base?: PlanBase;
  readonly movement?: readonly Movement[];
  /** Stocks, channels and links before and after; only when links or stocks change. */
  readonly topology?: PlanTopology;
  /**
   * Checks the plan could not make that its writes depend on; absent: none. `inv apply` refuses them without consent.
   */
  readonly unchecked?: readonly UncheckedRead[];
}

export interface PlanScope {
  readonly sources: readonly string[];
}

export interface BuildPlanInput {
  readonly diff: DiffResult;
  readonly live: LiveState;
  readonly batchSize: number;
  readonly store: Plan["store"];
  readonly basis: PlanBasis;
  readonly createdAt: string;
  readonly invVersion: string;
  readonly warnings?: readonly string[];
  readonly reservationWarnings?: readonly ReservationWarning[];
  readonly checked: PlanSummary["checked"];
  /** The file's safety policy; none when not given. */
  readonly policy?: SafetyPolicy;
  readonly scope?: PlanScope;
  readonly skipped?: readonly SkippedSku[];
  readonly base?: { readonly base: PlanBase; readonly movement: readonly Movement[] };
  /** Which SKUs bulk assign and unassign may carry (seed 002); none without it. */
  readonly bulk?: BulkCandidates;
  readonly unchecked?: readonly UncheckedRead[];
}

export function buildPlan(input: BuildPlanInput): Plan {
  const changes = input.diff.changes;
  const bulk = recordBulkCandidates(changes, input.bulk);
  const calls = deriveCalls({ changes, batch_size: input.batchSize, ...(bulk ? { bulk_candidates: bulk } : {}) });
  return {
    format_version: PLAN_FORMAT_VERSION,
    inv_version: input.invVersion,
    created_at: input.createdAt,
    store: input.store,
    basis: input.basis,
    policy: input.policy ?? { allowDestroy: false, maxUnassign: undefined, maxUnitsRemoved: undefined },
    ...(input.scope ? { scope: input.scope } : {}),
    ...(input.skipped ? { skipped: input.skipped } : {}),
    batch_size: input.batchSize,
    ...(bulk ? { bulk_candidates: bulk } : {}),
    changes,
    calls,
    summary: summarize(changes, input.diff, input.live, calls.length, input.checked),
    warnings: input.warnings ?? [],
    reservation_warnings: input.reservationWarnings ?? [],
    reindex: reindexAdvice(changes),
    ...(input.base ? { base: input.base.base, movement: input.base.movement } : {}),
    ...(changesTopology(changes) ? { topology: input.diff.topology } : {}),
    ...(input.unchecked && input.unchecked.length > 0 ? { unchecked: input.unchecked } : {}),
  };
}

/**
 * The calls a plan's changes imply, with the batch size and bulk candidates it recorded: at
 * plan time, and again when a saved plan is applied, which refuses a plan whose calls differ.
 */
export function deriveCalls(plan: Pick<Plan, "changes" | "batch_size" | "bulk_candidates">): PlannedCall[] {
  const bulk = bulkCandidatesOf(plan.bulk_candidates);
  return planCalls(plan.changes, { batchSize: plan.batch_size, ...(bulk ? { bulk } : {}) });
}

/**
 * Link and stock changes leave Magento's `inventory` index invalid until a reindex
 * (docs/magento/msi-rest.md#stock-source-links, seed 004: "This is required!"); source-item changes on stores with the
 * async indexer strategy wait for it too. The page cache holds stock status until flushed.
 */
export function reindexAdvice(changes: readonly Change[]): ReindexAdvice | null {
  const reasons = new Set<string>();
  for (const change of changes) {
    if (change.kind === "link") reasons.add("stock-source links changed");
    if (change.kind === "stock") reasons.add("stocks changed");
    if (change.kind === "source-item" || change.kind === "move") reasons.add("source items changed");
    if (change.kind === "source" && change.action === "update" && change.changed.includes("enabled"))
      reasons.add("a source was enabled or disabled");
  }
  if (reasons.size === 0) return null;
  return { reasons: [...reasons], commands: ["bin/magento indexer:reindex inventory", "bin/magento cache:flush"] };
}
