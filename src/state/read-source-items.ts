// Reads the source items of the declared SKUs with the fewest requests the store allows.
// Two ways give the same rows: `sku in (...)` filters in chunks, or one scan of every
// source item kept only where the SKU is declared. Page 1 of the scan is read first, even
// before the file is parsed: it tells the store's total and its rows per SKU, from which
// the cheaper way follows. A file that turns out to declare most of the store starts the
// scan while it is still being parsed.

import type { MagentoClient, SearchResult } from "../magento/client.js";
import { identifierKey, pageCount } from "../magento/equivalence.js";
import { forEachPooled } from "../magento/pool.js";
import { liveItemFromRaw, type RawSourceItem } from "../magento/convert.js";
import { inFilterChunks, MAX_FILTER_BYTES, type SearchCriteria, type SortOrder } from "../magento/search-criteria.js";
import type { LiveSourceItem } from "../model.js";
import { compareCodePoints } from "../sort.js";

const ROUTE = "V1/inventory/source-items";
const SORT: readonly SortOrder[] = [
  { field: "sku", direction: "ASC" },
  { field: "source_code", direction: "ASC" },
];
const SCAN: SearchCriteria = { filterGroups: [], sortOrders: SORT };
/** Bytes a typical SKU takes in an `in` filter, to size chunks before they are built. */
const TYPICAL_SKU_BYTES = 30;
/** Up to this many SKUs, read by filter without probing the store first. */
const SMALL_READ_SKUS = 200;

type Items = Map<string, LiveSourceItem[]>;
type OnPage = (done: number, total: number) => void;
type Page = SearchResult<RawSourceItem> & { pageSize: number };

export class SourceItemsRead {
  private probe: Promise<Page> | undefined;
  private probed: Page | undefined;
  private scan: Promise<void> | undefined;
  /** Rows the scan read, of every SKU in the store. */
  private readonly scanned: Items = new Map();
  private readonly progress: Progress;

  constructor(
    private readonly client: MagentoClient,
    onPage?: OnPage,
  ) {
    this.progress = new Progress(onPage);
  }

  /** Reads page 1 of the scan: the store's total, and the rows per SKU. */
  start(): void {
    if (this.probe) return;
    this.probe = this.client.searchPage<RawSourceItem>(ROUTE, SCAN, 1).then((page) => {
      this.probed = page;
      this.progress.tick();
      return page;
    });
    // A file that fails to load leaves the probe unawaited; its failure is not an error then.
    this.probe.catch(() => {});
  }

  /** The file declares about `rows` source items; at half the store or more, scanning is surely cheapest. */
  declared(rows: number): void {
    const page = this.probed;
    if (!page || this.scan || page.total_count <= page.pageSize) return;
    if (rows * 2 >= page.total_count) this.startScan(page);
  }

  async finish(skus: ReadonlySet<string>): Promise<Items> {
    const result: Items = new Map();
    for (const sku of skus) result.set(sku, []);
    if (skus.size === 0) return result;
    if (!this.probe && skus.size <= SMALL_READ_SKUS) {
      // A handful of SKUs (a verification, a small file): their chunk is cheaper than any probe.
      await this.readFiltered([...skus].sort(compareCodePoints), SMALL_READ_SKUS, result);
      return result;
    }
    this.start();
    const page = await this.probe!;
    if (!this.scan && page.total_count > page.pageSize) {
      const sorted = [...skus].sort(compareCodePoints);
      const rowsPerSku = estimateRowsPerSku(page);
      const scanRemaining = pageCount(page.total_count, page.pageSize) - 1;
      const skusPerChunk = chunkSize(rowsPerSku, page.pageSize);
      if (scanRemaining > estimateFilteredRequests(sorted.length, rowsPerSku, skusPerChunk, page.pageSize)) {
        await this.readFiltered(sorted, skusPerChunk, result);
        return result;
      }
      this.startScan(page);
    }
    if (this.scan) await this.scan;
    else for (const raw of page.items) this.addScanned(raw);
    return this.keepDeclared(skus, result);
  }

  private startScan(first: Page): void {
    for (const raw of first.items) this.addScanned(raw);
    this.scan = this.readPages(SCAN, first, (raw) => this.addScanned(raw));
    this.scan.catch(() => {});
  }

  private addScanned(raw: RawSourceItem): void {
    addItem(this.scanned, raw.sku, raw);
  }

  /**
   * The scan's rows of the declared SKUs; a case variant is kept under the stored spelling so the rules can point it
   * out.
   */
  private keepDeclared(skus: ReadonlySet<string>, result: Items): Items {
    let folded: Map<string, string[]> | undefined;
    for (const sku of skus) {
      const items = this.scanned.get(sku);
      if (items) {
        result.set(sku, items);
        continue;
      }
      folded ??= foldKeys(this.scanned);
      for (const stored of folded.get(identifierKey(sku)) ?? []) result.set(stored, this.scanned.get(stored)!);
    }
    return result;
  }

