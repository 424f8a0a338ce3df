// Ctrl-C and SIGTERM during `inv apply`, sent to a real `inv` process applying to a slow
// sandbox at a few seeded points: the call in flight settles and is journalled, the report of
// calls done, failed and not attempted is printed, the exit code says whether anything was
// done, and the journal holds every write the store accepted, as the store shows. A second
// signal stops at once; the journal still has the call it left in flight. At the prompt, the
// apply is cancelled.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnInv } from "../helpers/built-cli.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";

const LATENCY_MS = 100;

// 3 source saves, a stock, 2 link saves, its channels, 4 source-item saves and 2 unassignments (batches of 2): 13
// calls.
const FILE = `version: 1
sources:
  a_wh: { name: A, country_id: US, postcode: "10001" }
  b_wh: { name: B, country_id: US, postcode: "10002" }
  c_wh: { name: C, country_id: US, postcode: "10003" }
stocks:
  US Stock:
    sales_channels: { website: [base] }
    sources: [a_wh, b_wh, c_wh]
products:
  24-WB01: { a_wh: 1, b_wh: 2 }
  24-WB03: { a_wh: 3, c_wh: 4 }
  24-MB01: { default: 5, b_wh: 6 }
  24-MB04: { c_wh: 7 }
`;
const CALLS = 13;

interface JournalLine {
  readonly call: number;
  readonly outcome: "sending" | "done" | "failed" | "unknown";
  readonly changes: readonly { readonly change: string; readonly before: unknown; readonly after: unknown }[];
}

function journalOf(dir: string): JournalLine[] {
  const path = join(dir, "journal.jsonl");
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as JournalLine);
}

/** Writes the store accepted: every write request it received (no faults are injected, so each is answered 200). */
function acceptedWrites(handle: SandboxHandle): number {
  return Object.entries(handle.sandbox.stats.byRoute)
    .filter(([route]) => !route.startsWith("GET"))
    .reduce((sum, [, n]) => sum + n, 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(5);
  }
}

/** mulberry32: the kill points are random, and the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Every source item a journalled call changed holds its `after` when the call is done, and
 * its `before` when the call was never sent: the journal and the store tell the same story.
 */
function expectStoreAsJournalled(handle: SandboxHandle, lines: readonly JournalLine[]): void {
  const items = handle.sandbox.store.snapshot().source_items;
  const itemAt = (address: string) => {
    const match = /^source item (\S+) @ (\S+)$/.exec(address);
    if (!match) return undefined;
    const item = items.find((i) => i.sku === match[1] && i.source_code === match[2]);
    return item ? { quantity: item.quantity, status: item.status === 1 ? "in_stock" : "out_of_stock" } : null;
  };
  for (const line of lines.filter((l) => l.outcome === "done"))
    for (const change of line.changes) {
      const now = itemAt(change.change);
      if (now !== undefined) expect(now, change.change).toEqual(change.after);
    }
}

interface Run {
  readonly code: number;
  readonly stderr: string;
  readonly lines: readonly JournalLine[];
}

/**
 * `inv apply` against a fresh slow sandbox, with `signals` sent once `sent` calls have gone out and `offsetMs` later.
 */
async function interruptedApply(
  handle: SandboxHandle,
  at: { readonly sent: number; readonly offsetMs: number },
  signals: readonly NodeJS.Signals[],
): Promise<Run & { dir: string }> {
  const dir = workspace({ "inventory.yaml": FILE });
  const inv = spawnInv(["apply", "--yes", "--allow-destroy", "--batch-size", "2", "--journal", "journal.jsonl"], {
    cwd: dir,
    env: handle.env,
  });
  const running = { exited: false };
  void inv.exited.then(() => (running.exited = true));
  await until(
    () =>
      running.exited ||
      (at.sent === 0
        ? handle.sandbox.stats.requests > 0
        : journalOf(dir).filter((l) => l.outcome === "sending").length >= at.sent),
  );
  await sleep(at.offsetMs);
  for (const [i, signal] of signals.entries()) {
    // Signals of one kind that arrive together are delivered once.
    if (i > 0) await sleep(30);
    inv.child.kill(signal);
  }
  const code = await inv.exited;
  return { code, stderr: inv.stderr(), lines: journalOf(dir), dir };
}

