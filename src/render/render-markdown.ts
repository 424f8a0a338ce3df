// The plan as a pull-request comment: the summary first, destructive changes before any
// detail, each group of changes folded in <details>. A comment stays under 60,000
// characters (GitHub refuses 65,536) however large the plan: beyond that every list is
// cut to its largest entries, with counts of what is left out, and `--out-details`
// writes the whole list. Pure: the same plan renders the same Markdown (test/golden).
//
// The comment is a list of section renderers (MARKDOWN_SECTIONS); a new section is one
// more entry, and sees the same context, including the row limit when condensing.

import { unitsLostFromTransfer, unitsRunAgain, type Action, type Change, type ChangeKind } from "../diff/changes.js";
import { roundQuantity } from "../magento/equivalence.js";
import type { PlannedCall } from "../plan/calls/call.js";
import type { Plan } from "../plan/plan.js";
import type { UnitsRow } from "../plan/summary.js";
import { actionWord, bodyText, KIND_TITLES, plural } from "./format.js";
import { detailsOf, verb } from "./markdown-details.js";
import { code, fencedBlock, folded, grouped, table, text } from "./markdown-escape.js";
import { topologyGraphs } from "./markdown-topology.js";
import { scopeSentence } from "./scope-sentence.js";
import {
  ACTIONS,
  baseView,
  planView,
  signedUnits,
  summaryPhrase,
  type BaseView,
  type PlanView,
} from "./plan-view-model.js";

/** GitHub refuses comments over 65,536 characters; this leaves room for a workflow's own lines. */
export const MARKDOWN_MAX_CHARS = 60_000;

/** Destructive changes listed open; more are folded below them, so a long list does not bury the rest. */
const OPEN_DESTRUCTIVE = 25;

/** SKUs named inline in the summary; the rest are counted (and listed in the details). */
const SUMMARY_SKUS = 20;

export interface MarkdownOptions {
  /** The file `--out-details` writes, named when the comment has to condense. */
  readonly detailsFile?: string;
  /** The bound on the comment's length, in UTF-16 code units (JavaScript string length). */
  readonly maxChars?: number;
  /** Each call's JSON body under it, folded (`--show-payloads`). */
  readonly showPayloads?: boolean;
}

/** Changes counted per action, with their total size (units, for source items). */
export interface Tally {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly size: number;
}

/** The view's lists with their sizes, and largest first, worked out once per rendering. */
export interface PlanLists {
  readonly tallyByKind: ReadonlyMap<ChangeKind, Tally>;
  readonly destructiveTally: Tally;
  /** One of these lists, largest first; sorted on first use, as only a condensed comment needs it. */
  largest(list: readonly Change[]): readonly Change[];
}

/** What every section renderer sees. */
export interface MarkdownContext {
  readonly plan: Plan;
  /** What the plan says, in which order: shared with the text rendering. */
  readonly view: PlanView;
  readonly lists: PlanLists;
  /** Entries per list: unlimited, unless the comment had to condense. */
  readonly limit: number;
  readonly condensed: boolean;
  /** Fold groups in <details> (the comment); the details file shows everything open. */
  readonly fold: boolean;
  readonly detailsFile: string | undefined;
  /** Each call's JSON body, folded under it. */
  readonly showPayloads: boolean;
}

export interface MarkdownSection {
  readonly name: string;
  /** One Markdown chunk (blocks separated by blank lines), or null when there is nothing to say. */
  render(context: MarkdownContext): string | null;
}

export const MARKDOWN_SECTIONS: readonly MarkdownSection[] = [
  { name: "heading", render: heading },
  { name: "counts", render: countsTable },
  { name: "units", render: unitsTables },
  { name: "skus-at-risk", render: skusAtRisk },
  { name: "destructive", render: destructiveList },
  { name: "warnings", render: warnings },
  { name: "skipped", render: skippedTable },
  { name: "details", render: detailGroups },
  { name: "movement", render: movementSection },
  { name: "topology", render: topologyGraphs },
  { name: "calls", render: callList },
  { name: "reindex", render: reindex },
  { name: "basis", render: basis },
];

