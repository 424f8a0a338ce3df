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
import { readYamlSubset, readYamlSubtree, type PositionNode, type SubsetReading } from "./yaml-subset.js";

/** YAML beyond this size belongs in CSV files; the limit also bounds memory on hostile input. */
export const MAX_YAML_BYTES = 64 * 1024 * 1024;
/**
 * Files the subset reader cannot read go to the `yaml` package up to this size: it needs
 * about a second and 100 MiB per MiB, and up to 400 MiB per MiB of many small nodes.
 */
export const MAX_FULL_PARSER_BYTES = 1024 * 1024;
/** About 100 bytes each once read: 4 million stay well inside 1 GiB with the rest of a load. */
const MAX_COLLECTIONS = 4_000_000;
/** Positions kept on the first read: the file's keys and the keys of its sections (products' SKUs). */
const SHALLOW_DEPTH = 1;
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
      `is ${megabytes(bytes)} MiB; inv reads YAML files up to ${megabytes(MAX_YAML_BYTES)} MiB. Move quantities to CSV files (csv:) or split products with include:.`,
    );
  }
  const lines = new LineIndex(text, file);
  const reading = readYamlSubset(text, { recordDepth: SHALLOW_DEPTH, maxCollections: MAX_COLLECTIONS });
  switch (reading.kind) {
    case "read":
      return fromSubset(text, file, lines, reading);
    case "too-many-nodes":
      return fail(
        lines.origin(reading.at),
        "file-size",
        `holds more than ${reading.limit.toLocaleString("en-US")} mappings and lists, more than inv keeps in memory for one file. Move quantities to CSV files (csv:) or split products with include:.`,
      );
    case "unsupported":
      if (bytes <= MAX_FULL_PARSER_BYTES) return parseYamlWithPackage(text, file);
      return fail(
        lines.origin(reading.at),
        "yaml",
        `has ${reading.reason}. inv reads YAML files over ${megabytes(MAX_FULL_PARSER_BYTES)} MiB in plain YAML only: block mappings and lists, flow mappings and lists on one line, plain or quoted text on one line, comments. Rewrite that part, or move products to include: files or quantities to CSV files (csv:).`,
      );
  }
}

/**
 * Offsets to `file:line:column`, lines found on first use (yaml's LineCounter: lines end at \n, columns count from 1).
 */
class LineIndex {
  private starts: number[] | undefined;
  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  origin(offset: number): Origin {
    const starts = this.lineStarts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { file: this.file, line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
  }

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    for (let at = this.text.indexOf("\n"); at >= 0; at = this.text.indexOf("\n", at + 1)) starts.push(at + 1);
    this.starts = starts;
    return starts;
  }
}

function fromSubset(
  text: string,
  file: string,
  lines: LineIndex,
  reading: SubsetReading & { kind: "read" },
): ParseResult {
  const fileOrigin: Origin = { file, line: 0, column: 0 };
  const problems = reading.keyProblems.map((p): Problem => {
    if (p.kind === "ambiguous-key") return ambiguousKeyProblem(lines.origin(p.at), p.written, p.value);
    if (p.kind === "merge-key") return mergeKeyProblem(lines.origin(p.at));
    const first = p.firstAt === undefined ? undefined : lines.origin(p.firstAt);
    return duplicateKeyProblem(lines.origin(p.at), p.key, first);
  });
  /** Positions below the recorded depth (inside one product) are read again, along the path only. */
  const locate = (path: YamlPath): NodeAtPath => {
    const found = nodeAt(reading.positions, path);
    if (found.kind !== "unrecorded") return found;
    const below = nodeAt(readYamlSubtree(text, found.at, found.rest), found.rest);
    return below.kind === "nearest" && below.at === undefined ? { kind: "nearest", at: found.at } : below;
  };
  // The merge key is said once, by name; what it would have merged is not read as fields of its own.
  if (reading.keyProblems.some((p) => p.kind === "merge-key")) dropMergeKeys(reading.value);
  return {
    parsed: {
      file,
      value: reading.value,
      sha256: sha256Of(text),
      originOf: (path, part = "key") => {
        const found = locate(path);
        const offset = found.kind === "found" && part === "key" ? (found.keyAt ?? found.at) : found.at;
        return offset === undefined ? fileOrigin : lines.origin(offset);
      },
      keyOrigins: (path) => {
        const found = locate(path);
        const result = new Map<string, Origin>();
        const node = found.kind === "found" ? found.node : undefined;
        if (node?.kind === "map") {
          for (let i = 0; i < node.keys.length; i++) result.set(node.keys[i] ?? "", lines.origin(node.keyAts[i] ?? 0));
        }
        return result;
      },
    },
    problems,
  };
}

