// Parses one YAML file into plain data while keeping where every key and value stood,
// so later stages can say `inventory.yaml:14:7`.

import { createHash } from "node:crypto";
import {
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from "yaml";
import type { Problem } from "../errors.js";
import type { Origin } from "../model.js";

/** YAML beyond this size belongs in CSV files; the limit also bounds memory on hostile input. */
export const MAX_YAML_BYTES = 64 * 1024 * 1024;
/** yaml's own guard against alias ("billion laughs") expansion. */
const MAX_ALIAS_COUNT = 100;

export type YamlPath = readonly (string | number)[];

export interface ParsedYaml {
  readonly file: string;
  readonly value: unknown;
  readonly sha256: string;
  /** Where the key (or, for `value`, the value) at this path stands; falls back to the nearest parent. */
  originOf(path: YamlPath, part?: "key" | "value"): Origin;
  /** The origin of every key of the map at `path`, read in one pass (products can number 100,000). */
  keyOrigins(path: YamlPath): ReadonlyMap<string, Origin>;
}

export interface ParseResult {
  readonly parsed: ParsedYaml | undefined;
  readonly problems: readonly Problem[];
}

export function parseYaml(text: string, file: string): ParseResult {
  const fileOrigin: Origin = { file, line: 0, column: 0 };
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_YAML_BYTES) {
    return fail(
      fileOrigin,
      "file-size",
      `is ${megabytes(bytes)} MiB; inv reads YAML files up to ` +
        `${megabytes(MAX_YAML_BYTES)} MiB. Move quantities to CSV files (csv:) or split products with include:.`,
    );
  }
  const lineCounter = new LineCounter();
  // logLevel: yaml would otherwise print its warnings to the process's stderr itself.
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    logLevel: "error",
  });
  const at = (offset: number): Origin => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  if (doc.errors.length > 0) {
    return {
      parsed: undefined,
      problems: doc.errors.map((e) => ({
        origin: at(e.pos[0]),
        rule: "yaml",
        message: yamlErrorMessage(e.code, e.message),
      })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message =
      error instanceof Error && /alias/i.test(error.message)
        ? `uses YAML aliases that expand beyond ${MAX_ALIAS_COUNT} ` +
          "nodes; inv refuses such files (an alias bomb). Write the values out."
        : `could not be read as YAML: ${error instanceof Error ? error.message : String(error)}`;
    return fail(fileOrigin, "yaml", message);
  }
  // Reported with the schema's problems, so every problem is listed at once.
  const keyProblems = ambiguousKeys(doc, at);
  const sha256 = createHash("sha256").update(text).digest("hex");
  return {
    parsed: {
      file,
      value,
      sha256,
      originOf: (path, part = "key") => originOf(doc, path, part, at, fileOrigin),
      keyOrigins: (path) => keyOrigins(doc, path, at),
    },
    problems: keyProblems,
  };
}

function fail(origin: Origin, rule: string, message: string): ParseResult {
  return { parsed: undefined, problems: [{ origin, rule, message }] };
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0);
}

function yamlErrorMessage(code: string, message: string): string {
  if (code === "DUPLICATE_KEY")
    return "repeats a key that is already defined in the same mapping; each key may appear once.";
  if (code === "MULTIPLE_DOCS")
    return "starts a second YAML document (---); an inventory file holds one. Use include: for more files.";
  // yaml's messages end with a source excerpt after a colon and newline; keep the sentence.
  const sentence = message.split("\n")[0] ?? message;
  return `is not valid YAML: ${sentence.replace(/ at line \d+, column \d+.*$/, "")}`;
}

function originOf(
  doc: Document,
  path: YamlPath,
  part: "key" | "value",
  at: (offset: number) => Origin,
  fallback: Origin,
): Origin {
  let node: unknown = doc.contents;
  let best: Node | undefined = isNodeWithRange(node) ? node : undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const key = pair.key as Node;
      if (last && part === "key") return rangeOrigin(key, at) ?? fallback;
      node = pair.value;
      best = isNodeWithRange(node) ? node : key;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      if (isNodeWithRange(node)) best = node;
      else break;
    } else {
      break;
    }
  }
  return (best && rangeOrigin(best, at)) ?? fallback;
}

function isNodeWithRange(value: unknown): value is Node {
  return typeof value === "object" && value !== null && "range" in value && Array.isArray((value as Node).range);
}

function rangeOrigin(node: Node, at: (offset: number) => Origin): Origin | undefined {
  return node.range ? at(node.range[0]) : undefined;
}

function keyOrigins(doc: Document, path: YamlPath, at: (offset: number) => Origin): Map<string, Origin> {
  const result = new Map<string, Origin>();
  const node = doc.getIn(path, true);
  if (!isMap(node)) return result;
  for (const pair of node.items) {
    if (isScalar(pair.key) && pair.key.range) result.set(String(pair.key.value), at(pair.key.range[0]));
  }
  return result;
}

/** A key such as `0012` or `1e3` reads as a number and would silently name another SKU or source. */
function ambiguousKeys(doc: Document, at: (offset: number) => Origin): Problem[] {
  const problems: Problem[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      if (isCollection(key) && key.range) {
        problems.push({
          origin: at(key.range[0]),
          rule: "yaml",
          message: "uses a list or a mapping as a key; keys are plain text (a source code, stock name or SKU).",
        });
        return;
      }
      if (!isScalar(key) || typeof key.value === "string" || !key.range) return;
      const written = typeof key.source === "string" ? key.source : String(key.value);
      if (String(key.value) !== written || typeof key.value === "boolean" || key.value === null) {
        problems.push({
          origin: at(key.range[0]),
          rule: "yaml",
          message:
            `key ${written} reads as ${JSON.stringify(key.value)} in ` +
            `YAML; write it in quotes ("${written}") to keep it as text.`,
        });
      }
    },
  });
  return problems;
}
