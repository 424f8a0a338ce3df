// desired vs live -> typed changes. Pure and linear in the number of declared objects, so
// a million source items diff in well under a second. What the file does not declare is
// never touched; what it declares is authoritative for that object.

import {
  DEFAULT_STOCK_ID,
  SOURCE_FIELDS,
  type DesiredMove,
  type DesiredProduct,
  type DesiredSource,
  type DesiredState,
  type DesiredStock,
  type LiveSourceItem,
  type LiveState,
  type LiveStock,
  type SalesChannel,
  type SourceField,
  type SourceFields,
} from "../model.js";
import {
  channelKey,
  liveStockFor,
  nameKey,
  sameName,
  roundQuantity,
  sameChannels,
  type ChannelMove,
} from "../magento/equivalence.js";
import { normalizeSourceField } from "../normalize.js";
import { compareCodePoints } from "../sort.js";
import type {
  Change,
  ItemState,
  LinkChange,
  MoveChange,
  MoveItemsBefore,
  SourceChange,
  SourceItemChange,
  StockChange,
} from "./changes.js";
import { topologyAfter, topologyOf, type PlanTopology, type StockRef } from "./topology.js";

export interface DiffResult {
  readonly changes: readonly Change[];
  /** Source items left as they are because they already match, for the summary. */
  readonly unchangedItems: number;
  /** The source items of every SKU the changes touch, before and after, for the summary. */
  readonly affectedSkus: ReadonlyMap<string, AffectedSku>;
  /** Stocks, channels and links before and after apply: worked out here once, for the notes, summary and renderers. */
  readonly topology: PlanTopology;
}

export interface AffectedSku {
  readonly before: readonly LiveSourceItem[];
  readonly after: readonly LiveSourceItem[];
}

export function diff(desired: DesiredState, live: LiveState): DiffResult {
  const changes: Change[] = [];
  for (const source of sortedValues(desired.sources, (s) => s.code)) {
    const change = diffSource(source, live);
    if (change) changes.push(change);
  }
  const stockIds = matchStocks(desired, live);
  const stocks = [...diffStocks(desired, stockIds), ...deleteStocks(desired, live)];
  const linkSlots = fileSlots(
    desired.stocks.values(),
    (s) => s.name,
    (s) => s.links?.length ?? 0,
  );
  const links = sortedValues(desired.stocks, (s) => s.name).flatMap((s) =>
    diffLinks(s, stockIds.get(s.name), linkSlots.get(s.name) ?? 0),
  );
  // Sources, stocks and links are all that shape the topology; stock notes tell what it does to channels.
  const after = topologyAfter(live, [...changes, ...stocks, ...links]);
  changes.push(
    ...stocks.map((c) => ({ ...c, notes: [...renameNotes(c, desired), ...stockNotes(c, after.channelMoves)] })),
    ...links,
  );
  const topology = { before: topologyOf(live), after: after.topology };
  const { moves, itemsAfterMoves, movedIn } = planMoves(desired.moves, live, desired.products);
  changes.push(...moves);
  const affectedSkus = new Map<string, AffectedSku>();
  const before = (sku: string) => live.sourceItems.get(sku) ?? [];
  for (const move of moves)
    for (const sku of move.skus) affectedSkus.set(sku, { before: before(sku), after: itemsAfterMoves(sku) });
  let unchangedItems = 0;
  const itemSlots = fileSlots(
    desired.products.values(),
    (p) => p.sku,
    (p) => p.assignments.length,
  );
  for (const product of sortedValues(desired.products, (p) => p.sku)) {
    const start = itemsAfterMoves(product.sku);
    const result = diffProduct(
      product,
      inScope(start, product.scope ?? desired.scope?.sources),
      movedIn,
      itemSlots.get(product.sku) ?? 0,
    );
    changes.push(...result.changes);
    unchangedItems += result.unchanged;
    if (result.changes.length > 0)
      affectedSkus.set(product.sku, { before: before(product.sku), after: applyItemChanges(start, result.changes) });
  }
  return { changes, unchangedItems, affectedSkus, topology };
}

function applyItemChanges(items: readonly LiveSourceItem[], changes: readonly SourceItemChange[]): LiveSourceItem[] {
  const bySource = new Map(items.map((i) => [i.source, i]));
  for (const change of changes) {
    if (change.after) bySource.set(change.source, { source: change.source, ...change.after });
    else bySource.delete(change.source);
  }
  return [...bySource.values()];
}

