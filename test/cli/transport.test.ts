// How inv reaches the store: plain http:// only to loopback unless --allow-http, private
// certificate authorities through NODE_EXTRA_CA_CERTS, and answers awaited for --timeout
// seconds. No traffic leaves loopback.

import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { createServer as createHttpServer, request as httpRequest, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionError } from "../../src/errors.js";
import { BearerAuth } from "../../src/magento/auth.js";
import { MagentoClient } from "../../src/magento/client.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace, type SandboxHandle } from "../helpers/sandbox.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FILE = "version: 1\nproducts:\n  24-WB01: { default: 100 }\n";
const FAST_RETRY = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1000 };

let store: SandboxHandle;
let dir: string;

beforeAll(async () => {
  store = await openSandbox();
  dir = workspace({ "inventory.yaml": FILE });
});
afterAll(async () => {
  await store.sandbox.close();
});

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

describe("plain http://", () => {
  it("is refused to a host that is not loopback, before anything is sent", async () => {
    for (const url of ["http://shop.example.com", "http://10.0.0.5:8080", "http://0.0.0.0:1"]) {
      const r = await runInv(["plan"], { cwd: dir, env: { MAGENTO_URL: url, MAGENTO_TOKEN: "t0ken-value" } });
      expect(r.code, url).toBe(1);
      expect(r.stderr).toMatch(/Refusing plain http:\/\/ to \S+: credentials would cross the network unencrypted\./);
      expect(r.stderr).toContain("Use https://, or pass --allow-http if the network is trusted.");
    }
  });

  it("is allowed to loopback (127.0.0.1, localhost) without a flag", async () => {
    const r = await runInv(["plan"], { cwd: dir, env: store.env });
    expect(r.code, r.stderr).toBe(0);
    const local = await runInv(["plan"], {
      cwd: dir,
      env: { ...store.env, MAGENTO_URL: store.sandbox.url.replace("127.0.0.1", "localhost") },
    });
    expect(local.code, local.stderr).toBe(0);
  });

  it("--allow-http lets it through to another host (0.0.0.0 reaches this machine)", async () => {
    const url = store.sandbox.url.replace("127.0.0.1", "0.0.0.0");
    const r = await runInv(["plan", "--allow-http"], { cwd: dir, env: { ...store.env, MAGENTO_URL: url } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("http://0.0.0.0:");
  });

  it("MAGENTO_URL may carry no credentials, no /rest, and only http or https", async () => {
    const cases: [string, string][] = [
      ["https://user:pw@shop.example.com", "MAGENTO_URL must not carry credentials."],
      ["https://shop.example.com/rest", "MAGENTO_URL ends in /rest"],
      ["ftp://shop.example.com", "MAGENTO_URL must use https://"],
      ["shop.example.com", "is not a URL"],
    ];
    for (const [url, message] of cases) {
      const r = await runInv(["plan"], { cwd: dir, env: { MAGENTO_URL: url, MAGENTO_TOKEN: "t0ken-value" } });
      expect(r.code, url).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain("pw@");
    }
  });
});

describe("--timeout", () => {
  it("gives up on an answer after that many seconds and retries the read", async () => {
    // A proxy that holds the first request for 1.5 s and passes the rest straight on.
    let held = false;
    const target = new URL(store.sandbox.url);
    const proxy = createHttpServer((req, res) => {
      const forward = () => {
        const upstream = httpRequest(
          { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        req.pipe(upstream);
      };
      if (held) forward();
      else {
        held = true;
        setTimeout(() => {
          if (!res.destroyed) forward();
        }, 1500);
      }
    });
    const port = await listen(proxy);
    try {
      const r = await runInv(["plan", "--timeout", "1", "--concurrency", "1"], {
        cwd: dir,
        env: { ...store.env, MAGENTO_URL: `http://127.0.0.1:${port}` },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        new RegExp(
          `inv: GET http://127\\.0\\.0\\.1:${port}/rest/all/V1/\\S+ failed \\(no answer within 1 s \\(--timeout\\)\\); retry 1 in`,
        ),
      );
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  it("a store that never answers in time fails with the reason and what to check", async () => {
    const slow = await openSandbox({ latencyMs: 2500 });
    const client = new MagentoClient({
      baseUrl: slow.sandbox.url,
      auth: new BearerAuth(slow.sandbox.token),
      timeoutMs: 1000,
      retry: FAST_RETRY,
    });
    try {
      const error = await client.get("V1/inventory/sources", "searchCriteria[pageSize]=1").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).message).toBe(
        `GET ${slow.sandbox.url}/rest/all/V1/inventory/sources could not reach the store: no answer within 1 s (--timeout)`,
      );
      const hint = (error as ConnectionError).hint ?? "";
      expect(hint).toContain("inv retried it with backoff.");
      // A slow store is not a certificate problem: the hint is about --timeout and what to lower.
      expect(hint).toContain("Raise --timeout (seconds), or lower --page-size or --concurrency.");
      expect(hint).not.toContain("NODE_EXTRA_CA_CERTS");
    } finally {
      await client.close();
      await slow.sandbox.close();
    }
  });

  it("takes whole seconds of 1 or more", async () => {
    for (const value of ["0", "-3", "abc", "1.5"]) {
      const r = await runInv(["plan", "--timeout", value], { cwd: dir, env: store.env });
      expect(r.code, value).toBe(1);
      expect(r.stderr).toContain(`--timeout takes a whole number of 1 or more, not "${value}".`);
    }
  });
});

describe("private certificate authorities", () => {
  let https: Server;
  let port: number;
  let caFile: string;

  beforeAll(async () => {
    // A CA of our own and a certificate for 127.0.0.1 signed by it, as a store behind a private CA has.
    const certs = workspace({ "server.ext": "subjectAltName=IP:127.0.0.1\n" });
    const run = (...args: string[]) => execFileSync("openssl", args, { cwd: certs, stdio: "pipe" });
    run(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=inv test CA",
    );
    run(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "server.key",
      "-out",
      "server.csr",
      "-subj",
      "/CN=127.0.0.1",
    );
    run(
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      "-days",
      "2",
      "-extfile",
      "server.ext",
    );
    caFile = join(certs, "ca.pem");
    const target = new URL(store.sandbox.url);
    https = createHttpsServer(
      { key: readFileSync(join(certs, "server.key")), cert: readFileSync(join(certs, "server.pem")) },
      (req, res) => {
        const upstream = httpRequest(
          { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        req.pipe(upstream);
      },
    );
    port = await listen(https);
  });
  afterAll(() => {
    https.closeAllConnections();
    https.close();
  });

  it("an untrusted certificate fails with the reason and points at NODE_EXTRA_CA_CERTS", async () => {
    const client = new MagentoClient({
      baseUrl: `https://127.0.0.1:${port}`,
      auth: new BearerAuth(store.sandbox.token),
      retry: FAST_RETRY,
    });
    try {
      const error = await client.get("V1/inventory/sources", "searchCriteria[pageSize]=1").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).message).toMatch(
        /could not reach the store: the store's TLS certificate is not trusted \(\w+\)/,
      );
      expect((error as ConnectionError).hint).toContain("for a private CA, set NODE_EXTRA_CA_CERTS");
    } finally {
      await client.close();
    }
  });

  it("NODE_EXTRA_CA_CERTS makes Node (and so undici, inv's HTTP client) trust the private CA", async () => {
    // Node reads NODE_EXTRA_CA_CERTS once at start, so this runs in a fresh process, with the
    // same undici Agent and request call the client makes.
    const script = join(workspace({}), "fetch.mjs");
    writeFileSync(
      script,
      `import { Agent } from ${JSON.stringify(join(ROOT, "node_modules/undici/index.js"))};
const agent = new Agent({ headersTimeout: 10000, bodyTimeout: 10000 });
try {
  const r = await agent.request({
    origin: "https://127.0.0.1:${port}",
    path: "/rest/all/V1/inventory/sources?searchCriteria%5BpageSize%5D=1",
    method: "GET",
    headers: { authorization: "Bearer ${store.sandbox.token}" },
  });
  console.log(r.statusCode);
} catch (e) { console.log(e.code ?? e.message); } finally { await agent.close(); }
`,
    );
    const env = { ...process.env };
    delete env["NODE_EXTRA_CA_CERTS"];
    // Asynchronously: the HTTPS server answering the child lives in this process.
    const node = promisify(execFile);
    const without = await node(process.execPath, [script], { env, encoding: "utf8", timeout: 20_000 });
    expect(without.stdout.trim()).toMatch(/CERT|UNABLE_TO_VERIFY|SELF_SIGNED/);
    const trusted = await node(process.execPath, [script], {
      env: { ...env, NODE_EXTRA_CA_CERTS: caFile },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(trusted.stdout.trim(), trusted.stderr).toBe("200");
  });
});
