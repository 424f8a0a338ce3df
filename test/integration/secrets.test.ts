// Credentials never leave inv: every command and output format (text, markdown, json, saved
// plan, journal, errors, --verbose, INV_DEBUG=1), with a bearer token, an admin login and
// OAuth keys that are known and distinctive, and no part of any of them appears anywhere.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLAN_FORMATS } from "../../src/render/render-plan.js";
import { startSandbox, type Sandbox, type SandboxAuthOptions } from "../../src/sandbox/index.js";
import { workspace } from "../helpers/sandbox.js";
import { runInv, type CliResult } from "../helpers/run-cli.js";
import { REQUIRED_ACL_RESOURCES } from "../../src/magento/auth.js";

const BEARER = "Bq7ZtK2vXw9Lm4Np8Rs3Tu6Yc1Hd5Jf0";
const ADMIN_USER = "ops-Wn4Kq8Zr2Vx6";
const ADMIN_PASS = "Pw7Gh3Jk9Lm2Qs5Xz8Cv1Bn4";
const CONSUMER_KEY = "ck8Mf3Nq6Rw1Tz4Yb7Hc2Jd5Kg9Lp0Sv";
const CONSUMER_SECRET = "cs2Xk7Pm4Qr9Wt1Zy6Vb3Nh8Jg5Df0La";
const ACCESS_TOKEN = "at5Lq0Wm8Xr3Zt6Yk1Vn4Hb9Jc2Gf7Ds";
const ACCESS_TOKEN_SECRET = "as9Vr4Kt1Xm6Qz3Wy8Lb5Nf0Hj7Gc2Dp";
const WRONG_TOKEN = "Wr0ngTk5Ym8Qa3Zx6Cv9Bn2Lk4Jh7Gf1D";
const WRONG_PASS = "Wr0ngPw3Nm6Qb9Xc2Vz5Lk8Jh1Gf4Ds7A";
const WRONG_SECRET = "Wr0ngCs8Tk1Yq4Zm7Xv0Bn3Lh6Jg9Fd2S";

const SECRETS = [
  BEARER,
  ADMIN_USER,
  ADMIN_PASS,
  CONSUMER_KEY,
  CONSUMER_SECRET,
  ACCESS_TOKEN,
  ACCESS_TOKEN_SECRET,
  WRONG_TOKEN,
  WRONG_PASS,
  WRONG_SECRET,
];

const AUTH: SandboxAuthOptions = {
  token: BEARER,
  admin: { username: ADMIN_USER, password: ADMIN_PASS },
  integration: {
    consumerKey: CONSUMER_KEY,
    consumerSecret: CONSUMER_SECRET,
    accessToken: ACCESS_TOKEN,
    accessTokenSecret: ACCESS_TOKEN_SECRET,
  },
};

const CREDENTIALS: Readonly<Record<string, Record<string, string>>> = {
  bearer: { MAGENTO_TOKEN: BEARER },
  admin: { MAGENTO_ADMIN_USERNAME: ADMIN_USER, MAGENTO_ADMIN_PASSWORD: ADMIN_PASS },
  oauth: {
    MAGENTO_CONSUMER_KEY: CONSUMER_KEY,
    MAGENTO_CONSUMER_SECRET: CONSUMER_SECRET,
    MAGENTO_ACCESS_TOKEN: ACCESS_TOKEN,
    MAGENTO_ACCESS_TOKEN_SECRET: ACCESS_TOKEN_SECRET,
  },
};

const WRONG: Readonly<Record<string, Record<string, string>>> = {
  bearer: { MAGENTO_TOKEN: WRONG_TOKEN },
  admin: { MAGENTO_ADMIN_USERNAME: ADMIN_USER, MAGENTO_ADMIN_PASSWORD: WRONG_PASS },
  oauth: { ...CREDENTIALS["oauth"], MAGENTO_CONSUMER_SECRET: WRONG_SECRET },
};

