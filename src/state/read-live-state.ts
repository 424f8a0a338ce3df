// Reads the live store into the model types: sources, stocks with their sales channels,
// links, and the source items of the SKUs the file declares. Every read is a paged
// search with explicit sort orders, so it is complete and deterministic.

import type { MagentoClient } from "../magento/client.js";
import { sortChannels } from "../magento/equivalence.js";
import {
  liveSourceFromRaw,
  salesChannelsFromRaw,
  type RawLink,
  type RawSource,
  type RawStock,
} from "../magento/convert.js";
import type { LiveSource, LiveSourceItem, LiveState, LiveStock, StockLink } from "../model.js";
import { compareCodePoints } from "../sort.js";
import { SourceItemsRead } from "./read-source-items.js";

export interface ReadProgress {
  readonly what: "sources" | "stocks" | "links" | "source items";
  readonly done: number;
  readonly total: number;
}

export interface ReadOptions {
  /** SKUs whose source items are read. */
  readonly skus: ReadonlySet<string>;
  readonly onProgress?: (progress: ReadProgress) => void;
}

export async function readLiveState(client: MagentoClient, options: ReadOptions): Promise<LiveState> {
  return startLiveRead(client, options.onProgress, false).finish(options.skus);
}

/** A read of the store begun before the file is parsed; it learns the SKUs at the end. */
export interface LiveRead {
  /** The file declares at least this many source items so far (it may start the scan early). */
  declared(rows: number): void;
  finish(skus: ReadonlySet<string>): Promise<LiveState>;
}

/**
 * Starts reading sources, stocks and links at once, and with `probe` page 1 of a scan of
 * the source items too, so the network works while the file is still being parsed.
 */
export function startLiveRead(
  client: MagentoClient,
  onProgress?: (progress: ReadProgress) => void,
  probe = true,
): LiveRead {
  const progress = (what: ReadProgress["what"]) => (done: number, total: number) => onProgress?.({ what, done, total });
  const early = Promise.all([
    readSources(client, progress("sources")),
    readStocks(client, progress("stocks")),
    readLinks(client, progress("links")),
  ]);
  // If the file fails to load, nobody awaits these; that is not an error of its own.
  early.catch(() => {});
  const items = new SourceItemsRead(client, progress("source items"));
  if (probe) items.start();
  return {
    declared: (rows) => items.declared(rows),
    async finish(skus) {
      const [[sources, stocks, links], sourceItems] = await Promise.all([early, items.finish(skus)]);
      return { sources, stocks: attachLinks(stocks, links), sourceItems };
    },
  };
}

export async function readSources(
  client: MagentoClient,
  onPage?: (done: number, total: number) => void,
): Promise<Map<string, LiveSource>> {
  const rows = await client.search<RawSource, LiveSource>(
    "V1/inventory/sources",
    { filterGroups: [], sortOrders: [{ field: "source_code", direction: "ASC" }] },
    liveSourceFromRaw,
    onPage,
  );
  return new Map(rows.map((s) => [s.code, s]));
}

interface StockRow {
  readonly id: number;
  readonly name: string;
  readonly salesChannels: LiveStock["salesChannels"];
}

async function readStocks(client: MagentoClient, onPage?: (done: number, total: number) => void): Promise<StockRow[]> {
  return client.search<RawStock, StockRow>(
    "V1/inventory/stocks",
    { filterGroups: [], sortOrders: [{ field: "stock_id", direction: "ASC" }] },
    (raw) => ({
      id: Number(raw.stock_id),
      name: raw.name,
      salesChannels: sortChannels(salesChannelsFromRaw(raw)),
    }),
    onPage,
  );
}

interface LinkRow extends StockLink {
  readonly stockId: number;
}

export async function readLinks(
  client: MagentoClient,
  onPage?: (done: number, total: number) => void,
): Promise<LinkRow[]> {
  return client.search<RawLink, LinkRow>(
    "V1/inventory/stock-source-links",
    {
      filterGroups: [],
      sortOrders: [
        { field: "stock_id", direction: "ASC" },
        { field: "priority", direction: "ASC" },
        { field: "source_code", direction: "ASC" },
      ],
    },
    (raw) => ({ stockId: Number(raw.stock_id), source: raw.source_code, priority: Number(raw.priority) }),
    onPage,
  );
}

function attachLinks(stocks: readonly StockRow[], links: readonly LinkRow[]): Map<number, LiveStock> {
  const byStock = new Map<number, StockLink[]>();
  for (const link of links) {
    let list = byStock.get(link.stockId);
    if (!list) byStock.set(link.stockId, (list = []));
    list.push({ source: link.source, priority: link.priority });
  }
  const result = new Map<number, LiveStock>();
  for (const stock of stocks) {
    const stockLinks = (byStock.get(stock.id) ?? []).sort(
      (a, b) => a.priority - b.priority || compareCodePoints(a.source, b.source),
    );
    result.set(stock.id, { ...stock, links: stockLinks });
  }
  return result;
}

export type { LiveSourceItem };
