// Runs `inv ...` in-process with captured output, as the tests' terminal.

import { runCli } from "../../src/cli/program.js";
import type { Io } from "../../src/cli/io.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  readonly tty?: boolean;
  /** Answers given at the prompt, in order. */
  readonly answers?: readonly string[];
}

export async function runInv(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const answers = [...(options.answers ?? [])];
  const tty = options.tty ?? false;
  const io: Io = {
    stdout: { write: (text) => void (stdout += text), isTTY: tty },
    stderr: { write: (text) => void (stderr += text), isTTY: tty },
    env: { NO_COLOR: "1", ...options.env },
    cwd: options.cwd ?? process.cwd(),
    stdinIsTTY: tty,
    prompt: async (question) => {
      stderr += question;
      return answers.shift() ?? "";
    },
    interrupted: () => new Promise(() => {}),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
