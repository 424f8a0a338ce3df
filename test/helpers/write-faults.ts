// A client-side fault at a chosen write: the Nth write (any method but GET) is dropped
// before it reaches the store, or after the store has done it (its answer lost), or refused
// with a gateway's 503; from then on every write is refused with 503, as a store going into
// maintenance does, while reads still pass. So an apply stops at exactly that call, its retries
// fail too, and the reads that settle it afterwards get answers.

import { Agent, type Dispatcher } from "undici";

export type WriteFault = "drop-before" | "drop-after" | "refuse";

export interface WriteFaults {
  readonly dispatcher: Dispatcher;
  /** Writes that reached the store. */
  readonly sent: () => number;
  close(): Promise<void>;
}

function socketClosed(): Error {
  return Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
}

const MAINTENANCE = "<html><body><h1>503 Service Unavailable</h1></body></html>";

function unavailable(): Dispatcher.ResponseData {
  const bytes = Buffer.from(MAINTENANCE);
  return {
    statusCode: 503,
    headers: { "content-type": "text/html" },
    body: { text: async () => MAINTENANCE, arrayBuffer: async () => bytes.buffer },
  } as unknown as Dispatcher.ResponseData;
}

export function writeFaults(failAt: number, fault: WriteFault): WriteFaults {
  const agent = new Agent();
  let writes = 0;
  let sent = 0;
  const dispatcher = {
    async request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
      if (options.method === "GET") return agent.request(options);
      writes++;
      if (writes < failAt) {
        sent++;
        return agent.request(options);
      }
      if (writes > failAt || fault === "refuse") return unavailable();
      if (fault === "drop-before") throw socketClosed();
      sent++;
      const response = await agent.request(options);
      await response.body.text();
      throw socketClosed();
    },
    close: () => agent.close(),
  } as unknown as Dispatcher;
  return { dispatcher, sent: () => sent, close: () => agent.close() };
}