const FILE_A = `version: 1
sources:
  ne_wh: { name: Northeast Warehouse, country_id: US, postcode: "07306" }
stocks:
  US Stock:
    sales_channels: { website: [base] }
    sources: [ne_wh]
products:
  24-WB01: { ne_wh: 35 }
`;
const FILE_B = FILE_A.replace("24-WB01: { ne_wh: 35 }", "24-WB01: { ne_wh: 30 }\n  24-WB03: { ne_wh: 4 }");
const FILE_C = FILE_B.replace("ne_wh: 30", "ne_wh: 31");
/** Unassigns 24-WB03 from ne_wh, where it holds 4: refused without consent. */
const FILE_D = FILE_A.replace("24-WB01: { ne_wh: 35 }", "24-WB03: { default: 1 }");
/** A website the restricted credentials cannot check: Magento refuses it mid-apply. */
const FILE_PARTIAL = FILE_A.replace("website: [base]", "website: [nowhere]").replace(
  "24-WB01: { ne_wh: 35 }",
  "24-WB01: { ne_wh: 9 }",
);

/** Every form a secret could leak in: as is, URL-encoded, base64, and any 10 characters of it. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const secret of SECRETS) {
    const forms = [
      secret,
      encodeURIComponent(secret),
      Buffer.from(secret).toString("base64"),
      Buffer.from(secret).toString("base64url"),
    ];
    for (let i = 0; i + 10 <= secret.length; i++) forms.push(secret.slice(i, i + 10));
    for (const form of forms) if (text.includes(form)) found.push(`${secret} (as "${form}")`);
  }
  // Admin tokens are JWTs the sandbox makes at login: never printed either.
  const jwt = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.exec(text);
  if (jwt) found.push(`an admin token (${jwt[0].slice(0, 12)}...)`);
  return found;
}

/** Everything inv wrote into the workspace: saved plans, journals, anything else. */
function filesIn(dir: string): string {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => `--- ${name}\n${readFileSync(join(dir, name), "utf8")}`)
    .join("\n");
}

interface Transcript {
  readonly label: string;
  readonly result: CliResult;
}

