// Semantic checks that follow the schema: small named rules, each adding problems, none
// stopping at the first. Offline rules need only the file; live rules also see the store
// (one LiveContext: the file, the store, its website codes and its catalog entries). The
// pipeline gathers the context and runs the rules; the rules hold every check.

import type { Problem } from "../errors.js";
import {
  channelKey,
  fitsQuantityScale,
  identifierKey,
  liveStockFor,
  nameKey,
  sameName,
  WEBSITE,
} from "../magento/equivalence.js";
import {
  DEFAULT_SOURCE_CODE,
  DEFAULT_STOCK_ID,
  type DesiredMove,
  type DesiredProduct,
  type DesiredState,
  type FileWarning,
  type LiveState,
  type Origin,
  type SkuAtSource,
} from "../model.js";
import type { CatalogEntry } from "../state/read-catalog.js";

type Rule<C> = (context: C, report: (origin: Origin, message: string) => void) => void;

interface NamedRule<C> {
  readonly name: string;
  readonly check: Rule<C>;
}

function runRules<C>(rules: readonly NamedRule<C>[], context: C, problems: Problem[] = []): Problem[] {
  for (const rule of rules)
    rule.check(context, (origin, message) => problems.push({ origin, message, rule: rule.name }));
  return problems;
}

// --- where messages point: the exact node, when the loader can find it --------------------

/** A node of the main file by its path (a field's value, a list entry), else `fallback` (the entry's key). */
function at(desired: DesiredState, fallback: Origin, path: readonly (string | number)[]): Origin {
  return desired.locate?.inMainFile(path, "value") ?? fallback;
}

/** The entry of a list in the main file that holds `value`. */
function entry(desired: DesiredState, fallback: Origin, path: readonly (string | number)[], value: string): Origin {
  return desired.locate?.listEntry(path, value) ?? fallback;
}

/** A move's field in the main file. */
function moveField(desired: DesiredState, move: DesiredMove, field: "from" | "to"): Origin {
  return move.index === undefined ? move.origin : at(desired, move.origin, ["moves", move.index, field]);
}

/** Where each (SKU, source) is declared, found in one pass per file; a pair not found points at its product. */
function assignmentsAt(
  desired: DesiredState,
  pairs: readonly SkuAtSource[],
  part: "source" | "quantity",
): (pair: SkuAtSource) => Origin {
  const found = pairs.length > 0 ? desired.locate?.assignments(pairs, part) : undefined;
  return (pair) =>
    found?.get(`${pair.sku}\u0000${pair.source}`) ?? desired.products.get(pair.sku)?.origin ?? fileOrigin(desired);
}

function fileOrigin(desired: DesiredState): Origin {
  return { file: desired.files[0]?.path ?? "inventory.yaml", line: 0, column: 0 };
}

/** Magento's NoSpecialCharsInString rejects `${...}` templates (magento/inventory:Inventory/Model/Validators). */
const TEMPLATE = /\$[:]*\{(.)*\}/;

