// The REST client: auth, retries, paging at the store's page size, input-limit adaptation
// and error decoding. Magento's raw shapes stop at this folder's edge (see convert.ts).

import { promisify } from "node:util";
import { brotliDecompress, gunzip, inflate } from "node:zlib";
import { Agent, type Dispatcher } from "undici";
import { ConfigurationError, ConnectionError, MagentoApiError, type CallName } from "../errors.js";
import { REQUIRED_ACL_RESOURCES, type AuthProvider, type TokenRequest } from "./auth.js";
import { decodeErrorBody, type DecodedError } from "./decode-error.js";
import { forEachPooled } from "./pool.js";
import {
  DEFAULT_RETRY_POLICY,
  describeFailure,
  isRetryable,
  parseRetryAfter,
  retryDelayMs,
  type Failure,
  type Repeatable,
  type RetryPolicy,
} from "./retry.js";
import { searchCriteriaQuery, type SearchCriteria } from "./search-criteria.js";

export interface ClientOptions {
  /** The store's base URL, without /rest (MAGENTO_URL). */
  readonly baseUrl: string;
  /** REST store code (MAGENTO_STORE); MSI data is global, `all` is the admin scope. */
  readonly storeCode?: string;
  readonly auth: AuthProvider | ((request: TokenRequest) => AuthProvider);
  /** Requests in flight at once for reads. */
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** The page size to ask for; lowered when the store reports its maximum. */
  readonly pageSize?: number;
  readonly allowHttp?: boolean;
  readonly dispatcher?: Dispatcher;
  readonly onEvent?: (event: ClientEvent) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export type ClientEvent =
  | {
      readonly type: "response";
      readonly method: string;
      readonly route: string;
      /** Path and query as sent (never credentials: the base URL may not carry them). */
      readonly path: string;
      readonly status: number;
      readonly ms: number;
      readonly bytes: number;
    }
  | {
      readonly type: "retry";
      readonly method: string;
      readonly route: string;
      readonly attempt: number;
      readonly reason: string;
      readonly delayMs: number;
    }
  | { readonly type: "relogin"; readonly method: string; readonly route: string }
  | { readonly type: "page-size"; readonly from: number; readonly to: number };

export interface SearchResult<T> {
  readonly items: T[];
  readonly total_count: number;
}

/**
 * Magento's input-limit error for arrays (docs/magento/webapi-platform.md#array-limit), carrying the store's maximum.
 */
export class ArrayLimitError extends MagentoApiError {
  constructor(
    call: CallName,
    status: number,
    decoded: DecodedError,
    readonly max: number,
  ) {
    super(call, status, decoded.message, decoded.details);
  }
}

export const DEFAULT_PAGE_SIZE = 1000;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_TIMEOUT_MS = 120_000;

const decompressors: Readonly<Record<string, (buffer: Buffer) => Promise<Buffer>>> = {
  gzip: promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

/** A checked write whose check found it already done. */
const SETTLED = Symbol("settled");

interface RawResponse {
  readonly status: number;
  readonly contentType: string;
  readonly retryAfter: string | undefined;
  readonly body: string;
}

export class MagentoClient {
  readonly baseUrl: URL;
  readonly storeCode: string;
  readonly auth: AuthProvider;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly onEvent: (event: ClientEvent) => void;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private currentPageSize: number;
  /** The store answered with one of Magento's input-limit errors: arrays are capped too. */
  inputLimitsDetected = false;
  /** Requests sent, by `METHOD route` (path parameters folded), for reports and the benchmark. */
  readonly requestCounts = new Map<string, number>();

  constructor(options: ClientOptions) {
    this.baseUrl = parseBaseUrl(options.baseUrl, options.allowHttp ?? false);
    this.storeCode = options.storeCode ?? "all";
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.currentPageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connections: this.concurrency + 1,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        keepAliveTimeout: 10_000,
      });
    this.onEvent = options.onEvent ?? (() => {});
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.auth =
      typeof options.auth === "function" ? options.auth((route, body) => this.tokenRequest(route, body)) : options.auth;
  }

  get pageSize(): number {
    return this.currentPageSize;
  }

