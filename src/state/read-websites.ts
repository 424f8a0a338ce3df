// Website codes, to check stock sales channels before a save would fail with "The website
// with code "%code" does not exist." (InventorySales SalesChannelsValidator).

import { MagentoApiError } from "../errors.js";
import type { MagentoClient } from "../magento/client.js";
import { identifierKey } from "../magento/equivalence.js";

interface RawWebsite {
  readonly id: number;
  readonly code: string;
}

/**
 * The store's website codes as identifierKey() has them, or undefined when the credentials may not read them
 * (Magento_Backend::store).
 */
export async function readWebsiteCodes(client: MagentoClient): Promise<Set<string> | undefined> {
  try {
    const websites = await client.get<RawWebsite[]>("V1/store/websites");
    return new Set(websites.map((w) => identifierKey(w.code)));
  } catch (error) {
    if (error instanceof MagentoApiError && [401, 403, 404].includes(error.status)) return undefined;
    throw error;
  }
}
