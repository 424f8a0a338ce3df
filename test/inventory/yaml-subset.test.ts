// The subset reader against the `yaml` package: whatever text it reads, it reads as the
// package does (values, key problems with both positions, the origin of every key and
// value); whatever it cannot read, it hands back with a position. Large files are read in
// one pass; a large file outside the subset is refused with the line that is outside.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../src/errors.js";
import { loadInventory, MAX_YAML_PRODUCTS } from "../../src/inventory/load-inventory.js";
import {
  MAX_FULL_PARSER_BYTES,
  parseYaml,
  parseYamlWithPackage,
  type ParsedYaml,
  type YamlPath,
} from "../../src/inventory/parse-yaml.js";
import { readYamlSubset, resolvePlain } from "../../src/inventory/yaml-subset.js";
import { workspace } from "../helpers/sandbox.js";

// ---------------------------------------------------------------------------
// Generated documents: a tree of nodes with a style each, rendered to text.

type Scalar = { readonly kind: "scalar"; readonly style: "plain" | "single" | "double"; readonly text: string };
type Collection = {
  readonly kind: "map" | "seq";
  readonly flow: boolean;
  readonly entries: readonly { readonly key: Scalar; readonly value: YamlNode }[];
};
type YamlNode = Scalar | Collection;

/** Plain texts YAML gives meanings to, and some it refuses as plain scalars. */
const PLAIN_TEXTS = [
  "1",
  "007",
  "-0",
  "+5",
  "-12",
  "1.5",
  "1.50",
  "1e3",
  "-2E-2",
  ".5",
  "5.",
  "0x1F",
  "0o17",
  "0b1",
  "1_000",
  ".inf",
  "-.Inf",
  ".nan",
  "12345678901234567890",
  "true",
  "False",
  "TRUE",
  "yes",
  "null",
  "Null",
  "~",
  "abc",
  "a b",
  "a:b",
  "a: b",
  "a #b",
  "a#b",
  "-x",
  "?x",
  ":x",
  "- x",
  "24-WB01",
  "ne_wh",
  "US Stock",
  "é",
  "日本",
  "a,b",
  "a]b",
  "[x",
  "x}",
  "{x",
  "'q",
  '"q',
  "&a",
  "*a",
  "!t",
  "|",
  ">",
  "%x",
  "@x",
  "`x",
  "__proto__",
  "toString",
  "constructor",
  "a\tb",
  "",
  " lead",
  "trail ",
  "---",
  "...",
  "a\u0085b",
];
const QUOTED_TEXTS = [...PLAIN_TEXTS, "it's", 'say "hi"', "back\\slash", "line\nbreak", "tab\there", "\u2028", "🙂"];

const scalar: fc.Arbitrary<Scalar> = fc.record({
  kind: fc.constant("scalar" as const),
  style: fc.constantFrom("plain" as const, "plain" as const, "single" as const, "double" as const),
  text: fc.oneof(fc.constantFrom(...QUOTED_TEXTS), fc.string({ maxLength: 5 })),
});

const { node } = fc.letrec<{ node: YamlNode; collection: Collection }>((tie) => ({
  node: fc.oneof({ maxDepth: 4, depthIdentifier: "node" }, scalar, tie("collection")),
  collection: fc.record({
    kind: fc.constantFrom("map" as const, "seq" as const),
    flow: fc.boolean(),
    entries: fc.array(fc.record({ key: scalar, value: tie("node") }), { maxLength: 4 }),
  }),
}));

const topLevel: fc.Arbitrary<Collection> = fc.record({
  kind: fc.constant("map" as const),
  flow: fc.constantFrom(false, false, false, true),
  entries: fc.array(fc.record({ key: scalar, value: node }), { minLength: 1, maxLength: 5 }),
});

interface Rendering {
  readonly comments: boolean;
  readonly crlf: boolean;
  readonly seqAtKeyIndent: boolean;
}

function renderScalar(s: Scalar): string {
  if (s.style === "plain") return s.text;
  if (s.style === "single") return `'${s.text.replace(/'/g, "''")}'`;
  return JSON.stringify(s.text);
}

function renderFlow(n: YamlNode): string {
  if (n.kind === "scalar") return renderScalar(n);
  if (n.kind === "map")
    return `{ ${n.entries.map((e) => `${renderScalar(e.key)}: ${renderFlow(e.value)}`).join(", ")} }`;
  return `[${n.entries.map((e) => renderFlow(e.value)).join(", ")}]`;
}

