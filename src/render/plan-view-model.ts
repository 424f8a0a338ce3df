// One model of what a plan says, read by the text and the Markdown renderings: the parts of
// the summary sentence, the groups of changes, and the destructive changes, with their
// counts, all in CHANGE_KINDS order (plan order). The JSON rendering is the plan document
// itself, whose summary counts and changes follow the same order. A renderer decides how
// the plan looks; this decides what it says and in which order, once.

import {
  belowZero,
  CHANGE_KINDS,
  isDestructive,
  type Action,
  type Change,
  type ChangeKind,
  type SourceItemChange,
} from "../diff/changes.js";
import type { Movement } from "../diff/three-way.js";
import { roundQuantity } from "../magento/equivalence.js";
import { compareCodePoints } from "../sort.js";
import type { Plan } from "../plan/plan.js";
import { actionWord, KIND_NOUNS, KIND_TITLES } from "./format.js";

/** Actions in the order every rendering lists them. */
export const ACTIONS: readonly Action[] = ["create", "update", "delete"];

export interface ActionCount {
  readonly action: Action;
  readonly count: number;
  /** The action in the kind's own words: "to assign", "to reprioritise". */
  readonly words: string;
}

/** One part of the summary sentence: `source items 4 to assign, 3 to unassign`. */
export interface SummaryPart {
  readonly kind: ChangeKind;
  /** The kind's plural noun: "source items". */
  readonly noun: string;
  /** The actions that have changes, in ACTIONS order. */
  readonly actions: readonly ActionCount[];
}

export interface ChangeGroup {
  readonly kind: ChangeKind;
  /** "Stock-source links" */
  readonly title: string;
  /** In plan order; source items a move carries out belong to the move and are not listed on their own. */
  readonly changes: readonly Change[];
  readonly counts: Readonly<Record<Action, number>>;
  /** How many of the group's changes destroy data. */
  readonly destructive: number;
}

export interface PlanView {
  /** The summary sentence's parts: the kinds that have changes. */
  readonly summary: readonly SummaryPart[];
  /** The groups of changes, one per kind that has changes, in the summary's order. */
  readonly groups: readonly ChangeGroup[];
  /** Every destructive change, in plan order. */
  readonly destructive: readonly Change[];
  /** Changes counted in the summary (a move's own source items are the move's). */
  readonly total: number;
  readonly calls: number;
}

export function planView(plan: Plan): PlanView {
  const byKind = new Map<ChangeKind, Change[]>();
  for (const change of plan.changes) {
    if (change.kind === "source-item" && change.via_move !== undefined) continue;
    const list = byKind.get(change.kind);
    if (list) list.push(change);
    else byKind.set(change.kind, [change]);
  }
  const destructive = plan.changes.filter(isDestructive);
  const summary: SummaryPart[] = [];
  const groups: ChangeGroup[] = [];
  for (const kind of CHANGE_KINDS) {
    const counts = plan.summary.changes[kind];
    const actions = ACTIONS.filter((a) => counts[a] > 0).map((action) => ({
      action,
      count: counts[action],
      words: actionWord(kind, action),
    }));
    if (actions.length > 0) summary.push({ kind, noun: KIND_NOUNS[kind][1], actions });
    const changes = byKind.get(kind);
    if (changes) {
      groups.push({
        kind,
        title: KIND_TITLES[kind],
        changes,
        counts,
        destructive: changes.reduce((n, c) => n + (isDestructive(c) ? 1 : 0), 0),
      });
    }
  }
  return { summary, groups, destructive, total: plan.summary.total, calls: plan.calls.length };
}

/** `sources 3 to create; source items 4 to assign, 3 to unassign`, each number written by `number`. */
export function summaryPhrase(view: PlanView, number: (n: number) => string = String): string {
  return view.summary
    .map((part) => `${part.noun} ${part.actions.map((a) => `${number(a.count)} ${a.words}`).join(", ")}`)
    .join("; ");
}

// --- the base ------------------------------------------------------------------------------

/** What a plan made with `--base` says about the base, read by both renderings. */
export interface BaseView {
  readonly ref: string;
  /** The commit, shortened for people. */
  readonly commit: string;
  readonly changedOnly: boolean;
  /** Changes the file did not cause: corrected, and shown as changed outside inv. */
  readonly drift: number;
  /** Quantity changes since the base that would leave a quantity below 0. */
  readonly belowZero: readonly SourceItemChange[];
  readonly movement: MovementView;
  readonly noLongerDeclared: { readonly stocks: readonly string[]; readonly skus: readonly string[] };
  readonly pruned: boolean;
}

export interface MovementView {
  /** Quantities the store moved since the base that the file did not change. */
  readonly count: number;
  /** Net units per source (negative: sold), the largest first. */
  readonly bySource: readonly { readonly source: string; readonly units: number }[];
  /** The largest moves first, at most `largest` of them. */
  readonly largest: readonly Movement[];
}

export function baseView(plan: Plan, largest = 10): BaseView | null {
  if (!plan.base) return null;
  const movement = plan.movement ?? [];
  const bySource = new Map<string, number>();
  for (const m of movement) bySource.set(m.source, roundQuantity((bySource.get(m.source) ?? 0) + m.live - m.base));
  return {
    ref: plan.base.ref,
    commit: plan.base.commit.slice(0, 12),
    changedOnly: plan.base.changed_only,
    drift: plan.changes.filter((c) => c.kind !== "move" && c.drift === true).length,
    belowZero: belowZero(plan.changes),
    movement: {
      count: movement.length,
      bySource: [...bySource]
        .map(([source, units]) => ({ source, units }))
        .sort((a, b) => Math.abs(b.units) - Math.abs(a.units) || compareCodePoints(a.source, b.source)),
      largest: movement.slice(0, largest),
    },
    noLongerDeclared: plan.base.no_longer_declared,
    pruned: plan.base.pruned,
  };
}

/** `+50: 30 -> 80 (file 35 -> 85)`: a quantity change since the base, as it is applied. */
export function deltaText(change: SourceItemChange, number: (n: number) => string = String): string | null {
  if (change.delta === undefined || !change.file || !change.before || !change.after) return null;
  const sign = change.delta > 0 ? "+" : "-";
  return `${sign}${number(Math.abs(change.delta))}: ${number(change.before.quantity)} -> ${number(change.after.quantity)} (file ${number(change.file.base)} -> ${number(change.file.head)})`;
}

/** `-2` or `+3`. */
export function signedUnits(n: number, number: (n: number) => string = String): string {
  return n > 0 ? `+${number(n)}` : n < 0 ? `-${number(-n)}` : "0";
}
