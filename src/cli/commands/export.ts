// inv export: the live store -> an inventory file in our format (stdout or --out), with
// quantities in a CSV file under --csv DIR for large catalogs.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Option, type Command } from "commander";
import { ConfigurationError } from "../../errors.js";
import { exportStore, REVIEWABLE_PRODUCTS } from "../../export/export-store.js";
import { displayPath } from "../../inventory/glob.js";
import { addConnectionOptions, connect, type ConnectionFlags } from "../connection.js";
import { plural } from "../../words.js";
import type { CommandContext } from "../program.js";
import { ProgressLine } from "../progress.js";

interface ExportFlags extends ConnectionFlags {
  readonly out?: string;
  readonly csv?: string;
  readonly force?: boolean;
  readonly quiet?: boolean;
}

export function registerExport(program: Command, context: CommandContext): void {
  const command = program
    .command("export")
    .description(
      "write the live store as an inventory file: sources, stocks with their links, products with their source items",
    )
    .addOption(new Option("-o, --out <file>", "write the file here instead of to stdout"))
    .addOption(
      new Option(
        "--csv <dir>",
        `write quantities to <dir>/source-items.csv (read back through csv:) instead of products:; suggested beyond ${REVIEWABLE_PRODUCTS.toLocaleString("en-US")} products`,
      ),
    )
    .addOption(new Option("--force", "overwrite files that exist"))
    .addOption(new Option("-q, --quiet", "no progress and no notices of the store's input limits on stderr"));
  addConnectionOptions(command).action(async (flags: ExportFlags) => {
    const cwd = context.io.cwd;
    const outFile = flags.out ? resolve(cwd, flags.out) : undefined;
    const csvDir = flags.csv ? resolve(cwd, flags.csv) : undefined;
    for (const file of [outFile, csvDir ? resolve(csvDir, "source-items.csv") : undefined]) {
      if (file && existsSync(file) && !flags.force) {
        throw new ConfigurationError(
          `${displayPath(file, cwd)} exists; inv export does not overwrite it.`,
          "Pass --force to overwrite it, or choose another path.",
        );
      }
    }
    const client = connect(flags, context.io, context.redactor);
    const progress = new ProgressLine(context.stderr, context.io.stderr.isTTY && !flags.quiet);
    try {
      const result = await exportStore({
        client,
        cwd,
        ...(outFile ? { outFile } : {}),
        ...(csvDir ? { csvDir } : {}),
        onProgress: (p) => progress.read(p),
      });
      progress.done();
      if (result.csv) {
        mkdirSync(dirname(result.csv.file), { recursive: true });
        writeFileSync(result.csv.file, result.csv.text);
      }
      if (outFile) {
        mkdirSync(dirname(outFile), { recursive: true });
        writeFileSync(outFile, result.yaml);
      } else {
        context.stdout.write(result.yaml);
      }
      for (const warning of result.warnings) context.stderr.write(`inv: warning: ${warning}\n`);
      for (const note of result.notes) context.stderr.write(`inv: note: ${note}\n`);
      const { sources, stocks, products, sourceItems } = result.counts;
      const where = [
        outFile ? displayPath(outFile, cwd) : "stdout",
        ...(result.csv ? [displayPath(result.csv.file, cwd)] : []),
      ].join(" and ");
      context.stderr.write(
        `Exported ${plural(sources, "source")}, ${plural(stocks, "stock")} and ${plural(products, "product")} ` +
          `(${plural(sourceItems, "source item")}) from ${client.displayUrl} to ${where}.\n`,
      );
    } finally {
      progress.done();
      await client.close();
    }
  });
}
