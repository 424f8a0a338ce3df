// Checks the plan could not make, where a write depends on them: the website codes when a
// stock is given a website (Magento refuses the stock save naming an unknown one,
// magento/inventory:InventorySales/Model/Stock/Validator/SalesChannelsValidator.php, and inv
// sends that save after the stock and its links), the catalog when source items are written
// (Magento saves them for any SKU, so only inv's own check stops a typo), and the salable
// quantities of a destructive unassignment (open orders' reservations). The plan records
// each; `inv apply` refuses before the first write unless the operator says to go on.

import type { Change } from "../diff/changes.js";

export type UncheckedKind = "website-codes" | "catalog" | "salable-quantities";

export interface UncheckedRead {
  readonly check: UncheckedKind;
  /** What could not be read, and why, in a sentence. */
  readonly reason: string;
  /** The writes that depend on it, in a clause. */
  readonly writes: string;
}

export const UNCHECKED_KINDS: readonly UncheckedKind[] = ["website-codes", "catalog", "salable-quantities"];

/** What each check is, in words. */
export const UNCHECKED_NAMES: Readonly<Record<UncheckedKind, string>> = {
  "website-codes": "website codes",
  catalog: "the catalog",
  "salable-quantities": "salable quantities",
};

export const WEBSITES_UNREADABLE = "the credentials may not read V1/store/websites (Magento_Backend::store)";

export interface UnreadableParts {
  /** Why the website codes could not be read, when they could not. */
  readonly websites?: string;
  /** Why the catalog could not be read, when it could not. */
  readonly catalog?: string;
  /** Product/stock pairs whose salable quantity could not be read, with Magento's reason. */
  readonly salable: readonly string[];
}

/** The unchecked reads the plan's changes depend on, in the order above. */
export function uncheckedReads(changes: readonly Change[], unreadable: UnreadableParts): UncheckedRead[] {
  const found: UncheckedRead[] = [];
  const assigned = websitesAssigned(changes);
  if (unreadable.websites !== undefined && assigned.length > 0)
    found.push({
      check: "website-codes",
      reason: unreadable.websites,
      writes: `${assigned.length === 1 ? "a stock save assigns" : "stock saves assign"} ${assigned.join("; ")}, which Magento refuses if a code does not exist, after the stock and its links are saved`,
    });
  const skus = skusWritten(changes);
  if (unreadable.catalog !== undefined && skus.length > 0)
    found.push({
      check: "catalog",
      reason: unreadable.catalog,
      writes: `source items of ${skus.length} SKU${skus.length === 1 ? "" : "s"} are written (${skus.slice(0, 3).join(", ")}${skus.length > 3 ? ", ..." : ""}), which Magento keeps even for a SKU its catalog lacks`,
    });
  if (unreadable.salable.length > 0)
    found.push({
      check: "salable-quantities",
      reason: `salable quantities could not be read for ${unreadable.salable.slice(0, 3).join("; ")}${unreadable.salable.length > 3 ? `; and ${unreadable.salable.length - 3} more` : ""}`,
      writes: "unassignments remove units that open orders may have reserved",
    });
  return found;
}

/** `stock "US Stock" website us_site`, for every website a stock save adds to a stock. */
function websitesAssigned(changes: readonly Change[]): string[] {
  const assigned: string[] = [];
  for (const change of changes) {
    if (change.kind !== "stock" || !change.after) continue;
    const had = new Set((change.before?.sales_channels ?? []).map((c) => `${c.type}\u0000${c.code}`));
    const added = change.after.sales_channels.filter(
      (c) => c.type === "website" && !had.has(`${c.type}\u0000${c.code}`),
    );
    if (added.length > 0)
      assigned.push(
        `stock "${change.stock}" website${added.length === 1 ? "" : "s"} ${added.map((c) => c.code).join(", ")}`,
      );
  }
  return assigned;
}

/** SKUs whose source items are created or given quantities (an unassignment needs no catalog). */
function skusWritten(changes: readonly Change[]): string[] {
  const skus = new Set<string>();
  for (const change of changes) {
    if (change.kind === "source-item" && change.after) skus.add(change.sku);
    if (change.kind === "move") for (const sku of change.skus) skus.add(sku);
  }
  return [...skus];
}