/**
 * Where each object's entries start in the file's order (the declared state's insertion
 * order): its n entries take n slots and one more for what it removes, so `declared_order`
 * depends on the file alone.
 */
function fileSlots<T>(
  values: Iterable<T>,
  key: (value: T) => string,
  entries: (value: T) => number,
): Map<string, number> {
  const slots = new Map<string, number>();
  let next = 0;
  for (const value of values) {
    slots.set(key(value), next);
    next += entries(value) + 1;
  }
  return slots;
}

function sortedValues<T>(map: ReadonlyMap<string, T>, key: (value: T) => string): T[] {
  return [...map.values()].sort((a, b) => compareCodePoints(key(a), key(b)));
}

// --- sources ---------------------------------------------------------------------------

/**
 * Fields a new source gets from Magento when the file does not give them
 * (magento/inventory:Inventory/etc/db_schema.xml).
 */
export function newSourceFields(source: DesiredSource): SourceFields {
  const name = source.fields.name ?? source.code;
  const fields = {} as Record<SourceField, unknown>;
  for (const field of SOURCE_FIELDS) {
    const declared = source.fields[field];
    const fallback = field === "enabled" ? true : field === "is_pickup_location_active" ? false : null;
    fields[field] = normalizeSourceField(field, declared === undefined ? fallback : declared, name);
  }
  return fields as unknown as SourceFields;
}

function diffSource(source: DesiredSource, live: LiveState): SourceChange | undefined {
  const declared = SOURCE_FIELDS.filter((f) => source.fields[f] !== undefined);
  const cleared = declared.filter((f) => source.fields[f] === null);
  const stored = live.sources.get(source.code);
  if (!stored) {
    return {
      kind: "source",
      action: "create",
      source: source.code,
      before: null,
      after: newSourceFields(source),
      // In the file's order: the order the create sends them (renderings sort them).
      changed: declaredInFileOrder(source),
      cleared: [],
    };
  }
  const name = source.fields.name ?? stored.fields.name;
  const after = { ...stored.fields } as Record<SourceField, unknown>;
  const changed: SourceField[] = [];
  for (const field of declared) {
    const value = normalizeSourceField(field, source.fields[field], name);
    if (value !== stored.fields[field]) {
      after[field] = value;
      changed.push(field);
    }
  }
  // Magento rewrites an empty frontend name to the name, so a rename carries it along.
  if (
    changed.includes("name") &&
    source.fields.frontend_name === undefined &&
    stored.fields.frontend_name === stored.fields.name
  ) {
    after["frontend_name"] = name;
  }
  if (changed.length === 0) return undefined;
  return {
    kind: "source",
    action: "update",
    source: source.code,
    before: stored.fields,
    after: after as unknown as SourceFields,
    changed,
    cleared: cleared.filter((f) => changed.includes(f)),
  };
}

function declaredInFileOrder(source: DesiredSource): SourceField[] {
  return (Object.keys(source.fields) as SourceField[]).filter(
    (f) => SOURCE_FIELDS.includes(f) && source.fields[f] !== undefined,
  );
}

// --- stocks ----------------------------------------------------------------------------

/** A file's stock is the store's stock of the same name, as Magento's unique-name check sees names. */
function matchStocks(desired: DesiredState, live: LiveState): Map<string, LiveStock> {
  const byName = new Map<string, LiveStock>();
  for (const stock of live.stocks.values()) byName.set(nameKey(stock.name), stock);
  const result = new Map<string, LiveStock>();
  for (const stock of desired.stocks.values()) {
    const match = liveStockFor(stock, byName);
    if (match) result.set(stock.name, match);
  }
  return result;
}

function describeChannel(channel: SalesChannel): string {
  return `${channel.type} "${channel.code}"`;
}

/**
 * Stock saves replace the stock's sales channels, and Magento moves channels beyond the
 * saved list on its own (channelsAfterSaves). So every declared stock is diffed against the
 * store as it will be once the other declared stocks have taken their channels; the notes
 * (stockNotes) come later, from the topology after apply.
 */
