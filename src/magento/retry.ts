// When a failed call may be sent again (docs/magento/webapi-platform.md#concurrency-and-retries): network errors that
// may pass (transport.ts says which), timeouts, 429 (after its Retry-After), 502/503/504 for every call that is safe to
// repeat; Magento's deadlock signature (400 "Could not save Source Item") and masked
// 500s of the after-save reindex only for source-item saves, which are idempotent upserts.
// Never any other 4xx.

import { httpStatus } from "../errors.js";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After beyond this is not waited for; the call fails instead. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 120_000,
};

/** What a call may be retried on; chosen per route by the caller. */
export type Repeatable =
  /** Reads and idempotent writes: transient failures only. */
  | "transient"
  /** Source-item saves: also Magento's wrapped deadlocks and masked reindex 500s. */
  | "source-item-save"
  /**
   * Not safe to send twice blindly (creating a stock, a bulk transfer): after a failure whose
   * outcome is unknown, resent only once the caller has read the store and found it not done.
   */
  | "checked"
  /** Never sent twice. */
  | "never";

export type Failure =
  /** No answer; `transient` says whether the kind of failure is worth another try (transport.ts). */
  | { readonly kind: "network"; readonly reason: string; readonly transient: boolean }
  | {
      readonly kind: "http";
      readonly status: number;
      readonly rawMessage: string;
      readonly retryAfterMs: number | undefined;
      /** Who answered, and what it said (decode-error.ts), for the retry line. */
      readonly answer?: "magento" | "html" | "text";
      readonly message?: string;
    };

export function isRetryable(failure: Failure, repeatable: Repeatable): boolean {
  if (repeatable === "never") return false;
  if (failure.kind === "network") return failure.transient;
  const { status, rawMessage } = failure;
  if (status === 429 || status === 502 || status === 503 || status === 504) return true;
  // A masked 500 may come after the write committed (an after-save plugin failed); checked
  // writes look before sending again.
  if (repeatable === "checked") return status === 500;
  if (repeatable === "source-item-save") {
    // Magento: magento/inventory:Inventory/Model/SourceItem/Command/Handler/SourceItemsSaveHandler.php wraps
    // deadlocks and lock timeouts in CouldNotSaveException -> 400.
    if (status === 400 && rawMessage === "Could not save Source Item") return true;
    if (status === 500) return true;
  }
  return false;
}

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): sleep = random(0, min(cap, base * 2^n)), n counting from 0 at the first retry.
 * Spreading each wait over the whole interval keeps clients that failed together from
 * retrying together. A server's Retry-After is waited for at least.
 */
export function retryDelayMs(failure: Failure, attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // `random` is in [0, 1), like Math.random; clamped so an injected source cannot leave the interval.
  const jittered = Math.round(ceiling * Math.min(1, Math.max(0, random())));
  const retryAfter = failure.kind === "http" ? failure.retryAfterMs : undefined;
  return retryAfter !== undefined ? Math.max(retryAfter, Math.min(jittered, 1000)) : jittered;
}

/** Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The failure in a clause for the retry line: `HTTP 503 Service Unavailable (an HTML page)`. */
export function describeFailure(failure: Failure): string {
  if (failure.kind === "network") return failure.reason;
  const status = httpStatus(failure.status);
  const message = failure.message ?? failure.rawMessage;
  if (failure.answer === "html") return `${status}, an HTML page`;
  // A message that only repeats the status (429 "Too Many Requests") is left out.
  if (message === "" || status.endsWith(` ${message}`)) return status;
  return `${status}: ${message}`;
}
