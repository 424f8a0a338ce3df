// inv doctor: can inv plan and inv apply work on this store, and if not, what to change?
// Checks in order, each on what the one before established: the URL answers Magento's REST
// API, the MSI routes exist (both without credentials), the credentials work, the admin
// login's two-factor, every ACL resource inv uses (probes.ts: nothing is written), and the
// store's page-size and array limits. Returns data; the CLI renders it.

import { ArrayLimitError, type MagentoClient } from "../magento/client.js";
import { ConnectionError, httpStatus, InvError, MagentoApiError } from "../errors.js";
import { ACL_RESOURCES, type AclResourceUse } from "../magento/acl.js";
import { AdminAuth } from "../magento/auth.js";
import { aclProbes, MODULE_ROUTES, onePage, type Probe } from "./probes.js";
import type { DoctorCheck, DoctorReport } from "./report.js";

export interface DoctorOptions {
  readonly client: MagentoClient;
  /** Items per source-item call inv apply would send (--batch-size): the array size probed. */
  readonly batchSize: number;
}

type Outcome =
  | { readonly kind: "answer"; readonly body: unknown }
  | { readonly kind: "refused"; readonly error: MagentoApiError }
  | { readonly kind: "unreachable"; readonly error: ConnectionError }
  /** The login itself failed (admin token, two-factor), before the probe could be sent. */
  | { readonly kind: "login"; readonly error: InvError };

const NO_ROUTE = "Request does not match any route.";
const NOT_AUTHORIZED = /^The consumer isn't authorized to access (.+)\.$/;

async function send(client: MagentoClient, probe: Probe, anonymous = false): Promise<Outcome> {
  try {
    const body = await client.probe(probe.method, probe.route, {
      ...(probe.query !== undefined ? { query: probe.query } : {}),
      ...(probe.body !== undefined ? { body: probe.body } : {}),
      anonymous,
    });
    return { kind: "answer", body };
  } catch (error) {
    if (error instanceof ConnectionError && error.call.route === probe.route) return { kind: "unreachable", error };
    if (error instanceof MagentoApiError && error.call.route === probe.route) return { kind: "refused", error };
    if (error instanceof InvError) return { kind: "login", error };
    throw error;
  }
}

const isNoRoute = (o: Outcome): boolean =>
  o.kind === "refused" &&
  o.error.answer.kind === "magento" &&
  o.error.status === 404 &&
  o.error.magentoMessage === NO_ROUTE;

