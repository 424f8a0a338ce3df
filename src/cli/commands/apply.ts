// inv apply: plan, ask, execute, verify, remind to reindex. With a saved plan file, apply
// that plan, its calls derived again from its changes, once the store is shown to still hold
// what it was computed from. What is printed is the view chosen once from --format.

import { appendFileSync } from "node:fs";
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import type { JournalEntry } from "../../apply/execute.js";
import { checkRollbackTarget, type RollbackWritten } from "../../apply/rollback-file.js";
import { ConfigurationError, SafetyError } from "../../errors.js";
import { DEFAULT_TIMEOUT_MS } from "../../magento/client.js";
import { apply, applySavedPlan, type ApplyOutcome, type ConsentOptions } from "../../pipeline.js";
import type { Plan } from "../../plan/plan.js";
import { planView, summaryPhrase } from "../../render/plan-view-model.js";
import { addSkipUnknownOption, skipOptionsOf, type SkipFlags } from "../skip-option.js";
import { addBaseOptions, baseOptionsOf, type BaseFlags } from "../base-options.js";
import {
  addConnectionOptions,
  connect,
  nonNegativeNumber,
  positiveInteger,
  type ConnectionFlags,
} from "../connection.js";
import { ApplyInterrupts } from "../interrupts.js";
import type { CommandContext } from "../program.js";
import { rebatchNotice } from "../notices.js";
import { ProgressLine } from "../progress.js";
import { APPLY_FORMATS, applyView, type ApplyFormat } from "../views/apply-view.js";

interface ApplyFlags extends ConnectionFlags, BaseFlags, SkipFlags {
  readonly allowNegative?: boolean;
  readonly file: string;
  readonly yes?: boolean;
  readonly allowDestroy?: boolean;
  readonly allowUnchecked?: boolean;
  readonly maxUnassign?: number;
  readonly maxUnitsRemoved?: number;
  readonly journal?: string;
  readonly format: ApplyFormat;
  readonly batchSize?: number;
  readonly quiet?: boolean;
  readonly rollbackOut?: string;
  readonly rollbackDisableCreatedSources?: boolean;
}

/** Flags that shape a plan made from the file; a saved plan was made already, so they are refused with it. */
const PLANNING_FLAGS: readonly { readonly key: keyof ApplyFlags; readonly flag: string; readonly why: string }[] = [
  { key: "file", flag: "-f", why: "the plan records the files it was made from" },
  { key: "batchSize", flag: "--batch-size", why: "the plan's calls were derived with the batch size it records" },
  { key: "base", flag: "--base", why: "the plan records the base it was made with" },
  { key: "changedOnly", flag: "--changed-only", why: "the plan read what it needed when it was made" },
  { key: "prune", flag: "--prune", why: "the plan's deletions were decided when it was made" },
  { key: "skipUnknownSkus", flag: "--skip-unknown-skus", why: "the plan records the SKUs it skipped" },
];

