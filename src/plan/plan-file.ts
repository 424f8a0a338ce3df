// Saved plans: `inv plan --out plan.json` writes the same versioned document that
// `--format json` prints; `inv apply plan.json` reads it back and refuses versions it
// does not know, and changes that are not well formed (the calls are derived from them).

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { PlanFileError } from "../errors.js";
import type { SafetyPolicy } from "../model.js";
import { changeProblem } from "./check-changes.js";
import { PLAN_FORMAT_VERSION, type Plan } from "./plan.js";
import { UNCHECKED_KINDS, type UncheckedKind } from "./unchecked.js";

export function serializePlan(plan: Plan): string {
  return `${JSON.stringify({ ...plan, policy: policyDocument(plan.policy) }, null, 2)}\n`;
}

/** The policy as the inventory file spells it, `null` where it sets no limit. */
interface PolicyDocument {
  readonly allow_destroy: boolean;
  readonly max_unassign: number | null;
  readonly max_units_removed: number | null;
}

function policyDocument(policy: SafetyPolicy): PolicyDocument {
  return {
    allow_destroy: policy.allowDestroy,
    max_unassign: policy.maxUnassign ?? null,
    max_units_removed: policy.maxUnitsRemoved ?? null,
  };
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
      `${path} has plan format version ${JSON.stringify(document["format_version"])}; this inv reads version ${PLAN_FORMAT_VERSION}.`,
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
  const limit = (key: "max_unassign" | "max_units_removed"): number | undefined => {
    const value = policy[key];
    if (value === null || value === undefined) return undefined;
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
    throw new PlanFileError(`${path} is not a valid saved plan: "policy.${key}" must be a number or null.`);
  };
  const safety: SafetyPolicy = {
    allowDestroy: policy["allow_destroy"],
    maxUnassign: limit("max_unassign"),
    maxUnitsRemoved: limit("max_units_removed"),
  };
  const batchSize = document["batch_size"];
  if (typeof batchSize !== "number" || !Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new PlanFileError(`${path} is not a valid saved plan: "batch_size" must be a whole number from 1.`);
  }
  const bulk = document["bulk_candidates"];
  if (
    bulk !== undefined &&
    !(isRecord(bulk) && isTextList(bulk["assignment_only"]) && isTextList(bulk["in_catalog"]))
  ) {
    throw new PlanFileError(
      `${path} is not a valid saved plan: "bulk_candidates" must list SKUs under assignment_only and in_catalog.`,
    );
  }
  const unchecked = document["unchecked"];
  if (
    unchecked !== undefined &&
    !(
      Array.isArray(unchecked) &&
      unchecked.every(
        (u) =>
          isRecord(u) &&
          UNCHECKED_KINDS.includes(u["check"] as UncheckedKind) &&
          typeof u["reason"] === "string" &&
          typeof u["writes"] === "string",
      )
    )
  ) {
    throw new PlanFileError(
      `${path} is not a valid saved plan: "unchecked" must list { check, reason, writes } with check one of ${UNCHECKED_KINDS.join(", ")}.`,
    );
  }
  const problem = changeProblem(document["changes"]);
  if (problem) {
    throw new PlanFileError(
      `${path} is not a valid saved plan: ${problem}.`,
      "inv derives a saved plan's calls from its changes, so it applies only changes it could have planned. Make the plan again with `inv plan --out`.",
    );
  }
  return { ...(document as unknown as Plan), policy: safety };
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