  /** Requests in flight at once; a read that runs its own tasks keeps to it too. */
  get readConcurrency(): number {
    return this.concurrency;
  }

  /** The URL shown to people: never with credentials, never with a query string. */
  get displayUrl(): string {
    return displayBaseUrl(this.baseUrl);
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  async get<T>(route: string, query = "", repeatable: Repeatable = "transient"): Promise<T> {
    const response = await this.call("GET", route, query, undefined, repeatable === "checked" ? "never" : repeatable);
    return parseJson<T>(response as RawResponse, { method: "GET", route });
  }

  /** A write; `repeatable` says which failures may be sent again (retry.ts). */
  async send<T>(method: "POST" | "PUT" | "DELETE", route: string, body: unknown, repeatable: Repeatable): Promise<T> {
    // A checked write without its check is never sent twice.
    const response = await this.call(method, route, "", body, repeatable === "checked" ? "never" : repeatable);
    return parseJson<T>(response as RawResponse, { method, route });
  }

  /**
   * A write that is not safe to send twice blindly (creating a stock, a bulk transfer). After a
   * failure whose outcome is unknown (connection lost, 429, gateway error, masked 500), the
   * client waits as for any retry, then asks `settled` whether the store already shows the
   * write done, and sends it again only when it does not. Resolves with the answer, or with
   * undefined when `settled` found the write done.
   */
  async sendChecked<T>(
    method: "POST" | "PUT" | "DELETE",
    route: string,
    body: unknown,
    settled: () => Promise<boolean>,
  ): Promise<T | undefined> {
    const response = await this.call(method, route, "", body, "checked", settled);
    return response === SETTLED ? undefined : parseJson<T>(response, { method, route });
  }

  /**
   * Reads every row matching `criteria`: page 1 first (it tells the total), then the rest
   * concurrently. Stops at the page count from `total_count`, so neither Magento 2.3's
   * repeated last page nor 2.4's empty page past the end matters. `map` converts each
   * row at once, so raw pages do not pile up in memory.
   */
  async search<T, R>(
    route: string,
    criteria: SearchCriteria,
    map: (raw: T) => R,
    onPage?: (done: number, total: number) => void,
    extraQuery = "",
  ): Promise<R[]> {
    const first = await this.searchPage<T>(route, criteria, 1, undefined, extraQuery);
    const pages = pageCount(first.total_count, first.pageSize);
    onPage?.(1, pages);
    const results: R[][] = [first.items.map(map)];
    if (first.items.length >= first.pageSize) {
      let done = 1;
      await forEachPooled(range(2, pages), this.concurrency, async (page) => {
        const result = await this.searchPage<T>(route, criteria, page, first.pageSize, extraQuery);
        results[page - 1] = result.items.map(map);
        onPage?.(++done, pages);
      });
    }
    return results.flat();
  }

  /**
   * One page of a search. When the store answers "Maximum SearchCriteria pageSize is %max"
   * (input limits on), the client adopts that maximum and asks again.
   */
  async searchPage<T>(
    route: string,
    criteria: SearchCriteria,
    currentPage: number,
    pageSize = this.currentPageSize,
    extraQuery = "",
  ): Promise<SearchResult<T> & { pageSize: number }> {
    for (;;) {
      try {
        const query = searchCriteriaQuery(criteria, { pageSize, currentPage }) + (extraQuery ? `&${extraQuery}` : "");
        const result = await this.get<SearchResult<T>>(route, query);
        return { items: result.items ?? [], total_count: Number(result.total_count ?? 0), pageSize };
      } catch (error) {
        const max = pageSizeLimit(error);
        if (max === undefined || max >= pageSize || max < 1) throw error;
        // Pages already computed at the old size must keep their size; only page 1 adapts.
        if (currentPage !== 1) throw error;
        this.inputLimitsDetected = true;
        if (max < this.currentPageSize) {
          this.onEvent({ type: "page-size", from: this.currentPageSize, to: max });
          this.currentPageSize = max;
        }
        pageSize = max;
      }
    }
  }

  private async call(
    method: string,
    route: string,
    query: string,
    body: unknown,
    repeatable: Repeatable,
    settled?: () => Promise<boolean>,
  ): Promise<RawResponse | typeof SETTLED> {
    const name: CallName = { method, route: foldRoute(route) };
    const url = this.url(route, query);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let reloggedIn = false;
    for (let attempt = 1; ; attempt++) {
      let failure: Failure;
      let response: RawResponse | undefined;
      let authorization = "";
      try {
        // Authorised once a slot is free, so a request that queued does not carry a token that expired meanwhile.
        response = await this.withSlot(async () => {
          authorization = await this.auth.authorize(method, url);
          return this.request(method, url, authorization, payload, name);
        });
      } catch (error) {
        if (error instanceof MagentoApiError || error instanceof ConfigurationError) throw error;
        // Closed by inv itself (the command ended): retrying would only keep the process alive.
        if (isClosedDispatcher(error)) throw new ConnectionError(name, "the connection pool was closed");
        // An untrusted certificate stays untrusted: retrying would only delay the answer.
        if (isCertificateError(error))
          throw new ConnectionError(
            name,
            networkReason(error, this.timeoutMs),
            "The store's certificate is not signed by an authority Node " +
              "trusts; for a private CA, set NODE_EXTRA_CA_CERTS to a PEM file with it.",
          );
        failure = { kind: "network", reason: networkReason(error, this.timeoutMs) };
      }
      if (response) {
        if (response.status >= 200 && response.status < 300) return response;
        if (response.status === 401 && this.auth.kind === "admin") {
          // A request that waited with a token another request has since replaced just takes the new one.
          if ((await this.auth.authorize(method, url)) !== authorization) {
            attempt--;
            continue;
          }
          if (!reloggedIn) {
            reloggedIn = true;
            this.onEvent({ type: "relogin", method, route: name.route });
            if (await this.auth.refresh(authorization)) {
              attempt--;
              continue;
            }
          }
        }
        const decoded = decodeErrorBody(response.status, response.contentType, response.body);
        failure = {
          kind: "http",
          status: response.status,
          rawMessage: decoded.rawMessage,
          retryAfterMs: parseRetryAfter(response.retryAfter, Date.now()),
        };
        if (
          !isRetryable(failure, repeatable) ||
          attempt >= this.retry.maxAttempts ||
          (failure.retryAfterMs ?? 0) > this.retry.maxRetryAfterMs
        ) {
          throw this.apiError(name, response.status, decoded);
        }
      } else if (!isRetryable(failure!, repeatable) || attempt >= this.retry.maxAttempts) {
        throw new ConnectionError(
          name,
          failure!.kind === "network" ? failure!.reason : "",
          connectionHint(this.baseUrl, repeatable),
        );
      }
      const delayMs = retryDelayMs(failure!, attempt, this.retry, this.random);
      this.onEvent({ type: "retry", method, route: name.route, attempt, reason: describeFailure(failure!), delayMs });
      await this.sleep(delayMs);
      if (repeatable === "checked" && (await settled?.())) return SETTLED;
    }
  }

  private async request(
    method: string,
    url: URL,
    authorization: string,
    payload: string | undefined,
    name: CallName,
  ): Promise<RawResponse> {
    const started = performance.now();
    const headers: Record<string, string> = {
      accept: "application/json",
      "accept-encoding": "gzip, deflate, br",
      authorization,
      "user-agent": "inv (Magento MSI as code)",
    };
    if (payload !== undefined) headers["content-type"] = "application/json";
    const response = await this.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: method as Dispatcher.HttpMethod,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const encoding = header(response.headers, "content-encoding")?.toLowerCase();
    const decompress = encoding ? decompressors[encoding] : undefined;
    // Uncompressed bodies are decoded by undici in one step; compressed ones are inflated first.
    const body = decompress
      ? (await decompress(Buffer.from(await response.body.arrayBuffer()))).toString("utf8")
      : await response.body.text();
    this.count(name);
    this.onEvent({
      type: "response",
      method,
      route: name.route,
      path: `${url.pathname}${url.search}`,
      status: response.statusCode,
      ms: Math.round(performance.now() - started),
      bytes: body.length,
    });
    return {
      status: response.statusCode,
      contentType: header(response.headers, "content-type") ?? "",
      retryAfter: header(response.headers, "retry-after"),
      body,
    };
  }

  /** The unauthenticated token routes (admin login, Google 2FA): no retries beyond transient ones. */
  private async tokenRequest(
    route: string,
    body: unknown,
  ): Promise<{ status: number; contentType: string; body: string }> {
    const url = this.url(route, "");
    const name: CallName = { method: "POST", route };
    for (let attempt = 1; ; attempt++) {
      try {
        // Outside the slots: requests holding every slot may be the ones waiting for this login.
        const response = await this.request("POST", url, "", JSON.stringify(body), name);
        const transient =
          response.status === 429 || response.status === 502 || response.status === 503 || response.status === 504;
        if (!transient || attempt >= this.retry.maxAttempts) return response;
      } catch (error) {
        if (attempt >= this.retry.maxAttempts)
          throw new ConnectionError(
            name,
            networkReason(error, this.timeoutMs),
            connectionHint(this.baseUrl, "transient"),
          );
      }
      await this.sleep(retryDelayMs({ kind: "network", reason: "" }, attempt, this.retry, this.random));
    }
  }

  private apiError(call: CallName, status: number, decoded: DecodedError): MagentoApiError {
    const max = arrayLimit(decoded);
    if (max !== undefined) {
      this.inputLimitsDetected = true;
      return new ArrayLimitError(call, status, decoded, max);
    }
    return new MagentoApiError(
      call,
      status,
      decoded.message,
      decoded.details,
      errorHint(status, decoded, this.auth.kind),
    );
  }

  private url(route: string, query: string): URL {
    const base = this.baseUrl.pathname.replace(/\/+$/, "");
    const url = new URL(this.baseUrl.href);
    url.pathname = `${base}/rest/${encodeURIComponent(this.storeCode)}/${route}`;
    url.search = query;
    return url;
  }

  private count(name: CallName): void {
    const key = `${name.method} ${name.route}`;
    this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1);
  }

