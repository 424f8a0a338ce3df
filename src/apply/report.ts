// What an apply did, call by call: done, failed, or not attempted. The same report is
// printed for people, written as JSON for machines, and carried by PartialApplyError.

import { InterruptedError, InvError, type ErrorCode } from "../errors.js";
import { plural } from "../words.js";

export type CallStatus = "done" | "failed" | "not-attempted";

export interface CallOutcome {
  readonly id: number;
  readonly method: string;
  readonly path: string;
  readonly description: string;
  readonly status: CallStatus;
  /** HTTP requests sent for this call: more than one after retries or re-batching. */
  readonly requests: number;
  readonly error?: string;
  /** A failed call an interrupt cut short before Magento answered: it may have been done. */
  readonly maybe_done?: true;
}

export interface ApplyReport {
  readonly outcomes: readonly CallOutcome[];
  readonly done: number;
  readonly failed: number;
  readonly not_attempted: number;
  /** Ids Magento gave the stocks this apply created. */
  readonly created_stock_ids: Readonly<Record<string, number>>;
}

export function buildReport(
  outcomes: readonly CallOutcome[],
  createdStockIds: ReadonlyMap<string, number>,
): ApplyReport {
  const count = (status: CallStatus) => outcomes.filter((o) => o.status === status).length;
  return {
    outcomes,
    done: count("done"),
    failed: count("failed"),
    not_attempted: count("not-attempted"),
    created_stock_ids: Object.fromEntries(createdStockIds),
  };
}

export function describeReport(report: ApplyReport): string {
  const lines = [`Calls done: ${report.done}, failed: ${report.failed}, not attempted: ${report.not_attempted}.`];
  for (const outcome of report.outcomes) {
    const symbol =
      outcome.status === "done"
        ? "done  "
        : outcome.maybe_done
          ? "MAYBE "
          : outcome.status === "failed"
            ? "FAILED"
            : "skipped";
    lines.push(
      `  ${symbol} ${outcome.id}. ${outcome.method} ${outcome.path}  ${outcome.description}${outcome.error ? `\n           ${outcome.error.split("\n").join("\n           ")}` : ""}`,
    );
  }
  return lines.join("\n");
}

/**
 * A call failed during apply. When calls were done before it, the store is between the old
 * state and the file (exit 5); when none were, it fails like the call itself.
 */
export class PartialApplyError extends InvError {
  readonly code: ErrorCode;

  constructor(
    readonly report: ApplyReport,
    override readonly cause: Error,
  ) {
    const interrupted = cause instanceof InterruptedError;
    super(
      `Apply stopped after ${report.done} of ${plural(report.outcomes.length, "call")}: ${cause.message}\n${describeReport(report)}`,
      interrupted
        ? "No call was started after the interrupt. Run `inv plan` to see what is left; `inv apply` again plans from the store as it is now, so it converges."
        : cause instanceof InvError && cause.hint
          ? `${cause.hint} Nothing after the failed call was sent; once fixed, run \`inv apply\` again: it plans from the store as it is now, so it converges.`
          : "Nothing after the failed call was sent. Fix the cause and run `inv apply` again: it plans from the store as it is now, so it converges.",
    );
    // Something was (or may have been) written: the store is between the old state and the file.
    const written = report.done > 0 || report.outcomes.some((o) => o.maybe_done);
    this.code = written ? "partial-apply" : cause instanceof InvError ? cause.code : "magento-api";
  }
}
