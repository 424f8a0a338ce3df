// The formatter wraps code at 120 columns but cannot wrap a long string or comment;
// this check holds those to the same 120, so no line scrolls off a review screen. Split a
// long message with `+` across lines; wrap a comment (a path too long for one line breaks
// after a `/`).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const LIMIT = Number(process.env.INV_LINE_LIMIT ?? 120);
const ROOTS = ["src", "test", "bench", "scripts"];
const SKIP = new Set(["golden", "node_modules"]);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|mjs|js)$/.test(name)) yield path;
  }
}

const over = [];
for (const root of ROOTS) {
  for (const path of files(root)) {
    readFileSync(path, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if ([...line].length > LIMIT) over.push(`${path}:${i + 1} has ${[...line].length} characters`);
      });
  }
}
if (over.length > 0) {
  console.error(`${over.length} line(s) over ${LIMIT} characters:\n${over.join("\n")}`);
  process.exit(1);
}