/** The pull-request comment: whole when it fits, otherwise condensed to fit. */
export function renderMarkdown(
  plan: Plan,
  options: MarkdownOptions = {},
  sections: readonly MarkdownSection[] = MARKDOWN_SECTIONS,
): string {
  const max = options.maxChars ?? MARKDOWN_MAX_CHARS;
  const view = planView(plan);
  const lists = planLists(view);
  const render = (limit: number) =>
    compose(sections, {
      plan,
      view,
      lists,
      limit,
      condensed: limit !== Infinity,
      fold: true,
      detailsFile: options.detailsFile,
      showPayloads: options.showPayloads ?? false,
    });
  // Every listed row costs at least ~20 characters: no list can show more rows than that allows.
  const rowsThatFit = Math.ceil(max / 20);
  if (rowCount(plan, view) <= rowsThatFit) {
    const whole = render(Infinity);
    if (whole.length <= max) return whole;
  }
  // The largest limit whose rendering fits; each candidate is checked, so the result always fits when any does.
  let low = 0;
  let high = Math.min(rowsThatFit, Math.max(1, rowCount(plan, view)));
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (render(mid).length <= max) low = mid;
    else high = mid - 1;
  }
  const condensed = render(low);
  return condensed.length <= max ? condensed : cut(condensed, max);
}

/** The whole plan in Markdown, nothing folded or left out: what `--out-details FILE` writes. */
export function renderMarkdownDetails(
  plan: Plan,
  options: Pick<MarkdownOptions, "showPayloads"> = {},
  sections: readonly MarkdownSection[] = MARKDOWN_SECTIONS,
): string {
  const view = planView(plan);
  return compose(sections, {
    plan,
    view,
    lists: planLists(view),
    limit: Infinity,
    condensed: false,
    fold: false,
    detailsFile: undefined,
    showPayloads: options.showPayloads ?? false,
  });
}

function compose(sections: readonly MarkdownSection[], context: MarkdownContext): string {
  const chunks: string[] = [];
  for (const section of sections) {
    const chunk = section.render(context);
    if (chunk !== null && chunk !== "") chunks.push(chunk);
  }
  return `${chunks.join("\n\n")}\n`;
}

/** A last resort that no real plan reaches (every list is already cut to nothing): cut at a block boundary. */
function cut(markdown: string, max: number): string {
  const note = "\n\n*The rest of this plan does not fit in a comment; see the details file.*\n";
  const end = markdown.lastIndexOf("\n\n", max - note.length);
  return `${markdown.slice(0, Math.max(0, end))}${note}`;
}

function planLists(view: PlanView): PlanLists {
  const tallyByKind = new Map(view.groups.map((group) => [group.kind, tally(group.changes)] as const));
  const sorted = new Map<readonly Change[], readonly Change[]>();
  const largest = (list: readonly Change[]) => {
    let result = sorted.get(list);
    if (!result) sorted.set(list, (result = largestFirst(list)));
    return result;
  };
  return { tallyByKind, destructiveTally: tally(view.destructive), largest };
}

/** Largest first; equal sizes keep their order, so condensing is deterministic. */
function largestFirst(list: readonly Change[]): Change[] {
  const sizes = Float64Array.from(list, changeSize);
  const positions = Array.from(list.keys()).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  return positions.map((i) => list[i]!);
}

function tally(changes: readonly Change[]): Tally {
  const counts = { create: 0, update: 0, delete: 0, size: 0 };
  for (const change of changes) {
    counts[change.action]++;
    counts.size += changeSize(change);
  }
  return { ...counts, size: roundQuantity(counts.size) };
}

function minus(a: Tally, b: Tally): Tally {
  return {
    create: a.create - b.create,
    update: a.update - b.update,
    delete: a.delete - b.delete,
    size: roundQuantity(a.size - b.size),
  };
}

/** How much a change moves: units for source items and moves, fields for sources. */
function changeSize(change: Change): number {
  switch (change.kind) {
    case "source-item":
      return Math.abs((change.after?.quantity ?? 0) - (change.before?.quantity ?? 0));
    case "move":
      return change.units;
    case "source":
      return change.changed.length;
    case "stock":
    case "link":
      return change.action === "delete" ? 1 : 0;
  }
}

function rowCount(plan: Plan, view: PlanView): number {
  const s = plan.summary;
  return (
    plan.changes.length +
    view.destructive.length +
    plan.calls.length +
    s.units_by_source.length +
    s.units_by_stock.length +
    plan.warnings.length +
    plan.basis.files.length
  );
}

/** The first `limit` entries: in their own order when all fit, else the largest first. */
export function take<T>(inOrder: readonly T[], largestFirst: () => readonly T[], limit: number): readonly T[] {
  return inOrder.length <= limit ? inOrder : largestFirst().slice(0, limit);
}

