// What Magento treats as the same: each helper against what Magento's code does.

import { describe, expect, it } from "vitest";
import {
  channelKey,
  channelsAfterSaves,
  compareChannels,
  fitsQuantityScale,
  identifierKey,
  nameKey,
  pageCount,
  phpTrim,
  roundCoordinate,
  roundQuantity,
  sameChannels,
  sameIdentifier,
  sameName,
  sortChannels,
} from "../../src/magento/equivalence.js";
import type { SalesChannel } from "../../src/model.js";

const website = (code: string): SalesChannel => ({ type: "website", code });

describe("codes and SKUs", () => {
  it("compare without case and trailing spaces, as utf8_general_ci (PAD SPACE) does, and nothing else", () => {
    expect(sameIdentifier("EU-1", "eu-1")).toBe(true);
    expect(identifierKey("24-MB04")).toBe(identifierKey("24-mb04"));
    expect(sameIdentifier("24-MB04  ", "24-MB04")).toBe(true);
    // Only trailing spaces pad: a leading space, or a trailing tab, makes another SKU.
    expect(sameIdentifier(" 24-MB04", "24-MB04")).toBe(false);
    expect(sameIdentifier("24-MB04\t", "24-MB04")).toBe(false);
    expect(sameIdentifier("ne_wh", "ne-wh")).toBe(false);
  });
});

describe("stock and source names", () => {
  it("match without case and surrounding spaces, as Magento's unique-name check does", () => {
    expect(sameName("US Stock", "us stock")).toBe(true);
    expect(sameName("  US Stock\t\n", "US STOCK")).toBe(true);
    expect(nameKey(" Default Stock ")).toBe("default stock");
    expect(sameName("US Stock", "US  Stock")).toBe(false);
    expect(sameName("US Stock", "EU Stock")).toBe(false);
  });

  it("trim only what PHP's trim() trims: not a no-break space", () => {
    expect(phpTrim(" \t\n\r\0\x0BUS\x0B\0\r\n\t ")).toBe("US");
    expect(phpTrim("\u00A0US\u00A0")).toBe("\u00A0US\u00A0");
    expect(sameName("\u00A0US", "US")).toBe(false);
    expect(phpTrim("U S")).toBe("U S");
  });
});

describe("sales channels", () => {
  it("are keyed by type and code, the code without case", () => {
    expect(channelKey(website("Base"))).toBe(channelKey(website("base")));
    expect(channelKey(website("base"))).not.toBe(channelKey({ type: "marketplace", code: "base" }));
    // The separator keeps type and code apart: ("ab", "c") is not ("a", "bc").
    expect(channelKey({ type: "ab", code: "c" })).not.toBe(channelKey({ type: "a", code: "bc" }));
  });

  it("sort by type, then code, in code-point order, as plain copies", () => {
    const channels = [website("us"), { type: "marketplace", code: "z", extra: 1 } as SalesChannel, website("Base")];
    expect(sortChannels(channels)).toEqual([{ type: "marketplace", code: "z" }, website("Base"), website("us")]);
    expect(compareChannels(website("a"), website("a"))).toBe(0);
    expect(compareChannels(website("b"), website("a"))).toBe(1);
    expect(channels[0]).toEqual(website("us"));
  });

  it("are the same in any order and any case, but not with one more or one other", () => {
    expect(sameChannels([website("base"), website("us")], [website("US"), website("base")])).toBe(true);
    expect(sameChannels([], [])).toBe(true);
    expect(sameChannels([website("base")], [website("base"), website("us")])).toBe(false);
    expect(sameChannels([website("base")], [{ type: "marketplace", code: "base" }])).toBe(false);
  });
});

