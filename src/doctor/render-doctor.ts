// The doctor's report as text (one line per check, what to do on the same line) or as JSON
// for CI (the report itself). Pure: the CLI writes what these return.

import { createColors } from "picocolors";
import type { CheckStatus, DoctorReport } from "./report.js";

export type DoctorFormat = "text" | "json";

export function renderDoctor(report: DoctorReport, format: DoctorFormat, options: { color: boolean }): string {
  return format === "json" ? `${JSON.stringify(report, null, 2)}\n` : renderText(report, options.color);
}

const LABEL: Readonly<Record<CheckStatus, string>> = { ok: "ok", warn: "warn", fail: "FAIL", skip: "skip" };

function renderText(report: DoctorReport, color: boolean): string {
  const c = createColors(color);
  const paint: Readonly<Record<CheckStatus, (s: string) => string>> = {
    ok: c.green,
    warn: c.yellow,
    fail: (s) => c.bold(c.red(s)),
    skip: c.dim,
  };
  const width = Math.max(...report.checks.map((check) => check.title.length));
  const lines = [
    `inv doctor: ${report.store.url} (store code ${report.store.store_code}) with ${report.credentials.description}`,
    "",
    ...report.checks.map((check) => {
      const label = paint[check.status](LABEL[check.status].padEnd(4));
      const fix = check.fix === undefined ? "" : ` ${check.fix}`;
      return `${label}  ${check.title.padEnd(width)}  ${check.detail}${fix}`;
    }),
    "",
    summary(report),
  ];
  return `${lines.join("\n")}\n`;
}

function summary(report: DoctorReport): string {
  const count = (status: CheckStatus) => report.checks.filter((check) => check.status === status).length;
  const failed = count("fail");
  const warned = count("warn");
  const skipped = count("skip");
  if (failed > 0) {
    const later =
      skipped > 0
        ? ` (${skipped} more check${skipped === 1 ? "" : "s"} can run once ${failed === 1 ? "it is" : "they are"} fixed)`
        : "";
    return `${failed} problem${failed === 1 ? "" : "s"}: inv plan or inv apply would fail. Fix the line${failed === 1 ? "" : "s"} marked FAIL and run inv doctor again${later}.`;
  }
  const warnings =
    warned > 0
      ? ` ${warned} warning${warned === 1 ? "" : "s"}: inv carries on without ${warned === 1 ? "it" : "them"}, skipping the checks named.`
      : "";
  return `Everything inv plan and inv apply need is there.${warnings}`;
}
