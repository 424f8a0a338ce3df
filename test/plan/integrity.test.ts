// A saved plan's changes are derived again from its files and the live values it recorded:
// for any file and store, the live state the plan implies gives exactly the plan's changes,
// and a change the file does not imply is found and named.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Change } from "../../src/diff/changes.js";
import { diff } from "../../src/diff/diff.js";
import { checkOffline } from "../../src/inventory/rules.js";
import type { RawSource } from "../../src/magento/convert.js";
import { firstChangeDifference, impliedLiveState } from "../../src/plan/integrity.js";
import { DEFAULT_SOURCE, desired, live } from "../helpers/states.js";

const SOURCES = ["a", "b", "c"] as const;
const ALL_SOURCES = ["default", ...SOURCES] as const;
const SKUS = ["p1", "p2", "p3", "p4"] as const;
const WEBSITES = ["w1", "w2", "w3"] as const;
type Item = [string, number, 0 | 1];

function rawSource(code: string, name: string): RawSource {
  return { source_code: code, name, enabled: true, country_id: "US", postcode: "10001" };
}

const quantity = fc.integer({ min: 0, max: 20 });
const itemSpec = fc.oneof(quantity, fc.record({ quantity, status: fc.constantFrom("in_stock", "out_of_stock") }));

const store = fc.record({
  sources: fc.subarray([...SOURCES]),
  names: fc.constantFrom("one", "two"),
  stocks: fc.subarray(["S1", "S2"]).chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc.record({
          name: fc.constant(name),
          channels: fc.subarray([...WEBSITES]),
          links: fc.shuffledSubarray([...SOURCES]),
        }),
      ),
    ),
  ),
  items: fc.record(
    Object.fromEntries(
      SKUS.map((sku) => [
        sku,
        fc.dictionary(fc.constantFrom(...ALL_SOURCES), fc.tuple(quantity, fc.constantFrom<0 | 1>(0, 1)), {
          maxKeys: 3,
        }),
      ]),
    ) as Record<string, fc.Arbitrary<Record<string, [number, 0 | 1]>>>,
  ),
});

