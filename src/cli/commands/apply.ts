// inv apply: plan, ask, execute, verify, remind to reindex. With a saved plan file, apply
// exactly that plan once the store is shown to still hold what it was computed from.

import { appendFileSync } from "node:fs";
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import type { JournalEntry } from "../../apply/execute.js";
import { PartialApplyError, type ApplyReport } from "../../apply/report.js";
import { ConfigurationError, SafetyError } from "../../errors.js";
import { apply, applySavedPlan, type ApplyOutcome, type ConsentOptions } from "../../pipeline.js";
import type { Plan } from "../../plan/plan.js";
import { renderText, summaryLine } from "../../render/render-text.js";
import {
  addConnectionOptions,
  connect,
  nonNegativeNumber,
  positiveInteger,
  type ConnectionFlags,
} from "../connection.js";
import type { CommandContext } from "../program.js";
import { ProgressLine } from "../progress.js";

interface ApplyFlags extends ConnectionFlags {
  readonly file: string;
  readonly yes?: boolean;
  readonly allowDestroy?: boolean;
  readonly maxUnassign?: number;
  readonly maxUnitsRemoved?: number;
  readonly journal?: string;
  readonly format: "text" | "json";
  readonly batchSize?: number;
  readonly quiet?: boolean;
}

export function registerApply(program: Command, context: CommandContext): void {
  const command = program
    .command("apply")
    .argument(
      "[plan-file]",
      "a plan saved with `inv plan --out`; applied exactly, or refused when the store changed since",
    )
    .description("make the store match the inventory file (or apply a saved plan), then verify and remind to reindex")
    .addOption(new Option("-f, --file <path>", "the inventory file").default("inventory.yaml"))
    .addOption(new Option("-y, --yes", "do not ask for confirmation (needed when not at a terminal)"))
    .addOption(
      new Option(
        "--allow-destroy",
        "consent to unassign source items that hold quantity and to delete links and stocks",
      ),
    )
    .addOption(
      new Option("--max-unassign <n>", "refuse a plan that unassigns more source items than this").argParser(
        nonNegativeNumber("--max-unassign"),
      ),
    )
    .addOption(
      new Option("--max-units-removed <n>", "refuse a plan that removes more units than this").argParser(
        nonNegativeNumber("--max-units-removed"),
      ),
    )
    .addOption(
      new Option("--journal <file>", "append one JSON line per call, with the before and after values it changes"),
    )
    .addOption(
      new Option("--format <format>", "how to print the outcome (json: the apply report)")
        .choices(["text", "json"])
        .default("text"),
    )
    .addOption(
      new Option("--batch-size <n>", "items per source-item or link call").argParser(positiveInteger("--batch-size")),
    )
    .addOption(new Option("-q, --quiet", "no progress on stderr"));
  addConnectionOptions(command).action(async (planFile: string | undefined, flags: ApplyFlags) => {
    if (flags.journal) checkJournalWritable(resolve(context.io.cwd, flags.journal), flags.journal);
    const client = connect(flags, context.io, context.redactor);
    const progress = new ProgressLine(context.stderr, context.io.stderr.isTTY && !flags.quiet);
    const text = flags.format === "text";
    const journalPath = flags.journal ? resolve(context.io.cwd, flags.journal) : undefined;
    const consent: ConsentOptions = {
      allowDestroy: flags.allowDestroy ?? false,
      ...(flags.maxUnassign !== undefined ? { maxUnassign: flags.maxUnassign } : {}),
      ...(flags.maxUnitsRemoved !== undefined ? { maxUnitsRemoved: flags.maxUnitsRemoved } : {}),
      ...(flags.yes ? {} : { confirm: (plan: Plan) => confirm(plan, context) }),
      ...(journalPath
        ? {
            journal: (entry: JournalEntry) =>
              appendFileSync(journalPath, `${context.redactor.redact(JSON.stringify(entry))}\n`),
          }
        : {}),
      onApplyEvent: (event) => progress.apply(event),
      onPlan: (plan) => {
        progress.done();
        if (text) context.stdout.write(renderText(plan, { color: context.color }));
      },
    };
    let outcome: ApplyOutcome;
    try {
      outcome = planFile
        ? await applySavedPlan({ planFile: resolve(context.io.cwd, planFile), client, ...consent })
        : await apply({
            file: flags.file,
            cwd: context.io.cwd,
            client,
            ...(flags.batchSize ? { batchSize: flags.batchSize } : {}),
            onProgress: (p) => progress.read(p),
            ...consent,
          });
    } catch (error) {
      progress.done();
      if (!text && error instanceof PartialApplyError) context.stdout.write(reportJson(error.report, "failed"));
      throw error;
    } finally {
      progress.done();
      await client.close();
    }
    if (!text) {
      context.stdout.write(
        outcome.report
          ? reportJson(outcome.report, "applied")
          : `${JSON.stringify({ outcome: outcome.cancelled ? "cancelled" : "no-changes" })}\n`,
      );
    } else if (outcome.cancelled) {
      context.stderr.write("Apply cancelled; nothing was written to the store.\n");
    } else if (outcome.report) {
      printSuccess(outcome, context, planFile !== undefined);
    }
    if (outcome.cancelled) context.exitCode = 1;
  });
}

function printSuccess(outcome: ApplyOutcome, context: CommandContext, saved: boolean): void {
  const report = outcome.report!;
  const requests = report.outcomes.reduce((sum, o) => sum + o.requests, 0);
  const verified = saved
    ? "Verified: every record the plan changed now holds its planned value."
    : "Verified: the store now matches the file, and a new plan is empty.";
  context.stdout.write(
    `\nApply complete: ${report.done} call${report.done === 1 ? "" : "s"} ` +
      `done (${requests} request${requests === 1 ? "" : "s"}). ${verified}\n`,
  );
  const reindex = outcome.plan.reindex;
  if (reindex) {
    context.stdout.write(
      `\nReindex and flush the cache for these changes to reach the storefront (${reindex.reasons.join(", ")}):\n` +
        reindex.commands.map((c) => `  ${c}\n`).join(""),
    );
  }
}

/** A journal that cannot be written is found before anything is sent, not after the first call. */
function checkJournalWritable(path: string, shown: string): void {
  try {
    appendFileSync(path, "");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigurationError(
      `Cannot write the journal ${shown} (${code ?? String(error)}).`,
      "Give --journal a file in a directory you can write to.",
    );
  }
}

function reportJson(report: ApplyReport, outcome: "applied" | "failed"): string {
  return `${JSON.stringify({ outcome, ...report }, null, 2)}\n`;
}

/** Asks at a terminal; elsewhere consent must be given with --yes. */
async function confirm(plan: Plan, context: CommandContext): Promise<boolean> {
  if (!context.io.stdinIsTTY || !context.io.stderr.isTTY) {
    throw new SafetyError(
      "inv apply changes live stock and needs consent, but there is no terminal to ask at.",
      [{ change: summaryLine(plan), reason: "not confirmed" }],
      "Review the plan and pass --yes, or run inv apply at a terminal.",
    );
  }
  const answer = await context.io.prompt(`\nApply these changes to ${plan.store.url}? Only "yes" is accepted: `);
  return answer.trim() === "yes";
}
