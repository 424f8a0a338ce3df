// The benchmark's store, in a process of its own so that serving pages does not compete
// with the client for the same event loop. Prints its URL and token, serves until stdin closes.

import { startSandbox } from "../src/sandbox/index.js";
import { storeState, type CatalogSize } from "./catalog.js";

interface StoreArgs {
  readonly size: CatalogSize;
  readonly inputLimits: boolean;
  /** Added to every answer: the time a real store spends on a request. */
  readonly latencyMs: number;
}

const args = JSON.parse(process.argv[2] ?? "{}") as StoreArgs;
const started = performance.now();
const sandbox = await startSandbox({
  initialState: storeState(args.size),
  inputLimits: args.inputLimits,
  latencyMs: args.latencyMs,
});
// Warm the store the way a busy MySQL is warm: the first sorted read builds the sandbox's sort
// cache, which would otherwise be paid by whichever measurement came first.
const sorted =
  "searchCriteria[sortOrders][0][field]=sku&searchCriteria[sortOrders][0][direction]=ASC" +
  "&searchCriteria[sortOrders][1][field]=source_code" +
  "&searchCriteria[sortOrders][1][direction]=ASC&searchCriteria[pageSize]=1";
await fetch(`${sandbox.url}/rest/all/V1/inventory/source-items?${sorted}`, {
  headers: { authorization: `Bearer ${sandbox.token}` },
}).then((r) => r.text());
process.stdout.write(
  `${JSON.stringify({ url: sandbox.url, token: sandbox.token, loadMs: Math.round(performance.now() - started) })}\n`,
);
process.stdin.resume();
process.stdin.on("end", () => {
  void sandbox.close().then(() => process.exit(0));
});
