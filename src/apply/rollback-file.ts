// `inv apply --rollback-out FILE`: the saved plan that undoes this apply, written before
// the first call and again as each call completes (through the execute journal hook), always
// to a temporary file renamed over FILE, so FILE is a whole plan whenever the apply stops.
// What goes in it is src/plan/rollback.ts's; this module only keeps track and writes.

import { existsSync, unlinkSync, writeFileSync } from "node:fs";
import { InvError, type ErrorCode } from "../errors.js";
import type { MagentoClient } from "../magento/client.js";
import type { LiveState } from "../model.js";
import { invVersion } from "../package-files.js";
import type { PlannedCall } from "../plan/calls/call.js";
import { writePlanFile } from "../plan/plan-file.js";
import type { Plan } from "../plan/plan.js";
import { buildRollbackPlan, type FailedCall } from "../plan/rollback.js";
import { skusOfPlan } from "../plan/staleness.js";
import { readLiveState } from "../state/read-live-state.js";
import type { JournalEntry } from "./execute.js";

export interface RollbackOutput {
  /** Where the rollback plan goes (an absolute path). */
  readonly path: string;
  /** Shown in messages, as the operator wrote it. */
  readonly shown: string;
  /** Sources the apply created are disabled by the rollback (Magento cannot delete a source). */
  readonly disableCreatedSources: boolean;
  /** Told after every write. */
  readonly onWritten?: (written: RollbackWritten) => void;
}

export interface RollbackWritten {
  readonly path: string;
  readonly changes: number;
  readonly destructive: number;
  readonly warnings: readonly string[];
  /** false: written while the apply was running. */
  readonly finished: boolean;
  readonly callsDone: number;
  readonly callsTotal: number;
}

export interface RecorderInput {
  /** The plan being applied, with the calls that are sent (derived from its changes). */
  readonly plan: Plan;
  readonly calls: readonly PlannedCall[];
  /** The store before the apply (the plan's records and every stock). */
  readonly live: LiveState;
  /** SHA-256 of the saved plan being applied; null when the apply planned from the files. */
  readonly planSha256: string | null;
  readonly now?: () => Date;
}

export class RollbackFileError extends InvError {
  readonly code: ErrorCode = "configuration";
}

/**
 * Refuses a FILE that exists (an earlier apply's rollback is never overwritten) or cannot be
 * written, before anything is sent.
 */
export function checkRollbackTarget(path: string, shown: string): void {
  if (existsSync(path)) {
    throw new RollbackFileError(
      `--rollback-out ${shown} exists already; a rollback file is never overwritten, so the rollback of an ` +
        "earlier apply is not lost.",
      "Give --rollback-out a new file name, or move the old file away first.",
    );
  }
  const probe = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (error) {
    throw new RollbackFileError(
      `Cannot write the rollback ${shown} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      "Give --rollback-out a file in a directory you can write to.",
    );
  }
}

/** Writes cheaper than this go out after every call; dearer ones (huge plans) at most a fifth of the time. */
const ALWAYS_WRITE_MS = 50;

export class RollbackRecorder {
  private readonly done = new Set<number>();
  private readonly createdStockIds: Record<string, number> = {};
  private failed: FailedCall | undefined;
  private failedCall: number | undefined;
  private finished = false;
  private readonly startedAt: string;
  private readonly now: () => Date;
  private lastWriteEnd = 0;
  private lastWriteCost = 0;

  constructor(
    private readonly output: RollbackOutput,
    private readonly input: RecorderInput,
  ) {
    this.now = input.now ?? (() => new Date());
    this.startedAt = this.now().toISOString();
  }

  /** Before the first call: a rollback with nothing to undo yet. */
  start(): void {
    this.write();
  }

  /** The journal hook: one call settled. */
  record(entry: JournalEntry): void {
    // The line written before a call is sent says nothing of its outcome yet.
    if (entry.outcome === "sending") return;
    if (entry.outcome === "done") this.done.add(entry.call);
    else this.failedCall = entry.call;
    const call = this.input.calls.find((c) => c.id === entry.call);
    if (entry.stock_id !== undefined && call?.kind === "stock-create")
      this.createdStockIds[call.returns_stock_id] = entry.stock_id;
    if (this.lastWriteCost < ALWAYS_WRITE_MS || performance.now() - this.lastWriteEnd >= 4 * this.lastWriteCost)
      this.write();
  }

  /**
   * After a failed call: reads its records again, so the rollback undoes what it wrote and
   * nothing it did not. A read that fails is said in the rollback's warnings.
   */
  async settle(client: MagentoClient): Promise<void> {
    if (this.failedCall === undefined) return;
    const call = this.input.calls.find((c) => c.id === this.failedCall);
    const skus = call
      ? skusOfPlan({ ...this.input.plan, changes: call.changes.map((i) => this.input.plan.changes[i]!) })
      : new Set<string>();
    let observed: LiveState | undefined;
    try {
      observed = await readLiveState(client, { skus });
    } catch {
      observed = undefined;
    }
    this.failed = { call: this.failedCall, observed };
  }

  /** Once the apply has ended, done or stopped: the last write. */
  finish(): RollbackWritten {
    this.finished = true;
    return this.write();
  }

  private write(): RollbackWritten {
    const started = performance.now();
    const plan = buildRollbackPlan({
      applied: { ...this.input.plan, calls: this.input.calls },
      live: this.input.live,
      progress: {
        done: this.done,
        createdStockIds: this.createdStockIds,
        ...(this.failed ? { failed: this.failed } : {}),
      },
      disableCreatedSources: this.output.disableCreatedSources,
      rollbackOf: {
        plan_sha256: this.input.planSha256,
        files: this.input.plan.basis.files,
        started_at: this.startedAt,
        calls_total: this.input.calls.length,
        calls_done: this.done.size,
        finished: this.finished,
      },
      createdAt: this.now().toISOString(),
      invVersion: invVersion(),
    });
    try {
      writePlanFile(this.output.path, plan);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new RollbackFileError(
        `Could not write the rollback ${this.output.shown} (${code}); ` +
          "the apply stops here, as it cannot record what it undoes.",
        "Free space or fix permissions, then run the apply again (with a new --rollback-out file).",
      );
    }
    this.lastWriteEnd = performance.now();
    this.lastWriteCost = this.lastWriteEnd - started;
    const written: RollbackWritten = {
      path: this.output.path,
      changes: plan.changes.length,
      destructive: plan.summary.destructive,
      warnings: plan.warnings,
      finished: this.finished,
      callsDone: this.done.size,
      callsTotal: this.input.calls.length,
    };
    this.output.onWritten?.(written);
    return written;
  }
}
