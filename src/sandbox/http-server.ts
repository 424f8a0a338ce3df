// node:http front of the emulated Magento: the REST controller pipeline (method check → route
// match → ACL → body deserialisation → argument conversion → service → output → `fields`
// filter), plus latency, fault injection, stats and persistence before the response.
// Magento: magento/magento2:app/code/Magento/Webapi/Controller/Rest.php,
// magento/magento2:app/code/Magento/Webapi/Controller/Rest/InputParamsResolver.php,
// magento/magento2:app/code/Magento/Webapi/Controller/Rest/RequestValidator.php,
// magento/magento2:app/code/Magento/Webapi/Controller/Rest/ParamsOverrider.php,
// magento/magento2:lib/internal/Magento/Framework/Webapi/Rest/Request.php,
// magento/magento2:lib/internal/Magento/Framework/Webapi/Rest/Request/Deserializer/Json.php;
// docs/magento/webapi-platform.md#request-pipeline, docs/magento/webapi-platform.md#framework-errors,
// docs/magento/webapi-platform.md#http-details.

import type { IncomingMessage, ServerResponse } from "node:http";
import { isAllowed } from "./auth/acl.js";
import type { AuthService } from "./auth/auth-service.js";
import { maskedInternalError, renderedBadRequest, routeNotFound, unauthorized, WebapiError } from "./errors.js";
import type { FaultInjector } from "./faults.js";
import { applyFieldsFilter } from "./fields-filter.js";
import { ServiceInput } from "./input/service-input.js";
import type { DataObjectDef, InputLimitConfig } from "./input/types.js";
import { parsePhpQuery } from "./php-query.js";
import { matchRoute, servicePath, type RouteMatch } from "./router.js";
import { RawJson, type RouteDef, type ServiceContext } from "./routes/route-def.js";
import type { LastPageBehavior } from "./search/engine.js";
import type { Store } from "./store/store.js";
import type { SandboxStats } from "./types.js";

export interface HandlerConfig {
  readonly store: Store;
  readonly auth: AuthService;
  readonly faults: FaultInjector;
  readonly routes: readonly RouteDef[];
  readonly latencyMs: number;
  readonly limits: InputLimitConfig;
  readonly lastPageBehavior: LastPageBehavior;
  readonly stats: SandboxStats;
  /** Writes the state file; resolves once it is on disk. */
  readonly persist: (() => Promise<void>) | null;
}

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const JSON_TYPE = "application/json; charset=utf-8";
const GATEWAY_HTML =
  "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 " +
  "Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function errorReply(e: WebapiError): Reply {
  return { status: e.status, body: JSON.stringify(e.body()) };
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : (v ?? "");
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Rest\Request::getBodyParams: Content-Type checks, then the JSON deserializer. */
function bodyParams(req: IncomingMessage, raw: string): Record<string, unknown> {
  // An empty body is never decoded (no Content-Type needed).
  if (raw === "") return {};
  const contentType = header(req, "content-type");
  if (contentType === "") throw renderedBadRequest("Content-Type header is empty.");
  const m = /^([a-z\d/\-+.]+)(?:; *charset=(.+))?$/i.exec(contentType.trim());
  if (m === null) throw renderedBadRequest("Content-Type header is invalid.");
  const charset = m[2];
  if (charset !== undefined && charset.toLowerCase() !== "utf-8")
    throw renderedBadRequest("UTF-8 is the only supported charset.");
  const mediaType = (m[1] ?? "").toLowerCase();
  if (mediaType !== "application/json") {
    // XML bodies have a deserializer in Magento but not in the sandbox.
    throw renderedBadRequest(`Server cannot understand Content-Type HTTP header media type ${mediaType}`);
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(raw);
  } catch {
    throw renderedBadRequest("Decoding error.");
  }
  // PHP's (array) cast of the decoded body.
  if (Array.isArray(decoded)) return Object.fromEntries(decoded.map((v, i) => [String(i), v as unknown]));
  if (typeof decoded === "object" && decoded !== null) return decoded as Record<string, unknown>;
  return decoded === null ? {} : { "0": decoded };
}

function snakeCase(name: string): string {
  return name.replace(/(?<=\w)(?=[A-Z])/g, "_").toLowerCase();
}

function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * PUT: the URL id is written into the body entity when the body is one object wrapping it,
 * otherwise at the top level. Magento: magento/magento2:app/code/Magento/Webapi/Controller/Rest/ParamsOverrider.php
 * (overrideRequestBodyIdWithPathParam, substituteParameters).
 */
function overrideBodyId(
  body: Record<string, unknown>,
  def: DataObjectDef,
  paramName: string,
  value: string,
): Record<string, unknown> {
  const substitute = (target: Record<string, unknown>): void => {
    const camel = camelCase(paramName);
    if (target[camel] !== undefined && target[camel] !== null) target[camel] = value;
    else target[snakeCase(paramName)] = value;
  };
  const keys = Object.keys(body);
  const only = keys.length === 1 ? body[keys[0] ?? ""] : undefined;
  if (typeof only === "object" && only !== null && Object.hasOwn(def.fields, snakeCase(paramName))) {
    const entity = Array.isArray(only)
      ? Object.fromEntries(only.map((v, i) => [String(i), v as unknown]))
      : { ...(only as Record<string, unknown>) };
    substitute(entity);
    return { [keys[0] ?? ""]: entity };
  }
  const copy = { ...body };
  substitute(copy);
  return copy;
}

