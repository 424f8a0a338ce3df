// Hostile and broken inventory files: whatever the bytes, loading either succeeds or throws
// InventoryFileError (exit 3) listing problems; through the CLI there is never a stack trace
// and never a write. Alias bombs, oversized files and duplicate keys get clear messages.

import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InventoryFileError } from "../../src/errors.js";
import { loadInventory } from "../../src/inventory/load-inventory.js";
import { MAX_YAML_BYTES } from "../../src/inventory/parse-yaml.js";
import type { SandboxStats } from "../../src/sandbox/index.js";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";
import { runInv } from "../helpers/run-cli.js";

const EXAMPLE = readFileSync(new URL("../../inventory.example.yaml", import.meta.url));
const dir = workspace({});
const path = join(dir, "inventory.yaml");

/** "ok", or the InventoryFileError's message; anything else thrown fails the test. */
function load(content: string | Uint8Array): string {
  writeFileSync(path, content);
  try {
    loadInventory("inventory.yaml", { cwd: dir });
    return "ok";
  } catch (error) {
    if (error instanceof InventoryFileError) {
      expect(error.problems.length).toBeGreaterThan(0);
      return error.message;
    }
    throw error;
  }
}

/** Byte-level damage to the example file: overwrite, insert, delete. */
const mutation = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant("set" as const),
      at: fc.nat(EXAMPLE.length - 1),
      byte: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({
      kind: fc.constant("insert" as const),
      at: fc.nat(EXAMPLE.length - 1),
      text: fc.constantFrom(
        ":",
        "- ",
        "&a ",
        "*a",
        "!!binary ",
        "{",
        "[",
        "]",
        "}",
        "|",
        ">",
        "\t",
        "\n",
        "#",
        '"',
        "'",
        "<<: ",
        "---\n",
        "%YAML 1.1\n",
        "? ",
        "~",
        ".inf",
        "0x1F",
        "1e999",
        "__proto__",
        "\u0000",
        "\uFEFF",
      ),
    }),
    fc.record({
      kind: fc.constant("delete" as const),
      at: fc.nat(EXAMPLE.length - 1),
      length: fc.integer({ min: 1, max: 40 }),
    }),
  ),
  { minLength: 1, maxLength: 6 },
);

function mutate(steps: readonly Mutation[]): Buffer {
  let bytes = Buffer.from(EXAMPLE);
  for (const step of steps) {
    if (step.kind === "set") bytes[step.at % bytes.length] = step.byte;
    else if (step.kind === "insert")
      bytes = Buffer.concat([bytes.subarray(0, step.at), Buffer.from(step.text), bytes.subarray(step.at)]);
    else bytes = Buffer.concat([bytes.subarray(0, step.at), bytes.subarray(step.at + step.length)]);
  }
  return bytes;
}

type Mutation =
  | { readonly kind: "set"; readonly at: number; readonly byte: number }
  | { readonly kind: "insert"; readonly at: number; readonly text: string }
  | { readonly kind: "delete"; readonly at: number; readonly length: number };

/** YAML-ish text from the characters and tokens YAML gives meaning to. */
const yamlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "version: 1\n",
        "products:\n",
        "sources:\n",
        "stocks:\n",
        "moves:\n",
        "policy:\n",
        "quantities: ",
        "  ",
        "- ",
        ": ",
        "&x ",
        "*x",
        "<<: *x\n",
        "!!str ",
        "!!int ",
        "!custom ",
        "{",
        "}",
        "[",
        "]",
        ",",
        "\n",
        "#c\n",
        '"',
        "'",
        "|\n",
        ">-\n",
        "? ",
        "---\n",
        "...\n",
        "\t",
        "null",
        "true",
        "1e3",
        "0o17",
        "-.inf",
        "24-WB01",
        "ne_wh",
      ),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

/** Well-formed JSON (which is YAML) of any shape, placed where the format expects sections. */
const jsonish = fc.oneof(
  fc.jsonValue(),
  fc.jsonValue().map((v) => ({ version: 1, products: v })),
  fc.jsonValue().map((v) => ({ version: 1, sources: v, stocks: v })),
  fc.jsonValue().map((v) => ({ version: 1, moves: v, policy: v, quantities: v })),
  fc
    .dictionary(
      fc.string({ maxLength: 8 }),
      fc.oneof(fc.jsonValue(), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue())),
    )
    .map((products) => ({ version: 1, products })),
);

