// What `inv apply` prints, as one view chosen once from --format (as Terraform's command
// views are): the human view prints the plan, a success line and the reindex reminder; the
// JSON view prints nothing but the apply report. Progress and errors go to stderr in both.

import { PartialApplyError, type ApplyReport } from "../../apply/report.js";
import type { RollbackWritten } from "../../apply/rollback-file.js";
import { InterruptedError } from "../../errors.js";
import type { ApplyOutcome } from "../../pipeline.js";
import type { Plan } from "../../plan/plan.js";
import { renderText } from "../../render/render-text.js";
import type { CommandContext } from "../program.js";
import type { ProgressLine } from "../progress.js";

export interface ApplyView {
  /** The plan, once known and before anything is sent. */
  plan(plan: Plan): void;
  /** The apply ended without an error: applied, nothing to do, or cancelled. */
  outcome(outcome: ApplyOutcome, from: "file" | "saved-plan"): void;
  /** The apply failed; the error itself is reported by the CLI's error handler. */
  failed(error: unknown): void;
  /** With --rollback-out: what was last written to the file (undefined: nothing was sent, so nothing was). */
  rollback(shown: string, written: RollbackWritten | undefined): void;
}

export const APPLY_FORMATS = ["text", "json"] as const;
export type ApplyFormat = (typeof APPLY_FORMATS)[number];

export function applyView(format: ApplyFormat, context: CommandContext, progress: ProgressLine): ApplyView {
  switch (format) {
    case "text":
      return new ApplyHuman(context, progress);
    case "json":
      return new ApplyJson(context, progress);
  }
}

class ApplyHuman implements ApplyView {
  constructor(
    private readonly context: CommandContext,
    private readonly progress: ProgressLine,
  ) {}

  plan(plan: Plan): void {
    this.progress.done();
    this.context.stdout.write(renderText(plan, { color: this.context.color }));
  }

  outcome(outcome: ApplyOutcome, from: "file" | "saved-plan"): void {
    if (outcome.cancelled) this.context.stderr.write("Cancelled; nothing was written to the store.\n");
    else if (outcome.report) this.success(outcome.plan, outcome.report, from);
  }

  failed(): void {}

  rollback(shown: string, written: RollbackWritten | undefined): void {
    this.context.stderr.write(rollbackLine(shown, written));
  }

  private success(plan: Plan, report: ApplyReport, from: "file" | "saved-plan"): void {
    const requests = report.outcomes.reduce((sum, o) => sum + o.requests, 0);
    const verified =
      from === "saved-plan"
        ? "Verified: every record the plan changed now holds its planned value."
        : "Verified: the store now matches the file, and a new plan is empty.";
    this.context.stdout.write(
      `\nApply complete: ${report.done} call${report.done === 1 ? "" : "s"} done (${requests} request${requests === 1 ? "" : "s"}). ${verified}\n`,
    );
    const reindex = plan.reindex;
    if (reindex) {
      this.context.stdout.write(
        `\nReindex and flush the cache for these changes to reach the storefront (${reindex.reasons.join(", ")}):\n` +
          reindex.commands.map((c) => `  ${c}\n`).join(""),
      );
    }
  }
}

class ApplyJson implements ApplyView {
  constructor(
    private readonly context: CommandContext,
    private readonly progress: ProgressLine,
  ) {}

  plan(): void {
    this.progress.done();
  }

  outcome(outcome: ApplyOutcome): void {
    this.context.stdout.write(
      outcome.report
        ? reportJson(outcome.report, "applied")
        : `${JSON.stringify({ outcome: outcome.cancelled ? "cancelled" : "no-changes" })}\n`,
    );
  }

  failed(error: unknown): void {
    if (error instanceof PartialApplyError)
      this.context.stdout.write(
        reportJson(error.report, error.cause instanceof InterruptedError ? "interrupted" : "failed"),
      );
  }

  /** On stderr here too: stdout holds nothing but the report. */
  rollback(shown: string, written: RollbackWritten | undefined): void {
    this.context.stderr.write(rollbackLine(shown, written));
  }
}

/** What --rollback-out left, and the command that undoes the apply. */
export function rollbackLine(shown: string, written: RollbackWritten | undefined): string {
  if (!written) return `\nNothing was sent, so no rollback was written to ${shown}.\n`;
  if (written.changes === 0) return `\nWrote the rollback ${shown}: nothing to undo, as no call changed the store.\n`;
  const scope =
    written.callsDone === written.callsTotal
      ? "this apply"
      : `the ${written.callsDone} call${written.callsDone === 1 ? "" : "s"} done of ${written.callsTotal}`;
  const last = written.finished ? "" : " (as of its last write, made while the apply ran)";
  const destructive = written.destructive > 0 ? `, ${written.destructive} of them destructive` : "";
  const warnings =
    written.warnings.length > 0
      ? ` Read its ${written.warnings.length} warning${written.warnings.length === 1 ? "" : "s"} first.`
      : "";
  const run = `inv apply ${shown}${written.destructive > 0 ? " --allow-destroy" : ""}`;
  const changes = `${written.changes} change${written.changes === 1 ? "" : "s"}`;
  return (
    `\nWrote the rollback ${shown}${last}: ${changes} that undo ${scope}${destructive}. ` +
    `To undo, run \`${run}\`.${warnings}\n`
  );
}

function reportJson(report: ApplyReport, outcome: "applied" | "failed" | "interrupted"): string {
  return `${JSON.stringify({ outcome, ...report }, null, 2)}\n`;
}
