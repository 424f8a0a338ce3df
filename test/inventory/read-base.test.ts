import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/errors.js";
import { loadInventory } from "../../src/inventory/load-inventory.js";
import { checkoutBase } from "../../src/inventory/read-base.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "inv-base-test-"));
  dirs.push(dir);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.com");
  git("config", "user.name", "test");
  return dir;
}

function commit(dir: string, files: Record<string, string>, message: string): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  execFileSync("git", ["add", "-A"], { cwd: dir });
  execFileSync("git", ["commit", "-q", "-m", message], { cwd: dir });
}

describe("--base: the inventory files at a commit", () => {
  it("reads the main file, its include: and csv: files as they were at the ref", () => {
    const dir = repo();
    commit(
      dir,
      {
        "shop/inventory.yaml":
          "version: 1\ninclude: [more.yaml]\ncsv: [feeds/*.csv]\nproducts:\n  A: { default: 35 }\n",
        "shop/more.yaml": "products:\n  B: { default: 1 }\n",
        "shop/feeds/one.csv": "sku,source_code,quantity,status\nC,default,4,1\n",
        "README.md": "not an inventory file\n",
      },
      "base",
    );
    commit(dir, { "shop/inventory.yaml": "version: 1\nproducts:\n  A: { default: 85 }\n" }, "head");
    const base = checkoutBase("shop/inventory.yaml", "HEAD~1", dir);
    try {
      expect(base.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(base.mainFileAbsent).toBe(false);
      const state = loadInventory(base.mainFile, { cwd: base.cwd });
      expect([...state.products.keys()].sort()).toEqual(["A", "B", "C"]);
      expect(state.products.get("A")?.assignments[0]?.quantity).toBe(35);
      // Messages name the same paths as in the working tree.
      expect(state.files.map((f) => f.path)).toContain("shop/inventory.yaml");
    } finally {
      base.dispose();
    }
  });

  it("says when the main file did not exist at the base", () => {
    const dir = repo();
    commit(dir, { "other.txt": "x\n" }, "first");
    commit(dir, { "inventory.yaml": "version: 1\n" }, "second");
    const base = checkoutBase("inventory.yaml", "HEAD~1", dir);
    base.dispose();
    expect(base.mainFileAbsent).toBe(true);
  });

  it("refuses an unknown ref, naming it", () => {
    const dir = repo();
    commit(dir, { "inventory.yaml": "version: 1\n" }, "first");
    expect(() => checkoutBase("inventory.yaml", "no-such-branch", dir)).toThrow(
      /--base no-such-branch: the repository of inventory.yaml has no commit, branch or tag of that name/,
    );
  });

  it("refuses a file outside any git repository", () => {
    const dir = mkdtempSync(join(tmpdir(), "inv-no-repo-"));
    dirs.push(dir);
    writeFileSync(join(dir, "inventory.yaml"), "version: 1\n");
    const attempt = () => checkoutBase("inventory.yaml", "main", dir);
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/inventory.yaml is not in a git repository/);
  });

  it("says git is missing when it is not on PATH", () => {
    const dir = repo();
    const path = process.env["PATH"];
    process.env["PATH"] = join(dir, "no-bin");
    try {
      expect(() => checkoutBase("inventory.yaml", "main", dir)).toThrow(/--base needs git, which is not installed/);
    } finally {
      process.env["PATH"] = path;
    }
  });
});