// --- sections ----------------------------------------------------------------------------

/** SKUs --skip-unknown-skus left out, with where the file declares them. */
function skippedTable(context: MarkdownContext): string | null {
  const skipped = context.plan.skipped ?? [];
  if (skipped.length === 0) return null;
  const shown = skipped.slice(0, context.limit);
  const rest = skipped.length - shown.length;
  const n = skipped.length;
  return [
    `**Skipped:** ${grouped(n)} SKU${n === 1 ? "" : "s"} the store's catalog does not have (\`--skip-unknown-skus\`), left as ${n === 1 ? "it is" : "they are"}.`,
    table(
      ["SKU", "declared at"],
      ["left", "left"],
      shown.map((s) => [code(s.sku), code(s.origin)]),
    ),
    ...(rest > 0 ? [`and ${grouped(rest)} more.`] : []),
  ].join("\n\n");
}

function target(plan: Plan): string {
  return `${code(plan.store.url)} (store ${code(plan.store.store_code)})`;
}

function heading(context: MarkdownContext): string {
  const { plan, view } = context;
  const file = plan.basis.files[0]?.path;
  if (plan.changes.length === 0) {
    const { sources, stocks, products } = plan.summary.checked;
    const base = baseView(plan);
    return [
      "### inv plan: no changes",
      `The store at ${target(plan)} matches ${file ? code(file) : "the file"}. Checked ${plural(sources, "source")}, ${plural(stocks, "stock")} and ${plural(products, "product")}.`,
      ...(plan.scope ? [scopeSentence(plan.scope.sources, code)] : []),
      ...(base ? baseBlocks(base) : []),
    ].join("\n\n");
  }
  const calls = view.calls;
  const base = baseView(plan);
  const blocks = [
    `### inv plan: ${grouped(view.total)} change${view.total === 1 ? "" : "s"} to ${target(plan)}`,
    `**Plan:** ${summaryPhrase(view, grouped)}. \`inv apply\` sends ${grouped(calls)} REST call${calls === 1 ? "" : "s"}.`,
  ];
  if (plan.scope) blocks.push(scopeSentence(plan.scope.sources, code));
  if (base) blocks.push(...baseBlocks(base));
  const destructive = view.destructive.length;
  if (destructive > 0) {
    blocks.push(
      `> [!WARNING]\n> **${grouped(destructive)} destructive change${destructive === 1 ? "" : "s"}** (listed below) ${destructive === 1 ? "needs" : "need"} consent of ${destructive === 1 ? "its" : "their"} own: \`inv apply --allow-destroy\`, or \`policy: { allow_destroy: true }\` in the file.`,
    );
  }
  if (context.condensed) {
    const where = context.detailsFile
      ? `The whole plan is in ${code(context.detailsFile)}.`
      : "Run `inv plan --out-details FILE` for the whole plan.";
    blocks.push(
      `> [!NOTE]\n> This plan is too large for one comment: each list shows its largest entries first (at most ${grouped(context.limit)}) and counts the rest. ${where}`,
    );
  }
  return blocks.join("\n\n");
}

/** The base the quantities are measured from, drift, and changes that would go below 0. */
function baseBlocks(base: BaseView): string[] {
  const scope = base.changedOnly ? ", for the SKUs whose entries changed since" : "";
  const blocks = [`Quantities are the file's changes since the base ${code(base.ref)} (${code(base.commit)})${scope}.`];
  if (base.drift > 0) {
    blocks.push(
      `${grouped(base.drift)} change${base.drift === 1 ? "" : "s"} correct${base.drift === 1 ? "s" : ""} what was changed outside inv since the base (marked *changed outside inv*).`,
    );
  }
  if (base.belowZero.length > 0) {
    const n = base.belowZero.length;
    blocks.push(
      `> [!WARNING]\n> **${grouped(n)} quantity change${n === 1 ? "" : "s"} would go below 0**: orders since the base sold more than the file takes away. \`inv apply\` refuses ${n === 1 ? "it" : "them"} without \`--allow-negative\`.`,
    );
  }
  return blocks;
}

