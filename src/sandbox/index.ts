// The sandbox's programmatic entry: an in-process emulation of Magento 2.4's MSI REST API
// on 127.0.0.1. `inv sandbox`, the tests and the benchmark all start it through here.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AuthService } from "./auth/auth-service.js";
import { FaultInjector } from "./faults.js";
import { freshState } from "./fresh-state.js";
import { createRequestHandler } from "./http-server.js";
import type { InputLimitConfig } from "./input/types.js";
import { aclResourcesOf, routeTable } from "./router.js";
import { readStateFile, StateWriter } from "./state-file.js";
import { Store, type SandboxStore } from "./store/store.js";
import type { SandboxCredentials, SandboxOptions, SandboxState, SandboxStats } from "./types.js";

export { freshState };
export type { SandboxStore };
export type {
  ProductType,
  SandboxAuthOptions,
  SandboxCredentials,
  SandboxFaults,
  SandboxInputLimits,
  SandboxOptions,
  SandboxState,
  SandboxStats,
  StateLink,
  StateLowStock,
  StateProduct,
  StateReservation,
  StateSalesChannel,
  StateSource,
  StateSourceItem,
  StateStock,
  StateWebsite,
} from "./types.js";

/** Every ACL resource the sandbox's routes check, for roles built by denying some. */
export const SANDBOX_ACL_RESOURCES: readonly string[] = aclResourcesOf(routeTable(true));

export interface Sandbox {
  /** Base URL without /rest, e.g. http://127.0.0.1:43123 */
  readonly url: string;
  /** An admin-equivalent bearer token for the sandbox. */
  readonly token: string;
  readonly credentials: SandboxCredentials;
  readonly store: SandboxStore;
  readonly stats: SandboxStats;
  close(): Promise<void>;
}

/** Magento defaults when input limits are on: page size max 300, arrays 20, default page 20. */
function limitsFrom(option: SandboxOptions["inputLimits"]): InputLimitConfig {
  if (option === undefined || option === false)
    return { enabled: false, arrayLimit: 20, maxPageSize: 300, defaultPageSize: 20 };
  const o = option === true ? {} : option;
  return {
    enabled: true,
    arrayLimit: o.arrayLimit ?? 20,
    maxPageSize: o.maxPageSize ?? 300,
    // ServiceInputProcessor never goes below 10.
    defaultPageSize: Math.max(10, o.defaultPageSize ?? 20),
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const fromFile =
    options.initialState === undefined && options.stateFile !== undefined ? readStateFile(options.stateFile) : null;
  const state: SandboxState = options.initialState ?? fromFile ?? freshState();
  const store = new Store(state);
  const writer = options.stateFile === undefined ? null : new StateWriter(options.stateFile, () => store.snapshot());
  // A fresh or seeded store is written out at once; a loaded file is already on disk.
  if (writer !== null && fromFile === null) await writer.persist();
  if (writer !== null) {
    store.onDirectWrite = () => {
      writer.persist().catch(() => undefined);
    };
  }
  const auth = new AuthService(options.auth ?? {});
  const stats: SandboxStats = { requests: 0, byRoute: {}, faultsInjected: 0 };
  const handler = createRequestHandler({
    store,
    auth,
    faults: new FaultInjector(options.faults ?? {}, options.seed ?? 1),
    routes: routeTable(auth.twoFactor),
    latencyMs: options.latencyMs ?? 0,
    limits: limitsFrom(options.inputLimits),
    lastPageBehavior: options.lastPageBehavior ?? "empty",
    stats,
    persist: writer === null ? null : () => writer.persist(),
  });
  const server: Server = createServer({ keepAliveTimeout: 5000 }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    token: auth.staticToken,
    credentials: auth.credentials,
    store,
    stats,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => writer?.idle());
      return closed;
    },
  };
}
