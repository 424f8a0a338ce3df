// Before unassigning a source item that holds quantity, the plan asks Magento for the
// product's salable quantity in each stock that links the source. Salable quantity is the
// stock's quantity plus reservations (negative while orders are open) minus min qty, so
// when the plan removes more units from a stock than are salable there, open orders keep
// reservations that no source of the stock can ship any more.
// Magento: magento/inventory:InventorySales/Model/GetProductSalableQty.php (0 when the index row is not
// salable), magento/inventory:InventoryIndexer/Indexer/SelectBuilder.php (in-stock items of enabled sources).

import { httpStatus, MagentoApiError } from "../errors.js";
import type { MagentoClient } from "../magento/client.js";
import { roundQuantity } from "../magento/equivalence.js";
import type { LiveSourceItem, LiveState } from "../model.js";
import { compareCodePoints } from "../sort.js";

/** A product whose unassignment would leave open orders' reservations in a stock without stock. */
export interface ReservationWarning {
  readonly sku: string;
  readonly stock: string;
  readonly stock_id: number;
  /** The linked sources the plan unassigns the product from. */
  readonly sources: readonly string[];
  /** In-stock units the plan takes out of the stock for this product (net of what it adds). */
  readonly units_removed: number;
  /** Magento's salable quantity now: the stock's units, less reservations and min qty. */
  readonly salable_quantity: number;
  /** Reserved units that would have nothing left to ship from. */
  readonly stranded: number;
}

export interface ReservationCheck {
  readonly warnings: readonly ReservationWarning[];
  /** Product/stock pairs whose salable quantity could not be read, with Magento's reason. */
  readonly unchecked: readonly string[];
  /**
   * Those of them the credentials may not read (401, 403) or that Magento did not answer with
   * a number: reservations may be there. A product the catalog lacks (404) or a type without
   * source items (400) has no salable quantity to check.
   */
  readonly unreadable: readonly string[];
  /** Pairs not checked because there were more than the bound. */
  readonly skipped: number;
}

/** A source item the plan unassigns (not by a bulk transfer). */
export interface UnassignedItem {
  readonly sku: string;
  readonly source: string;
}

/** At most this many salable-quantity reads per plan, the largest removals first. */
export const MAX_SALABLE_READS = 1000;

interface Query {
  readonly sku: string;
  readonly stockId: number;
  readonly stock: string;
  readonly sources: string[];
  readonly removed: number;
}

/**
 * Reads the salable quantity of each product and stock the unassignments concern, and flags
 * those where the plan removes more units than are salable. One GET per pair whose net
 * removal of in-stock units is positive, through the client's concurrency limit.
 */
export async function checkReservations(
  client: MagentoClient,
  live: LiveState,
  unassigned: readonly UnassignedItem[],
  itemsAfter: (sku: string) => readonly LiveSourceItem[],
): Promise<ReservationCheck> {
  const queries = concernedPairs(live, unassigned, itemsAfter);
  queries.sort((a, b) => b.removed - a.removed || compareCodePoints(a.sku, b.sku) || a.stockId - b.stockId);
  const checked = queries.slice(0, MAX_SALABLE_READS);
  const warnings: ReservationWarning[] = [];
  const unchecked: string[] = [];
  const unreadable: string[] = [];
  await Promise.all(
    checked.map(async (query) => {
      const salable = await readSalableQuantity(client, query.sku, query.stockId);
      if (typeof salable !== "number") {
        const line = `${query.sku} in stock "${query.stock}": ${salable.reason}`;
        unchecked.push(line);
        if (salable.status !== 400 && salable.status !== 404) unreadable.push(line);
        return;
      }
      if (salable - query.removed >= 0) return;
      const units = unitsIn(live.sourceItems.get(query.sku) ?? [], linkedEnabledSources(live, query.stockId));
      const reserved = Math.max(0, roundQuantity(units - salable));
      const stranded = Math.min(reserved, roundQuantity(query.removed - Math.max(0, salable)));
      if (stranded <= 0) return;
      warnings.push({
        sku: query.sku,
        stock: query.stock,
        stock_id: query.stockId,
        sources: query.sources,
        units_removed: query.removed,
        salable_quantity: salable,
        stranded,
      });
    }),
  );
  warnings.sort((a, b) => compareCodePoints(a.sku, b.sku) || compareCodePoints(a.stock, b.stock));
  unchecked.sort(compareCodePoints);
  unreadable.sort(compareCodePoints);
  return { warnings, unchecked, unreadable, skipped: queries.length - checked.length };
}

