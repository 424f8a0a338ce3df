// The inverse of an apply, as a saved plan. The store before the apply is replayed through
// the calls that were done (and what a failed call is seen to have written), with Magento's
// rules for what each call does; every record that ends up different gets a change from the
// value the apply left to the value it had before. Each change's `before` is therefore what
// the apply wrote, so `inv apply rollback.json` refuses (stale) once a record moved since.
// Pure: src/apply/rollback-file.ts calls it as the apply goes and writes the result.

import { changeAddress, type Change, type ItemState, type LinkChange, type StockChange } from "../diff/changes.js";
import { stockNotes, type AffectedSku, type DiffResult } from "../diff/diff.js";
import { topologyAfter, topologyOf } from "../diff/topology.js";
import {
  channelKey,
  channelsAfterSaves,
  nameKey,
  roundQuantity,
  sameChannels,
  sortChannels,
  WEBSITE,
} from "../magento/equivalence.js";
import {
  DEFAULT_STOCK_ID,
  SOURCE_FIELDS,
  type LiveSourceItem,
  type LiveState,
  type LiveStock,
  type SalesChannel,
  type SourceField,
  type SourceFields,
} from "../model.js";
import { compareCodePoints } from "../sort.js";
import { plural } from "../words.js";
import type { CallKind, PlannedCall } from "./calls/call.js";
import { buildPlan, type Plan, type RollbackOf } from "./plan.js";

/** How far an apply got. */
export interface ApplyProgress {
  /** Ids of the calls the store accepted. */
  readonly done: ReadonlySet<number>;
  /** Ids Magento gave the stocks this apply created, by name. */
  readonly createdStockIds: Readonly<Record<string, number>>;
  /** The call that stopped the apply, if one did. */
  readonly failed?: FailedCall;
}

/**
 * A failed call may have written some or all of its records (an answer lost after the
 * write, an array call split at the store's limit). The store is read again after the
 * failure, and each of its records counts as written when it holds the apply's value.
 */
export interface FailedCall {
  readonly call: number;
  /** The store as read after the failure; undefined when that read failed too. */
  readonly observed: LiveState | undefined;
}

export interface RollbackInput {
  /** The plan being applied. */
  readonly applied: Pick<Plan, "changes" | "calls" | "store" | "batch_size">;
  /** The store before the apply: every source and stock (channels, links), and the source items of the plan's SKUs. */
  readonly live: LiveState;
  readonly progress: ApplyProgress;
  /** Sources the apply created are disabled by the rollback (Magento cannot delete a source). */
  readonly disableCreatedSources: boolean;
  readonly rollbackOf: RollbackOf;
  readonly createdAt: string;
  readonly invVersion: string;
}

export function buildRollbackPlan(input: RollbackInput): Plan {
  const replay = replayApply(input.applied, input.live, input.progress);
  const result = rollbackChanges(replay, input.disableCreatedSources);
  const final = replay.final.asLive();
  const after = topologyAfter(final, result.changes);
  const changes = result.changes.map((c) =>
    c.kind === "stock" ? { ...c, notes: stockNotes(c, after.channelMoves) } : c,
  );
  const diff: DiffResult = {
    changes,
    unchangedItems: 0,
    affectedSkus: result.affectedSkus,
    topology: { before: topologyOf(final), after: after.topology },
  };
  const { rollbackOf } = input;
  const warnings = [
    ...progressWarnings(rollbackOf, input.applied.calls, input.progress),
    ...replay.final.warnings,
    ...result.warnings,
  ];
  return buildPlan({
    diff,
    live: final,
    batchSize: input.applied.batch_size,
    store: input.applied.store,
    basis: { files: [], git: null, rollback_of: rollbackOf },
    createdAt: input.createdAt,
    invVersion: input.invVersion,
    warnings,
    checked: result.checked,
  });
}

