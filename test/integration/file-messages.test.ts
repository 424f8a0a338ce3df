// What inv says about a file against the store: each problem at its exact node (a stock's
// list entry, a product's source, a CSV cell), and warnings (a quantity below 0) carried from
// the loader to the plan and to `inv validate`.

import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/plan/plan.js";
import { runInv } from "../helpers/run-cli.js";
import { useSandbox, workspace } from "../helpers/sandbox.js";

const sandbox = useSandbox();

describe("positions against the store", () => {
  it("an unknown source points at the list entry, the product's source and the CSV cell", async () => {
    const dir = workspace({
      "inventory.yaml": `version: 1
stocks:
  US Stock:
    sources:
      - nyc_wh
products:
  24-WB01:
    default: 5
    nyc_wh: 5
moves:
  - skus: [24-WB03]
    from: default
    to: nyc_wh
csv: [feed.csv]
`,
      "feed.csv": "sku,source_code,quantity,status\n24-MB01,default,1,1\n24-MB04,nyc_wh,2,1\n",
    });
    const result = await runInv(["plan"], { env: sandbox().env, cwd: dir });
    expect(result.code).toBe(3);
    const unknown = 'source "nyc_wh", which is not declared and does not exist in the store.';
    expect(result.stderr).toContain(`feed.csv:3:9 product "24-MB04" is assigned to ${unknown}`);
    expect(result.stderr).toContain(`inventory.yaml:5:9 stock "US Stock" links ${unknown}`);
    expect(result.stderr).toContain(`inventory.yaml:9:5 product "24-WB01" is assigned to ${unknown}`);
    expect(result.stderr).toContain(`inventory.yaml:13:9 move names ${unknown}`);
  });
});

describe("warnings from the file", () => {
  const FILE = "version: 1\nproducts:\n  24-MB01: { default: -3 }\n";
  const WARNING =
    'inventory.yaml:3:23 product "24-MB01" has quantity -3 at source "default", below 0. Magento keeps it and sells it only with backorders on; if the minus is a typo, remove it.';

  it("inv validate accepts a quantity below 0 and says where it is, on stderr", async () => {
    const result = await runInv(["validate"], { cwd: workspace({ "inventory.yaml": FILE }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("inventory.yaml is valid");
    expect(result.stderr).toBe(`inv: warning: ${WARNING}\n`);
  });

  it("the plan lists it among its warnings, in text and JSON", async () => {
    const dir = workspace({ "inventory.yaml": FILE });
    const text = await runInv(["plan"], { env: sandbox().env, cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Warnings\n  ! ${WARNING}`);
    const json = JSON.parse(
      (await runInv(["plan", "--format", "json"], { env: sandbox().env, cwd: dir })).stdout,
    ) as Plan;
    expect(json.warnings).toContain(WARNING);
  });
});
