// The plans the golden files render: fixed in-memory files and stores, through diff() and
// buildPlan() with a fixed time, version and no git, so every rendering is byte-stable.

import { diff } from "../../src/diff/diff.js";
import { markBaseChanges, rebase } from "../../src/diff/three-way.js";
import { buildPlan, type Plan } from "../../src/plan/plan.js";
import { DEFAULT_SOURCE, desired, live, planOf } from "../helpers/states.js";

export { planOf };


/** A fresh Magento (default source and stock) brought to a small shop: creates, and unassigns from the default source. */
function freshShop(): Plan {
  const store = live({
    items: { "24-WB01": [["default", 100, 1]], "24-WB03": [["default", 100, 1]], "240-LV06": [["default", 0, 0]] },
  });
  const file = desired({
    sources: {
      ne_wh: { name: "Northeast Warehouse", country_id: "US", postcode: "07306", latitude: 40.73379, longitude: -74.05872, email: "ne-warehouse@example.com" },
      brooklyn: { name: "Brooklyn Store", country_id: "US", postcode: "11201", is_pickup_location_active: true, frontend_name: "Luma Brooklyn" },
      hq: { name: "Headquarters", country_id: "US", postcode: "78701" },
    },
    stocks: { "US Stock": { channels: ["base"], links: ["ne_wh", "brooklyn", "hq"] } },
    products: {
      "24-WB01": { ne_wh: 35, brooklyn: 10 },
      "24-WB03": { ne_wh: { quantity: 0, status: "out_of_stock" } },
      "240-LV06": { hq: 9999 },
    },
  });
  return planOf(file, store);
}

const SOURCES = [
  DEFAULT_SOURCE,
  { source_code: "ne_wh", name: "Northeast Warehouse", country_id: "US", postcode: "07306", description: "Primary warehouse for the east coast, open on weekdays" },
  { source_code: "west_wh", name: "West Warehouse", country_id: "US", postcode: "94607" },
  { source_code: "brooklyn", name: "Brooklyn Store", country_id: "US", postcode: "11201" },
  { source_code: "old_wh", name: "Old Warehouse", country_id: "US", postcode: "10001" },
];

/**
 * A store that has drifted and a file that reorganises it: a source update with a long
 * text, a stock rename and website move, link priorities and a link delete, quantity
 * updates, a SKU that goes out of stock, one that loses its last source, a bulk transfer,
 * and user text that would break Markdown if it were not escaped.
 */
