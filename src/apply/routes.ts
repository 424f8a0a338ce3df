// The routes apply may reach, per call kind: an allow-list of method and path patterns.
// Every request an executor makes goes through a CallClient, which sends nothing else, so
// no call, however a plan file was edited, can reach a route outside the inventory routes
// inv plans (a `DELETE V1/customers/1` is refused before it leaves the process).

import { InvError } from "../errors.js";
import type { MagentoClient } from "../magento/client.js";
import type { Repeatable } from "../magento/retry.js";
import type { SearchCriteria } from "../magento/search-criteria.js";
import type { CallKind, PlannedCall } from "../plan/calls/call.js";
import { readSourceItems } from "../state/read-source-items.js";

type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface RoutePattern {
  readonly method: Method;
  /** As shown in messages: `PUT V1/inventory/stocks/{stockId}`. */
  readonly shown: string;
  readonly path: RegExp;
}

const PARAMETERS: Readonly<Record<string, string>> = {
  // A source code is sent URL-encoded (derive-calls.ts), so it holds no `/`, `?` or `#`.
  "{sourceCode}": "[^/?#]+",
  "{stockId}": "[1-9][0-9]*",
};

function route(method: Method, path: string): RoutePattern {
  const pattern = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, (name) => PARAMETERS[name] ?? name);
  return { method, shown: `${method} ${path}`, path: new RegExp(`^${pattern}$`) };
}

/** Each kind's writes, and the reads its executor makes to settle an unknown outcome. */
export const CALL_ROUTES: { readonly [K in CallKind]: readonly RoutePattern[] } = {
  "source-save": [route("POST", "V1/inventory/sources"), route("PUT", "V1/inventory/sources/{sourceCode}")],
  "stock-create": [route("POST", "V1/inventory/stocks"), route("GET", "V1/inventory/stocks")],
  "stock-update": [route("PUT", "V1/inventory/stocks/{stockId}")],
  "link-save": [route("POST", "V1/inventory/stock-source-links")],
  "link-delete": [route("POST", "V1/inventory/stock-source-links-delete")],
  "source-item-save": [route("POST", "V1/inventory/source-items")],
  "source-item-delete": [route("POST", "V1/inventory/source-items-delete")],
  "bulk-transfer": [
    route("POST", "V1/inventory/bulk-product-source-transfer"),
    route("GET", "V1/inventory/source-items"),
  ],
  "bulk-assign": [route("POST", "V1/inventory/bulk-product-source-assign")],
  "bulk-unassign": [route("POST", "V1/inventory/bulk-product-source-unassign")],
  "stock-delete": [
    route("DELETE", "V1/inventory/stocks/{stockId}"),
    route("PUT", "V1/inventory/stocks/{stockId}"),
    route("GET", "V1/inventory/stocks/{stockId}"),
  ],
};

/** A request a call may not make. Nothing of it is sent. */
export class ForbiddenRouteError extends InvError {
  readonly code = "plan-file" as const;
}

function isAllowed(kind: string, method: string, path: string): boolean {
  const routes: readonly RoutePattern[] | undefined = Object.hasOwn(CALL_ROUTES, kind)
    ? CALL_ROUTES[kind as CallKind]
    : undefined;
  return routes?.some((r) => r.method === method && r.path.test(path)) ?? false;
}

/**
 * Why a planned call may not be sent, or undefined when it may. `:stockId` (a stock created
 * earlier in the apply) is checked again once resolved, when the request is made.
 */
export function routeProblem(call: PlannedCall): string | undefined {
  const kind = String(call.kind);
  if (!Object.hasOwn(CALL_ROUTES, kind))
    return `call ${call.id} has kind ${JSON.stringify(call.kind)}, which inv does not send`;
  const path = call.path.replace(":stockId", "1");
  if (isAllowed(kind, call.method, path)) return undefined;
  return forbidden(call, call.method, call.path);
}

function forbidden(call: PlannedCall, method: string, path: string): string {
  const allowed = CALL_ROUTES[call.kind].filter((r) => r.method !== "GET").map((r) => r.shown);
  return `call ${call.id} (${call.kind}) would send ${method} ${path}; a ${call.kind} call goes only to ${allowed.join(" or ")}`;
}

/** The client as one call sees it: only its kind's routes, and a count of the requests it made. */
export class CallClient {
  private requestCount = 0;
  private counting = false;

  constructor(
    private readonly client: MagentoClient,
    private readonly call: PlannedCall,
  ) {}

  /** HTTP requests this call has made so far, retries included. */
  get requests(): number {
    return this.requestCount;
  }

  async send<T>(method: "POST" | "PUT" | "DELETE", path: string, body: unknown, repeatable: Repeatable): Promise<T> {
    this.allow(method, path);
    return this.counted(() => this.client.send<T>(method, path, body, repeatable));
  }

  async sendChecked<T>(
    method: "POST" | "PUT" | "DELETE",
    path: string,
    body: unknown,
    settled: () => Promise<boolean>,
  ): Promise<T | undefined> {
    this.allow(method, path);
    return this.counted(() => this.client.sendChecked<T>(method, path, body, settled));
  }

  async get<T>(path: string): Promise<T> {
    this.allow("GET", path);
    return this.counted(() => this.client.get<T>(path));
  }

  async search<T, R>(route: string, criteria: SearchCriteria, map: (raw: T) => R): Promise<R[]> {
    this.allow("GET", route);
    return this.counted(() => this.client.search<T, R>(route, criteria, map));
  }

  async readSourceItems(skus: ReadonlySet<string>): ReturnType<typeof readSourceItems> {
    this.allow("GET", "V1/inventory/source-items");
    return this.counted(() => readSourceItems(this.client, skus));
  }

  private allow(method: string, path: string): void {
    if (isAllowed(this.call.kind, method, path)) return;
    throw new ForbiddenRouteError(
      `Refused to send ${method} ${path}: ${forbidden(this.call, method, path)}.`,
      "inv sends only the inventory calls it derives from a plan's changes. Make the plan again with `inv plan`.",
    );
  }

  /**
   * Counts by the client's own counters, which see every retry and every page. A read made
   * while settling a write runs inside that write's count, so only the outermost one counts.
   */
  private async counted<T>(task: () => Promise<T>): Promise<T> {
    if (this.counting) return task();
    this.counting = true;
    const before = totalRequests(this.client);
    try {
      return await task();
    } finally {
      this.counting = false;
      this.requestCount += totalRequests(this.client) - before;
    }
  }
}

function totalRequests(client: MagentoClient): number {
  let sum = 0;
  for (const n of client.requestCounts.values()) sum += n;
  return sum;
}
