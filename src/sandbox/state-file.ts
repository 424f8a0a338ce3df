// The --state file: read once at start, rewritten atomically (temp file + rename) after
// every successful write, before the response goes out.

import { existsSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import type { SandboxState } from "./types.js";

export function readStateFile(path: string): SandboxState | null {
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, "utf8")) as SandboxState;
}

let tempCounter = 0;

/** Serialises writes so concurrent requests never interleave two renames. */
export class StateWriter {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly snapshot: () => SandboxState,
  ) {}

  persist(): Promise<void> {
    const next = this.chain.then(async () => {
      const temp = `${this.path}.${process.pid}.${++tempCounter}.tmp`;
      await writeFile(temp, `${JSON.stringify(this.snapshot(), null, 1)}\n`, "utf8");
      await rename(temp, this.path);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  idle(): Promise<void> {
    return this.chain;
  }
}
