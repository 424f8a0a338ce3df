// --skip-unknown-skus, shared by inv plan and inv apply.

import { Option, type Command } from "commander";

export interface SkipFlags {
  readonly skipUnknownSkus?: boolean;
}

export function addSkipUnknownOption(command: Command): Command {
  return command.addOption(
    new Option(
      "--skip-unknown-skus",
      "leave SKUs the store's catalog does not have out of the plan, list them and plan the rest " +
        "(policy: { skip_unknown_skus: true } in the file does the same); without it they refuse the plan",
    ),
  );
}

export function skipOptionsOf(flags: SkipFlags): { skipUnknownSkus?: true } {
  return flags.skipUnknownSkus ? { skipUnknownSkus: true } : {};
}
