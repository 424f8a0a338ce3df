// A saved plan applies only what its inventory files imply. `inv apply plan.json` reads the
// files the plan names again (each SHA-256 must match), and derives the changes from them and
// the live values the plan recorded: a live state made of the files' own declared values,
// overlaid with every change's `before`, diffed against the files, must give exactly the
// plan's changes. A change that the files do not imply (an unassignment added to `changes`
// and `calls` alike) is refused before anything is sent, naming the first difference.
//
// Why that is enough: a record the plan does not touch is taken to hold what the files
// declare, so the diff plans nothing for it; a record it touches holds the `before` the
// staleness check then compares with the store. So every change the plan carries is one the
// diff makes from the files and the store as it is; a change dropped from the plan is
// simply not applied (the next plan shows it).

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { changeAddress, type Change } from "../diff/changes.js";
import { diff, newSourceFields } from "../diff/diff.js";
import { markBaseChanges, rebase } from "../diff/three-way.js";
import { loadBase } from "../inventory/read-base.js";
import { PlanFileError } from "../errors.js";
import { loadInventory } from "../inventory/load-inventory.js";
import { withoutSkus, type SkippedSku } from "../inventory/skip-unknown.js";
import { roundQuantity } from "../magento/equivalence.js";
import type {
  DesiredState,
  InventoryFileInfo,
  LiveSource,
  LiveSourceItem,
  LiveState,
  LiveStock,
  SafetyPolicy,
  StockLink,
} from "../model.js";
import { compareCodePoints } from "../sort.js";
import { assignmentOnlySkus, recordBulkCandidates } from "./calls/bulk-groups.js";
import { firstValueDifference } from "./calls/compare-calls.js";
import type { Plan } from "./plan.js";

export interface IntegrityOptions {
  /** The plan file as the user named it, for messages. */
  readonly shown: string;
  /**
   * Directories the plan's file paths may be relative to, tried in order: the paths are
   * recorded relative to the directory `inv plan` ran in (a pipeline's checkout root).
   */
  readonly roots: readonly string[];
}

export interface VerifiedPlan {
  /** The files' desired state, as the plan was made from it. */
  readonly desired: DesiredState;
  /** The directory the plan's paths were found under. */
  readonly root: string;
}

const REPLAN = "Make the plan again with `inv plan --out` from the files as they are, review it, and apply that.";

/** Refuses (PlanFileError, exit 1) a plan whose files or changes are not what its files imply. */
export function verifyPlanIntegrity(plan: Plan, options: IntegrityOptions): VerifiedPlan {
  const main = plan.basis.files[0];
  if (!main) throw new PlanFileError(`${options.shown} names no inventory file it was made from.`, REPLAN);
  const root = findRoot(main, options);
  for (const file of plan.basis.files) checkHash(file, root, options.shown);

  const loaded = loadInventory(main.path, { cwd: root });
  checkSameFiles(plan.basis.files, loaded.files, root, options.shown);
  checkPolicy(plan.policy, loaded.safety, options.shown);
  checkScope(plan, loaded, options.shown);
  // The SKUs the plan skipped (the catalog lacked them) are left out here too.
  const skipped = checkSkipped(plan, loaded, options.shown);
  const desired = withoutSkus(loaded, skipped);

  const implied = impliedLiveState(desired, plan.changes);
  const derived = plan.base
    ? deriveWithBase(plan, { head: loaded, skipped }, implied, root, options.shown)
    : diff(desired, implied).changes;
  const difference = firstChangeDifference(plan.changes, derived);
  if (difference)
    throw new PlanFileError(
      `${options.shown} was changed after it was planned: ${difference}. Nothing was sent.`,
      REPLAN,
    );
  checkBulkCandidates(plan, derived, desired, options.shown);
  return { desired, root };
}

/**
 * A plan made with a base: the base's files are read at the commit the plan recorded (their
 * SHA-256 must match too), and the changes derived through the same three-way rules.
 */
