// Store-code handling and route matching. PathProcessor strips a known store code (or `all`)
// after /rest; anything else stays in the path, so /rest/xyz/V1/... matches no route. Routes match
// on method + path; a wrong method is "Request does not match any route." too.
// Magento: magento/magento2:app/code/Magento/Webapi/Controller/PathProcessor.php,
// magento/magento2:app/code/Magento/Webapi/Controller/Rest/Router.php,
// magento/magento2:app/code/Magento/Webapi/Controller/Rest/Router/Route.php.

import { authRoutes, twoFactorRoutes } from "./routes/auth.js";
import { bulkRoutes } from "./routes/bulk.js";
import { catalogAndStoreRoutes } from "./routes/catalog-and-store.js";
import { linkRoutes } from "./routes/links.js";
import { lowQuantityRoutes } from "./routes/low-quantity.js";
import type { RouteDef } from "./routes/route-def.js";
import { salableRoutes } from "./routes/salable.js";
import { sourceItemRoutes } from "./routes/source-items.js";
import { sourceRoutes } from "./routes/sources.js";
import { stockRoutes } from "./routes/stocks.js";

/** Store views of a fresh install that may prefix a route, plus `all` (the admin store). */
export const STORE_CODES: ReadonlySet<string> = new Set(["all", "default"]);

export interface RouteMatch {
  readonly route: RouteDef;
  readonly params: Readonly<Record<string, string>>;
}

export function routeTable(twoFactor: boolean): readonly RouteDef[] {
  // Magento_TwoFactorAuth provides the provider endpoints; without it they do not exist.
  return [
    ...sourceRoutes,
    ...stockRoutes,
    ...linkRoutes,
    ...sourceItemRoutes,
    ...bulkRoutes,
    ...salableRoutes,
    ...lowQuantityRoutes,
    ...catalogAndStoreRoutes,
    ...authRoutes,
    ...(twoFactor ? twoFactorRoutes : []),
  ];
}

/** Every ACL resource the routes name: what a role may be granted or denied in the sandbox. */
export function aclResourcesOf(routes: readonly RouteDef[]): readonly string[] {
  const ids = new Set(routes.flatMap((r) => (r.acl === "anonymous" ? [] : r.acl)));
  return [...ids].sort();
}

/** The service path after /rest[/<store>], e.g. `V1/inventory/sources`; null if not a REST URL. */
export function servicePath(path: string): string | null {
  if (!path.startsWith("/rest/")) return null;
  const rest = path.slice("/rest/".length);
  const slash = rest.indexOf("/");
  const first = slash < 0 ? rest : rest.slice(0, slash);
  return STORE_CODES.has(first) ? rest.slice(slash < 0 ? rest.length : slash + 1) : rest;
}

export function matchRoute(routes: readonly RouteDef[], method: string, path: string): RouteMatch | null {
  const parts = path.replace(/^\/+|\/+$/g, "").split("/");
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = route.path.split("/");
    if (template.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < template.length && ok; i++) {
      const t = template[i] ?? "";
      const p = parts[i] ?? "";
      if (t.startsWith(":")) {
        if (p === "") ok = false;
        else {
          try {
            params[t.slice(1)] = decodeURIComponent(p);
          } catch {
            params[t.slice(1)] = p;
          }
        }
      } else if (t !== p) ok = false;
    }
    if (ok) return { route, params };
  }
  return null;
}
