// One entry for every rendering of a plan; the CLI picks the format once, from --format.

import type { Plan } from "../plan/plan.js";
import { renderJson } from "./render-json.js";
import { renderText } from "./render-text.js";

export const PLAN_FORMATS = ["text", "json"] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface RenderOptions {
  readonly color: boolean;
  readonly showPayloads?: boolean;
}

export function renderPlan(plan: Plan, format: PlanFormat, options: RenderOptions): string {
  switch (format) {
    case "text":
      return renderText(plan, options);
    case "json":
      return renderJson(plan);
  }
}
