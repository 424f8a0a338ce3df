// npm run demo: start the sandbox, plan the example file, apply it, plan again (nothing
// left), graph the result, then stop. Runs the real `inv` executable against the sandbox
// over loopback.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startSandbox } from "../dist/src/sandbox/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const inv = fileURLToPath(new URL("../dist/src/cli/main.js", import.meta.url));
const bold = (text) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${text}\u001b[22m` : text);

const sandbox = await startSandbox();
const env = { ...process.env, MAGENTO_URL: sandbox.url, MAGENTO_TOKEN: sandbox.token };
console.log(
  bold(
    `Started the Magento MSI sandbox on ${sandbox.url} (a fresh ` +
      "Magento 2.4: default source, Default Stock, a small catalog).",
  ),
);

function run(args, note) {
  console.log(`\n${bold(`$ inv ${args.join(" ")}`)}${note ? `   # ${note}` : ""}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [inv, ...args], { cwd: root, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

let failed = false;
try {
  const steps = [
    [["plan", "-f", "inventory.example.yaml"], "what would change", 0],
    [
      ["apply", "-f", "inventory.example.yaml", "--yes"],
      "refused: unassigning the default source destroys 200 units",
      6,
    ],
    [
      ["apply", "-f", "inventory.example.yaml", "--yes", "--allow-destroy"],
      "with consent: apply, verify, remind to reindex",
      0,
    ],
    [["plan", "-f", "inventory.example.yaml", "--detailed-exitcode"], "nothing left to do: exit code 0", 0],
    [["graph"], "the stocks, their websites and their sources by priority, as a Mermaid diagram", 0],
  ];
  for (const [args, note, expected] of steps) {
    const code = await run(args, note);
    console.log(bold(`(exit code ${code})`));
    if (code !== expected) {
      console.error(`The demo expected exit code ${expected} here.`);
      failed = true;
      break;
    }
  }
} finally {
  await sandbox.close();
  console.log(`\n${bold("Stopped the sandbox.")} Run it yourself with: npx inv sandbox`);
}
process.exitCode = failed ? 1 : 0;
