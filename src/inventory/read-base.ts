// `--base <git-ref>`: the inventory files as they were at a commit, read with git from the
// file's own repository. The files are written to a private temporary directory under the
// same relative paths, so the one loader reads them exactly as it reads the working tree.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { ConfigurationError, formatProblem, InventoryFileError } from "../errors.js";
import { emptyDesiredState, type DesiredState } from "../model.js";
import { loadInventory } from "./load-inventory.js";

/** The commit the base names, and where its inventory files were written. */
export interface BaseCheckout {
  /** The ref as the user gave it. */
  readonly ref: string;
  /** The full commit id it resolved to. */
  readonly commit: string;
  /** The main file's path inside `root`; absent at the base when `mainFileAbsent`. */
  readonly mainFile: string;
  /** The temporary directory standing for the repository's top level at the commit. */
  readonly root: string;
  /** The caller's working directory, as it stands inside `root` (messages show the same paths). */
  readonly cwd: string;
  /** The main file did not exist at the commit: everything in it is new. */
  readonly mainFileAbsent: boolean;
  /** Removes the temporary directory. */
  dispose(): void;
}

/** File names the loader can read (the main file, `include:` YAML, `csv:` feeds). */
const INVENTORY_FILE = /\.(ya?ml|csv|tsv|txt)$/i;
const GIT_TIMEOUT_MS = 60_000;
/** Base files share the loader's limits; git's own output may carry a few of them at once. */
const MAX_GIT_OUTPUT = 2 * 1024 * 1024 * 1024 - 1;

/**
 * Writes the inventory files under the main file's directory, as they are at `ref`, to a
 * temporary directory. Includes and CSV files are found by the loader there, by the same
 * relative paths. Throws ConfigurationError (exit 1, nothing sent) when git is missing, the
 * file is not in a repository, or the ref is unknown.
 */
export function checkoutBase(file: string, ref: string, cwd: string): BaseCheckout {
  const absolute = resolve(cwd, file);
  const directory = dirname(absolute);
  const top = git(["rev-parse", "--show-toplevel"], directory, () => notARepository(file)).trim();
  const commit = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], top, () => unknownRef(ref, file)).trim();
  if (commit === "") throw unknownRef(ref, file);

  // Paths inside the repository, with forward slashes as git writes them.
  const within = relative(top, directory).split(sep).join("/");
  const listing = git(["ls-tree", "-r", "-z", "--full-tree", commit, ...(within === "" ? [] : ["--", within])], top);
  const blobs = listing
    .split("\0")
    .filter((entry) => entry !== "")
    .flatMap((entry) => {
      // "<mode> <type> <object>\t<path>"
      const tab = entry.indexOf("\t");
      const [, type, object] = entry.slice(0, tab).split(" ");
      const path = entry.slice(tab + 1);
      return type === "blob" && object && INVENTORY_FILE.test(path) ? [{ object, path }] : [];
    });

  const root = mkdtempSync(join(tmpdir(), "inv-base-"));
  const dispose = () => rmSync(root, { recursive: true, force: true });
  try {
    writeBlobs(top, root, blobs);
  } catch (error) {
    dispose();
    throw error;
  }
  const mainRelative = relative(top, absolute).split(sep).join("/");
  return {
    ref,
    commit,
    mainFile: join(root, ...mainRelative.split("/")),
    root,
    cwd: insideOrRoot(root, relative(top, resolve(cwd))),
    mainFileAbsent: !blobs.some((b) => b.path === mainRelative),
    dispose,
  };
}

function insideOrRoot(root: string, path: string): string {
  return path === "" || path.startsWith("..") ? root : join(root, path);
}

/** One `git cat-file --batch` for every blob: a feed of many CSV files costs one process. */
function writeBlobs(top: string, root: string, blobs: readonly { object: string; path: string }[]): void {
  if (blobs.length === 0) return;
  const output = execFileSync("git", ["cat-file", "--batch"], {
    cwd: top,
    input: `${blobs.map((b) => b.object).join("\n")}\n`,
    maxBuffer: MAX_GIT_OUTPUT,
    timeout: GIT_TIMEOUT_MS,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let offset = 0;
  for (const blob of blobs) {
    // "<object> blob <size>\n<content>\n"
    const header = output.indexOf(0x0a, offset);
    const size = Number(output.subarray(offset, header).toString("latin1").split(" ")[2]);
    const content = output.subarray(header + 1, header + 1 + size);
    offset = header + 1 + size + 1;
    const target = join(root, ...blob.path.split("/"));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

function git(args: readonly string[], cwd: string, onFailure?: () => Error): string {
  try {
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      maxBuffer: MAX_GIT_OUTPUT,
      timeout: GIT_TIMEOUT_MS,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new ConfigurationError(
        "--base needs git, which is not installed or not on PATH.",
        "Install git, or plan without --base (quantities are then absolute).",
      );
    }
    if (onFailure) throw onFailure();
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new ConfigurationError(`git ${args[0]} failed: ${stderr || String(error)}`);
  }
}

function notARepository(file: string): ConfigurationError {
  return new ConfigurationError(
    `--base reads ${file} as it was at a git commit, but ${file} is not in a git repository.`,
    "Run inv from a clone of the repository that holds the file, or plan without --base.",
  );
}

function unknownRef(ref: string, file: string): ConfigurationError {
  return new ConfigurationError(
    `--base ${ref}: the repository of ${file} has no commit, branch or tag of that name.`,
    "Give a commit, branch or tag that exists there (in CI, fetch it first: git fetch origin <branch>).",
  );
}

/** The inventory as it was at a commit: the one loader's state, or empty when the main file was not there. */
export interface BaseInventory {
  readonly commit: string;
  readonly state: DesiredState;
  readonly mainFileAbsent: boolean;
}

/**
 * Reads the inventory at `ref` through the one loader, the temporary files removed after.
 * A file that is not valid there cannot say what changed since: ConfigurationError (exit 1).
 */
export function loadBase(file: string, ref: string, cwd: string): BaseInventory {
  const checkout = checkoutBase(file, ref, cwd);
  try {
    if (checkout.mainFileAbsent) return { commit: checkout.commit, state: emptyDesiredState(), mainFileAbsent: true };
    try {
      return {
        commit: checkout.commit,
        state: loadInventory(checkout.mainFile, { cwd: checkout.cwd }),
        mainFileAbsent: false,
      };
    } catch (error) {
      if (!(error instanceof InventoryFileError)) throw error;
      throw new ConfigurationError(
        `The inventory file at --base ${ref} (${checkout.commit.slice(0, 12)}) is not valid, so it cannot say what changed since:\n${error.problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`,
        "Give a base where the file is valid (the commit the store was last brought to), or plan without --base.",
      );
    }
  } finally {
    checkout.dispose();
  }
}
