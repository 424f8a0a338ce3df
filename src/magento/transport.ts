// What went wrong between inv and the store, in words a user can act on: network errors
// (and which of them are worth retrying), redirects, and HTML pages answering in Magento's
// place. Every message names the call's method and URL (host and store code, never a
// query or credentials); the client builds them from here.

import type { CallName } from "../errors.js";
import type { Repeatable } from "./retry.js";

/** A request that got no HTTP answer, by what the operator can do about it. */
export type NetworkFailureKind =
  /** Nothing listens at the host and port (ECONNREFUSED). */
  | "refused"
  /** DNS says the host does not exist (ENOTFOUND). */
  | "unknown-host"
  /** No route to the host, or no connection within undici's connect timeout. */
  | "unreachable"
  /** A temporary DNS failure (EAI_AGAIN). */
  | "dns"
  /** Connected, but no answer within --timeout. */
  | "timeout"
  /** The connection closed before the answer was complete. */
  | "reset"
  | "certificate"
  /** inv closed its own connection pool: the command is over. */
  | "closed"
  | "other";

export interface NetworkFailure {
  readonly kind: NetworkFailureKind;
  /** One clause: "connection refused by 127.0.0.1:9". */
  readonly reason: string;
}

const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

export function classifyNetworkError(error: unknown, target: URL, timeoutMs: number): NetworkFailure {
  const code = (error as { code?: unknown } | undefined)?.code;
  const host = target.hostname;
  const hostPort = `${host}:${target.port || (target.protocol === "https:" ? "443" : "80")}`;
  switch (code) {
    case "ECONNREFUSED":
      return { kind: "refused", reason: `connection refused by ${hostPort}` };
    case "ENOTFOUND":
      return { kind: "unknown-host", reason: `host ${host} not found (DNS has no address for it)` };
    case "EAI_AGAIN":
      return { kind: "dns", reason: `the DNS lookup of ${host} failed for now (EAI_AGAIN)` };
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return { kind: "unreachable", reason: `no route to ${hostPort} (${code})` };
    case "UND_ERR_CONNECT_TIMEOUT":
      return { kind: "unreachable", reason: `no connection to ${hostPort} within undici's connect timeout` };
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return { kind: "timeout", reason: `no answer within ${Math.round(timeoutMs / 1000)} s (--timeout)` };
    case "UND_ERR_SOCKET":
    case "ECONNRESET":
    case "EPIPE":
      return { kind: "reset", reason: "the connection was closed before the answer arrived" };
    case "UND_ERR_CLOSED":
    case "UND_ERR_DESTROYED":
      return { kind: "closed", reason: "the connection pool was closed" };
  }
  // Node's TLS verification codes; a store behind a private CA needs NODE_EXTRA_CA_CERTS.
  if (typeof code === "string" && CERTIFICATE_CODES.test(code))
    return { kind: "certificate", reason: `the store's TLS certificate is not trusted (${code})` };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "other", reason: typeof code === "string" ? `${message} (${code})` : message };
}

/**
 * Whether a failure without an answer is worth sending again (with backoff):
 * - an unknown host never is: DNS gave a definite answer, and asking again gives the same one;
 * - a refused or unreachable connection is only once the store has answered in this run: it
 *   then means a web server restarting mid-deploy, which takes seconds. Before any answer it
 *   means a wrong URL or port or a store that is down, and retrying would only hold back the
 *   answer for the whole backoff (about 15 s, a line per retry of every read under way);
 * - a certificate stays untrusted, and a closed pool means the command is over;
 * - timeouts, dropped connections and temporary DNS failures pass, so they are retried.
 */
export function isTransientNetworkFailure(kind: NetworkFailureKind, storeHasAnswered: boolean): boolean {
  switch (kind) {
    case "unknown-host":
    case "certificate":
    case "closed":
      return false;
    case "refused":
    case "unreachable":
      return storeHasAnswered;
    case "dns":
    case "timeout":
    case "reset":
    case "other":
      return true;
  }
}

/**
 * What to do after a failure without an answer, or undefined when the reason already says it.
 * The reason and this hint make the whole report: a refused connection is one line.
 */
