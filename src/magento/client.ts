// The REST client: auth, retries, paging at the store's page size, input-limit adaptation
// and error decoding. Magento's raw shapes stop at this folder's edge (see convert.ts).

import { promisify } from "node:util";
import { brotliDecompress, gunzip, inflate } from "node:zlib";
import { Agent, type Dispatcher } from "undici";
import { ConfigurationError, ConnectionError, InvError, MagentoApiError, type CallName } from "../errors.js";
import { REQUIRED_ACL_RESOURCES, type AuthProvider, type TokenRequest, type TokenResponse } from "./auth.js";
import { decodeErrorBody, isHtml, type DecodedError } from "./decode-error.js";
import { pageCount } from "./equivalence.js";
import { forEachPooled, RequestSlots } from "./pool.js";
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
import {
  classifyNetworkError,
  displayTarget,
  htmlAnswerHint,
  isTransientNetworkFailure,
  networkAdvice,
  redirectHint,
  redirectTarget,
} from "./transport.js";

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
  /** The random source of the retry jitter, in [0, 1) like Math.random (the default). */
  readonly random?: () => number;
}

/** What the client tells the CLI as it works; `route` folds ids (`V1/inventory/stocks/:stockId`) to group calls. */
export type ClientEvent =
  | {
      readonly type: "response";
      readonly method: string;
      readonly route: string;
      /** Where it went, without the query (CallName.url). */
      readonly url: string;
      /** The query string as sent, without `?`; "" for none. */
      readonly query: string;
      /** Path and query as sent (never credentials: the base URL may not carry them). */
      readonly path: string;
      readonly status: number;
      readonly ms: number;
      readonly bytes: number;
    }
  | {
      /** A request that got no HTTP answer: refused, timed out, dropped. */
      readonly type: "no-answer";
      readonly method: string;
      readonly route: string;
      readonly url: string;
      readonly query: string;
      readonly reason: string;
      readonly ms: number;
    }
  | {
      readonly type: "retry";
      readonly method: string;
      readonly route: string;
      readonly url: string;
      readonly attempt: number;
      readonly reason: string;
      readonly delayMs: number;
    }
  | { readonly type: "relogin"; readonly method: string; readonly route: string; readonly url: string }
  | { readonly type: "page-size"; readonly from: number; readonly to: number };

