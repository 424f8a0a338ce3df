// The one executor of each call kind, dispatched from one table. Most calls are one
// request; the ones Magento cannot take twice (creating a stock, a bulk transfer, deleting a
// stock) settle an unknown outcome by reading the store before sending again, and array
// calls are split further when the store's input limit is below the plan's batch size.

import { InvError, MagentoApiError } from "../errors.js";
import { ArrayLimitError } from "../magento/client.js";
import type { RawStock } from "../magento/convert.js";
import { sameName } from "../magento/equivalence.js";
import type { BulkTransferCall, CallKind, CallOfKind, PlannedCall } from "../plan/calls/call.js";
import type { CallClient } from "./routes.js";

/** A call's path and body with every stock created earlier in the apply replaced by its id. */
export interface ResolvedRequest {
  readonly path: string;
  readonly body: unknown;
}

export interface ExecutorContext {
  readonly client: CallClient;
  /** The most items per array call the store has accepted; lowered for later calls when it refuses more. */
  readonly arrayLimit: { value: number };
  /** Told when an array call is split again at the store's limit. */
  readonly onRebatch?: (max: number) => void;
}

export interface ExecutorResult {
  /** The id Magento gave the stock this call created. */
  readonly createdStockId?: number;
}

type Executor<K extends CallKind> = (
  call: CallOfKind<K>,
  request: ResolvedRequest,
  context: ExecutorContext,
) => Promise<ExecutorResult>;

const DONE: ExecutorResult = {};

/** Sends the request as it is, retried as its `repeatable` allows. */
async function sendOnce(
  call: PlannedCall,
  request: ResolvedRequest,
  context: ExecutorContext,
): Promise<ExecutorResult> {
  await context.client.send(call.method, request.path, request.body, call.repeatable);
  return DONE;
}

const EXECUTORS: { readonly [K in CallKind]: Executor<K> } = {
  "source-save": sendOnce,
  "stock-create": async (call, request, context) => ({
    createdStockId: await createStock(context.client, call.returns_stock_id, request.body),
  }),
  "stock-update": sendOnce,
  "link-save": (call, request, context) => sendInBatches(call, request, context, "links"),
  "link-delete": (call, request, context) => sendInBatches(call, request, context, "links"),
  "source-item-save": (call, request, context) => sendInBatches(call, request, context, "sourceItems"),
  "source-item-delete": (call, request, context) => sendInBatches(call, request, context, "sourceItems"),
  "bulk-transfer": async (call, request, context) => {
    await transfer(context.client, call, request.body);
    return DONE;
  },
  "bulk-assign": sendOnce,
  "bulk-unassign": sendOnce,
  "stock-delete": async (call, request, context) => {
    if (call.unassign_channels_first)
      await context.client.send("PUT", request.path, call.unassign_channels_first, "transient");
    await deleteStock(context.client, request.path);
    return DONE;
  },
};

export function execute(
  call: PlannedCall,
  request: ResolvedRequest,
  context: ExecutorContext,
): Promise<ExecutorResult> {
  const executor = EXECUTORS[call.kind] as Executor<CallKind>;
  return executor(call as CallOfKind<CallKind>, request, context);
}

/** A write whose outcome the store contradicts: something else changed these records meanwhile. */
export class UnsettledWriteError extends InvError {
  readonly code = "magento-api" as const;
}

/**
 * Creating a stock is not idempotent: POST without an id inserts a new row each time. After
 * an unknown outcome (connection lost, gateway error), the stock is looked up by name, and
 * created again only if it is not there.
 */
async function createStock(client: CallClient, name: string, body: unknown): Promise<number> {
  let found: number | undefined;
  const id = await client.sendChecked<number | string>("POST", "V1/inventory/stocks", body, async () => {
    found = await findStockByName(client, name);
    return found !== undefined;
  });
  return id !== undefined ? Number(id) : found!;
}

async function findStockByName(client: CallClient, name: string): Promise<number | undefined> {
  const stocks = await client.search<RawStock, RawStock>(
    "V1/inventory/stocks",
    {
      filterGroups: [[{ field: "name", value: name, conditionType: "eq" }]],
      sortOrders: [{ field: "stock_id", direction: "ASC" }],
    },
    (raw) => raw,
  );
  const match = stocks.find((s) => sameName(s.name, name));
  return match ? Number(match.stock_id) : undefined;
}

/**
 * A bulk transfer adds the origin's quantity at the destination, so it is never resent
 * blindly: after an unknown outcome, the origin's source items tell whether it happened.
 * Magento runs it in one transaction
 * (magento/inventory:InventoryCatalog/Model/ResourceModel/BulkInventoryTransfer.php), so it is done for every SKU or
 * for none.
 */
async function transfer(client: CallClient, call: BulkTransferCall, body: unknown): Promise<void> {
  const move = call.body;
  await client.sendChecked("POST", call.path, body, async () => {
    const state = await moveState(client, move);
    if (state === "partly") {
      throw new UnsettledWriteError(
        `The transfer from ${move.originSource} to ${move.destinationSource} lost its connection, and the store now shows it done for some SKUs and not others; something else changed these source items meanwhile.`,
        "Nothing after it was sent. Run `inv plan` to see the store as it is now.",
      );
    }
    return state === "done";
  });
}

async function moveState(
  client: CallClient,
  move: BulkTransferCall["body"],
): Promise<"done" | "not-started" | "partly"> {
  // The same chunked read as planning: SKUs with a comma need `eq`, long lists several requests.
  const bySku = await client.readSourceItems(new Set(move.skus));
  const origins = [...bySku.values()].flatMap((items) => items.filter((i) => i.source === move.originSource));
  const remaining = origins.filter((i) =>
    move.unassignFromOrigin ? true : i.quantity !== 0 || i.status !== "out_of_stock",
  ).length;
  if (remaining === 0) return "done";
  return remaining === move.skus.length ? "not-started" : "partly";
}

/** Deleting a stock twice answers 404, so a lost answer is settled by looking the stock up. */
async function deleteStock(client: CallClient, path: string): Promise<void> {
  await client.sendChecked("DELETE", path, undefined, async () => {
    try {
      await client.get(path);
      return false;
    } catch (error) {
      if (error instanceof MagentoApiError && error.status === 404) return true;
      throw error;
    }
  });
}

/**
 * Sends an array call, split further if the store's input limit is below the plan's batch
 * size ("Maximum items of type ... is %max"); the lower limit holds for the calls after it.
 */
async function sendInBatches(
  call: PlannedCall,
  request: ResolvedRequest,
  context: ExecutorContext,
  key: "links" | "sourceItems",
): Promise<ExecutorResult> {
  const body = request.body as Readonly<Record<string, unknown>>;
  const items = (body[key] as readonly unknown[] | undefined) ?? [];
  if (items.length <= context.arrayLimit.value) {
    try {
      await context.client.send(call.method, request.path, body, call.repeatable);
      return DONE;
    } catch (error) {
      if (!(error instanceof ArrayLimitError)) throw error;
      context.arrayLimit.value = error.max;
      context.onRebatch?.(error.max);
    }
  }
  const limit = context.arrayLimit.value;
  for (let i = 0; i < items.length; i += limit) {
    await context.client.send(
      call.method,
      request.path,
      { ...body, [key]: items.slice(i, i + limit) },
      call.repeatable,
    );
  }
  return DONE;
}