function progressWarnings(of: RollbackOf, calls: readonly PlannedCall[], progress: ApplyProgress): string[] {
  const failed = progress.failed && calls.find((c) => c.id === progress.failed!.call);
  if (!of.finished) {
    return [
      `Written while the apply was running, after ${of.calls_done} of ${plural(of.calls_total, "call")}: if the apply was ` +
        "stopped there, the call it was sending may have been written, and this rollback does not undo it.",
    ];
  }
  if (failed) {
    return [
      `The apply stopped at call ${failed.id} (${failed.description}) after ${of.calls_done} of ${of.calls_total} ` +
        `calls were done: this rollback undoes those, and what the store shows call ${failed.id} wrote.`,
    ];
  }
  return [];
}

// --- the store as the apply leaves it ------------------------------------------------------

interface WorkingStock {
  /** null: a stock the apply created whose id is not known. */
  id: number | null;
  name: string;
  channels: SalesChannel[];
  links: Map<string, number>;
}

type Items = Map<string, ItemState>;

/** The records an apply can change, as the store before it held them, changed call by call. */
class World {
  readonly sources: Map<string, SourceFields>;
  readonly stocks: WorkingStock[];
  /** Stocks the apply created, by the name their create call gave them. */
  readonly created = new Map<string, WorkingStock>();
  readonly items = new Map<string, Items>();
  readonly warnings: string[] = [];

  constructor(live: LiveState) {
    this.sources = new Map([...live.sources].map(([code, s]) => [code, s.fields]));
    this.stocks = [...live.stocks.values()].map((s) => ({
      id: s.id,
      name: s.name,
      channels: [...s.salesChannels],
      links: new Map(s.links.map((l) => [l.source, l.priority])),
    }));
  }

  stockOf(change: { readonly stock_id: number | null; readonly stock: string }): WorkingStock | undefined {
    return change.stock_id !== null
      ? this.stocks.find((s) => s.id === change.stock_id)
      : this.created.get(change.stock);
  }

  itemsOf(sku: string): Items {
    let items = this.items.get(sku);
    if (!items) this.items.set(sku, (items = new Map()));
    return items;
  }

  /**
   * One stock saved with exactly these channels, as Magento does it: a channel another stock
   * had moves here, a website this stock drops goes to the Default Stock (channelsAfterSaves).
   */
  save(stock: WorkingStock, name: string, channels: readonly SalesChannel[]): void {
    const after = this.channelsAfterSave(stock, channels);
    for (const s of this.stocks) s.channels = after.get(s) ?? s.channels;
    stock.name = name;
  }

  /** Every stock's channels once this one is saved with `channels`, changing nothing yet. */
  channelsAfterSave(stock: WorkingStock, channels: readonly SalesChannel[]): Map<WorkingStock, SalesChannel[]> {
    const before = new Map(this.stocks.map((s) => [s, s.channels] as const));
    const defaultStock = this.stocks.find((s) => s.id === DEFAULT_STOCK_ID);
    return channelsAfterSaves(before, [{ stock, channels }], defaultStock).channels;
  }

  /** The store shows every stock with these channels (and `stock` with this name). */
  shows(
    observed: LiveState,
    channels: (s: WorkingStock) => readonly SalesChannel[],
    stock: WorkingStock,
    name: string,
  ): boolean {
    if (stock.id === null || observed.stocks.get(stock.id)?.name !== name) return false;
    return this.stocks.every((s) => {
      const seen = s.id === null ? undefined : observed.stocks.get(s.id);
      return seen !== undefined && sameChannels(seen.salesChannels, channels(s));
    });
  }

