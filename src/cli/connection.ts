// The store connection from flags and environment: --url / MAGENTO_URL, --store /
// MAGENTO_STORE, credentials from the environment only.

import { Option, type Command } from "commander";
import { ConfigurationError, httpStatus } from "../errors.js";
import { authFromEnvironment, CREDENTIAL_VARIABLES, type AuthEnvironment } from "../magento/auth.js";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_PAGE_SIZE,
  DEFAULT_TIMEOUT_MS,
  MagentoClient,
  type ClientEvent,
} from "../magento/client.js";
import type { Io } from "./io.js";
import type { Redactor } from "./redact.js";

export interface ConnectionFlags {
  readonly url?: string;
  readonly store?: string;
  readonly concurrency?: number;
  readonly timeout?: number;
  readonly pageSize?: number;
  readonly allowHttp?: boolean;
  readonly verbose?: boolean;
  /** `-q` (plan, apply, export): no progress and no input-limit notices on stderr. */
  readonly quiet?: boolean;
}

export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option("--url <url>", "the store's base URL, without /rest (env MAGENTO_URL)"))
    .addOption(new Option("--store <code>", "REST store code (env MAGENTO_STORE, default all)"))
    .addOption(
      new Option(
        "--concurrency <n>",
        `requests in flight at once while reading (default ${DEFAULT_CONCURRENCY})`,
      ).argParser(positiveInteger("--concurrency")),
    )
    .addOption(
      new Option(
        "--page-size <n>",
        `rows per page to ask for; lowered to the store's maximum when it has input limits (default ${DEFAULT_PAGE_SIZE})`,
      ).argParser(positiveInteger("--page-size")),
    )
    .addOption(
      new Option(
        "--timeout <seconds>",
        `seconds to wait for each answer (default ${DEFAULT_TIMEOUT_MS / 1000})`,
      ).argParser(positiveInteger("--timeout")),
    )
    .addOption(new Option("--allow-http", "allow plain http:// to a host other than loopback"))
    .addOption(
      new Option("-v, --verbose", "log every request to stderr: method, URL with store code and query, status, time"),
    );
}

export function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new ConfigurationError(`${flag} takes a whole number of 1 or more, not "${value}".`);
    return n;
  };
}

export function nonNegativeNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0)
      throw new ConfigurationError(`${flag} takes a number of 0 or more, not "${value}".`);
    return n;
  };
}

/**
 * The client for the flags and environment. With `signal`, a retry the client is waiting to
 * make is not made once it is aborted: the wait ends in the signal's reason.
 */
export function connect(flags: ConnectionFlags, io: Io, redactor: Redactor, signal?: AbortSignal): MagentoClient {
  const url = flags.url ?? io.env["MAGENTO_URL"];
  if (!url) {
    throw new ConfigurationError(
      "No store: pass --url or set MAGENTO_URL to the store's base URL (without /rest).",
      "Try `inv sandbox` for a local store to run against.",
    );
  }
  const env: AuthEnvironment = Object.fromEntries(CREDENTIAL_VARIABLES.map((name) => [name, io.env[name]]));
  redactor.add(...CREDENTIAL_VARIABLES.filter((n) => n !== "MAGENTO_ADMIN_USERNAME").map((n) => io.env[n]));
  const verbose = flags.verbose ?? false;
  // Logged lines pass through the redactor like every other line.
  const stderr = redactor.wrap(io.stderr);
  const client = new MagentoClient({
    baseUrl: url,
    storeCode: flags.store ?? io.env["MAGENTO_STORE"] ?? "all",
    auth: (request) => authFromEnvironment(env, request),
    concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY,
    timeoutMs: (flags.timeout ?? DEFAULT_TIMEOUT_MS / 1000) * 1000,
    pageSize: flags.pageSize ?? DEFAULT_PAGE_SIZE,
    allowHttp: flags.allowHttp ?? false,
    onEvent: (event) =>
      logEvent(event, { verbose, quiet: flags.quiet ?? false }, stderr, () => redactor.add(...client.auth.secrets())),
    ...(signal ? { sleep: (ms: number) => interruptibleSleep(ms, signal) } : {}),
  });
  redactor.add(...client.auth.secrets());
  return client;
}

/**
 * Retries and limit changes are worth a line (limit changes not with -q, which asks for
 * quiet: inv adapts to them on its own); with --verbose, every request too: method, URL (host
 * and store code), query, status, time. Never credentials: they travel in headers, and every
 * line passes through the redactor.
 */
function logEvent(
  event: ClientEvent,
  { verbose, quiet }: { readonly verbose: boolean; readonly quiet: boolean },
  stderr: Io["stderr"],
  refreshSecrets: () => void,
): void {
  refreshSecrets();
  switch (event.type) {
    case "retry":
      stderr.write(
        `inv: ${event.method} ${event.url} failed (${event.reason}); retry ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)} s\n`,
      );
      return;
    case "page-size":
      if (quiet) return;
      stderr.write(`inv: the store allows at most ${event.to} rows per page (input limits on); reading at that size\n`);
      return;
    case "relogin":
      stderr.write(`inv: the admin token was refused on ${event.method} ${event.url}; logging in again\n`);
      return;
    case "response":
      if (verbose)
        stderr.write(
          `inv: ${event.method} ${withQuery(event.url, event.query)} -> ${httpStatus(event.status)} in ${event.ms} ms (${event.bytes} bytes)\n`,
        );
      return;
    case "no-answer":
      if (verbose)
        stderr.write(
          `inv: ${event.method} ${withQuery(event.url, event.query)} -> ${event.reason} after ${event.ms} ms\n`,
        );
      return;
  }
}

/** Brackets shown as brackets, so searchCriteria reads; `&`, `=` and `%` in values stay encoded. */
function withQuery(url: string, query: string): string {
  return query === "" ? url : `${url}?${query.replace(/%5B/gi, "[").replace(/%5D/gi, "]")}`;
}

function interruptibleSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