export function networkAdvice(
  failure: NetworkFailure,
  call: CallName,
  baseUrl: string,
  repeatable: Repeatable,
  retried: boolean,
): { reason: string; hint: string | undefined } {
  const urlFix = "Check --url or MAGENTO_URL";
  switch (failure.kind) {
    case "refused":
    case "unreachable":
      return retried
        ? {
            reason: failure.reason,
            hint: `${retriedText(repeatable)} The store stopped accepting connections mid-run.`,
          }
        : { reason: `${failure.reason}. ${urlFix} (host and port) and that the store is running.`, hint: undefined };
    case "unknown-host":
      return { reason: `${failure.reason}. ${urlFix} (the host name).`, hint: undefined };
    case "closed":
      return { reason: failure.reason, hint: undefined };
    case "certificate":
      return {
        reason: failure.reason,
        hint: "The store's certificate is not signed by an authority Node trusts; for a private CA, set NODE_EXTRA_CA_CERTS to a PEM file with it.",
      };
    case "timeout": {
      const lower = call.method === "GET" ? "--page-size or --concurrency" : "--batch-size";
      return {
        reason: failure.reason,
        hint: `${retriedText(repeatable)} The store took longer than --timeout to answer: it may be overloaded, or the request too big for it. Raise --timeout (seconds), or lower ${lower}.`,
      };
    }
    case "reset":
      return {
        reason: failure.reason,
        hint: `${retriedText(repeatable)} Check that ${baseUrl} is reachable; a proxy or load balancer in front of Magento may be closing connections (its idle or request timeout).`,
      };
    case "dns":
    case "other":
      return { reason: failure.reason, hint: `${retriedText(repeatable)} Check that ${baseUrl} is reachable.` };
  }
}

function retriedText(repeatable: Repeatable): string {
  switch (repeatable) {
    case "never":
      return "This call is not retried automatically, because sending it twice could do it twice.";
    case "checked":
      return "inv retried it with backoff, each time after checking that the store did not already do it.";
    case "transient":
    case "source-item-save":
      return "inv retried it with backoff.";
  }
}

/** Why an HTML page answered a REST call, by status: a gateway's error page, or not Magento at all. */
export function htmlAnswerHint(status: number): string {
  if (status === 502 || status === 503 || status === 504) {
    return "A gateway in front of Magento answered in its place: Magento (PHP-FPM) is down, overloaded, or in maintenance mode (bin/magento maintenance:status). inv retried it with backoff.";
  }
  return "Likely causes: --url or MAGENTO_URL is not the store's base URL (the address the storefront opens at, without /rest); a proxy, CDN or firewall answered in Magento's place (a login, block or maintenance page); or Magento's Web API or its Magento_Inventory* modules are off.";
}

/** The Location of a redirect, resolved against the request and without credentials or query. */
export function redirectTarget(location: string | undefined, requested: URL): URL | undefined {
  if (location === undefined || location.trim() === "") return undefined;
  try {
    const target = new URL(location, requested);
    target.username = "";
    target.password = "";
    return target;
  } catch {
    return undefined;
  }
}

/** Shows a redirect target without its query (inv's search criteria would drown it). */
export function displayTarget(target: URL): string {
  return `${target.origin}${target.pathname}`;
}

/**
 * What to set MAGENTO_URL to after a redirect: when the target keeps the request's
 * `/rest/<store>/<route>` tail (`tail`, as encoded in the request), the base URL is what precedes it.
 */
export function redirectHint(target: URL | undefined, requested: URL, tail: string): string {
  const refuse =
    "inv does not follow redirects: a redirected write can be lost or sent twice, and credentials must not follow a request elsewhere.";
  if (target === undefined) return `${refuse} Check --url or MAGENTO_URL.`;
  if (!target.pathname.endsWith(tail)) {
    return `${refuse} The store sends REST calls to another page, so --url or MAGENTO_URL is probably not its base URL, or a proxy or single sign-on page intercepts them.`;
  }
  const base = `${target.origin}${target.pathname.slice(0, -tail.length)}`.replace(/\/+$/, "");
  const https =
    target.protocol === "https:" && requested.protocol === "http:"
      ? " The store is served over https: use https://."
      : "";
  return `${refuse} Use the URL it points at: set MAGENTO_URL (or --url) to ${base}.${https}`;
}