const file = fc.record({
  sources: fc.dictionary(
    fc.constantFrom(...SOURCES),
    fc.record({
      name: fc.constantFrom("one", "two", "three"),
      country_id: fc.constant("US"),
      postcode: fc.constant("10001"),
    }),
    { maxKeys: 3 },
  ),
  stocks: fc.dictionary(
    fc.constantFrom("S1", "S2", "S3"),
    fc.record(
      { channels: fc.subarray([...WEBSITES]), links: fc.shuffledSubarray([...SOURCES], { minLength: 1 }) },
      { requiredKeys: [] },
    ),
    { maxKeys: 3 },
  ),
  products: fc.dictionary(
    fc.constantFrom(...SKUS),
    fc.oneof(
      fc.dictionary(fc.constantFrom(...ALL_SOURCES), itemSpec, { maxKeys: 3 }),
      fc.subarray([...ALL_SOURCES]),
      fc.record({
        sources: fc.dictionary(fc.constantFrom(...ALL_SOURCES), quantity, { maxKeys: 3 }),
        quantities: fc.constantFrom("on_create" as const, "ignore" as const),
      }),
    ),
    { maxKeys: 4 },
  ),
  moves: fc.array(
    fc.record({
      skus: fc.subarray([...SKUS], { minLength: 1 }),
      from: fc.constantFrom(...ALL_SOURCES),
      to: fc.constantFrom(...ALL_SOURCES),
      unassignFromOrigin: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
});

type StoreSpec = typeof store extends fc.Arbitrary<infer T> ? T : never;
type FileSpec = typeof file extends fc.Arbitrary<infer T> ? T : never;

function storeOf(spec: StoreSpec) {
  return live({
    sources: [DEFAULT_SOURCE, ...spec.sources.map((code) => rawSource(code, `${spec.names} ${code}`))],
    stocks: [
      { id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] },
      ...spec.stocks.map((s, i) => ({
        id: i + 2,
        name: s.name,
        channels: s.channels,
        links: s.links.filter((l) => spec.sources.includes(l)).map((l, p): [string, number] => [l, p + 1]),
      })),
    ],
    items: Object.fromEntries(
      Object.entries(spec.items).map(([sku, bySource]) => [
        sku,
        Object.entries(bySource).map(([source, [q, status]]): Item => [source, q, status]),
      ]),
    ),
  });
}

function fileOf(spec: FileSpec) {
  return desired({
    sources: spec.sources,
    stocks: spec.stocks,
    products: spec.products as NonNullable<Parameters<typeof desired>[0]["products"]>,
    moves: spec.moves,
  });
}

describe("the live state a plan implies", () => {
  it("gives exactly the plan's changes, for any file and store", () => {
    fc.assert(
      fc.property(store, file, (storeSpec, fileSpec) => {
        const inventory = fileOf(fileSpec);
        fc.pre(checkOffline(inventory).length === 0);
        const changes = diff(inventory, storeOf(storeSpec)).changes;
        const again = diff(inventory, impliedLiveState(inventory, changes)).changes;
        expect(firstChangeDifference(changes, again)).toBeUndefined();
      }),
      { numRuns: 400, seed: 13 },
    );
  });

  it("with a move and the quantities the file still asks for after it", () => {
    const inventory = desired({
      products: { p1: { b: 40 } },
      moves: [{ skus: ["p1", "p2"], from: "a", to: "b", unassignFromOrigin: true }],
    });
    const store = live({
      items: {
        p1: [
          ["a", 7, 1],
          ["b", 40, 1],
          ["c", 2, 1],
        ],
        p2: [["a", 3, 0]],
      },
    });
    const changes = diff(inventory, store).changes;
    expect(changes.map((c) => `${c.kind}:${c.action}`)).toEqual([
      "move:update",
      "source-item:update",
      "source-item:delete",
    ]);
    const implied = impliedLiveState(inventory, changes);
    expect(implied.sourceItems.get("p1")).toEqual(expect.arrayContaining(store.sourceItems.get("p1")!.map((i) => i)));
    expect(firstChangeDifference(changes, diff(inventory, implied).changes)).toBeUndefined();
  });
});

describe("a change the file does not imply", () => {
  const inventory = desired({
    stocks: { "US Stock": { channels: ["base"], links: ["a"] } },
    products: { p1: { a: 5 }, p2: ["a"] },
  });
  const store = live({
    sources: [DEFAULT_SOURCE, rawSource("a", "A")],
    stocks: [
      { id: 1, name: "Default Stock", channels: [], links: [["default", 1]] },
      { id: 2, name: "US Stock", channels: ["base"], links: [["a", 1]] },
    ],
    items: { p1: [["a", 9, 1]], p2: [["a", 4, 1]], p3: [["default", 100, 1]] },
  });
  const changes = diff(inventory, store).changes;

  function derivedFrom(edited: readonly Change[]): string | undefined {
    return firstChangeDifference(edited, diff(inventory, impliedLiveState(inventory, edited)).changes);
  }

  it("is none for the plan as made", () => {
    expect(changes).toHaveLength(1);
    expect(derivedFrom(changes)).toBeUndefined();
  });

  it("names an unassignment added for a source the file declares", () => {
    const added: Change = {
      kind: "source-item",
      action: "delete",
      sku: "p2",
      source: "a",
      before: { quantity: 4, status: "in_stock" },
      after: null,
    };
    expect(derivedFrom([...changes, added])).toBe(
      "change 1 (source item p2 @ a): the plan has it, its files give no such change (they imply 1)",
    );
  });

  it("names an unassignment of a SKU the file does not declare", () => {
    const added: Change = {
      kind: "source-item",
      action: "delete",
      sku: "p3",
      source: "default",
      before: { quantity: 100, status: "in_stock" },
      after: null,
    };
    expect(derivedFrom([...changes, added])).toContain("change 1 (source item p3 @ default): the plan has it");
  });

  it("names an edited after value, with both values", () => {
    const edited = changes.map((c) =>
      c.kind === "source-item" ? { ...c, after: { quantity: 0, status: "in_stock" as const } } : c,
    );
    expect(derivedFrom(edited)).toBe("change 0 (source item p1 @ a), after.quantity: the plan has 0, its files give 5");
  });

  it("names a link delete the file does not ask for, and a dropped change is only not applied", () => {
    const link: Change = {
      kind: "link",
      action: "delete",
      stock: "US Stock",
      stock_id: 2,
      source: "a",
      before: { priority: 1 },
      after: null,
    };
    expect(derivedFrom([link, ...changes])).toContain('change 0 (link "US Stock" <- a)');
    expect(derivedFrom([])).toBeUndefined();
  });
});
