// Errors are values with a kind. Each kind has a stable code and one exit code, kept in
// the one table below, so a new error cannot ship without one.

import { STATUS_CODES } from "node:http";
import type { Origin } from "./model.js";

export type ErrorCode =
  | "inventory-file"
  | "magento-api"
  | "connection"
  | "configuration"
  | "stale-plan"
  | "partial-apply"
  | "safety"
  | "plan-file"
  | "interrupted"
  | "terminated";

/** DESIGN.md "Exit codes". 2 (changes present) is not an error and lives in the CLI. */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  "inventory-file": 3,
  "magento-api": 1,
  connection: 1,
  configuration: 1,
  "stale-plan": 4,
  "partial-apply": 5,
  safety: 6,
  "plan-file": 1,
  // 128 + the signal's number, as a shell reports a process a signal ended (SIGINT 2, SIGTERM 15).
  interrupted: 130,
  terminated: 143,
};

export abstract class InvError extends Error {
  abstract readonly code: ErrorCode;
  /** What to do next, in one sentence. */
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
}

/** One problem in an inventory file, with where it is. */
export interface Problem {
  readonly origin: Origin;
  readonly message: string;
  /** A stable rule name, e.g. `schema`, `unknown-source`, `default-stock`. */
  readonly rule: string;
}

export function formatOrigin(origin: Origin): string {
  return origin.line > 0 ? `${origin.file}:${origin.line}:${origin.column}` : origin.file;
}

export function formatProblem(problem: Problem): string {
  return `${formatOrigin(problem.origin)} ${problem.message}`;
}

export class InventoryFileError extends InvError {
  readonly code = "inventory-file" as const;
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const count = problems.length;
    super(
      `${count} problem${count === 1 ? "" : "s"} in the inventory file:\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join("\n"),
      "Nothing was written to the store. Fix the file and run the command again.",
    );
    this.problems = problems;
  }
}

/** A call the client made. Never carries credentials or a query string. */
export interface CallName {
  readonly method: string;
  /** The route after /rest/<store>/, with its ids as sent: `V1/inventory/stocks/3`. */
  readonly route: string;
  /** Where it went: scheme, host, port and path, store code included (`https://shop.example/rest/all/V1/...`). */
  readonly url: string;
}

/** `HTTP 503 Service Unavailable`: the status with its reason phrase (RFC 9110), by number when it has none. */
export function httpStatus(status: number): string {
  const phrase = STATUS_CODES[status];
  return phrase ? `HTTP ${status} ${phrase}` : `HTTP ${status}`;
}

/** What answered a call: Magento's REST API, or something in its place. */
export type Answer =
  | { readonly kind: "magento" }
  /** An HTML page: a web server, proxy or firewall answered, not Magento's REST API. */
  | { readonly kind: "html" }
  | { readonly kind: "redirect"; readonly location: string | undefined }
  /** Text that is neither JSON nor HTML (PHP's own fatal-error text, an empty body). */
  | { readonly kind: "text" };

const MAGENTO: Answer = { kind: "magento" };

/** An HTTP answer other than success. `magentoMessage` is Magento's message, or the page's title or text. */
export class MagentoApiError extends InvError {
  readonly code = "magento-api" as const;

  constructor(
    readonly call: CallName,
    readonly status: number,
    /** Magento's message with `%1` / `%name` placeholders filled from `parameters`. */
    readonly magentoMessage: string,
    /** The `errors` list, each filled in the same way. */
    readonly details: readonly string[],
    hint?: string,
    readonly answer: Answer = MAGENTO,
  ) {
    super(describeAnswer(call, status, magentoMessage, details, answer), hint);
  }
}

function describeAnswer(
  call: CallName,
  status: number,
  message: string,
  details: readonly string[],
  answer: Answer,
): string {
  const where = `${call.method} ${call.url}`;
  switch (answer.kind) {
    case "redirect":
      return answer.location === undefined
        ? `${where} was redirected (${httpStatus(status)}) without a Location to go to.`
        : `${where} was redirected (${httpStatus(status)}) to ${answer.location}.`;
    case "html": {
      const page = message === "" ? "an HTML page" : `an HTML page (${JSON.stringify(message)})`;
      return `${where} ${verbFor(status)} ${httpStatus(status)}: the server answered with ${page}, not Magento's REST API.`;
    }
    case "magento":
    case "text": {
      if (message === "") return `${where} ${verbFor(status)} ${httpStatus(status)} and an empty body.`;
      const detailText = details.length > 0 ? `\n${details.map((d) => `  - ${d}`).join("\n")}` : "";
      return `${where} ${verbFor(status)} ${httpStatus(status)}: ${message}${detailText}`;
    }
  }
}

/** A 2xx that is no answer (an HTML page, not JSON) did not fail at HTTP level; it answered wrongly. */
function verbFor(status: number): string {
  return status >= 200 && status < 300 ? "answered" : "failed with";
}

/** No HTTP answer at all: the connection failed, was closed, or timed out. */
export class ConnectionError extends InvError {
  readonly code = "connection" as const;

  constructor(
    readonly call: CallName,
    /** What happened, and for failures that need no hint, what to do: one line. */
    readonly reason: string,
    hint?: string,
  ) {
    super(`${call.method} ${call.url} could not reach the store: ${reason}`, hint);
  }
}

export class ConfigurationError extends InvError {
  readonly code = "configuration" as const;
}

export class PlanFileError extends InvError {
  readonly code = "plan-file" as const;
}

/**
 * The operator asked inv to stop (Ctrl-C, or a pipeline cancelling the job). The CLI makes
 * one from the signal and hands it to the core as an AbortSignal's reason; an apply then
 * stops after the call in flight (PartialApplyError, exit 5, when calls were done).
 */
export class InterruptedError extends InvError {
  readonly code: "interrupted" | "terminated";

  constructor(readonly signal: "SIGINT" | "SIGTERM") {
    super(`interrupted (${signal}).`, "Run `inv plan` to see what is left to do; `inv apply` again converges.");
    this.code = signal === "SIGINT" ? "interrupted" : "terminated";
  }
}

/** A record a saved plan was computed from, and how it changed since. */
export interface StaleRecord {
  readonly record: string;
  readonly planned: string;
  readonly now: string;
}

/** A saved plan that was applied already: applied again, its quantity changes would count twice. */
export class PlanAppliedError extends InvError {
  readonly code = "stale-plan" as const;
}

export class StalePlanError extends InvError {
  readonly code = "stale-plan" as const;

  constructor(
    readonly changed: readonly StaleRecord[],
    hint = "Nothing was applied. Run `inv plan` again, review the new plan, and apply that.",
  ) {
    super(
      `The saved plan is stale: ${changed.length} ` +
        `record${changed.length === 1 ? "" : "s"} changed in the store since it was made:\n` +
        changed.map((c) => `  ${c.record}: planned from ${c.planned}, now ${c.now}`).join("\n"),
      hint,
    );
  }
}

export interface RefusedChange {
  readonly change: string;
  readonly reason: string;
}

export class SafetyError extends InvError {
  readonly code = "safety" as const;

  constructor(
    summary: string,
    readonly refused: readonly RefusedChange[],
    hint: string,
  ) {
    const shown = refused.slice(0, 50);
    const more = refused.length > shown.length ? `\n  ... and ${refused.length - shown.length} more` : "";
    super(`${summary}\n${shown.map((r) => `  ${r.change}: ${r.reason}`).join("\n")}${more}`, hint);
  }
}