  asLive(): LiveState {
    const stocks = new Map<number, LiveStock>();
    for (const s of this.stocks) {
      if (s.id === null) continue;
      const links = [...s.links]
        .map(([source, priority]) => ({ source, priority }))
        .sort((a, b) => a.priority - b.priority || compareCodePoints(a.source, b.source));
      stocks.set(s.id, { id: s.id, name: s.name, salesChannels: sortChannels(s.channels), links });
    }
    const sources = new Map([...this.sources].map(([code, fields]) => [code, { code, fields }]));
    const sourceItems = new Map([...this.items].map(([sku, items]) => [sku, itemList(items)]));
    return { sources, stocks, sourceItems };
  }
}

function itemList(items: Items): LiveSourceItem[] {
  return [...items]
    .map(([source, item]) => ({ source, quantity: item.quantity, status: item.status }))
    .sort((a, b) => compareCodePoints(a.source, b.source));
}

interface Replay {
  /** The store before the apply. */
  readonly initial: World;
  /** The store as the apply left it. */
  readonly final: World;
}

/** The store before the apply, with the done calls (and what the failed one wrote) replayed on it. */
function replayApply(applied: RollbackInput["applied"], live: LiveState, progress: ApplyProgress): Replay {
  const initial = new World(live);
  const final = new World(live);
  seedItems(initial, applied.changes, live);
  seedItems(final, applied.changes, live);
  const ids = { ...progress.createdStockIds };
  for (const call of applied.calls) {
    if (progress.done.has(call.id)) {
      for (const index of call.changes) replayChange(final, call, applied.changes[index]!, ids);
    } else if (progress.failed?.call === call.id) {
      settleFailedCall(final, call, applied.changes, progress.failed.observed, ids);
    }
  }
  return { initial, final };
}

/**
 * Source items of the plan's SKUs: as read before the apply; for a SKU that was not read, as
 * the plan's changes recorded them (a move's before first: the changes after it were
 * planned from the store as the move leaves it).
 */
function seedItems(world: World, changes: readonly Change[], live: LiveState): void {
  const fromChanges = new Set<string>();
  const settled = new Set<string>();
  const start = (sku: string): boolean => {
    if (!settled.has(sku)) {
      settled.add(sku);
      const read = live.sourceItems.get(sku);
      const items = world.itemsOf(sku);
      if (read) for (const i of read) items.set(i.source, { quantity: i.quantity, status: i.status });
      else fromChanges.add(sku);
    }
    return fromChanges.has(sku);
  };
  const known = new Set<string>();
  const record = (sku: string, source: string, item: ItemState | null) => {
    const key = `${sku}\u0000${source}`;
    if (known.has(key)) return;
    known.add(key);
    if (item) world.itemsOf(sku).set(source, item);
  };
  for (const change of changes) {
    if (change.kind === "move") {
      for (const entry of change.before) {
        if (!start(entry.sku)) continue;
        record(entry.sku, change.from, entry.origin);
        record(entry.sku, change.to, entry.destination);
      }
    } else if (change.kind === "source-item" && start(change.sku)) {
      record(change.sku, change.source, change.before);
    }
  }
}

/** What one change of a done call did to the store. */
function replayChange(world: World, call: PlannedCall, change: Change, ids: Record<string, number>): void {
  switch (change.kind) {
    case "source":
      world.sources.set(change.source, change.after);
      return;
    case "stock":
      replayStock(world, call.kind, change, ids);
      return;
    case "link": {
      const stock = world.stockOf(change);
      if (!stock) return;
      if (call.kind === "link-delete" || !change.after) stock.links.delete(change.source);
      else stock.links.set(change.source, change.after.priority);
      return;
    }
    case "source-item": {
      const items = world.itemsOf(change.sku);
      if (change.after) items.set(change.source, change.after);
      else items.delete(change.source);
      return;
    }
    case "move":
      for (const sku of change.skus) transfer(world.itemsOf(sku), change.from, change.to, change.unassign_from_origin);
      if (!world.warnings.includes(NOTIFY_QUANTITIES)) world.warnings.push(NOTIFY_QUANTITIES);
      return;
  }
}

