// The live rules: the file against the store, its website codes and its catalog, as one context.

import { describe, expect, it } from "vitest";
import {
  checkAgainstLive,
  checkCatalog,
  liveWarnings,
  needsWebsiteCodes,
  stockHoldingSkus,
  type LiveContext,
} from "../../src/inventory/rules.js";
import type { DesiredState } from "../../src/model.js";
import type { CatalogEntry } from "../../src/state/read-catalog.js";
import { desired, live, ORIGIN } from "../helpers/states.js";

const store = live({});

function context(file: DesiredState, parts: Partial<LiveContext> = {}): LiveContext {
  return { desired: file, live: store, websites: new Set(["base"]), catalog: new Map(), ...parts };
}

describe("website codes", () => {
  it("are needed only for a file whose stocks sell on a website", () => {
    expect(needsWebsiteCodes(desired({ stocks: { US: { channels: ["base"] } } }))).toBe(true);
    expect(needsWebsiteCodes(desired({ stocks: { US: { links: ["default"] } } }))).toBe(false);
    expect(needsWebsiteCodes(desired({}))).toBe(false);
  });

  it("refuse a website the store does not have, matching codes without case", () => {
    const file = desired({ stocks: { US: { channels: ["BASE", "us_site"] } } });
    expect(checkAgainstLive(context(file))).toEqual([
      {
        origin: ORIGIN,
        rule: "unknown-website",
        message:
          'stock "US" sells on website "us_site", which does not exist in the store ("The website with code "us_site" does not exist.").',
      },
    ]);
    expect(liveWarnings(context(file))).toEqual([]);
  });

  it("when unreadable, are not checked, and the plan says so", () => {
    const file = desired({ stocks: { US: { channels: ["us_site"] } } });
    const unreadable = context(file, { websites: "unreadable" });
    expect(checkAgainstLive(unreadable)).toEqual([]);
    expect(liveWarnings(unreadable)).toEqual([
      "Website codes were not checked: the credentials may not read V1/store/websites (Magento_Backend::store).",
    ]);
  });

  it("are checked after the store's other rules, so their problems come last", () => {
    const file = desired({ stocks: { US: { channels: ["us_site"], links: ["nowhere"] } } });
    expect(checkAgainstLive(context(file)).map((p) => p.rule)).toEqual(["unknown-source", "unknown-website"]);
  });
});

describe("the catalog", () => {
  const catalog = new Map<string, CatalogEntry>([
    ["24-MB04", { found: true, sku: "24-MB04", typeId: "simple" }],
    ["24-WG080", { found: true, sku: "24-WG080", typeId: "bundle" }],
    ["GONE-1", { found: false }],
    ["MH01", { found: true, sku: "MH01", typeId: "configurable" }],
    ["NOT-A-SKU", { found: false }],
    ["mb05", { found: true, sku: "MB05", typeId: "virtual" }],
  ]);
  const file = desired({
    products: {
      "24-MB04": { default: 3 },
      "24-WG080": ["default"],
      "GONE-1": [],
      MH01: { default: 5 },
      "NOT-A-SKU": { default: 1 },
      mb05: { default: 1 },
    },
  });

  it("refuses each SKU that could never be sold, in the catalog's order, with what to do", () => {
    expect(checkCatalog(context(file, { catalog })).map((p) => [p.rule, p.message])).toEqual([
      [
        "product-type",
        'product "24-WG080" is a bundle product, which has no source items of its own in Magento; assign sources to its simple products instead.',
      ],
      [
        "product-type",
        'product "MH01" is a configurable product, which has no source items of its own in Magento; assign sources to its simple products instead.',
      ],
      [
        "unknown-sku",
        `product "NOT-A-SKU" is not in the store's catalog; Magento would keep its source items anyway, but they could never be sold. Create the product first, remove it, or plan the rest with --skip-unknown-skus (or policy: { skip_unknown_skus: true } in the file).`,
      ],
      [
        "sku-case",
        'product "mb05" is stored as "MB05" in the catalog; Magento compares SKUs without case. Write it as "MB05".',
      ],
    ]);
  });

  it("lets a file clear a deleted product's items with `SKU: []`, but not move it", () => {
    expect(checkCatalog(context(file, { catalog })).some((p) => p.message.includes("GONE-1"))).toBe(false);
    const moving = desired({ moves: [{ skus: ["GONE-1"], from: "default", to: "ne_wh", unassignFromOrigin: true }] });
    const refused = checkCatalog(context(moving, { catalog }));
    expect(refused.map((p) => p.rule)).toEqual(["unknown-sku"]);
    // The move would carry it, so skipping cannot leave it out: the message does not offer it.
    expect(refused[0]?.message).toContain("remove it from the move");
    expect(refused[0]?.message).not.toContain("--skip-unknown-skus");
  });

  it("lets bulk calls carry only the SKUs it holds as stock-holding products, spelled as stored", () => {
    expect([...stockHoldingSkus(catalog)]).toEqual(["24-MB04"]);
    expect(checkCatalog(context(file, { catalog: new Map() }))).toEqual([]);
  });
});