type NodeAtPath =
  /** The whole path: where its key and value stand, and the value's positions if it is a collection. */
  | {
      readonly kind: "found";
      readonly keyAt: number | undefined;
      readonly at: number | undefined;
      readonly node: PositionNode | undefined;
    }
  /** Part of the path: the nearest node on the way (yaml's originOf falls back to it). */
  | { readonly kind: "nearest"; readonly at: number | undefined }
  /** A collection on the path whose positions the first read did not keep; `rest` is the path below it. */
  | { readonly kind: "unrecorded"; readonly at: number; readonly rest: YamlPath };

/** As originOf in yaml's terms: the key or value at the path, else the nearest node on the way. */
function nodeAt(root: PositionNode | undefined, path: YamlPath): NodeAtPath {
  if (!root || root.kind === "unrecorded") return { kind: "nearest", at: undefined };
  let node: PositionNode | undefined = root;
  let at: number = root.at;
  let keyAt: number | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (!node) return { kind: "nearest", at };
    if (node.kind === "unrecorded") return { kind: "unrecorded", at, rest: path.slice(i) };
    if (node.kind === "map") {
      const entry = node.indexOf(String(segment));
      if (entry < 0) return { kind: "nearest", at };
      keyAt = node.keyAts[entry];
      at = node.valueAts[entry] ?? at;
      node = node.children[entry];
    } else {
      const item = typeof segment === "number" ? node.items[segment] : undefined;
      if (!item) return { kind: "nearest", at };
      // yaml's originOf gives a list item's value for its "key" too.
      keyAt = item.valueAt;
      at = item.valueAt;
      node = item.child;
    }
  }
  return { kind: "found", keyAt: path.length > 0 ? keyAt : undefined, at, node };
}

function sha256Of(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function duplicateKeyProblem(origin: Origin, key: string, first: Origin | undefined): Problem {
  const where = first ? ` at ${first.file}:${first.line}:${first.column}` : "";
  return {
    origin,
    rule: "yaml",
    message: `repeats the key ${JSON.stringify(key)}, which this mapping already has${where}; each key may appear once.`,
  };
}

/**
 * YAML 1.1's merge key `<<` is not in YAML 1.2, which inv reads: the yaml package and inv's own
 * reader take it as a key named "<<". inv refuses it by name rather than read a source or a
 * field called "<<", or merge what a pull request would not show.
 */
function mergeKeyProblem(origin: Origin): Problem {
  return {
    origin,
    rule: "yaml",
    message:
      "uses the YAML merge key <<, which inv does not apply (YAML 1.2 has no merge keys, and a merge would hide " +
      "what the entry declares): write the fields out in this mapping.",
  };
}

/** Takes the `<<` entries out of the values read, in place (only files that have one are walked). */
function dropMergeKeys(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropMergeKeys(item);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, "<<")) delete record["<<"];
  for (const key in record) dropMergeKeys(record[key]);
}

function ambiguousKeyProblem(origin: Origin, written: string, value: unknown): Problem {
  return {
    origin,
    rule: "yaml",
    message: `key ${written} reads as ${JSON.stringify(value)} in YAML; write it in quotes ("${written}") to keep it as text.`,
  };
}

/**
 * The `yaml` package, for files the subset reader leaves to it (small ones: it needs ~100 bytes of memory per byte).
 */
export function parseYamlWithPackage(text: string, file: string): ParseResult {
  const fileOrigin: Origin = { file, line: 0, column: 0 };
  const lineCounter = new LineCounter();
  // uniqueKeys: yaml's own check compares every key with every other (minutes for large
  // mappings); duplicateKeys below does it with a Set per mapping.
  // logLevel: yaml would otherwise print its warnings to the process's stderr itself.
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: false,
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
  const mergeKeys: Problem[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      if (!isScalar(key) || key.value !== "<<" || key.type !== "PLAIN" || !key.range) return undefined;
      mergeKeys.push(mergeKeyProblem(at(key.range[0])));
      return visit.REMOVE;
    },
  });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message =
      error instanceof Error && /alias/i.test(error.message)
        ? `uses YAML aliases that expand beyond ${MAX_ALIAS_COUNT} nodes; inv refuses such files (an alias bomb). Write the values out.`
        : `could not be read as YAML: ${error instanceof Error ? error.message : String(error)}`;
    return fail(fileOrigin, "yaml", message);
  }
  // Reported with the schema's problems, so every problem is listed at once.
  const keyProblems = [...mergeKeys, ...ambiguousKeys(doc, at), ...duplicateKeys(doc, at)];
  return {
    parsed: {
      file,
      value,
      sha256: sha256Of(text),
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

/** Keys as JavaScript reads them (yaml's stringifyKey) repeated in one mapping, with both positions. */
function duplicateKeys(doc: Document, at: (offset: number) => Origin): Problem[] {
  const problems: Problem[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const key = pair.key.value === null ? "" : String(pair.key.value);
        const first = seen.get(key);
        if (first === undefined) seen.set(key, pair.key.range[0]);
        else problems.push(duplicateKeyProblem(at(pair.key.range[0]), key, at(first)));
      }
    },
  });
  return problems;
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
        problems.push(ambiguousKeyProblem(at(key.range[0]), written, key.value));
      }
    },
  });
  return problems;
}