  private async withSlot<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** The whole numbers from..to, both included. */
function range(from: number, to: number): number[] {
  return to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function parseJson<T>(response: RawResponse, call: CallName): T {
  try {
    return JSON.parse(response.body) as T;
  } catch {
    throw new MagentoApiError(
      call,
      response.status,
      `the store answered ${response.contentType || "without a content type"} that is not JSON`,
      [],
      "Check that MAGENTO_URL points at the Magento store itself (the base URL, without /rest).",
    );
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `V1/inventory/sources/ne_wh` -> `V1/inventory/sources/:sourceCode`, so reports group calls. */
function foldRoute(route: string): string {
  return route
    .replace(/^(V1\/inventory\/sources)\/[^/]+$/, "$1/:sourceCode")
    .replace(/^(V1\/inventory\/stocks)\/[^/]+$/, "$1/:stockId")
    .replace(/^(V1\/inventory\/get-sources-assigned-to-stock-ordered-by-priority)\/[^/]+$/, "$1/:stockId")
    .replace(/^(V1\/inventory\/get-product-salable-quantity)\/.+$/, "$1/:sku/:stockId");
}

function pageSizeLimit(error: unknown): number | undefined {
  if (!(error instanceof MagentoApiError) || error.status !== 400) return undefined;
  const match = /^Maximum SearchCriteria pageSize is (\d+)/.exec(error.magentoMessage);
  return match ? Number(match[1]) : undefined;
}

function arrayLimit(decoded: DecodedError): number | undefined {
  if (!decoded.rawMessage.startsWith("Maximum items of type")) return undefined;
  const max = Number(
    (decoded.parameters as { max?: unknown } | undefined)?.max ?? /is (\d+)$/.exec(decoded.message)?.[1],
  );
  return Number.isFinite(max) && max > 0 ? max : undefined;
}

function errorHint(status: number, decoded: DecodedError, authKind: AuthProvider["kind"]): string | undefined {
  if (status === 401) {
    const needs = REQUIRED_ACL_RESOURCES.join(", ");
    // Magento's OAuth verifier names its own failure (magento/magento2:lib/internal/Magento/Framework/Oauth/Oauth.php);
    // a bad signature has two usual causes.
    if (authKind === "oauth" && /signature is invalid/i.test(decoded.rawMessage)) {
      return (
        "Check MAGENTO_CONSUMER_SECRET and MAGENTO_ACCESS_TOKEN_SECRET; a proxy that changes the scheme, host " +
        `or path in front of Magento also breaks signatures (Magento signs the URL it sees). inv needs ${needs}.`
      );
    }
    const causes = [
      authKind === "admin"
        ? "the admin token expired and logging in again did not help"
        : "the token is wrong or has expired",
      authKind === "bearer"
        ? "an integration access token is used as a bearer token, which Magento 2.4.4+ refuses unless Stores > " +
          "Configuration > Services > OAuth > Consumer Settings allows it (or use the four OAuth keys instead)"
        : undefined,
      "the integration or admin role lacks an ACL resource",
    ].filter((c): c is string => c !== undefined);
    // RequestValidator names the resource the route needs (parameters.resources).
    const resources = (decoded.parameters as { resources?: unknown } | undefined)?.resources;
    const call = typeof resources === "string" && resources !== "" ? `This call needs ${resources}. ` : "";
    return `${call}Magento gives the same 401 for each of these: ${causes.join("; ")}. inv needs ${needs}.`;
  }
  if (status === 404 && decoded.rawMessage === "Request does not match any route.") {
    return (
      "Check MAGENTO_URL (the store's base URL, without /rest), " +
      "MAGENTO_STORE, and that the Magento_Inventory* modules are enabled."
    );
  }
  return undefined;
}

function isClosedDispatcher(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === "UND_ERR_CLOSED" || code === "UND_ERR_DESTROYED";
}

const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

function isCertificateError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && CERTIFICATE_CODES.test(code);
}

function networkReason(error: unknown, timeoutMs: number): string {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT")
    return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND") return "host not found";
  if (code === "UND_ERR_SOCKET" || code === "ECONNRESET") return "the connection was closed before the answer arrived";
  // Node's TLS verification codes; a store behind a private CA needs NODE_EXTRA_CA_CERTS.
  if (code && CERTIFICATE_CODES.test(code)) return `the store's TLS certificate is not trusted (${code})`;
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${message} (${code})` : message;
}

function connectionHint(baseUrl: URL, repeatable: Repeatable): string {
  const retried =
    repeatable === "never"
      ? "This call is not retried automatically, because sending it twice could do it twice."
      : repeatable === "checked"
        ? "inv retried it with backoff, each time after checking that the store did not already do it."
        : "inv retried it with backoff.";
  return `${retried} Check that ${displayBaseUrl(baseUrl)} is reachable; for a private CA, set NODE_EXTRA_CA_CERTS.`;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

function parseBaseUrl(value: string, allowHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(
      `MAGENTO_URL "${value}" is not a URL.`,
      "Give the store's base URL, e.g. https://shop.example.com (without /rest).",
    );
  }
  if (url.username || url.password) {
    throw new ConfigurationError(
      "MAGENTO_URL must not carry credentials.",
      "Pass credentials through MAGENTO_TOKEN or the other MAGENTO_* variables.",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(`MAGENTO_URL must use https:// (got ${url.protocol}//).`);
  }
  if (url.protocol === "http:" && !allowHttp && !LOOPBACK.test(url.hostname)) {
    throw new ConfigurationError(
      `Refusing plain http:// to ${url.hostname}: credentials would cross the network unencrypted.`,
      "Use https://, or pass --allow-http if the network is trusted.",
    );
  }
  url.search = "";
  url.hash = "";
  if (/\/rest\/?$/.test(url.pathname)) {
    throw new ConfigurationError(
      "MAGENTO_URL ends in /rest; give the store's base URL without " +
        `it (${url.origin}${url.pathname.replace(/\/rest\/?$/, "")}).`,
    );
  }
  return url;
}

export function displayBaseUrl(url: URL): string {
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
