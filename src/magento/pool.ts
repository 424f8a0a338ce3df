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