function isBlock(n: YamlNode): n is Collection {
  return n.kind !== "scalar" && !n.flow && n.entries.length > 0;
}

/** Lines of a block collection at `indent`. */
function renderBlock(n: Collection, indent: number, r: Rendering): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  n.entries.forEach((e, i) => {
    const comment = r.comments && i % 2 === 1 ? "  # note" : "";
    if (n.kind === "map") {
      const key = `${pad}${renderScalar(e.key)}:`;
      if (isBlock(e.value)) {
        lines.push(key + comment);
        const nested = e.value.kind === "seq" && r.seqAtKeyIndent ? indent : indent + 2;
        lines.push(...renderBlock(e.value, nested, r));
      } else {
        lines.push(`${key} ${renderFlow(e.value)}${comment}`);
      }
    } else if (isBlock(e.value) && e.value.kind === "map") {
      // A compact mapping: the first key on the dash's line.
      const [first, ...rest] = renderBlock(e.value, indent + 2, r);
      lines.push(`${pad}- ${(first ?? "").trimStart()}`, ...rest);
    } else if (isBlock(e.value)) {
      lines.push(`${pad}-${comment}`, ...renderBlock(e.value, indent + 2, r));
    } else {
      lines.push(`${pad}- ${renderFlow(e.value)}${comment}`);
    }
    if (r.comments && i === 0) lines.push("", `${pad}# between`);
  });
  return lines;
}

function render(doc: Collection, r: Rendering): string {
  const lines = isBlock(doc) ? renderBlock(doc, 0, r) : [renderFlow(doc)];
  const text = `${r.comments ? "# top\n" : ""}${lines.join("\n")}\n`;
  return r.crlf ? text.replace(/\n/g, "\r\n") : text;
}

const rendering: fc.Arbitrary<Rendering> = fc.record({
  comments: fc.boolean(),
  crlf: fc.constantFrom(false, false, false, true),
  seqAtKeyIndent: fc.boolean(),
});

// ---------------------------------------------------------------------------
// The comparison

