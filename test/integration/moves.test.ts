// Seed 002's mass actions against the sandbox: a declared move is one bulk transfer with the
// seed's payload, the rest of the plan is diffed against the store as the move leaves it, and
// list-form files that assign or unassign the same sources for many SKUs use bulk assign and
// bulk unassign with the seed's payloads.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SafetyError, StalePlanError } from "../../src/errors.js";
import { BearerAuth } from "../../src/magento/auth.js";
import { MagentoClient } from "../../src/magento/client.js";
import { apply, applySavedPlan, plan } from "../../src/pipeline.js";
import { writePlanFile } from "../../src/plan/plan-file.js";
import { renderText } from "../../src/render/render-text.js";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";

const TRANSFER = "V1/inventory/bulk-product-source-transfer";
const ASSIGN = "V1/inventory/bulk-product-source-assign";
const UNASSIGN = "V1/inventory/bulk-product-source-unassign";

// Seed 002, verbatim.
const SEED_TRANSFER = {
  skus: ["testConfigProduct-red", "testConfigProduct-blue"],
  originSource: "default",
  destinationSource: "central",
  unassignFromOrigin: true,
};
const SEED_ASSIGN = { skus: ["new-product3", "new-product4"], sourceCodes: ["central", "east"] };
const SEED_UNASSIGN = { skus: ["testSimpleProduct", "testSimpleProduct2"], sourceCodes: ["default"] };

const SOURCES = `sources:
  central: { name: Central Shipping Center, country_id: US, postcode: "63145" }
  east: { name: Eastern Shipping Center, country_id: US, postcode: "27614" }
`;

const SEED_MOVE = `moves:
  - skus: [testConfigProduct-red, testConfigProduct-blue]
    from: default
    to: central
    unassign_from_origin: true
`;

/**
 * A loopback proxy in front of the sandbox that loses the first transfer on the wire: its
 * answer (the store did it) or the request itself (the store never saw it).
 */
