// The two non-inventory reads inv needs: the product catalog and the websites.
// Magento: magento/magento2:app/code/Magento/Catalog/etc/webapi.xml (GET /V1/products, Magento_Catalog::products),
// magento/magento2:app/code/Magento/Store/etc/webapi.xml (GET /V1/store/websites, Magento_Backend::store, "All Stores";
// anonymous in 2.0's copy of that file).

import { collationKey, compareKeys } from "../collation.js";
import { SEARCH_CRITERIA } from "../input/data-objects.js";
import { asObject, object } from "../input/types.js";
import { productOut, searchResults } from "../output.js";
import { criteriaFromInput } from "../search/criteria.js";
import { searchRows } from "../search/engine.js";
import { PRODUCT_COLUMNS } from "./columns.js";
import type { RouteDef } from "./route-def.js";

export const catalogAndStoreRoutes: readonly RouteDef[] = [
  {
    method: "GET",
    path: "V1/products",
    acl: ["Magento_Catalog::products"],
    params: [{ name: "searchCriteria", type: object(SEARCH_CRITERIA) }],
    handle: ([criteriaIn], ctx) => {
      const criteria = criteriaFromInput(asObject(criteriaIn));
      const rows = [...ctx.store.products.values()];
      const page = searchRows(
        rows,
        PRODUCT_COLUMNS,
        criteria,
        ctx.lastPageBehavior,
        (a, b) => a.entity_id - b.entity_id,
      );
      return searchResults(page.items.map(productOut), criteria, page.total);
    },
  },
  {
    method: "GET",
    path: "V1/store/websites",
    acl: ["Magento_Backend::store"],
    params: [],
    handle: (_args, ctx) =>
      [...ctx.store.websites]
        .sort((a, b) => a.website_id - b.website_id || compareKeys(collationKey(a.code), collationKey(b.code)))
        .map((w) => ({ id: w.website_id, code: w.code, name: w.name, default_group_id: w.default_group_id })),
  },
];
