// Saved plans: `inv plan --out plan.json` writes the same versioned document that
// `--format json` prints; `inv apply plan.json` reads it back and refuses versions it
// does not know, and changes that are not well formed (the calls are derived from them).

import { createHash } from "node:crypto";
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
  return readSavedPlan(path).plan;
}

/** The plan, and the SHA-256 of the bytes it was read from (a rollback of its apply names it). */
export function readSavedPlan(path: string): { plan: Plan; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PlanFileError(
      `Cannot read the saved plan ${path}: ${code === "ENOENT" ? "no such file" : String(code ?? error)}.`,
    );
  }
  return { plan: parsePlan(bytes.toString("utf8"), path), sha256: createHash("sha256").update(bytes).digest("hex") };
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
  const scope = document["scope"];
  if (scope !== undefined && !(isRecord(scope) && isTextList(scope["sources"]) && scope["sources"].length > 0)) {
    throw new PlanFileError(`${path} is not a valid saved plan: "scope" must list the sources under sources.`);
  }
  const skipped = document["skipped"];
  if (
    skipped !== undefined &&
    !(
      Array.isArray(skipped) &&
      skipped.every((s) => isRecord(s) && typeof s["sku"] === "string" && typeof s["origin"] === "string")
    )
  ) {
    throw new PlanFileError(`${path} is not a valid saved plan: "skipped" must list { sku, origin } entries.`);
  }
  const rollbackProblem = rollbackOfProblem(document["basis"], document["changes"]);
  if (rollbackProblem) throw new PlanFileError(`${path} is not a valid rollback plan: ${rollbackProblem}.`);
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

/**
 * A rollback plan (basis.rollback_of) names the apply it undoes instead of inventory files.
 * It only ever puts records back, to exact values: it holds no moves, creates no sources, and has no deltas.
 */
function rollbackOfProblem(basis: unknown, changes: readonly unknown[]): string | undefined {
  if (!isRecord(basis)) return '"basis" must be an object';
  const of = basis["rollback_of"];
  if (of === undefined) return undefined;
  if (!isRecord(of)) return '"basis.rollback_of" must be an object';
  const sha = of["plan_sha256"];
  if (sha !== null && !(typeof sha === "string" && /^[0-9a-f]{64}$/.test(sha)))
    return '"basis.rollback_of.plan_sha256" must be a SHA-256 or null';
  if (!Array.isArray(of["files"])) return '"basis.rollback_of.files" must be a list';
  if (typeof of["started_at"] !== "string") return '"basis.rollback_of.started_at" must be a time';
  for (const key of ["calls_total", "calls_done"]) {
    const value = of[key];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
      return `"basis.rollback_of.${key}" must be a whole number`;
  }
  if (typeof of["finished"] !== "boolean") return '"basis.rollback_of.finished" must be true or false';
  if (Array.isArray(basis["files"]) && basis["files"].length > 0) return "it names inventory files of its own";
  for (const [index, change] of changes.entries()) {
    if (!isRecord(change)) continue;
    if (change["kind"] === "move") return `change ${index} is a move, which a rollback never makes`;
    if (change["kind"] === "source" && change["action"] === "create")
      return `change ${index} creates a source, which a rollback never does`;
    if ("delta" in change) return `change ${index} has a delta; a rollback writes exact values`;
  }
  return undefined;
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
