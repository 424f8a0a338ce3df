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
  /** Asks a question at the terminal and resolves with the answer. */
  prompt(question: string): Promise<string>;
  /** Resolves when the operator asks the process to stop (Ctrl-C). */
  interrupted(): Promise<void>;
}
