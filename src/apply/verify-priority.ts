// After an apply that changed links: Magento's own priority view of each touched stock
// (seed 003, GET get-sources-assigned-to-stock-ordered-by-priority) must list the sources
// in the order the file declares. It is what the source selection algorithm follows.

import type { LinkChange } from "../diff/changes.js";
import type { MagentoClient } from "../magento/client.js";
import type { RawSource } from "../magento/convert.js";
import { identifierKey } from "../magento/equivalence.js";
import type { DesiredState, StockLink } from "../model.js";
import type { Plan } from "../plan/plan.js";
import type { ApplyReport } from "./report.js";

export interface ExpectedOrder {
  readonly stockId: number;
  readonly stock: string;
  /** In priority order. */
  readonly links: readonly StockLink[];
  /** false: only the relative order of these sources is known (a saved plan without its topology). */
  readonly complete: boolean;
}

const ROUTE = "V1/inventory/get-sources-assigned-to-stock-ordered-by-priority";

/** Stocks whose links the plan changes, except those it deletes, with their ids after apply. */
function touchedStocks(plan: Plan, report: ApplyReport): Map<string, number> {
  const deleted = new Set(plan.changes.flatMap((c) => (c.kind === "stock" && c.action === "delete" ? [c.stock] : [])));
  const touched = new Map<string, number>();
  for (const change of plan.changes) {
    if (change.kind !== "link" || deleted.has(change.stock)) continue;
    const id = change.stock_id ?? report.created_stock_ids[change.stock];
    if (id !== undefined) touched.set(change.stock, id);
  }
  return touched;
}

/** The order the file declares, for each stock the plan touched. */
export function expectedFromFile(desired: DesiredState, plan: Plan, report: ApplyReport): ExpectedOrder[] {
  const expected: ExpectedOrder[] = [];
  for (const [stock, stockId] of touchedStocks(plan, report)) {
    const links = desired.stocks.get(stock)?.links;
    if (links) expected.push({ stockId, stock, links, complete: true });
  }
  return expected;
}

/** The order a saved plan was reviewed with: its topology after apply, else its own link changes. */
export function expectedFromPlan(plan: Plan, report: ApplyReport): ExpectedOrder[] {
  const expected: ExpectedOrder[] = [];
  for (const [stock, stockId] of touchedStocks(plan, report)) {
    const after = plan.topology?.after.stocks.find((s) => (s.id ?? report.created_stock_ids[s.name]) === stockId);
    if (after) {
      expected.push({ stockId, stock, links: after.links, complete: true });
      continue;
    }
    const links = plan.changes
      .filter(
        (c): c is LinkChange & { after: { priority: number } } =>
          c.kind === "link" && c.stock === stock && c.after !== null,
      )
      .map((c) => ({ source: c.source, priority: c.after.priority }))
      .sort((a, b) => a.priority - b.priority);
    expected.push({ stockId, stock, links, complete: false });
  }
  return expected;
}

/** Reads each stock's sources in Magento's priority order and describes every mismatch. */
export async function priorityDifferences(
  client: MagentoClient,
  expected: readonly ExpectedOrder[],
): Promise<string[]> {
  const differences: string[] = [];
  for (const order of expected) {
    const sources = await client.get<RawSource[]>(`${ROUTE}/${order.stockId}`);
    const actual = sources.map((s) => s.source_code);
    const problem = orderProblem(order, actual);
    if (problem) differences.push(`stock "${order.stock}" (id ${order.stockId}): ${problem}`);
  }
  return differences;
}

/**
 * Sources of equal priority may come back in either order (Magento sorts by priority
 * only), so the comparison walks the declared list in runs of equal priority.
 */
export function orderProblem(order: ExpectedOrder, actual: readonly string[]): string | undefined {
  const declared = order.links.map((l) => l.source).join(", ") || "(none)";
  const listed = actual.join(", ") || "(none)";
  const mismatch =
    `Magento's priority order is ${listed}; ` + `the ${order.complete ? "file declares" : "plan set"} ${declared}`;
  const seen = order.complete
    ? actual.map(identifierKey)
    : actual.map(identifierKey).filter((code) => order.links.some((l) => identifierKey(l.source) === code));
  if (seen.length !== order.links.length) return mismatch;
  let at = 0;
  while (at < order.links.length) {
    const priority = order.links[at]!.priority;
    let end = at;
    while (end < order.links.length && order.links[end]!.priority === priority) end++;
    const want = order.links
      .slice(at, end)
      .map((l) => identifierKey(l.source))
      .sort();
    const got = seen.slice(at, end).sort();
    if (want.some((code, i) => code !== got[i])) return mismatch;
    at = end;
  }
  return undefined;
}
