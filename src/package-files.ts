// Files that ship beside the code (the JSON Schema, package.json). The code runs from
// src/ under vitest and from dist/src/ once built, so the package root is found by walking up.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "schemas", "inventory.schema.json"))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`inv: cannot find schemas/inventory.schema.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  root = dir;
  return dir;
}

export function readPackageJson<T>(relative: string): T {
  return JSON.parse(readFileSync(join(packageRoot(), relative), "utf8")) as T;
}

export function invVersion(): string {
  return readPackageJson<{ version: string }>("package.json").version;
}