/**
 * A transfer moves the origin's low-stock configuration along
 * (magento/inventory:InventoryLowQuantityNotification/Model/ResourceModel/BulkConfigurationTransfer.php,
 * docs/magento/msi-rest.md#bulk-routes); source-item saves do not bring it back.
 */
const NOTIFY_QUANTITIES =
  "Notify quantities (low-stock configuration) are not restored: a transfer moved the origin's along with its " +
  "quantities, and inv does not manage them. Check them in the Magento admin for the moved SKUs.";

function replayStock(world: World, kind: CallKind, change: StockChange, ids: Record<string, number>): void {
  if (kind === "stock-create") {
    // Created without channels; they come with its stock-update call.
    const stock: WorkingStock = { id: ids[change.stock] ?? null, name: change.stock, channels: [], links: new Map() };
    world.created.set(change.stock, stock);
    world.stocks.push(stock);
    return;
  }
  const stock = world.stockOf(change);
  if (!stock) return;
  if (kind === "stock-update" && change.after) {
    world.save(stock, change.after.name, change.after.sales_channels);
  } else if (kind === "stock-delete") {
    // Magento deletes a stock only once it sells on no channel; its links go with it
    // (docs/magento/msi-rest.md#stock-deletion-checks).
    if (stock.channels.length > 0) world.save(stock, stock.name, []);
    world.stocks.splice(world.stocks.indexOf(stock), 1);
  }
}

/**
 * Bulk transfer (magento/inventory:InventoryCatalog/Model/ResourceModel/BulkInventoryTransfer.php):
 * the origin's quantity is added at the destination with the origin's status, then the
 * origin is unassigned or set to 0, out of stock.
 */
function transfer(items: Items, from: string, to: string, unassign: boolean): void {
  const origin = items.get(from);
  if (!origin) return;
  const destination = items.get(to);
  items.set(to, { quantity: roundQuantity((destination?.quantity ?? 0) + origin.quantity), status: origin.status });
  if (unassign) items.delete(from);
  else items.set(from, { quantity: 0, status: "out_of_stock" });
}

// --- a failed call -------------------------------------------------------------------------

type Seen = "written" | "not-written" | "unclear";

/**
 * Each record of the failed call, as the store shows it after the failure: holding what the
 * call writes counts as written; holding what it held counts as not; anything else is named
 * in a warning and left out, as something besides the apply must have written it.
 */
function settleFailedCall(
  world: World,
  call: PlannedCall,
  changes: readonly Change[],
  observed: LiveState | undefined,
  ids: Record<string, number>,
): void {
  const carried = call.changes.map((i) => changes[i]!);
  if (!observed) {
    const shown = carried.slice(0, 5).map(changeAddress).join("; ");
    world.warnings.push(
      `Call ${call.id} (${call.description}) failed, and the store could not be read again to see what it wrote: ` +
        `if it wrote anything (${shown}${carried.length > 5 ? "; ..." : ""}), this rollback does not undo it.`,
    );
    return;
  }
  for (const change of carried) {
    const seen = seenAfterFailure(world, call, change, observed, ids);
    if (seen === "written") replayChange(world, call, change, ids);
    else if (seen === "unclear") {
      world.warnings.push(
        `${changeAddress(change)}: call ${call.id} failed, and the store now holds neither what the apply wrote ` +
          "nor what it held before; this rollback leaves it as it is.",
      );
    }
  }
}