/** How one request is sent; the defaults are what every command wants. */
export interface CallOptions {
  /** Sent without credentials (Magento's anonymous routes). */
  readonly anonymous?: boolean;
  /** An admin token refused with 401 is renewed and the request sent again (default true). */
  readonly relogin?: boolean;
}

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
  readonly location: string | undefined;
  readonly body: string;
}

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

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
  private readonly slots: RequestSlots;
  private currentPageSize: number;
  /** The store answered with one of Magento's input-limit errors: arrays are capped too. */
  inputLimitsDetected = false;
  /** Some request got an HTTP answer in this run: a refused connection now is a restart, not a wrong URL. */
  private storeHasAnswered = false;
  /** Requests sent, by `METHOD route` (path parameters folded), for reports and the benchmark. */
  readonly requestCounts = new Map<string, number>();

  constructor(options: ClientOptions) {
    this.baseUrl = parseBaseUrl(options.baseUrl, options.allowHttp ?? false);
    this.storeCode = options.storeCode ?? "all";
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.slots = new RequestSlots(this.concurrency);
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

  /** Ends the requests in flight too: after an interrupt, nothing waits for their answers. */
  async destroy(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.destroy();
  }

  async get<T>(route: string, query = "", repeatable: Repeatable = "transient"): Promise<T> {
    const { response, call } = await this.call(
      "GET",
      route,
      query,
      undefined,
      repeatable === "checked" ? "never" : repeatable,
    );
    return parseJson<T>(response as RawResponse, call);
  }

  /** A write; `repeatable` says which failures may be sent again (retry.ts). */
  async send<T>(method: "POST" | "PUT" | "DELETE", route: string, body: unknown, repeatable: Repeatable): Promise<T> {
    // A checked write without its check is never sent twice.
    const { response, call } = await this.call(
      method,
      route,
      "",
      body,
      repeatable === "checked" ? "never" : repeatable,
    );
    return parseJson<T>(response as RawResponse, call);
  }

  /**
   * One request as `inv doctor` sends it: transient failures retried, an admin token not renewed
   * on a 401 (the 401 is the finding), and every answer but success thrown as the error it is.
   */
  async probe<T>(
    method: "GET" | "POST" | "PUT" | "DELETE",
    route: string,
    options: { readonly query?: string; readonly body?: unknown; readonly anonymous?: boolean } = {},
  ): Promise<T> {
    const { response, call } = await this.call(
      method,
      route,
      options.query ?? "",
      options.body,
      "transient",
      undefined,
      {
        relogin: false,
        anonymous: options.anonymous ?? false,
      },
    );
    return parseJson<T>(response as RawResponse, call);
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
    const { response, call } = await this.call(method, route, "", body, "checked", settled);
    return response === SETTLED ? undefined : parseJson<T>(response, call);
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
    options: CallOptions = {},
  ): Promise<{ response: RawResponse | typeof SETTLED; call: CallName }> {
    const url = this.url(route, query);
    const name: CallName = { method, route, url: `${url.origin}${url.pathname}` };
    const group = foldRoute(route);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let reloggedIn = options.relogin === false;
    for (let attempt = 1; ; attempt++) {
      let failure: Failure;
      let response: RawResponse | undefined;
      let authorization = "";
      try {
        // Authorised once a slot is free, so a request that queued does not carry a token that expired meanwhile.
        response = await this.slots.run(async () => {
          authorization = options.anonymous ? "" : await this.auth.authorize(method, url);
          return this.request(method, url, authorization, payload, name, group);
        });
      } catch (error) {
        // A login that failed (admin token, two-factor) has its own message.
        if (error instanceof InvError) throw error;
        const network = classifyNetworkError(error, url, this.timeoutMs);
        failure = {
          kind: "network",
          reason: network.reason,
          transient: isTransientNetworkFailure(network.kind, this.storeHasAnswered),
        };
        if (!isRetryable(failure, repeatable) || attempt >= this.retry.maxAttempts) {
          const advice = networkAdvice(network, name, this.displayUrl, repeatable, this.storeHasAnswered);
          throw new ConnectionError(name, advice.reason, advice.hint);
        }
      }
      if (response) {
        if (response.status >= 200 && response.status < 300) return { response, call: name };
        if (REDIRECTS.has(response.status)) throw this.redirectError(name, url, response);
        if (response.status === 401 && this.auth.kind === "admin" && !options.anonymous && options.relogin !== false) {
          // A request that waited with a token another request has since replaced just takes the new one.
          if ((await this.auth.authorize(method, url)) !== authorization) {
            attempt--;
            continue;
          }
          if (!reloggedIn) {
            reloggedIn = true;
            this.onEvent({ type: "relogin", method, route: group, url: name.url });
            if (await this.auth.refresh(authorization)) {
              attempt--;
              continue;
            }
          }
        }
        const decoded = decodeErrorBody(response.contentType, response.body);
        failure = {
          kind: "http",
          status: response.status,
          rawMessage: decoded.rawMessage,
          retryAfterMs: parseRetryAfter(response.retryAfter, Date.now()),
          answer: decoded.answer,
          message: decoded.message,
        };
        if (
          !isRetryable(failure, repeatable) ||
          attempt >= this.retry.maxAttempts ||
          (failure.retryAfterMs ?? 0) > this.retry.maxRetryAfterMs
        ) {
          throw this.apiError(name, response.status, decoded);
        }
      }
      const delayMs = retryDelayMs(failure!, attempt, this.retry, this.random);
      this.onEvent({
        type: "retry",
        method,
        route: group,
        url: name.url,
        attempt,
        reason: describeFailure(failure!),
        delayMs,
      });
      await this.sleep(delayMs);
      if (repeatable === "checked" && (await settled?.())) return { response: SETTLED, call: name };
    }
  }

  private async request(
    method: string,
    url: URL,
    authorization: string,
    payload: string | undefined,
    name: CallName,
    group: string,
  ): Promise<RawResponse> {
    const started = performance.now();
    const headers: Record<string, string> = {
      accept: "application/json",
      "accept-encoding": "gzip, deflate, br",
      "user-agent": "inv (Magento MSI as code)",
    };
    if (authorization !== "") headers["authorization"] = authorization;
    if (payload !== undefined) headers["content-type"] = "application/json";
    const query = url.search.replace(/^\?/, "");
    let response: Dispatcher.ResponseData;
    let body: string;
    try {
      response = await this.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: method as Dispatcher.HttpMethod,
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      this.storeHasAnswered = true;
      const encoding = header(response.headers, "content-encoding")?.toLowerCase();
      const decompress = encoding ? decompressors[encoding] : undefined;
      // Uncompressed bodies are decoded by undici in one step; compressed ones are inflated first.
      body = decompress
        ? (await decompress(Buffer.from(await response.body.arrayBuffer()))).toString("utf8")
        : await response.body.text();
    } catch (error) {
      this.onEvent({
        type: "no-answer",
        method,
        route: group,
        url: name.url,
        query,
        reason: classifyNetworkError(error, url, this.timeoutMs).reason,
        ms: Math.round(performance.now() - started),
      });
      throw error;
    }
    this.count(method, group);
    this.onEvent({
      type: "response",
      method,
      route: group,
      url: name.url,
      query,
      path: `${url.pathname}${url.search}`,
      status: response.statusCode,
      ms: Math.round(performance.now() - started),
      bytes: body.length,
    });
    return {
      status: response.statusCode,
      contentType: header(response.headers, "content-type") ?? "",
      retryAfter: header(response.headers, "retry-after"),
      location: header(response.headers, "location"),
      body,
    };
  }

  /** The unauthenticated token routes (admin login, Google 2FA): no retries beyond transient ones. */
  private async tokenRequest(route: string, body: unknown): Promise<TokenResponse> {
    const url = this.url(route, "");
    const name: CallName = { method: "POST", route, url: `${url.origin}${url.pathname}` };
    for (let attempt = 1; ; attempt++) {
      try {
        // Outside the slots: requests holding every slot may be the ones waiting for this login.
        const response = await this.request("POST", url, "", JSON.stringify(body), name, route);
        if (REDIRECTS.has(response.status)) throw this.redirectError(name, url, response);
        const transient =
          response.status === 429 || response.status === 502 || response.status === 503 || response.status === 504;
        if (!transient || attempt >= this.retry.maxAttempts) {
          // An HTML page is not an answer about the login: say what answered instead.
          const decoded = decodeErrorBody(response.contentType, response.body);
          if (response.status !== 200 && decoded.answer === "html") throw this.apiError(name, response.status, decoded);
          return { status: response.status, contentType: response.contentType, body: response.body, call: name };
        }
      } catch (error) {
        if (error instanceof InvError) throw error;
        const network = classifyNetworkError(error, url, this.timeoutMs);
        const transient = isTransientNetworkFailure(network.kind, this.storeHasAnswered);
        if (!transient || attempt >= this.retry.maxAttempts) {
          const advice = networkAdvice(network, name, this.displayUrl, "transient", this.storeHasAnswered);
          throw new ConnectionError(name, advice.reason, advice.hint);
        }
      }
      await this.sleep(
        retryDelayMs({ kind: "network", reason: "", transient: true }, attempt, this.retry, this.random),
      );
    }
  }

  /** Magento never redirects a REST call; whatever did is in front of it, and inv does not follow. */
  private redirectError(name: CallName, url: URL, response: RawResponse): MagentoApiError {
    const target = redirectTarget(response.location, url);
    const basePath = this.baseUrl.pathname.replace(/\/+$/, "");
    const tail = url.pathname.slice(basePath.length);
    return new MagentoApiError(name, response.status, "", [], redirectHint(target, url, tail), {
      kind: "redirect",
      location: target === undefined ? undefined : displayTarget(target),
    });
  }

  private apiError(call: CallName, status: number, decoded: DecodedError): MagentoApiError {
    if (decoded.answer === "html")
      return new MagentoApiError(call, status, decoded.message, [], htmlAnswerHint(status), { kind: "html" });
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
      decoded.answer === "magento" ? undefined : { kind: "text" },
    );
  }

  private url(route: string, query: string): URL {
    const base = this.baseUrl.pathname.replace(/\/+$/, "");
    const url = new URL(this.baseUrl.href);
    url.pathname = `${base}/rest/${encodeURIComponent(this.storeCode)}/${route}`;
    url.search = query;
    return url;
  }

  private count(method: string, group: string): void {
    const key = `${method} ${group}`;
    this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1);
  }
}

