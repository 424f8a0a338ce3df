// What Magento treats as the same, written once: codes, SKUs and names compared the way its
// tables and its PHP compare them, sales channels keyed and ordered, values rounded to the
// columns that store them, where a website goes when its stock drops it, and how many pages
// a search has. Every stage calls these instead of restating them. Pure: nothing here
// reaches the store, so the diff and the renderers may use it too.

import type { SalesChannel } from "../model.js";
import { compareCodePoints } from "../sort.js";

// --- codes, SKUs and names -------------------------------------------------------------

/**
 * Source codes, SKUs and channel codes as Magento's tables compare them: without case and
 * without trailing spaces, as the utf8_general_ci collation (PAD SPACE) every table is
 * created with does
 * (magento/magento2:lib/internal/Magento/Framework/Setup/Declaration/Schema/Dto/Factories/Table.php).
 * The collation also ignores accents; inv does not, so two codes that differ only in accents
 * are two codes here and one row in Magento (a save then fails there, and says so).
 */
export function identifierKey(value: string): string {
  const key = value.toLowerCase();
  return key.endsWith(" ") ? key.replace(/ +$/, "") : key;
}

export function sameIdentifier(a: string, b: string): boolean {
  return a === b || identifierKey(a) === identifierKey(b);
}

/** PHP's trim() without a character list strips these, and only these. */
const PHP_TRIM = /^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g;

export function phpTrim(value: string): string {
  return value.replace(PHP_TRIM, "");
}

/**
 * Stock and source names as Magento's unique-name check compares them: the saved name
 * trimmed by PHP's trim(), then compared by the column's collation, without case
 * (magento/inventory:Inventory/Model/ResourceModel/Stock.php adds `name` as a unique field;
 * magento/magento2:lib/internal/Magento/Framework/Model/ResourceModel/Db/AbstractDb.php::_checkUnique).
 */
export function nameKey(name: string): string {
  return identifierKey(phpTrim(name));
}

export function sameName(a: string, b: string): boolean {
  return a === b || nameKey(a) === nameKey(b);
}

/**
 * The store's stock a declared stock is: the one of its name, or, when there is none, the
 * one it is renamed from (`renamed_from`), which the plan renames in place. Stock ids differ
 * between stores, so names are all a file has.
 */
export function liveStockFor<S extends { readonly name: string }>(
  stock: { readonly name: string; readonly renamedFrom?: { readonly name: string } },
  byNameKey: ReadonlyMap<string, S>,
): S | undefined {
  const own = byNameKey.get(nameKey(stock.name));
  if (own || stock.renamedFrom === undefined) return own;
  return byNameKey.get(nameKey(stock.renamedFrom.name));
}

// --- sales channels --------------------------------------------------------------------

/** Magento's only built-in channel type, and the only one it moves to the Default Stock. */
export const WEBSITE = "website";

/**
 * A channel's identity: the channel table's key is (type, code), compared by the collation
 * (magento/inventory:InventorySales/etc/db_schema.xml, inventory_stock_sales_channel).
 */
export function channelKey(channel: SalesChannel): string {
  return `${channel.type}\u0000${identifierKey(channel.code)}`;
}

/** The order channels are listed in everywhere (files, plans, graphs): by type, then code. */
export function compareChannels(a: SalesChannel, b: SalesChannel): number {
  return compareCodePoints(a.type, b.type) || compareCodePoints(a.code, b.code);
}

/** A sorted copy holding only `type` and `code`. */
export function sortChannels(channels: readonly SalesChannel[]): SalesChannel[] {
  return channels.map((c) => ({ type: c.type, code: c.code })).sort(compareChannels);
}

/** The same channels, in any order and spelled in any case. */
export function sameChannels(a: readonly SalesChannel[], b: readonly SalesChannel[]): boolean {
  if (a.length !== b.length) return false;
  const keys = new Set(a.map(channelKey));
  return b.every((c) => keys.has(channelKey(c)));
}

// --- the website fallback --------------------------------------------------------------

/** One stock save: the stock is saved with exactly these channels. */
export interface ChannelSave<K> {
  readonly stock: K;
  readonly channels: readonly SalesChannel[];
}

