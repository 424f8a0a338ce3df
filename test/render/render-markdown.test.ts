// The Markdown plan is a pull-request comment: summary first, destructive changes before
// any detail, groups folded, user text unable to break out, and never over 60,000
// characters however large the plan. Checked with CommonMark's reference parser.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Change } from "../../src/diff/changes.js";
import { topologyAfter, topologyOf } from "../../src/diff/topology.js";
import { buildPlan, type Plan } from "../../src/plan/plan.js";
import {
  MARKDOWN_MAX_CHARS,
  MARKDOWN_SECTIONS,
  renderMarkdown,
  renderMarkdownDetails,
  type MarkdownSection,
} from "../../src/render/render-markdown.js";
import { code, grouped, text } from "../../src/render/markdown-escape.js";
import { GOLDEN_PLANS, planOf } from "../golden/fixtures.js";
import { DEFAULT_SOURCE, desired, live } from "../helpers/states.js";
import { ALLOWED_HTML, codeSpans, htmlIn, parseMarkdown, splitRow, tables } from "./markdown.js";

const reorganise = GOLDEN_PLANS["reorganise"]!;

/** The line number (0-based) of the first line that contains `needle`. */
function lineOf(markdown: string, needle: string): number {
  return markdown.split("\n").findIndex((line) => line.includes(needle));
}

