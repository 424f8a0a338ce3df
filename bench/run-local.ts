// The local stages on their own, with the live state built in memory instead of read:
// parse and validate the file, check it against the store, diff, plan, render.

import { diff } from "../src/diff/diff.js";
import { loadInventory } from "../src/inventory/load-inventory.js";
import { checkAgainstLive } from "../src/inventory/rules.js";
import { buildPlan } from "../src/plan/plan.js";
import { renderJson } from "../src/render/render-json.js";
import { renderText } from "../src/render/render-text.js";
import { liveStore, type CatalogSize } from "./catalog.js";

interface LocalArgs {
  readonly dir: string;
  readonly size: CatalogSize;
}

const args = JSON.parse(process.argv[2] ?? "{}") as LocalArgs;

const live = liveStore(args.size);
const stages: Record<string, number> = {};
function timed<T>(name: string, work: () => T): T {
  const cpu = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(cpu);
  stages[name] = Math.round((used.user + used.system) / 1000);
  return result;
}

const desired = timed("parse + validate", () => loadInventory("inventory.yaml", { cwd: args.dir }));
timed("check against store", () => checkAgainstLive({ desired, live, websites: new Set() }));
const result = timed("diff", () => diff(desired, live));
const plan = timed("plan", () =>
  buildPlan({
    diff: result,
    live,
    batchSize: 500,
    store: { url: "http://bench", store_code: "all" },
    basis: { files: desired.files, git: null },
    createdAt: new Date(0).toISOString(),
    invVersion: "bench",
    checked: { sources: desired.sources.size, stocks: desired.stocks.size, products: desired.products.size },
  }),
);
timed("render text", () => renderText(plan, { color: false }));
timed("render json", () => renderJson(plan));
const total = Object.values(stages).reduce((a, b) => a + b, 0);
const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify({ stages, totalCpuMs: total, changes: plan.changes.length, maxRssMb })}\n`);
