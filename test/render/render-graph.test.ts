// The Mermaid rendering of a topology, and the topologies it is drawn from: live, after a
// plan's changes, and as a file declares it.

import { describe, expect, it } from "vitest";
import { diff } from "../../src/diff/diff.js";
import { topologyOf, topologyOfDesired, type Topology } from "../../src/diff/topology.js";
import { escapeLabel, renderGraph } from "../../src/render/render-graph.js";
import { DEFAULT_SOURCE, desired, live } from "../helpers/states.js";

const TOPOLOGY: Topology = {
  stocks: [
    { id: 1, name: "Default Stock", sales_channels: [], links: [{ source: "default", priority: 1 }] },
    {
      id: 2,
      name: 'US "Main" <Stock> #1',
      sales_channels: [
        { type: "website", code: "base" },
        { type: "website", code: "us" },
      ],
      links: [
        { source: "ne_wh", priority: 1 },
        { source: "hq", priority: 2 },
      ],
    },
    { id: null, name: "EU Stock", sales_channels: null, links: [{ source: "hq", priority: 5 }] },
  ],
  sources: [
    { code: "default", name: "Default Source", enabled: true },
    { code: "hq", name: "HQ & Co `x` 50%", enabled: false },
    { code: "ne_wh", name: null, enabled: null },
  ],
};

describe("renderGraph", () => {
  it("draws channels -> stocks -> sources, each stock's edges numbered in priority order", () => {
    expect(renderGraph(TOPOLOGY)).toBe(
      [
        "flowchart LR",
        '  channel_1(["website base"])',
        '  channel_2(["website us"])',
        '  stock_1[["Default Stock<br/>stock 1"]]',
        '  stock_2[["US #quot;Main#quot; #lt;Stock#gt; #35;1<br/>stock 2"]]',
        '  stock_3[["EU Stock<br/>new, id known after apply<br/>sales channels kept as they are"]]',
        '  source_1["Default Source<br/>default"]',
        '  source_2["HQ #amp; Co #96;x#96; 50#37;<br/>hq<br/>disabled"]',
        '  source_3["ne_wh"]',
        '  stock_1 -->|"1"| source_1',
        "  channel_1 --> stock_2",
        "  channel_2 --> stock_2",
        '  stock_2 -->|"1"| source_3',
        '  stock_2 -->|"2"| source_2',
        '  stock_3 -->|"5"| source_2',
        "  classDef disabled stroke-dasharray: 4 3",
        "  class source_2 disabled",
        "",
      ].join("\n"),
    );
  });

  it("renders the same topology the same way, whatever order its parts came in", () => {
    const shuffled: Topology = {
      ...TOPOLOGY,
      stocks: TOPOLOGY.stocks.map((s) => ({
        ...s,
        sales_channels: s.sales_channels ? [...s.sales_channels].reverse() : null,
      })),
    };
    expect(renderGraph(shuffled)).toBe(renderGraph(TOPOLOGY));
  });

  it("leaves out the id line of a stock only a file names", () => {
    expect(renderGraph(TOPOLOGY, { withoutId: "unknown" })).toContain(
      'stock_3[["EU Stock<br/>sales channels kept as they are"]]',
    );
  });

  it("gives a linked source a node even when the topology does not name it", () => {
    const text = renderGraph({
      stocks: [{ id: 3, name: "S", sales_channels: [], links: [{ source: "x", priority: 1 }] }],
      sources: [],
    });
    expect(text).toContain('  source_1["x"]\n');
    expect(text).toContain('  stock_1 -->|"1"| source_1\n');
  });

  it("says so when there are no stocks", () => {
    expect(renderGraph({ stocks: [], sources: [] })).toBe('flowchart LR\n  none["no stocks"]\n');
  });

  it("escapes what would end a label, start an entity, form HTML, a comment or a fence, and folds line breaks", () => {
    expect(escapeLabel('a"b#c&d<e>f`g%h\ni\tj')).toBe("a#quot;b#35;c#amp;d#lt;e#gt;f#96;g#37;h i j");
    // Each character is escaped once: an entity's own `#` and `;` are not escaped again.
    expect(escapeLabel("#quot;")).toBe("#35;quot;");
    expect(escapeLabel("Lager Süd (Halle 2) [A]")).toBe("Lager Süd (Halle 2) [A]");
  });
});

