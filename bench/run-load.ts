// Loads one inventory file (parse, schema, rules: `inv validate`), in a process of its own,
// and prints what it took: wall and CPU time, peak memory, and whether it was read or refused.

import { InventoryFileError } from "../src/errors.js";
import { loadInventory } from "../src/inventory/load-inventory.js";

interface LoadArgs {
  readonly dir: string;
  readonly file: string;
}

const args = JSON.parse(process.argv[2] ?? "{}") as LoadArgs;
const started = performance.now();
const cpu = process.cpuUsage();
let outcome: { read: true; products: number; sourceItems: number } | { read: false; problem: string };
try {
  const desired = loadInventory(args.file, { cwd: args.dir });
  let sourceItems = 0;
  for (const product of desired.products.values()) sourceItems += product.assignments.length;
  outcome = { read: true, products: desired.products.size, sourceItems };
} catch (error) {
  if (!(error instanceof InventoryFileError)) throw error;
  const first = error.problems[0];
  outcome = { read: false, problem: first ? `${first.origin.file}:${first.origin.line} ${first.message}` : "" };
}
const used = process.cpuUsage(cpu);
process.stdout.write(
  `${JSON.stringify({
    wallMs: Math.round(performance.now() - started),
    cpuMs: Math.round((used.user + used.system) / 1000),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...outcome,
  })}\n`,
);