describe("the website fallback", () => {
  // Stocks by id; 1 is the Default Stock.
  const before = new Map<number, SalesChannel[]>([
    [1, [website("base")]],
    [2, [website("us"), website("eu"), { type: "marketplace", code: "amazon" }]],
    [3, [website("outlet")]],
  ]);

  it("parks the websites a stock drops on the Default Stock, and drops other channel types", () => {
    // Magento's own test: stock 10 had eu_website; saved with us_website only, the Default Stock gains eu_website.
    const { channels, moves } = channelsAfterSaves(before, [{ stock: 2, channels: [website("us")] }], 1);
    expect(channels.get(2)).toEqual([website("us")]);
    expect(channels.get(1)).toEqual([website("base"), website("eu")]);
    expect(channels.get(3)).toEqual([website("outlet")]);
    expect(moves).toEqual([{ kind: "fallback", channel: website("eu"), from: 2, to: 1 }]);
  });

  it("moves a channel another stock had to the stock saved with it, without a fallback", () => {
    const { channels, moves } = channelsAfterSaves(
      before,
      [{ stock: 3, channels: [website("outlet"), website("Base")] }],
      1,
    );
    expect(channels.get(1)).toEqual([]);
    expect(channels.get(3)).toEqual([website("outlet"), website("Base")]);
    expect(moves).toEqual([{ kind: "taken", channel: website("Base"), from: 1, to: 3 }]);
  });

  it("gives a dropped website to the stock that takes it in the same plan, whichever is saved first", () => {
    const saves = [
      { stock: 2, channels: [website("us")] },
      { stock: 3, channels: [website("outlet"), website("eu")] },
    ];
    for (const order of [saves, [...saves].reverse()]) {
      const { channels, moves } = channelsAfterSaves(before, order, 1);
      expect(channels.get(1)).toEqual([website("base")]);
      expect(channels.get(2)).toEqual([website("us")]);
      expect(channels.get(3)).toEqual([website("outlet"), website("eu")]);
      expect(moves).toEqual([{ kind: "taken", channel: website("eu"), from: 2, to: 3 }]);
    }
  });

  it("keeps the Default Stock's own dropped websites on it", () => {
    const { channels, moves } = channelsAfterSaves(before, [{ stock: 1, channels: [] }], 1);
    expect(channels.get(1)).toEqual([website("base")]);
    expect(moves).toEqual([{ kind: "fallback", channel: website("base"), from: 1, to: 1 }]);
  });

  it("gives a new stock its channels, and says where a fallback goes when there is no Default Stock", () => {
    const saves = [
      { stock: 9, channels: [website("us")] },
      { stock: 3, channels: [] },
    ];
    const { channels, moves } = channelsAfterSaves(before, saves, undefined);
    expect(channels.get(9)).toEqual([website("us")]);
    expect(channels.get(2)).toEqual([website("eu"), { type: "marketplace", code: "amazon" }]);
    expect(channels.get(3)).toEqual([]);
    expect(moves).toEqual([
      { kind: "taken", channel: website("us"), from: 2, to: 9 },
      { kind: "fallback", channel: website("outlet"), from: 3, to: undefined },
    ]);
  });

  it("changes nothing when no stock is saved, and never changes its input", () => {
    const copy = structuredClone([...before]);
    const { channels, moves } = channelsAfterSaves(before, [], 1);
    expect([...channels]).toEqual([...before]);
    expect(moves).toEqual([]);
    channelsAfterSaves(before, [{ stock: 2, channels: [] }], 1);
    expect([...before]).toEqual(copy);
  });
});

describe("decimals", () => {
  it("round quantities to decimal(12,4), halves away from zero as Math.round does", () => {
    expect(roundQuantity(0.1 + 0.2)).toBe(0.3);
    expect(roundQuantity(1.23456)).toBe(1.2346);
    expect(roundQuantity(2.00004)).toBe(2);
    expect(roundQuantity(-3.5)).toBe(-3.5);
    expect(roundQuantity(35)).toBe(35);
  });

  it("accept a quantity with at most 4 decimals, however binary floating point writes it", () => {
    expect(fitsQuantityScale(1.2345)).toBe(true);
    expect(fitsQuantityScale(0.1 + 0.2)).toBe(true);
    expect(fitsQuantityScale(100)).toBe(true);
    expect(fitsQuantityScale(1.23456)).toBe(false);
    expect(fitsQuantityScale(0.00001)).toBe(false);
  });

  it("round coordinates to 6 decimals", () => {
    expect(roundCoordinate(40.7337912)).toBe(40.733791);
    expect(roundCoordinate(-74.05872)).toBe(-74.05872);
  });
});

describe("page counts", () => {
  it("are ceil(total / page size), and one page for an empty search", () => {
    expect(pageCount(0, 100)).toBe(1);
    expect(pageCount(1, 100)).toBe(1);
    expect(pageCount(100, 100)).toBe(1);
    expect(pageCount(101, 100)).toBe(2);
    expect(pageCount(1_000_000, 300)).toBe(3334);
  });
});