function diffStocks(desired: DesiredState, stockIds: ReadonlyMap<string, LiveStock>): StockChange[] {
  const claimedBy = new Map<string, string>();
  for (const stock of desired.stocks.values())
    for (const c of stock.salesChannels ?? []) claimedBy.set(channelKey(c), stock.name);

  const changes: StockChange[] = [];
  for (const stock of sortedValues(desired.stocks, (s) => s.name)) {
    const match = stockIds.get(stock.name);
    if (!match) {
      const channels = stock.salesChannels ?? [];
      changes.push({
        kind: "stock",
        action: "create",
        stock: stock.name,
        stock_id: null,
        before: null,
        after: { name: stock.name, sales_channels: channels },
        changed: ["name", ...(channels.length > 0 ? (["sales_channels"] as const) : [])],
        notes: [],
      });
      continue;
    }
    // The store as it will be once other declared stocks have claimed their channels.
    const effective = match.salesChannels.filter((c) => {
      const claimant = claimedBy.get(channelKey(c));
      return claimant === undefined || claimant === stock.name;
    });
    const wanted = stock.salesChannels ?? effective;
    const changed: ("name" | "sales_channels")[] = [];
    if (match.name !== stock.name) changed.push("name");
    if (stock.salesChannels && !sameChannels(wanted, effective)) changed.push("sales_channels");
    if (changed.length === 0) continue;
    changes.push({
      kind: "stock",
      action: "update",
      stock: stock.name,
      stock_id: match.id,
      before: { name: match.name, sales_channels: match.salesChannels },
      after: { name: stock.name, sales_channels: wanted },
      changed,
      notes: [],
    });
  }
  return changes;
}

/**
 * Stocks the file deletes (pruned with a base, or deleted explicitly), as the store has them;
 * one already gone is nothing to do. Magento deletes the stock's links with it (the link
 * table's foreign key cascades), so they are not changes of their own.
 */
function deleteStocks(desired: DesiredState, live: LiveState): StockChange[] {
  // A stock the file declares, or renames another from, is kept.
  const kept = [...desired.stocks.values()].flatMap((s) => [s.name, ...(s.renamedFrom ? [s.renamedFrom.name] : [])]);
  const names = [...(desired.stockDeletions?.keys() ?? [])].filter(
    (name) => !kept.some((declared) => sameName(declared, name)),
  );
  const changes: StockChange[] = [];
  for (const name of names.sort(compareCodePoints)) {
    const match = [...live.stocks.values()].find((s) => sameName(s.name, name));
    if (!match) continue;
    changes.push({
      kind: "stock",
      action: "delete",
      stock: match.name,
      stock_id: match.id,
      before: { name: match.name, sales_channels: match.salesChannels },
      after: null,
      changed: [],
      notes: [],
    });
  }
  return changes;
}

/** A stock renamed from one the store does not have is created: said, since a misspelt old name would do the same. */
function renameNotes(change: StockChange, desired: DesiredState): string[] {
  const from = desired.stocks.get(change.stock)?.renamedFrom;
  if (from === undefined || change.action !== "create") return [];
  return [`renamed_from "${from.name}" names no stock in the store, so this stock is created`];
}

/**
 * What the stock's save makes Magento do to other stocks' channels, in words: the channel moves of the topology after
 * apply.
 */
export function stockNotes(change: StockChange, moves: readonly ChannelMove<StockRef>[]): string[] {
  const isThis = (ref: StockRef | undefined) =>
    ref !== undefined &&
    (change.stock_id !== null ? ref.id === change.stock_id : ref.id === null && ref.name === change.stock);
  const notes: string[] = [];
  for (const move of moves)
    if (move.kind === "taken" && isThis(move.to))
      notes.push(`${describeChannel(move.channel)} moves here from stock "${move.from.name}"`);
  for (const move of moves) {
    if (move.kind !== "fallback" || !isThis(move.from)) continue;
    notes.push(
      move.from.id === DEFAULT_STOCK_ID
        ? `${describeChannel(move.channel)} stays: Magento keeps every unassigned website on the Default Stock`
        : `${describeChannel(move.channel)} goes back to stock "${move.to?.name ?? "Default Stock"}", as Magento does with every website a stock drops`,
    );
  }
  return notes;
}

// --- links -----------------------------------------------------------------------------