  private async readFiltered(sorted: readonly string[], skusPerChunk: number, result: Items): Promise<void> {
    const keep = declaredMatcher(new Set(sorted));
    const add = (raw: RawSourceItem) => {
      const sku = keep(raw.sku);
      if (sku !== undefined) addItem(result, sku, raw);
    };
    const chunks = inFilterChunks("sku", sorted, skusPerChunk, SORT);
    this.progress.expect(chunks.length + (this.probe ? 1 : 0));
    await forEachPooled(chunks, this.client.readConcurrency, async (criteria) => {
      const first = await this.client.searchPage<RawSourceItem>(ROUTE, criteria, 1);
      this.progress.tick();
      first.items.forEach(add);
      await this.readPages(criteria, first, add);
    });
  }

  private async readPages(criteria: SearchCriteria, first: Page, add: (raw: RawSourceItem) => void): Promise<void> {
    if (first.items.length < first.pageSize) return;
    const total = pageCount(first.total_count, first.pageSize);
    this.progress.expect(total - 1, true);
    const rest = Array.from({ length: Math.max(0, total - 1) }, (_, i) => i + 2);
    await forEachPooled(rest, this.client.readConcurrency, async (page) => {
      const result = await this.client.searchPage<RawSourceItem>(ROUTE, criteria, page, first.pageSize);
      for (const raw of result.items) add(raw);
      this.progress.tick();
    });
  }
}

/** Reads the source items of `skus` in one go (for callers that know the SKUs up front). */
export async function readSourceItems(
  client: MagentoClient,
  skus: ReadonlySet<string>,
  onPage?: OnPage,
): Promise<Items> {
  return new SourceItemsRead(client, onPage).finish(skus);
}

/** One string per source code: a million rows then hold a handful of strings, not a million. */
const sourceCodes = new Map<string, string>();

function addItem(items: Items, sku: string, raw: RawSourceItem): void {
  let list = items.get(sku);
  if (!list) items.set(sku, (list = []));
  // A row moved between pages by a concurrent write may be seen twice.
  for (const item of list) if (item.source === raw.source_code) return;
  const item = liveItemFromRaw(raw);
  let source = sourceCodes.get(item.source);
  if (source === undefined) sourceCodes.set(item.source, (source = item.source));
  // Strings compare by value, so the canonical one is put in unconditionally.
  list.push({ source, quantity: item.quantity, status: item.status });
}

function foldKeys(items: Items): Map<string, string[]> {
  const folded = new Map<string, string[]>();
  for (const sku of items.keys()) {
    const key = identifierKey(sku);
    const list = folded.get(key);
    if (list) list.push(sku);
    else folded.set(key, [sku]);
  }
  return folded;
}

/** Rows per SKU on the scan's first page, which is sorted by SKU. */
function estimateRowsPerSku(page: Page): number {
  if (page.items.length === 0) return 1;
  const distinct = new Set(page.items.map((i) => i.sku)).size;
  return Math.max(0.01, page.items.length / distinct);
}

/** SKUs per chunk: one page of rows, and no more than a request line holds. */
function chunkSize(rowsPerSku: number, pageSize: number): number {
  return Math.max(1, Math.min(Math.floor(pageSize / rowsPerSku), Math.floor(MAX_FILTER_BYTES / TYPICAL_SKU_BYTES)));
}

function estimateFilteredRequests(skus: number, rowsPerSku: number, skusPerChunk: number, pageSize: number): number {
  return Math.ceil(skus / skusPerChunk) * pageCount(skusPerChunk * rowsPerSku, pageSize);
}

/**
 * Declared SKUs match stored ones without case, as MySQL's collation does; a case variant
 * is kept under the stored spelling so the rules can point it out.
 */
function declaredMatcher(skus: ReadonlySet<string>): (sku: string) => string | undefined {
  let folded: Set<string> | undefined;
  return (sku) => {
    if (skus.has(sku)) return sku;
    folded ??= new Set([...skus].map(identifierKey));
    return folded.has(identifierKey(sku)) ? sku : undefined;
  };
}

/** Pages read of an estimated total; the estimate grows as chunks turn out to span pages. */
class Progress {
  private done = 0;
  private total = 1;

  constructor(private readonly onPage: OnPage | undefined) {}

  expect(pages: number, more = false): void {
    this.total = more ? this.total + pages : Math.max(this.total, pages);
  }

  tick(): void {
    this.done++;
    this.total = Math.max(this.total, this.done);
    this.onPage?.(this.done, this.total);
  }
}
