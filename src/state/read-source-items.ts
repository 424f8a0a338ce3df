// Reads the source items of the declared SKUs with the fewest requests the store allows.
// Two ways give the same rows: `sku in (...)` filters in chunks, or one scan of every
// source item kept only where the SKU is declared. Page 1 of each tells its cost (the
// scan's total; the first chunk's rows per SKU), and the cheaper way reads the rest.

import type { MagentoClient, SearchResult } from "../magento/client.js";
import { liveItemFromRaw, type RawSourceItem } from "../magento/convert.js";
import { chunkForInFilter, type Filter, type SearchCriteria, type SortOrder } from "../magento/search-criteria.js";
import type { LiveSourceItem } from "../model.js";
import { compareCodePoints } from "../sort.js";

const ROUTE = "V1/inventory/source-items";
const SORT: readonly SortOrder[] = [
  { field: "sku", direction: "ASC" },
  { field: "source_code", direction: "ASC" },
];
/** Keeps a request line well under the common 8 KB web-server limit (nginx large_client_header_buffers). */
const MAX_FILTER_BYTES = 6000;
/** Input limits count every filter in a group (webapi-platform.md §2.3): at most 20 `eq`s per group. */
const MAX_EQ_PER_GROUP = 20;
const FIRST_CHUNK_SKUS = 200;

type Items = Map<string, LiveSourceItem[]>;
type OnPage = (done: number, total: number) => void;

export async function readSourceItems(client: MagentoClient, skus: ReadonlySet<string>, onPage?: OnPage): Promise<Items> {
  const items: Items = new Map();
  for (const sku of skus) items.set(sku, []);
  if (skus.size === 0) return items;
  const keep = declaredMatcher(skus);
  const add = (raw: RawSourceItem) => {
    const sku = keep(raw.sku);
    if (sku === undefined) return;
    let list = items.get(sku);
    if (!list) items.set(sku, (list = []));
    const item = liveItemFromRaw(raw);
    // A row moved between pages by a concurrent write may be seen twice.
    if (!list.some((i) => i.source === item.source)) list.push(item);
  };

  const sorted = [...skus].sort(compareCodePoints);
  const plan = filterPlan(sorted, FIRST_CHUNK_SKUS);
  const [firstChunk, ...otherChunks] = plan;
  if (!firstChunk) return items;
  const progress = new Progress(onPage);

  if (otherChunks.length === 0) {
    await readFiltered(client, firstChunk, add, progress);
    return items;
  }

  // Both probes at once: page 1 of the full scan and page 1 of the first chunk.
  const [scanFirst, chunkFirst] = await Promise.all([
    client.searchPage<RawSourceItem>(ROUTE, { filterGroups: [], sortOrders: SORT }, 1),
    client.searchPage<RawSourceItem>(ROUTE, firstChunk.criteria, 1),
  ]);
  const pageSize = scanFirst.pageSize;
  const scanRemaining = pages(scanFirst.total_count, pageSize) - 1;
  const rowsPerSku = chunkFirst.total_count / Math.max(1, firstChunk.skuCount);
  const remainingSkus = sorted.length - firstChunk.skuCount;
  const filteredRemaining = estimateFilteredRequests(remainingSkus, rowsPerSku, chunkFirst.pageSize) + pages(chunkFirst.total_count, chunkFirst.pageSize) - 1;

  if (scanRemaining <= filteredRemaining) {
    progress.expect(scanRemaining + 1);
    progress.tick();
    scanFirst.items.forEach(add);
    await readPages(client, { filterGroups: [], sortOrders: SORT }, scanFirst, add, progress);
    return items;
  }

  chunkFirst.items.forEach(add);
  const skusPerChunk = Math.max(1, Math.floor(chunkFirst.pageSize / Math.max(rowsPerSku, 0.01)));
  const rest = filterPlan(sorted.slice(firstChunk.skuCount), skusPerChunk);
  progress.expect(filteredRemaining + 1);
  progress.tick();
  await Promise.all([readPages(client, firstChunk.criteria, chunkFirst, add, progress), ...rest.map((chunk) => readFiltered(client, chunk, add, progress))]);
  return items;
}

