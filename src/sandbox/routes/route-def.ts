// What a route is: Magento's webapi.xml entry (method, path, ACL, service parameters) plus
// the service implementation.

import type { Converted, DataObjectDef, MethodParam } from "../input/types.js";
import type { LastPageBehavior } from "../search/engine.js";
import type { Store } from "../store/store.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** A response body serialised by hand (large source-item pages). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type ServiceOutput = RawJson | unknown;

export interface TokenIssuer {
  adminToken(username: string, password: string): string;
  googleToken(username: string, password: string, otp: string): string;
}

export interface ServiceContext {
  readonly store: Store;
  readonly lastPageBehavior: LastPageBehavior;
  readonly tokens: TokenIssuer;
  /** Whether the fault injector chose a deadlock for this request (POST source-items only). */
  readonly deadlock: () => boolean;
}

export interface RouteDef {
  readonly method: HttpMethod;
  /** Path without leading slash, e.g. `V1/inventory/sources/:sourceCode`. */
  readonly path: string;
  /** ACL resource ids from webapi.xml; "anonymous" for the token routes. */
  readonly acl: readonly string[] | "anonymous";
  readonly params: readonly MethodParam[];
  /** PUT routes whose URL id is written into the body entity (ParamsOverrider). */
  readonly bodyEntity?: DataObjectDef;
  readonly handle: (args: readonly Converted[], ctx: ServiceContext) => ServiceOutput;
}