export function registerApply(program: Command, context: CommandContext): void {
  const command = program
    .command("apply")
    .argument(
      "[plan-file]",
      "a plan saved with `inv plan --out`: its changes are derived again from the inventory files it names (found from here or from the plan's directory) and its calls from its changes; it is refused if they differ or the store changed since",
    )
    .description(
      "make the store match the inventory file (or apply a saved plan), then verify and remind to reindex; Ctrl-C lets the call in flight finish and reports what was done, a second Ctrl-C stops at once",
    )
    .addOption(new Option("-f, --file <path>", "the inventory file (not with a saved plan)").default("inventory.yaml"))
    .addOption(new Option("-y, --yes", "do not ask for confirmation (needed when not at a terminal)"))
    .addOption(
      new Option(
        "--allow-destroy",
        "consent to destroy: unassign source items that hold quantity, lower units a transfer brought, run a done move again, delete links and stocks",
      ),
    )
    .addOption(
      new Option(
        "--allow-unchecked",
        "go on with writes that depend on checks the plan could not make (website codes, the catalog, salable quantities the credentials may not read)",
      ),
    )
    .addOption(
      new Option("--max-unassign <n>", "refuse a plan that unassigns more source items than this").argParser(
        nonNegativeNumber("--max-unassign"),
      ),
    )
    .addOption(
      new Option(
        "--max-units-removed <n>",
        "refuse a plan that takes more units than this out of the store (unassigned or lowered; transfers count none)",
      ).argParser(nonNegativeNumber("--max-units-removed")),
    )
    .addOption(
      new Option(
        "--journal <file>",
        "append a JSON line before each call is sent and one with its outcome, with the before and after values it changes",
      ),
    )
    .addOption(
      new Option("--format <format>", "how to print the outcome (json: the apply report)")
        .choices(APPLY_FORMATS)
        .default("text"),
    )
    .addOption(
      new Option(
        "--batch-size <n>",
        "items per source-item or link call (not with a saved plan, which records its own)",
      ).argParser(positiveInteger("--batch-size")),
    )
    .addOption(
      new Option(
        "--allow-negative",
        "consent to quantity changes since the base that would leave a quantity below 0 (orders sold more meanwhile)",
      ),
    )
    .addOption(
      new Option(
        "--rollback-out <file>",
        "write a saved plan that undoes this apply, before the first call and again as each call completes; " +
          "`inv apply <file>` applies it (never overwrites a file)",
      ),
    )
    .addOption(
      new Option(
        "--rollback-disable-created-sources",
        "with --rollback-out: the rollback also disables the sources this apply creates " +
          "(Magento cannot delete a source)",
      ),
    )
    .addOption(new Option("-q, --quiet", "no progress and no notices of the store's input limits on stderr"));
  addConnectionOptions(addSkipUnknownOption(addBaseOptions(command))).action(
    async (planFile: string | undefined, flags: ApplyFlags, self: Command) => {
      if (planFile !== undefined) checkSavedPlanArguments(planFile, self);
      const base = planFile === undefined ? baseOptionsOf(flags) : undefined;
      if (flags.journal) checkJournalWritable(resolve(context.io.cwd, flags.journal), flags.journal);
      if (flags.rollbackDisableCreatedSources && !flags.rollbackOut) {
        throw new ConfigurationError(
          "--rollback-disable-created-sources says what the rollback does, but no --rollback-out file was given. " +
            "Nothing was sent.",
          "Add --rollback-out FILE, or leave the flag out.",
        );
      }
      const rollbackPath = flags.rollbackOut ? resolve(context.io.cwd, flags.rollbackOut) : undefined;
      if (rollbackPath) checkRollbackTarget(rollbackPath, flags.rollbackOut!);
      let rollbackWritten: RollbackWritten | undefined;
      const progress = new ProgressLine(context.stderr, context.io.stderr.isTTY && !flags.quiet);
      // The call in flight when interrupted is given as long as any answer.
      const settleMs = (flags.timeout ?? DEFAULT_TIMEOUT_MS / 1000) * 1000;
      const interrupts = new ApplyInterrupts(context, progress, settleMs);
      const client = connect(flags, context.io, context.redactor, interrupts.signal);
      const view = applyView(flags.format, context, progress);
      const journalPath = flags.journal ? resolve(context.io.cwd, flags.journal) : undefined;
      const consent: ConsentOptions = {
        allowDestroy: flags.allowDestroy ?? false,
        allowUnchecked: flags.allowUnchecked ?? false,
        ...(flags.allowNegative ? { allowNegative: true } : {}),
        ...(flags.maxUnassign !== undefined ? { maxUnassign: flags.maxUnassign } : {}),
        ...(flags.maxUnitsRemoved !== undefined ? { maxUnitsRemoved: flags.maxUnitsRemoved } : {}),
        ...(flags.yes ? {} : { confirm: (plan: Plan) => interrupts.confirming(() => confirm(plan, context)) }),
        ...(journalPath
          ? {
              journal: (entry: JournalEntry) =>
                appendFileSync(journalPath, `${context.redactor.redact(JSON.stringify(entry))}\n`),
            }
          : {}),
        onApplyEvent: (event) => {
          interrupts.event(event);
          progress.apply(event);
          if (event.type === "rebatch" && !flags.quiet) {
            progress.done();
            context.stderr.write(`${rebatchNotice(event.call, event.max)}\n`);
          }
        },
        signal: interrupts.signal,
        settleMs,
        onPlan: (plan) => view.plan(plan),
        ...(rollbackPath
          ? {
              rollback: {
                path: rollbackPath,
                shown: flags.rollbackOut!,
                disableCreatedSources: flags.rollbackDisableCreatedSources ?? false,
                onWritten: (written) => {
                  rollbackWritten = written;
                },
              },
            }
          : {}),
      };
      const onNotice = (message: string) => {
        progress.done();
        context.stderr.write(`${message}\n`);
      };
      let outcome: ApplyOutcome;
      try {
        outcome = planFile
          ? await applySavedPlan({
              planFile: resolve(context.io.cwd, planFile),
              shownPlanFile: planFile,
              cwd: context.io.cwd,
              client,
              onNotice,
              ...consent,
            })
          : await apply({
              file: flags.file,
              cwd: context.io.cwd,
              client,
              ...(flags.batchSize ? { batchSize: flags.batchSize } : {}),
              onProgress: (p) => progress.read(p),
              ...(base ? { base } : {}),
              ...skipOptionsOf(flags),
              onNotice,
              ...consent,
            });
      } catch (error) {
        progress.done();
        view.failed(error);
        if (flags.rollbackOut) view.rollback(flags.rollbackOut, rollbackWritten);
        throw error;
      } finally {
        progress.done();
        interrupts.dispose();
        // After an interrupt, a request still in flight is not waited for.
        await (interrupts.interrupted ? client.destroy() : client.close());
      }
      view.outcome(outcome, planFile !== undefined ? "saved-plan" : "file");
      if (flags.rollbackOut) view.rollback(flags.rollbackOut, rollbackWritten);
      if (outcome.cancelled) context.exitCode = 1;
    },
  );
}