describe("an interrupt during inv apply", () => {
  const next = random(2);
  const points = Array.from({ length: 3 }, (_, i) => ({
    sent: 1 + Math.floor(next() * (CALLS - 1)),
    offsetMs: Math.floor(next() * LATENCY_MS * 1.5),
    signal: (i % 2 === 0 ? "SIGINT" : "SIGTERM") as NodeJS.Signals,
  }));

  for (const point of points) {
    it(`${point.signal} after ${point.sent} calls sent (+${point.offsetMs} ms): the call in flight settles, the report is printed, the journal holds every accepted write`, async () => {
      const handle = await openSandbox({ latencyMs: LATENCY_MS });
      try {
        const run = await interruptedApply(handle, point, [point.signal]);
        const sending = run.lines.filter((l) => l.outcome === "sending");
        const settled = run.lines.filter((l) => l.outcome !== "sending");
        const done = settled.filter((l) => l.outcome === "done").length;
        // Every call sent was let finish and journalled with its outcome.
        expect(settled.map((l) => l.call)).toEqual(sending.map((l) => l.call));
        expect(settled.every((l) => l.outcome === "done")).toBe(true);
        // The store took exactly the journalled writes: none lost, none extra.
        expect(acceptedWrites(handle)).toBe(done);
        expect(done).toBeGreaterThanOrEqual(point.sent);
        expectStoreAsJournalled(handle, run.lines);
        if (done === CALLS) {
          // The signal came after the last call: the apply verifies and is complete.
          expect([0, 5]).toContain(run.code);
        } else {
          expect(run.code).toBe(5);
          expect(run.stderr).toContain(`inv: interrupted (${point.signal})`);
          expect(run.stderr).toContain(`Apply stopped after ${done} of ${CALLS} calls: interrupted (${point.signal}).`);
          expect(run.stderr).toContain(`Calls done: ${done}, failed: 0, not attempted: ${CALLS - done}.`);
          expect(run.stderr).toContain("Run `inv plan` to see what is left");
          expect(run.stderr).not.toContain("unexpected error");
        }
        // Applying again converges from wherever it stopped.
        const again = await runInv(["apply", "--yes", "--allow-destroy"], { env: handle.env, cwd: run.dir });
        expect(again.code, again.stderr).toBe(0);
      } finally {
        await handle.sandbox.close();
      }
    });
  }

  it("before anything is written, exits 130 for SIGINT and 143 for SIGTERM, saying so", async () => {
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      const handle = await openSandbox({ latencyMs: LATENCY_MS });
      try {
        const run = await interruptedApply(handle, { sent: 0, offsetMs: 20 }, [signal]);
        expect(run.code).toBe(code);
        expect(run.stderr).toContain(`inv: interrupted (${signal}); nothing was written to the store.`);
        expect(run.lines).toEqual([]);
        await sleep(LATENCY_MS * 2);
        expect(acceptedWrites(handle)).toBe(0);
      } finally {
        await handle.sandbox.close();
      }
    }
  });

  it("a second signal stops at once; the journal still has the call left in flight, which the store took", async () => {
    const handle = await openSandbox({ latencyMs: LATENCY_MS * 3 });
    try {
      const run = await interruptedApply(handle, { sent: 4, offsetMs: 10 }, ["SIGINT", "SIGINT"]);
      expect(run.code).toBe(5);
      expect(run.stderr).toContain("inv: interrupted again (SIGINT): stopped at once. Call 4 (");
      const sending = run.lines.filter((l) => l.outcome === "sending").map((l) => l.call);
      const settled = run.lines.filter((l) => l.outcome !== "sending").map((l) => l.call);
      expect(sending).toEqual([1, 2, 3, 4]);
      expect(settled).toEqual([1, 2, 3]);
      // The abandoned request still reaches the store: the journal has it, as sent.
      await until(() => acceptedWrites(handle) === 4);
      await sleep(LATENCY_MS * 4);
      expect(acceptedWrites(handle)).toBe(sending.length);
    } finally {
      await handle.sandbox.close();
    }
  });
});

describe("an interrupt at the confirmation prompt", () => {
  it("cancels with exit 1 and says nothing was written, for Ctrl-C at the prompt and for a signal", async () => {
    const handle = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const requests = () => acceptedWrites(handle);
      const ctrlC = await runInv(["apply", "--allow-destroy"], {
        env: handle.env,
        cwd: dir,
        tty: true,
        answers: [null],
      });
      expect(ctrlC.code).toBe(1);
      expect(ctrlC.stderr).toContain("Cancelled; nothing was written to the store.");
      expect(ctrlC.stderr).not.toContain("unexpected error");
      const signalled = await runInv(["apply", "--allow-destroy"], {
        env: handle.env,
        cwd: dir,
        tty: true,
        signalAtPrompt: "SIGTERM",
      });
      expect(signalled.code).toBe(1);
      expect(signalled.stderr).toContain("Cancelled; nothing was written to the store.");
      expect(requests()).toBe(0);
    } finally {
      await handle.sandbox.close();
    }
  });
});
