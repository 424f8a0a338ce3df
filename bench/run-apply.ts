// `inv apply` of the bench file's changes: calls made and items per call.

import { BearerAuth } from "../src/magento/auth.js";
import { MagentoClient } from "../src/magento/client.js";
import { apply } from "../src/pipeline.js";

interface ApplyArgs {
  readonly url: string;
  readonly token: string;
  readonly dir: string;
  readonly concurrency: number;
  /** --skip-unknown-skus, for the ERP scenario. */
  readonly skipUnknownSkus?: boolean;
}

const args = JSON.parse(process.argv[2] ?? "{}") as ApplyArgs;
const writes = new Map<string, number>();
const client = new MagentoClient({
  baseUrl: args.url,
  auth: new BearerAuth(args.token),
  concurrency: args.concurrency,
  onEvent: (event) => {
    if (event.type === "response" && event.method !== "GET")
      writes.set(event.route, (writes.get(event.route) ?? 0) + 1);
  },
});
const started = performance.now();
const outcome = await apply({
  file: "inventory.yaml",
  cwd: args.dir,
  client,
  git: null,
  ...(args.skipUnknownSkus ? { skipUnknownSkus: true } : {}),
});
const wallMs = performance.now() - started;
await client.close();
const items = outcome.plan.changes.filter((c) => c.kind === "source-item").length;
const itemCalls = writes.get("V1/inventory/source-items") ?? 0;
process.stdout.write(
  `${JSON.stringify({
    wallMs: Math.round(wallMs),
    items,
    writeRequests: Object.fromEntries(writes),
    itemCalls,
    itemsPerCall: itemCalls > 0 ? Math.round((items / itemCalls) * 10) / 10 : 0,
    batchSize: outcome.plan.batch_size,
    skipped: outcome.plan.skipped?.length ?? 0,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
