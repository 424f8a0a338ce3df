// Every source item of the store, for `inv export`: one paged scan sorted by SKU and source
// code, at the largest page size the store allows, pages fetched concurrently once page 1
// has told the total (MagentoClient.search).

import type { MagentoClient } from "../magento/client.js";
import { liveItemFromRaw, type RawSourceItem } from "../magento/convert.js";
import type { LiveSourceItem } from "../model.js";
import { compareCodePoints } from "../sort.js";

const ROUTE = "V1/inventory/source-items";

/** Source items keyed by SKU as the store spells it; each SKU's items sorted by source code. */
export async function readAllSourceItems(
  client: MagentoClient,
  onPage?: (done: number, total: number) => void,
): Promise<Map<string, LiveSourceItem[]>> {
  const rows = await client.search<RawSourceItem, { sku: string; item: LiveSourceItem }>(
    ROUTE,
    {
      filterGroups: [],
      sortOrders: [
        { field: "sku", direction: "ASC" },
        { field: "source_code", direction: "ASC" },
      ],
    },
    (raw) => ({ sku: raw.sku, item: liveItemFromRaw(raw) }),
    onPage,
  );
  const bySku = new Map<string, LiveSourceItem[]>();
  for (const { sku, item } of rows) {
    let items = bySku.get(sku);
    if (!items) bySku.set(sku, (items = []));
    // A row moved between pages by a concurrent write may be seen twice.
    if (!items.some((i) => i.source === item.source)) items.push(item);
  }
  for (const items of bySku.values()) items.sort((a, b) => compareCodePoints(a.source, b.source));
  return bySku;
}
