// The formatter wraps code at 120 columns but cannot wrap a comment or a string. Comments
// are held to the same 120 (wrap them; a path too long for one line breaks after a `/`).
// A string literal may carry a line past it, as ESLint's max-len allows with ignoreStrings
// and ignoreTemplateLiterals: a message kept whole can be found with grep, and the code
// around it must still fit.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const LIMIT = Number(process.env.INV_LINE_LIMIT ?? 120);
const ROOTS = ["src", "test", "bench", "scripts"];
const SKIP = new Set(["golden", "node_modules"]);
/** A string or template literal that opens and closes on the line. */
const LITERAL = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|mjs|js)$/.test(name)) yield path;
  }
}

/** A line that is one regular-expression literal (an argument on its own line), a string of sorts. */
const REGEX_LINE = /^\s*(?:expect\([^)]*\)\.toMatch\()?\/(?![/*]).*\/[dgimsuvy]*\)?[,;]?$/;

/** The line's length with each string literal counted as its quotes only; comments count whole. */
function codeLength(line) {
  const comment = line.search(/^\s*(\/\/|\/\*|\*)/);
  if (comment !== -1) return [...line].length;
  if (REGEX_LINE.test(line)) return 0;
  return [...line.replace(LITERAL, (literal) => literal[0] + literal[0])].length;
}

const over = [];
for (const root of ROOTS) {
  for (const path of files(root)) {
    const lines = readFileSync(path, "utf8").split("\n");
    for (const [i, line] of lines.entries()) {
      if ([...line].length > LIMIT && codeLength(line) > LIMIT) {
        over.push(`${path}:${i + 1} has ${[...line].length} characters`);
      }
    }
  }
}
if (over.length > 0) {
  console.error(`${over.length} line(s) over ${LIMIT} characters outside string literals:\n${over.join("\n")}`);
  process.exit(1);
}