function problemTexts(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${p.origin.line}:${p.origin.column} ${p.message}`).sort();
}

/** Every path into a value, keys and list indexes, up to `limit` of them. */
function pathsOf(value: unknown, limit = 200): YamlPath[] {
  const paths: YamlPath[] = [[]];
  const walk = (v: unknown, path: YamlPath) => {
    if (paths.length >= limit || typeof v !== "object" || v === null) return;
    const entries: [string | number, unknown][] = Array.isArray(v)
      ? v.map((item, i) => [i, item])
      : Object.keys(v).map((k) => [k, (v as Record<string, unknown>)[k]]);
    for (const [key, child] of entries) {
      paths.push([...path, key]);
      walk(child, [...path, key]);
    }
  };
  walk(value, []);
  return paths;
}

/** A value as plain data that keeps what equality checks gloss over: own key order, prototypes, -0 and NaN. */
function dump(value: unknown): unknown {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : Number.isNaN(value) ? "NaN" : value;
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(dump);
  const prototype = Object.getPrototypeOf(value) === Object.prototype ? "Object" : "other";
  return [prototype, ...Object.getOwnPropertyNames(value).map((k) => [k, dump((value as Record<string, unknown>)[k])])];
}

type Outcome = "read" | "left to yaml" | "refused by both";

/** Reads text both ways; when the subset reader reads it, everything must agree. */
function compare(text: string): Outcome {
  const subset = readYamlSubset(text, { recordDepth: 1, maxCollections: 1_000_000 });
  if (subset.kind !== "read") {
    expect(subset.kind).toBe("unsupported");
    return parseYamlWithPackage(text, "f.yaml").parsed ? "left to yaml" : "refused by both";
  }
  const ours = parseYaml(text, "f.yaml");
  const theirs = parseYamlWithPackage(text, "f.yaml");
  expect(theirs.parsed, `yaml refuses what the subset reads: ${JSON.stringify(text)}`).toBeDefined();
  const a = ours.parsed as ParsedYaml;
  const b = theirs.parsed as ParsedYaml;
  expect(dump(a.value), JSON.stringify(text)).toEqual(dump(b.value));
  expect(problemTexts(ours.problems), JSON.stringify(text)).toEqual(problemTexts(theirs.problems));
  for (const path of pathsOf(b.value)) {
    for (const part of ["key", "value"] as const)
      expect(a.originOf(path, part), `${JSON.stringify(text)} ${JSON.stringify(path)} ${part}`).toEqual(
        b.originOf(path, part),
      );
  }
  for (const section of [[], ["products"], ["sources"]] as YamlPath[])
    expect([...a.keyOrigins(section)]).toEqual([...b.keyOrigins(section)]);
  return "read";
}

describe("the subset reader reads what the yaml package reads, the same way", () => {
  it("for generated documents in every style (values, key problems, positions)", () => {
    const outcomes: Outcome[] = [];
    fc.assert(
      fc.property(topLevel, rendering, (doc, r) => {
        outcomes.push(compare(render(doc, r)));
      }),
      { numRuns: 600, seed: 21 },
    );
    // Most files yaml reads are within the subset (the rest have anchors, tabs, empty keys...).
    const read = outcomes.filter((o) => o === "read").length;
    expect(read).toBeGreaterThan(150);
    expect(read).toBeGreaterThan(2 * outcomes.filter((o) => o === "left to yaml").length);
  });

  it("for inventory-shaped documents, which it always reads", () => {
    const sku = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _./-]{0,10}[A-Za-z0-9]$/);
    const quantity = fc.oneof(fc.integer({ min: -500, max: 500 }), fc.double({ min: -1e4, max: 1e4, noNaN: true }));
    const products = fc.dictionary(
      sku,
      fc.dictionary(
        fc.constantFrom("ne_wh", "west_wh", "default", "hq"),
        fc.oneof(quantity, fc.record({ quantity, status: fc.constantFrom("in_stock", "out_of_stock") })),
      ),
    );
    fc.assert(
      fc.property(products, (p) => {
        const lines = ["version: 1", "products:"];
        for (const [key, sources] of Object.entries(p)) {
          const parts = Object.entries(sources).map(([s, q]) =>
            typeof q === "number" ? `${s}: ${q}` : `${s}: { quantity: ${q.quantity}, status: ${q.status} }`,
          );
          lines.push(`  ${JSON.stringify(key)}: { ${parts.join(", ")} }`);
        }
        expect(compare(`${lines.join("\n")}\n`)).toBe("read");
      }),
      { numRuns: 100, seed: 22 },
    );
  });

  it("for YAML-ish noise and damaged copies of the example file", () => {
    const example = readFileSync(new URL("../../inventory.example.yaml", import.meta.url), "utf8");
    expect(compare(example)).toBe("read");
    const tokens = fc.constantFrom(
      ":",
      ": ",
      "- ",
      "-",
      "{",
      "}",
      "[",
      "]",
      ",",
      "\n",
      "\n  ",
      "  ",
      "#",
      " #",
      '"',
      "'",
      "&a ",
      "*a",
      "!t ",
      "|",
      "? ",
      "---\n",
      "\t",
      "\r",
      "\\",
      "x",
      "1",
      "a: 1",
    );
    fc.assert(
      fc.property(fc.nat(example.length), fc.array(tokens, { maxLength: 4 }), fc.nat(60), (at, insert, cut) => {
        compare(example.slice(0, at) + insert.join("") + example.slice(at + (cut % 7)));
      }),
      { numRuns: 400, seed: 23 },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(tokens, fc.string({ maxLength: 3 })), { maxLength: 30 }), (parts) => {
        compare(parts.join(""));
      }),
      { numRuns: 400, seed: 24 },
    );
  });

  it("resolves plain scalars as YAML 1.2's core schema does", () => {
    for (const text of PLAIN_TEXTS.filter((t) => t !== "" && !/[#:\t,[\]{}&*!|>%@`'"]|^[-?] |^\s|\s$/.test(t))) {
      const theirs = parseYamlWithPackage(`k: ${text}\n`, "f.yaml").parsed?.value as Record<string, unknown>;
      expect(resolvePlain(text), text).toStrictEqual(theirs["k"]);
    }
  });
});

