// inv graph: the stocks, their sales channels and their sources in priority order, as a
// Mermaid flowchart; from the live store, or with -f from the file alone, offline.

import { Option, type Command } from "commander";
import { loadInventory } from "../../inventory/load-inventory.js";
import { topologyOf, topologyOfDesired, type Topology } from "../../diff/topology.js";
import { renderGraph } from "../../render/render-graph.js";
import { readLiveState } from "../../state/read-live-state.js";
import { addConnectionOptions, connect, type ConnectionFlags } from "../connection.js";
import type { CommandContext } from "../program.js";

interface GraphFlags extends ConnectionFlags {
  readonly file?: string;
  readonly markdown?: boolean;
}

export function registerGraph(program: Command, context: CommandContext): void {
  const command = program
    .command("graph")
    .description("print the stocks, their sales channels and their sources in priority order as a Mermaid flowchart")
    .addOption(
      new Option("-f, --file <path>", "graph what the inventory file declares instead of the live store (offline)"),
    )
    .addOption(new Option("--markdown", "wrap the diagram in a ```mermaid block, for pull requests and wikis"));
  addConnectionOptions(command).action(async (flags: GraphFlags) => {
    const topology =
      flags.file !== undefined
        ? topologyOfDesired(loadInventory(flags.file, { cwd: context.io.cwd }))
        : await liveTopology(flags, context);
    // A file names stocks, not their ids; in the store every stock has one.
    const diagram = renderGraph(topology, { withoutId: flags.file !== undefined ? "unknown" : "new" });
    context.stdout.write(flags.markdown ? `\`\`\`mermaid\n${diagram}\`\`\`\n` : diagram);
  });
}

/** Sources, stocks and links only: no source items are read. */
async function liveTopology(flags: GraphFlags, context: CommandContext): Promise<Topology> {
  const client = connect(flags, context.io, context.redactor);
  try {
    return topologyOf(await readLiveState(client, { skus: new Set() }));
  } finally {
    await client.close();
  }
}