const OFFLINE_RULES: readonly NamedRule<DesiredState>[] = [
  {
    name: "source-code-case",
    check(desired, report) {
      const seen = new Map<string, string>();
      for (const source of desired.sources.values()) {
        const other = seen.get(identifierKey(source.code));
        if (other !== undefined)
          report(
            source.origin,
            `source "${source.code}" and source "${other}" differ only in case; Magento stores them as the same source.`,
          );
        else seen.set(identifierKey(source.code), source.code);
      }
    },
  },
  {
    name: "source-name-unique",
    check(desired, report) {
      const seen = new Map<string, string>();
      for (const source of desired.sources.values()) {
        const name = source.fields.name;
        if (name === undefined) continue;
        const other = seen.get(nameKey(name));
        if (other !== undefined)
          report(
            at(desired, source.origin, ["sources", source.code, "name"]),
            `source "${source.code}" has the name "${name}", which source "${other}" has too; Magento requires unique source names (case and surrounding spaces ignored).`,
          );
        else seen.set(nameKey(name), source.code);
      }
    },
  },
  {
    name: "source-template",
    check(desired, report) {
      for (const source of desired.sources.values()) {
        for (const [label, value] of [
          ["code", source.code],
          ["name", source.fields.name],
        ] as const) {
          if (value !== undefined && TEMPLATE.test(value))
            report(
              label === "name" ? at(desired, source.origin, ["sources", source.code, "name"]) : source.origin,
              `source "${source.code}" ${label} contains a \${...} template, which Magento refuses ("Validation Failed").`,
            );
        }
      }
    },
  },
  {
    name: "default-source",
    check(desired, report) {
      const source = desired.sources.get(DEFAULT_SOURCE_CODE);
      if (!source) return;
      if (source.fields.enabled === false)
        report(
          at(desired, source.origin, ["sources", DEFAULT_SOURCE_CODE, "enabled"]),
          `source "default" cannot be disabled; Magento refuses it ("Default source can not be disabled.").`,
        );
      if (source.fields.is_pickup_location_active === true)
        report(
          at(desired, source.origin, ["sources", DEFAULT_SOURCE_CODE, "is_pickup_location_active"]),
          `source "default" cannot be a pickup location; Magento refuses it ("The Default Source can not be used for In-Store Pickup Delivery.").`,
        );
    },
  },
  {
    name: "pickup-address",
    check(desired, report) {
      for (const source of desired.sources.values()) {
        if (source.fields.is_pickup_location_active !== true) continue;
        for (const field of ["city", "street"] as const) {
          const value = source.fields[field];
          if (value !== undefined && (value === null || value.trim() === "")) {
            report(
              at(desired, source.origin, ["sources", source.code, field]),
              `source "${source.code}" is a pickup location without a ${field}; Magento requires one ("${field}" can not be empty for Pickup Location.).`,
            );
          }
        }
      }
    },
  },
  {
    name: "stock-name-unique",
    check(desired, report) {
      const seen = new Map<string, string>();
      for (const stock of desired.stocks.values()) {
        const other = seen.get(nameKey(stock.name));
        if (other !== undefined)
          report(
            stock.origin,
            `stock "${stock.name}" and stock "${other}" differ only in case or spaces; Magento requires unique stock names.`,
          );
        else seen.set(nameKey(stock.name), stock.name);
      }
    },
  },
  {
    name: "stock-rename",
    check(desired, report) {
      const renamedBy = new Map<string, string>();
      for (const stock of desired.stocks.values()) {
        const from = stock.renamedFrom;
        if (!from) continue;
        const at = from.origin;
        const declared = [...desired.stocks.keys()].find((name) => name !== stock.name && sameName(name, from.name));
        const deleted = [...(desired.stockDeletions?.keys() ?? [])].find((name) => sameName(name, from.name));
        const other = renamedBy.get(nameKey(from.name));
        if (from.name === stock.name)
          report(at, `stock "${stock.name}" is renamed from its own name; remove renamed_from.`);
        else if (declared !== undefined)
          report(
            at,
            `stock "${stock.name}" is renamed from "${from.name}", which the file declares as a stock too; a renamed stock is one stock. Remove the entry "${declared}", or renamed_from.`,
          );
        else if (deleted !== undefined)
          report(
            at,
            `stock "${stock.name}" is renamed from "${from.name}", which the file deletes; rename it or delete it, not both.`,
          );
        else if (other !== undefined)
          report(
            at,
            `stocks "${other}" and "${stock.name}" are both renamed from "${from.name}"; one stock can take its place.`,
          );
        renamedBy.set(nameKey(from.name), stock.name);
      }
    },
  },
  {
    name: "stock-source-once",
    check(desired, report) {
      for (const stock of desired.stocks.values()) {
        const seen = new Set<string>();
        for (const [index, link] of (stock.links ?? []).entries()) {
          if (seen.has(identifierKey(link.source)))
            report(
              at(desired, stock.origin, ["stocks", stock.name, "sources", index]),
              `stock "${stock.name}" lists source "${link.source}" twice; a source is linked to a stock once.`,
            );
          seen.add(identifierKey(link.source));
        }
      }
    },
  },
  {
    name: "sales-channel-once",
    check(desired, report) {
      const owner = new Map<string, string>();
      for (const stock of desired.stocks.values()) {
        for (const channel of stock.salesChannels ?? []) {
          const key = channelKey(channel);
          const other = owner.get(key);
          if (other !== undefined)
            report(
              entry(desired, stock.origin, ["stocks", stock.name, "sales_channels", channel.type], channel.code),
              `stock "${stock.name}" and stock "${other}" both claim ${channel.type} "${channel.code}"; a sales channel belongs to one stock.`,
            );
          else owner.set(key, stock.name);
        }
      }
    },
  },
  {
    name: "default-source-link",
    check(desired, report) {
      for (const stock of desired.stocks.values()) {
        const links = stock.links ?? [];
        if (links.some((l) => l.source === DEFAULT_SOURCE_CODE) && links.length > 1) {
          report(
            entry(desired, stock.origin, ["stocks", stock.name, "sources"], DEFAULT_SOURCE_CODE),
            `stock "${stock.name}" links source "default" together with other sources; Magento links "default" only to the Default Stock, alone ("Can not save link related to Default Source or Default Stock").`,
          );
        }
      }
    },
  },
  {
    name: "sku-case",
    check(desired, report) {
      const seen = new Map<string, string>();
      for (const product of desired.products.values()) {
        const other = seen.get(identifierKey(product.sku));
        if (other !== undefined)
          report(
            product.origin,
            `product "${product.sku}" and product "${other}" differ only in case; Magento stores their source items as the same SKU.`,
          );
        else seen.set(identifierKey(product.sku), product.sku);
      }
    },
  },
  {
    name: "quantity-precision",
    check(desired, report) {
      const found: (SkuAtSource & { readonly quantity: number })[] = [];
      for (const product of desired.products.values()) {
        for (const assignment of product.assignments) {
          const q = assignment.quantity;
          if (q !== undefined && !fitsQuantityScale(q))
            found.push({ sku: product.sku, source: assignment.source, quantity: q });
        }
      }
      const where = assignmentsAt(desired, found, "quantity");
      for (const f of found)
        report(
          where(f),
          `product "${f.sku}" has quantity ${f.quantity} at "${f.source}"; Magento stores 4 decimals (decimal(12,4)).`,
        );
    },
  },
  {
    name: "move-sources",
    check(desired, report) {
      for (const move of desired.moves) {
        if (move.from === move.to)
          report(
            moveField(desired, move, "to"),
            `move from "${move.from}" to itself; Magento refuses it ("Cannot transfer a source on itself").`,
          );
      }
    },
  },
  {
    // A move writes at both its sources; a scoped file writes nothing outside its scope.
    name: "move-scope",
    check(desired, report) {
      const scope = desired.scope?.sources;
      if (!scope) return;
      for (const move of desired.moves) {
        const outside = [move.from, move.to].filter((code) => !scope.has(code));
        if (outside.length > 0)
          report(
            move.origin,
            `move from "${move.from}" to "${move.to}" names ${outside.map((c) => `source "${c}"`).join(" and ")}, outside the file's scope (${[...scope].join(", ")}); a scoped file writes nothing at other sources. Add ${outside.length === 1 ? "it" : "them"} to scope.sources, or drop the move.`,
          );
      }
    },
  },
  {
    // A moved SKU whose product puts stock back at the origin would be transferred again by every plan.
    name: "move-origin-declared",
    check(desired, report) {
      for (const move of desired.moves) {
        for (const sku of move.skus) {
          const product = desired.products.get(sku);
          const assignment = product?.assignments.find((a) => a.source === move.from);
          if (!product || !assignment) continue;
          if (move.unassignFromOrigin) {
            report(
              move.origin,
              `move takes "${sku}" off source "${move.from}", but product "${sku}" assigns "${move.from}" again, so every plan would transfer it again. Remove "${move.from}" from the product, or set unassign_from_origin: false.`,
            );
          } else if (
            product.quantities === "manage" &&
            assignment.quantity !== undefined &&
            (assignment.quantity !== 0 || assignment.status !== "out_of_stock")
          ) {
            report(
              move.origin,
              `move leaves "${sku}" at source "${move.from}" with quantity 0, out of stock, but product "${sku}" sets it there again, so every plan would transfer it again. Give the product "${move.from}" as 0 out of stock or as a list entry, or drop the move.`,
            );
          }
        }
      }
    },
  },
];

