// inv doctor against the sandbox (full rights, roles without a resource, input limits,
// two-factor, OAuth, wrong credentials and store codes) and against what is not Magento
// (an HTML server, a redirect, a refused port). Every run checks that nothing was written.

import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runDoctor } from "../../src/doctor/run-doctor.js";
import { BearerAuth } from "../../src/magento/auth.js";
import { MagentoClient } from "../../src/magento/client.js";
import type { Io } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/program.js";
import type { DoctorReport } from "../../src/doctor/report.js";
import { REQUIRED_ACL_RESOURCES } from "../../src/magento/auth.js";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/index.js";
import { runInv, type CliResult } from "../helpers/run-cli.js";

const OTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const ADMIN = { username: "ops", password: "s3cret-pass-9" };

function totp(secret: string, unixSeconds = Date.now() / 1000): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of secret) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** The check lines of the text report, by title. */
function lines(r: CliResult): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of r.stdout.split("\n")) {
    const match = /^(ok|warn|FAIL|skip)\s{2,}(\S+(?: \S+)?)\s{2,}(.*)$/.exec(line);
    if (match) found.set(match[2]!, `${match[1]} ${match[3]}`);
  }
  return found;
}

const sandboxes: Sandbox[] = [];
async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const s = await startSandbox(options);
  sandboxes.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
});

/** Runs inv doctor and checks that the store is exactly as before. */
async function doctor(s: Sandbox, env: Record<string, string>, args: string[] = []): Promise<CliResult> {
  const before = JSON.stringify(s.store.snapshot());
  const r = await runInv(["doctor", ...args], { env: { MAGENTO_URL: s.url, ...env } });
  expect(JSON.stringify(s.store.snapshot())).toBe(before);
  return r;
}

