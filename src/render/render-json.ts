// The plan for machines: the versioned plan document itself (format_version), the same
// bytes `inv plan --out` saves. Nothing but JSON goes to stdout with --format json.

import { serializePlan } from "../plan/plan-file.js";
import type { Plan } from "../plan/plan.js";

export function renderJson(plan: Plan): string {
  return serializePlan(plan);
}
