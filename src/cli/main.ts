#!/usr/bin/env node
// The `inv` executable: wires the real process into the testable CLI.

import { createInterface } from "node:readline/promises";
import type { Io } from "./io.js";
import { runCli } from "./program.js";

const io: Io = {
  stdout: {
    write: (text) => void process.stdout.write(text),
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns,
  },
  stderr: {
    write: (text) => void process.stderr.write(text),
    isTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns,
  },
  env: process.env,
  cwd: process.cwd(),
  stdinIsTTY: process.stdin.isTTY === true,
  prompt(question) {
    const readline = createInterface({ input: process.stdin, output: process.stderr });
    return new Promise((resolve) => {
      // Ctrl-C at the prompt reaches readline as a key, not as a signal; end of input too is no answer.
      readline.on("SIGINT", () => {
        process.stderr.write("\n");
        readline.close();
      });
      readline.on("close", () => resolve(null));
      readline.question(question).then(
        (answer) => {
          resolve(answer);
          readline.close();
        },
        () => resolve(null),
      );
    });
  },
  interrupted: () =>
    new Promise((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    }),
  onInterrupt(handler) {
    const onSigint = () => handler("SIGINT");
    const onSigterm = () => handler("SIGTERM");
    process.on("SIGINT", onSigint);
    process.on("SIGTERM", onSigterm);
    return () => {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigterm);
    };
  },
  exit: (code) => process.exit(code),
};

// A closed pipe (e.g. `inv plan | head`) is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv.slice(2), io);
// A request an interrupt abandoned must not hold the process open once the command is over.
setTimeout(() => process.exit(), 2000).unref();
