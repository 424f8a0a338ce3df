// examples/github/inventory.yml: plans pull requests into one updated comment, and on merge
// applies exactly the reviewed plan or refuses. Its shell steps are run here with a
// stand-in `npx`, and its file check against a real saved plan.

import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Plan } from "../../src/plan/plan.js";
import { deriveCalls } from "../../src/plan/plan.js";
import { builtCli } from "../helpers/built-cli.js";
import { runInv } from "../helpers/run-cli.js";
import { openSandbox, workspace } from "../helpers/sandbox.js";

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly if?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

interface Workflow {
  readonly on: Record<string, unknown>;
  readonly env: Record<string, string>;
  readonly jobs: Record<
    string,
    {
      readonly if: string;
      readonly steps: readonly Step[];
      readonly env?: Record<string, string>;
      readonly concurrency?: unknown;
    }
  >;
}

const workflow = parse(
  readFileSync(new URL("../../examples/github/inventory.yml", import.meta.url), "utf8"),
) as Workflow;

function step(job: string, name: string): Step {
  const found = workflow.jobs[job]?.steps.find((s) => s.name === name);
  if (!found) throw new Error(`no step "${name}" in job ${job}`);
  return found;
}

interface StepResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: string;
}

/** The bin directory with `npx` standing in for inv, and the file GITHUB_OUTPUT names. */
function stepEnvironment(dir: string, env: Record<string, string>, npx: string) {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "npx"), `#!/usr/bin/env bash\n${npx}\n`);
  chmodSync(join(bin, "npx"), 0o755);
  // The apply step runs inv from node_modules/.bin (signals reach it); it stands in the same way.
  const local = join(dir, "node_modules", ".bin");
  mkdirSync(local, { recursive: true });
  writeFileSync(join(local, "inv"), '#!/usr/bin/env bash\nexec npx --no-install inv "$@"\n');
  chmodSync(join(local, "inv"), 0o755);
  const outputs = join(dir, "github-output");
  writeFileSync(outputs, "");
  return {
    outputs,
    env: { PATH: `${bin}:${process.env["PATH"] ?? ""}`, GITHUB_OUTPUT: outputs, ...workflow.env, ...env },
  };
}

/** Runs a step's script as GitHub does (bash -e), in `dir`, with `npx` standing in for inv. */
function runStep(script: string, dir: string, env: Record<string, string>, npx: string): StepResult {
  const setup = stepEnvironment(dir, env, npx);
  const result = spawnSync("bash", ["-e", "-c", script], { cwd: dir, encoding: "utf8", env: setup.env });
  return {
    status: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: readFileSync(setup.outputs, "utf8"),
  };
}

/**
 * The same, without blocking this process: for steps whose inv talks to a sandbox served from
 * here. `onStart` gets the shell's process, which a cancelled run signals.
 */
function runStepAsync(
  script: string,
  dir: string,
  env: Record<string, string>,
  npx: string,
  onStart?: (shell: ChildProcess) => void,
): Promise<StepResult> {
  const setup = stepEnvironment(dir, env, npx);
  const child = spawn("bash", ["-e", "-c", script], { cwd: dir, env: setup.env });
  onStart?.(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString("utf8")));
  return new Promise((resolve) =>
    child.on("close", (code) =>
      resolve({ status: code ?? -1, stdout, stderr, outputs: readFileSync(setup.outputs, "utf8") }),
    ),
  );
}

/** `npx --no-install inv ...` running the real inv. */
const REAL_INV = `shift 2; exec "${process.execPath}" "${builtCli()}" "$@"`;