function deriveWithBase(
  plan: Plan,
  files: { readonly head: DesiredState; readonly skipped: readonly SkippedSku[] },
  implied: LiveState,
  root: string,
  shown: string,
): readonly Change[] {
  const recorded = plan.base!;
  const main = plan.basis.files[0]!;
  const base = loadBase(main.path, recorded.commit, root).state;
  const text = (files: readonly InventoryFileInfo[]) => JSON.stringify(files.map((f) => [f.path, f.sha256]));
  if (text(base.files) !== text(recorded.files)) {
    throw new PlanFileError(
      `${shown} records base files that are not the files at ${recorded.ref} (${recorded.commit.slice(0, 12)}). Nothing was sent.`,
      REPLAN,
    );
  }
  const options = { changedOnly: recorded.changed_only, prune: recorded.pruned };
  // As `inv plan` does: rebased from every SKU the files declare, then the skipped ones left out.
  const rebased = rebase(files.head, base, implied, options);
  const desired = withoutSkus(rebased.desired, files.skipped);
  return markBaseChanges(diff(desired, implied), files.head, base, rebased).changes;
}

function findRoot(main: InventoryFileInfo, options: IntegrityOptions): string {
  const roots = [...new Set(options.roots)];
  const root = roots.find((r) => existsSync(resolve(r, main.path)));
  if (root !== undefined) return root;
  throw new PlanFileError(
    `${options.shown} was made from ${main.path}, which is not in ${roots.map((r) => JSON.stringify(r)).join(" or ")}; inv applies a saved plan only with the files it was made from.`,
    "Run `inv apply` in the directory `inv plan` ran in (in a pipeline: the checkout of the planned commit), or make a new plan.",
  );
}

function checkHash(file: InventoryFileInfo, root: string, shown: string): void {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(root, file.path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PlanFileError(
      `${shown} was made from ${file.path}, which ${code === "ENOENT" ? "does not exist here" : `cannot be read (${code ?? String(error)})`}. Nothing was sent.`,
      REPLAN,
    );
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== file.sha256) {
    throw new PlanFileError(
      `${file.path} is not the file ${shown} was made from: its SHA-256 is ${sha256.slice(0, 12)}…, the plan's ${file.sha256.slice(0, 12)}…. Nothing was sent.`,
      REPLAN,
    );
  }
}

/** The files read now (an include or CSV pattern may match more or fewer) must be the files planned. */
function checkSameFiles(
  recorded: readonly InventoryFileInfo[],
  loaded: readonly InventoryFileInfo[],
  root: string,
  shown: string,
): void {
  const key = (f: InventoryFileInfo) => resolve(root, f.path);
  const planned = new Set(recorded.map(key));
  const now = new Set(loaded.map(key));
  const added = loaded.find((f) => !planned.has(key(f)));
  const gone = recorded.find((f) => !now.has(key(f)));
  if (!added && !gone) return;
  throw new PlanFileError(
    added
      ? `the inventory now also reads ${added.path}, which ${shown} was not made from. Nothing was sent.`
      : `the inventory no longer reads ${gone!.path}, which ${shown} was made from. Nothing was sent.`,
    REPLAN,
  );
}

/** The policy travels in the plan; it must be the one the files set. */
function checkPolicy(recorded: SafetyPolicy, file: SafetyPolicy, shown: string): void {
  const text = (p: SafetyPolicy) =>
    JSON.stringify({
      allow_destroy: p.allowDestroy,
      max_unassign: p.maxUnassign ?? null,
      max_units_removed: p.maxUnitsRemoved ?? null,
    });
  if (text(recorded) === text(file)) return;
  throw new PlanFileError(
    `${shown} was changed after it was planned: its policy is ${text(recorded)}, its files set ${text(file)}. Nothing was sent.`,
    REPLAN,
  );
}

/** The scope travels in the plan, for its readers; it must be the one the files set. */
function checkScope(plan: Plan, desired: DesiredState, shown: string): void {
  const text = (sources: Iterable<string> | undefined) =>
    sources === undefined ? "none" : JSON.stringify([...sources].sort(compareCodePoints));
  const recorded = text(plan.scope?.sources);
  const files = text(desired.scope?.sources);
  if (recorded === files) return;
  throw new PlanFileError(
    `${shown} was changed after it was planned: its scope is ${recorded}, its files set ${files}. Nothing was sent.`,
    REPLAN,
  );
}