export function checkOffline(desired: DesiredState): Problem[] {
  return runRules(OFFLINE_RULES, desired);
}

/**
 * What the file says that inv accepts with a warning. A quantity below 0 is valid in Magento
 * (magento/inventory:Inventory/Model/SourceItem/Validator/QuantityValidator.php checks only that
 * it is a number), and sells under backorders, but in a file it is more often a typo'd minus.
 */
export function fileWarnings(desired: DesiredState): FileWarning[] {
  const negative: (SkuAtSource & { readonly quantity: number })[] = [];
  for (const product of desired.products.values()) {
    if (product.quantities === "ignore") continue;
    for (const a of product.assignments)
      if (a.quantity !== undefined && a.quantity < 0)
        negative.push({ sku: product.sku, source: a.source, quantity: a.quantity });
  }
  const where = assignmentsAt(desired, negative, "quantity");
  return negative.map((n) => ({
    origin: where(n),
    rule: "negative-quantity",
    message: `product "${n.sku}" has quantity ${n.quantity} at source "${n.source}", below 0. Magento keeps it and sells it only with backorders on; if the minus is a typo, remove it.`,
  }));
}

/** The store's website codes as identifierKey() has them, or "unreadable" when the credentials may not read them. */
export type WebsiteCodes = ReadonlySet<string> | "unreadable";

