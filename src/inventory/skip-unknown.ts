// --skip-unknown-skus (or `policy: { skip_unknown_skus: true }`): an ERP's feed runs ahead of
// the catalog, so SKUs the catalog does not have yet are left out of the plan and reported,
// instead of refusing the rest. A saved plan records them, and its integrity check leaves out
// the same SKUs before deriving its changes again.

import { formatOrigin } from "../errors.js";
import type { DesiredProduct, DesiredState } from "../model.js";
import type { CatalogEntry } from "../state/read-catalog.js";

/** A SKU left out of the plan, and where the file declares it (`file:line:column`). */
export interface SkippedSku {
  readonly sku: string;
  readonly origin: string;
}

/**
 * The declared SKUs with sources that the catalog does not have, in code-point order. A SKU
 * a move names is not skipped: the move would carry it, so the unknown-sku rule refuses it.
 */
export function unknownSkus(desired: DesiredState, catalog: ReadonlyMap<string, CatalogEntry>): SkippedSku[] {
  const moved = new Set(desired.moves.flatMap((m) => m.skus));
  const skipped: SkippedSku[] = [];
  for (const [sku, entry] of catalog) {
    if (entry.found || moved.has(sku)) continue;
    const product = desired.products.get(sku);
    if (product && product.assignments.length > 0) skipped.push({ sku, origin: formatOrigin(product.origin) });
  }
  return skipped;
}

/** The desired state without the skipped SKUs' products. */
export function withoutSkus(desired: DesiredState, skus: readonly SkippedSku[]): DesiredState {
  if (skus.length === 0) return desired;
  const left = new Set(skus.map((s) => s.sku));
  const products = new Map<string, DesiredProduct>();
  for (const [sku, product] of desired.products) if (!left.has(sku)) products.set(sku, product);
  return { ...desired, products };
}

/** Rows a message lists; the count says how many more. */
export const SKIPPED_SHOWN = 10;

/** What stderr says: the count, then the first SKUs with where the file declares them. */
export function describeSkipped(skipped: readonly SkippedSku[]): string {
  const n = skipped.length;
  const lines = [
    `Skipped ${n} SKU${n === 1 ? "" : "s"} the store's catalog does not have (--skip-unknown-skus); the plan leaves ${n === 1 ? "it" : "them"} as ${n === 1 ? "it is" : "they are"}:`,
    ...skipped.slice(0, SKIPPED_SHOWN).map((s) => `  ${s.sku}  (${s.origin})`),
    ...(n > SKIPPED_SHOWN
      ? [`  ... and ${n - SKIPPED_SHOWN} more (all of them are under "skipped" in --format json).`]
      : []),
  ];
  return lines.join("\n");
}
