// `inv plan` end to end against the bench store, through the same pipeline the CLI calls.
// Records every request path so the bare download can fetch exactly the same pages.

import { writeFileSync } from "node:fs";
import { BearerAuth } from "../src/magento/auth.js";
import { MagentoClient } from "../src/magento/client.js";
import { plan } from "../src/pipeline.js";
import { renderText } from "../src/render/render-text.js";

interface PlanArgs {
  readonly url: string;
  readonly token: string;
  readonly dir: string;
  readonly concurrency: number;
  readonly pathsFile: string;
  /** `--base` (and `--changed-only`) for the changed-only scenario. */
  readonly base?: { readonly ref: string; readonly changedOnly: boolean };
  /** --skip-unknown-skus, for the ERP scenario. */
  readonly skipUnknownSkus?: boolean;
}

const args = JSON.parse(process.argv[2] ?? "{}") as PlanArgs;
const paths: string[] = [];
const client = new MagentoClient({
  baseUrl: args.url,
  auth: new BearerAuth(args.token),
  concurrency: args.concurrency,
  onEvent: (event) => {
    if (event.type === "response" && event.method === "GET") paths.push(event.path);
  },
});
const cpu = process.cpuUsage();
const started = performance.now();
const { plan: result } = await plan({
  file: "inventory.yaml",
  cwd: args.dir,
  client,
  git: null,
  ...(args.base ? { base: args.base } : {}),
  ...(args.skipUnknownSkus ? { skipUnknownSkus: true } : {}),
});
const text = renderText(result, { color: false });
const wallMs = performance.now() - started;
const cpuUsed = process.cpuUsage(cpu);
await client.close();
writeFileSync(args.pathsFile, JSON.stringify(paths));
process.stdout.write(
  `${JSON.stringify({
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpuUsed.user + cpuUsed.system) / 1000),
    requests: Object.fromEntries(client.requestCounts),
    pageSize: client.pageSize,
    changes: result.changes.length,
    calls: result.calls.length,
    skipped: result.skipped?.length ?? 0,
    renderedBytes: text.length,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
