// Safety rules checked before any call is sent: destroying needs its own consent, and a
// plan may not remove more than the limits the operator or the file set (exit code 6).

import { changeAddress, isDestructive, type Change } from "../diff/changes.js";
import { SafetyError, type RefusedChange } from "../errors.js";
import type { Plan } from "../plan/plan.js";

export interface SafetyLimits {
  /** --allow-destroy, or `policy: allow_destroy: true` in the file. */
  readonly allowDestroy: boolean;
  readonly maxUnassign: number | undefined;
  readonly maxUnitsRemoved: number | undefined;
}

export function checkSafety(plan: Plan, limits: SafetyLimits): void {
  const refused: RefusedChange[] = [];
  const reasons: string[] = [];
  if (!limits.allowDestroy) {
    const destructive = plan.changes.filter(isDestructive);
    for (const change of destructive) refused.push({ change: changeAddress(change), reason: destroyReason(change) });
    if (destructive.length > 0)
      reasons.push(`${destructive.length} destructive change${destructive.length === 1 ? "" : "s"} without consent`);
  }
  const unassigns = plan.changes.filter(
    (c) => c.kind === "source-item" && c.action === "delete" && c.via_move === undefined,
  );
  if (limits.maxUnassign !== undefined && unassigns.length > limits.maxUnassign) {
    reasons.push(`${unassigns.length} source items to unassign, above the limit of ${limits.maxUnassign}`);
    refused.push(
      ...unassigns
        .filter((c) => !refused.some((r) => r.change === changeAddress(c)))
        .map((c) => ({ change: changeAddress(c), reason: `over the unassign limit (${limits.maxUnassign})` })),
    );
  }
  const removed = plan.summary.units_by_source.reduce((sum, row) => sum + row.removed, 0);
  if (limits.maxUnitsRemoved !== undefined && removed > limits.maxUnitsRemoved) {
    reasons.push(`${removed} units removed, above the limit of ${limits.maxUnitsRemoved}`);
    for (const row of plan.summary.units_by_source.filter((r) => r.removed > 0)) {
      refused.push({
        change: `source ${row.name}`,
        reason: `removes ${row.removed} units (limit ${limits.maxUnitsRemoved} in all)`,
      });
    }
  }
  if (reasons.length === 0) return;
  throw new SafetyError(
    `Refused to apply: ${reasons.join("; ")}. Nothing was written to the store.`,
    refused,
    "Review the plan; if it is what you want, pass --allow-destroy (or set policy: " +
      "allow_destroy: true in the file), or raise --max-unassign / --max-units-removed.",
  );
}

function destroyReason(change: Change): string {
  switch (change.kind) {
    case "source-item":
      return `unassigns ${change.before?.quantity ?? 0} units (Magento deletes the quantity with the assignment)`;
    case "link":
      return "deletes a stock-source link";
    case "stock":
      return "deletes a stock";
    default:
      return "destroys data";
  }
}
