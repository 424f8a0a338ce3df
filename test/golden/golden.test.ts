// The same plans render the same text, Markdown and JSON, byte for byte. After an intended
// change of a rendering, rewrite the expectations with `UPDATE_GOLDEN=1 npx vitest run test/golden`
// and review the diff of test/golden/*.{txt,md,json} like code.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/render/render-json.js";
import { renderMarkdown } from "../../src/render/render-markdown.js";
import { renderText } from "../../src/render/render-text.js";
import { GOLDEN_PLANS } from "./fixtures.js";

const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

const RENDERINGS = {
  txt: (plan) => renderText(plan, { color: false }),
  md: (plan) => renderMarkdown(plan),
  json: (plan) => renderJson(plan),
} satisfies Record<string, (plan: ReturnType<(typeof GOLDEN_PLANS)[string]>) => string>;

function expectGolden(name: string, actual: string): void {
  const file = new URL(`./${name}`, import.meta.url);
  if (UPDATE || !existsSync(file)) {
    writeFileSync(file, actual);
    if (!UPDATE) throw new Error(`test/golden/${name} did not exist and was written; review it and run the test again.`);
    return;
  }
  expect(actual, `test/golden/${name} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, "utf8"));
}

describe("golden renderings", () => {
  for (const [fixture, make] of Object.entries(GOLDEN_PLANS)) {
    for (const [extension, render] of Object.entries(RENDERINGS)) {
      it(`renders ${fixture} as ${extension} exactly as test/golden/${fixture}.${extension}`, () => {
        expectGolden(`${fixture}.${extension}`, render(make()));
      });
    }
  }

  it("renders fresh-shop with --show-payloads exactly as test/golden/fresh-shop.payloads.{txt,md}", () => {
    const plan = GOLDEN_PLANS["fresh-shop"]!();
    expectGolden("fresh-shop.payloads.txt", renderText(plan, { color: false, showPayloads: true }));
    // Each call's body folded under it, in a fence no backtick in the data can close.
    expectGolden("fresh-shop.payloads.md", renderMarkdown(plan, { showPayloads: true }));
  });

  it("renders a plan identically every time it is built again", () => {
    for (const make of Object.values(GOLDEN_PLANS)) {
      for (const render of Object.values(RENDERINGS)) expect(render(make())).toBe(render(make()));
    }
  });
});