/** Movement is reported apart from the changes, folded: the store's orders, never planned. */
function movementSection(context: MarkdownContext): string | null {
  const base = baseView(context.plan, Math.min(context.limit, 20));
  if (!base) return null;
  const blocks: string[] = [];
  const { movement } = base;
  if (movement.count > 0) {
    const bySource = table(
      ["source", "units since the base"],
      ["left", "right"],
      movement.bySource.map((row) => [code(row.source), signedUnits(row.units, grouped)]),
    );
    const largest = table(
      ["SKU", "source", "base", "live", "units"],
      ["left", "left", "right", "right", "right"],
      movement.largest.map((m) => [
        code(m.sku),
        code(m.source),
        grouped(m.base),
        grouped(m.live),
        signedUnits(roundQuantity(m.live - m.base), grouped),
      ]),
    );
    const more =
      movement.count > movement.largest.length
        ? [`*… and ${grouped(movement.count - movement.largest.length)} more.*`]
        : [];
    const title = `Movement since the base: ${grouped(movement.count)} quantit${movement.count === 1 ? "y" : "ies"} the store moved (not planned)`;
    const body = [bySource, "Largest first:", largest, ...more].join("\n\n");
    blocks.push(context.fold ? folded(title, body) : [`#### ${title}`, body].join("\n\n"));
  }
  const { stocks, skus } = base.noLongerDeclared;
  if (stocks.length + skus.length > 0) {
    const names = [...stocks.map((s) => `stock ${code(s)}`), ...skus.slice(0, context.limit).map((s) => code(s))];
    const more = skus.length > context.limit ? `, … (${grouped(skus.length)} SKUs)` : "";
    blocks.push(
      `No longer declared since the base, left as they are (\`--prune\` deletes them): ${names.join(", ")}${more}.`,
    );
  }
  return blocks.length > 0 ? blocks.join("\n\n") : null;
}

function countsTable(context: MarkdownContext): string | null {
  const { view } = context;
  if (view.total === 0) return null;
  const rows: string[][] = [];
  const totals = { create: 0, update: 0, delete: 0, destructive: 0 };
  for (const { kind, title, counts, destructive } of view.groups) {
    rows.push([
      title,
      ...ACTIONS.map((a) => cell(counts[a], kind, a)),
      destructive > 0 ? `**${grouped(destructive)}**` : "0",
    ]);
    for (const a of ACTIONS) totals[a] += counts[a];
    totals.destructive += destructive;
  }
  rows.push(["**Total**", ...ACTIONS.map((a) => `**${grouped(totals[a])}**`), `**${grouped(totals.destructive)}**`]);
  return table(
    ["changes", "create", "update", "delete", "destructive"],
    ["left", "right", "right", "right", "right"],
    rows,
  );
}

/** `15 assign` where the kind has its own word for the action (source items are assigned, not created). */
function cell(n: number, kind: ChangeKind, action: Action): string {
  if (n === 0) return "0";
  const word = verb(kind, action);
  return word === action ? grouped(n) : `${grouped(n)} ${word}`;
}

function unitsTables(context: MarkdownContext): string | null {
  const { units_by_source: bySource, units_by_stock: byStock, units_removed: removed } = context.plan.summary;
  const blocks: string[] = [];
  if ((removed ?? 0) > 0)
    blocks.push(
      `**${grouped(removed)} unit${removed === 1 ? " leaves" : "s leave"} the store** (unassigned or lowered; a transfer moves units and removes none).`,
    );
  if (bySource.length > 0) blocks.push("**Units by source**", unitsTable("source", "sources", bySource, context.limit));
  if (byStock.length > 0)
    blocks.push(
      "**Units by stock** (the quantities of the planned SKUs at the stock's linked sources)",
      unitsTable("stock", "stocks", byStock, context.limit),
    );
  return blocks.length > 0 ? blocks.join("\n\n") : null;
}

function unitsTable(what: string, many: string, rows: readonly UnitsRow[], limit: number): string {
  const largest = [...rows].sort((a, b) => b.added + b.removed - (a.added + a.removed));
  const shown = take(rows, () => largest, limit);
  const left = shown.length < rows.length ? largest.slice(shown.length) : [];
  const line = (name: string, added: number, removed: number) => [
    name,
    added > 0 ? `+${grouped(added)}` : "0",
    removed > 0 ? `-${grouped(removed)}` : "0",
    signed(added - removed),
  ];
  const body = shown.map((r) => line(code(r.name), r.added, r.removed));
  if (left.length > 0)
    body.push(
      line(
        `*${grouped(left.length)} more ${many}*`,
        sum(left, (r) => r.added),
        sum(left, (r) => r.removed),
      ),
    );
  if (rows.length > 1)
    body.push(
      line(
        `all ${many}`,
        sum(rows, (r) => r.added),
        sum(rows, (r) => r.removed),
      ).map((c) => `**${c}**`),
    );
  return table([what, "added", "removed", "net"], ["left", "right", "right", "right"], body);
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return roundQuantity(items.reduce((total, item) => total + value(item), 0));
}

