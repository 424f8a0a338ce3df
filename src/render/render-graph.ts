// A topology as a Mermaid flowchart: sales channels -> stocks -> sources, each stock's
// edges numbered and drawn in priority order. Pure and deterministic: node ids are
// positions in the sorted topology, never names, and every label is escaped.

import { channelKey, compareChannels } from "../magento/equivalence.js";
import type { Topology, TopologySource, TopologyStock } from "../diff/topology.js";
import { compareCodePoints } from "../sort.js";

export interface GraphOptions {
  /** What a stock without an id is: one the plan creates (default), or one only a file names. */
  readonly withoutId?: "new" | "unknown";
}

/** The Mermaid source, without Markdown fences. */
export function renderGraph(topology: Topology, options: GraphOptions = {}): string {
  const lines = ["flowchart LR"];
  if (topology.stocks.length === 0) {
    lines.push(`  none["${escapeLabel("no stocks")}"]`);
    return `${lines.join("\n")}\n`;
  }

  const channelIds = new Map<string, string>();
  const channels = topology.stocks.flatMap((s) => s.sales_channels ?? []).sort(compareChannels);
  for (const channel of channels) {
    const key = channelKey(channel);
    if (channelIds.has(key)) continue;
    const id = `channel_${channelIds.size + 1}`;
    channelIds.set(key, id);
    lines.push(`  ${id}(["${escapeLabel(`${channel.type} ${channel.code}`)}"])`);
  }

  const stocks = [...topology.stocks].sort(byIdThenName);
  const stockIds = stocks.map((_, i) => `stock_${i + 1}`);
  for (const [i, stock] of stocks.entries())
    lines.push(`  ${stockIds[i]}[["${stockLabel(stock, options.withoutId ?? "new")}"]]`);

  const sourceIds = new Map<string, string>();
  const disabled: string[] = [];
  // Every linked source gets a node, named or not.
  const known = new Map(topology.sources.map((source) => [source.code, source]));
  for (const stock of stocks)
    for (const link of stock.links)
      if (!known.has(link.source)) known.set(link.source, { code: link.source, name: null, enabled: null });
  for (const source of [...known.values()].sort((a, b) => compareCodePoints(a.code, b.code))) {
    const id = `source_${sourceIds.size + 1}`;
    sourceIds.set(source.code, id);
    lines.push(`  ${id}["${sourceLabel(source)}"]`);
    if (source.enabled === false) disabled.push(id);
  }

  stocks.forEach((stock, i) => {
    const stockId = stockIds[i]!;
    const own = [...(stock.sales_channels ?? [])].sort(compareChannels);
    for (const channel of own) lines.push(`  ${channelIds.get(channelKey(channel))} --> ${stockId}`);
    const links = [...stock.links].sort((a, b) => a.priority - b.priority || compareCodePoints(a.source, b.source));
    for (const link of links) {
      lines.push(`  ${stockId} -->|"${link.priority}"| ${sourceIds.get(link.source)}`);
    }
  });

  if (disabled.length > 0) {
    lines.push("  classDef disabled stroke-dasharray: 4 3");
    lines.push(`  class ${disabled.join(",")} disabled`);
  }
  return `${lines.join("\n")}\n`;
}

function byIdThenName(a: TopologyStock, b: TopologyStock): number {
  if (a.id !== null && b.id !== null) return a.id - b.id;
  if (a.id !== null || b.id !== null) return a.id !== null ? -1 : 1;
  return compareCodePoints(a.name, b.name);
}

function stockLabel(stock: TopologyStock, withoutId: "new" | "unknown"): string {
  const id = stock.id !== null ? `<br/>stock ${stock.id}` : withoutId === "new" ? "<br/>new, id known after apply" : "";
  const channels = stock.sales_channels === null ? "<br/>sales channels kept as they are" : "";
  return `${escapeLabel(stock.name)}${id}${channels}`;
}

function sourceLabel(source: TopologySource): string {
  const name = source.name !== null && source.name !== source.code ? `${escapeLabel(source.name)}<br/>` : "";
  return `${name}${escapeLabel(source.code)}${source.enabled === false ? "<br/>disabled" : ""}`;
}

/**
 * Text inside a quoted Mermaid label. Mermaid has no backslash escapes: it reads `#name;`
 * and `#number;` entity codes, and renders labels as HTML. So the characters that would
 * end the label, start an entity, form HTML, a comment or a Markdown fence become codes,
 * and line breaks become spaces.
 */
export function escapeLabel(text: string): string {
  return text.replace(/[#"&<>`%\r\n\t]/g, (ch) => ENTITIES[ch] ?? " ");
}

const ENTITIES: Readonly<Record<string, string>> = {
  "#": "#35;",
  '"': "#quot;",
  "&": "#amp;",
  "<": "#lt;",
  ">": "#gt;",
  "`": "#96;",
  "%": "#37;",
};