/** What the live rules see. */
export interface LiveContext {
  readonly desired: DesiredState;
  readonly live: LiveState;
  /** Read only when a stock sells on a website (needsWebsiteCodes); an empty set when not. */
  readonly websites: WebsiteCodes;
  /** Every SKU the file declares or a move names, with what the catalog holds for it. */
  readonly catalog: ReadonlyMap<string, CatalogEntry>;
}

/**
 * The context before the catalog is in: the catalog is read alongside the rest of the store
 * and checked last (checkCatalog), so the diff can start while it is read, and a file whose
 * other problems are found first is refused without waiting for it.
 */
export type StoreContext = Omit<LiveContext, "catalog">;

/** The website codes are read only for a file whose stocks sell on a website. */
export function needsWebsiteCodes(desired: DesiredState): boolean {
  return [...desired.stocks.values()].some((s) => s.salesChannels?.some((c) => c.type === WEBSITE));
}

const LIVE_RULES: readonly NamedRule<StoreContext>[] = [
  {
    name: "stock-delete",
    check({ desired, live }, report) {
      // The websites other declared stocks take from it leave it before the delete is sent.
      const claimed = new Set<string>();
      for (const stock of desired.stocks.values())
        for (const c of stock.salesChannels ?? []) claimed.add(channelKey(c));
      for (const [name, origin] of desired.stockDeletions ?? []) {
        const match = [...live.stocks.values()].find((s) => sameName(s.name, name));
        if (!match) continue;
        if (match.id === DEFAULT_STOCK_ID) {
          report(
            origin,
            `stock "${name}" is Magento's Default Stock, which cannot be deleted ("Default Stock could not be deleted.").`,
          );
          continue;
        }
        const kept = match.salesChannels.filter((c) => !claimed.has(channelKey(c)));
        if (kept.length > 0) {
          report(
            origin,
            `stock "${name}" would be deleted, but it still sells on ${kept.map((c) => `${c.type} "${c.code}"`).join(", ")}; Magento refuses to delete a stock that has sales channels ("Stock has at least one sale channel and could not be deleted."). Give those channels to another stock in the file first.`,
          );
        }
      }
    },
  },
  {
    name: "stock-rename",
    check({ desired, live }, report) {
      const byName = new Map([...live.stocks.values()].map((s) => [nameKey(s.name), s]));
      for (const stock of desired.stocks.values()) {
        const from = stock.renamedFrom;
        if (!from) continue;
        const own = byName.get(nameKey(stock.name));
        const old = byName.get(nameKey(from.name));
        if (own && old && own.id !== old.id) {
          report(
            from.origin,
            `stock "${stock.name}" is renamed from "${from.name}", but the store has both: stock ${own.id} "${own.name}" and stock ${old.id} "${old.name}". Remove renamed_from to keep both, or delete the old one (${JSON.stringify(from.name)}: { delete: true }).`,
          );
        }
      }
    },
  },
  {
    name: "unknown-source",
    check({ desired, live }, report) {
      const known = (code: string) => desired.sources.has(code) || live.sources.has(code);
      const unknown = (code: string) =>
        `source "${code}", which is not declared and does not exist in the store. Declare it under sources, or remove it.`;
      for (const stock of desired.stocks.values()) {
        for (const [index, link] of (stock.links ?? []).entries())
          if (!known(link.source))
            report(
              at(desired, stock.origin, ["stocks", stock.name, "sources", index]),
              `stock "${stock.name}" links ${unknown(link.source)}`,
            );
      }
      const assigned: SkuAtSource[] = [];
      for (const product of desired.products.values()) {
        for (const a of product.assignments)
          if (!known(a.source)) assigned.push({ sku: product.sku, source: a.source });
      }
      const where = assignmentsAt(desired, assigned, "source");
      for (const pair of assigned) report(where(pair), `product "${pair.sku}" is assigned to ${unknown(pair.source)}`);
      for (const move of desired.moves) {
        for (const field of ["from", "to"] as const)
          if (!known(move[field])) report(moveField(desired, move, field), `move names ${unknown(move[field])}`);
      }
    },
  },
  {
    // A misspelt scope would protect nothing and manage nothing: every item is outside it.
    name: "scope-source",
    check({ desired, live }, report) {
      const known = (code: string) => desired.sources.has(code) || live.sources.has(code);
      const unknown = (code: string) =>
        `source "${code}", which is not declared and does not exist in the store. Correct the code, or declare the source under sources.`;
      for (const code of desired.scope?.sources ?? [])
        if (!known(code)) report(desired.scope!.origin, `scope names ${unknown(code)}`);
      const reported = new Set(desired.scope?.sources ?? []);
      for (const product of desired.products.values()) {
        for (const code of product.scope ?? []) {
          if (reported.has(code) || known(code)) continue;
          reported.add(code);
          report(product.origin, `the scope of the feed of product "${product.sku}" names ${unknown(code)}`);
        }
      }
    },
  },
  {
    name: "source-code-case",
    check({ desired, live }, report) {
      const liveByFold = new Map([...live.sources.keys()].map((code) => [identifierKey(code), code]));
      for (const source of desired.sources.values()) {
        const stored = liveByFold.get(identifierKey(source.code));
        if (stored !== undefined && stored !== source.code) {
          report(
            source.origin,
            `source "${source.code}" is stored as "${stored}" in Magento, which compares source codes without case; write it as "${stored}".`,
          );
        }
      }
    },
  },
  {
    name: "source-name-unique",
    check({ desired, live }, report) {
      const owners = new Map<string, string>();
      for (const source of live.sources.values()) owners.set(nameKey(source.fields.name), source.code);
      for (const source of desired.sources.values()) {
        const name = source.fields.name;
        if (name === undefined) continue;
        const owner = owners.get(nameKey(name));
        if (owner !== undefined && owner !== source.code && !desired.sources.get(owner)?.fields.name) {
          report(
            at(desired, source.origin, ["sources", source.code, "name"]),
            `source "${source.code}" has the name "${name}", which store source "${owner}" already has; Magento requires unique source names.`,
          );
        }
      }
    },
  },
  {
    name: "default-stock",
    check({ desired, live }, report) {
      const byName = new Map([...live.stocks.values()].map((s) => [nameKey(s.name), s]));
      for (const stock of desired.stocks.values()) {
        // Renamed or not: Magento allows renaming the Default Stock, and it stays stock 1.
        const isDefault = liveStockFor(stock, byName)?.id === DEFAULT_STOCK_ID;
        const links = stock.links;
        if (!links) continue;
        if (isDefault && (links.length !== 1 || links[0]?.source !== DEFAULT_SOURCE_CODE)) {
          const other = links.findIndex((l) => l.source !== DEFAULT_SOURCE_CODE);
          report(
            other >= 0 ? at(desired, stock.origin, ["stocks", stock.name, "sources", other]) : stock.origin,
            `stock "${stock.name}" is the Default Stock, which links source "default" and nothing else in Magento ("Can not save link related to Default Source or Default Stock").`,
          );
        }
        if (!isDefault && links.some((l) => l.source === DEFAULT_SOURCE_CODE)) {
          report(
            entry(desired, stock.origin, ["stocks", stock.name, "sources"], DEFAULT_SOURCE_CODE),
            `stock "${stock.name}" links source "default", which Magento links only to the Default Stock ("Can not save link related to Default Source or Default Stock").`,
          );
        }
      }
    },
  },
  {
    name: "pickup-address",
    check({ desired, live }, report) {
      for (const source of desired.sources.values()) {
        const stored = live.sources.get(source.code)?.fields;
        const active = source.fields.is_pickup_location_active ?? stored?.is_pickup_location_active ?? false;
        if (!active) continue;
        for (const field of ["city", "street"] as const) {
          const value = field in source.fields ? source.fields[field] : stored?.[field];
          if (value === undefined || value === null || value.trim() === "") {
            report(
              field in source.fields ? at(desired, source.origin, ["sources", source.code, field]) : source.origin,
              `source "${source.code}" is a pickup location without a ${field}; Magento requires one ("${field}" can not be empty for Pickup Location.).`,
            );
          }
        }
      }
    },
  },
  {
    name: "sku-case",
    check({ desired, live }, report) {
      let byFold: Map<string, DesiredProduct> | undefined;
      for (const [sku, items] of live.sourceItems) {
        if (items.length === 0 || desired.products.has(sku)) continue;
        byFold ??= new Map([...desired.products.values()].map((p) => [identifierKey(p.sku), p]));
        const declared = byFold.get(identifierKey(sku));
        if (declared)
          report(
            declared.origin,
            `product "${declared.sku}" is stored as "${sku}" in Magento, which compares SKUs without case; write it as "${sku}".`,
          );
      }
    },
  },
  {
    // Magento: InventorySales SalesChannelsValidator refuses a stock save naming an unknown website.
    name: "unknown-website",
    check({ desired, websites }, report) {
      if (websites === "unreadable") return;
      for (const stock of desired.stocks.values()) {
        for (const channel of stock.salesChannels ?? []) {
          if (channel.type === WEBSITE && !websites.has(identifierKey(channel.code))) {
            report(
              entry(desired, stock.origin, ["stocks", stock.name, "sales_channels", channel.type], channel.code),
              `stock "${stock.name}" sells on website "${channel.code}", which does not exist in the store ("The website with code "${channel.code}" does not exist.").`,
            );
          }
        }
      }
    },
  },
];

