// Data flows one way (DESIGN.md "Code layout"): cli -> inventory, state -> diff -> plan ->
// render | apply. The core never imports the CLI, the renderers never reach the store, the
// diff is pure, and the sandbox shares no code with the client, so it can disagree with it.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = new URL("../../src/", import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Every relative import of a source file, as a path under src/ (e.g. "magento/client.js"). */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found = [...text.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]!);
  return found.map((spec) => relative(SRC, join(file, "..", spec)));
}

function violations(area: string, forbidden: (target: string) => boolean): string[] {
  return files(join(SRC, area)).flatMap((file) =>
    imports(file)
      .filter(forbidden)
      .map((target) => `${relative(SRC, file)} -> ${target}`),
  );
}

describe("the layers", () => {
  it("the sandbox imports nothing outside src/sandbox", () => {
    expect(violations("sandbox", (target) => !target.startsWith("sandbox/"))).toEqual([]);
  });

  it("nothing outside the CLI imports the CLI, and only the CLI starts the sandbox", () => {
    const outside = ["apply", "diff", "doctor", "export", "inventory", "magento", "plan", "render", "state"];
    expect(
      outside.flatMap((area) =>
        violations(area, (target) => target.startsWith("cli/") || target.startsWith("sandbox/")),
      ),
    ).toEqual([]);
  });

  it("the Magento equivalences are pure: they import the model and sorting, nothing else", () => {
    const file = join(SRC, "magento", "equivalence.ts");
    expect(imports(file).filter((target) => target !== "model.js" && target !== "sort.js")).toEqual([]);
  });

  it("the renderers and the diff never reach the store", () => {
    const reachesStore = (target: string) =>
      target === "magento/client.js" ||
      target.startsWith("state/") ||
      target.startsWith("apply/") ||
      target === "pipeline.js";
    expect([...violations("render", reachesStore), ...violations("diff", reachesStore)]).toEqual([]);
  });
});