/** What a set of saves does to channels beyond the saved stocks' own lists. */
export type ChannelMove<K> =
  /** A saved stock took a channel that another stock had. */
  | { readonly kind: "taken"; readonly channel: SalesChannel; readonly from: K; readonly to: K }
  /** A website a saved stock had and no saved stock has now: it goes to the Default Stock (undefined: none known). */
  | { readonly kind: "fallback"; readonly channel: SalesChannel; readonly from: K; readonly to: K | undefined };

export interface ChannelsAfterSaves<K> {
  /** Every stock's channels once the saves are done: those of `before`, and the saved ones. */
  readonly channels: Map<K, SalesChannel[]>;
  /** Takes in the order of the saves and their channels, then fallbacks in the order of each saved stock's channels. */
  readonly moves: readonly ChannelMove<K>[];
}

/**
 * Where sales channels end up once Magento has saved each stock of `saves`, in any order
 * (magento/inventory:InventorySales/Plugin/InventoryApi/StockRepository/SaveSalesChannelsLinksPlugin.php,
 * magento/inventory:InventorySales/Model/GetUnassignedSalesChannelsForStock.php,
 * magento/inventory:InventorySales/Model/ResourceModel/ReplaceSalesChannelsDataForStock.php): a save replaces
 * the stock's channels; a channel another stock had leaves it (the rows are upserted on
 * (type, code)); a website the saved stock had and no longer has is merged into the Default
 * Stock's channels, even when the saved stock is the Default Stock. Other channel types are
 * dropped. A website that another save takes ends there, whichever save runs first.
 * To delete a stock, Magento needs it saved without channels first: pass that save.
 */
export function channelsAfterSaves<K>(
  before: ReadonlyMap<K, readonly SalesChannel[]>,
  saves: readonly ChannelSave<K>[],
  defaultStock: K | undefined,
): ChannelsAfterSaves<K> {
  const ownerBefore = new Map<string, K>();
  for (const [stock, channels] of before) for (const c of channels) ownerBefore.set(channelKey(c), stock);
  const claimedBy = new Map<string, K>();
  for (const save of saves) for (const c of save.channels) claimedBy.set(channelKey(c), save.stock);
  const saved = new Map(saves.map((s) => [s.stock, s.channels] as const));

  const channels = new Map<K, SalesChannel[]>();
  for (const [stock, list] of before) {
    const own = saved.get(stock);
    channels.set(stock, own ? [...own] : list.filter((c) => !claimedBy.has(channelKey(c))));
  }
  for (const save of saves) if (!channels.has(save.stock)) channels.set(save.stock, [...save.channels]);

  const moves: ChannelMove<K>[] = [];
  for (const save of saves) {
    for (const channel of save.channels) {
      const from = ownerBefore.get(channelKey(channel));
      if (from !== undefined && from !== save.stock) moves.push({ kind: "taken", channel, from, to: save.stock });
    }
  }
  const fallbackList = defaultStock !== undefined ? channels.get(defaultStock) : undefined;
  for (const save of saves) {
    for (const channel of before.get(save.stock) ?? []) {
      if (channel.type !== WEBSITE || claimedBy.has(channelKey(channel))) continue;
      moves.push({ kind: "fallback", channel, from: save.stock, to: fallbackList ? defaultStock : undefined });
      if (fallbackList && !fallbackList.some((c) => channelKey(c) === channelKey(channel))) fallbackList.push(channel);
    }
  }
  return { channels, moves };
}

// --- decimals --------------------------------------------------------------------------

/** Quantities are decimal(12,4) (magento/inventory:Inventory/etc/db_schema.xml, inventory_source_item). */
export function roundQuantity(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

/**
 * A quantity Magento stores as given: at most 4 decimals, allowing for binary floating point.
 * Values that are not finite numbers are the schema's to refuse, not this check's.
 */
export function fitsQuantityScale(value: number): boolean {
  return !(Math.abs(Math.round(value * 1e4) - value * 1e4) > 1e-6);
}

/** Coordinates are decimal(8,6) and decimal(9,6) (magento/inventory:Inventory/etc/db_schema.xml, inventory_source). */
export function roundCoordinate(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

// --- paging ----------------------------------------------------------------------------

/**
 * The pages a search of `total` rows has at `pageSize`: at least one, as Magento answers an
 * empty search with one page (magento/magento2:lib/internal/Magento/Framework/Data/Collection.php::getLastPageNumber).
 */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
