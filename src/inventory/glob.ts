// Expands the `include:` and `csv:` patterns of an inventory file. Node 20 has no fs.glob,
// and the patterns need only `*`, `?` and `**`, so twenty lines beat a dependency.

import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { compareCodePoints } from "../sort.js";

export function expandGlob(pattern: string, baseDir: string): string[] {
  const segments = pattern.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
  const matches: string[] = [];
  walk(pattern.startsWith("/") ? "/" : baseDir, segments, matches);
  return [...new Set(matches)].sort(compareCodePoints);
}

function walk(dir: string, segments: readonly string[], out: string[]): void {
  const [head, ...rest] = segments;
  if (head === undefined) {
    if (isFile(dir)) out.push(dir);
    return;
  }
  if (head === "**") {
    walk(dir, rest, out);
    for (const entry of listDirectories(dir)) walk(join(dir, entry), segments, out);
    return;
  }
  if (!/[*?]/.test(head)) {
    walk(join(dir, head), rest, out);
    return;
  }
  const matcher = segmentMatcher(head);
  for (const entry of list(dir)) {
    if (matcher.test(entry) && !(entry.startsWith(".") && !head.startsWith("."))) walk(join(dir, entry), rest, out);
  }
}

function segmentMatcher(segment: string): RegExp {
  const body = segment
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, "[^/]*")
    .replace(/\?/g, "[^/]");
  return new RegExp(`^${body}$`);
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function listDirectories(dir: string): string[] {
  return list(dir).filter(
    (entry) => !entry.startsWith(".") && entry !== "node_modules" && isDirectory(join(dir, entry)),
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** Paths shown to people are relative to the working directory, with forward slashes. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return (rel === "" || rel.startsWith("..") ? path : rel).split(sep).join("/");
}