describe("the example workflow", () => {
  it("plans pull requests and applies on pushes to main (or on request)", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push", "schedule", "workflow_dispatch"]);
    expect(workflow.on["push"]).toMatchObject({ branches: ["main"] });
    expect(workflow.jobs["plan"]?.if).toContain("github.event_name == 'pull_request'");
    expect(workflow.jobs["apply"]?.if).toContain("github.ref == 'refs/heads/main'");
    expect(workflow.jobs["apply"]?.concurrency).toEqual({ group: "inv-apply", "cancel-in-progress": false });
  });

  it("has shell steps that bash can parse", () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const { run } of job.steps) {
        if (!run) continue;
        const script = run.replace(/\$\{\{[^}]*\}\}/g, "x");
        expect(() => execFileSync("bash", ["-n", "-c", script], { stdio: "pipe" }), script).not.toThrow();
      }
    }
  });

  it("saves the plan for the pull request's head commit, and the apply fetches that name", () => {
    expect(workflow.jobs["plan"]?.env?.["PLAN_NAME"]).toBe(
      "inv-plan-${{ github.event.pull_request.head.sha || github.sha }}",
    );
    expect(step("plan", "Keep the plan for the apply").with?.["name"]).toBe("${{ env.PLAN_NAME }}");
    const find = step("apply", "Find the reviewed plan").run!;
    expect(find).toContain('name="inv-plan-$(jq -r .head.sha <<< "$pr")"');
    expect(find).toContain('name="inv-plan-$GITHUB_SHA"');
    expect(find).toContain('gh run download "$run" --name "$name" --dir reviewed');
    expect(step("apply", "inv apply (exactly the reviewed plan)").run).toContain(
      "args=(apply reviewed/plan.json --yes",
    );
    // Not through npx, which does not pass a cancelled run's signals on to inv.
    expect(step("apply", "inv apply (exactly the reviewed plan)").run).toContain('node_modules/.bin/inv "${args[@]}"');
  });

  it("updates the one comment that carries its marker, or posts it", () => {
    expect(workflow.env["MARKER"]).toBe("<!-- inv-plan: inventory.yaml -->");
    const comment = step("plan", "Post or update the plan comment").run!;
    expect(comment).toContain('echo "$MARKER"');
    expect(comment).toContain('select(.user.login == "github-actions[bot]" and (.body | startswith(env.MARKER)))');
    expect(comment).toContain(
      'gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F body=@comment.md',
    );
    expect(comment).toContain(
      'gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$PR/comments" -F body=@comment.md',
    );
  });

  it("plans with the markdown comment, the saved plan and the details, and keeps exit 2 a success", () => {
    const script = step("plan", "inv plan").run!;
    const dir = workspace({});
    const changes = runStep(
      script,
      dir,
      { BASE_ARGS: "--base origin/main --changed-only" },
      'echo "$@" > args; echo "### inv plan: 1 change"; exit 2',
    );
    expect(changes.status).toBe(0);
    expect(readFileSync(join(dir, "args"), "utf8").trim()).toBe(
      "--no-install inv plan -f inventory.yaml --format markdown " +
        "--out plan.json --out-details plan-details.md --detailed-exitcode --base origin/main --changed-only",
    );
    expect(readFileSync(join(dir, "plan.md"), "utf8")).toBe("### inv plan: 1 change\n");
    expect(changes.outputs).toBe("exitcode=2\n");
  });

  it("shows a failed plan's error in place of the plan, as inert code", () => {
    const script = step("plan", "inv plan").run!;
    const dir = workspace({});
    const failed = runStep(script, dir, {}, 'echo "inventory.yaml:3:5 <b>bad</b> \\`x\\`" >&2; exit 3');
    expect(failed.status).toBe(0);
    expect(failed.outputs).toBe("exitcode=3\n");
    expect(readFileSync(join(dir, "plan.md"), "utf8")).toBe(
      "### inv plan failed (exit code 3)\n\n    inventory.yaml:3:5 <b>bad</b> `x`\n",
    );
    expect(step("plan", "Fail when inv plan failed").run).toBe('exit "${{ steps.plan.outputs.exitcode }}"');
  });

  it("fails the apply on a stale plan (exit 4) and says why", () => {
    const script = step("apply", "inv apply (exactly the reviewed plan)").run!;
    const dir = workspace({});
    const stale = runStep(
      script,
      dir,
      { ALLOW_DESTROY: "false" },
      'echo "$@" > args; echo "inv: The saved plan is stale" >&2; exit 4',
    );
    expect(stale.status).toBe(4);
    expect(readFileSync(join(dir, "args"), "utf8").trim()).toBe(
      "--no-install inv apply reviewed/plan.json --yes --journal apply-journal.jsonl",
    );
    expect(readFileSync(join(dir, "outcome.md"), "utf8")).toContain(
      "**Not applied:** the store changed since the plan was made (exit code 4)",
    );
    const blocked = runStep(script, dir, { ALLOW_DESTROY: "false" }, "exit 6");
    expect(blocked.status).toBe(6);
    expect(readFileSync(join(dir, "outcome.md"), "utf8")).toContain(
      'destroys data without consent (add the label "inv: allow-destroy"',
    );
    expect(readFileSync(join(dir, "outcome.md"), "utf8")).toContain("checks the plan token could not make");
    const consented = runStep(script, dir, { ALLOW_DESTROY: "true" }, 'echo "$@" > args; exit 0');
    expect(consented.status).toBe(0);
    expect(readFileSync(join(dir, "args"), "utf8")).toContain("--allow-destroy");
  });

  it("refuses to apply when main's file is not the file that was planned", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const file = "version: 1\nproducts:\n  24-MB01: { default: 90 }\n";
      const dir = workspace({ "inventory.yaml": file });
      mkdirSync(join(dir, "reviewed"));
      expect((await runInv(["plan", "--out", "reviewed/plan.json"], { env, cwd: dir })).code).toBe(0);
      const check = step("apply", "Check that main holds the file that was planned").run!;
      expect(runStep(check, dir, {}, "exit 99").status).toBe(0);
      writeFileSync(join(dir, "inventory.yaml"), file.replace("90", "80"));
      const changed = runStep(check, dir, {}, "exit 99");
      expect(changed.status).toBe(1);
      expect(changed.stdout).toContain("::error::The inventory on main is not the one that was planned");
    } finally {
      await sandbox.close();
    }
  });

  it("plans a pull request against the branch it merges into, and a manual plan against the last apply", () => {
    const script = step("plan", "Fetch the base").run!;
    const { remote, clone } = repositories();
    const pr = runStep(script, clone, { BASE_BRANCH: "main" }, "exit 99");
    expect(pr.status, pr.stderr).toBe(0);
    expect(pr.outputs).toBe("args=--base origin/main --changed-only\n");
    const none = runStep(script, clone, { BASE_BRANCH: "" }, "exit 99");
    expect(none.status, none.stderr).toBe(0);
    expect(none.outputs).toBe("args=\n");
    expect(none.stdout).toContain("No inv-applied/production yet");
    execFileSync("git", ["tag", "inv-applied/production"], { cwd: remote });
    const manual = runStep(script, clone, { BASE_BRANCH: "" }, "exit 99");
    expect(manual.outputs).toBe("args=--base inv-applied/production\n");
  });

  it("moves inv-applied/production to the applied commit after a successful apply only", () => {
    const record = step("apply", "Record the applied commit");
    expect(record.if).toBe("steps.apply.outputs.exitcode == '0'");
    const { remote, clone } = repositories();
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: clone, encoding: "utf8" }).trim();
    const result = runStep(record.run!, clone, { GITHUB_SHA: head }, "exit 99");
    expect(result.status, result.stderr).toBe(0);
    expect(execFileSync("git", ["rev-parse", "inv-applied/production"], { cwd: remote, encoding: "utf8" }).trim()).toBe(
      head,
    );
    expect(workflow.jobs["apply"]).toMatchObject({ permissions: { contents: "write" } });
  });

  it("never applies one commit twice: a re-run of the apply job stops when the tag is already there", () => {
    const script = step("apply", "Stop if this commit was applied already").run!;
    const { remote, clone } = repositories();
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: clone, encoding: "utf8" }).trim();
    expect(runStep(script, clone, { GITHUB_SHA: head }, "exit 99").status).toBe(0);
    execFileSync("git", ["tag", "inv-applied/production"], { cwd: remote });
    const again = runStep(script, clone, { GITHUB_SHA: head }, "exit 99");
    expect(again.status).toBe(1);
    expect(again.stdout).toContain("was applied already");
  });

  it("checks drift nightly against the last apply: movement alone passes, drift fails", () => {
    const script = step("drift", "inv plan against the last apply").run!;
    expect(workflow.jobs["drift"]?.if).toBe("github.event_name == 'schedule'");
    const { remote, clone } = repositories();
    const summary = join(clone, "summary.md");
    const env = { GITHUB_STEP_SUMMARY: summary };
    const first = runStep(script, clone, env, "exit 99");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("nothing was applied by this workflow");
    execFileSync("git", ["tag", "inv-applied/production"], { cwd: remote });
    const quiet = runStep(script, clone, env, 'echo "$@" > args; echo "### inv plan: no changes"; exit 0');
    expect(quiet.status).toBe(0);
    expect(readFileSync(join(clone, "args"), "utf8").trim()).toBe(
      "--no-install inv plan -f inventory.yaml --base inv-applied/production --format markdown --detailed-exitcode",
    );
    const drift = runStep(script, clone, env, 'echo "### inv plan: 1 change"; exit 2');
    expect(drift.status).toBe(2);
    expect(drift.stdout).toContain("::error::The store differs from inv-applied/production");
    expect(readFileSync(summary, "utf8")).toContain("### inv plan: 1 change");
  });

  it("applies the reviewed plan with the files at the merged commit, from the repository root", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const file = "version: 1\nproducts:\n  24-MB01: { default: 90 }\n";
      // The plan job's checkout, and the apply job's: the same commit, another runner.
      const planned = workspace({ "inventory.yaml": file });
      expect((await runInv(["plan", "--out", "plan.json"], { env, cwd: planned })).code).toBe(0);
      const merged = workspace({ "inventory.yaml": file });
      mkdirSync(join(merged, "reviewed"));
      copyFileSync(join(planned, "plan.json"), join(merged, "reviewed", "plan.json"));
      const check = step("apply", "Check that main holds the file that was planned").run!;
      expect(runStep(check, merged, {}, "exit 99").status).toBe(0);

      const script = step("apply", "inv apply (exactly the reviewed plan)").run!;
      const applied = await runStepAsync(script, merged, { ...env, ALLOW_DESTROY: "false" }, REAL_INV);
      expect(applied.stderr).not.toContain("inv:");
      expect(applied.status).toBe(0);
      expect(readFileSync(join(merged, "outcome.md"), "utf8")).toBe("Applied the reviewed plan.\n");
      expect(readFileSync(join(merged, "apply-journal.jsonl"), "utf8")).toContain('"outcome":"done"');
      expect(sandbox.store.snapshot().source_items).toContainEqual(
        expect.objectContaining({ sku: "24-MB01", source_code: "default", quantity: 90 }),
      );
    } finally {
      await sandbox.close();
    }
  });

  it("refuses a reviewed plan with a change its files do not imply, in changes and calls alike", async () => {
    const { sandbox, env } = await openSandbox();
    try {
      const file = "version: 1\nproducts:\n  24-MB01: { default: 90 }\n";
      const dir = workspace({ "inventory.yaml": file });
      mkdirSync(join(dir, "reviewed"));
      expect((await runInv(["plan", "--out", "reviewed/plan.json"], { env, cwd: dir })).code).toBe(0);
      const plan = JSON.parse(readFileSync(join(dir, "reviewed", "plan.json"), "utf8")) as Plan;
      const changes = [
        ...plan.changes,
        {
          kind: "source-item" as const,
          action: "delete" as const,
          sku: "24-WB01",
          source: "default",
          before: { quantity: 100, status: "in_stock" as const },
          after: null,
        },
      ];
      writeFileSync(
        join(dir, "reviewed", "plan.json"),
        JSON.stringify({ ...plan, changes, calls: deriveCalls({ ...plan, changes }) }),
      );
      // The files are the planned ones: only inv itself can tell.
      expect(
        runStep(step("apply", "Check that main holds the file that was planned").run!, dir, {}, "exit 99").status,
      ).toBe(0);
      const writesBefore = sandbox.stats.requests;
      const script = step("apply", "inv apply (exactly the reviewed plan)").run!;
      const refused = await runStepAsync(script, dir, { ...env, ALLOW_DESTROY: "true" }, REAL_INV);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(
        "reviewed/plan.json was changed after it was planned: change 1 (source item 24-WB01 @ default): the plan has it, its files give no such change (they imply 1). Nothing was sent.",
      );
      expect(sandbox.stats.requests).toBe(writesBefore);
      expect(readFileSync(join(dir, "outcome.md"), "utf8")).toContain(
        "**Not applied:** inv apply failed (exit code 1)",
      );
    } finally {
      await sandbox.close();
    }
  });

  it("passes a cancelled run's signal on to inv, which lets the call in flight finish and journals it", async () => {
    const { sandbox, env } = await openSandbox({ latencyMs: 150 });
    try {
      const file = `version: 1
products:
  24-WB01: { default: 90 }
  24-WB03: { default: 80 }
  24-MB01: { default: 70 }
  24-MB04: { default: 60 }
`;
      const dir = workspace({ "inventory.yaml": file });
      mkdirSync(join(dir, "reviewed"));
      const planned = await runInv(["plan", "--out", "reviewed/plan.json", "--batch-size", "1"], { env, cwd: dir });
      expect(planned.code).toBe(0);
      const journal = join(dir, "apply-journal.jsonl");
      const sent = () =>
        existsSync(journal) ? (readFileSync(journal, "utf8").match(/"outcome":"sending"/g) ?? []).length : 0;
      const script = step("apply", "inv apply (exactly the reviewed plan)").run!;
      const cancelled = await runStepAsync(script, dir, { ...env, ALLOW_DESTROY: "false" }, REAL_INV, (shell) => {
        const poll = setInterval(() => {
          // As the runner does: SIGINT to the step's shell, not to inv.
          if (sent() >= 2) {
            clearInterval(poll);
            shell.kill("SIGINT");
          }
        }, 5);
      });
      expect(cancelled.status).toBe(5);
      expect(readFileSync(join(dir, "outcome.md"), "utf8")).toContain("**Partly applied** (exit code 5)");
      const err = readFileSync(join(dir, "apply.err"), "utf8");
      expect(err).toContain("inv: interrupted (SIGINT)");
      expect(err).toMatch(/Calls done: 2, failed: 0, not attempted: 2\./);
      const outcomes = readFileSync(journal, "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => (JSON.parse(l) as { outcome: string }).outcome);
      expect(outcomes).toEqual(["sending", "done", "sending", "done"]);
      expect(sandbox.stats.byRoute["POST V1/inventory/source-items"]).toBe(2);
    } finally {
      await sandbox.close();
    }
  });
});

/** A shop repository (the remote GitHub holds) and a clone of it, as actions/checkout leaves it. */
function repositories(): { remote: string; clone: string } {
  const remote = workspace({ "inventory.yaml": "version: 1\n" });
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd, stdio: "pipe" });
  git(remote, "init", "-q", "-b", "main");
  git(remote, "add", "-A");
  git(remote, "commit", "-q", "-m", "first");
  const clone = workspace({});
  git(clone, "clone", "-q", remote, ".");
  return { remote, clone };
}