function diffLinks(stock: DesiredStock, match: LiveStock | undefined, slot: number): LinkChange[] {
  if (!stock.links) return [];
  const stockId = match?.id ?? null;
  const current = new Map((match?.links ?? []).map((l) => [l.source, l.priority]));
  const changes: LinkChange[] = [];
  for (const [index, link] of stock.links.entries()) {
    const declared_order = slot + index;
    const priority = current.get(link.source);
    if (priority === undefined) {
      changes.push({
        kind: "link",
        action: "create",
        stock: stock.name,
        stock_id: stockId,
        source: link.source,
        before: null,
        after: { priority: link.priority },
        declared_order,
      });
    } else if (priority !== link.priority) {
      changes.push({
        kind: "link",
        action: "update",
        stock: stock.name,
        stock_id: stockId,
        source: link.source,
        before: { priority },
        after: { priority: link.priority },
        declared_order,
      });
    }
  }
  const wanted = new Set(stock.links.map((l) => l.source));
  for (const link of match?.links ?? []) {
    if (!wanted.has(link.source)) {
      changes.push({
        kind: "link",
        action: "delete",
        stock: stock.name,
        stock_id: stockId,
        source: link.source,
        before: { priority: link.priority },
        after: null,
        declared_order: slot + stock.links.length,
      });
    }
  }
  // In priority order, as the stock lists them; unlinked sources last.
  const rank = (c: LinkChange) => (c.after ? c.after.priority : Number.MAX_SAFE_INTEGER);
  return changes.sort((a, b) => rank(a) - rank(b) || compareCodePoints(a.source, b.source));
}

// --- moves -----------------------------------------------------------------------------

/** What a transfer needs: a declared move, or a planned one read back from a saved plan. */
export type MoveSpec = Pick<DesiredMove, "skus" | "from" | "to" | "unassignFromOrigin">;

/** Each SKU's source items as they will be once the moves have run, for checks made against a saved plan. */
export function simulateMoves(moves: readonly MoveSpec[], live: LiveState): (sku: string) => readonly LiveSourceItem[] {
  return planMoves(moves, live).itemsAfterMoves;
}

/** Units the transfers bring to a SKU's source, by `sku\0source`. */
type MovedIn = (sku: string, source: string) => number | undefined;

/**
 * Bulk transfers (magento/inventory:InventoryCatalog/Model/ResourceModel/BulkInventoryTransfer.php):
 * the origin's quantity is added at the destination (created if missing) with the origin's
 * status, then the origin is unassigned or set to 0, out of stock. A SKU with nothing left
 * at the origin is already moved and is skipped, so re-planning a done move is a no-op.
 * Without a base inv cannot tell a first run from a second, except where the file manages
 * the destination's quantity: a destination that already holds what the file declares shows
 * the move was done, and the origin's units arrived since (`runs_again`).
 */
function planMoves(
  moves: readonly MoveSpec[],
  live: LiveState,
  products?: ReadonlyMap<string, DesiredProduct>,
): { moves: MoveChange[]; itemsAfterMoves: (sku: string) => readonly LiveSourceItem[]; movedIn: MovedIn } {
  const simulated = new Map<string, LiveSourceItem[]>();
  const itemsOf = (sku: string): readonly LiveSourceItem[] => simulated.get(sku) ?? live.sourceItems.get(sku) ?? [];
  const brought = new Map<string, number>();
  const changes: MoveChange[] = [];
  for (const move of moves) {
    const skus: string[] = [];
    const before: MoveItemsBefore[] = [];
    const again: string[] = [];
    let units = 0;
    for (const sku of move.skus) {
      const items = [...itemsOf(sku)];
      const origin = items.find((i) => i.source === move.from);
      if (!origin || (!move.unassignFromOrigin && origin.quantity === 0 && origin.status === "out_of_stock")) continue;
      skus.push(sku);
      units += origin.quantity;
      const destination = items.find((i) => i.source === move.to);
      before.push({ sku, origin: itemState(origin), destination: destination ? itemState(destination) : null });
      const declared = declaredQuantity(products?.get(sku), move.to);
      if (declared !== undefined && origin.quantity > 0 && (destination?.quantity ?? 0) >= declared) again.push(sku);
      // The origin's units, whatever an earlier transfer brought there, go on to the destination.
      brought.delete(itemKey(sku, move.from));
      brought.set(itemKey(sku, move.to), roundQuantity((brought.get(itemKey(sku, move.to)) ?? 0) + origin.quantity));
      const moved: LiveSourceItem = {
        source: move.to,
        quantity: roundQuantity((destination?.quantity ?? 0) + origin.quantity),
        status: origin.status,
      };
      const next = items.filter((i) => i.source !== move.to && i.source !== move.from);
      next.push(moved);
      if (!move.unassignFromOrigin) next.push({ source: move.from, quantity: 0, status: "out_of_stock" });
      simulated.set(sku, next);
    }
    if (skus.length > 0) {
      changes.push({
        kind: "move",
        action: "update",
        from: move.from,
        to: move.to,
        skus,
        unassign_from_origin: move.unassignFromOrigin,
        units: roundQuantity(units),
        before,
        ...(again.length > 0 ? { runs_again: again } : {}),
      });
    }
  }
  return { moves: changes, itemsAfterMoves: itemsOf, movedIn: (sku, source) => brought.get(itemKey(sku, source)) };
}

