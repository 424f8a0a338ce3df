// The floor: a bare download of the same pages inv plan fetched, at the same concurrency,
// all known up front, bodies read and nothing else done with them.

import { readFileSync } from "node:fs";
import { Agent } from "undici";

interface DownloadArgs {
  readonly url: string;
  readonly token: string;
  readonly concurrency: number;
  readonly pathsFile: string;
}

const args = JSON.parse(process.argv[2] ?? "{}") as DownloadArgs;
const paths = JSON.parse(readFileSync(args.pathsFile, "utf8")) as string[];
const agent = new Agent({ connections: args.concurrency + 1 });
const origin = new URL(args.url).origin;
let next = 0;
let bytes = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: args.concurrency }, async () => {
    while (next < paths.length) {
      const path = paths[next++]!;
      const response = await agent.request({
        origin,
        path,
        method: "GET",
        headers: { authorization: `Bearer ${args.token}`, accept: "application/json" },
      });
      bytes += (await response.body.arrayBuffer()).byteLength;
    }
  }),
);
const wallMs = performance.now() - started;
await agent.close();
process.stdout.write(`${JSON.stringify({ wallMs: Math.round(wallMs), requests: paths.length, bytes })}\n`);
