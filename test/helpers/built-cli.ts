// `inv` as a real process, for what only a process has: signals, a shell script that runs
// it, an exit that is not the test's. src/ is transpiled as it is now (types stripped; `tsc
// --noEmit` checks them) into node_modules/.cache, once per content of src/, so every test
// file that needs it shares one copy.

import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
    });
}

let built: string | undefined;

/** The path of the transpiled `src/cli/main.js`, built on first use. */
export function builtCli(): string {
  if (built) return built;
  const files = sourceFiles(join(ROOT, "src"));
  const hash = createHash("sha256");
  for (const file of files) hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  const target = join(ROOT, "node_modules", ".cache", "inv-test-cli", hash.digest("hex").slice(0, 16));
  const main = join(target, "src", "cli", "main.js");
  if (!existsSync(main)) {
    // Built aside and renamed into place, so test files building at once never see half of it.
    const scratch = `${target}.tmp-${process.pid}`;
    rmSync(scratch, { recursive: true, force: true });
    for (const file of files) {
      const output = ts.transpileModule(readFileSync(file, "utf8"), {
        fileName: file,
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
        },
      }).outputText;
      const out = join(scratch, relative(ROOT, file).replace(/\.ts$/, ".js"));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, output);
    }
    // Under node_modules, Node looks no further up for the package's "type".
    writeFileSync(join(scratch, "package.json"), '{ "type": "module" }\n');
    try {
      renameSync(scratch, target);
    } catch {
      rmSync(scratch, { recursive: true, force: true });
      if (!existsSync(main)) throw new Error(`could not build the CLI into ${target}`);
    }
    // Builds of earlier contents of src/ are of no more use.
    const builds = dirname(target);
    for (const entry of readdirSync(builds))
      if (join(builds, entry) !== target && !entry.includes(".tmp-"))
        rmSync(join(builds, entry), { recursive: true, force: true });
  }
  built = main;
  return main;
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything written so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (128 + n for a signal that ended it) once it exits. */
  readonly exited: Promise<number>;
}

/** Starts `inv ...args` as a process of its own. */
export function spawnInv(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): CliProcess {
  const child = spawn(process.execPath, [builtCli(), ...args], {
    cwd: options.cwd,
    env: { PATH: process.env["PATH"], NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => void (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString("utf8")));
  const signals: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  const exited = new Promise<number>((resolve) =>
    child.on("close", (code, signal) => resolve(code ?? 128 + (signals[signal ?? ""] ?? 0))),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}