function seenAfterFailure(
  world: World,
  call: PlannedCall,
  change: Change,
  observed: LiveState,
  ids: Record<string, number>,
): Seen {
  const judge = (now: string, written: string, before: string): Seen =>
    now === written ? "written" : now === before ? "not-written" : "unclear";
  switch (change.kind) {
    case "source": {
      const now = observed.sources.get(change.source)?.fields;
      const current = world.sources.get(change.source);
      const fields = (f: SourceFields | undefined) => (f ? JSON.stringify(change.changed.map((k) => f[k])) : "none");
      return judge(fields(now), fields(change.after), fields(current));
    }
    case "stock":
      return seenStock(world, call, change, observed, ids);
    case "link": {
      const stock = world.stockOf(change);
      if (!stock || stock.id === null) return "not-written";
      const now = observed.stocks.get(stock.id)?.links.find((l) => l.source === change.source)?.priority;
      const written = call.kind === "link-delete" ? undefined : change.after?.priority;
      return judge(String(now), String(written), String(stock.links.get(change.source)));
    }
    case "source-item": {
      const now = observed.sourceItems.get(change.sku)?.find((i) => i.source === change.source);
      return judge(
        itemKey(now),
        itemKey(change.after ?? undefined),
        itemKey(world.itemsOf(change.sku).get(change.source)),
      );
    }
    case "move": {
      // Magento runs a transfer in one transaction: every SKU moved, or none.
      const states = change.skus.map((sku) => {
        const current = world.itemsOf(sku);
        const moved = new Map(current);
        transfer(moved, change.from, change.to, change.unassign_from_origin);
        const pair = (items: (source: string) => ItemState | undefined) =>
          `${itemKey(items(change.from))} ${itemKey(items(change.to))}`;
        const seen = observed.sourceItems.get(sku) ?? [];
        return judge(
          pair((s) => seen.find((i) => i.source === s)),
          pair((s) => moved.get(s)),
          pair((s) => current.get(s)),
        );
      });
      return states.every((s) => s === states[0]) ? states[0]! : "unclear";
    }
  }
}

function seenStock(
  world: World,
  call: PlannedCall,
  change: StockChange,
  observed: LiveState,
  ids: Record<string, number>,
): Seen {
  if (call.kind === "stock-create") {
    const known = new Set(world.stocks.map((s) => s.id));
    const found = [...observed.stocks.values()].find(
      (s) => !known.has(s.id) && nameKey(s.name) === nameKey(change.stock),
    );
    if (!found) return "not-written";
    ids[change.stock] = found.id;
    return "written";
  }
  const stock = world.stockOf(change);
  if (!stock || stock.id === null) return "not-written";
  // A save moves channels of other stocks too (channelsAfterSaves): the whole picture must match.
  const unchanged = world.shows(observed, (s) => s.channels, stock, stock.name);
  if (call.kind === "stock-delete") {
    if (!observed.stocks.has(stock.id)) return "written";
    if (unchanged) return "not-written";
    // Its channels were emptied, and the delete itself did not happen.
    const emptied = world.channelsAfterSave(stock, []);
    if (world.shows(observed, (s) => emptied.get(s) ?? s.channels, stock, stock.name)) {
      world.save(stock, stock.name, []);
      return "not-written";
    }
    return "unclear";
  }
  if (!change.after) return "unclear";
  const saved = world.channelsAfterSave(stock, change.after.sales_channels);
  if (world.shows(observed, (s) => saved.get(s) ?? s.channels, stock, change.after.name)) return "written";
  return unchanged ? "not-written" : "unclear";
}

function itemKey(item: ItemState | undefined): string {
  return item ? `${item.quantity} ${item.status}` : "none";
}

// --- from the store as the apply left it, back to before ------------------------------------

interface RollbackChanges {
  readonly changes: Change[];
  readonly warnings: string[];
  readonly affectedSkus: Map<string, AffectedSku>;
  readonly checked: Plan["summary"]["checked"];
}