/** The resources a 401 names (the store's own list), when it is Magento's ACL refusal. */
function refusedResources(o: Outcome): string | undefined {
  if (o.kind !== "refused" || o.error.status !== 401 || o.error.answer.kind !== "magento") return undefined;
  return NOT_AUTHORIZED.exec(o.error.magentoMessage)?.[1];
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { client } = options;
  const auth = client.auth;
  const checks: DoctorCheck[] = [];
  const report = (): DoctorReport => ({
    format_version: 1,
    store: { url: client.displayUrl, store_code: client.storeCode },
    credentials: { kind: auth.kind, description: auth.description },
    ok: checks.every((c) => c.status !== "fail"),
    checks,
  });
  const restBase = `${client.displayUrl}/rest/${client.storeCode}/`;

  // 1. Without credentials: what answers at the URL, and which MSI routes it has.
  const [inventoryApi, ...otherModules] = MODULE_ROUTES;
  const first = await send(client, inventoryApi!.probe, true);
  if (first.kind === "unreachable" || (first.kind === "refused" && first.error.answer.kind !== "magento")) {
    // Nothing else is worth asking when the answer is not Magento's REST API.
    const error = first.error;
    checks.push(
      check("rest-api", "REST API", "fail", error.message, error.hint),
      ...skipped("the store's REST API did not answer"),
    );
    return report();
  }
  checks.push(check("rest-api", "REST API", "ok", `Magento's REST API answers at ${restBase}.`));

  if (isNoRoute(first)) {
    // A store code Magento does not know stays in the path, so no route matches at all
    // (magento/magento2:app/code/Magento/Webapi/Controller/PathProcessor.php); Magento_Store's routes always exist.
    const websites = await send(client, aclProbes(1).get("Magento_Backend::store")!, true);
    checks.push(
      isNoRoute(websites)
        ? check(
            "msi-routes",
            "MSI routes",
            "fail",
            `No route answers under /rest/${client.storeCode}/, not even Magento_Store's V1/store/websites: Magento does not know the store code "${client.storeCode}".`,
            "Use --store all (MSI data is global; `all` is the admin scope) or one of the store's store view codes; MAGENTO_STORE sets it too.",
          )
        : check(
            "msi-routes",
            "MSI routes",
            "fail",
            "GET V1/inventory/sources does not exist on this store: Magento_InventoryApi and the other MSI modules are off.",
            "Enable them: bin/magento module:status lists the Magento_Inventory* modules that are off; then bin/magento module:enable <those> && bin/magento setup:upgrade.",
          ),
      ...skipped("the MSI routes are missing"),
    );
    return report();
  }
  const others = await Promise.all(
    otherModules.map(async (entry) => ({ ...entry, outcome: await send(client, entry.probe, true) })),
  );
  const missing = others.filter((m) => isNoRoute(m.outcome));
  checks.push(
    missing.length === 0
      ? check(
          "msi-routes",
          "MSI routes",
          "ok",
          `The routes of ${MODULE_ROUTES.map((m) => m.module).join(", ")} answer.`,
        )
      : check(
          "msi-routes",
          "MSI routes",
          missing.some((m) => m.need === "fail") ? "fail" : "warn",
          `Missing: ${missing.map((m) => `${m.module} (${m.probe.what})`).join(", ")}; the module${missing.length === 1 ? " is" : "s are"} off.`,
          `Enable ${missing.length === 1 ? "it" : "them"}: bin/magento module:enable ${missing.map((m) => m.module).join(" ")} && bin/magento setup:upgrade.`,
        ),
  );

  // 2. The credentials: a login first, where they are an admin's.
  let loginError: InvError | undefined;
  try {
    await auth.authorize("GET", new URL(restBase));
  } catch (error) {
    if (!(error instanceof InvError)) throw error;
    loginError = error;
  }
  if (loginError) {
    const asksForCode = /2fa provider-specific endpoints/i.test(loginError.message);
    checks.push(
      check("credentials", "credentials", "fail", `${auth.description}: ${loginError.message}`, loginError.hint),
      asksForCode
        ? check(
            "two-factor",
            "two-factor",
            "fail",
            "On: the store asks admin logins for a two-factor code.",
            "Set MAGENTO_ADMIN_OTP to the current Google Authenticator code, or use an integration's OAuth keys, which need no code (and suit unattended runs).",
          )
        : check("two-factor", "two-factor", "skip", "Not known: the login failed before it got that far."),
      ...skippedAcl("the login failed"),
    );
    return report();
  }

  const probes = aclProbes(options.batchSize);
  const findings = await Promise.all(
    ACL_RESOURCES.map(async (use) => ({
      use,
      probe: probes.get(use.resource)!,
      outcome: await send(client, probes.get(use.resource)!),
    })),
  );
  const refusedAll = findings.every((f) => refusedResources(f.outcome) !== undefined);
  const credentialError = findings
    .map((f) => f.outcome)
    .find((o) => o.kind === "refused" && o.error.status === 401 && refusedResources(o) === undefined);
  if (credentialError?.kind === "refused") {
    // Magento's OAuth verifier names its own failures (a signature, a nonce, a timestamp).
    checks.push(
      check(
        "credentials",
        "credentials",
        "fail",
        `${auth.description}: ${credentialError.error.message}`,
        credentialError.error.hint,
      ),
    );
  } else if (refusedAll && auth.kind !== "admin") {
    checks.push(
      check(
        "credentials",
        "credentials",
        "fail",
        `${auth.description}: every call was refused with HTTP 401.`,
        auth.kind === "bearer"
          ? "Magento answers a wrong or expired token, an integration token it does not accept as a bearer token (Stores > Configuration > Services > OAuth > Consumer Settings > Allow OAuth Access Tokens to be used as standalone Bearer tokens, off since 2.4.4), and a role holding none of inv's resources alike. Check MAGENTO_TOKEN, or use the integration's four OAuth keys."
          : "The integration holds none of inv's resources, or is not active: check System > Extensions > Integrations (status Active, and its API resources).",
      ),
    );
  } else {
    const how = auth instanceof AdminAuth ? " (a token was issued for the login)" : "";
    checks.push(check("credentials", "credentials", "ok", `${auth.description}: accepted${how}.`));
  }
  checks.push(await twoFactor(client));

  if ((refusedAll && auth.kind !== "admin") || credentialError) {
    checks.push(...skippedAcl("the credentials were refused"));
    return report();
  }
  for (const { use, probe, outcome } of findings) checks.push(aclCheck(use, probe, outcome, auth.kind));

  // 3. The store's input limits, on the routes inv pages and batches on.
  const held = (resource: string) => checks.find((c) => c.id === `acl:${resource}`)?.status === "ok";
  checks.push(
    held("Magento_InventoryApi::source")
      ? await pageSize(client)
      : check("page-size", "page size", "skip", "Not checked: it needs Magento_InventoryApi::source."),
  );
  const itemSave = findings.find((f) => f.use.resource === "Magento_InventoryApi::stock_source_item_assign")!;
  checks.push(arraySize(itemSave.outcome, options.batchSize));
  return report();
}