interface Chunk {
  readonly criteria: SearchCriteria;
  readonly skuCount: number;
}

/**
 * Chunks of SKUs, each one request's filter: an `in` list (Magento splits its value on
 * commas), or for SKUs that contain a comma an OR-group of `eq` filters.
 */
function filterPlan(skus: readonly string[], maxSkus: number): Chunk[] {
  const { inChunks, eqValues } = chunkForInFilter(skus, MAX_FILTER_BYTES, maxSkus);
  const chunks: Chunk[] = inChunks.map((chunk) => ({
    criteria: { filterGroups: [[{ field: "sku", value: chunk.join(","), conditionType: "in" }]], sortOrders: SORT },
    skuCount: chunk.length,
  }));
  for (let i = 0; i < eqValues.length; i += MAX_EQ_PER_GROUP) {
    const group: Filter[] = eqValues.slice(i, i + MAX_EQ_PER_GROUP).map((value) => ({ field: "sku", value, conditionType: "eq" }));
    chunks.push({ criteria: { filterGroups: [group], sortOrders: SORT }, skuCount: group.length });
  }
  return chunks;
}

function estimateFilteredRequests(skus: number, rowsPerSku: number, pageSize: number): number {
  if (skus === 0) return 0;
  const perChunk = Math.max(1, Math.floor(pageSize / Math.max(rowsPerSku, 0.01)));
  // The URL limit may cap a chunk below one page of rows; assume ~30 bytes per SKU.
  const capped = Math.min(perChunk, Math.floor(MAX_FILTER_BYTES / 30));
  const chunks = Math.ceil(skus / capped);
  return chunks * pages(capped * rowsPerSku, pageSize);
}

async function readFiltered(client: MagentoClient, chunk: Chunk, add: (raw: RawSourceItem) => void, progress: Progress): Promise<void> {
  const first = await client.searchPage<RawSourceItem>(ROUTE, chunk.criteria, 1);
  progress.tick();
  first.items.forEach(add);
  await readPages(client, chunk.criteria, first, add, progress);
}

async function readPages(
  client: MagentoClient,
  criteria: SearchCriteria,
  first: SearchResult<RawSourceItem> & { pageSize: number },
  add: (raw: RawSourceItem) => void,
  progress: Progress,
): Promise<void> {
  if (first.items.length < first.pageSize) return;
  const total = pages(first.total_count, first.pageSize);
  const rest = Array.from({ length: Math.max(0, total - 1) }, (_, i) => i + 2);
  await Promise.all(
    rest.map(async (page) => {
      const result = await client.searchPage<RawSourceItem>(ROUTE, criteria, page, first.pageSize);
      result.items.forEach(add);
      progress.tick();
    }),
  );
}

function pages(rows: number, pageSize: number): number {
  return Math.max(1, Math.ceil(rows / pageSize));
}

/**
 * Declared SKUs match stored ones without case, as MySQL's collation does; a case variant
 * is kept under the stored spelling so the rules can point it out.
 */
function declaredMatcher(skus: ReadonlySet<string>): (sku: string) => string | undefined {
  let folded: Set<string> | undefined;
  return (sku) => {
    if (skus.has(sku)) return sku;
    folded ??= new Set([...skus].map((s) => s.toLowerCase()));
    return folded.has(sku.toLowerCase()) ? sku : undefined;
  };
}

/** Pages read of an estimated total; the estimate grows when chunks turn out to span pages. */
class Progress {
  private done = 0;
  private total = 1;

  constructor(private readonly onPage: OnPage | undefined) {}

  expect(total: number): void {
    this.total = Math.max(this.total, total);
  }

  tick(): void {
    this.done++;
    this.total = Math.max(this.total, this.done);
    this.onPage?.(this.done, this.total);
  }
}