describe("the comment's structure", () => {
  it("puts the summary first, destructive changes next, then the folded groups and calls", () => {
    const markdown = renderMarkdown(reorganise());
    const { nodes } = parseMarkdown(markdown);
    const headings = nodes.filter((n) => n.type === "heading");
    expect(headings[0]?.level).toBe(3);
    expect(headings[0]?.firstChild?.literal).toBe("inv plan: 13 changes to ");
    const order = [
      "| changes | create | update | delete | destructive |",
      "**Units by source**",
      "**Units by stock**",
      "**Go out of stock**",
      "#### ⚠️ Destructive changes (2)",
      "<details><summary>Sources: 2 to update</summary>",
      "<details><summary>REST calls (8,",
    ];
    const positions = order.map((needle) => lineOf(markdown, needle));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The warning that points at them sits above the summary table.
    expect(lineOf(markdown, "> [!WARNING]")).toBeLessThan(positions[0]!);
    const html = htmlIn(parseMarkdown(markdown));
    expect(html.filter((h) => h.startsWith("<details>"))).toEqual([
      "<details><summary>Sources: 2 to update</summary>",
      "<details><summary>Stocks: 1 to update</summary>",
      "<details><summary>Stock-source links: 1 to create, 2 to reprioritise, 1 to delete</summary>",
      "<details><summary>Moves: 1 transfer</summary>",
      "<details><summary>Source items: 1 to assign, 3 to update, 1 to unassign</summary>",
      "<details><summary>Stocks and their sources in priority order, before and after</summary>",
      "<details><summary>REST calls (8, in the order inv apply sends them)</summary>",
    ]);
    expect(html.filter((h) => h === "</details>")).toHaveLength(7);
  });

  it("counts creates, updates and deletes per kind, with a destructive column and totals", () => {
    const [counts] = tables(renderMarkdown(reorganise()));
    expect(counts).toEqual([
      ["changes", "create", "update", "delete", "destructive"],
      ["Sources", "0", "2", "0", "0"],
      ["Stocks", "0", "1", "0", "0"],
      ["Stock-source links", "1", "2 reprioritise", "1", "**1**"],
      ["Moves", "0", "1 run", "0", "0"],
      ["Source items", "1 assign", "3", "1 unassign", "**1**"],
      ["**Total**", "**2**", "**9**", "**2**", "**2**"],
    ]);
  });

  it("sums units in and out per source and stock; names SKUs going out of stock or losing their last source", () => {
    const markdown = renderMarkdown(reorganise());
    const [, bySource, byStock] = tables(markdown);
    expect(bySource).toEqual([
      ["source", "added", "removed", "net"],
      ["`brooklyn`", "+3", "0", "+3"],
      ["`ne_wh`", "+9", "-15", "-6"],
      ["`old_wh`", "0", "-11", "-11"],
      ["**all sources**", "**+12**", "**-26**", "**-14**"],
    ]);
    expect(byStock?.[0]).toEqual(["stock", "added", "removed", "net"]);
    expect(byStock?.map((row) => row[0])).toContain("`US stock`");
    expect(markdown).toContain("- **Go out of stock** (2): `24-MB04`, `24-WB03`");
    expect(markdown).toContain("- **Loses its last source** (1): `24-MB04`");
  });

  it("says so when no SKU goes out of stock, and renders an empty plan as what it checked", () => {
    const store = live({ items: { A: [["default", 5, 1]] } });
    const more = renderMarkdown(planOf(desired({ products: { A: { default: 7 } } }), store));
    expect(more).toContain("No SKU goes out of stock or loses its last source.");
    expect(more).not.toContain("Destructive");
    const none = renderMarkdown(GOLDEN_PLANS["no-changes"]!());
    expect(
      none.startsWith(
        "### inv plan: no changes\n\nThe store at `https://shop.example.com` (store `all`) matches `inventory.yaml`.",
      ),
    ).toBe(true);
    expect(none).not.toContain("<details>");
  });

  it("lists each destructive change with what it destroys, deleted stocks included", () => {
    const base = reorganise();
    const stockDelete: Change = {
      kind: "stock",
      action: "delete",
      stock: "Legacy",
      stock_id: 7,
      before: { name: "Legacy", sales_channels: [{ type: "website", code: "old" }] },
      after: null,
      changed: [],
      notes: [],
    };
    const store = live({
      stocks: [
        { id: 1, name: "Default Stock", links: [["default", 1]] },
        { id: 7, name: "Legacy", channels: ["old"] },
      ],
    });
    const changes = [...base.changes, stockDelete];
    const topology = { before: topologyOf(store), after: topologyAfter(store, changes).topology };
    const plan = buildPlan({
      diff: { changes, unchangedItems: 0, affectedSkus: new Map(), topology },
      live: store,
      batchSize: 500,
      store: base.store,
      basis: base.basis,
      createdAt: base.created_at,
      invVersion: base.inv_version,
      checked: base.summary.checked,
    });
    const markdown = renderMarkdown(plan);
    expect(markdown).toContain("#### ⚠️ Destructive changes (3)");
    expect(markdown).toContain("- unlink `old_wh` from stock `US Stock` (priority 3)");
    expect(markdown).toContain("- unassign `24-MB04` from `old_wh`: deletes **3** units with the assignment");
    expect(markdown).toContain("- delete stock `Legacy` (id 7)");
    expect(markdown).toContain(
      "| delete ⚠️ | `Legacy` | 7 | deleted, with its sales channels (website `old`) unassigned first |",
    );
    expect(markdown).toContain('`DELETE V1/inventory/stocks/7` delete stock "Legacy"');
  });

  it("shows warnings escaped, after the destructive changes and before the details", () => {
    const plan = {
      ...reorganise(),
      warnings: ["Website codes were not checked: <b>@ops</b> *may* not read V1/store/websites."],
    };
    const markdown = renderMarkdown(plan);
    expect(lineOf(markdown, "#### Warnings")).toBeGreaterThan(lineOf(markdown, "#### ⚠️ Destructive changes"));
    expect(lineOf(markdown, "#### Warnings")).toBeLessThan(lineOf(markdown, "<details>"));
    const parsed = parseMarkdown(markdown);
    // The text a reader sees: every inline of the paragraph, with nothing turned into markup.
    const paragraph = parsed.nodes.find(
      (n) => n.type === "paragraph" && n.firstChild?.literal?.startsWith("Website codes"),
    );
    const inlines: string[] = [];
    for (let node = paragraph?.firstChild ?? null; node; node = node.next)
      inlines.push(`${node.type}:${node.literal ?? ""}`);
    expect(inlines.every((i) => i.startsWith("text:"))).toBe(true);
    expect(inlines.map((i) => i.slice(5)).join("")).toBe(
      "Website codes were not checked: <b>@\u2060ops</b> *may* not read V1/store/websites.",
    );
    for (const html of htmlIn(parsed)) expect(html).toMatch(ALLOWED_HTML);
  });

  it("takes new sections from the section list, so a later section (e.g. a graph) slots in", () => {
    const graph: MarkdownSection = {
      name: "graph",
      render: (context) => (context.plan.changes.some((c) => c.kind === "link") ? "```mermaid\ngraph LR\n```" : null),
    };
    const sections = [...MARKDOWN_SECTIONS.slice(0, 5), graph, ...MARKDOWN_SECTIONS.slice(5)];
    const markdown = renderMarkdown(reorganise(), {}, sections);
    expect(lineOf(markdown, "```mermaid")).toBeGreaterThan(lineOf(markdown, "#### ⚠️ Destructive changes"));
    expect(lineOf(markdown, "```mermaid")).toBeLessThan(lineOf(markdown, "<details>"));
    expect(renderMarkdown(GOLDEN_PLANS["no-changes"]!(), {}, sections)).not.toContain("mermaid");
  });
});