async function lossyProxy(
  target: string,
  lose: "answer" | "request",
): Promise<Server & { url: string; transfers: () => number }> {
  let lost = false;
  let transfers = 0;
  const server = createServer((req, res) => {
    const isTransfer = req.method === "POST" && (req.url ?? "").endsWith(TRANSFER);
    if (isTransfer) transfers++;
    const losing = !lost && isTransfer;
    if (losing) lost = true;
    if (losing && lose === "request") {
      req.resume();
      req.socket.destroy();
      return;
    }
    const upstream = request(
      new URL(req.url ?? "/", target),
      { method: req.method, headers: req.headers },
      (answer) => {
        if (losing) {
          answer.resume();
          answer.on("end", () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(server, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    transfers: () => transfers,
  });
}

function itemsOf(handle: SandboxHandle, sku: string): [string, number, number][] {
  return handle.sandbox.store
    .snapshot()
    .source_items.filter((i) => i.sku === sku)
    .map((i) => [i.source_code, i.quantity, i.status]);
}

async function notifyQty(handle: SandboxHandle, source: string, sku: string): Promise<number> {
  const config = await handle
    .client()
    .get<{ notify_stock_qty: number }>(`V1/inventory/low-quantity-notification/${source}/${sku}`);
  return config.notify_stock_qty;
}

async function setNotifyQty(handle: SandboxHandle, source: string, sku: string, qty: number): Promise<void> {
  await handle
    .client()
    .send(
      "POST",
      "V1/inventory/low-quantity-notification",
      { sourceItemConfigurations: [{ source_code: source, sku, notify_stock_qty: qty }] },
      "transient",
    );
}

describe("moves: seed 002's bulk transfer", () => {
  it("plans one transfer with the seed's payload, moves status and notify quantity, re-plans to nothing", async () => {
    const handle = await openSandbox();
    try {
      // blue is out of stock at the origin: the transfer carries that status across.
      handle.sandbox.store.setSourceItem("testConfigProduct-blue", "default", 4, 0);
      await setNotifyQty(handle, "default", "testConfigProduct-red", 7);
      const dir = workspace({ "inventory.yaml": `version: 1\n${SOURCES}${SEED_MOVE}` });

      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(planned.changes.map((c) => `${c.kind}:${c.action}`)).toEqual([
        "source:create",
        "source:create",
        "move:update",
      ]);
      const transfers = planned.calls.filter((c) => c.path === TRANSFER);
      expect(transfers).toHaveLength(1);
      expect(transfers[0]?.body).toEqual(SEED_TRANSFER);
      // Never resent blindly: a transfer adds quantities.
      expect(transfers[0]?.repeatable).not.toBe("transient");
      expect(planned.changes[2]).toMatchObject({
        units: 104,
        before: [
          { sku: "testConfigProduct-red", origin: { quantity: 100, status: "in_stock" }, destination: null },
          { sku: "testConfigProduct-blue", origin: { quantity: 4, status: "out_of_stock" }, destination: null },
        ],
      });
      // A transfer destroys nothing: it needs no consent.
      expect(planned.summary.destructive).toBe(0);

      const applied = await apply({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(applied.report?.failed).toBe(0);
      expect(itemsOf(handle, "testConfigProduct-red")).toEqual([["central", 100, 1]]);
      expect(itemsOf(handle, "testConfigProduct-blue")).toEqual([["central", 4, 0]]);
      // The notify quantity moved with the quantity; the origin's row went with the origin.
      expect(await notifyQty(handle, "central", "testConfigProduct-red")).toBe(7);
      expect(handle.sandbox.store.snapshot().low_stock).toEqual([
        { source_code: "central", sku: "testConfigProduct-red", notify_stock_qty: 7 },
      ]);

      const again = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(again.plan.changes).toEqual([]);
      expect(again.plan.calls).toEqual([]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("shows a move as one change plus only the residual quantity changes, counted from after the move", async () => {
    const handle = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1\n${SOURCES}${SEED_MOVE}products:
  testConfigProduct-red: { central: 90 }
  testConfigProduct-blue: { central: 100 }
`,
      });
      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      const rest = planned.changes.filter((c) => c.kind !== "source");
      expect(rest).toEqual([
        expect.objectContaining({ kind: "move", skus: ["testConfigProduct-red", "testConfigProduct-blue"] }),
        // blue lands at 100 as declared; red's 100 at central becomes 90: 10 of the units the transfer brought go.
        {
          kind: "source-item",
          action: "update",
          sku: "testConfigProduct-red",
          source: "central",
          before: { quantity: 100, status: "in_stock" },
          after: { quantity: 90, status: "in_stock" },
          declared_order: 0,
          moved_in: 100,
        },
      ]);
      expect(planned.summary.destructive).toBe(1);
      expect(planned.summary.units_removed).toBe(10);
      expect(planned.calls.map((c) => c.path)).toEqual([
        "V1/inventory/sources",
        "V1/inventory/sources",
        TRANSFER,
        "V1/inventory/source-items",
      ]);
      expect(planned.calls[3]?.body).toEqual({
        sourceItems: [{ sku: "testConfigProduct-red", source_code: "central", quantity: 90, status: 1 }],
      });

      const text = renderText(planned, { color: false });
      expect(text).toContain(
        "transfer 2 SKUs from default to central: 200 units with " +
          "their status and notify quantity; default is unassigned",
      );
      expect(text).toContain(
        "central  100 in stock -> 90 in stock  (as the transfer leaves it)  10 units leave the store",
      );
      expect(text.indexOf("Moves")).toBeLessThan(text.indexOf("Source items"));

      await expect(apply({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null })).rejects.toThrow(
        SafetyError,
      );
      await apply({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null, allowDestroy: true });
      expect(itemsOf(handle, "testConfigProduct-red")).toEqual([["central", 90, 1]]);
      expect(
        (await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null })).plan.changes,
      ).toEqual([]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("adds the origin's quantity and status to a stocked destination; keeps the origin at 0 if asked", async () => {
    const handle = await openSandbox();
    try {
      handle.sandbox.store.setSourceItem("24-MB01", "default", 30, 0);
      const dir = workspace({
        "inventory.yaml": `version: 1\n${SOURCES}`,
      });
      await apply({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      handle.sandbox.store.setSourceItem("24-MB01", "central", 5, 1);
      await setNotifyQty(handle, "central", "24-MB01", 2);
      await setNotifyQty(handle, "default", "24-MB01", 9);
      const moving = workspace({
        "inventory.yaml":
          `version: 1\n${SOURCES}moves:\n  - { skus: [24-MB01], ` +
          "from: default, to: central, unassign_from_origin: false }\n",
      });
      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: moving, client: handle.client(), git: null });
      expect(planned.calls.map((c) => c.body)).toEqual([
        { skus: ["24-MB01"], originSource: "default", destinationSource: "central", unassignFromOrigin: false },
      ]);
      expect(planned.changes).toEqual([
        expect.objectContaining({
          kind: "move",
          units: 30,
          before: [
            {
              sku: "24-MB01",
              origin: { quantity: 30, status: "out_of_stock" },
              destination: { quantity: 5, status: "in_stock" },
            },
          ],
        }),
      ]);
      await apply({ file: "inventory.yaml", cwd: moving, client: handle.client(), git: null });
      // Magento: destination = 5 + 30 with the origin's status; the origin stays, zeroed.
      expect(itemsOf(handle, "24-MB01").sort()).toEqual([
        ["central", 35, 0],
        ["default", 0, 0],
      ]);
      // A destination's own notify quantity is kept; the origin keeps its row when it stays assigned.
      expect(await notifyQty(handle, "central", "24-MB01")).toBe(2);
      expect(await notifyQty(handle, "default", "24-MB01")).toBe(9);
      // The origin is at 0, out of stock: the move is done and plans nothing.
      expect(
        (await plan({ file: "inventory.yaml", cwd: moving, client: handle.client(), git: null })).plan.changes,
      ).toEqual([]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("applies a saved plan with a move and residual changes, and refuses it once the origin changed", async () => {
    const handle = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1\n${SOURCES}${SEED_MOVE}products:\n  testConfigProduct-red: { central: 90 }\n`,
      });
      const saved = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      writePlanFile(join(dir, "plan.json"), saved.plan);

      handle.sandbox.store.setSourceItem("testConfigProduct-red", "default", 60, 1);
      await expect(applySavedPlan({ planFile: join(dir, "plan.json"), client: handle.client() })).rejects.toThrow(
        StalePlanError,
      );
      expect(itemsOf(handle, "testConfigProduct-red")).toEqual([["default", 60, 1]]);

      handle.sandbox.store.setSourceItem("testConfigProduct-red", "default", 100, 1);
      // red's 100 units go to central, which the file then lowers to 90: that needs consent.
      const applied = await applySavedPlan({
        planFile: join(dir, "plan.json"),
        client: handle.client(),
        allowDestroy: true,
      });
      expect(applied.report?.failed).toBe(0);
      expect(itemsOf(handle, "testConfigProduct-red")).toEqual([["central", 90, 1]]);
      expect(itemsOf(handle, "testConfigProduct-blue")).toEqual([["central", 100, 1]]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("after a transfer's lost answer, reads the origin instead of resending; resends one never received", async () => {
    for (const lose of ["answer", "request"] as const) {
      const handle = await openSandbox();
      try {
        const dir = workspace({ "inventory.yaml": `version: 1\n${SOURCES}${SEED_MOVE}` });
        const proxy = await lossyProxy(handle.sandbox.url, lose);
        try {
          const client = new MagentoClient({
            baseUrl: proxy.url,
            auth: new BearerAuth(handle.sandbox.token),
            retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 },
          });
          const applied = await apply({ file: "inventory.yaml", cwd: dir, client, git: null });
          expect(applied.report?.failed).toBe(0);
          // The store saw it once either way: a second transfer would find no origin row, a 500 in Magento.
          expect(handle.sandbox.stats.byRoute[`POST ${TRANSFER}`]).toBe(1);
          // inv sent it again only when the origin showed it had not happened.
          expect(proxy.transfers()).toBe(lose === "answer" ? 1 : 2);
          expect(itemsOf(handle, "testConfigProduct-red")).toEqual([["central", 100, 1]]);
          await client.close();
        } finally {
          proxy.closeAllConnections();
          await new Promise<void>((resolve) => proxy.close(() => resolve()));
        }
      } finally {
        await handle.sandbox.close();
      }
    }
  });

  it("refuses a file whose product puts stock back at the move's origin, before anything is sent", async () => {
    const handle = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1\n${SOURCES}${SEED_MOVE}products:\n  testConfigProduct-red: [default, central]\n`,
      });
      await expect(plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null })).rejects.toThrow(
        'move takes "testConfigProduct-red" off source "default", ' +
          'but product "testConfigProduct-red" assigns "default" again',
      );
      expect(handle.sandbox.stats.requests).toBe(0);
    } finally {
      await handle.sandbox.close();
    }
  });
});

describe("bulk assign and unassign from list-form files", () => {
  it("assigns the same sources to many SKUs with one bulk assign carrying seed 002's payload", async () => {
    const handle = await openSandbox();
    try {
      const dir = workspace({
        "inventory.yaml": `version: 1\n${SOURCES}products:
  new-product3: [default, central, east]
  new-product4: [default, central, east]
`,
      });
      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(planned.calls.map((c) => c.path)).toEqual(["V1/inventory/sources", "V1/inventory/sources", ASSIGN]);
      expect(planned.calls[2]).toMatchObject({
        method: "POST",
        body: SEED_ASSIGN,
        repeatable: "transient",
        description: "assign 2 SKUs to central, east (bulk)",
      });
      // The call carries the four source-item changes it makes.
      expect(planned.calls[2]?.changes.map((i) => planned.changes[i])).toEqual(
        // Each SKU takes slots for its 3 sources and one more (declared_order: the file's order).
        ["new-product3", "new-product4"].flatMap((sku, n) =>
          ["central", "east"].map((source, i) => ({
            kind: "source-item",
            action: "create",
            sku,
            source,
            before: null,
            after: { quantity: 0, status: "out_of_stock" },
            declared_order: n * 4 + 1 + i,
          })),
        ),
      );

      const applied = await apply({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(applied.report?.failed).toBe(0);
      expect(handle.sandbox.stats.byRoute[`POST ${ASSIGN}`]).toBe(1);
      expect(handle.sandbox.stats.byRoute["POST V1/inventory/source-items"] ?? 0).toBe(0);
      expect(itemsOf(handle, "new-product3").sort()).toEqual([
        ["central", 0, 0],
        ["default", 100, 1],
        ["east", 0, 0],
      ]);
      expect(
        (await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null })).plan.changes,
      ).toEqual([]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("unassigns the same sources from many SKUs with one bulk unassign carrying seed 002's payload", async () => {
    const handle = await openSandbox();
    try {
      await setNotifyQty(handle, "default", "testSimpleProduct", 3);
      const dir = workspace({
        "inventory.yaml": `version: 1\n${SOURCES}products:
  testSimpleProduct: [central]
  testSimpleProduct2: [central]
`,
      });
      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(planned.calls.map((c) => [c.path, c.body])).toEqual([
        ["V1/inventory/sources", expect.anything()],
        ["V1/inventory/sources", expect.anything()],
        // New assignments first, so neither SKU is ever without a source.
        [ASSIGN, { skus: ["testSimpleProduct", "testSimpleProduct2"], sourceCodes: ["central"] }],
        [UNASSIGN, SEED_UNASSIGN],
      ]);
      // Bulk or not, unassigning held quantity is destroying it.
      expect(planned.summary.destructive).toBe(2);
      await expect(apply({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null })).rejects.toThrow(
        SafetyError,
      );

      const applied = await apply({
        file: "inventory.yaml",
        cwd: dir,
        client: handle.client(),
        git: null,
        allowDestroy: true,
      });
      expect(applied.report?.failed).toBe(0);
      expect(itemsOf(handle, "testSimpleProduct")).toEqual([["central", 0, 0]]);
      expect(itemsOf(handle, "testSimpleProduct2")).toEqual([["central", 0, 0]]);
      // As with a per-item unassign, the pair's notify quantity goes with it.
      expect(handle.sandbox.store.snapshot().low_stock).toEqual([]);
      expect(
        (await plan({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null })).plan.changes,
      ).toEqual([]);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("sends one bulk call for more SKUs than a store with input limits takes in an array of objects", async () => {
    const handle = await openSandbox({ inputLimits: true });
    try {
      const skus = Array.from({ length: 25 }, (_, i) => `BULK-${String(i).padStart(2, "0")}`);
      for (const sku of skus) handle.sandbox.store.addProduct({ sku, name: sku, type_id: "simple" });
      const dir = workspace({
        "inventory.yaml": `version: 1\n${SOURCES}products:\n${skus.map((sku) => `  ${sku}: [central, east]\n`).join("")}`,
      });
      const applied = await apply({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      expect(applied.report?.failed).toBe(0);
      // Magento limits arrays of data objects (20 here), not `skus`: one call, no split.
      expect(handle.sandbox.stats.byRoute[`POST ${ASSIGN}`]).toBe(1);
      expect(applied.plan.calls.find((c) => c.path === ASSIGN)?.body).toEqual({
        skus,
        sourceCodes: ["central", "east"],
      });
      expect(handle.sandbox.store.snapshot().source_items.filter((i) => i.sku.startsWith("BULK-"))).toHaveLength(50);
    } finally {
      await handle.sandbox.close();
    }
  });

  it("keeps per-item calls if bulk differs: `default` assigns, unknown SKUs, managed quantities, one SKU", async () => {
    const handle = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": `version: 1\n${SOURCES}` });
      await apply({ file: "inventory.yaml", cwd: dir, client: handle.client(), git: null });
      const store = handle.sandbox.store;
      // Two SKUs that left `default`, and two source items of SKUs the catalog does not have.
      for (const sku of ["new_product1", "new_product2"]) {
        store.setSourceItem(sku, "central", 5, 1);
        store.deleteSourceItem(sku, "default");
      }
      store.setSourceItem("GHOST-1", "default", 1, 1);
      store.setSourceItem("GHOST-2", "default", 1, 1);
      const file = workspace({
        "inventory.yaml": `version: 1\n${SOURCES}products:
  new_product1: [central, default]
  new_product2: [central, default]
  GHOST-1: []
  GHOST-2: []
  24-MB01: { default: 100, east: { quantity: 0, status: out_of_stock } }
  24-MB04: { default: 100, east: { quantity: 0, status: out_of_stock } }
  24-UG06: [default, east]
`,
      });
      const { plan: planned } = await plan({ file: "inventory.yaml", cwd: file, client: handle.client(), git: null });
      expect(planned.calls.map((c) => [c.path, c.body])).toEqual([
        [
          "V1/inventory/source-items",
          {
            // In the file's order.
            sourceItems: [
              // A per-item save to `default` also writes the legacy stock item; bulk assign does not.
              { sku: "new_product1", source_code: "default", quantity: 0, status: 0 },
              { sku: "new_product2", source_code: "default", quantity: 0, status: 0 },
              // A file that manages quantities keeps seed 000's per-item calls; a lone SKU is not a group.
              { sku: "24-MB01", source_code: "east", quantity: 0, status: 0 },
              { sku: "24-MB04", source_code: "east", quantity: 0, status: 0 },
              { sku: "24-UG06", source_code: "east", quantity: 0, status: 0 },
            ],
          },
        ],
        // Bulk unassign from `default` fails on SKUs the catalog lacks.
        [
          "V1/inventory/source-items-delete",
          {
            sourceItems: [
              { sku: "GHOST-1", source_code: "default" },
              { sku: "GHOST-2", source_code: "default" },
            ],
          },
        ],
      ]);
      const applied = await apply({
        file: "inventory.yaml",
        cwd: file,
        client: handle.client(),
        git: null,
        allowDestroy: true,
      });
      expect(applied.report?.failed).toBe(0);
      expect(
        (await plan({ file: "inventory.yaml", cwd: file, client: handle.client(), git: null })).plan.changes,
      ).toEqual([]);
    } finally {
      await handle.sandbox.close();
    }
  });
});