describe("topologies", () => {
  const store = live({
    sources: [
      DEFAULT_SOURCE,
      { source_code: "ne_wh", name: "NE", country_id: "US", postcode: "1", enabled: true },
      { source_code: "hq", name: "HQ", country_id: "US", postcode: "1", enabled: false },
    ],
    stocks: [
      { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
      {
        id: 2,
        name: "US",
        channels: ["us"],
        links: [
          ["hq", 1],
          ["ne_wh", 2],
        ],
      },
    ],
  });

  it("reads the live store with only linked sources, stocks by id and links by priority", () => {
    const topology = topologyOf(store);
    expect(
      topology.stocks.map((s) => [s.id, s.name, s.sales_channels?.map((c) => c.code), s.links.map((l) => l.source)]),
    ).toEqual([
      [1, "Default Stock", ["base"], ["default"]],
      [2, "US", ["us"], ["hq", "ne_wh"]],
    ]);
    expect(topology.sources).toEqual([
      { code: "default", name: "Default Source", enabled: true },
      { code: "hq", name: "HQ", enabled: false },
      { code: "ne_wh", name: "NE", enabled: true },
    ]);
  });

  it("applies a plan's changes the way Magento does: new stocks, reordered links, channels taken and parked", () => {
    const file = desired({
      sources: { west_wh: { name: "West", country_id: "US", postcode: "2" } },
      stocks: {
        US: { channels: ["base"], links: ["ne_wh", "hq"] },
        "EU Stock": { channels: ["us"], links: ["west_wh"] },
      },
    });
    const after = diff(file, store).topology.after;
    expect(
      after.stocks.map((s) => [
        s.id,
        s.name,
        s.sales_channels?.map((c) => c.code),
        s.links.map((l) => `${l.source}:${l.priority}`),
      ]),
    ).toEqual([
      // base moved to US; nothing parks on the Default Stock because "us" went to EU Stock.
      [1, "Default Stock", [], ["default:1"]],
      [2, "US", ["base"], ["ne_wh:1", "hq:2"]],
      [null, "EU Stock", ["us"], ["west_wh:1"]],
    ]);
    expect(after.sources.map((s) => s.code)).toEqual(["default", "hq", "ne_wh", "west_wh"]);
    expect(after.sources.find((s) => s.code === "west_wh")).toEqual({ code: "west_wh", name: "West", enabled: true });
  });

  it("parks a website a stock drops on the Default Stock", () => {
    const file = desired({ stocks: { US: { channels: [], links: ["hq", "ne_wh"] } } });
    const after = diff(file, store).topology.after;
    expect(after.stocks.map((s) => s.sales_channels?.map((c) => c.code))).toEqual([["base", "us"], []]);
  });

  it("draws a file's own stocks offline, without names it does not declare", () => {
    const topology = topologyOfDesired(
      desired({
        sources: { ne_wh: { name: "NE", country_id: "US", postcode: "1" } },
        stocks: { US: { links: ["ne_wh", "hq"] } },
      }),
    );
    expect(topology.stocks).toEqual([
      {
        id: null,
        name: "US",
        sales_channels: null,
        links: [
          { source: "ne_wh", priority: 1 },
          { source: "hq", priority: 2 },
        ],
      },
    ]);
    expect(topology.sources).toEqual([
      { code: "hq", name: null, enabled: null },
      { code: "ne_wh", name: "NE", enabled: null },
    ]);
  });
});