describe("loading never throws anything but InventoryFileError", () => {
  it("for byte mutations of the example file", () => {
    fc.assert(
      fc.property(mutation, (steps) => void load(mutate(steps))),
      { numRuns: 100, seed: 7 },
    );
  });

  it("for YAML-ish text", () => {
    fc.assert(
      fc.property(yamlish, (text) => void load(text)),
      { numRuns: 200, seed: 8 },
    );
  });

  it("for JSON documents of any shape", () => {
    fc.assert(
      fc.property(jsonish, (doc) => void load(JSON.stringify(doc))),
      { numRuns: 150, seed: 9 },
    );
  });
});

describe("clear errors for hostile files", () => {
  it("refuses an alias bomb without expanding it", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      levels.push(
        `l${i}: &l${i} [${Array(10)
          .fill(i === 1 ? "*a" : `*l${i - 1}`)
          .join(", ")}]`,
      );
    const message = load(`${levels.join("\n")}\n`);
    expect(message).toContain("uses YAML aliases that expand beyond 100 nodes; inv refuses such files (an alias bomb)");
  });

  it("refuses a file over the size limit before reading it", () => {
    const big = join(dir, "big.yaml");
    writeFileSync(big, "");
    // Sparse: the size check must not need the bytes.
    truncateSync(big, MAX_YAML_BYTES + 1);
    expect(() => loadInventory("big.yaml", { cwd: dir })).toThrow(
      /big\.yaml is 64 MiB; inv reads such files up to 64 MiB\. Split it\./,
    );
  });

  it("names the line of a duplicate key, also inside products", () => {
    expect(load("version: 1\nproducts:\n  24-WB01: { default: 1 }\n  24-WB01: { default: 2 }\n")).toContain(
      'inventory.yaml:4:3 repeats the key "24-WB01", which this mapping already has at inventory.yaml:3:3; each key may appear once.',
    );
    expect(load("version: 1\nversion: 1\n")).toContain('inventory.yaml:2:1 repeats the key "version"');
  });

  it("says what is wrong with a second document, a list as a key, NUL bytes and bad types", () => {
    expect(load("version: 1\n---\nversion: 1\n")).toContain(
      "starts a second YAML document (---); an inventory file holds one.",
    );
    expect(load("version: 1\nproducts:\n  ? [a, b]\n  : { default: 1 }\n")).toContain(
      "inventory.yaml:3:5 uses a list or a mapping as a key",
    );
    expect(load("version: 1\n\u0000")).toContain("is not a text file (it contains NUL bytes)");
    expect(load("version: 1\nproducts: { x: { default: 1e999 } }\n")).toContain(
      'product "x" at source "default" has a quantity too large to be a number (YAML reads it as infinity), beyond what Magento stores',
    );
  });
});

describe("through the CLI", () => {
  let handle: SandboxHandle;
  beforeAll(async () => {
    handle = await openSandbox();
  });
  afterAll(async () => {
    await handle.sandbox.close();
  });

  const writes = (stats: SandboxStats) =>
    Object.entries(stats.byRoute)
      .filter(([route]) => /^(POST|PUT|DELETE) /.test(route))
      .reduce((sum, [, n]) => sum + n, 0);
  const STACK = /^\s+at .+:\d+:\d+\)?$/m;

  it("a damaged file never crashes inv plan or inv apply, and a refused file sends no write", async () => {
    const samples = fc.sample(fc.oneof(mutation.map(mutate), yamlish), { numRuns: 24, seed: 11 });
    const cwd = workspace({});
    for (const sample of samples) {
      writeFileSync(join(cwd, "inventory.yaml"), sample);
      const before = writes(handle.sandbox.stats);
      const planned = await runInv(["plan", "--detailed-exitcode"], { env: handle.env, cwd });
      expect([0, 2, 3]).toContain(planned.code);
      expect(writes(handle.sandbox.stats)).toBe(before);
      const applied = await runInv(["apply", "--yes"], { env: handle.env, cwd });
      for (const result of [planned, applied]) {
        expect(result.stderr).not.toContain("unexpected error");
        expect(result.stderr).not.toMatch(STACK);
      }
      // Refused files (3) and refused plans (6: destroying without consent) send nothing.
      if (applied.code === 3 || applied.code === 6) expect(writes(handle.sandbox.stats)).toBe(before);
      expect([0, 1, 3, 5, 6]).toContain(applied.code);
    }
  }, 120_000);
});
