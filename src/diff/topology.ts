// The store's shape as a graph: stocks, their sales channels, and their sources in
// priority order. `inv graph` draws the live one. The diff works out the one after apply
// once (topologyAfter), and its stock notes, the plan's summary and the renderers read it;
// a plan that changes links or stocks carries the one before and the one after.

import { channelsAfterSaves, sortChannels, type ChannelMove, type ChannelSave } from "../magento/equivalence.js";
import { DEFAULT_STOCK_ID, type DesiredState, type LiveState, type SalesChannel } from "../model.js";
import { compareCodePoints } from "../sort.js";
import type { Change, LinkChange } from "./changes.js";

export interface TopologySource {
  readonly code: string;
  /** null where the name is not known (a file that links a source it does not declare). */
  readonly name: string | null;
  /**
   * null where not known; a disabled source stays linked but sells nothing
   * (docs/magento/msi-rest.md#stock-source-links).
   */
  readonly enabled: boolean | null;
}

export interface TopologyLink {
  readonly source: string;
  readonly priority: number;
}

export interface TopologyStock {
  /** null for a stock the plan creates ("known after apply") or one only the file names. */
  readonly id: number | null;
  readonly name: string;
  /** null where the file leaves the stock's channels as they are. */
  readonly sales_channels: readonly SalesChannel[] | null;
  /** In priority order: lower numbers first, then by source code. */
  readonly links: readonly TopologyLink[];
}

export interface Topology {
  /** By id, then stocks without an id by name. */
  readonly stocks: readonly TopologyStock[];
  /** The sources some stock links, by code. */
  readonly sources: readonly TopologySource[];
}

export interface PlanTopology {
  readonly before: Topology;
  readonly after: Topology;
}

/** A stock as the store names it before apply, or as the file names a stock the plan creates (id null). */
export interface StockRef {
  readonly id: number | null;
  readonly name: string;
}

export interface TopologyAfter {
  readonly topology: Topology;
  /** Channels Magento moves on its own: taken from another stock, or back to the Default Stock. */
  readonly channelMoves: readonly ChannelMove<StockRef>[];
}

/** The live store's topology. */
export function topologyOf(live: LiveState): Topology {
  const stocks = [...live.stocks.values()].map((s) => ({
    id: s.id,
    name: s.name,
    sales_channels: sortChannels(s.salesChannels),
    links: sortLinks(s.links),
  }));
  return finish(stocks, (code) => sourceOf(live, code));
}

/** Link or stock changes are what alter the topology. */
export function changesTopology(changes: readonly Change[]): boolean {
  return changes.some((c) => c.kind === "link" || c.kind === "stock");
}

/**
 * The store as it will be once the changes are applied, with Magento's channel rules
 * (channelsAfterSaves): a channel a stock is given leaves the stock that had it, and a
 * website a stock drops (or a deleted stock had) goes back to the Default Stock.
 */
export function topologyAfter(live: LiveState, changes: readonly Change[]): TopologyAfter {
  const stocks = [...live.stocks.values()].map((s) => ({
    id: s.id as number | null,
    ref: { id: s.id, name: s.name } as StockRef,
    name: s.name,
    channels: [...s.salesChannels] as readonly SalesChannel[],
    links: new Map(s.links.map((l) => [l.source, l.priority])),
  }));
  type Working = (typeof stocks)[number];
  const find = (change: { stock_id: number | null; stock: string }): Working | undefined =>
    change.stock_id !== null
      ? stocks.find((s) => s.id === change.stock_id)
      : stocks.find((s) => s.id === null && s.name === change.stock);

  const before = new Map(stocks.map((s) => [s, s.channels] as const));
  const saves: ChannelSave<Working>[] = [];
  const deleted = new Set<Working>();
  for (const change of changes) {
    if (change.kind !== "stock") continue;
    const current = find(change);
    if (change.action === "create") {
      const ref = { id: null, name: change.stock };
      const created = { id: null, ref, name: change.stock, channels: [], links: new Map<string, number>() };
      stocks.push(created);
      saves.push({ stock: created, channels: change.after?.sales_channels ?? [] });
    } else if (current) {
      // Magento deletes a stock only once it is saved without channels.
      if (change.action === "delete") deleted.add(current);
      else if (change.after) current.name = change.after.name;
      saves.push({ stock: current, channels: change.after?.sales_channels ?? [] });
    }
  }
  const defaultStock = stocks.find((s) => s.id === DEFAULT_STOCK_ID);
  const { channels, moves } = channelsAfterSaves(before, saves, defaultStock);
  for (const stock of stocks) stock.channels = channels.get(stock) ?? stock.channels;
  for (const stock of deleted) stocks.splice(stocks.indexOf(stock), 1);

  for (const change of changes.filter((c): c is LinkChange => c.kind === "link")) {
    const stock = find(change);
    if (!stock) continue;
    if (change.after) stock.links.set(change.source, change.after.priority);
    else stock.links.delete(change.source);
  }

  const names = new Map<string, { name: string | null; enabled: boolean | null }>();
  for (const [code, source] of live.sources)
    names.set(code, { name: source.fields.name, enabled: source.fields.enabled });
  for (const change of changes)
    if (change.kind === "source") names.set(change.source, { name: change.after.name, enabled: change.after.enabled });
  const topology = finish(
    stocks.map((s) => ({
      id: s.id,
      name: s.name,
      sales_channels: sortChannels(s.channels),
      links: sortLinks([...s.links].map(([source, priority]) => ({ source, priority }))),
    })),
    (code) => ({ code, ...(names.get(code) ?? { name: null, enabled: null }) }),
  );
  const channelMoves = moves.map((m) =>
    m.kind === "taken" ? { ...m, from: m.from.ref, to: m.to.ref } : { ...m, from: m.from.ref, to: m.to?.ref },
  );
  return { topology, channelMoves };
}

/** What the file declares, without the store: its stocks, their channels and links. */
export function topologyOfDesired(desired: DesiredState): Topology {
  const stocks = [...desired.stocks.values()].map((s) => ({
    id: null,
    name: s.name,
    sales_channels: s.salesChannels ? sortChannels(s.salesChannels) : null,
    links: sortLinks(s.links ?? []),
  }));
  return finish(stocks, (code) => {
    const source = desired.sources.get(code);
    return { code, name: source?.fields.name ?? null, enabled: source?.fields.enabled ?? null };
  });
}

function finish(stocks: readonly TopologyStock[], source: (code: string) => TopologySource): Topology {
  const sorted = [...stocks].sort((a, b) => {
    if (a.id !== null && b.id !== null) return a.id - b.id;
    if (a.id !== null) return -1;
    if (b.id !== null) return 1;
    return compareCodePoints(a.name, b.name);
  });
  const codes = new Set(sorted.flatMap((s) => s.links.map((l) => l.source)));
  return { stocks: sorted, sources: [...codes].sort(compareCodePoints).map(source) };
}

function sourceOf(live: LiveState, code: string): TopologySource {
  const source = live.sources.get(code);
  return { code, name: source?.fields.name ?? null, enabled: source?.fields.enabled ?? null };
}

function sortLinks(links: readonly TopologyLink[]): TopologyLink[] {
  return links
    .map((l) => ({ source: l.source, priority: l.priority }))
    .sort((a, b) => a.priority - b.priority || compareCodePoints(a.source, b.source));
}