export function checkAgainstLive(context: StoreContext): Problem[] {
  return runRules(LIVE_RULES, context);
}

/** What the plan says about checks it could not make. */
export function liveWarnings(context: StoreContext): string[] {
  return context.websites === "unreadable"
    ? ["Website codes were not checked: the credentials may not read V1/store/websites (Magento_Backend::store)."]
    : [];
}

/**
 * Types whose `isQty` is set in Magento's product_types.xml (simple, virtual, downloadable;
 * giftcard in Adobe Commerce): the ones InventoryConfiguration's
 * IsSourceItemManagementAllowedForProductType accepts. Configurable, bundle and grouped are not.
 */
export const STOCK_HOLDING_TYPES: ReadonlySet<string> = new Set(["simple", "virtual", "downloadable", "giftcard"]);

/** One catalog entry of a SKU the file declares with sources, or a move names. */
interface CatalogEntryContext {
  readonly sku: string;
  readonly entry: CatalogEntry;
  readonly origin: Origin;
  /** A move names the SKU, so --skip-unknown-skus cannot leave it out. */
  readonly moved: boolean;
}

/**
 * Magento accepts source items for SKUs that are not in the catalog or whose type cannot
 * hold stock, so inv checks every SKU the file declares (and every SKU a move names) and
 * refuses the plan naming each one. A SKU declared with no sources at all is allowed: that
 * is how a file clears the source items a deleted product left behind.
 */
