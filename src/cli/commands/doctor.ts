// inv doctor: checks that inv plan and inv apply can work on the store, without writing
// anything, and says what to change where they cannot. Exit 0 when all is there, else 1.

import { Option, type Command } from "commander";
import { renderDoctor, type DoctorFormat } from "../../doctor/render-doctor.js";
import { runDoctor } from "../../doctor/run-doctor.js";
import { DEFAULT_BATCH_SIZE } from "../../pipeline.js";
import { addConnectionOptions, connect, positiveInteger, type ConnectionFlags } from "../connection.js";
import type { CommandContext } from "../program.js";

interface DoctorFlags extends ConnectionFlags {
  readonly format: DoctorFormat;
  readonly batchSize?: number;
}

export function registerDoctor(program: Command, context: CommandContext): void {
  const command = program
    .command("doctor")
    .description(
      "check that inv plan and inv apply can work on the store: its REST API, the MSI routes, the credentials, every ACL resource inv uses (proven without writing anything), two-factor login and input limits",
    )
    .addOption(
      new Option("--format <format>", "output format (json: the report, for CI)")
        .choices(["text", "json"])
        .default("text"),
    )
    .addOption(
      new Option(
        "--batch-size <n>",
        `array size to check the store accepts (default ${DEFAULT_BATCH_SIZE}, as inv apply sends)`,
      ).argParser(positiveInteger("--batch-size")),
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 when everything inv plan and inv apply need is there (warnings allowed), 1 when a check fails.\n",
    );
  addConnectionOptions(command).action(async (flags: DoctorFlags) => {
    const client = connect(flags, context.io, context.redactor);
    try {
      const report = await runDoctor({ client, batchSize: flags.batchSize ?? DEFAULT_BATCH_SIZE });
      context.stdout.write(renderDoctor(report, flags.format, { color: context.color }));
      context.exitCode = report.ok ? 0 : 1;
    } finally {
      await client.close();
    }
  });
}