function itemKey(sku: string, source: string): string {
  return `${sku}\u0000${source}`;
}

/** The quantity the file manages for a SKU at a source, if it does. */
function declaredQuantity(product: DesiredProduct | undefined, source: string): number | undefined {
  if (product?.quantities !== "manage") return undefined;
  const quantity = product.assignments.find((a) => a.source === source)?.quantity;
  return quantity === undefined ? undefined : roundQuantity(quantity);
}

// --- source items ----------------------------------------------------------------------

/** A scope's sources are all the file manages: source items elsewhere are neither compared nor unassigned. */
function inScope(items: readonly LiveSourceItem[], scope: ReadonlySet<string> | undefined): readonly LiveSourceItem[] {
  if (scope === undefined) return items;
  for (const item of items) if (!scope.has(item.source)) return items.filter((i) => scope.has(i.source));
  return items;
}

function diffProduct(
  product: DesiredProduct,
  liveItems: readonly LiveSourceItem[],
  movedIn: MovedIn,
  slot: number,
): { changes: SourceItemChange[]; unchanged: number } {
  const moved = (source: string) => {
    const units = movedIn(product.sku, source);
    return units !== undefined && units > 0 ? { moved_in: units } : {};
  };
  const changes: SourceItemChange[] = [];
  let unchanged = 0;
  const managesQuantities = product.quantities === "manage";
  // A SKU has a handful of sources: scanning small arrays beats building maps, a million times over.
  const assignments = product.assignments;
  // Changes by source; each keeps its place in the file (declared_order) for the payloads.
  const order = isSortedBySource(assignments) ? undefined : sourceOrder(assignments);
  for (let k = 0; k < assignments.length; k++) {
    const index = order ? order[k]! : k;
    const assignment = assignments[index]!;
    const declared_order = slot + index;
    const current = findSource(liveItems, assignment.source);
    if (!current) {
      changes.push({
        kind: "source-item",
        action: "create",
        sku: product.sku,
        source: assignment.source,
        before: null,
        after: newItem(product, assignment.quantity, assignment.status),
        declared_order,
      });
      continue;
    }
    if (!managesQuantities || assignment.quantity === undefined) {
      unchanged++;
      continue;
    }
    const quantity = roundQuantity(assignment.quantity);
    const status = assignment.status ?? "in_stock";
    if (quantity !== current.quantity || status !== current.status) {
      changes.push({
        kind: "source-item",
        action: "update",
        sku: product.sku,
        source: assignment.source,
        before: itemState(current),
        after: { quantity, status },
        declared_order,
        ...moved(assignment.source),
      });
    } else {
      unchanged++;
    }
  }
  if (liveItems.length > unchanged) {
    const unassigned = liveItems.filter((i) => !findSource(assignments, i.source)).sort(bySource);
    for (const item of unassigned) {
      changes.push({
        kind: "source-item",
        action: "delete",
        sku: product.sku,
        source: item.source,
        before: itemState(item),
        after: null,
        declared_order: slot + assignments.length,
        ...moved(item.source),
      });
    }
  }
  return { changes, unchanged };
}

function findSource<T extends { readonly source: string }>(items: readonly T[], source: string): T | undefined {
  for (const item of items) if (item.source === source) return item;
  return undefined;
}

function bySource(a: { readonly source: string }, b: { readonly source: string }): number {
  return compareCodePoints(a.source, b.source);
}

/** Positions of the assignments, ordered by source code. */
function sourceOrder(items: readonly { readonly source: string }[]): number[] {
  return items.map((_, i) => i).sort((a, b) => compareCodePoints(items[a]!.source, items[b]!.source));
}

function isSortedBySource(items: readonly { readonly source: string }[]): boolean {
  for (let i = 1; i < items.length; i++)
    if (compareCodePoints(items[i - 1]!.source, items[i]!.source) > 0) return false;
  return true;
}

/**
 * A new assignment: the file's quantity when it manages quantities (also under
 * `on_create`); otherwise 0, out of stock, as Magento's bulk assign does.
 */
function newItem(
  product: DesiredProduct,
  quantity: number | undefined,
  status: ItemState["status"] | undefined,
): ItemState {
  if (product.quantities === "ignore" || quantity === undefined) return { quantity: 0, status: "out_of_stock" };
  return { quantity: roundQuantity(quantity), status: status ?? "in_stock" };
}

function itemState(item: LiveSourceItem): ItemState {
  return { quantity: item.quantity, status: item.status };
}
