// Small builders for DesiredState and LiveState, so unit tests read like the file and the store.

import { diff } from "../../src/diff/diff.js";
import { liveSourceFromRaw, type RawSource } from "../../src/magento/convert.js";
import { buildPlan, type Plan } from "../../src/plan/plan.js";
import type {
  DesiredAssignment,
  DesiredMove,
  DesiredProduct,
  DesiredSource,
  DesiredState,
  DesiredStock,
  LiveSourceItem,
  LiveState,
  LiveStock,
  QuantityPolicy,
  SourceFields,
} from "../../src/model.js";

export const ORIGIN = { file: "inventory.yaml", line: 1, column: 1 };

export function desired(parts: {
  sources?: Record<string, Partial<SourceFields>>;
  stocks?: Record<string, { channels?: string[]; links?: string[] }>;
  products?: Record<
    string,
    | Record<string, number | { quantity: number; status: "in_stock" | "out_of_stock" }>
    | string[]
    | { sources: Record<string, number> | string[]; quantities: QuantityPolicy }
  >;
  moves?: Omit<DesiredMove, "origin">[];
  quantities?: QuantityPolicy;
}): DesiredState {
  const quantities = parts.quantities ?? "manage";
  const sources = new Map<string, DesiredSource>(
    Object.entries(parts.sources ?? {}).map(([code, fields]) => [code, { code, fields, origin: ORIGIN }]),
  );
  const stocks = new Map<string, DesiredStock>(
    Object.entries(parts.stocks ?? {}).map(([name, s]) => [
      name,
      {
        name,
        salesChannels: s.channels?.map((code) => ({ type: "website", code })),
        links: s.links?.map((source, i) => ({ source, priority: i + 1 })),
        origin: ORIGIN,
      },
    ]),
  );
  const products = new Map<string, DesiredProduct>(
    Object.entries(parts.products ?? {}).map(([sku, value]) => {
      const long = !Array.isArray(value) && "sources" in value && typeof value.quantities === "string";
      const spec = long ? (value as { sources: Record<string, number> | string[] }).sources : value;
      const policy = long ? (value as { quantities: QuantityPolicy }).quantities : quantities;
      const assignments: DesiredAssignment[] = Array.isArray(spec)
        ? spec.map((source) => ({ source, quantity: undefined, status: undefined }))
        : Object.entries(
            spec as Record<string, number | { quantity: number; status: "in_stock" | "out_of_stock" }>,
          ).map(([source, q]) =>
            typeof q === "number"
              ? { source, quantity: q, status: "in_stock" as const }
              : { source, quantity: q.quantity, status: q.status },
          );
      return [sku, { sku, quantities: policy, assignments, origin: ORIGIN }];
    }),
  );
  return {
    sources,
    stocks,
    products,
    moves: (parts.moves ?? []).map((m) => ({ ...m, origin: ORIGIN })),
    quantities,
    safety: { allowDestroy: false, maxUnassign: undefined, maxUnitsRemoved: undefined },
    files: [{ path: "inventory.yaml", sha256: "0".repeat(64) }],
  };
}

export const DEFAULT_SOURCE: RawSource = {
  source_code: "default",
  name: "Default Source",
  enabled: true,
  description: "Default Source",
  latitude: 0,
  longitude: 0,
  country_id: "US",
  postcode: "00000",
  use_default_carrier_config: true,
  carrier_links: [],
};

export function live(parts: {
  sources?: RawSource[];
  stocks?: { id: number; name: string; channels?: string[]; links?: [string, number][] }[];
  items?: Record<string, [string, number, 0 | 1][]>;
}): LiveState {
  const sources = new Map((parts.sources ?? [DEFAULT_SOURCE]).map((raw) => [raw.source_code, liveSourceFromRaw(raw)]));
  const stocks = new Map<number, LiveStock>(
    (parts.stocks ?? [{ id: 1, name: "Default Stock", channels: ["base"], links: [["default", 1]] }]).map((s) => [
      s.id,
      {
        id: s.id,
        name: s.name,
        salesChannels: (s.channels ?? []).map((code) => ({ type: "website", code })),
        links: (s.links ?? []).map(([source, priority]) => ({ source, priority })),
      },
    ]),
  );
  const sourceItems = new Map<string, LiveSourceItem[]>(
    Object.entries(parts.items ?? {}).map(([sku, rows]) => [
      sku,
      rows.map(([source, quantity, status]) => ({
        source,
        quantity,
        status: status === 1 ? "in_stock" : "out_of_stock",
      })),
    ]),
  );
  return { sources, stocks, sourceItems };
}

/** The plan of a file against a store, with a fixed time, version and no git, so renderings are byte-stable. */
export function planOf(file: DesiredState, store: LiveState, batchSize = 500): Plan {
  return buildPlan({
    diff: diff(file, store),
    live: store,
    batchSize,
    store: { url: "https://shop.example.com", store_code: "all" },
    basis: { files: file.files, git: null },
    createdAt: "2026-01-01T00:00:00.000Z",
    invVersion: "0.0.0-golden",
    checked: { sources: file.sources.size, stocks: file.stocks.size, products: file.products.size },
    policy: file.safety,
  });
}
