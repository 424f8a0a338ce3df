// --concurrency is a hard limit: however requests arrive, no more than that many are in
// flight at the store at once. A freed slot goes straight to the request that waited longest,
// so one arriving between the release and the waiter waking cannot take it as well.

import type { Dispatcher } from "undici";
import { describe, expect, it } from "vitest";
import { BearerAuth } from "../../src/magento/auth.js";
import { MagentoClient } from "../../src/magento/client.js";
import { RequestSlots } from "../../src/magento/pool.js";

/** A store that answers every request it holds at once when told to, and counts what is in flight. */
function burstyStore() {
  const held: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let requests = 0;
  const dispatcher = {
    request(): Promise<Dispatcher.ResponseData> {
      requests++;
      const steps = (requests * 7) % 5;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise((resolve) => {
        held.push(() => {
          inFlight--;
          resolve({
            statusCode: 200,
            headers: { "content-type": "application/json" },
            body: {
              // Bodies take different numbers of steps to read, so requests finish out of step.
              text: async () => {
                for (let i = 0; i < steps; i++) await Promise.resolve();
                return '{"items":[],"total_count":0}';
              },
            },
          } as unknown as Dispatcher.ResponseData);
        });
      });
    },
    close: async () => {},
  } as unknown as Dispatcher;
  return {
    dispatcher,
    /** Answers every request held now, in one go: a burst of completions. */
    answerAll(): number {
      const now = held.splice(0);
      for (const answer of now) answer();
      return now.length;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get requests() {
      return requests;
    },
  };
}

describe("request slots", () => {
  it("a request arriving between a release and the waiter waking does not get a slot too", async () => {
    const slots = new RequestSlots(1);
    let inFlight = 0;
    let max = 0;
    const task = async () => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
    };
    let firstTask: Promise<void> | undefined;
    const first = slots.run(() => (firstTask = task()));
    const waiter = slots.run(task);
    // Runs right after the first task's slot is released (the slot's own reaction to the task
    // comes first), before the waiter has resumed.
    const late = firstTask!.then(() => slots.run(task));
    await Promise.all([first, waiter, late]);
    expect(max).toBe(1);
    expect(slots.inUse).toBe(0);
  });

  it("a task that fails still hands its slot on", async () => {
    const slots = new RequestSlots(1);
    const failing = slots.run(async () => {
      throw new Error("boom");
    });
    const next = slots.run(async () => "ran");
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ran");
    expect(slots.inUse).toBe(0);
  });
});

describe("the client under a burst", () => {
  it("never has more requests in flight than --concurrency", async () => {
    const store = burstyStore();
    const client = new MagentoClient({
      baseUrl: "http://127.0.0.1:8080",
      auth: new BearerAuth("burst-token-0123"),
      concurrency: 4,
      dispatcher: store.dispatcher,
    });
    // Twelve workers, each sending its next read as soon as the last one is answered, and
    // the store answering everything it holds at once.
    const worker = async () => {
      for (let i = 0; i < 6; i++) await client.get("V1/inventory/sources", "searchCriteria[pageSize]=1");
    };
    const done = Promise.all(Array.from({ length: 12 }, worker));
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      store.answerAll();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    expect(store.requests).toBe(72);
    expect(store.maxInFlight).toBe(4);
  });
});