function check(id: string, title: string, status: DoctorCheck["status"], detail: string, fix?: string): DoctorCheck {
  return fix === undefined ? { id, title, status, detail } : { id, title, status, detail, fix };
}

function skipped(reason: string): DoctorCheck[] {
  return [
    check("credentials", "credentials", "skip", `Not checked: ${reason}.`),
    check("two-factor", "two-factor", "skip", `Not checked: ${reason}.`),
    ...skippedAcl(reason),
  ];
}

function skippedAcl(reason: string): DoctorCheck[] {
  return [
    ...ACL_RESOURCES.map((use) => check(`acl:${use.resource}`, use.resource, "skip", `Not checked: ${reason}.`)),
    check("page-size", "page size", "skip", `Not checked: ${reason}.`),
    check("array-size", "array size", "skip", `Not checked: ${reason}.`),
  ];
}

function aclCheck(
  use: AclResourceUse,
  probe: Probe,
  outcome: Outcome,
  kind: "bearer" | "admin" | "oauth",
): DoctorCheck {
  const id = `acl:${use.resource}`;
  const request = `${probe.method} ${probe.route}${probe.what === "" ? "" : ` ${probe.what}`}`;
  const failing = use.need === "optional" ? "warn" : "fail";
  const consequence =
    use.need === "optional"
      ? `inv needs it to ${use.usedFor}; without it ${use.without}.`
      : `inv ${use.need} needs it to ${use.usedFor}.`;
  const named = refusedResources(outcome);
  if (named !== undefined) {
    const store = named === use.resource ? "" : ` (this store asks for ${named} there)`;
    return check(
      id,
      use.resource,
      failing,
      `Missing: ${request} was refused with HTTP 401${store}. ${consequence}`,
      grantHint(named === use.resource ? use : { ...use, resource: named }, kind),
    );
  }
  switch (outcome.kind) {
    case "answer":
      if (probe.proof === "refused")
        return check(
          id,
          use.resource,
          "fail",
          `Not proven: the store accepted ${request} with input Magento refuses, so something in front of it answers for Magento.`,
          "Check that --url points at Magento itself, not a mock or a proxy that answers on its behalf.",
        );
      return check(id, use.resource, "ok", `Held: ${request} answered${counted(outcome.body, probe.noun)}.`);
    case "refused": {
      const { error } = outcome;
      if (isNoRoute(outcome))
        return check(id, use.resource, failing, `Not proven: ${request} does not exist on this store. ${consequence}`);
      if (error.answer.kind === "magento" && error.status >= 400 && error.status < 500)
        return check(
          id,
          use.resource,
          "ok",
          probe.proof === "refused"
            ? `Held: ${request} got past the ACL check and was refused for its input (${httpStatus(error.status)}), as intended; nothing was written.`
            : `Held: ${request} got past the ACL check (${httpStatus(error.status)}: ${error.magentoMessage}).`,
        );
      return check(id, use.resource, failing, `Not proven: ${error.message}`, error.hint);
    }
    case "unreachable":
    case "login":
      return check(id, use.resource, failing, `Not proven: ${outcome.error.message}`, outcome.error.hint);
  }
}

/** "(12 sources)", "(websites admin, base)": what a read found. */
function counted(body: unknown, noun = "rows"): string {
  if (Array.isArray(body)) {
    const codes = body
      .map((w) => (w && typeof w === "object" ? (w as { code?: unknown }).code : undefined))
      .filter((c): c is string => typeof c === "string");
    return codes.length > 0 ? ` (${noun} ${codes.join(", ")})` : ` (${body.length} ${noun})`;
  }
  const total = (body as { total_count?: unknown } | null)?.total_count;
  if (typeof total !== "number") return "";
  return ` (${total.toLocaleString("en-US")} ${total === 1 ? noun.replace(/s$/, "") : noun})`;
}

