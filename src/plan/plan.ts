// The plan: a plain, versioned, serialisable value. `inv plan --format json` prints it and
// `inv plan --out` saves it; both are the same document, read back by `inv apply plan.json`.

import type { Change } from "../diff/changes.js";
import type { DiffResult } from "../diff/diff.js";
import type { InventoryFileInfo, LiveState, SafetyPolicy } from "../model.js";
import type { ReservationWarning } from "../state/read-salable.js";
import { planCalls, type BulkCandidates, type PlannedCall } from "./calls.js";
import { summarize, type PlanSummary } from "./summary.js";
import { changesTopology, topologyAfter, topologyOf, type PlanTopology } from "./topology.js";

export const PLAN_FORMAT_VERSION = 1;

export interface GitInfo {
  readonly commit: string;
  /** The working tree had changes that are not committed. */
  readonly dirty: boolean;
}

export interface PlanBasis {
  readonly files: readonly InventoryFileInfo[];
  readonly git: GitInfo | null;
}

/** The file's `policy:` (consent and limits), so `inv apply plan.json` honours it as `inv apply` does. */
export interface PlanPolicy {
  readonly allow_destroy: boolean;
  readonly max_unassign: number | null;
  readonly max_units_removed: number | null;
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
  readonly policy: PlanPolicy;
  readonly batch_size: number;
  /** Every change, in plan order; each `before` is the live value the plan was computed from. */
  readonly changes: readonly Change[];
  readonly calls: readonly PlannedCall[];
  readonly summary: PlanSummary;
  readonly warnings: readonly string[];
  /** Unassignments that would strand reservations of open orders (read from salable quantities). */
  readonly reservation_warnings: readonly ReservationWarning[];
  readonly reindex: ReindexAdvice | null;
  /** Stocks, channels and links before and after; only when links or stocks change. */
  readonly topology?: PlanTopology;
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
  /** Which SKUs bulk assign and unassign may carry (seed 002); none without it. */
  readonly bulk?: BulkCandidates;
}

export function buildPlan(input: BuildPlanInput): Plan {
  const changes = input.diff.changes;
  const calls = planCalls(changes, { batchSize: input.batchSize, ...(input.bulk ? { bulk: input.bulk } : {}) });
  return {
    format_version: PLAN_FORMAT_VERSION,
    inv_version: input.invVersion,
    created_at: input.createdAt,
    store: input.store,
    basis: input.basis,
    policy: {
      allow_destroy: input.policy?.allowDestroy ?? false,
      max_unassign: input.policy?.maxUnassign ?? null,
      max_units_removed: input.policy?.maxUnitsRemoved ?? null,
    },
    batch_size: input.batchSize,
    changes,
    calls,
    summary: summarize(changes, input.diff, input.live, calls.length, input.checked),
    warnings: input.warnings ?? [],
    reservation_warnings: input.reservationWarnings ?? [],
    reindex: reindexAdvice(changes),
    ...(changesTopology(changes)
      ? { topology: { before: topologyOf(input.live), after: topologyAfter(input.live, changes) } }
      : {}),
  };
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

export function hasChanges(plan: Plan): boolean {
  return plan.changes.length > 0;
}