function signed(n: number): string {
  const rounded = roundQuantity(n);
  return rounded > 0 ? `+${grouped(rounded)}` : grouped(rounded);
}

function skusAtRisk(context: MarkdownContext): string | null {
  const { summary } = context.plan;
  if (context.view.total === 0) return null;
  const outOfStock = summary.skus_out_of_stock;
  const withoutSource = summary.skus_without_source;
  if (outOfStock.length === 0 && withoutSource.length === 0)
    return "No SKU goes out of stock or loses its last source.";
  const limit = context.fold ? Math.min(SUMMARY_SKUS, context.limit) : Infinity;
  const line = (title: string, skus: readonly string[]) => {
    const shown = skus.slice(0, limit).map(code).join(", ");
    const more = skus.length > limit ? `${shown ? ", " : ""}and ${grouped(skus.length - limit)} more` : "";
    return `- **${title}** (${grouped(skus.length)}): ${shown}${more}`;
  };
  const lines: string[] = [];
  if (outOfStock.length > 0)
    lines.push(line(outOfStock.length === 1 ? "Goes out of stock" : "Go out of stock", outOfStock));
  if (withoutSource.length > 0)
    lines.push(line(withoutSource.length === 1 ? "Loses its last source" : "Lose their last source", withoutSource));
  return lines.join("\n");
}

function destructiveList(context: MarkdownContext): string | null {
  const { destructive } = context.view;
  const { destructiveTally } = context.lists;
  if (destructive.length === 0) return null;
  const shown = take(destructive, () => context.lists.largest(destructive), context.limit);
  const left = minus(destructiveTally, tally(shown));
  const leftCount = destructive.length - shown.length;
  const blocks = [`#### ⚠️ Destructive changes (${grouped(destructive.length)})`];
  const open = context.fold ? shown.slice(0, OPEN_DESTRUCTIVE) : shown;
  const rest = shown.slice(open.length);
  if (open.length > 0) blocks.push(open.map((c) => `- ${destroyLine(c)}`).join("\n"));
  if (rest.length > 0)
    blocks.push(
      folded(
        `${grouped(rest.length)} more destructive change${rest.length === 1 ? "" : "s"}`,
        rest.map((c) => `- ${destroyLine(c)}`).join("\n"),
      ),
    );
  if (leftCount > 0) {
    const units = left.size > 0 ? `, deleting ${grouped(left.size)} ${left.size === 1 ? "unit" : "units"}` : "";
    blocks.push(
      `*… and ${grouped(leftCount)} more destructive change${leftCount === 1 ? "" : "s"} not shown${units}.*`,
    );
  }
  return blocks.join("\n\n");
}

function destroyLine(change: Change): string {
  switch (change.kind) {
    case "source-item": {
      if (change.action === "update") {
        const lost = unitsLostFromTransfer(change);
        return `lower ${code(change.sku)} at ${code(change.source)} after the transfer: **${grouped(lost)}** unit${lost === 1 ? "" : "s"} the transfer brought ${lost === 1 ? "leaves" : "leave"} the store`;
      }
      const before = change.before!;
      return `unassign ${code(change.sku)} from ${code(change.source)}: deletes **${grouped(before.quantity)}** unit${before.quantity === 1 ? "" : "s"} with the assignment`;
    }
    case "move": {
      const units = unitsRunAgain(change);
      return `move ${code(change.from)} → ${code(change.to)} runs again: **${grouped(units)}** unit${units === 1 ? "" : "s"} at ${code(change.from)} since (${(change.runs_again ?? []).map(code).join(", ")}: ${code(change.to)} already holds what the file declares)`;
    }
    case "link":
      return `unlink ${code(change.source)} from stock ${code(change.stock)} (priority ${change.before?.priority ?? "?"})`;
    case "stock":
      return `delete stock ${code(change.stock)}${change.stock_id !== null ? ` (id ${change.stock_id})` : ""}`;
    default:
      return `${verb(change.kind, change.action)} ${KIND_TITLES[change.kind].toLowerCase()}`;
  }
}

