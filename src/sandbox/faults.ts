// Reproducible fault injection: one seeded PRNG, five draws per request in arrival order,
// so the same seed and the same request sequence give the same faults. Not Magento behaviour
// itself but what sits in front of it (gateways, proxies, flaky networks) and MySQL deadlocks,
// which MSI wraps as 400 "Could not save Source Item" (docs/magento/webapi-platform.md#exception-to-status,
// docs/magento/webapi-platform.md#concurrency-and-retries).

import type { SandboxFaults } from "./types.js";

/** mulberry32: small, fast, good enough for test fault schedules. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Drop = "before" | "after" | null;

export interface FaultDecision {
  readonly drop: Drop;
  /** 503 from a gateway. */
  readonly fail: boolean;
  /** 429 with Retry-After. */
  readonly throttle: boolean;
  /** Deadlock on POST source-items. */
  readonly deadlock: boolean;
}

export class FaultInjector {
  private readonly next: () => number;

  constructor(
    private readonly faults: SandboxFaults,
    seed: number,
  ) {
    this.next = prng(seed);
  }

  get retryAfterSeconds(): number {
    return this.faults.retryAfterSeconds ?? 1;
  }

  decide(): FaultDecision {
    const [d1, d2, d3, d4, d5] = [this.next(), this.next(), this.next(), this.next(), this.next()];
    const drop: Drop = d1 < (this.faults.dropRate ?? 0) ? (d2 < 0.5 ? "before" : "after") : null;
    return {
      drop,
      fail: drop === null && d3 < (this.faults.failRate ?? 0),
      throttle: drop === null && d4 < (this.faults.throttleRate ?? 0),
      deadlock: d5 < (this.faults.deadlockRate ?? 0),
    };
  }
}