/** Each skipped SKU must be one the files declare with sources: the plan can leave out only what they plan. */
function checkSkipped(plan: Plan, desired: DesiredState, shown: string): readonly SkippedSku[] {
  const skipped = plan.skipped ?? [];
  const moved = new Set(desired.moves.flatMap((m) => m.skus));
  const stray = skipped.find((s) => (desired.products.get(s.sku)?.assignments.length ?? 0) === 0 || moved.has(s.sku));
  if (stray === undefined) return skipped;
  throw new PlanFileError(
    `${shown} was changed after it was planned: it skips "${stray.sku}", which its files do not declare with sources. Nothing was sent.`,
    REPLAN,
  );
}

/** Bulk calls may carry only the SKUs the files declare by assignment only. */
function checkBulkCandidates(plan: Plan, derived: readonly Change[], desired: DesiredState, shown: string): void {
  const recorded = plan.bulk_candidates;
  const inCatalog = new Set(recorded?.in_catalog ?? []);
  const expected = recordBulkCandidates(derived, { assignmentOnly: assignmentOnlySkus(desired), inCatalog });
  const stored = recorded?.assignment_only ?? [];
  const wanted = expected?.assignment_only ?? [];
  const strayCatalog = recorded?.in_catalog.find((sku) => !wanted.includes(sku));
  if (JSON.stringify(stored) === JSON.stringify(wanted) && strayCatalog === undefined) return;
  throw new PlanFileError(
    `${shown} was changed after it was planned: bulk_candidates lists ${JSON.stringify(strayCatalog !== undefined ? [strayCatalog] : stored)}, its files give ${JSON.stringify(wanted)} as SKUs bulk calls may carry. Nothing was sent.`,
    REPLAN,
  );
}

// --- the live state the plan implies -------------------------------------------------------

/**
 * The store as the plan saw it, as far as the diff can tell: every declared record holding
 * what the files declare, except where a change recorded its `before`. Creates mean the
 * record was absent; unassignments and link deletes put back what they remove. A moved
 * SKU's changes were planned against the store as the transfer leaves it, so the moves'
 * own `before` (origin and destination before the transfer) are laid last, in reverse order.
 * Stocks keep the ids the changes name; one known only after apply is absent.
 */
export function impliedLiveState(desired: DesiredState, changes: readonly Change[]): LiveState {
  const sources = new Map<string, LiveSource>();
  for (const source of desired.sources.values())
    sources.set(source.code, { code: source.code, fields: newSourceFields(source) });
  for (const change of changes) {
    if (change.kind !== "source") continue;
    if (change.before) sources.set(change.source, { code: change.source, fields: change.before });
    else sources.delete(change.source);
  }
  return { sources, stocks: impliedStocks(desired, changes), sourceItems: impliedItems(desired, changes) };
}

interface StockDraft {
  id: number;
  name: string;
  salesChannels: LiveStock["salesChannels"];
  links: Map<string, number>;
}

