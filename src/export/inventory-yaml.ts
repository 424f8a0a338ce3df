// The live store as an inventory file in our format: every source with every field, every
// stock with its sales channels and its sources in priority order, and every product with
// all its source items. Pure and deterministic: the same store always gives the same text.

import { sortChannels } from "../magento/equivalence.js";
import type { LiveSource, LiveSourceItem, LiveState, LiveStock, SourceField } from "../model.js";
import { compareCodePoints } from "../sort.js";
import { yamlNumber, yamlString, yamlValue } from "./yaml-scalar.js";

export interface InventoryYamlOptions {
  /** The `$schema` of the yaml-language-server modeline, relative to the file or a URL. */
  readonly schema: string;
  /** CSV files (relative to the file) that hold the quantities instead of `products:`. */
  readonly csv?: readonly string[];
}

export interface InventoryYaml {
  readonly text: string;
  readonly warnings: readonly string[];
}

/** Address and contact first, as a person reads a source; every field of SOURCE_FIELDS once. */
export const EXPORT_FIELD_ORDER: readonly SourceField[] = [
  "name",
  "enabled",
  "description",
  "contact_name",
  "email",
  "phone",
  "fax",
  "country_id",
  "region_id",
  "region",
  "city",
  "street",
  "postcode",
  "latitude",
  "longitude",
  "is_pickup_location_active",
  "frontend_name",
  "frontend_description",
];

/** A flow sequence longer than this is written one entry a line. */
const FLOW_WIDTH = 100;

export function inventoryYaml(store: LiveState, options: InventoryYamlOptions): InventoryYaml {
  const warnings: string[] = [];
  const lines: string[] = [
    `# yaml-language-server: $schema=${options.schema}`,
    "#",
    "# Written by `inv export` from the live store: every source with all its fields, every stock",
    "# with its sales channels and its sources in priority order, and every product's source items",
    "# (a bare number is that quantity, in stock).",
    "version: 1",
  ];
  if (options.csv) lines.push("", `csv: [${options.csv.map((f) => yamlString(f)).join(", ")}]`);

  lines.push("", store.sources.size === 0 ? "sources: {}" : "sources:");
  for (const source of [...store.sources.values()].sort((a, b) => compareCodePoints(a.code, b.code)))
    lines.push(...sourceLines(source));

  lines.push("", store.stocks.size === 0 ? "stocks: {}" : "stocks:");
  for (const stock of [...store.stocks.values()].sort((a, b) => compareCodePoints(a.name, b.name)))
    lines.push(...stockLines(stock, warnings));

  if (!options.csv) {
    const skus = [...store.sourceItems.keys()]
      .filter((sku) => (store.sourceItems.get(sku) ?? []).length > 0)
      .sort(compareCodePoints);
    lines.push("", skus.length === 0 ? "products: {}" : "products:");
    for (const sku of skus) lines.push(`  ${yamlString(sku)}: ${itemsFlow(store.sourceItems.get(sku) ?? [])}`);
  }
  return { text: `${lines.join("\n")}\n`, warnings };
}

function sourceLines(source: LiveSource): string[] {
  const lines = [`  ${yamlString(source.code)}:`];
  for (const field of EXPORT_FIELD_ORDER) {
    // Postcodes are always quoted: YAML reads 07306 as the number 7306.
    lines.push(`    ${field}: ${yamlValue(source.fields[field], { quote: field === "postcode" })}`);
  }
  return lines;
}

function stockLines(stock: LiveStock, warnings: string[]): string[] {
  const lines = [`  ${yamlString(stock.name)}:`, `    sales_channels: ${channelsFlow(stock)}`];
  const entries = linkEntries(stock, warnings);
  const flow = `[${entries.join(", ")}]`;
  if (`    sources: ${flow}`.length <= FLOW_WIDTH) lines.push(`    sources: ${flow}`);
  else lines.push("    sources:", ...entries.map((e) => `      - ${e}`));
  return lines;
}

function channelsFlow(stock: LiveStock): string {
  // In channel order, so each type's codes come together.
  const byType = new Map<string, string[]>();
  for (const channel of sortChannels(stock.salesChannels)) {
    let codes = byType.get(channel.type);
    if (!codes) byType.set(channel.type, (codes = []));
    codes.push(yamlString(channel.code));
  }
  if (byType.size === 0) return "{}";
  const parts = [...byType].map(([type, codes]) => `${yamlString(type)}: [${codes.join(", ")}]`);
  return `{ ${parts.join(", ")} }`;
}

/**
 * The stock's sources in priority order. The file counts priorities 1, 2, 3, ... down the
 * list, so an entry names its priority only where the store's breaks that count.
 */
function linkEntries(stock: LiveStock, warnings: string[]): string[] {
  const links = [...stock.links].sort((a, b) => a.priority - b.priority || compareCodePoints(a.source, b.source));
  const entries: string[] = [];
  let previous = 0;
  for (const link of links) {
    if (link.priority <= previous) {
      // Magento allows equal priorities (docs/magento/msi-rest.md#stock-source-links); the file cannot say so.
      warnings.push(
        `stock "${stock.name}" gives source "${link.source}" the same priority (${link.priority}) as the ` +
          `source before it; the file lists it next, so \`inv plan\` would give it priority ${previous + 1}.`,
      );
      entries.push(yamlString(link.source));
      previous += 1;
      continue;
    }
    entries.push(
      link.priority === previous + 1
        ? yamlString(link.source)
        : `{ source: ${yamlString(link.source)}, priority: ${link.priority} }`,
    );
    previous = link.priority;
  }
  return entries;
}

function itemsFlow(items: readonly LiveSourceItem[]): string {
  const parts = [...items]
    .sort((a, b) => compareCodePoints(a.source, b.source))
    .map(
      (item) =>
        `${yamlString(item.source)}: ` +
        (item.status === "in_stock"
          ? yamlNumber(item.quantity)
          : `{ quantity: ${yamlNumber(item.quantity)}, status: out_of_stock }`),
    );
  return `{ ${parts.join(", ")} }`;
}