/** The whole numbers from..to, both included. */
function range(from: number, to: number): number[] {
  return to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function parseJson<T>(response: RawResponse, call: CallName): T {
  try {
    return JSON.parse(response.body) as T;
  } catch {
    if (isHtml(response.contentType, response.body)) {
      const { message } = decodeErrorBody(response.contentType, response.body);
      throw new MagentoApiError(call, response.status, message, [], htmlAnswerHint(response.status), { kind: "html" });
    }
    throw new MagentoApiError(
      call,
      response.status,
      `a body that is not JSON (${response.contentType || "no content type"})`,
      [],
      "Check that MAGENTO_URL points at the Magento store itself (the base URL, without /rest).",
      { kind: "text" },
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
      return `Check MAGENTO_CONSUMER_SECRET and MAGENTO_ACCESS_TOKEN_SECRET; a proxy that changes the scheme, host or path in front of Magento also breaks signatures (Magento signs the URL it sees). inv needs ${needs}.`;
    }
    const causes = [
      authKind === "admin"
        ? "the admin token expired and logging in again did not help"
        : "the token is wrong or has expired",
      authKind === "bearer"
        ? "an integration access token is used as a bearer token, which Magento 2.4.4+ refuses unless Stores > Configuration > Services > OAuth > Consumer Settings allows it (or use the four OAuth keys instead)"
        : undefined,
      "the integration or admin role lacks an ACL resource",
    ].filter((c): c is string => c !== undefined);
    // RequestValidator names the resource the route needs (parameters.resources).
    const resources = (decoded.parameters as { resources?: unknown } | undefined)?.resources;
    const call = typeof resources === "string" && resources !== "" ? `This call needs ${resources}. ` : "";
    return `${call}Magento gives the same 401 for each of these: ${causes.join("; ")}. inv needs ${needs}.`;
  }
  if (status === 404 && decoded.rawMessage === "Request does not match any route.") {
    return "Check MAGENTO_URL (the store's base URL, without /rest), MAGENTO_STORE, and that the Magento_Inventory* modules are enabled.";
  }
  return undefined;
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
      `MAGENTO_URL ends in /rest; give the store's base URL without it (${url.origin}${url.pathname.replace(/\/rest\/?$/, "")}).`,
    );
  }
  return url;
}

export function displayBaseUrl(url: URL): string {
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
