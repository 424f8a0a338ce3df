// The plan for a person at a terminal: changes grouped by kind with before -> after,
// destructive changes marked, the REST calls in order, and one summary line. Pure: the
// same plan renders the same text every time (test/golden pins it).

import { diffWords } from "diff";
import { createColors } from "picocolors";
import {
  isDestructive,
  isRename,
  unitsLostFromTransfer,
  unitsRunAgain,
  type Change,
  type LinkChange,
  type SourceChange,
  type SourceItemChange,
  type StockChange,
  type StockState,
} from "../diff/changes.js";
import { SKIPPED_SHOWN } from "../inventory/skip-unknown.js";
import { scopeSentence } from "./scope-sentence.js";
import type { Plan } from "../plan/plan.js";
import { bodyText, callLine, fieldsInOrder, formatItem, formatValue, moveDestinations, plural } from "./format.js";
import { roundQuantity } from "../magento/equivalence.js";
import {
  baseView,
  deltaText,
  planView,
  signedUnits,
  summaryPhrase,
  type BaseView,
  type PlanView,
} from "./plan-view-model.js";

export interface TextOptions {
  readonly color: boolean;
  /** Print each call's JSON body. */
  readonly showPayloads?: boolean;
}

type Colors = ReturnType<typeof createColors>;

const SYMBOL = { create: "+", update: "~", delete: "-" } as const;

/** A rollback plan names the apply it undoes: its saved plan, or its inventory file, and when it started. */
function rollbackOf(plan: Plan): string | undefined {
  const of = plan.basis.rollback_of;
  if (!of) return undefined;
  const what = of.plan_sha256 ? `the saved plan ${of.plan_sha256.slice(0, 12)}` : (of.files[0]?.path ?? "a file");
  return `${what} (started ${of.started_at})`;
}

export function renderText(plan: Plan, options: TextOptions): string {
  const c = createColors(options.color);
  const lines: string[] = [];
  const files = plan.basis.files.map((f) => f.path);
  const target = `${plan.store.url} (store ${plan.store.store_code})`;

  const base = baseView(plan);
  if (plan.changes.length === 0) {
    const { sources, stocks, products } = plan.summary.checked;
    const undone = rollbackOf(plan);
    lines.push(
      undone
        ? `${c.green(c.bold("Nothing to undo."))} The apply of ${undone} had changed nothing in the store at ` +
            `${target} when this rollback was written.`
        : `${c.green(c.bold("No changes."))} The store at ${target} matches ${files[0] ?? "the file"}.`,
    );
    lines.push(
      c.dim(`Checked ${plural(sources, "source")}, ${plural(stocks, "stock")} and ${plural(products, "product")}.`),
    );
    appendScope(lines, plan, c);
    if (base) appendBase(lines, base, c);
    appendSkipped(lines, plan, c);
    appendWarnings(lines, plan, c);
    return `${lines.join("\n")}\n`;
  }

  const undone = rollbackOf(plan);
  lines.push(
    undone
      ? `inv will change the store at ${target} back to how it was before the apply of ${undone}.`
      : `inv will change the store at ${target} to match ${files[0] ?? "the file"}.`,
  );
  lines.push(
    c.dim(
      `Symbols: ${c.green("+")} create  ${c.yellow("~")} update  ${c.red("-")} delete  ${c.red("!")} destroys data and needs --allow-destroy`,
    ),
  );

  appendScope(lines, plan, c);
  if (base) appendBaseLine(lines, base, c);
  const view = planView(plan);
  for (const group of view.groups) {
    lines.push("", c.bold(group.title));
    if (group.kind === "source-item") renderItems(group.changes as SourceItemChange[], lines, c, movedPairs(plan));
    else for (const change of group.changes) renderChange(change, lines, c);
  }

  if (base) appendMovement(lines, base, c);

  lines.push("", c.bold(`REST calls (${plan.calls.length}, in this order)`));
  const width = String(plan.calls.length).length;
  for (const call of plan.calls) {
    lines.push(`  ${String(call.id).padStart(width)}. ${callLine(call)}  ${c.dim(call.description)}`);
    if (options.showPayloads && call.body !== undefined) {
      for (const line of bodyText(call.body).split("\n")) lines.push(`  ${" ".repeat(width + 2)}${c.dim(line)}`);
    }
  }

  appendSkipped(lines, plan, c);
  appendWarnings(lines, plan, c);
  if (plan.reindex) {
    lines.push(
      "",
      c.dim(`After apply, Magento needs: ${plan.reindex.commands.join(" && ")} (${plan.reindex.reasons.join(", ")}).`),
    );
  }
  lines.push("", sentence(view, c, plan.summary.units_removed ?? 0));
  return `${lines.join("\n")}\n`;
}