/** The sentence the plan's warnings list shows for one flag. */
export function describeReservationWarning(warning: ReservationWarning): string {
  return (
    `product "${warning.sku}" in stock "${warning.stock}": unassigning ${warning.sources.join(", ")} ` +
    `removes ${warning.units_removed} salable unit${warning.units_removed === 1 ? "" : "s"}, but ` +
    `Magento's salable quantity is ${warning.salable_quantity}, so ${warning.stranded} ` +
    `unit${warning.stranded === 1 ? "" : "s"} reserved by open orders would have no stock left to ` +
    "ship from. Ship or cancel those orders first, or keep a source that holds enough."
  );
}

function concernedPairs(
  live: LiveState,
  unassigned: readonly UnassignedItem[],
  itemsAfter: (sku: string) => readonly LiveSourceItem[],
): Query[] {
  const bySku = new Map<string, Set<string>>();
  for (const item of unassigned) {
    const held = live.sourceItems.get(item.sku)?.find((i) => i.source === item.source);
    // Only an in-stock item with quantity counts toward what Magento can sell.
    if (held?.status !== "in_stock" || held.quantity <= 0) continue;
    let sources = bySku.get(item.sku);
    if (!sources) bySku.set(item.sku, (sources = new Set()));
    sources.add(item.source);
  }
  const queries: Query[] = [];
  for (const [sku, sources] of bySku) {
    for (const stock of live.stocks.values()) {
      const linked = linkedEnabledSources(live, stock.id);
      const concerned = [...sources].filter((s) => linked.has(s)).sort(compareCodePoints);
      if (concerned.length === 0) continue;
      const removed = roundQuantity(
        unitsIn(live.sourceItems.get(sku) ?? [], linked) - unitsIn(itemsAfter(sku), linked),
      );
      if (removed > 0) queries.push({ sku, stockId: stock.id, stock: stock.name, sources: concerned, removed });
    }
  }
  return queries;
}

/** The stock index counts only enabled sources (magento/inventory:InventoryIndexer/Indexer/SelectBuilder.php). */
function linkedEnabledSources(live: LiveState, stockId: number): Set<string> {
  const stock = live.stocks.get(stockId);
  return new Set(
    (stock?.links ?? []).filter((l) => live.sources.get(l.source)?.fields.enabled !== false).map((l) => l.source),
  );
}

function unitsIn(items: readonly LiveSourceItem[], sources: ReadonlySet<string>): number {
  return items.reduce(
    (sum, i) => sum + (sources.has(i.source) && i.status === "in_stock" && i.quantity > 0 ? i.quantity : 0),
    0,
  );
}

/** The salable quantity, or why it could not be read (unknown product, no permission, ...) and the status. */
async function readSalableQuantity(
  client: MagentoClient,
  sku: string,
  stockId: number,
): Promise<number | { readonly reason: string; readonly status: number | undefined }> {
  try {
    const value = await client.get<number | string>(
      `V1/inventory/get-product-salable-quantity/${encodeURIComponent(sku)}/${stockId}`,
    );
    const quantity = Number(value);
    return Number.isFinite(quantity)
      ? quantity
      : { reason: `Magento answered ${JSON.stringify(value)}`, status: undefined };
  } catch (error) {
    // 404 unknown product, 400 a type without source items or an unknown stock, 401 no
    // Magento_InventorySalesApi::stock.
    if (error instanceof MagentoApiError && error.status >= 400 && error.status < 500)
      return { reason: `${httpStatus(error.status)}: ${error.magentoMessage}`, status: error.status };
    throw error;
  }
}
