// Only src/cli/ touches the terminal: the core's plan() and apply() write nothing to
// stdout or stderr, whatever they do.

import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apply, plan } from "../../src/pipeline.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";

afterEach(() => {
  vi.restoreAllMocks();
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("the core", () => {
  it("never writes to stdout or stderr while planning and applying", async () => {
    const { sandbox, client } = await openSandbox();
    const stdout = vi.spyOn(process.stdout, "write");
    const stderr = vi.spyOn(process.stderr, "write");
    const log = vi.spyOn(console, "log");
    try {
      const dir = workspace({});
      copyFileSync(new URL("../../inventory.example.yaml", import.meta.url), join(dir, "inventory.yaml"));
      await plan({ file: "inventory.yaml", cwd: dir, client: client(), git: null });
      await apply({ file: "inventory.yaml", cwd: dir, client: client(), git: null, allowDestroy: true });
      expect(stdout).not.toHaveBeenCalled();
      expect(stderr).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
      await sandbox.close();
    }
  });

  it("reads no process state: only src/cli/ mentions process.stdout, process.env, argv or TTYs", () => {
    const root = new URL("../../src/", import.meta.url).pathname;
    const offenders = sourceFiles(root)
      .filter((file) => !file.includes("/src/cli/") && !file.includes("/src/sandbox/"))
      .filter((file) => /process\.(stdout|stderr|stdin|env|argv|exit)\b|isTTY/.test(readFileSync(file, "utf8")));
    expect(offenders.map((f) => f.slice(root.length))).toEqual([]);
  });
});
