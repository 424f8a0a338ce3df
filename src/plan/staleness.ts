// A saved plan is applied only while the store still holds the values it was computed
// from: every change's `before` is compared with the record as it is now.

import type { ItemState, StockState } from "../diff/changes.js";
import { changeAddress, isRename } from "../diff/changes.js";
import { simulateMoves } from "../diff/diff.js";
import type { StaleRecord } from "../errors.js";
import { nameKey, roundQuantity, sameName, sortChannels } from "../magento/equivalence.js";
import { SOURCE_FIELDS, type LiveSourceItem, type LiveState, type LiveStock } from "../model.js";
import type { Plan } from "./plan.js";

/** The SKUs whose source items a staleness check must read. */
export function skusOfPlan(plan: Plan): Set<string> {
  const skus = new Set<string>();
  for (const change of plan.changes) {
    if (change.kind === "source-item") skus.add(change.sku);
    if (change.kind === "move") for (const sku of change.skus) skus.add(sku);
  }
  return skus;
}

export function findStaleRecords(plan: Plan, live: LiveState): StaleRecord[] {
  const stale: StaleRecord[] = [];
  const stockByName = new Map([...live.stocks.values()].map((s) => [nameKey(s.name), s]));
  // A source-item change of a moved SKU was planned against the store as the moves leave it.
  const afterMoves = itemsAfterPlannedMoves(plan, live);
  const namesBefore = new Map<number, string>();
  for (const change of plan.changes)
    if (isRename(change) && change.stock_id !== null) namesBefore.set(change.stock_id, change.before.name);
  for (const change of plan.changes) {
    const record = changeAddress(change);
    const report = (planned: string, now: string) => stale.push({ record, planned, now });
    switch (change.kind) {
      case "source": {
        const current = live.sources.get(change.source);
        if (!change.before) {
          if (current) report("no such source", "it exists");
          break;
        }
        if (!current) {
          report("it existed", "it is gone");
          break;
        }
        const differing = SOURCE_FIELDS.filter((f) => current.fields[f] !== change.before![f]);
        if (differing.length > 0) {
          report(
            differing.map((f) => `${f} ${formatValue(change.before![f])}`).join(", "),
            differing.map((f) => `${f} ${formatValue(current.fields[f])}`).join(", "),
          );
        }
        break;
      }
      case "stock": {
        const current =
          change.stock_id !== null ? live.stocks.get(change.stock_id) : stockByName.get(nameKey(change.stock));
        if (!change.before) {
          if (current) report("no such stock", `stock ${current.id} "${current.name}" exists`);
          break;
        }
        if (!current) report(stockText(change.before), "it is gone");
        else if (stockText(change.before) !== stockText(liveStockState(current)))
          report(stockText(change.before), stockText(liveStockState(current)));
        break;
      }
      case "link": {
        if (change.stock_id === null) break;
        // The link's calls carry the stock id: it must still be the stock the plan names (by its name before a rename).
        const stock = live.stocks.get(change.stock_id);
        if (!stock || !sameName(stock.name, namesBefore.get(change.stock_id) ?? change.stock)) {
          report(
            `stock ${change.stock_id} "${change.stock}"`,
            stock ? `stock ${change.stock_id} is "${stock.name}"` : `stock ${change.stock_id} is gone`,
          );
          break;
        }
        const priority = stock.links.find((l) => l.source === change.source)?.priority;
        const planned = change.before ? `priority ${change.before.priority}` : "no link";
        const now = priority !== undefined ? `priority ${priority}` : "no link";
        if (planned !== now) report(planned, now);
        break;
      }
      case "source-item": {
        const current = afterMoves(change.sku).find((i) => i.source === change.source) ?? null;
        const planned = itemText(change.before);
        const now = itemText(current);
        if (planned !== now) report(planned, now);
        break;
      }
      case "move": {
        for (const entry of change.before) {
          const origin = itemText(itemAt(live, entry.sku, change.from));
          const destination = itemText(itemAt(live, entry.sku, change.to));
          const planned =
            `${entry.sku}: ${itemText(entry.origin)} at ${change.from}, ` +
            `${itemText(entry.destination)} at ${change.to}`;
          const now = `${entry.sku}: ${origin} at ${change.from}, ${destination} at ${change.to}`;
          if (planned !== now) report(planned, now);
        }
        break;
      }
    }
  }
  return stale;
}

function itemAt(live: LiveState, sku: string, source: string): LiveSourceItem | null {
  return live.sourceItems.get(sku)?.find((i) => i.source === source) ?? null;
}

function itemText(item: ItemState | null): string {
  return item ? `${item.quantity} ${item.status === "in_stock" ? "in stock" : "out of stock"}` : "not assigned";
}

function formatValue(value: unknown): string {
  return value === null || value === undefined
    ? "null"
    : typeof value === "string"
      ? JSON.stringify(value)
      : String(value);
}

function liveStockState(stock: LiveStock): StockState {
  return { name: stock.name, sales_channels: stock.salesChannels };
}

function stockText(state: StockState): string {
  const channels = sortChannels(state.sales_channels)
    .map((c) => `${c.type} ${c.code}`)
    .join(", ");
  return `name "${state.name}", sales channels ${channels || "(none)"}`;
}

/**
 * A saved plan made with a base applies its quantity changes as changes: where only the
 * quantity of such a record moved since the plan (orders shipped, stock came back), the
 * change is rebased onto the store as it is now, `live now + delta`, with the status it
 * planned. Anything else that moved (a status, an assignment that appeared or went) is left
 * for the staleness check to refuse.
 */
export function rebaseQuantities(plan: Plan, live: LiveState): { plan: Plan; rebased: number; applied: number } {
  const afterMoves = itemsAfterPlannedMoves(plan, live);
  let rebased = 0;
  let applied = 0;
  const changes = plan.changes.map((change) => {
    if (change.kind !== "source-item" || change.delta === undefined || !change.before || !change.after) return change;
    const current = afterMoves(change.sku).find((i) => i.source === change.source);
    if (!current || current.status !== change.before.status || current.quantity === change.before.quantity)
      return change;
    // Moved by exactly the plan's change: this plan was applied already, and must not add it twice.
    if (current.quantity === change.after.quantity) {
      applied++;
      return change;
    }
    rebased++;
    return {
      ...change,
      before: { quantity: current.quantity, status: current.status },
      after: { ...change.after, quantity: roundQuantity(current.quantity + change.delta) },
    };
  });
  return { plan: rebased > 0 ? { ...plan, changes } : plan, rebased, applied };
}

/** Each SKU's source items as the plan's own transfers leave them, which its later changes were planned against. */
function itemsAfterPlannedMoves(plan: Plan, live: LiveState): (sku: string) => readonly LiveSourceItem[] {
  const moves = plan.changes.flatMap((c) =>
    c.kind === "move" ? [{ skus: c.skus, from: c.from, to: c.to, unassignFromOrigin: c.unassign_from_origin }] : [],
  );
  return simulateMoves(moves, live);
}
