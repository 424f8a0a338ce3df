// Ctrl-C and SIGTERM during `inv apply`. Before anything is written, inv stops at once (130 or
// 143); at the confirmation prompt, the apply is cancelled (exit 1). Once calls are being
// sent, the first signal lets the call in flight settle (within `--timeout`) and starts no
// other: the core gets it as an aborted AbortSignal and ends with the report of calls done,
// failed and not attempted (exit 5 when anything was done). A second signal stops at once.

import type { ApplyEvent } from "../apply/execute.js";
import { EXIT_CODES, InterruptedError } from "../errors.js";
import type { PlannedCall } from "../plan/calls/call.js";
import type { InterruptSignal } from "./io.js";
import type { CommandContext } from "./program.js";
import type { ProgressLine } from "./progress.js";

type Phase = "reading" | "confirming" | "applying";

export class ApplyInterrupts {
  private readonly controller = new AbortController();
  private phase: Phase = "reading";
  private inFlight: PlannedCall | undefined;
  private done = 0;
  private cancelPrompt: (() => void) | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly context: CommandContext,
    private readonly progress: ProgressLine,
    /** How long the call in flight is given to answer, for the message. */
    private readonly settleMs: number,
  ) {
    this.unsubscribe = context.io.onInterrupt((signal) => this.interrupt(signal));
  }

  /** Aborted at the first signal, with an InterruptedError as its reason. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get interrupted(): boolean {
    return this.controller.signal.aborted;
  }

  /** What the apply is doing: which call is in flight, how many are done. */
  event(event: ApplyEvent): void {
    if (event.type === "call-start") {
      this.phase = "applying";
      this.inFlight = event.call;
    } else if (event.type === "call-done") {
      this.done++;
      this.inFlight = undefined;
    }
  }

  /** The confirmation, cancelled (false) by a signal that arrives while it is asked. */
  async confirming(ask: () => Promise<boolean>): Promise<boolean> {
    this.phase = "confirming";
    try {
      const cancelled = new Promise<boolean>((resolve) => {
        this.cancelPrompt = () => resolve(false);
      });
      return await Promise.race([ask(), cancelled]);
    } finally {
      this.phase = "reading";
      this.cancelPrompt = undefined;
    }
  }

  dispose(): void {
    this.unsubscribe();
  }

  private interrupt(signal: InterruptSignal): void {
    const error = new InterruptedError(signal);
    const { stderr, io } = this.context;
    this.progress.done();
    if (this.interrupted) {
      const call = this.inFlight;
      const maybe = call
        ? ` Call ${call.id} (${call.method} ${call.path}) was in flight and may have been done; a --journal has it as "sending".`
        : "";
      stderr.write(
        `inv: interrupted again (${signal}): stopped at once.${maybe} Run \`inv plan\` to see what is left.\n`,
      );
      io.exit(this.done > 0 || call ? EXIT_CODES["partial-apply"] : EXIT_CODES[error.code]);
      return;
    }
    this.controller.abort(error);
    switch (this.phase) {
      case "confirming":
        this.cancelPrompt?.();
        return;
      case "reading":
        stderr.write(`inv: interrupted (${signal}); nothing was written to the store.\n`);
        io.exit(EXIT_CODES[error.code]);
        return;
      case "applying": {
        const call = this.inFlight;
        const waiting = call
          ? `waiting up to ${Math.round(this.settleMs / 1000)} s for call ${call.id} (${call.method} ${call.path}) to answer; no call starts after it`
          : "no call starts after it";
        stderr.write(`inv: interrupted (${signal}): ${waiting}. Interrupt again to stop at once.\n`);
      }
    }
  }
}
