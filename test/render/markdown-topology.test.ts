// The Markdown plan embeds the stock graphs before and after when links or stocks change.

import { describe, expect, it } from "vitest";
import { renderMarkdown, renderMarkdownDetails } from "../../src/render/render-markdown.js";
import { MAX_GRAPH_CHARS } from "../../src/render/markdown-topology.js";
import { DEFAULT_SOURCE, desired, live, planOf } from "../helpers/states.js";

const SOURCES = [
  DEFAULT_SOURCE,
  ...["ne_wh", "west_wh"].map((code) => ({
    source_code: code,
    name: code,
    country_id: "US",
    postcode: "1",
    enabled: true,
  })),
];
const STORE = live({
  sources: SOURCES,
  stocks: [
    { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
    {
      id: 2,
      name: "US",
      links: [
        ["ne_wh", 1],
        ["west_wh", 2],
      ],
    },
  ],
});

/** The ```mermaid blocks of a Markdown text. */
function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
}

describe("the stock graphs in the Markdown plan", () => {
  it("folds the graphs before and after a reordering into one block, after the changes and before the calls", () => {
    const plan = planOf(desired({ stocks: { US: { links: ["west_wh", "ne_wh"] } } }), STORE);
    const markdown = renderMarkdown(plan);
    const [before, after] = mermaidBlocks(markdown);
    expect(before).toContain('  stock_2 -->|"1"| source_2\n  stock_2 -->|"2"| source_3\n');
    expect(after).toContain('  stock_2 -->|"1"| source_3\n  stock_2 -->|"2"| source_2\n');
    const fold = markdown.indexOf(
      "<details><summary>Stocks and their sources in priority order, before and after</summary>",
    );
    expect(fold).toBeGreaterThan(markdown.indexOf("<details><summary>Stock-source links"));
    expect(fold).toBeLessThan(markdown.indexOf("<details><summary>REST calls"));
    expect(markdown.indexOf("**Before**")).toBeLessThan(markdown.indexOf("**After**"));
  });

  it("shows them open in the details file", () => {
    const plan = planOf(desired({ stocks: { US: { links: ["west_wh", "ne_wh"] } } }), STORE);
    const details = renderMarkdownDetails(plan);
    expect(details).toContain(
      "#### Stocks and their sources in priority order, before and after\n\n**Before**\n\n```mermaid\nflowchart LR\n",
    );
    expect(mermaidBlocks(details)).toHaveLength(2);
  });

  it("has no graphs when neither links nor stocks change", () => {
    const plan = planOf(desired({ products: { A: { ne_wh: 3 } } }), live({ sources: SOURCES }));
    expect(plan.topology).toBeUndefined();
    expect(renderMarkdown(plan)).not.toContain("```mermaid");
  });

  it("leaves graphs too large for a comment to `inv graph` and the details file, and keeps them there", () => {
    const many = Array.from({ length: 300 }, (_, i) => `wh_${String(i).padStart(3, "0")}`);
    const store = live({
      sources: [
        DEFAULT_SOURCE,
        ...many.map((code) => ({
          source_code: code,
          name: `Warehouse ${code}`,
          country_id: "US",
          postcode: "1",
          enabled: true,
        })),
      ],
      stocks: [{ id: 1, name: "Default Stock", links: [["default", 1]] }],
    });
    const plan = planOf(desired({ stocks: { Big: { links: many } } }), store);
    const markdown = renderMarkdown(plan, { detailsFile: "plan-details.md" });
    expect(mermaidBlocks(markdown)).toEqual([]);
    expect(markdown).toMatch(
      new RegExp(
        /\*\*Stocks and their sources in priority order, before and after\*\*: [\d,]+ characters of Mermaid, /.source +
          /too large for this comment; see `plan-details.md` and `inv graph`\./.source,
      ),
    );
    const details = renderMarkdownDetails(plan);
    expect(mermaidBlocks(details).join("").length).toBeGreaterThan(MAX_GRAPH_CHARS);
  });

  it("keeps a stock name that tries to close the fence or inject HTML inside its label", () => {
    const plan = planOf(desired({ stocks: { "```\n<img src=x onerror=alert(1)>": { links: ["ne_wh"] } } }), STORE);
    const markdown = renderMarkdown(plan);
    const blocks = mermaidBlocks(markdown);
    expect(blocks).toHaveLength(2);
    expect(blocks[1]).toContain('[["#96;#96;#96; #lt;img src=x onerror=alert(1)#gt;<br/>new, id known after apply"]]');
    expect(blocks.join("")).not.toContain("<img");
  });
});
