// After an apply that changed links, inv reads Magento's priority view of each touched stock
// (seed 003) and confirms the order the file declares; a change behind inv's back between the
// apply and that read is a VerificationError.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { orderProblem } from "../../src/apply/verify-priority.js";
import { VerificationError } from "../../src/apply/verify.js";
import { BearerAuth } from "../../src/magento/auth.js";
import { MagentoClient, type ClientOptions } from "../../src/magento/client.js";
import type { Repeatable } from "../../src/magento/retry.js";
import { apply, applySavedPlan, plan } from "../../src/pipeline.js";
import { writePlanFile } from "../../src/plan/plan-file.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";

const PRIORITY_ROUTE = "V1/inventory/get-sources-assigned-to-stock-ordered-by-priority";
const PRIORITY_KEY = `GET ${PRIORITY_ROUTE}/:stockId`;

const FILE = `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
  west_wh: { name: West Warehouse, country_id: US, postcode: "94607" }
  hq: { name: Headquarters, country_id: US, postcode: "10001" }
stocks:
  US Stock:
    sales_channels: { website: [base] }
    sources: [ne_wh, west_wh, hq]
`;

/** A client that, just before inv's first read of the priority view, re-prioritises links as someone else would. */
class MeddlingClient extends MagentoClient {
  private meddled = false;

  constructor(
    options: ClientOptions,
    private readonly meddle: (client: MagentoClient, stockId: number) => Promise<void>,
  ) {
    super(options);
  }

  override async get<T>(route: string, query = "", repeatable: Repeatable = "transient"): Promise<T> {
    if (!this.meddled && route.startsWith(`${PRIORITY_ROUTE}/`)) {
      this.meddled = true;
      await this.meddle(this, Number(route.slice(PRIORITY_ROUTE.length + 1)));
    }
    return super.get<T>(route, query, repeatable);
  }
}

function meddlingClient(url: string, token: string): MeddlingClient {
  return new MeddlingClient(
    {
      baseUrl: url,
      auth: new BearerAuth(token),
      retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 },
    },
    async (client, stockId) => {
      // hq jumps to the front of the stock.
      await client.send(
        "POST",
        "V1/inventory/stock-source-links",
        {
          links: [
            { source_code: "hq", stock_id: stockId, priority: 1 },
            { source_code: "ne_wh", stock_id: stockId, priority: 3 },
          ],
        },
        "transient",
      );
    },
  );
}

describe("priority verification after apply", () => {
  it("reads each touched stock's priority view once and accepts the declared order", async () => {
    const { sandbox, client } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const applied = await apply({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      expect(applied.report?.failed).toBe(0);
      expect(sandbox.stats.byRoute[PRIORITY_KEY]).toBe(1);
      const stockId = applied.report?.created_stock_ids["US Stock"];
      const view = await client().get<{ source_code: string }[]>(`${PRIORITY_ROUTE}/${stockId}`);
      expect(view.map((s) => s.source_code)).toEqual(["ne_wh", "west_wh", "hq"]);

      // An apply that changes no link does not read it.
      const reads = sandbox.stats.byRoute[PRIORITY_KEY];
      const quantities = workspace({ "inventory.yaml": `${FILE}products:\n  24-MB01: { ne_wh: 3 }\n` });
      const second = await apply({
        file: "inventory.yaml",
        cwd: quantities,
        client: client(),
        git: null,
        allowDestroy: true,
      });
      expect(second.plan.changes.map((c) => c.kind)).toEqual(["source-item", "source-item"]);
      expect(sandbox.stats.byRoute[PRIORITY_KEY]).toBe(reads);
    } finally {
      await sandbox.close();
    }
  });

  it("fails with a VerificationError when a priority changes behind inv's back before the check", async () => {
    const { sandbox } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const failure = await apply({
        file: "inventory.yaml",
        cwd: dir,
        client: meddlingClient(sandbox.url, sandbox.token),
        git: null,
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(VerificationError);
      const { differences } = failure as VerificationError;
      expect(differences).toEqual([
        expect.stringMatching(
          new RegExp(
            /^stock "US Stock" \(id \d+\): Magento's priority order is hq, west_wh, ne_wh; /.source +
              /the file declares ne_wh, west_wh, hq$/.source,
          ),
        ),
      ]);
      // Every call was made; only the order is wrong.
      expect(sandbox.stats.byRoute["POST V1/inventory/stock-source-links"]).toBe(2);
    } finally {
      await sandbox.close();
    }
  });

  it("checks a saved plan against the order it was reviewed with", async () => {
    const { sandbox, client } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const first = await plan({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      expect(first.plan.topology?.after.stocks.find((s) => s.name === "US Stock")?.links).toEqual([
        { source: "ne_wh", priority: 1 },
        { source: "west_wh", priority: 2 },
        { source: "hq", priority: 3 },
      ]);
      writePlanFile(join(dir, "plan.json"), first.plan);
      const failure = await applySavedPlan({
        planFile: join(dir, "plan.json"),
        client: meddlingClient(sandbox.url, sandbox.token),
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(VerificationError);
      expect((failure as VerificationError).message).toContain(
        "Magento's priority order is hq, west_wh, ne_wh; the file declares ne_wh, west_wh, hq",
      );

      // Put right, a plan of the same file applies and verifies.
      const again = await apply({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      expect(again.plan.changes.map((c) => `${c.kind}:${c.action}:${"source" in c ? c.source : ""}`)).toEqual([
        "link:update:ne_wh",
        "link:update:hq",
      ]);
      expect(again.report?.failed).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});

describe("comparing a priority view with the declared order", () => {
  const order = (links: [string, number][], complete = true) => ({
    stockId: 2,
    stock: "S",
    links: links.map(([source, priority]) => ({ source, priority })),
    complete,
  });

  it("accepts either order for sources of equal priority, since Magento sorts by priority alone", () => {
    expect(
      orderProblem(
        order([
          ["a", 1],
          ["b", 1],
          ["c", 2],
        ]),
        ["b", "a", "c"],
      ),
    ).toBeUndefined();
    expect(
      orderProblem(
        order([
          ["a", 1],
          ["b", 1],
          ["c", 2],
        ]),
        ["a", "c", "b"],
      ),
    ).toBe("Magento's priority order is a, c, b; the file declares a, b, c");
  });

  it("names a missing or extra source as a mismatch", () => {
    expect(
      orderProblem(
        order([
          ["a", 1],
          ["b", 2],
        ]),
        ["a"],
      ),
    ).toBe("Magento's priority order is a; the file declares a, b");
    expect(orderProblem(order([["a", 1]]), ["a", "x"])).toBe("Magento's priority order is a, x; the file declares a");
    expect(orderProblem(order([]), [])).toBeUndefined();
  });

  it("checks only the relative order of the plan's own links when the full order is not known", () => {
    expect(
      orderProblem(
        order(
          [
            ["a", 1],
            ["c", 3],
          ],
          false,
        ),
        ["a", "b", "c"],
      ),
    ).toBeUndefined();
    expect(
      orderProblem(
        order(
          [
            ["a", 1],
            ["c", 3],
          ],
          false,
        ),
        ["c", "b", "a"],
      ),
    ).toBe("Magento's priority order is c, b, a; the plan set a, c");
  });
});
