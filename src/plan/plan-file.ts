// Saved plans: `inv plan --out plan.json` writes the same versioned document that
// `--format json` prints; `inv apply plan.json` reads it back and refuses versions it
// does not know.

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { PlanFileError } from "../errors.js";
import { PLAN_FORMAT_VERSION, type Plan } from "./plan.js";

export function serializePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Written to a temporary file and renamed, so a pipeline never reads half a plan. */
export function writePlanFile(path: string, plan: Plan): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, serializePlan(plan), { mode: 0o644 });
  renameSync(temporary, path);
}

export function readPlanFile(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PlanFileError(
      `Cannot read the saved plan ${path}: ${code === "ENOENT" ? "no such file" : String(code ?? error)}.`,
    );
  }
  return parsePlan(text, path);
}

export function parsePlan(text: string, path: string): Plan {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new PlanFileError(
      `${path} is not a saved plan: it is not JSON.`,
      "Save a plan with `inv plan --out plan.json`.",
    );
  }
  if (!isRecord(document) || !("format_version" in document)) {
    throw new PlanFileError(
      `${path} is not a saved plan: it has no format_version.`,
      "Save a plan with `inv plan --out plan.json`.",
    );
  }
  if (document["format_version"] !== PLAN_FORMAT_VERSION) {
    throw new PlanFileError(
      `${path} has plan format version ` +
        `${JSON.stringify(document["format_version"])}; this inv reads version ${PLAN_FORMAT_VERSION}.`,
      "Make the plan again with this version of inv.",
    );
  }
  for (const key of ["store", "basis", "policy", "changes", "calls", "summary"] as const) {
    if (!(key in document)) throw new PlanFileError(`${path} is not a complete saved plan: "${key}" is missing.`);
  }
  if (!Array.isArray(document["changes"]) || !Array.isArray(document["calls"])) {
    throw new PlanFileError(`${path} is not a valid saved plan: changes and calls must be lists.`);
  }
  const policy = document["policy"];
  if (!isRecord(policy) || typeof policy["allow_destroy"] !== "boolean") {
    throw new PlanFileError(`${path} is not a valid saved plan: "policy" must record allow_destroy.`);
  }
  return document as unknown as Plan;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
