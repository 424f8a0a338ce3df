// inv sandbox: a local emulation of Magento 2.4's MSI REST API, to try inv without a store.

import { Option, type Command } from "commander";
import { resolve } from "node:path";
import { SANDBOX_ACL_RESOURCES, startSandbox, type SandboxFaults, type SandboxOptions } from "../../sandbox/index.js";
import { nonNegativeNumber, positiveInteger } from "../connection.js";
import type { CommandContext } from "../program.js";

interface SandboxFlags {
  readonly port?: number;
  readonly state?: string;
  readonly inputLimits?: boolean;
  readonly latency?: number;
  readonly failRate?: number;
  readonly throttleRate?: number;
  readonly retryAfter?: number;
  readonly dropRate?: number;
  readonly deadlockRate?: number;
  readonly seed?: number;
  readonly token?: string;
  readonly twoFactor?: boolean;
  readonly integrationBearer?: boolean;
  readonly denyAcl?: readonly string[];
}

function rate(flag: string): (value: string) => number {
  const parse = nonNegativeNumber(flag);
  return (value) => Math.min(1, parse(value));
}

export function registerSandbox(program: Command, context: CommandContext): void {
  program
    .command("sandbox")
    .description("serve a local emulation of Magento 2.4's MSI REST API on 127.0.0.1, to try inv without a store")
    .addOption(new Option("--port <n>", "port to listen on (default: a free one)").argParser(positiveInteger("--port")))
    .addOption(new Option("--state <file>", "load the store from this JSON file and save every change to it"))
    .addOption(
      new Option(
        "--input-limits",
        "answer like a store with Magento's Web API input limits on (pages of 300, arrays of 20)",
      ),
    )
    .addOption(
      new Option("--latency <ms>", "add this many milliseconds to every answer").argParser(
        nonNegativeNumber("--latency"),
      ),
    )
    .addOption(new Option("--fail-rate <p>", "answer this share of requests with 503").argParser(rate("--fail-rate")))
    .addOption(
      new Option("--throttle-rate <p>", "answer this share of requests with 429 and Retry-After").argParser(
        rate("--throttle-rate"),
      ),
    )
    .addOption(
      new Option("--retry-after <seconds>", "the Retry-After of those 429s (default 1)").argParser(
        nonNegativeNumber("--retry-after"),
      ),
    )
    .addOption(
      new Option("--drop-rate <p>", "drop this share of connections, before or after doing the request").argParser(
        rate("--drop-rate"),
      ),
    )
    .addOption(
      new Option(
        "--deadlock-rate <p>",
        "fail this share of source-item saves the way Magento reports deadlocks",
      ).argParser(rate("--deadlock-rate")),
    )
    .addOption(
      new Option("--seed <n>", "seed for the faults, so a run can be repeated (default 1)").argParser(
        positiveInteger("--seed"),
      ),
    )
    .addOption(new Option("--token <token>", "use this bearer token instead of a random one"))
    .addOption(new Option("--two-factor", "require two-factor authentication for admin logins (Google Authenticator)"))
    .addOption(new Option("--integration-bearer", "accept the integration's access token as a bearer token"))
    .addOption(
      new Option(
        "--deny-acl <resource...>",
        "give the token, the admin user and the integration a role holding every ACL resource but these",
      ).choices(SANDBOX_ACL_RESOURCES),
    )
    .action(async (flags: SandboxFlags) => {
      const faults: SandboxFaults = {
        ...(flags.failRate !== undefined ? { failRate: flags.failRate } : {}),
        ...(flags.throttleRate !== undefined ? { throttleRate: flags.throttleRate } : {}),
        ...(flags.retryAfter !== undefined ? { retryAfterSeconds: flags.retryAfter } : {}),
        ...(flags.dropRate !== undefined ? { dropRate: flags.dropRate } : {}),
        ...(flags.deadlockRate !== undefined ? { deadlockRate: flags.deadlockRate } : {}),
      };
      // A role as Magento stores one: an explicit grant per resource, the denied ones left out.
      const role =
        flags.denyAcl === undefined ? undefined : SANDBOX_ACL_RESOURCES.filter((r) => !flags.denyAcl?.includes(r));
      const options: SandboxOptions = {
        ...(flags.port !== undefined ? { port: flags.port } : {}),
        ...(flags.state !== undefined ? { stateFile: resolve(context.io.cwd, flags.state) } : {}),
        ...(flags.inputLimits ? { inputLimits: true } : {}),
        ...(flags.latency !== undefined ? { latencyMs: flags.latency } : {}),
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
        faults,
        auth: {
          ...(flags.token !== undefined ? { token: flags.token } : {}),
          ...(role !== undefined ? { aclResources: role } : {}),
          admin: {
            ...(flags.twoFactor ? { twoFactor: true } : {}),
            ...(role !== undefined ? { aclResources: role } : {}),
          },
          integration: { ...(flags.integrationBearer ? { bearerAllowed: true } : {}) },
        },
      };
      const sandbox = await startSandbox(options);
      const { credentials } = sandbox;
      // The sandbox's own credentials are meant to be shown; they are not the operator's.
      const out = context.io.stdout;
      out.write(
        [
          `Magento MSI sandbox (emulating Magento 2.4) on ${sandbox.url}`,
          "",
          "Point inv at it:",
          `  export MAGENTO_URL=${sandbox.url}`,
          `  export MAGENTO_TOKEN=${sandbox.token}`,
          "",
          `Admin login (POST V1/integration/admin/token): ${credentials.adminUsername} / ${credentials.adminPassword}`,
          ...(credentials.otpSecret ? [`Two-factor: Google Authenticator secret ${credentials.otpSecret}`] : []),
          "OAuth 1.0a integration: consumer key " +
            `${credentials.consumerKey}, consumer secret ${credentials.consumerSecret},`,
          `  access token ${credentials.accessToken}, access token secret ${credentials.accessTokenSecret}`,
          flags.state
            ? `State: ${flags.state} (every change is saved)`
            : "State: in memory (a fresh store; --state FILE keeps it)",
          flags.inputLimits
            ? "Input limits: on (pageSize at most 300, arrays at most 20 items)"
            : "Input limits: off (Magento's default)",
          ...(flags.denyAcl ? [`Role: every ACL resource but ${flags.denyAcl.join(", ")}`] : []),
          "",
          "Press Ctrl-C to stop.",
          "",
        ].join("\n"),
      );
      await context.io.interrupted();
      await sandbox.close();
      context.stderr.write("Sandbox stopped.\n");
    });
}