/** RendererFactory: a response type must be renderable (JSON; XML is accepted but answered as JSON). */
function acceptable(accept: string): boolean {
  if (accept.trim() === "") return true;
  return accept
    .split(",")
    .map((t) => t.split(";")[0]?.trim().toLowerCase() ?? "")
    .some((t) =>
      ["*/*", "application/*", "application/json", "application/xml", "text/xml", "application/xhtml+xml"].includes(t),
    );
}

export function createRequestHandler(cfg: HandlerConfig): (req: IncomingMessage, res: ServerResponse) => void {
  const input = new ServiceInput(cfg.limits);
  const countRoute = (key: string): void => {
    cfg.stats.byRoute[key] = (cfg.stats.byRoute[key] ?? 0) + 1;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    cfg.stats.requests++;
    const decision = cfg.faults.decide();
    const method = (req.method ?? "GET").toUpperCase();
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? "" : url.slice(q + 1);
    const service = servicePath(path);
    const match: RouteMatch | null = service === null ? null : matchRoute(cfg.routes, method, service);
    countRoute(match === null ? `${method} (no route)` : `${method} ${match.route.path}`);

    if (decision.drop === "before") {
      cfg.stats.faultsInjected++;
      req.socket.destroy();
      return;
    }
    const raw = await readBody(req);
    if (cfg.latencyMs > 0) await sleep(cfg.latencyMs);
    if (decision.fail) {
      cfg.stats.faultsInjected++;
      res.writeHead(503, { "Content-Type": "text/html" }).end(GATEWAY_HTML);
      return;
    }
    if (decision.throttle) {
      cfg.stats.faultsInjected++;
      const body = JSON.stringify({ message: "Too Many Requests", trace: null });
      res.writeHead(429, { "Content-Type": JSON_TYPE, "Retry-After": String(cfg.faults.retryAfterSeconds) }).end(body);
      return;
    }

    const revision = cfg.store.revision;
    let deadlockUsed = false;
    let reply: Reply;
    try {
      reply = process(req, method, match, service, rawQuery, raw, () => {
        deadlockUsed = decision.deadlock;
        return decision.deadlock;
      });
    } catch (e) {
      reply = errorReply(e instanceof WebapiError ? e : maskedInternalError());
    }
    if (deadlockUsed) cfg.stats.faultsInjected++;
    // A write (even one that failed after committing, like unassign + 404) reaches disk first.
    if (cfg.persist !== null && cfg.store.revision !== revision) await cfg.persist();
    if (decision.drop === "after") {
      cfg.stats.faultsInjected++;
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, { "Content-Type": JSON_TYPE, ...reply.headers }).end(reply.body);
  };

  const process = (
    req: IncomingMessage,
    method: string,
    match: RouteMatch | null,
    service: string | null,
    rawQuery: string,
    raw: string,
    deadlock: () => boolean,
  ): Reply => {
    // Rest\Request::getHttpMethod
    if (!["GET", "POST", "PUT", "DELETE"].includes(method)) throw renderedBadRequest("Request method is invalid.");
    if (service === null || match === null) throw routeNotFound();
    const route = match.route;
    if (route.acl !== "anonymous") {
      const host = header(req, "host");
      const principal = cfg.auth.principal(header(req, "authorization"), () => ({
        method,
        scheme: "http",
        host,
        path: (req.url ?? "/").split("?")[0] ?? "/",
        rawQuery,
        authorization: header(req, "authorization"),
        contentType: header(req, "content-type"),
        rawBody: raw,
      }));
      // RequestValidator::checkPermissions: a guest (no/invalid/expired token) and a missing grant look the same.
      const acl = route.acl;
      if (principal === null || !acl.every((r) => isAllowed(principal.grants, r))) {
        throw unauthorized("The consumer isn't authorized to access %resources.", { resources: acl.join(", ") });
      }
    }
    const query = parsePhpQuery(rawQuery) as Record<string, unknown>;
    let data: Record<string, unknown>;
    if (method === "GET") data = { ...query, ...match.params };
    else {
      let body = bodyParams(req, raw);
      const idParam = Object.keys(match.params).at(-1);
      if (method === "PUT" && route.bodyEntity !== undefined && idParam !== undefined) {
        body = overrideBodyId(body, route.bodyEntity, idParam, match.params[idParam] ?? "");
      }
      data = { ...body, ...query, ...match.params };
    }
    const args = input.process(route.params, data);
    const ctx: ServiceContext = {
      store: cfg.store,
      lastPageBehavior: cfg.lastPageBehavior,
      tokens: cfg.auth,
      deadlock,
    };
    const output = route.handle(args, ctx);
    if (!acceptable(header(req, "accept"))) {
      throw new WebapiError(406, {
        text:
          "Server cannot match any of the given Accept HTTP header media type(s) from the " +
          `request: "${header(req, "accept")}" with media types from the config of response renderer.`,
        parameters: [],
      });
    }
    const fields = query["fields"];
    if (typeof fields === "string" && fields !== "") {
      const value = output instanceof RawJson ? (JSON.parse(output.text) as unknown) : output;
      return { status: 200, body: JSON.stringify(applyFieldsFilter(value ?? [], fields)) };
    }
    if (output instanceof RawJson) return { status: 200, body: output.text };
    // A void service answers [] (ServiceOutputProcessor turns null into an empty array).
    return { status: 200, body: output === null || output === undefined ? "[]" : JSON.stringify(output) };
  };

  return (req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent)
        res.writeHead(500, { "Content-Type": JSON_TYPE }).end(JSON.stringify(maskedInternalError().body()));
    });
  };
}