function grantHint(use: AclResourceUse, kind: "bearer" | "admin" | "oauth"): string {
  const where =
    kind === "oauth"
      ? "the integration: System > Extensions > Integrations > (the integration) > API"
      : kind === "admin"
        ? "the admin user's role: System > Permissions > User Roles > (the role) > Role Resources"
        : "the role behind the token: System > Permissions > User Roles > Role Resources for an admin's token, System > Extensions > Integrations > API for an integration's";
  return `Grant ${use.resource} to ${where}, where it is ${use.adminPath}.`;
}

/** Whether admin logins need a code: the Google provider's route exists only with Magento_TwoFactorAuth on. */
async function twoFactor(client: MagentoClient): Promise<DoctorCheck> {
  const auth = client.auth;
  if (auth instanceof AdminAuth) {
    return auth.withTwoFactorCode
      ? check(
          "two-factor",
          "two-factor",
          "ok",
          "On: the login took MAGENTO_ADMIN_OTP through V1/tfa/provider/google/authenticate. A code lives about 30 s, so a run that outlives its token cannot log in again; unattended jobs are better served by an integration.",
        )
      : check("two-factor", "two-factor", "ok", "Off: the admin login gave a token without a code.");
  }
  // Required arguments left out: refused before any login is attempted, so no lock-out counts it.
  const outcome = await send(
    client,
    { method: "POST", route: "V1/tfa/provider/google/authenticate", body: {}, proof: "refused", what: "" },
    true,
  );
  if (isNoRoute(outcome))
    return check(
      "two-factor",
      "two-factor",
      "ok",
      "Off: Magento_TwoFactorAuth is not enabled, admin logins need no code.",
    );
  if (outcome.kind === "refused" && outcome.error.answer.kind === "magento" && outcome.error.status === 400)
    return check(
      "two-factor",
      "two-factor",
      "ok",
      `On for admin logins (Magento_TwoFactorAuth); ${auth.description} need${auth.kind === "oauth" ? "" : "s"} no code.`,
    );
  return check(
    "two-factor",
    "two-factor",
    "skip",
    `Not known: ${outcome.kind === "answer" ? "the provider route answered a request without credentials" : outcome.error.message}`,
  );
}

const MAX_PAGE = /^Maximum SearchCriteria pageSize is (\d+)/;

/** Magento's SearchCriteriaValidator refuses a pageSize above its maximum while input limits are on. */
async function pageSize(client: MagentoClient): Promise<DoctorCheck> {
  const size = client.pageSize;
  const outcome = await send(client, {
    method: "GET",
    route: "V1/inventory/sources",
    query: onePage(size),
    proof: "read",
    what: "",
  });
  if (outcome.kind === "answer")
    return check("page-size", "page size", "ok", `Pages of ${size} rows are accepted (--page-size).`);
  if (outcome.kind === "refused") {
    const max = MAX_PAGE.exec(outcome.error.magentoMessage)?.[1];
    if (max !== undefined)
      return check(
        "page-size",
        "page size",
        "ok",
        `At most ${max} rows per page (Web API input limits on), not ${size}; inv reads at that size.`,
      );
  }
  const { error } = outcome;
  return check("page-size", "page size", "fail", `Not known: ${error.message}`, error.hint);
}

function arraySize(outcome: Outcome, batchSize: number): DoctorCheck {
  if (outcome.kind === "refused" && outcome.error instanceof ArrayLimitError)
    return check(
      "array-size",
      "array size",
      "ok",
      `At most ${outcome.error.max} items per array (Web API input limits on); inv apply sends ${outcome.error.max} a call.`,
    );
  if (refusedResources(outcome) !== undefined)
    return check(
      "array-size",
      "array size",
      "skip",
      "Not checked: it needs Magento_InventoryApi::stock_source_item_assign.",
    );
  if (outcome.kind === "refused" && outcome.error.answer.kind === "magento" && outcome.error.status === 400)
    return check("array-size", "array size", "ok", `Arrays of ${batchSize} items are accepted (--batch-size).`);
  return check(
    "array-size",
    "array size",
    "skip",
    `Not known: ${outcome.kind === "answer" ? "the store accepted a malformed source-item save" : outcome.error.message}`,
  );
}
