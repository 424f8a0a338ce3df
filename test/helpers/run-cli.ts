// Runs `inv ...` in-process with captured output, as the tests' terminal.

import { runCli } from "../../src/cli/program.js";
import type { InterruptSignal, Io } from "../../src/cli/io.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  readonly tty?: boolean;
  /** Answers given at the prompt, in order; null is Ctrl-C at the prompt (readline's own key). */
  readonly answers?: readonly (string | null)[];
  /** At the prompt, a signal arrives instead of an answer (a `kill`, not the Ctrl-C key). */
  readonly signalAtPrompt?: InterruptSignal;
}

export async function runInv(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const answers = [...(options.answers ?? [])];
  const tty = options.tty ?? false;
  const handlers = new Set<(signal: InterruptSignal) => void>();
  const io: Io = {
    stdout: { write: (text) => void (stdout += text), isTTY: tty },
    stderr: { write: (text) => void (stderr += text), isTTY: tty },
    env: { NO_COLOR: "1", ...options.env },
    cwd: options.cwd ?? process.cwd(),
    stdinIsTTY: tty,
    prompt: async (question) => {
      stderr += question;
      if (options.signalAtPrompt) {
        for (const handler of handlers) handler(options.signalAtPrompt);
        return new Promise<string | null>(() => {});
      }
      const answer = answers.shift();
      return answer === undefined ? "" : answer;
    },
    interrupted: () => new Promise(() => {}),
    onInterrupt: (handler) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    // In-process there is no process to end: a test that needs a real exit spawns inv (built-cli.ts).
    exit: (code) => {
      throw new Error(`inv called exit(${code}) in-process`);
    },
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
