// When a failed call may be sent again (docs/magento/webapi-platform.md#concurrency-and-retries): network errors,
// timeouts, 429 (after its Retry-After), 502/503/504 for every call that is safe to
// repeat; Magento's deadlock signature (400 "Could not save Source Item") and masked
// 500s of the after-save reindex only for source-item saves, which are idempotent upserts.
// Never any other 4xx.

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
  | { readonly kind: "network"; readonly reason: string }
  | {
      readonly kind: "http";
      readonly status: number;
      readonly rawMessage: string;
      readonly retryAfterMs: number | undefined;
    };

export function isRetryable(failure: Failure, repeatable: Repeatable): boolean {
  if (repeatable === "never") return false;
  if (failure.kind === "network") return true;
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

/** Exponential backoff with full jitter, at least the server's Retry-After. */
export function retryDelayMs(failure: Failure, attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(ceiling * (0.5 + random() / 2));
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

export function describeFailure(failure: Failure): string {
  return failure.kind === "network"
    ? failure.reason
    : `HTTP ${failure.status}${failure.rawMessage ? ` ${failure.rawMessage}` : ""}`;
}