describe("user text in the comment", () => {
  it("cannot inject HTML, links, emphasis or break a table, and reads back verbatim", () => {
    const markdown = renderMarkdown(reorganise());
    const parsed = parseMarkdown(markdown);
    for (const html of htmlIn(parsed)) expect(html).toMatch(ALLOWED_HTML);
    expect(parsed.nodes.filter((n) => n.type === "link" || n.type === "image")).toEqual([]);
    const spans = codeSpans(parsed);
    expect(spans).toContain("SKU|<script>alert(1)</script>");
    expect(spans).toContain("`tick``s` @team *bold* [link](http://evil.example)");
    expect(spans).toContain("Stores <b>|</b> `pickup`");
    expect(spans).toContain('"Brooklyn\\nStore | <img src=x onerror=alert(1)>"');
    for (const table of tables(markdown)) for (const row of table) expect(row).toHaveLength(table[0]!.length);
  });

  it("shows line breaks and bidirectional overrides as escapes, and breaks @mentions in prose", () => {
    expect(code("a\nb\u202Ec")).toBe("`a\\nb\\u202ec`");
    expect(code("`x`")).toBe("`` `x` ``");
    expect(code(" padded ")).toBe("`  padded  `");
    expect(code("")).toBe("*(empty)*");
    expect(text("@team <b>*x*</b> 1. [a](b)")).toBe("@\u2060team \\<b\\>\\*x\\*\\</b\\> 1\\. \\[a\\]\\(b\\)");
    expect(grouped(1234567.25)).toBe("1,234,567.25");
    expect(grouped(-1000)).toBe("-1,000");
  });

  it("keeps any SKU, source code and stock name inert and verbatim (generated names)", () => {
    const hazards = [..."`|*_<>[]()!#@&\\:.-=+~$\"' aZ9é"];
    const name = fc
      .string({ unit: fc.constantFrom(...hazards), minLength: 1, maxLength: 12 })
      .filter((s) => s.trim() !== "" && s !== "default");
    fc.assert(
      fc.property(name, name, name, (sku, source, stock) => {
        fc.pre(sku !== source);
        const store = live({ items: { [sku]: [["default", 5, 1]] } });
        const file = desired({
          sources: { [source]: { name: `${stock} ${sku}`, country_id: "US", postcode: "1" } },
          stocks: { [stock]: { channels: [source], links: [source] } },
          products: { [sku]: { [source]: 3 } },
        });
        const markdown = renderMarkdown(planOf(file, store));
        const parsed = parseMarkdown(markdown);
        for (const html of htmlIn(parsed)) expect(html).toMatch(ALLOWED_HTML);
        expect(parsed.nodes.filter((n) => n.type === "link" || n.type === "image")).toEqual([]);
        const spans = codeSpans(parsed);
        for (const value of [sku, source, stock]) expect(spans).toContain(value);
        for (const table of tables(markdown)) for (const row of table) expect(row).toHaveLength(table[0]!.length);
      }),
      { numRuns: 150, seed: 4 },
    );
  });
});

/**
 * A store and file with `skus` x 5 source items that all change quantity, and every 50th SKU unassigned from one
 * source.
 */
function largePlan(skus: number): Plan {
  const sources = ["s1", "s2", "s3", "s4", "s5"];
  const items: Record<string, [string, number, 0 | 1][]> = {};
  const products: Record<string, Record<string, number>> = {};
  for (let i = 0; i < skus; i++) {
    const sku = `SKU-${String(i).padStart(6, "0")}`;
    items[sku] = sources.map((s, j) => [s, 10 + j, 1]);
    const wanted: Record<string, number> = {};
    sources.forEach((s, j) => {
      if (i % 50 !== 0 || j !== 4) wanted[s] = 10 + j + (i % 97) + 1;
    });
    products[sku] = wanted;
  }
  const store = live({
    sources: [DEFAULT_SOURCE, ...sources.map((s) => ({ source_code: s, name: s, country_id: "US", postcode: "1" }))],
    items,
  });
  return planOf(desired({ products }), store);
}