describe("what the subset reader leaves to the yaml package", () => {
  it("says what and where", () => {
    const cases: [string, string, number][] = [
      ["a: &x 1\n", "an anchor (&)", 3],
      ["a: *x\n", "an alias (*)", 3],
      ["a: !!str 1\n", "a tag (!)", 3],
      ["a: |\n  text\n", "a block scalar (| or >)", 3],
      ["a: {\n  b: 1 }\n", "a flow collection ({ } or [ ]) that continues on the next line", 4],
      ["a: one\n  two\n", "a line indented more than the key before it", 9],
      ["a: 1\n---\nb: 2\n", "a document marker (--- or ...)", 5],
      ["? a\n: 1\n", "an explicit key (?)", 0],
      ["a:\n\t- 1\n", "a tab in the indentation", 3],
    ];
    for (const [text, reason, at] of cases)
      expect(readYamlSubset(text, { recordDepth: 1, maxCollections: 100 })).toEqual({
        kind: "unsupported",
        at,
        reason,
      });
  });

  it("counts mappings and lists against a limit", () => {
    expect(readYamlSubset("a: [[], [], {}]\n", { recordDepth: 1, maxCollections: 3 })).toEqual({
      kind: "too-many-nodes",
      at: 8,
      limit: 3,
    });
  });

  it("a file over the full parser's limit with YAML outside the subset is refused at that line", () => {
    const products = Array.from({ length: 120_000 }, (_, i) => `  SKU-${i}: { ne_wh: ${i % 50}, west_wh: 1 }`);
    const text = `version: 1\nproducts:\n${products.join("\n")}\n  SKU-X: &anchor { ne_wh: 1 }\n`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_FULL_PARSER_BYTES);
    const result = parseYaml(text, "big.yaml");
    expect(result.parsed).toBeUndefined();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.origin).toEqual({ file: "big.yaml", line: 120_003, column: 10 });
    expect(result.problems[0]?.message).toMatch(
      /^has an anchor \(&\)\. inv reads YAML files over 1 MiB in plain YAML only/,
    );
  });
});

describe("repeated keys", () => {
  it("are reported with both positions at every depth, also in a large file", () => {
    const products = Array.from({ length: 3_000 }, (_, i) => `  SKU-${i}: { ne_wh: 1 }`);
    const text = `version: 1\nproducts:\n${products.join("\n")}\n  SKU-7: { ne_wh: 2, hq: 1, ne_wh: 3 }\n`;
    expect(problemTexts(parseYaml(text, "f.yaml").problems)).toEqual([
      '3003:29 repeats the key "ne_wh", which this mapping already has at f.yaml:3003:12; each key may appear once.',
      '3003:3 repeats the key "SKU-7", which this mapping already has at f.yaml:10:3; each key may appear once.',
    ]);
  });

  it("take time in proportion to the file: 100,000 products read in well under the time yaml's check took for 5,000", () => {
    const products = Array.from({ length: 100_000 }, (_, i) => `  SKU-${i}: { ne_wh: ${i % 90}, west_wh: 2 }`);
    const text = `version: 1\nproducts:\n${products.join("\n")}\n`;
    const started = performance.now();
    const result = parseYaml(text, "f.yaml");
    expect(result.problems).toEqual([]);
    const value = result.parsed?.value as { products: object } | undefined;
    expect(Object.keys(value?.products ?? {})).toHaveLength(100_000);
    // yaml's uniqueKeys check took 3.8 s for 5,000 SKUs (issue 14); the subset reader reads 20 times as many in about
    // 0.1 s.
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});

describe("files at the limits", () => {
  it("a YAML file that declares more than a million products is refused, pointing at products:", () => {
    const dir = workspace({});
    const lines = ["version: 1", "products:"];
    for (let i = 0; i <= MAX_YAML_PRODUCTS; i++) lines.push(`  P${i}: []`);
    writeFileSync(join(dir, "inventory.yaml"), `${lines.join("\n")}\n`);
    expect(() => loadInventory("inventory.yaml", { cwd: dir })).toThrow(
      "inventory.yaml:2:1 declares 1,000,001 products; inv reads up to 1,000,000 from one YAML file. Move quantities to CSV files (csv:) or split products over include: files.",
    );
  }, 60_000);

  it("a problem deep in a huge list is placed without reading the list's positions", () => {
    const text = `version: 1\nproducts:\n  x: [${"ne_wh, ".repeat(200_000)}ne_wh]\n`;
    const parsed = parseYaml(text, "f.yaml").parsed;
    expect(parsed?.originOf(["products", "x", 200_000], "value")).toEqual({
      file: "f.yaml",
      line: 3,
      column: 1_400_007,
    });
    expect(parsed?.originOf(["products", "x", 200_001], "value")).toEqual({ file: "f.yaml", line: 3, column: 6 });
  });
});