/** `Plan: sources 3 to create; ... 2 destructive (needs --allow-destroy).` */
export function summaryLine(plan: Plan, c: Colors = createColors(false)): string {
  return sentence(planView(plan), c, plan.summary.units_removed ?? 0);
}

/** `removed`: units the plan takes out of the store (older saved plans have no units_removed). */
function sentence(view: PlanView, c: Colors, removed = 0): string {
  const destructive = view.destructive.length;
  const tail = destructive > 0 ? ` ${c.red(c.bold(`${destructive} destructive`))} (needs --allow-destroy).` : "";
  const units = removed > 0 ? ` ${plural(removed, "unit")} ${removed === 1 ? "leaves" : "leave"} the store.` : "";
  return `${c.bold("Plan:")} ${summaryPhrase(view)}.${tail}${units}`;
}

/** A scoped file manages source items at its scope's sources only. */
function appendScope(lines: string[], plan: Plan, c: Colors): void {
  if (!plan.scope) return;
  lines.push(c.dim(scopeSentence(plan.scope.sources, (s) => s)));
}

/** SKUs --skip-unknown-skus left out: the count, and the first with where the file declares them. */
function appendSkipped(lines: string[], plan: Plan, c: Colors): void {
  const skipped = plan.skipped ?? [];
  if (skipped.length === 0) return;
  lines.push(
    "",
    c.bold(`Skipped: ${plural(skipped.length, "SKU")} the store's catalog does not have (left as they are)`),
  );
  for (const s of skipped.slice(0, SKIPPED_SHOWN)) lines.push(`  ${c.yellow("?")} ${s.sku}  ${c.dim(s.origin)}`);
  if (skipped.length > SKIPPED_SHOWN)
    lines.push(c.dim(`  ... and ${skipped.length - SKIPPED_SHOWN} more (all under "skipped" in --format json)`));
}

/** The base the quantities are measured from, and drift, said before the changes. */
function appendBaseLine(lines: string[], base: BaseView, c: Colors): void {
  const scope = base.changedOnly ? ", for the SKUs whose entries changed since" : "";
  lines.push(c.dim(`Quantities are the file's changes since the base ${base.ref} (${base.commit})${scope}.`));
  if (base.drift > 0) {
    lines.push(
      c.yellow(
        `${plural(base.drift, "change")} correct${base.drift === 1 ? "s" : ""} what was changed outside inv since the base (marked "changed outside inv").`,
      ),
    );
  }
}

/** Movement is reported, never planned: what the store's orders did to quantities the file left alone. */
function appendMovement(lines: string[], base: BaseView, c: Colors): void {
  const { movement } = base;
  if (movement.count > 0) {
    lines.push(
      "",
      c.bold(
        `Movement since the base (the store's, not planned): ${plural(movement.count, "quantity", "quantities")} moved`,
      ),
    );
    const width = Math.max(...movement.bySource.map((s) => s.source.length));
    for (const row of movement.bySource)
      lines.push(
        `    ${row.source.padEnd(width)}  ${signedUnits(row.units)} ${Math.abs(row.units) === 1 ? "unit" : "units"}`,
      );
    lines.push(c.dim("  largest:"));
    for (const m of movement.largest) {
      lines.push(
        c.dim(`    ${m.sku} @ ${m.source}  ${m.base} -> ${m.live} (${signedUnits(roundQuantity(m.live - m.base))})`),
      );
    }
    if (movement.count > movement.largest.length)
      lines.push(c.dim(`    ... and ${movement.count - movement.largest.length} more`));
  }
  const { stocks, skus } = base.noLongerDeclared;
  if (stocks.length + skus.length > 0) {
    lines.push("", c.bold("No longer declared since the base (left as they are; --prune deletes them)"));
    if (stocks.length > 0) lines.push(`    stocks: ${stocks.map((s) => `"${s}"`).join(", ")}`);
    if (skus.length > 0)
      lines.push(`    SKUs: ${skus.slice(0, 20).join(", ")}${skus.length > 20 ? `, ... (${skus.length})` : ""}`);
  }
}