function reorganise(): Plan {
  const store = live({
    sources: SOURCES,
    stocks: [
      { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
      { id: 2, name: "US stock", channels: [], links: [["ne_wh", 1], ["west_wh", 2], ["old_wh", 3]] },
      { id: 3, name: "Stores <b>|</b> `pickup`", channels: ["outlet"], links: [["brooklyn", 1]] },
    ],
    items: {
      "24-WB01": [["ne_wh", 40, 1], ["west_wh", 15, 1], ["old_wh", 12, 1]],
      "24-WB03": [["ne_wh", 5, 1]],
      "24-MB04": [["old_wh", 3, 1]],
      "24-UG06": [["old_wh", 8, 1], ["ne_wh", 2, 1]],
      "SKU|<script>alert(1)</script>": [["brooklyn", 1, 1]],
      "`tick``s` @team *bold* [link](http://evil.example)": [["brooklyn", 2, 1]],
    },
  });
  const file = desired({
    sources: {
      ne_wh: { name: "Northeast Warehouse", country_id: "US", postcode: "07306", description: "Primary warehouse for the east coast, open on weekdays and Saturday mornings" },
      brooklyn: { name: "Brooklyn\nStore | <img src=x onerror=alert(1)>", country_id: "US", postcode: "11201" },
    },
    stocks: {
      "US Stock": { channels: ["base"], links: ["west_wh", "ne_wh"] },
      "Stores <b>|</b> `pickup`": { links: ["brooklyn", "ne_wh"] },
    },
    products: {
      "24-WB01": { ne_wh: 30, west_wh: 15, old_wh: 12 },
      "24-WB03": { ne_wh: { quantity: 0, status: "out_of_stock" } },
      "24-MB04": [],
      "SKU|<script>alert(1)</script>": { brooklyn: 4 },
      "`tick``s` @team *bold* [link](http://evil.example)": { brooklyn: 2, ne_wh: 1 },
    },
    moves: [{ skus: ["24-UG06"], from: "old_wh", to: "ne_wh", unassignFromOrigin: true }],
  });
  return planOf(file, store);
}

/** The store already holds what the file says. */
function noChanges(): Plan {
  const store = live({ sources: SOURCES, items: { "24-WB01": [["ne_wh", 40, 1]] } });
  const file = desired({
    sources: { ne_wh: { name: "Northeast Warehouse", country_id: "US", postcode: "07306" } },
    products: { "24-WB01": { ne_wh: 40 } },
  });
  return planOf(file, store);
}

/**
 * README's worked example with a base: orders shipped 11 units since the store was brought
 * to the file, the file received 50, and someone unlinked a source behind the file's back.
 */
function sinceBase(): Plan {
  const stocks = { "US Stock": { channels: ["base"], links: ["ne_wh", "west_wh", "berkeley"] } };
  const base = desired({
    stocks,
    products: { "24-WB01": { ne_wh: 35, west_wh: 15 }, "24-WB03": { berkeley: 20 }, "24-MB01": { ne_wh: 12 } },
  });
  const head = desired({
    stocks,
    products: { "24-WB01": { ne_wh: 85, west_wh: 15 }, "24-WB03": { berkeley: 20 }, "24-MB01": { ne_wh: 2 } },
  });
  const store = live({
    sources: SOURCES.filter((s) => s.source_code !== "old_wh").concat([
      { source_code: "berkeley", name: "Berkeley Store", country_id: "US", postcode: "94704" },
    ]),
    stocks: [
      { id: 1, name: "Default Stock", links: [["default", 1]] },
      { id: 2, name: "US Stock", channels: ["base"], links: [["ne_wh", 1], ["west_wh", 2]] },
    ],
    items: {
      "24-WB01": [["ne_wh", 30, 1], ["west_wh", 14, 1]],
      "24-WB03": [["berkeley", 18, 1]],
      "24-MB01": [["ne_wh", 7, 1]],
    },
  });
  const rebased = rebase(head, base, store, { changedOnly: false, prune: false });
  const result = markBaseChanges(diff(rebased.desired, store), head, base, rebased);
  return buildPlan({
    diff: result,
    live: store,
    batchSize: 500,
    store: { url: "https://shop.example.com", store_code: "all" },
    basis: { files: head.files, git: null },
    createdAt: "2026-01-01T00:00:00.000Z",
    invVersion: "0.0.0-golden",
    checked: { sources: head.sources.size, stocks: head.stocks.size, products: head.products.size },
    policy: head.safety,
    base: {
      base: {
        ref: "inv-applied/production",
        commit: "0123456789abcdef0123456789abcdef01234567",
        files: base.files,
        changed_only: false,
        no_longer_declared: rebased.noLongerDeclared,
        pruned: false,
      },
      movement: rebased.movement,
    },
  });
}

/** A stock renamed in place (`renamed_from`) and one deleted (`delete: true`), the website it sold on given away first. */
function stocksRenamedAndDeleted(): Plan {
  const store = live({
    sources: SOURCES,
    stocks: [
      { id: 1, name: "Default Stock", links: [["default", 1]] },
      { id: 2, name: "US Stock", channels: ["base"], links: [["ne_wh", 1], ["west_wh", 2]] },
      { id: 3, name: "Outlet", channels: ["outlet"], links: [["old_wh", 1]] },
    ],
  });
  const declared = desired({ stocks: { "North America": { channels: ["base", "outlet"], links: ["ne_wh", "west_wh"] } } });
  const origin = { file: "inventory.yaml", line: 4, column: 19 };
  const file = {
    ...declared,
    stocks: new Map([
      [
        "North America",
        { ...declared.stocks.get("North America")!, renamedFrom: { name: "US Stock", origin } },
      ],
    ]),
    stockDeletions: new Map([["Outlet", { ...origin, line: 9, column: 3 }]]),
  };
  return planOf(file, store);
}

export const GOLDEN_PLANS: Readonly<Record<string, () => Plan>> = {
  "fresh-shop": freshShop,
  "stocks-renamed-and-deleted": stocksRenamedAndDeleted,
  "since-base": sinceBase,
  reorganise,
  "no-changes": noChanges,
};
