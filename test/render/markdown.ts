// Reading a Markdown plan back the way a reviewer's screen would: CommonMark's reference
// parser for the blocks and inlines, and GFM's rule for splitting table rows on `|`.

import { Parser, type Node } from "commonmark";

export interface ParsedMarkdown {
  readonly root: Node;
  readonly nodes: readonly Node[];
}

export function parseMarkdown(markdown: string): ParsedMarkdown {
  const root = new Parser().parse(markdown);
  const nodes: Node[] = [];
  const walker = root.walker();
  for (let event = walker.next(); event; event = walker.next()) if (event.entering) nodes.push(event.node);
  return { root, nodes };
}

/** The raw HTML in a document: inv allows itself <details>, <summary> and <sub>, and nothing else. */
export function htmlIn(parsed: ParsedMarkdown): string[] {
  return parsed.nodes
    .filter((n) => n.type === "html_inline" || n.type === "html_block")
    .map((n) => (n.literal ?? "").trim());
}

export const ALLOWED_HTML = /^(<details><summary>[^<>]*<\/summary>|<\/details>|<sub>|<\/sub>)$/;

/** Text of every inline code span, with GFM's `\|` (an escaped pipe in a table cell) read back as `|`. */
export function codeSpans(parsed: ParsedMarkdown): string[] {
  return parsed.nodes.filter((n) => n.type === "code").map((n) => (n.literal ?? "").replace(/\\\|/g, "|"));
}

/** GFM tables (header, delimiter row, body) with each row split on unescaped pipes. */
export function tables(markdown: string): string[][][] {
  const lines = markdown.split("\n");
  const result: string[][][] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.startsWith("| ") || !/^\| (:?-+:? \| )*:?-+:? \|$/.test(lines[i + 1]!)) continue;
    const rows: string[][] = [];
    let j = i;
    for (; j < lines.length && lines[j]!.startsWith("|"); j++) if (j !== i + 1) rows.push(splitRow(lines[j]!));
    result.push(rows);
    i = j;
  }
  return result;
}

export function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  for (let i = 1; i < line.length; i++) {
    const c = line[i]!;
    if (c === "|" && line[i - 1] !== "\\") {
      cells.push(cell.trim());
      cell = "";
    } else cell += c;
  }
  return cells;
}
