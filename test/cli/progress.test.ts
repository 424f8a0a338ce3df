// Progress goes to stderr at a terminal only, and never with --quiet: pages read of the
// total, calls applied of the total, with the time left.

import { describe, expect, it } from "vitest";
import { ProgressLine } from "../../src/cli/progress.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";

const FILE = "version: 1\nproducts:\n  24-MB01: { default: 9 }\n  24-MB04: { default: 8 }\n";

describe("progress on stderr", () => {
  it("shows pages read and calls applied at a terminal, and nothing elsewhere or with --quiet", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const dir = workspace({ "inventory.yaml": FILE });
      const atTerminal = await runInv(["apply", "--yes"], { env, cwd: dir, tty: true });
      expect(atTerminal.code).toBe(0);
      expect(atTerminal.stderr).toMatch(/Reading (sources|stocks|links|source items): \d+\/\d+ pages?/);
      expect(atTerminal.stderr).toMatch(/Applying: 1\/1 call/);
      // The line is cleared before the result is printed, so stdout stays clean.
      expect(atTerminal.stdout).not.toContain("Reading");

      for (const [args, tty] of [
        [["plan"], false],
        [["plan", "--quiet"], true],
      ] as const) {
        const result = await runInv(args, { env, cwd: dir, tty });
        expect(result.code).toBe(0);
        expect(result.stderr).not.toMatch(/Reading|Applying/);
      }
    } finally {
      await sandbox.close();
    }
  });

  it("estimates the time left from the pace so far", () => {
    let written = "";
    let now = 0;
    const line = new ProgressLine({ write: (text) => void (written += text), isTTY: true }, true, () => now);
    line.read({ what: "source items", done: 1, total: 10 });
    now = 2000;
    line.read({ what: "source items", done: 5, total: 10 });
    expect(written).toContain("Reading source items: 5/10 pages ~2 s left");
    line.done();
    expect(written.endsWith("\r\u001b[2K")).toBe(true);
  });
});
