// Everything the CLI touches of the outside world, injected so that tests run commands
// in-process and the core never sees a terminal.

export interface Output {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Columns of the terminal, when it is one. */
  readonly columns?: number | undefined;
}

export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdinIsTTY: boolean;
  /**
   * Asks a question at the terminal; resolves with the answer, or null when the operator cancels (Ctrl-C, end of
   * input).
   */
  prompt(question: string): Promise<string | null>;
  /** Resolves when the operator asks the process to stop (Ctrl-C). */
  interrupted(): Promise<void>;
  /**
   * Calls `handler` on every SIGINT and SIGTERM until the returned function is called;
   * meanwhile they do not end the process, the handler decides.
   */
  onInterrupt(handler: (signal: InterruptSignal) => void): () => void;
  /** Ends the process at once with this exit code (a second interrupt, or one before anything was written). */
  exit(code: number): void;
}

export type InterruptSignal = "SIGINT" | "SIGTERM";