/** A saved plan is applied as it was made: flags that would plan differently are refused, not ignored. */
function checkSavedPlanArguments(planFile: string, command: Command): void {
  if (/\.ya?ml$/i.test(planFile)) {
    throw new ConfigurationError(
      `${planFile} is an inventory file, not a saved plan: inv apply takes a plan saved with \`inv plan --out\` as its argument.`,
      `To apply the inventory file, run \`inv apply -f ${planFile}\`.`,
    );
  }
  const given = PLANNING_FLAGS.filter((f) => command.getOptionValueSource(f.key) === "cli");
  if (given.length === 0) return;
  throw new ConfigurationError(
    `${given.map((f) => f.flag).join(" and ")} ${given.length === 1 ? "does" : "do"} not apply to a saved plan: ${given.map((f) => f.why).join("; ")}. Nothing was sent.`,
    `Run \`inv apply ${planFile}\` without ${given.length === 1 ? "it" : "them"}, or \`inv plan --out ${planFile}\` with ${given.length === 1 ? "it" : "them"} to make a new plan.`,
  );
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

/** Asks at a terminal; elsewhere consent must be given with --yes. */
async function confirm(plan: Plan, context: CommandContext): Promise<boolean> {
  if (!context.io.stdinIsTTY || !context.io.stderr.isTTY) {
    throw new SafetyError(
      "Not applied: inv apply asks before it changes the store, and there is no terminal to ask at " +
        "(stdin or stderr is not one). Nothing was written to the store.",
      [{ change: "the plan above", reason: `not confirmed (${summaryPhrase(planView(plan))})` }],
      "Review the plan, then run inv apply again with --yes, or at a terminal to be asked.",
    );
  }
  const answer = await context.io.prompt(`\nApply these changes to ${plan.store.url}? Only "yes" is accepted: `);
  // null: Ctrl-C or end of input at the prompt, which cancel as any other answer does.
  return answer !== null && answer.trim() === "yes";
}