function rollbackChanges({ initial, final }: Replay, disableCreatedSources: boolean): RollbackChanges {
  const warnings: string[] = [];
  const changes: Change[] = [];
  const sources = sourceChanges(initial, final, disableCreatedSources, warnings);
  const stocks = stockChanges(initial, final, warnings);
  changes.push(...sources, ...stocks.stocks, ...stocks.links);
  const affectedSkus = new Map<string, AffectedSku>();
  const skus = [...final.items.keys()].sort(compareCodePoints);
  for (const sku of skus) {
    const now = final.itemsOf(sku);
    const then = initial.itemsOf(sku);
    const itemChanges = itemRollback(sku, now, then);
    if (itemChanges.length === 0) continue;
    changes.push(...itemChanges);
    affectedSkus.set(sku, { before: itemList(now), after: itemList(then) });
  }
  return {
    changes,
    warnings,
    affectedSkus,
    checked: { sources: sources.length, stocks: stocks.checked, products: affectedSkus.size },
  };
}

function sourceChanges(initial: World, final: World, disableCreated: boolean, warnings: string[]): Change[] {
  const changes: Change[] = [];
  for (const code of [...final.sources.keys()].sort(compareCodePoints)) {
    const now = final.sources.get(code)!;
    const then = initial.sources.get(code);
    if (!then) {
      const disable = disableCreated && now.enabled;
      warnings.push(
        disable
          ? `Source "${code}" was created by the apply; Magento cannot delete a source, so this rollback ` +
              "disables it (enabled: false) and leaves it in the store."
          : `Source "${code}" was created by the apply and stays: Magento cannot delete a source. The rollback ` +
              "removes its links and source items; to have it disable the source too, write the rollback with " +
              "--rollback-disable-created-sources.",
      );
      if (disable) changes.push(sourceUpdate(code, now, { ...now, enabled: false }));
      continue;
    }
    if (SOURCE_FIELDS.some((f) => now[f] !== then[f])) changes.push(sourceUpdate(code, now, then));
  }
  return changes;
}

function sourceUpdate(code: string, before: SourceFields, after: SourceFields): Change {
  const changed: SourceField[] = SOURCE_FIELDS.filter((f) => before[f] !== after[f]);
  return {
    kind: "source",
    action: "update",
    source: code,
    before,
    after,
    changed,
    // A field the apply set that was empty before is sent as null, which clears it.
    cleared: changed.filter((f) => after[f] === null),
  };
}

function stockState(stock: WorkingStock): { name: string; sales_channels: SalesChannel[] } {
  return { name: stock.name, sales_channels: sortChannels(stock.channels) };
}

/**
 * Stocks back to their names and channels, links back to their priorities. A website that
 * no stock had before the apply cannot go back to none: every save that drops it puts it on
 * the Default Stock (docs/magento/msi-rest.md#sales-channels), so that is where the rollback aims it.
 */
