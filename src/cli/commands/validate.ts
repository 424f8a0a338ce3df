// inv validate: the file alone, offline. Schema and offline rules; nothing is sent.

import { Option, type Command } from "commander";
import { loadInventory } from "../../inventory/load-inventory.js";
import { plural } from "../../words.js";
import type { CommandContext } from "../program.js";

export function registerValidate(program: Command, context: CommandContext): void {
  program
    .command("validate")
    .description("check an inventory file against the schema and Magento's rules, offline")
    .addOption(new Option("-f, --file <path>", "the inventory file").default("inventory.yaml"))
    .action((options: { file: string }) => {
      const desired = loadInventory(options.file, { cwd: context.io.cwd });
      const extra =
        desired.files.length > 1
          ? ` (with ${desired.files.length - 1} included file${desired.files.length === 2 ? "" : "s"})`
          : "";
      context.stdout.write(
        `${options.file} is valid${extra}: ${plural(desired.sources.size, "source")}, ` +
          `${plural(desired.stocks.size, "stock")}, ${plural(desired.products.size, "product")}` +
          ".\nReferences to sources that are not declared are checked against the store by `inv plan`.\n",
      );
    });
}
