// The rollback file's target is checked before anything is sent: never an existing file (an
// earlier apply's rollback is not lost), never a directory that cannot be written.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkRollbackTarget, RollbackFileError } from "../../src/apply/rollback-file.js";
import { workspace } from "../helpers/sandbox.js";

describe("checkRollbackTarget", () => {
  it("accepts a new file in a writable directory and leaves nothing behind", () => {
    const dir = workspace({});
    checkRollbackTarget(join(dir, "rollback.json"), "rollback.json");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses a file that exists, so the rollback of an earlier apply is never overwritten", () => {
    const dir = workspace({ "rollback.json": "{}" });
    expect(() => checkRollbackTarget(join(dir, "rollback.json"), "rollback.json")).toThrow(RollbackFileError);
    expect(() => checkRollbackTarget(join(dir, "rollback.json"), "rollback.json")).toThrow(
      "--rollback-out rollback.json exists already; a rollback file is never overwritten",
    );
  });

  it("refuses a place it cannot write to, naming why", () => {
    const dir = workspace({ "plan.json": "{}" });
    // A file where a directory should be: no user, root included, can write under it.
    expect(() => checkRollbackTarget(join(dir, "plan.json", "rollback.json"), "plan.json/rollback.json")).toThrow(
      "Cannot write the rollback plan.json/rollback.json (ENOTDIR).",
    );
    expect(readdirSync(dir)).toEqual(["plan.json"]);
  });
});
