// One entry for every rendering of a plan; the CLI picks the format once, from --format.

import type { Plan } from "../plan/plan.js";
import { renderJson } from "./render-json.js";
import { renderMarkdown } from "./render-markdown.js";
import { renderText } from "./render-text.js";

export const PLAN_FORMATS = ["text", "markdown", "json"] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface RenderOptions {
  readonly color: boolean;
  readonly showPayloads?: boolean;
  /** Where `--out-details` wrote the whole plan; the Markdown comment names it when it condenses. */
  readonly detailsFile?: string;
}

export function renderPlan(plan: Plan, format: PlanFormat, options: RenderOptions): string {
  switch (format) {
    case "text":
      return renderText(plan, options);
    case "markdown":
      return renderMarkdown(plan, {
        ...(options.detailsFile !== undefined ? { detailsFile: options.detailsFile } : {}),
        showPayloads: options.showPayloads ?? false,
      });
    case "json":
      return renderJson(plan);
  }
}
