// The Markdown plan's graphs: when links or stocks change, the stocks, their sales channels
// and their sources in priority order, before and after, as ```mermaid blocks that GitHub
// draws. The labels are escaped by renderGraph, so no user text can close the fence.

import type { MarkdownContext } from "./render-markdown.js";
import { renderGraph } from "./render-graph.js";
import { code, folded, grouped } from "./markdown-escape.js";

/**
 * Graphs of a store with hundreds of sources would crowd out the changes themselves: a
 * comment leaves them out beyond this and says where they are; the details file keeps them.
 */
export const MAX_GRAPH_CHARS = 12_000;

export function topologyGraphs(context: MarkdownContext): string | null {
  const topology = context.plan.topology;
  if (!topology) return null;
  const before = fence(renderGraph(topology.before));
  const after = fence(renderGraph(topology.after));
  const title = "Stocks and their sources in priority order, before and after";
  if (context.fold && before.length + after.length > MAX_GRAPH_CHARS) {
    const where = context.detailsFile !== undefined ? `${code(context.detailsFile)} and \`inv graph\`` : "`inv graph`";
    return (
      `**${title}**: ${grouped(before.length + after.length)} ` +
      `characters of Mermaid, too large for this comment; see ${where}.`
    );
  }
  const body = ["**Before**", before, "**After**", after].join("\n\n");
  return context.fold ? folded(title, body) : `#### ${title}\n\n${body}`;
}

function fence(diagram: string): string {
  return `\`\`\`mermaid\n${diagram}\`\`\``;
}
