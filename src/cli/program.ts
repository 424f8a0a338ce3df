// The thin shell: flags in, core calls, errors to exit codes. No logic lives here.

import { Command, CommanderError } from "commander";
import { EXIT_CODES, InvError } from "../errors.js";
import { invVersion } from "../package-files.js";
import { registerApply } from "./commands/apply.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerExport } from "./commands/export.js";
import { registerGraph } from "./commands/graph.js";
import { registerPlan } from "./commands/plan.js";
import { registerSandbox } from "./commands/sandbox.js";
import { registerValidate } from "./commands/validate.js";
import type { Io, Output } from "./io.js";
import { Redactor } from "./redact.js";

/** What every command gets: redacted output streams and the exit code to report. */
export interface CommandContext {
  readonly io: Io;
  readonly stdout: Output;
  readonly stderr: Output;
  readonly redactor: Redactor;
  /** Colour on stdout, decided as picocolors decides it (colorOn). */
  readonly color: boolean;
  exitCode: number;
}

export const EXIT_CODE_HELP = `
Exit codes:
  0  success (with --detailed-exitcode: no changes)
  1  error (bad flags, connection, Magento refused a call, verification failed)
  2  changes present (plan with --detailed-exitcode)
  3  invalid inventory file (nothing was written to the store)
  4  stale saved plan (the store changed since the plan was made)
  5  partial apply (some calls were done, then one failed)
  6  blocked by a safety rule (destroying without --allow-destroy, limits, unchecked
     writes without --allow-unchecked, no --yes)
  130, 143  interrupted by SIGINT (Ctrl-C) or SIGTERM before anything was written

Environment:
  MAGENTO_URL                 the store's base URL, without /rest
  MAGENTO_STORE               REST store code (default all)
  MAGENTO_TOKEN               a bearer token (admin token, or integration token where allowed)
  MAGENTO_ADMIN_USERNAME, MAGENTO_ADMIN_PASSWORD
                              an admin login, exchanged for a token (V1/integration/admin/token)
  MAGENTO_ADMIN_OTP           the Google Authenticator code, on stores with two-factor auth
  MAGENTO_CONSUMER_KEY, MAGENTO_CONSUMER_SECRET, MAGENTO_ACCESS_TOKEN, MAGENTO_ACCESS_TOKEN_SECRET
                              an integration's OAuth 1.0a keys (signed with HMAC-SHA256)
  NO_COLOR                    no colours in the output
  FORCE_COLOR                 colours even when stdout is not a terminal (as picocolors reads it; so does CI)
  NODE_EXTRA_CA_CERTS         a PEM file of extra certificate authorities (private CAs)
`;

/**
 * picocolors' rules, read from the injected environment: a non-empty NO_COLOR turns colour
 * off (https://no-color.org); otherwise a non-empty FORCE_COLOR, CI, or a terminal whose TERM
 * is not "dumb" turns it on.
 */
export function colorOn(io: Pick<Io, "stdout" | "env">): boolean {
  if (io.env["NO_COLOR"]) return false;
  return Boolean(io.env["FORCE_COLOR"]) || Boolean(io.env["CI"]) || (io.stdout.isTTY && io.env["TERM"] !== "dumb");
}

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const redactor = new Redactor();
  const context: CommandContext = {
    io,
    stdout: redactor.wrap(io.stdout),
    stderr: redactor.wrap(io.stderr),
    redactor,
    color: colorOn(io),
    exitCode: 0,
  };
  const program = new Command("inv")
    .description(
      "Magento Multi-Source Inventory as code: plan and apply " +
        "sources, stocks, links and quantities from inventory.yaml.",
    )
    .version(invVersion(), "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", EXIT_CODE_HELP)
    .configureOutput({ writeOut: (s) => context.stdout.write(s), writeErr: (s) => context.stderr.write(s) })
    .exitOverride();
  program.configureHelp({ sortSubcommands: false });

  registerValidate(program, context);
  registerPlan(program, context);
  registerApply(program, context);
  registerGraph(program, context);
  registerExport(program, context);
  registerDoctor(program, context);
  registerSandbox(program, context);
  for (const command of program.commands) {
    command
      .exitOverride()
      .configureOutput({ writeOut: (s) => context.stdout.write(s), writeErr: (s) => context.stderr.write(s) });
  }

  try {
    await program.parseAsync([...argv], { from: "user" });
    return context.exitCode;
  } catch (error) {
    return reportError(error, context);
  }
}

export function reportError(error: unknown, context: CommandContext): number {
  if (error instanceof CommanderError) {
    // Help and version end in a CommanderError with exit code 0; usage errors with 1.
    return error.exitCode;
  }
  if (error instanceof InvError) {
    context.stderr.write(`inv: ${error.message}\n`);
    if (error.hint) context.stderr.write(`${error.hint}\n`);
    return EXIT_CODES[error.code];
  }
  const message = error instanceof Error ? error.message : String(error);
  context.stderr.write(`inv: unexpected error: ${message}\n`);
  if (context.io.env["INV_DEBUG"] && error instanceof Error && error.stack) context.stderr.write(`${error.stack}\n`);
  else context.stderr.write("This is a bug in inv; set INV_DEBUG=1 for details and report it.\n");
  return 1;
}