function appendBase(lines: string[], base: BaseView, c: Colors): void {
  appendBaseLine(lines, base, c);
  appendMovement(lines, base, c);
}

function appendWarnings(lines: string[], plan: Plan, c: Colors): void {
  if (plan.warnings.length === 0) return;
  lines.push("", c.yellow(c.bold("Warnings")));
  for (const warning of plan.warnings) lines.push(`  ${c.yellow("!")} ${warning}`);
}

/** With a base: this change corrects what someone changed in the store outside inv. */
function outside(change: Change, c: Colors): string {
  return change.kind !== "move" && change.drift ? c.yellow("  (changed outside inv)") : "";
}

function mark(change: Change, c: Colors): string {
  const symbol = SYMBOL[change.action];
  const colored =
    change.action === "create" ? c.green(symbol) : change.action === "update" ? c.yellow(symbol) : c.red(symbol);
  return isDestructive(change) ? `${colored}${c.red("!")}` : `${colored} `;
}

function renderChange(change: Change, lines: string[], c: Colors): void {
  switch (change.kind) {
    case "source":
      renderSource(change, lines, c);
      return;
    case "stock":
      renderStock(change, lines, c);
      return;
    case "link":
      renderLink(change, lines, c);
      return;
    case "move": {
      // Magento carries status and notify quantity across (seed 002; BulkConfigurationTransferInterfacePlugin).
      const origin = change.unassign_from_origin
        ? `${change.from} is unassigned`
        : `${change.from} is kept at 0, out of stock`;
      const again = isDestructive(change) ? c.red("!") : " ";
      lines.push(
        `  ${c.cyan(">")}${again} transfer ${plural(change.skus.length, "SKU")} from ${change.from} to ${change.to}: ${plural(change.units, "unit")} with their status and notify quantity; ${origin}`,
      );
      // Each SKU at the destination, as the transfer leaves it.
      const destinations = moveDestinations(change);
      const width = Math.max(...destinations.map((d) => d.sku.length));
      for (const d of destinations) {
        const was = d.before ? formatItem(d.before) : "not assigned";
        lines.push(`       ${d.sku.padEnd(width)}  ${change.to} ${was} -> ${formatItem(d.after)}`);
      }
      if (change.runs_again)
        lines.push(
          `       ${c.red(`runs again: ${plural(unitsRunAgain(change), "unit")} at ${change.from} since (${change.runs_again.join(", ")})`)}: ${change.to} already holds what the file declares, so the move was done`,
        );
      return;
    }
    case "source-item":
      return;
  }
}

function renderSource(change: SourceChange, lines: string[], c: Colors): void {
  lines.push(`  ${mark(change, c)} ${change.action} source ${c.bold(change.source)}${outside(change, c)}`);
  const fields = fieldsInOrder(change.changed);
  const width = Math.max(...fields.map((f) => f.length));
  for (const field of fields) {
    const after = change.after[field];
    const label = `${field}:`.padEnd(width + 1);
    if (change.before === null) {
      lines.push(`       ${label} ${formatValue(after)}`);
    } else {
      lines.push(`       ${label} ${valueChange(change.before[field], after, c)}`);
    }
  }
}

/** Long texts show what changed inside them; short values show before -> after. */
function valueChange(before: unknown, after: unknown, c: Colors): string {
  if (typeof before === "string" && typeof after === "string" && Math.max(before.length, after.length) > 40) {
    // Each part escaped as inside a JSON string, so a line break in a value cannot break the layout.
    const escaped = (value: string) => JSON.stringify(value).slice(1, -1);
    const parts = diffWords(before, after).map((p) =>
      p.added ? c.green(`{+${escaped(p.value)}+}`) : p.removed ? c.red(`[-${escaped(p.value)}-]`) : escaped(p.value),
    );
    return `"${parts.join("")}"`;
  }
  return `${c.red(formatValue(before))} -> ${c.green(formatValue(after))}`;
}

