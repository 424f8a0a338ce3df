// inv plan: read the file and the store, print what apply would do.

import { Option, type Command } from "commander";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { plan } from "../../pipeline.js";
import { writePlanFile } from "../../plan/plan-file.js";
import { renderMarkdownDetails } from "../../render/render-markdown.js";
import { PLAN_FORMATS, renderPlan, type PlanFormat } from "../../render/render-plan.js";
import { addSkipUnknownOption, skipOptionsOf, type SkipFlags } from "../skip-option.js";
import { addBaseOptions, baseOptionsOf, type BaseFlags } from "../base-options.js";
import { addConnectionOptions, connect, positiveInteger, type ConnectionFlags } from "../connection.js";
import type { CommandContext } from "../program.js";
import { ProgressLine } from "../progress.js";

interface PlanFlags extends ConnectionFlags, BaseFlags, SkipFlags {
  readonly file: string;
  readonly format: PlanFormat;
  readonly out?: string;
  readonly outDetails?: string;
  readonly detailedExitcode?: boolean;
  readonly showPayloads?: boolean;
  readonly batchSize?: number;
  readonly quiet?: boolean;
}

export function registerPlan(program: Command, context: CommandContext): void {
  const command = program
    .command("plan")
    .description("show the REST calls that would make the store match the inventory file")
    .addOption(new Option("-f, --file <path>", "the inventory file").default("inventory.yaml"))
    .addOption(
      new Option("--format <format>", "output format (markdown: a pull-request comment, at most 60,000 characters)")
        .choices(PLAN_FORMATS)
        .default("text"),
    )
    .addOption(new Option("--out <file>", "also save the plan, to apply exactly it later with `inv apply <file>`"))
    .addOption(
      new Option(
        "--out-details <file>",
        "also write the whole plan as Markdown, every change listed (the markdown comment condenses large plans)",
      ),
    )
    .addOption(
      new Option(
        "--detailed-exitcode",
        "exit 0 when there are no changes, 2 when there are, 1 on error (3 for an invalid file)",
      ),
    )
    .addOption(
      new Option(
        "--show-payloads",
        "print the JSON body of every call (text; markdown folds each under its call, as does --out-details)",
      ),
    )
    .addOption(
      new Option(
        "--batch-size <n>",
        "items per source-item or link call (default: the store's limit as far as inv can tell, else 500)",
      ).argParser(positiveInteger("--batch-size")),
    )
    .addOption(new Option("-q, --quiet", "no progress and no notices of the store's input limits on stderr"));
  addConnectionOptions(addSkipUnknownOption(addBaseOptions(command))).action(async (flags: PlanFlags) => {
    const base = baseOptionsOf(flags);
    const client = connect(flags, context.io, context.redactor);
    const progress = new ProgressLine(context.stderr, context.io.stderr.isTTY && !flags.quiet);
    try {
      const { plan: result } = await plan({
        file: flags.file,
        cwd: context.io.cwd,
        client,
        ...(flags.batchSize ? { batchSize: flags.batchSize } : {}),
        onProgress: (p) => progress.read(p),
        ...(base ? { base } : {}),
        ...skipOptionsOf(flags),
        onNotice: (message) => {
          progress.done();
          context.stderr.write(`${message}\n`);
        },
      });
      progress.done();
      context.stdout.write(
        renderPlan(result, flags.format, {
          color: context.color,
          showPayloads: flags.showPayloads ?? false,
          ...(flags.outDetails !== undefined ? { detailsFile: flags.outDetails } : {}),
        }),
      );
      if (flags.outDetails)
        writeFileSync(
          resolve(context.io.cwd, flags.outDetails),
          context.redactor.redact(renderMarkdownDetails(result, { showPayloads: flags.showPayloads ?? false })),
        );
      if (flags.out) {
        writePlanFile(resolve(context.io.cwd, flags.out), result);
        if (flags.format === "text")
          context.stderr.write(`Saved the plan to ${flags.out}; apply exactly it with: inv apply ${flags.out}\n`);
      }
      if (flags.detailedExitcode && result.changes.length > 0) context.exitCode = 2;
    } finally {
      progress.done();
      await client.close();
    }
  });
}
