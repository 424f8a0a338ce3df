// Runs tasks with at most `limit` of them in flight. Each read keeps only its own few
// requests queued at the client, so reads started later (the catalog after the source
// items) take turns with earlier ones instead of waiting behind a thousand pages.

export async function forEachPooled<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * At most `limit` tasks at once. A finished task hands its slot straight to the task that
 * waited longest, instead of freeing it and waking that task: a request arriving between the
 * two would otherwise see a free slot and take it too, one more than the limit.
 */
export class RequestSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Slots taken now, waiters that were handed one included. */
  get inUse(): number {
    return this.active;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    // The slot is counted for us by whoever hands it over.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
