// Before unassigning a source item that holds quantity, the plan reads the product's
// salable quantity in each stock that links the source, and flags reservations of open
// orders the unassignment would strand. Only such SKUs are read, one GET per product and stock.

import { describe, expect, it } from "vitest";
import { plan } from "../../src/pipeline.js";
import type { SandboxStats } from "../../src/sandbox/index.js";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";
import { runInv } from "../helpers/run-cli.js";

const SALABLE_ROUTE = "GET V1/inventory/get-product-salable-quantity/:sku/:stockId";

const salableReads = (stats: SandboxStats) => stats.byRoute[SALABLE_ROUTE] ?? 0;

function file(products: string, stockSources = "[ne_wh, brooklyn]"): string {
  return `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
  brooklyn: { name: Brooklyn Store, country_id: US, postcode: "11201" }
stocks:
  US Stock: { sources: ${stockSources} }
products:
${products}`;
}

/** US Stock (id 2) links ne_wh and brooklyn; 24-WB01 holds 10 + 5 there, and open orders reserve 12. */
async function storeWithOrders(): Promise<SandboxHandle> {
  const handle = await openSandbox();
  const dir = workspace({
    "inventory.yaml": file("  24-WB01: { ne_wh: 10, brooklyn: 5 }\n  24-WB03: { ne_wh: 4, brooklyn: 0 }\n"),
  });
  const code = (await runInv(["apply", "--yes", "--allow-destroy"], { env: handle.env, cwd: dir })).code;
  expect(code).toBe(0);
  // Reservations are negative while orders are open (InventoryReservations).
  handle.sandbox.store.addReservation("24-WB01", 2, -12);
  return handle;
}

describe("reservations of open orders", () => {
  it("flags an unassignment that removes more units from a stock than are salable there", async () => {
    const handle = await storeWithOrders();
    try {
      const dir = workspace({
        "inventory.yaml": file("  24-WB01: { ne_wh: 10 }\n  24-WB03: { ne_wh: 4, brooklyn: 0 }\n"),
      });
      const before = salableReads(handle.sandbox.stats);
      const { plan: result } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(result.reservation_warnings).toEqual([
        {
          sku: "24-WB01",
          stock: "US Stock",
          stock_id: 2,
          sources: ["brooklyn"],
          units_removed: 5,
          salable_quantity: 3,
          stranded: 2,
        },
      ]);
      expect(result.warnings).toContainEqual(
        expect.stringContaining('product "24-WB01" in stock "US Stock": unassigning brooklyn removes 5 salable units'),
      );
      expect(result.warnings.join("\n")).toContain(
        "2 units reserved by open orders would have no stock left to ship from",
      );
      expect(salableReads(handle.sandbox.stats) - before).toBe(1);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("shows the flag in the text plan and in the JSON document", async () => {
    const handle = await storeWithOrders();
    try {
      const dir = workspace({
        "inventory.yaml": file("  24-WB01: { ne_wh: 10 }\n  24-WB03: { ne_wh: 4, brooklyn: 0 }\n"),
      });
      const text = await runInv(["plan"], { env: handle.env, cwd: dir });
      expect(text.stdout).toContain("Warnings");
      expect(text.stdout).toContain('product "24-WB01" in stock "US Stock"');
      const json = await runInv(["plan", "--format", "json"], { env: handle.env, cwd: dir });
      expect((JSON.parse(json.stdout) as { reservation_warnings: unknown[] }).reservation_warnings).toHaveLength(1);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("does not flag what the stock can still cover, nor units that stay in the stock", async () => {
    const handle = await storeWithOrders();
    try {
      // Units move from brooklyn to ne_wh, both linked to US Stock: nothing leaves the stock, nothing is read.
      const moved = workspace({
        "inventory.yaml": file("  24-WB01: { ne_wh: 15 }\n  24-WB03: { ne_wh: 4, brooklyn: 0 }\n"),
      });
      const before = salableReads(handle.sandbox.stats);
      const first = await plan({ file: "inventory.yaml", cwd: moved, client: handle.client(), git: null });
      expect(first.plan.reservation_warnings).toEqual([]);
      expect(salableReads(handle.sandbox.stats)).toBe(before);
      // 12 reserved of 15, and 2 removed: 13 remain, enough.
      const covered = workspace({
        "inventory.yaml": file("  24-WB01: { ne_wh: 10, brooklyn: 3 }\n  24-WB03: { ne_wh: 4, brooklyn: 0 }\n"),
      });
      const second = await plan({ file: "inventory.yaml", cwd: covered, client: handle.client(), git: null });
      expect(second.plan.reservation_warnings).toEqual([]);
      // Lowering a quantity is not an unassignment: no salable read.
      expect(salableReads(handle.sandbox.stats)).toBe(before);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("reads only SKUs whose unassignment holds quantity, once per stock concerned", async () => {
    const handle = await storeWithOrders();
    try {
      // 24-WB03 @ brooklyn holds 0: unassigning it reads nothing. 24-WB01 @ brooklyn: one read, US Stock only.
      const dir = workspace({ "inventory.yaml": file("  24-WB01: { ne_wh: 10 }\n  24-WB03: { ne_wh: 4 }\n") });
      const before = salableReads(handle.sandbox.stats);
      await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(salableReads(handle.sandbox.stats) - before).toBe(1);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("says so when the salable quantity cannot be read, instead of failing the plan", async () => {
    const handle = await openSandbox({
      auth: {
        token: "no-sales-acl-token",
        aclResources: [
          "Magento_InventoryApi::source",
          "Magento_InventoryApi::stock",
          "Magento_InventoryApi::stock_source_link",
          "Magento_Catalog::products",
        ],
      },
    });
    try {
      const dir = workspace({
        "inventory.yaml":
          "version: 1\nsources:\n  ne_wh: { name: NE, country_id: " +
          "US, postcode: '1' }\nproducts:\n  24-WB01: { ne_wh: 3 }\n",
      });
      const { plan: result } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(result.reservation_warnings).toEqual([]);
      expect(result.warnings.join("\n")).toMatch(
        new RegExp(
          /Reservations were not checked for 1 product \(salable quantity unreadable\): /.source +
            /24-WB01 in stock "Default Stock": HTTP 401/.source,
        ),
      );
    } finally {
      await handle.sandbox.close();
    }
  });
});
