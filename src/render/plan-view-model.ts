// One model of what a plan says, read by the text and the Markdown renderings: the parts of
// the summary sentence, the groups of changes, and the destructive changes, with their
// counts, all in CHANGE_KINDS order (plan order). The JSON rendering is the plan document
// itself, whose summary counts and changes follow the same order. A renderer decides how
// the plan looks; this decides what it says and in which order, once.

import { CHANGE_KINDS, isDestructive, type Action, type Change, type ChangeKind } from "../diff/changes.js";
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