function detailGroups(context: MarkdownContext): string | null {
  const blocks: string[] = [];
  for (const { kind, title: groupTitle, changes: inOrder } of context.view.groups) {
    const all = context.lists.tallyByKind.get(kind) ?? tally(inOrder);
    const shown = take(inOrder, () => context.lists.largest(inOrder), context.limit);
    const parts =
      shown.length > 0 ? [detailsOf(kind, shown, context.fold ? Math.min(SUMMARY_SKUS, context.limit) : Infinity)] : [];
    if (shown.length < inOrder.length) {
      const left = minus(all, tally(shown));
      const units =
        kind === "source-item" && left.size > 0
          ? `, moving ${grouped(left.size)} ${left.size === 1 ? "unit" : "units"}`
          : "";
      parts.push(
        `*… and ${grouped(inOrder.length - shown.length)} more not shown: ${actionCounts(kind, left)}${units}.*`,
      );
    }
    const title = `${groupTitle}: ${actionCounts(kind, all)}`;
    blocks.push(context.fold ? folded(title, parts.join("\n\n")) : [`#### ${title}`, ...parts].join("\n\n"));
  }
  return blocks.length > 0 ? blocks.join("\n\n") : null;
}

function actionCounts(kind: ChangeKind, counts: Tally): string {
  if (kind === "move") return `${grouped(counts.update)} transfer${counts.update === 1 ? "" : "s"}`;
  return ACTIONS.filter((a) => counts[a] > 0)
    .map((a) => `${grouped(counts[a])} ${actionWord(kind, a)}`)
    .join(", ");
}

function callList(context: MarkdownContext): string | null {
  const calls = context.plan.calls;
  if (calls.length === 0) return null;
  const shown = calls.slice(0, context.limit);
  const item = (call: PlannedCall) => callItem(call, context.showPayloads);
  const parts = shown.length > 0 ? [shown.map(item).join(context.showPayloads ? "\n\n" : "\n")] : [];
  if (calls.length > shown.length) parts.push(`*… and ${grouped(calls.length - shown.length)} more calls not shown.*`);
  const title = `REST calls (${grouped(calls.length)}, in the order inv apply sends them)`;
  return context.fold ? folded(title, parts.join("\n\n")) : [`#### ${title}`, ...parts].join("\n\n");
}

function callItem(call: PlannedCall, showPayloads: boolean): string {
  const path =
    call.kind === "stock-update" && call.path_stock
      ? call.path.replace(":stockId", `(id of "${call.path_stock}", known after apply)`)
      : call.path;
  const line = `${call.id}. ${code(`${call.method} ${path}`)} ${text(call.description)}`;
  if (!showPayloads || call.body === undefined) return line;
  // Indented under the list item, so the fold belongs to its call.
  const payload = folded("payload", fencedBlock(bodyText(call.body), "json"));
  return `${line}\n\n${payload.replace(/^(?=.)/gm, "   ")}`;
}

function warnings(context: MarkdownContext): string | null {
  const list = context.plan.warnings;
  if (list.length === 0) return null;
  const shown = list.slice(0, context.limit);
  const more = list.length > shown.length ? [`- *… and ${grouped(list.length - shown.length)} more warnings*`] : [];
  return [`#### Warnings`, [...shown.map((w) => `- ${text(w)}`), ...more].join("\n")].join("\n\n");
}

function reindex(context: MarkdownContext): string | null {
  const advice = context.plan.reindex;
  if (!advice) return null;
  return `After apply, Magento needs ${advice.commands.map(code).join(" and ")} (${text(advice.reasons.join(", "))}).`;
}

function basis(context: MarkdownContext): string {
  const { plan } = context;
  const files = plan.basis.files;
  const shown = files.slice(0, context.limit).map((f) => `${code(f.path)} (sha256 ${code(f.sha256.slice(0, 12))})`);
  if (files.length > shown.length) shown.push(`${grouped(files.length - shown.length)} more files`);
  const git = plan.basis.git
    ? ` at commit ${code(plan.basis.git.commit.slice(0, 12))}${plan.basis.git.dirty ? " (with uncommitted changes)" : ""}`
    : "";
  const from = shown.length > 0 ? ` from ${shown.join(", ")}${git}` : git;
  return `<sub>Planned by inv ${text(plan.inv_version)} at ${text(plan.created_at)}${from}, plan format ${plan.format_version}.</sub>`;
}
