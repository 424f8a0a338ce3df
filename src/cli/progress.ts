// Progress on stderr, only at a terminal and without --quiet: pages read of total and
// calls applied of total, with an estimate of the time left. One line, redrawn in place.

import type { ApplyEvent } from "../apply/execute.js";
import type { Progress } from "../pipeline.js";
import type { Output } from "./io.js";

const REDRAW_MS = 100;

export class ProgressLine {
  private readonly started = new Map<string, number>();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stderr: Output,
    private readonly enabled: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {}

  read(progress: Progress): void {
    this.update(`Reading ${progress.what}`, progress.done, progress.total, "page");
  }

  apply(event: ApplyEvent): void {
    if (event.type === "call-done") this.update("Applying", event.index + 1, event.total, "call");
  }

  /** Clears the line before other output. */
  done(): void {
    if (this.drawn) this.stderr.write("\r\u001b[2K");
    this.drawn = false;
  }

  private update(label: string, done: number, total: number, unit: string): void {
    if (!this.enabled) return;
    const now = this.now();
    const start = this.started.get(label) ?? now;
    this.started.set(label, start);
    if (done < total && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const elapsed = now - start;
    const left = done > 0 && done < total ? ` ~${formatSeconds(((total - done) * elapsed) / done)} left` : "";
    this.stderr.write(`\r\u001b[2K${label}: ${done}/${total} ${unit}${total === 1 ? "" : "s"}${left}`);
    this.drawn = true;
  }
}

function formatSeconds(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
