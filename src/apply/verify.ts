// After an apply: the records it touched are read again, and a new plan for them must be
// empty. With the file at hand that is a real re-plan; for a saved plan, each change's
// `after` value is compared with the store.

import { changeAddress, type Change, type ItemState } from "../diff/changes.js";
import { diff } from "../diff/diff.js";
import { InvError, type ErrorCode } from "../errors.js";
import { sameChannels } from "../magento/equivalence.js";
import type { DesiredProduct, DesiredState, LiveState } from "../model.js";
import type { Plan } from "../plan/plan.js";

export class VerificationError extends InvError {
  readonly code: ErrorCode = "magento-api";

  constructor(readonly differences: readonly string[]) {
    super(
      "Every call succeeded, but reading the store again shows " +
        `${differences.length} difference${differences.length === 1 ? "" : "s"} from the plan:\n` +
        differences
          .slice(0, 50)
          .map((d) => `  ${d}`)
          .join("\n"),
      "Something else changed these records during the apply, or Magento rewrote them " +
        "(e.g. geocoding of coordinates). Run `inv plan` to see the store as it is now.",
    );
  }
}

/** A new plan of the declared objects against the store as it is after the apply. */
export function replanDifferences(desired: DesiredState, live: LiveState, touchedSkus: ReadonlySet<string>): string[] {
  const products = new Map<string, DesiredProduct>();
  for (const sku of touchedSkus) {
    const product = desired.products.get(sku);
    if (product) products.set(sku, product);
  }
  const { changes } = diff({ ...desired, products }, live);
  return changes.map(describeRemaining);
}

function describeRemaining(change: Change): string {
  return `${changeAddress(change)} still needs ${change.action}`;
}

/** Each change's after value, compared with the store (for saved plans, whose file may be gone). */
export function afterValueDifferences(
  plan: Plan,
  live: LiveState,
  createdStockIds: Readonly<Record<string, number>>,
): string[] {
  const differences: string[] = [];
  const stockId = (change: { stock_id: number | null; stock: string }) =>
    change.stock_id ?? createdStockIds[change.stock];
  for (const change of plan.changes) {
    const address = changeAddress(change);
    switch (change.kind) {
      case "source": {
        const current = live.sources.get(change.source);
        const wrong = change.changed.filter((f) => current?.fields[f] !== change.after[f]);
        if (!current || wrong.length > 0)
          differences.push(`${address}: ${current ? wrong.join(", ") : "missing"} not as planned`);
        break;
      }
      case "stock": {
        const id = stockId(change);
        const current = id !== undefined ? live.stocks.get(id) : undefined;
        if (change.action === "delete") {
          if (current) differences.push(`${address}: still exists`);
          break;
        }
        if (
          !current ||
          current.name !== change.after?.name ||
          !sameChannels(current.salesChannels, change.after.sales_channels)
        ) {
          differences.push(`${address}: not as planned`);
        }
        break;
      }
      case "link": {
        const id = stockId(change);
        const priority =
          id !== undefined ? live.stocks.get(id)?.links.find((l) => l.source === change.source)?.priority : undefined;
        if (priority !== change.after?.priority)
          differences.push(`${address}: priority ${priority ?? "none"}, planned ${change.after?.priority ?? "none"}`);
        break;
      }
      case "source-item": {
        const current = live.sourceItems.get(change.sku)?.find((i) => i.source === change.source) ?? null;
        if (!sameItem(current, change.after)) differences.push(`${address}: not as planned`);
        break;
      }
      case "move": {
        for (const sku of change.skus) {
          const origin = live.sourceItems.get(sku)?.find((i) => i.source === change.from);
          const moved = change.unassign_from_origin ? origin === undefined : origin?.quantity === 0;
          if (!moved) differences.push(`${address}: ${sku} is still at ${change.from}`);
        }
        break;
      }
    }
  }
  return differences;
}

function sameItem(a: ItemState | null, b: ItemState | null): boolean {
  if (a === null || b === null) return a === b;
  return a.quantity === b.quantity && a.status === b.status;
}
