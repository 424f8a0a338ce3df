// The summary's units by stock: read from the diff's topology before and after apply.

import { describe, expect, it } from "vitest";
import { DEFAULT_SOURCE, desired, live, planOf } from "../helpers/states.js";

const SOURCES = [
  DEFAULT_SOURCE,
  { source_code: "ne_wh", name: "NE", country_id: "US", postcode: "1" },
  { source_code: "hq", name: "HQ", country_id: "US", postcode: "1" },
];

describe("units by stock", () => {
  it("moves every read SKU's units out of a stock that is unlinked, naming the stock as the store does", () => {
    const store = live({
      sources: SOURCES,
      stocks: [
        { id: 1, name: "Default Stock", links: [["default", 1]] },
        {
          id: 2,
          name: "us stock",
          links: [
            ["ne_wh", 1],
            ["hq", 2],
          ],
        },
      ],
      items: { A: [["hq", 4, 1]], B: [["hq", 6, 1]], C: [["ne_wh", 1, 1]] },
    });
    // A rename and a relink: B is not declared, its units leave the stock with the link.
    const plan = planOf(desired({ stocks: { "US Stock": { links: ["ne_wh"] } } }), store);
    expect(plan.topology?.after.stocks.map((s) => s.name)).toEqual(["Default Stock", "US Stock"]);
    expect(plan.summary.units_by_stock).toEqual([{ name: "us stock", added: 0, removed: 10 }]);
  });

  it("counts the units of a stock the plan creates, under the file's name", () => {
    const store = live({ sources: SOURCES, items: { A: [["hq", 4, 1]], B: [["ne_wh", 2.5, 1]] } });
    const plan = planOf(desired({ stocks: { EU: { links: ["hq", "ne_wh"] } } }), store);
    expect(plan.summary.units_by_stock).toEqual([{ name: "EU", added: 6.5, removed: 0 }]);
  });

  it("moves only the changed SKUs' units when a stock's links stay as they are, reprioritised or not", () => {
    const store = live({
      sources: SOURCES,
      stocks: [
        {
          id: 2,
          name: "US",
          links: [
            ["ne_wh", 1],
            ["hq", 2],
          ],
        },
      ],
      items: { A: [["hq", 4, 1]], B: [["ne_wh", 6, 1]] },
    });
    const unchanged = planOf(desired({ products: { A: { hq: 1 } } }), store);
    expect(unchanged.summary.units_by_stock).toEqual([{ name: "US", added: 0, removed: 3 }]);
    const reprioritised = planOf(
      desired({ stocks: { US: { links: ["hq", "ne_wh"] } }, products: { A: { hq: 1 } } }),
      store,
    );
    expect(reprioritised.summary.units_by_stock).toEqual([{ name: "US", added: 0, removed: 3 }]);
  });
});
