// User text (SKUs, codes, names, field values, file paths) reaches a pull-request comment
// only through these functions, so it can neither break a table nor inject HTML, links,
// emphasis or @mentions. Everything else in the comment is inv's own words and numbers.

/**
 * Control, line-separator and bidirectional-override characters, shown as escapes (no hidden line breaks or Trojan
 * Source).
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const INVISIBLE_ANY = new RegExp(INVISIBLE.source);

function showInvisible(text: string): string {
  if (!INVISIBLE_ANY.test(text)) return text;
  return text.replace(INVISIBLE, (c) => {
    const json = JSON.stringify(c).slice(1, -1);
    return json.length > 1 ? json : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/**
 * Inline code: CommonMark takes its content literally, and GitHub neither links nor
 * mentions inside it. The fence is one backtick longer than any run in the text, and
 * padded where the text starts or ends with a backtick or a space.
 */
export function code(text: string): string {
  if (text === "") return "*(empty)*";
  const flat = showInvisible(text);
  let longest = 0;
  if (flat.includes("`")) for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const spaced = flat.startsWith(" ") && flat.endsWith(" ") && flat.trim() !== "";
  const pad = flat.startsWith("`") || flat.endsWith("`") || spaced ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * The ASCII punctuation that can make markup in GFM: emphasis, code, links, HTML, entities,
 * lists and headings at a line start, `$` math, `:` and `.` of autolinks. `|` is left to
 * `tableRow`, which escapes it in cells.
 */
const PUNCTUATION = /[!#$&()*+\-.:<=>[\\\]_`~]/g;

/**
 * Prose that carries user text (call descriptions, notes, warnings): punctuation that
 * could make markup backslash-escaped (CommonMark 2.4), and a word joiner after `@` so
 * GitHub makes neither a mention of `@team` nor a link of an e-mail address.
 */
export function text(value: string): string {
  return showInvisible(value)
    .replace(PUNCTUATION, (c) => `\\${c}`)
    .replace(/@/g, "@\u2060");
}

/** One GFM table row; a `|` inside a cell (even in inline code) must be `\|` (GFM spec 4.10). */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, "\\|")).join(" | ")} |`;
}

export type Alignment = "left" | "right";

export function table(
  header: readonly string[],
  align: readonly Alignment[],
  rows: readonly (readonly string[])[],
): string {
  const rule = `| ${header.map((_, i) => (align[i] === "right" ? "---:" : "---")).join(" | ")} |`;
  const lines = [tableRow(header), rule];
  for (const row of rows) lines.push(tableRow(row));
  return lines.join("\n");
}

/**
 * A fenced code block whose fence is longer than any run of backticks in the text, so text
 * from the file or the store (a name with ```) cannot close it early.
 */
export function fencedBlock(body: string, language: string): string {
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${body}\n${fence}`;
}

/** A block folded on GitHub; the summary must be inv's own words (an HTML block takes it raw). */
export function folded(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** Numbers with thousands separators in the whole part, the same on every machine (no locale). */
export function grouped(n: number): string {
  const [whole = "0", fraction] = String(Math.abs(n)).split(".");
  const digits = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${n < 0 ? "-" : ""}${digits}${fraction !== undefined ? `.${fraction}` : ""}`;
}
