// Where the inventory file came from: the git commit, when the file is in a repository,
// so a saved plan says what was reviewed.

import { execFileSync } from "node:child_process";
import type { GitInfo } from "./plan.js";

export function readGitInfo(directory: string): GitInfo | null {
  try {
    const run = (args: string[]) =>
      execFileSync("git", args, {
        cwd: directory,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: 5000,
      }).trim();
    const commit = run(["rev-parse", "HEAD"]);
    const dirty = run(["status", "--porcelain", "--untracked-files=no"]) !== "";
    return { commit, dirty };
  } catch {
    return null;
  }
}