describe("a plan too large for one comment", () => {
  const plan = largePlan(10_000);

  it("stays under 60,000 characters with 50,000 source-item changes, and still parses", () => {
    expect(plan.changes).toHaveLength(50_000);
    const markdown = renderMarkdown(plan);
    expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    expect(markdown.length).toBeGreaterThan(MARKDOWN_MAX_CHARS * 0.8);
    const parsed = parseMarkdown(markdown);
    for (const html of htmlIn(parsed)) expect(html).toMatch(ALLOWED_HTML);
    for (const table of tables(markdown)) for (const row of table) expect(row).toHaveLength(table[0]!.length);
    expect(markdown).toContain("> This plan is too large for one comment");
    expect(markdown).toContain("Run `inv plan --out-details FILE` for the whole plan.");
  });

  it("keeps the summary whole and readable, and lists the largest changes first with counts of the rest", () => {
    const markdown = renderMarkdown(plan, { detailsFile: "plan-details.md" });
    expect(markdown).toContain("The whole plan is in `plan-details.md`.");
    const [counts] = tables(markdown);
    expect(counts).toContainEqual(["Source items", "0", "49,800", "200 unassign", "**200**"]);
    expect(counts).toHaveLength(3);
    // The largest changes first: +97 is the largest update in the plan.
    const items = tables(markdown).find((t) => t[0]?.[1] === "SKU")!;
    const deltas = items.slice(1).map((row) => Number(row[5]!.replace(/,/g, "")));
    expect(Math.abs(deltas[0]!)).toBe(97);
    for (let i = 1; i < deltas.length; i++) expect(Math.abs(deltas[i]!)).toBeLessThanOrEqual(Math.abs(deltas[i - 1]!));
    const shown = items.length - 1;
    const left = new RegExp(
      /\*… and ([\d,]+) more not shown: 49,800 to update|/.source +
        /\*… and ([\d,]+) more not shown: ([\d,]+) to update, ([\d,]+) to unassign/.source,
    ).exec(markdown);
    expect(left).not.toBeNull();
    const leftCount = Number((left![1] ?? left![2])!.replace(/,/g, ""));
    expect(shown + leftCount).toBe(50_000);
    const destructiveShown = markdown.split("\n").filter((l) => l.startsWith("- unassign `SKU-")).length;
    const destructiveLeft = Number(
      /\*… and ([\d,]+) more destructive changes not shown/.exec(markdown)?.[1]?.replace(/,/g, "") ?? "0",
    );
    expect(destructiveShown + destructiveLeft).toBe(200);
  });

  it("writes every change in the details, nothing folded or left out", () => {
    const details = renderMarkdownDetails(plan);
    const items = tables(details).find((t) => t[0]?.[1] === "SKU")!;
    expect(items).toHaveLength(50_001);
    expect(details).not.toContain("<details>");
    expect(details).not.toContain("not shown");
    expect(details).toContain("#### Source items: 49,800 to update, 200 to unassign");
  });

  it("fits any bound it is given, however small", () => {
    const small = reorganise();
    for (const max of [20_000, 5_000, 3_000]) {
      const markdown = renderMarkdown(small, { maxChars: max });
      expect(markdown.length).toBeLessThanOrEqual(max);
      parseMarkdown(markdown);
    }
    expect(renderMarkdown(small, { maxChars: 3_000 })).toContain("**Plan:**");
  });

  it("renders a plan of 1,000 unassigns readably: each counted, the largest named", () => {
    const store = live({
      items: Object.fromEntries(
        Array.from({ length: 1000 }, (_, i) => [`S${i}`, [["default", i + 1, 1] as [string, number, 0 | 1]]]),
      ),
    });
    const file = desired({ products: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`S${i}`, []])) });
    const markdown = renderMarkdown(planOf(file, store), { maxChars: 20_000 });
    expect(markdown).toContain("#### ⚠️ Destructive changes (1,000)");
    expect(markdown).toContain("- unassign `S999` from `default`: deletes **1,000** units with the assignment");
    expect(markdown).toMatch(/- \*\*Go out of stock\*\* \(1,000\): `S0`, `S1`, .*, and 980 more/);
    // The first 25 open, the rest of those that fit folded below them, then a count of the others.
    expect(markdown.split("\n").filter((l) => l.startsWith("- unassign")).length).toBeGreaterThan(25);
    expect(markdown).toMatch(/<details><summary>[\d,]+ more destructive changes<\/summary>/);
    expect(markdown).toMatch(/\*… and [\d,]+ more destructive changes not shown, deleting [\d,]+ units\.\*/);
  });
});

it("reads table rows the way GFM splits them", () => {
  expect(splitRow("| a | `b\\|c` | d |")).toEqual(["a", "`b\\|c`", "d"]);
});

describe("--show-payloads in Markdown", () => {
  it("folds each call's JSON body under its call, whole, in a fence the data cannot close", () => {
    const name = "Dock ```js\n<script>alert(1)</script>";
    const plan = planOf(desired({ sources: { east: { name, country_id: "US", postcode: "1" } } }), live({}));
    const markdown = renderMarkdown(plan, { showPayloads: true });
    const parsed = parseMarkdown(markdown);
    // The body comes back from the code block exactly, and the only HTML is inv's own folds.
    const blocks = parsed.nodes.filter((n) => n.type === "code_block");
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.info).toBe("json");
    expect(JSON.parse(blocks[0]?.literal ?? "")).toEqual(plan.calls[0]?.body);
    expect(blocks[0]?.parent?.type).toBe("item");
    for (const html of htmlIn(parsed)) expect(html).toMatch(ALLOWED_HTML);
    expect(markdown).toContain("<details><summary>payload</summary>");
    // Without the flag, no payloads.
    expect(renderMarkdown(plan)).not.toContain("payload");
  });
});