function channels(state: StockState | null): string {
  if (!state || state.sales_channels.length === 0) return "(none)";
  return state.sales_channels.map((ch) => `${ch.type} ${ch.code}`).join(", ");
}

function renderStock(change: StockChange, lines: string[], c: Colors): void {
  const id = change.stock_id === null ? c.dim(" (id known after apply)") : c.dim(` (id ${change.stock_id})`);
  // A rename says so first: the same stock (its id, links and channels) under a new name.
  const what = isRename(change)
    ? `rename stock ${c.bold(`"${change.before.name}"`)} to ${c.bold(`"${change.after.name}"`)}`
    : `${change.action} stock ${c.bold(`"${change.stock}"`)}`;
  lines.push(`  ${mark(change, c)} ${what}${id}${outside(change, c)}`);
  if (change.action === "create") {
    lines.push(`       sales_channels: ${channels(change.after)}`);
  } else if (change.action === "update") {
    if (change.changed.includes("sales_channels"))
      lines.push(`       sales_channels: ${c.red(channels(change.before))} -> ${c.green(channels(change.after))}`);
  }
  for (const note of change.notes) lines.push(`       ${c.dim(`note: ${note}`)}`);
}

function renderLink(change: LinkChange, lines: string[], c: Colors): void {
  const target = `"${change.stock}" <- ${c.bold(change.source)}`;
  const priority =
    change.action === "update"
      ? `priority ${c.red(String(change.before?.priority))} -> ${c.green(String(change.after?.priority))}`
      : `priority ${(change.after ?? change.before)?.priority}`;
  lines.push(`  ${mark(change, c)} ${target}  ${priority}${outside(change, c)}`);
}

/** `sku\0source` of every source item a move writes: their changes start from the transferred values. */
function movedPairs(plan: Plan): ReadonlySet<string> {
  const pairs = new Set<string>();
  for (const change of plan.changes) {
    if (change.kind !== "move") continue;
    for (const sku of change.skus) for (const source of [change.from, change.to]) pairs.add(`${sku}\u0000${source}`);
  }
  return pairs;
}

function renderItems(
  changes: readonly SourceItemChange[],
  lines: string[],
  c: Colors,
  moved: ReadonlySet<string>,
): void {
  let sku: string | undefined;
  const width = Math.max(...changes.map((ch) => ch.source.length));
  for (const change of changes) {
    if (change.sku !== sku) {
      sku = change.sku;
      lines.push(`  ${c.bold(sku)}`);
    }
    const source = change.source.padEnd(width);
    const afterMove =
      moved.has(`${change.sku}\u0000${change.source}`) && change.before ? c.dim("  (as the transfer leaves it)") : "";
    const drift = outside(change, c);
    const delta = deltaText(change);
    if (change.action === "create")
      lines.push(`    ${mark(change, c)} ${source}  ${formatItem(change.after!)}${drift}`);
    else if (delta !== null) {
      const status = change.after!.status !== change.before!.status ? `, ${formatItem(change.after!)}` : "";
      const below = change.after!.quantity < 0 ? c.red("  below 0: needs --allow-negative") : "";
      lines.push(`    ${mark(change, c)} ${source}  ${delta}${status}${below}`);
    } else if (change.action === "update") {
      const lost = unitsLostFromTransfer(change);
      const leaves = lost > 0 ? c.red(`  ${plural(lost, "unit")} ${lost === 1 ? "leaves" : "leave"} the store`) : "";
      lines.push(
        `    ${mark(change, c)} ${source}  ${c.red(formatItem(change.before!))} -> ${c.green(formatItem(change.after!))}${afterMove}${leaves}${drift}`,
      );
    } else {
      const destroys = isDestructive(change) ? c.red(`  unassigns ${plural(change.before!.quantity, "unit")}`) : "";
      lines.push(`    ${mark(change, c)} ${source}  ${formatItem(change.before!)}${destroys}${afterMove}${drift}`);
    }
  }
}
