// Safety rules checked before any call is sent: destroying needs its own consent, and a
// plan may not remove more than the limits the operator or the file set (exit code 6).

import {
  belowZero,
  changeAddress,
  isDestructive,
  unitsLostFromTransfer,
  unitsRemoved,
  unitsRunAgain,
  type Change,
} from "../diff/changes.js";
import { SafetyError, type RefusedChange } from "../errors.js";
import { roundQuantity } from "../magento/equivalence.js";
import type { SafetyPolicy } from "../model.js";
import { UNCHECKED_NAMES, type UncheckedRead } from "../plan/unchecked.js";
import { compareCodePoints } from "../sort.js";
import { plural } from "../words.js";

/**
 * What the operator's flags add to the file's policy: consent from either, and the lower of
 * each limit.
 */
export interface SafetyFlags {
  /** --allow-destroy. */
  readonly allowDestroy?: boolean;
  /** --allow-unchecked: go on with writes that depend on checks the plan could not make. */
  readonly allowUnchecked?: boolean;
  readonly maxUnassign?: number;
  readonly maxUnitsRemoved?: number;
  /** --allow-negative: a quantity change since the base may take a quantity below 0. */
  readonly allowNegative?: boolean;
}

export function effectivePolicy(file: SafetyPolicy, flags: SafetyFlags): SafetyPolicy {
  return {
    ...(flags.allowNegative ? { allowNegative: true } : {}),
    allowDestroy: (flags.allowDestroy ?? false) || file.allowDestroy,
    maxUnassign: lowest(flags.maxUnassign, file.maxUnassign),
    maxUnitsRemoved: lowest(flags.maxUnitsRemoved, file.maxUnitsRemoved),
  };
}

function lowest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/**
 * Computed from the changes themselves, never from a plan's summary: for a saved plan these
 * are the changes its files were shown to imply.
 */
export function checkSafety(changes: readonly Change[], limits: SafetyPolicy): void {
  const refused: RefusedChange[] = [];
  const reasons: string[] = [];
  if (!limits.allowDestroy) {
    const destructive = changes.filter(isDestructive);
    for (const change of destructive) refused.push({ change: changeAddress(change), reason: destroyReason(change) });
    if (destructive.length > 0)
      reasons.push(`${destructive.length} destructive change${destructive.length === 1 ? "" : "s"} without consent`);
  }
  const unassigns = changes.filter(
    (c) => c.kind === "source-item" && c.action === "delete" && c.via_move === undefined,
  );
  if (limits.maxUnassign !== undefined && unassigns.length > limits.maxUnassign) {
    reasons.push(`${plural(unassigns.length, "source item")} to unassign, above the limit of ${limits.maxUnassign}`);
    refused.push(
      ...unassigns
        .filter((c) => !refused.some((r) => r.change === changeAddress(c)))
        .map((c) => ({ change: changeAddress(c), reason: `over the unassign limit (${limits.maxUnassign})` })),
    );
  }
  const bySource = removedBySource(changes);
  const removed = roundQuantity([...bySource.values()].reduce((sum, units) => sum + units, 0));
  if (limits.maxUnitsRemoved !== undefined && removed > limits.maxUnitsRemoved) {
    reasons.push(`${plural(removed, "unit")} removed, above the limit of ${limits.maxUnitsRemoved}`);
    for (const [source, units] of [...bySource].sort(([a], [b]) => compareCodePoints(a, b))) {
      refused.push({
        change: `source ${source}`,
        reason: `removes ${plural(units, "unit")} (limit ${limits.maxUnitsRemoved} in all)`,
      });
    }
  }
  const negative = belowZero(changes);
  if (!limits.allowNegative && negative.length > 0) {
    reasons.push(
      `${negative.length} quantity change${negative.length === 1 ? "" : "s"} since the base would go below 0 (orders since sold more than the file took away)`,
    );
    for (const change of negative) {
      refused.push({
        change: changeAddress(change),
        reason: `${change.before?.quantity ?? 0} ${signed(change.delta ?? 0)} = ${change.after?.quantity ?? 0}`,
      });
    }
  }
  if (reasons.length === 0) return;
  throw new SafetyError(
    `Refused to apply: ${reasons.join("; ")}. Nothing was written to the store.`,
    refused,
    negative.length > 0 && reasons.length === 1
      ? "Review the plan; if a quantity below 0 is what you want (Magento sells it under backorders), pass --allow-negative; otherwise fix the file's quantity."
      : "Review the plan; if it is what you want, pass --allow-destroy (or set policy: allow_destroy: true in the file), or raise --max-unassign / --max-units-removed.",
  );
}

function signed(n: number): string {
  return n < 0 ? `- ${-n}` : `+ ${n}`;
}

/**
 * A write that depends on a check the plan could not make (website codes, the catalog,
 * salable quantities) is refused before the first call, unless the operator says to go on:
 * otherwise Magento may refuse it halfway through, or take what inv would have refused.
 */
export function checkUnchecked(unchecked: readonly UncheckedRead[], allowed: boolean): void {
  if (allowed || unchecked.length === 0) return;
  const names = unchecked.map((u) => UNCHECKED_NAMES[u.check]);
  throw new SafetyError(
    `Refused to apply: the plan could not check ${names.join(", ")}, which its writes depend on. Nothing was written to the store.`,
    unchecked.map((u) => ({ change: UNCHECKED_NAMES[u.check], reason: `not checked: ${u.reason}; ${u.writes}` })),
    "Give the credentials what they lack and plan again, or pass --allow-unchecked to apply without these checks.",
  );
}

/** Units leaving the store per source: unassigned or lowered; a transfer moves them, so it counts at neither end. */
function removedBySource(changes: readonly Change[]): Map<string, number> {
  const bySource = new Map<string, number>();
  for (const change of changes) {
    const units = unitsRemoved(change);
    if (units > 0 && change.kind === "source-item")
      bySource.set(change.source, roundQuantity((bySource.get(change.source) ?? 0) + units));
  }
  return bySource;
}

function destroyReason(change: Change): string {
  switch (change.kind) {
    case "source-item":
      return change.action === "delete"
        ? `unassigns ${plural(change.before?.quantity ?? 0, "unit")} (Magento deletes the quantity with the assignment)`
        : `lowers ${plural(unitsLostFromTransfer(change), "unit")} a transfer brought, which leave${unitsLostFromTransfer(change) === 1 ? "s" : ""} the store`;
    case "move":
      return `runs again: ${plural(unitsRunAgain(change), "unit")} at ${change.from} since (${change.to} already holds what the file declares for ${(change.runs_again ?? []).join(", ")})`;
    case "link":
      return "deletes a stock-source link";
    case "stock":
      return "deletes a stock";
    default:
      return "destroys data";
  }
}
