// Small words of the CLI: colour on stdout follows picocolors' rules (NO_COLOR turns it off;
// FORCE_COLOR, CI or a terminal whose TERM is not dumb turn it on), and counts agree with their nouns.

import { describe, expect, it } from "vitest";
import { colorOn } from "../../src/cli/program.js";
import { runInv } from "../helpers/run-cli.js";
import { useSandbox, workspace } from "../helpers/sandbox.js";

const ESC = "\u001b[";
const sandbox = useSandbox();

function io(env: Record<string, string>, isTTY = false) {
  return { env, stdout: { isTTY, write: () => {} } };
}

describe("colour", () => {
  it("is decided as picocolors decides it", () => {
    expect(colorOn(io({}))).toBe(false);
    expect(colorOn(io({}, true))).toBe(true);
    expect(colorOn(io({ TERM: "dumb" }, true))).toBe(false);
    expect(colorOn(io({ FORCE_COLOR: "1" }))).toBe(true);
    expect(colorOn(io({ CI: "true" }))).toBe(true);
    expect(colorOn(io({ FORCE_COLOR: "" }))).toBe(false);
    expect(colorOn(io({ NO_COLOR: "1", FORCE_COLOR: "1" }, true))).toBe(false);
  });

  it("FORCE_COLOR colours the plan off a terminal; NO_COLOR wins over it", async () => {
    const dir = workspace({ "inventory.yaml": "version: 1\nproducts:\n  24-MB01: { default: 90 }\n" });
    const env = { ...sandbox().env, NO_COLOR: undefined };
    const forced = await runInv(["plan"], { cwd: dir, env: { ...env, FORCE_COLOR: "1" } });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain(ESC);
    const plain = await runInv(["plan"], { cwd: dir, env });
    expect(plain.stdout).not.toContain(ESC);
    const off = await runInv(["plan"], { cwd: dir, env: { ...env, FORCE_COLOR: "1", NO_COLOR: "1" } });
    expect(off.stdout).not.toContain(ESC);
    // JSON is never coloured.
    const json = await runInv(["plan", "--format", "json"], { cwd: dir, env: { ...env, FORCE_COLOR: "1" } });
    expect(json.stdout).not.toContain(ESC);
  });
});

describe("counts", () => {
  it("say one thing in the singular", async () => {
    const dir = workspace({
      "inventory.yaml":
        'version: 1\nsources:\n  east: { name: East, country_id: US, postcode: "1" }\nstocks:\n  US: { sources: [east] }\nproducts:\n  24-MB01: { east: 1 }\n',
    });
    const r = await runInv(["validate"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("inventory.yaml is valid: 1 source, 1 stock, 1 product.\n");
  });
});