function impliedStocks(desired: DesiredState, changes: readonly Change[]): Map<number, LiveStock> {
  const ids = new Map<string, number>();
  const created = new Set<string>();
  for (const change of changes) {
    if (change.kind !== "stock" && change.kind !== "link") continue;
    if (change.kind === "stock" && change.action === "create") created.add(change.stock);
    if (change.stock_id !== null && !ids.has(change.stock)) ids.set(change.stock, change.stock_id);
  }
  // Stocks no change names get ids of their own; no change can carry them.
  let nextId = Math.max(0, ...ids.values()) + 1;
  const drafts = new Map<string, StockDraft>();
  for (const stock of desired.stocks.values()) {
    if (created.has(stock.name)) continue;
    drafts.set(stock.name, {
      id: ids.get(stock.name) ?? nextId++,
      name: stock.name,
      salesChannels: stock.salesChannels ?? [],
      links: new Map((stock.links ?? []).map((l) => [l.source, l.priority])),
    });
  }
  for (const change of changes) {
    // A stock the files no longer declare that a change deletes was there as its `before` says.
    if (change.kind === "stock" && change.before && change.stock_id !== null && !drafts.has(change.stock))
      drafts.set(change.stock, { id: change.stock_id, name: change.before.name, salesChannels: [], links: new Map() });
    const draft = (change.kind === "stock" || change.kind === "link") && drafts.get(change.stock);
    if (!draft) continue;
    if (change.kind === "stock" && change.before) {
      draft.name = change.before.name;
      draft.salesChannels = change.before.sales_channels;
    } else if (change.kind === "link") {
      if (change.before) draft.links.set(change.source, change.before.priority);
      else draft.links.delete(change.source);
    }
  }
  const stocks = new Map<number, LiveStock>();
  for (const draft of drafts.values()) {
    const links: StockLink[] = [...draft.links].map(([source, priority]) => ({ source, priority }));
    links.sort((a, b) => a.priority - b.priority || compareCodePoints(a.source, b.source));
    stocks.set(draft.id, { id: draft.id, name: draft.name, salesChannels: draft.salesChannels, links });
  }
  return stocks;
}

function impliedItems(desired: DesiredState, changes: readonly Change[]): Map<string, LiveSourceItem[]> {
  const items = new Map<string, Map<string, LiveSourceItem>>();
  const itemsOf = (sku: string) => {
    let bySource = items.get(sku);
    if (!bySource) items.set(sku, (bySource = new Map()));
    return bySource;
  };
  for (const product of desired.products.values()) {
    const bySource = itemsOf(product.sku);
    for (const a of product.assignments) {
      // An assignment the file leaves the quantity of is unchanged whatever it holds.
      const item: LiveSourceItem =
        a.quantity === undefined
          ? { source: a.source, quantity: 0, status: "out_of_stock" }
          : { source: a.source, quantity: roundQuantity(a.quantity), status: a.status ?? "in_stock" };
      bySource.set(a.source, item);
    }
  }
  for (const move of desired.moves) for (const sku of move.skus) itemsOf(sku);
  for (const change of changes) {
    if (change.kind !== "source-item") continue;
    const bySource = itemsOf(change.sku);
    if (change.before) bySource.set(change.source, { source: change.source, ...change.before });
    else bySource.delete(change.source);
  }
  const moves = changes.filter((c) => c.kind === "move");
  for (const move of [...moves].reverse()) {
    for (const entry of move.before) {
      const bySource = itemsOf(entry.sku);
      bySource.set(move.from, { source: move.from, ...entry.origin });
      if (entry.destination) bySource.set(move.to, { source: move.to, ...entry.destination });
      else bySource.delete(move.to);
    }
  }
  return new Map([...items].map(([sku, bySource]) => [sku, [...bySource.values()]]));
}

// --- comparing -----------------------------------------------------------------------------

/**
 * The first change that differs between the plan and what its files imply, in words. Stock
 * notes are left out: they say what Magento does on its own to stocks the files may not
 * declare, and no call is derived from them.
 */
export function firstChangeDifference(stored: readonly Change[], derived: readonly Change[]): string | undefined {
  const comparable = (changes: readonly Change[]) =>
    JSON.parse(JSON.stringify(changes.map((c) => (c.kind === "stock" ? { ...c, notes: undefined } : c)))) as unknown[];
  const plan = comparable(stored);
  const files = comparable(derived);
  for (let i = 0; i < Math.max(plan.length, files.length); i++) {
    const s = stored[i];
    const d = derived[i];
    if (!d)
      return `change ${i} (${changeAddress(s!)}): the plan has it, its files give no such change (they imply ${derived.length})`;
    if (!s) return `change ${i}: the plan has no such change, its files give ${changeAddress(d)} (${d.action})`;
    const difference = firstValueDifference(plan[i], files[i], "");
    if (difference) {
      const at = difference.field === "" ? "" : `, ${difference.field}`;
      return `change ${i} (${changeAddress(s)})${at}: the plan has ${difference.stored}, its files give ${difference.derived}`;
    }
  }
  return undefined;
}