function stockChanges(
  initial: World,
  final: World,
  warnings: string[],
): { stocks: StockChange[]; links: LinkChange[]; checked: number } {
  const held = new Set(initial.stocks.flatMap((s) => s.channels.map(channelKey)));
  const orphans = final.stocks
    .flatMap((s) => s.channels)
    .filter((c) => c.type === WEBSITE && !held.has(channelKey(c)))
    .sort((a, b) => compareCodePoints(a.code, b.code));
  const hasDefault = initial.stocks.some((s) => s.id === DEFAULT_STOCK_ID);
  for (const website of orphans) {
    warnings.push(
      hasDefault
        ? `Website "${website.code}" was on no stock before the apply; Magento puts a website a stock drops on ` +
            "the Default Stock, so after the rollback it sells from the Default Stock."
        : `Website "${website.code}" was on no stock before the apply; Magento puts a website a stock drops on ` +
            "the Default Stock, so the rollback cannot take it back to none.",
    );
  }
  const target = (stock: WorkingStock): SalesChannel[] =>
    sortChannels(stock.id === DEFAULT_STOCK_ID ? [...stock.channels, ...orphans] : stock.channels);

  const stocks: StockChange[] = [];
  const links: LinkChange[] = [];
  const finalById = new Map(final.stocks.filter((s) => s.id !== null).map((s) => [s.id!, s]));
  const initialIds = new Set(initial.stocks.map((s) => s.id));
  for (const then of initial.stocks) {
    const now = finalById.get(then.id!);
    if (!now) {
      // Deleted by the apply: created again (Magento gives it a new id), with its channels and links.
      const after = { name: then.name, sales_channels: target(then) };
      stocks.push({
        kind: "stock",
        action: "create",
        stock: then.name,
        stock_id: null,
        before: null,
        after,
        changed: ["name", ...(after.sales_channels.length > 0 ? (["sales_channels"] as const) : [])],
        notes: [],
      });
      warnings.push(
        `Stock "${then.name}" was deleted by the apply; the rollback creates it again, with a new id ` +
          "(Magento gives a new stock the next id).",
      );
      links.push(...linkRollback(then.name, null, new Map(), then.links));
      continue;
    }
    const wanted = target(then);
    const changed: ("name" | "sales_channels")[] = [];
    if (now.name !== then.name) changed.push("name");
    if (!sameChannels(now.channels, wanted)) changed.push("sales_channels");
    if (changed.length > 0) {
      stocks.push({
        kind: "stock",
        action: "update",
        stock: then.name,
        stock_id: now.id,
        before: stockState(now),
        after: { name: then.name, sales_channels: wanted },
        changed,
        notes: [],
      });
    }
    // Links are checked against the stock's name in the store when the rollback is applied.
    links.push(...linkRollback(now.name, now.id, now.links, then.links));
  }
  for (const now of final.stocks) {
    if (initialIds.has(now.id)) continue;
    if (now.id === null) {
      warnings.push(
        `Stock "${now.name}" was created by the apply, but its id is not known, so this rollback cannot delete ` +
          "it; delete it in the Magento admin (Stores > Inventory > Stocks).",
      );
      continue;
    }
    stocks.push({
      kind: "stock",
      action: "delete",
      stock: now.name,
      stock_id: now.id,
      before: stockState(now),
      after: null,
      changed: [],
      notes: [],
    });
    links.push(...linkRollback(now.name, now.id, now.links, new Map()));
  }
  stocks.sort((a, b) => compareCodePoints(a.stock, b.stock) || (a.stock_id ?? 0) - (b.stock_id ?? 0));
  return { stocks, links, checked: initial.stocks.length + final.stocks.length - initialIds.size };
}

function linkRollback(
  stock: string,
  stockId: number | null,
  now: ReadonlyMap<string, number>,
  then: ReadonlyMap<string, number>,
): LinkChange[] {
  const changes: LinkChange[] = [];
  const sources = [...new Set([...now.keys(), ...then.keys()])];
  for (const source of sources) {
    const current = now.get(source);
    const wanted = then.get(source);
    if (current === wanted) continue;
    const before = current === undefined ? null : { priority: current };
    const after = wanted === undefined ? null : { priority: wanted };
    const action = before === null ? "create" : after === null ? "delete" : "update";
    changes.push({ kind: "link", action, stock, stock_id: stockId, source, before, after });
  }
  // In priority order, as the stock lists them; unlinked sources last.
  const rank = (c: LinkChange) => (c.after ? c.after.priority : Number.MAX_SAFE_INTEGER);
  return changes.sort((a, b) => rank(a) - rank(b) || compareCodePoints(a.source, b.source));
}

function itemRollback(sku: string, now: Items, then: Items): Change[] {
  const changes: Change[] = [];
  const sources = [...new Set([...now.keys(), ...then.keys()])].sort(compareCodePoints);
  for (const source of sources) {
    const current = now.get(source) ?? null;
    const wanted = then.get(source) ?? null;
    if (itemKey(current ?? undefined) === itemKey(wanted ?? undefined)) continue;
    // Absolute values, not a `delta` to rebase on orders since: a rollback applied twice would undo twice.
    const action = current === null ? "create" : wanted === null ? "delete" : "update";
    changes.push({ kind: "source-item", action, sku, source, before: current, after: wanted });
  }
  return changes;
}
