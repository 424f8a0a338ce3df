// One model of what a plan says: the text, Markdown and JSON renderings say the same thing
// in the same order, because the first two read planView() and the third is the plan.

import { describe, expect, it } from "vitest";
import { CHANGE_KINDS, isDestructive, type Change } from "../../src/diff/changes.js";
import { KIND_NOUNS, KIND_TITLES } from "../../src/render/format.js";
import { planView, summaryPhrase } from "../../src/render/plan-view-model.js";
import { renderJson } from "../../src/render/render-json.js";
import { renderMarkdown } from "../../src/render/render-markdown.js";
import { renderText, summaryLine } from "../../src/render/render-text.js";
import { GOLDEN_PLANS } from "../golden/fixtures.js";

const reorganise = GOLDEN_PLANS["reorganise"]!;

/** The plural nouns in a summary sentence, in the order it names them. */
function kindsNamed(sentence: string): string[] {
  return sentence
    .split("; ")
    .map((part) =>
      CHANGE_KINDS.find((k) => part.replace(/^(\*\*)?Plan:(\*\*)? /, "").startsWith(`${KIND_NOUNS[k][1]} `)),
    )
    .filter((k) => k !== undefined);
}

describe("planView", () => {
  it("lists the summary's parts and the groups in plan order, moves before source items", () => {
    const view = planView(reorganise());
    const order = ["source", "stock", "link", "move", "source-item"];
    expect(view.summary.map((p) => p.kind)).toEqual(order);
    expect(view.groups.map((g) => g.kind)).toEqual(order);
    expect(view.groups.map((g) => g.title)).toEqual(order.map((k) => KIND_TITLES[k as keyof typeof KIND_TITLES]));
    expect(summaryPhrase(view)).toBe(
      "sources 2 to update; stocks 1 to update; links 1 to create, 2 to reprioritise, 1 to delete; moves 1 to run; source items 1 to assign, 3 to update, 1 to unassign",
    );
  });

  it("counts what the groups hold: a move's own source items are the move's, and destructive changes per group", () => {
    const planned = reorganise();
    // A source item a transfer writes is the move's change, not one of its own (via_move).
    const carried: Change = {
      kind: "source-item",
      action: "delete",
      sku: "24-UG06",
      source: "old_wh",
      before: { quantity: 8, status: "in_stock" },
      after: null,
      via_move: 0,
    };
    const plan = { ...planned, changes: [...planned.changes, carried] };
    const view = planView(plan);
    for (const group of view.groups) {
      expect(group.changes.every((c) => c.kind === group.kind)).toBe(true);
      const counted = { create: 0, update: 0, delete: 0 };
      for (const change of group.changes) counted[change.action]++;
      expect(group.counts).toEqual(counted);
      expect(group.destructive).toBe(group.changes.filter(isDestructive).length);
    }
    expect(view.groups.flatMap((g) => g.changes)).not.toContain(carried);
    expect(view.groups.flatMap((g) => g.changes)).toHaveLength(planned.changes.length);
    expect(view.destructive).toEqual(plan.changes.filter(isDestructive));
    expect(view.destructive.length).toBe(plan.summary.destructive);
    expect(view.total).toBe(view.groups.reduce((n, g) => n + g.changes.length, 0));
    expect(view.calls).toBe(plan.calls.length);
  });

  it("writes numbers as each rendering wants them", () => {
    const view = planView(reorganise());
    expect(summaryPhrase(view, (n) => `<${n}>`)).toMatch(/^sources <2> to update; stocks <1> to update; /);
  });

  it("has nothing to say for a plan without changes", () => {
    const view = planView(GOLDEN_PLANS["no-changes"]!());
    expect(view).toEqual({ summary: [], groups: [], destructive: [], total: 0, calls: 0 });
    expect(summaryPhrase(view)).toBe("");
  });
});

describe("the renderings say the same thing in the same order", () => {
  for (const [name, make] of Object.entries(GOLDEN_PLANS)) {
    it(`for ${name}: summary sentence, groups and JSON counts`, () => {
      const plan = make();
      const view = planView(plan);
      const kinds = view.groups.map((g) => g.kind);
      const text = renderText(plan, { color: false });
      const markdown = renderMarkdown(plan);
      const json = JSON.parse(renderJson(plan)) as { summary: { changes: Record<string, Record<string, number>> } };

      const textSentence = text.split("\n").find((l) => l.startsWith("Plan: ")) ?? "";
      const markdownSentence = markdown.split("\n").find((l) => l.startsWith("**Plan:** ")) ?? "";
      expect(kindsNamed(textSentence)).toEqual(kinds);
      expect(kindsNamed(markdownSentence)).toEqual(kinds);
      if (kinds.length > 0) {
        expect(markdownSentence).toContain(summaryPhrase(view));
        expect(summaryLine(plan)).toBe(textSentence);
      }

      const textTitles = text.split("\n").filter((l) => view.groups.some((g) => g.title === l));
      // Movement since a base is reported apart from the groups of changes.
      const markdownTitles = [...markdown.matchAll(/<summary>([^:<]+): /g)]
        .map((m) => m[1])
        .filter((title) => title !== "Movement since the base");
      expect(textTitles).toEqual(view.groups.map((g) => g.title));
      expect(markdownTitles).toEqual(view.groups.map((g) => g.title));

      const jsonKinds = Object.entries(json.summary.changes)
        .filter(([, counts]) => counts["create"]! + counts["update"]! + counts["delete"]! > 0)
        .map(([kind]) => kind);
      expect(jsonKinds).toEqual(kinds);
      expect(Object.keys(json.summary.changes)).toEqual([...CHANGE_KINDS]);
      const destructive = view.destructive.length;
      if (destructive > 0) {
        expect(textSentence).toContain(`${destructive} destructive`);
        expect(markdown).toContain(`#### ⚠️ Destructive changes (${destructive})`);
      }
    });
  }
});