const CATALOG_RULES: readonly NamedRule<CatalogEntryContext>[] = [
  {
    name: "unknown-sku",
    check({ sku, entry, origin, moved }, report) {
      if (!entry.found)
        report(
          origin,
          moved
            ? `product "${sku}" is not in the store's catalog, and a move names it; Magento would keep its source items anyway, but they could never be sold. Create the product first, or remove it from the move.`
            : `product "${sku}" is not in the store's catalog; Magento would keep its source items anyway, but they could never be sold. Create the product first, remove it, or plan the rest with --skip-unknown-skus (or policy: { skip_unknown_skus: true } in the file).`,
        );
    },
  },
  {
    name: "product-type",
    check({ sku, entry, origin }, report) {
      if (entry.found && !STOCK_HOLDING_TYPES.has(entry.typeId))
        report(
          origin,
          `product "${sku}" is a ${entry.typeId} product, which has no source items of its own in Magento; assign sources to its simple products instead.`,
        );
    },
  },
  {
    name: "sku-case",
    check({ sku, entry, origin }, report) {
      if (entry.found && STOCK_HOLDING_TYPES.has(entry.typeId) && entry.sku !== sku)
        report(
          origin,
          `product "${sku}" is stored as "${entry.sku}" in the catalog; Magento compares SKUs without case. Write it as "${entry.sku}".`,
        );
    },
  },
];

/** The catalog rules, entry by entry in the catalog's order (SKUs in code-point order). */
export function checkCatalog(context: LiveContext): Problem[] {
  const problems: Problem[] = [];
  for (const [sku, entry] of context.catalog) {
    if (isStockHolding(sku, entry)) continue;
    const product = context.desired.products.get(sku);
    const move = context.desired.moves.find((m) => m.skus.includes(sku));
    if (!move && (!product || product.assignments.length === 0)) continue;
    runRules(CATALOG_RULES, { sku, entry, origin: (product ?? move)!.origin, moved: move !== undefined }, problems);
  }
  return problems;
}

/** The SKUs the catalog holds as stock-holding products, spelled as stored (bulk calls may carry only those). */
export function stockHoldingSkus(catalog: ReadonlyMap<string, CatalogEntry>): Set<string> {
  const skus = new Set<string>();
  for (const [sku, entry] of catalog) if (isStockHolding(sku, entry)) skus.add(sku);
  return skus;
}

function isStockHolding(sku: string, entry: CatalogEntry): boolean {
  return entry.found && STOCK_HOLDING_TYPES.has(entry.typeId) && entry.sku === sku;
}