describe("a store where everything is there", () => {
  let store: Sandbox;
  beforeAll(async () => {
    store = await sandbox();
  });

  it("exits 0 with every check ok, one line each, and writes nothing", async () => {
    const r = await doctor(store, { MAGENTO_TOKEN: store.token });
    expect(r.code, r.stdout).toBe(0);
    const found = lines(r);
    expect([...found.keys()]).toEqual([
      "REST API",
      "MSI routes",
      "credentials",
      "two-factor",
      ...REQUIRED_ACL_RESOURCES,
      "page size",
      "array size",
    ]);
    for (const [title, line] of found) expect(line.startsWith("ok "), `${title}: ${line}`).toBe(true);
    expect(found.get("REST API")).toBe(`ok Magento's REST API answers at ${store.url}/rest/all/.`);
    expect(found.get("Magento_InventoryApi::stock_source_item_assign")).toBe(
      "ok Held: POST V1/inventory/source-items with 500 items, the first malformed got past the ACL check and was refused for its input (HTTP 400 Bad Request), as intended; nothing was written.",
    );
    expect(found.get("Magento_Backend::store")).toBe("ok Held: GET V1/store/websites answered (websites admin, base).");
    expect(found.get("page size")).toBe("ok Pages of 1000 rows are accepted (--page-size).");
    expect(found.get("array size")).toBe("ok Arrays of 500 items are accepted (--batch-size).");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("Everything inv plan and inv apply need is there.");
    expect(r.stdout + r.stderr).not.toContain(store.token);
    expect(r.stderr).toBe("");
  });

  it("the core returns the report and writes nothing to the terminal", async () => {
    const stdout = vi.spyOn(process.stdout, "write");
    const stderr = vi.spyOn(process.stderr, "write");
    const client = new MagentoClient({ baseUrl: store.url, auth: new BearerAuth(store.token) });
    try {
      const report = await runDoctor({ client, batchSize: 20 });
      expect(report.ok).toBe(true);
      expect(report.checks.find((c) => c.id === "array-size")?.detail).toBe(
        "Arrays of 20 items are accepted (--batch-size).",
      );
      expect(stdout).not.toHaveBeenCalled();
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
      await client.close();
    }
  });

  it("--format json prints the report alone, for CI", async () => {
    const r = await doctor(store, { MAGENTO_TOKEN: store.token }, ["--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report).toMatchObject({
      format_version: 1,
      store: { url: store.url, store_code: "all" },
      credentials: { kind: "bearer", description: "a bearer token (MAGENTO_TOKEN)" },
      ok: true,
    });
    expect(report.checks.map((c) => c.id)).toEqual([
      "rest-api",
      "msi-routes",
      "credentials",
      "two-factor",
      ...REQUIRED_ACL_RESOURCES.map((r) => `acl:${r}`),
      "page-size",
      "array-size",
    ]);
    expect(report.checks.every((c) => c.status === "ok" && c.fix === undefined)).toBe(true);
  });

  it("an integration's OAuth keys are named and accepted", async () => {
    const c = store.credentials;
    const r = await doctor(store, {
      MAGENTO_CONSUMER_KEY: c.consumerKey,
      MAGENTO_CONSUMER_SECRET: c.consumerSecret,
      MAGENTO_ACCESS_TOKEN: c.accessToken,
      MAGENTO_ACCESS_TOKEN_SECRET: c.accessTokenSecret,
    });
    expect(r.code, r.stdout).toBe(0);
    expect(lines(r).get("credentials")).toMatch(/^ok an integration's OAuth 1\.0a keys .*: accepted\.$/);
    expect(r.stdout).not.toContain(c.consumerSecret);
  });

  it("a wrong token fails the credentials, with Magento's three causes, and skips the resources", async () => {
    const r = await doctor(store, { MAGENTO_TOKEN: "not-the-token-5521" });
    expect(r.code).toBe(1);
    const found = lines(r);
    expect(found.get("credentials")).toMatch(
      /^FAIL a bearer token \(MAGENTO_TOKEN\): every call was refused with HTTP 401\. Magento answers a wrong or expired token, an integration token it does not accept as a bearer token .*, and a role holding none of inv's resources alike\./,
    );
    expect(found.get("Magento_InventoryApi::source")).toBe("skip Not checked: the credentials were refused.");
    expect(r.stdout).not.toContain("not-the-token-5521");
  });

  it("OAuth keys with a wrong secret fail the credentials with Magento's own reason", async () => {
    const c = store.credentials;
    const r = await doctor(store, {
      MAGENTO_CONSUMER_KEY: c.consumerKey,
      MAGENTO_CONSUMER_SECRET: "wrong-consumer-secret",
      MAGENTO_ACCESS_TOKEN: c.accessToken,
      MAGENTO_ACCESS_TOKEN_SECRET: c.accessTokenSecret,
    });
    expect(r.code).toBe(1);
    expect(lines(r).get("credentials")).toContain("The signature is invalid.");
    expect(lines(r).get("credentials")).toContain("Check MAGENTO_CONSUMER_SECRET and MAGENTO_ACCESS_TOKEN_SECRET");
  });

  it("a store code Magento does not know is named, with the code to use", async () => {
    const r = await doctor(store, { MAGENTO_TOKEN: store.token }, ["--store", "nope"]);
    expect(r.code).toBe(1);
    expect(lines(r).get("MSI routes")).toBe(
      "FAIL No route answers under /rest/nope/, not even Magento_Store's V1/store/websites: Magento does not know the store code \"nope\". Use --store all (MSI data is global; `all` is the admin scope) or one of the store's store view codes; MAGENTO_STORE sets it too.",
    );
  });
});

describe("a role without a resource", () => {
  it("exits 1 and names the missing write resource, where to grant it, and what inv cannot do without it", async () => {
    const token = "role-without-item-assign-4411";
    const store = await sandbox({
      auth: {
        token,
        aclResources: REQUIRED_ACL_RESOURCES.filter((r) => r !== "Magento_InventoryApi::stock_source_item_assign"),
      },
    });
    const r = await doctor(store, { MAGENTO_TOKEN: token });
    expect(r.code).toBe(1);
    const found = lines(r);
    expect(found.get("Magento_InventoryApi::stock_source_item_assign")).toBe(
      "FAIL Missing: POST V1/inventory/source-items with 500 items, the first malformed was refused with HTTP 401. " +
        "inv apply needs it to save and delete source items. Grant Magento_InventoryApi::stock_source_item_assign to " +
        "the role behind the token: System > Permissions > User Roles > Role Resources for an admin's token, " +
        "System > Extensions > Integrations > API for an integration's, where it is Stores > Inventory > Stocks > Source Item Assigning.",
    );
    expect(found.get("array size")).toBe("skip Not checked: it needs Magento_InventoryApi::stock_source_item_assign.");
    for (const resource of REQUIRED_ACL_RESOURCES.filter((r) => r !== "Magento_InventoryApi::stock_source_item_assign"))
      expect(found.get(resource)?.startsWith("ok "), resource).toBe(true);
    expect(r.stdout).toContain(
      "1 problem: inv plan or inv apply would fail. Fix the line marked FAIL and run inv doctor again (1 more check can run once it is fixed).",
    );
  });

  it("without an optional resource it warns, says what inv skips, and exits 0", async () => {
    const token = "role-without-sales-7730";
    const store = await sandbox({
      auth: { token, aclResources: REQUIRED_ACL_RESOURCES.filter((r) => r !== "Magento_InventorySalesApi::stock") },
    });
    const r = await doctor(store, { MAGENTO_TOKEN: token });
    expect(r.code, r.stdout).toBe(0);
    expect(lines(r).get("Magento_InventorySalesApi::stock")).toMatch(
      /^warn Missing: .* without it inv plan names the reservations it could not check\. Grant Magento_InventorySalesApi::stock .*Stores > Inventory > Sales Stock\.$/,
    );
    expect(r.stdout).toContain("1 warning: inv carries on without it, skipping the checks named.");
  });

  it("`inv sandbox --deny-acl` builds such a role for the admin user too; doctor names it with the admin's fix", async () => {
    let stdout = "";
    let interrupt!: () => void;
    const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const io: Io = {
      stdout: {
        write: (text) => {
          stdout += text;
          if (stdout.includes("Press Ctrl-C")) ready();
        },
        isTTY: false,
      },
      stderr: { write: () => {}, isTTY: false },
      env: { NO_COLOR: "1" },
      cwd: process.cwd(),
      stdinIsTTY: false,
      prompt: async () => "",
      interrupted: () => interrupted,
      onInterrupt: () => () => {},
      exit: () => {},
    };
    const exited = runCli(["sandbox", "--deny-acl", "Magento_InventoryApi::source_edit"], io);
    await Promise.race([started, exited.then((code) => Promise.reject(new Error(`inv sandbox exited with ${code}`)))]);
    try {
      expect(stdout).toContain("Role: every ACL resource but Magento_InventoryApi::source_edit");
      const url = /export MAGENTO_URL=(\S+)/.exec(stdout)![1]!;
      const login = /Admin login \(POST V1\/integration\/admin\/token\): (\S+) \/ (\S+)/.exec(stdout)!;
      const r = await runInv(["doctor"], {
        env: { MAGENTO_URL: url, MAGENTO_ADMIN_USERNAME: login[1]!, MAGENTO_ADMIN_PASSWORD: login[2]! },
      });
      expect(r.code).toBe(1);
      const found = lines(r);
      expect(found.get("credentials")).toBe(
        "ok an admin login (MAGENTO_ADMIN_USERNAME and MAGENTO_ADMIN_PASSWORD): accepted (a token was issued for the login).",
      );
      expect(found.get("Magento_InventoryApi::source_edit")).toBe(
        "FAIL Missing: POST V1/inventory/sources without a source was refused with HTTP 401. inv apply needs it to create and update sources. Grant Magento_InventoryApi::source_edit to the admin user's role: System > Permissions > User Roles > (the role) > Role Resources, where it is Stores > Inventory > Sources > Edit Sources.",
      );
      expect(found.get("Magento_InventoryApi::stock_edit")?.startsWith("ok ")).toBe(true);
      expect(r.stdout).not.toContain(login[2]!);
    } finally {
      interrupt();
      expect(await exited).toBe(0);
    }
  });
});

describe("input limits and two-factor", () => {
  it("reports the store's page-size and array limits, which inv adapts to (exit 0)", async () => {
    const store = await sandbox({ inputLimits: true });
    const r = await doctor(store, { MAGENTO_TOKEN: store.token });
    expect(r.code, r.stdout).toBe(0);
    expect(lines(r).get("page size")).toBe(
      "ok At most 300 rows per page (Web API input limits on), not 1000; inv reads at that size.",
    );
    expect(lines(r).get("array size")).toBe(
      "ok At most 20 items per array (Web API input limits on); inv apply sends 20 a call.",
    );
  });

  it("an admin login on a store with two-factor: fails without MAGENTO_ADMIN_OTP, passes with it", async () => {
    const store = await sandbox({ auth: { admin: { ...ADMIN, twoFactor: true, otpSecret: OTP_SECRET } } });
    const env = { MAGENTO_ADMIN_USERNAME: ADMIN.username, MAGENTO_ADMIN_PASSWORD: ADMIN.password };
    const without = await doctor(store, env);
    expect(without.code).toBe(1);
    expect(lines(without).get("credentials")).toContain(
      "Please use the 2fa provider-specific endpoints to obtain a token.",
    );
    expect(lines(without).get("two-factor")).toBe(
      "FAIL On: the store asks admin logins for a two-factor code. Set MAGENTO_ADMIN_OTP to the current Google Authenticator code, or use an integration's OAuth keys, which need no code (and suit unattended runs).",
    );
    const withCode = await doctor(store, { ...env, MAGENTO_ADMIN_OTP: totp(OTP_SECRET) });
    expect(withCode.code, withCode.stdout).toBe(0);
    expect(lines(withCode).get("two-factor")).toMatch(/^ok On: the login took MAGENTO_ADMIN_OTP /);
    expect(withCode.stdout + withCode.stderr).not.toContain(ADMIN.password);
  });

  it("for a bearer token it says whether admin logins would need a code", async () => {
    const on = await sandbox({ auth: { admin: { ...ADMIN, twoFactor: true, otpSecret: OTP_SECRET } } });
    expect(lines(await doctor(on, { MAGENTO_TOKEN: on.token })).get("two-factor")).toBe(
      "ok On for admin logins (Magento_TwoFactorAuth); a bearer token (MAGENTO_TOKEN) needs no code.",
    );
    const off = await sandbox();
    expect(lines(await doctor(off, { MAGENTO_TOKEN: off.token })).get("two-factor")).toBe(
      "ok Off: Magento_TwoFactorAuth is not enabled, admin logins need no code.",
    );
  });
});

describe("what is not Magento", () => {
  const servers: Server[] = [];
  afterAll(() => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  });
  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("an HTML server fails the REST API check with the likely causes, and checks nothing more", async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.writeHead(404, { "content-type": "text/html" }).end("<html><head><title>404 Not Found</title></head></html>");
    });
    const r = await runInv(["doctor"], { env: { MAGENTO_URL: url, MAGENTO_TOKEN: "html-token-3321" } });
    expect(r.code).toBe(1);
    const found = lines(r);
    expect(found.get("REST API")).toBe(
      `FAIL GET ${url}/rest/all/V1/inventory/sources failed with HTTP 404 Not Found: the server answered with an HTML page ` +
        `("404 Not Found"), not Magento's REST API. Likely causes: --url or MAGENTO_URL is not the store's base URL ` +
        "(the address the storefront opens at, without /rest); a proxy, CDN or firewall answered in Magento's place " +
        "(a login, block or maintenance page); or Magento's Web API or its Magento_Inventory* modules are off.",
    );
    expect(found.get("credentials")).toBe("skip Not checked: the store's REST API did not answer.");
    expect(requests).toBe(1);
  });

  it("a Magento without the MSI modules: its routes 404, Magento_Store's answer", async () => {
    // What Magento's router answers (magento/magento2 Webapi/Controller/Rest/Router.php, RequestValidator).
    const url = await serve((req, res) => {
      const known = req.url?.startsWith("/rest/all/V1/store/websites");
      res.writeHead(known ? 401 : 404, { "content-type": "application/json" }).end(
        JSON.stringify(
          known
            ? {
                message: "The consumer isn't authorized to access %resources.",
                parameters: { resources: "Magento_Backend::store" },
              }
            : { message: "Request does not match any route." },
        ),
      );
    });
    const r = await runInv(["doctor"], { env: { MAGENTO_URL: url, MAGENTO_TOKEN: "no-msi-token-5" } });
    expect(r.code).toBe(1);
    expect(lines(r).get("REST API")).toBe(`ok Magento's REST API answers at ${url}/rest/all/.`);
    expect(lines(r).get("MSI routes")).toMatch(
      /^FAIL GET V1\/inventory\/sources does not exist on this store: Magento_InventoryApi and the other MSI modules are off\. Enable them: /,
    );
  });

  it("a missing Magento_InventorySalesApi only warns: the reservation check is skipped", async () => {
    const url = await serve((req, res) => {
      const off = req.url?.includes("get-product-salable-quantity");
      res
        .writeHead(off ? 404 : 401, { "content-type": "application/json" })
        .end(
          JSON.stringify(
            off
              ? { message: "Request does not match any route." }
              : { message: "The consumer isn't authorized to access %resources.", parameters: { resources: "x" } },
          ),
        );
    });
    const r = await runInv(["doctor"], { env: { MAGENTO_URL: url, MAGENTO_TOKEN: "no-sales-token-5" } });
    expect(lines(r).get("MSI routes")).toBe(
      "warn Missing: Magento_InventorySalesApi (salable quantities); the module is off. Enable it: bin/magento module:enable Magento_InventorySalesApi && bin/magento setup:upgrade.",
    );
  });

  it("a redirect to https names the URL to use", async () => {
    const url = await serve((req, res) => {
      res.writeHead(301, { location: `https://shop.example.com${req.url}` }).end();
    });
    const r = await runInv(["doctor"], { env: { MAGENTO_URL: url, MAGENTO_TOKEN: "redirect-token-8812" } });
    expect(r.code).toBe(1);
    expect(lines(r).get("REST API")).toBe(
      `FAIL GET ${url}/rest/all/V1/inventory/sources was redirected (HTTP 301 Moved Permanently) to ` +
        "https://shop.example.com/rest/all/V1/inventory/sources. inv does not follow redirects: a redirected write can be " +
        "lost or sent twice, and credentials must not follow a request elsewhere. Use the URL it points at: set " +
        "MAGENTO_URL (or --url) to https://shop.example.com. The store is served over https: use https://.",
    );
  });

  it("a refused port fails at once, on one line that says what to check", async () => {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const started = Date.now();
    const r = await runInv(["doctor"], {
      env: { MAGENTO_URL: `http://127.0.0.1:${port}`, MAGENTO_TOKEN: "refused-token-1" },
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.code).toBe(1);
    expect(lines(r).get("REST API")).toBe(
      `FAIL GET http://127.0.0.1:${port}/rest/all/V1/inventory/sources could not reach the store: connection refused by 127.0.0.1:${port}. Check --url or MAGENTO_URL (host and port) and that the store is running.`,
    );
    expect(r.stderr).toBe("");
  });
});
