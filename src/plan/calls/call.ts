// The REST calls of a plan: one kind per Magento operation, each with the route, the body
// and what apply needs to send it safely. Calls are derived from the plan's changes by one
// converter per kind (derive-calls.ts), at plan time and again when a saved plan is applied,
// and sent by one executor per kind (src/apply/executors.ts).

import type { StockIdRef } from "../../magento/convert.js";
import type { Repeatable } from "../../magento/retry.js";

/** In the order a plan sends them (derive-calls.ts). */
export const CALL_KINDS = [
  "source-save",
  "stock-create",
  "link-save",
  "stock-update",
  "bulk-transfer",
  "bulk-assign",
  "source-item-save",
  "bulk-unassign",
  "source-item-delete",
  "link-delete",
  "stock-delete",
] as const;

export type CallKind = (typeof CALL_KINDS)[number];

/** What every call has, whatever its kind. */
interface CallCommon<K extends CallKind> {
  /** 1-based position in the plan. */
  readonly id: number;
  readonly kind: K;
  readonly description: string;
  /** Positions (0-based) of the changes this call carries out, in plan.changes. */
  readonly changes: readonly number[];
  /** Which failures the client may send again (src/magento/retry.ts). */
  readonly repeatable: Repeatable;
}

/** A stock id, or the name of a stock this apply creates first ("known after apply"). */
export type StockRef = number | StockIdRef;

/** `{ stock: { stock_id?, name, extension_attributes: { sales_channels } } }` (src/magento/convert.ts). */
export interface StockPayload {
  readonly stock: Readonly<Record<string, unknown>>;
}

export interface SourceItemPayload {
  readonly sku: string;
  readonly source_code: string;
  readonly quantity: number;
  readonly status: 0 | 1;
}

/** Magento's SourceRepositoryInterface::save: POST creates, PUT of the code updates. */
export interface SourceSaveCall extends CallCommon<"source-save"> {
  readonly method: "POST" | "PUT";
  readonly path: string;
  readonly body: { readonly source: Readonly<Record<string, unknown>> };
}

/** A new stock, without channels; its id is known once the call returns. */
export interface StockCreateCall extends CallCommon<"stock-create"> {
  readonly method: "POST";
  readonly path: "V1/inventory/stocks";
  readonly body: StockPayload;
  /** The stock whose new id this call returns. */
  readonly returns_stock_id: string;
}

/** A stock saved whole (name and every sales channel: Magento replaces the list). */
export interface StockUpdateCall extends CallCommon<"stock-update"> {
  readonly method: "PUT";
  /** `:stockId` stands for the id of `path_stock`, known after apply. */
  readonly path: string;
  readonly path_stock?: string;
  readonly body: StockPayload;
}

/** Array calls can be split again at apply time if the store's input limit is lower. */
export interface ArrayShape<K extends string> {
  readonly key: K;
  readonly items: number;
}

export interface LinkSaveCall extends CallCommon<"link-save"> {
  readonly method: "POST";
  readonly path: "V1/inventory/stock-source-links";
  readonly body: {
    readonly links: readonly { readonly source_code: string; readonly stock_id: StockRef; readonly priority: number }[];
  };
  readonly array: ArrayShape<"links">;
}

export interface LinkDeleteCall extends CallCommon<"link-delete"> {
  readonly method: "POST";
  readonly path: "V1/inventory/stock-source-links-delete";
  readonly body: { readonly links: readonly { readonly source_code: string; readonly stock_id: StockRef }[] };
  readonly array: ArrayShape<"links">;
}

export interface SourceItemSaveCall extends CallCommon<"source-item-save"> {
  readonly method: "POST";
  readonly path: "V1/inventory/source-items";
  readonly body: { readonly sourceItems: readonly SourceItemPayload[] };
  readonly array: ArrayShape<"sourceItems">;
}

export interface SourceItemDeleteCall extends CallCommon<"source-item-delete"> {
  readonly method: "POST";
  readonly path: "V1/inventory/source-items-delete";
  readonly body: { readonly sourceItems: readonly { readonly sku: string; readonly source_code: string }[] };
  readonly array: ArrayShape<"sourceItems">;
}

/** Seed 002's transfer: adds the origin's quantities at the destination, so never resent blindly. */
export interface BulkTransferCall extends CallCommon<"bulk-transfer"> {
  readonly method: "POST";
  readonly path: "V1/inventory/bulk-product-source-transfer";
  readonly body: {
    readonly skus: readonly string[];
    readonly originSource: string;
    readonly destinationSource: string;
    readonly unassignFromOrigin: boolean;
  };
}

export interface BulkAssignCall extends CallCommon<"bulk-assign"> {
  readonly method: "POST";
  readonly path: "V1/inventory/bulk-product-source-assign";
  readonly body: { readonly skus: readonly string[]; readonly sourceCodes: readonly string[] };
}

export interface BulkUnassignCall extends CallCommon<"bulk-unassign"> {
  readonly method: "POST";
  readonly path: "V1/inventory/bulk-product-source-unassign";
  readonly body: { readonly skus: readonly string[]; readonly sourceCodes: readonly string[] };
}

/** A stock deleted; one with sales channels has them emptied by a save first. */
export interface StockDeleteCall extends CallCommon<"stock-delete"> {
  readonly method: "DELETE";
  readonly path: string;
  /** A DELETE has no body (absent from the JSON document). */
  readonly body: undefined;
  /**
   * Magento refuses to delete a stock that sells on a channel
   * (magento/inventory:InventorySales/Plugin/InventoryApi/StockRepository/
   * PreventDeletingAssignedToSalesChannelsStockPlugin.php), so this save (PUT of the same path) empties the list first;
   * null when it is empty already.
   */
  readonly unassign_channels_first: StockPayload | null;
}

export type PlannedCall =
  | SourceSaveCall
  | StockCreateCall
  | StockUpdateCall
  | LinkSaveCall
  | LinkDeleteCall
  | SourceItemSaveCall
  | SourceItemDeleteCall
  | BulkTransferCall
  | BulkAssignCall
  | BulkUnassignCall
  | StockDeleteCall;

export type CallOfKind<K extends CallKind> = Extract<PlannedCall, { kind: K }>;

/** A call before its position in the plan is known. */
export type Draft<K extends CallKind = CallKind> = K extends CallKind ? Omit<CallOfKind<K>, "id"> : never;