describe.each(Object.keys(CREDENTIALS))("with %s credentials", (kind) => {
  let sandbox: Sandbox;
  let restricted: Sandbox;
  let flaky: Sandbox;
  const transcripts: Transcript[] = [];
  let dir: string;
  // Magento grants each resource on its own: every resource inv needs, but not Magento_Backend::store.
  const INVENTORY_AND_CATALOG = REQUIRED_ACL_RESOURCES.filter((r) => r !== "Magento_Backend::store");

  beforeAll(async () => {
    sandbox = await startSandbox({ auth: AUTH });
    // Credentials that may not read websites (Magento_Backend::store): a refused stock save mid-apply.
    restricted = await startSandbox({ auth: { ...AUTH, aclResources: INVENTORY_AND_CATALOG } });
    // Gateway errors, so that retry lines are logged; one request at a time keeps the schedule fixed.
    flaky = await startSandbox({ auth: AUTH, faults: { failRate: 0.2 }, seed: 2 });
    dir = workspace({
      "inventory.yaml": FILE_A,
      "b.yaml": FILE_B,
      "c.yaml": FILE_C,
      "d.yaml": FILE_D,
      "partial.yaml": FILE_PARTIAL,
    });
  });
  afterAll(async () => {
    await Promise.all([sandbox.close(), restricted.close(), flaky.close()]);
  });

  async function run(
    label: string,
    args: readonly string[],
    env: Record<string, string>,
    url = sandbox.url,
  ): Promise<CliResult> {
    const result = await runInv(args, { env: { MAGENTO_URL: url, ...env }, cwd: dir });
    transcripts.push({ label: `${label}: inv ${args.join(" ")}`, result });
    return result;
  }

  it("runs every command and format, errors included", async () => {
    const env = CREDENTIALS[kind]!;
    const debug = { ...env, INV_DEBUG: "1" };
    expect((await run("validate", ["validate"], env)).code).toBe(0);
    for (const format of PLAN_FORMATS)
      expect((await run(`plan ${format}`, ["plan", "--format", format, "--verbose"], debug)).code).toBe(0);
    expect((await run("payloads", ["plan", "--show-payloads", "--verbose", "--out", "plan.json"], debug)).code).toBe(0);
    expect(
      (
        await run(
          "saved plan",
          ["apply", "plan.json", "--yes", "--allow-destroy", "--journal", "saved.jsonl", "--verbose"],
          debug,
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await run(
          "apply json",
          [
            "apply",
            "-f",
            "b.yaml",
            "--yes",
            "--allow-destroy",
            "--format",
            "json",
            "--journal",
            "json.jsonl",
            "--verbose",
          ],
          debug,
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await run(
          "apply text",
          ["apply", "-f", "c.yaml", "--yes", "--allow-destroy", "--journal", "text.jsonl", "--verbose"],
          debug,
        )
      ).code,
    ).toBe(0);
    expect((await run("no consent", ["apply", "-f", "d.yaml", "--yes"], env)).code).toBe(6);
    expect((await run("stale plan", ["apply", "plan.json", "--yes", "--allow-destroy"], env)).code).toBe(4);
    expect((await run("wrong credentials", ["plan", "--verbose"], { ...WRONG[kind]!, INV_DEBUG: "1" })).code).toBe(1);
    expect((await run("wrong credentials apply", ["apply", "--yes", "--format", "json"], WRONG[kind]!)).code).toBe(1);
    expect(
      (await run("retries", ["plan", "--verbose", "--format", "json", "--concurrency", "1"], debug, flaky.url)).code,
    ).toBe(0);
    if (kind !== "admin") {
      // Admin logins hold every ACL resource; the restricted role applies to the token and the integration.
      expect(
        (
          await run(
            "partial",
            [
              "apply",
              "-f",
              "partial.yaml",
              "--yes",
              "--allow-destroy",
              "--allow-unchecked",
              "--journal",
              "partial.jsonl",
              "--verbose",
            ],
            debug,
            restricted.url,
          )
        ).code,
      ).toBe(5);
      // Again: the stock exists now, so the refused stock save is the first call (exit 1, JSON report).
      expect(
        (
          await run(
            "refused json",
            ["apply", "-f", "partial.yaml", "--yes", "--allow-destroy", "--allow-unchecked", "--format", "json"],
            debug,
            restricted.url,
          )
        ).code,
      ).toBe(1);
    }
    expect((await run("doctor", ["doctor", "--verbose"], debug)).code).toBe(0);
    expect((await run("doctor json", ["doctor", "--format", "json"], env)).code).toBe(0);
    expect((await run("doctor refused", ["doctor", "--verbose"], { ...WRONG[kind]!, INV_DEBUG: "1" })).code).toBe(1);
    expect((await run("bad flag", ["plan", "--concurrency", "zero"], env)).code).toBe(1);
    expect((await run("bad url", ["plan"], { ...env, MAGENTO_URL: "http://example.com" })).code).toBe(1);
  }, 120_000);

  it("and no credential appears in any output or file", () => {
    expect(transcripts.length).toBeGreaterThan(10);
    // The detector itself finds a fragment, an encoding and a token.
    expect(leaks(`...${ADMIN_PASS.slice(5, 16)}...`)).not.toEqual([]);
    expect(leaks(Buffer.from(BEARER).toString("base64"))).not.toEqual([]);
    expect(leaks("Bearer eyJraWQiOiIxIn0.eyJ1aWQiOjF9.sig")).not.toEqual([]);
    // The runs did produce what is searched: retries logged, errors printed, journals written.
    const all = transcripts.map((t) => `${t.result.stdout}\n${t.result.stderr}`).join("\n");
    expect(all).toMatch(/retry \d in/);
    expect(all).toContain("failed with HTTP 401");
    expect(filesIn(dir)).toContain('"outcome":"done"');
    for (const { label, result } of transcripts) {
      expect({ label, leaks: leaks(result.stdout) }).toEqual({ label, leaks: [] });
      expect({ label, leaks: leaks(result.stderr) }).toEqual({ label, leaks: [] });
    }
    expect(leaks(filesIn(dir))).toEqual([]);
  });
});
