// The flags of quantities as changes since a git base, shared by inv plan and inv apply.

import { Option, type Command } from "commander";
import { ConfigurationError } from "../errors.js";
import type { BaseOptions } from "../pipeline.js";

export interface BaseFlags {
  readonly base?: string;
  readonly changedOnly?: boolean;
  readonly prune?: boolean;
}

export function addBaseOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--base <git-ref>",
        "the commit the store was last brought to: quantities the file changed since are applied as changes " +
          "(live + new - old); the rest are the store's to move",
      ),
    )
    .addOption(
      new Option("--changed-only", "with --base: read and plan only the SKUs whose entries changed since the base"),
    )
    .addOption(
      new Option(
        "--prune",
        "with --base: delete the stocks and unassign the SKUs the file declared at the base and no longer declares",
      ),
    );
}

/** The base options, or undefined; --changed-only and --prune mean nothing without a base. */
export function baseOptionsOf(flags: BaseFlags): BaseOptions | undefined {
  if (flags.base === undefined) {
    const orphan = [flags.changedOnly ? "--changed-only" : "", flags.prune ? "--prune" : ""].filter(Boolean);
    if (orphan.length > 0) {
      throw new ConfigurationError(
        `${orphan.join(" and ")} ${orphan.length === 1 ? "needs" : "need"} --base: what changed, and what the file no longer declares, is measured against a commit.`,
        "Add --base <git-ref>, the commit the store was last brought to (for example --base inv-applied/production).",
      );
    }
    return undefined;
  }
  if (flags.base.trim() === "" || flags.base.startsWith("-")) {
    throw new ConfigurationError(`--base needs a git ref (a commit, branch or tag), not "${flags.base}".`);
  }
  return { ref: flags.base, changedOnly: flags.changedOnly ?? false, prune: flags.prune ?? false };
}
