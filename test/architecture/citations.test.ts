// Comments cite Magento by real paths (docs/magento/README.md#citation-forms): a repository
// and a path, or a section of our own notes under docs/magento/. This test keeps them so: no
// note named by the file it had outside the repository, no shorthand that names no
// repository, and every docs/magento/ file and anchor a comment names exists.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;
const NOTES = join(ROOT, "docs/magento");
const SCANNED = ["src", "test", "bench", "scripts"];

interface Cited {
  readonly where: string;
  readonly text: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (entry === "node_modules") return [];
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs|js)$/.test(entry) ? [path] : [];
  });
}

const TEST_FUNCTIONS = new Set(["describe", "it", "test"]);

/** The comments of a file, and the titles of its describe/it/test calls, which cite too. */
export function commentsOf(text: string, fileName: string): Cited[] {
  const kind = fileName.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const found = new Map<number, number>();
  const add = (ranges: readonly ts.CommentRange[] | undefined): void => {
    for (const r of ranges ?? []) found.set(r.pos, r.end);
  };
  const titles = new Map<number, number>();
  const callee = (expr: ts.Expression): string | null => {
    let e = expr;
    while (ts.isPropertyAccessExpression(e) || ts.isCallExpression(e)) e = e.expression;
    return ts.isIdentifier(e) ? e.text : null;
  };
  const visit = (node: ts.Node): void => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    add(ts.getLeadingCommentRanges(text, node.pos));
    add(ts.getTrailingCommentRanges(text, node.end));
    if (ts.isCallExpression(node) && TEST_FUNCTIONS.has(callee(node.expression) ?? "")) {
      const first = node.arguments[0];
      if (first !== undefined && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        titles.set(first.getStart(sf), first.end);
      }
    }
    for (const child of node.getChildren(sf)) visit(child);
  };
  add(ts.getLeadingCommentRanges(text, 0));
  visit(sf);
  const line = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;
  return [...found, ...titles]
    .sort((a, b) => a[0] - b[0])
    .map(([pos, end]) => ({ where: `${fileName}:${line(pos)}`, text: text.slice(pos, end) }));
}

/** Citations that name no real place: the notes' old file names and the old shorthands. */
const STALE: readonly (readonly [RegExp, string])[] = [
  [/(?<!docs\/magento\/)\bmsi-api\.md\b/, "cites msi-api.md, which is not in the repository"],
  [/(?<!docs\/magento\/)\bwebapi-platform\.md\b/, "cites webapi-platform.md outside docs/magento/"],
  [/\bmm2\b/, "uses the mm2 shorthand; write magento/magento2:app/code/Magento/... or lib/internal/..."],
  [/(?<![\w/:.-])inv (?=[A-Z][A-Za-z]*\/)/, "uses `inv <Module>/`; write magento/inventory:<Module>/..."],
];

export function staleCitations(cited: readonly Cited[]): string[] {
  return cited.flatMap((c) => STALE.filter(([pattern]) => pattern.test(c.text)).map(([, why]) => `${c.where} ${why}`));
}

/** Repository citations whose path cannot be right for that repository. */
const REPOSITORY_PATHS: readonly (readonly [RegExp, RegExp])[] = [
  [/magento\/inventory:(\S*)/g, /^(Inventory[A-Za-z]*|dev)\//],
  [/magento\/magento2:(\S*)/g, /^(app\/code\/Magento\/[A-Za-z0-9]+\/|lib\/internal\/|dev\/|setup\/|nginx)/],
];

export function misplacedPaths(cited: readonly Cited[]): string[] {
  return cited.flatMap((c) =>
    REPOSITORY_PATHS.flatMap(([citation, shape]) =>
      [...c.text.matchAll(citation)]
        .filter((m) => !shape.test(m[1] ?? ""))
        .map((m) => `${c.where} names ${m[0]}, not a path that repository has`),
    ),
  );
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
export function headingSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*_]/g, (c) => (c === "_" ? "_" : ""))
    .trim();
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor of a Markdown file, numbered as GitHub numbers repeated headings. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading === null) continue;
    const slug = headingSlug(heading[1] ?? "");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

const NOTE_CITATION = /docs\/magento\/([\w.-]+\.md)(?:#([\w-]+))?/g;

export function brokenNoteCitations(cited: readonly Cited[], notesDir: string): string[] {
  const anchors = new Map<string, Set<string> | null>();
  const anchorsIn = (file: string): Set<string> | null => {
    if (!anchors.has(file)) {
      const path = join(notesDir, file);
      anchors.set(file, existsSync(path) ? anchorsOf(readFileSync(path, "utf8")) : null);
    }
    return anchors.get(file) ?? null;
  };
  return cited.flatMap((c) =>
    [...c.text.matchAll(NOTE_CITATION)].flatMap((m) => {
      const [whole, file = "", anchor] = m;
      const known = anchorsIn(file);
      if (known === null) return [`${c.where} cites ${whole}: docs/magento/${file} does not exist`];
      if (anchor !== undefined && !known.has(anchor)) {
        return [`${c.where} cites ${whole}: ${file} has no heading with that anchor`];
      }
      return [];
    }),
  );
}

function everyCitation(): Cited[] {
  return SCANNED.filter((dir) => existsSync(join(ROOT, dir))).flatMap((dir) =>
    sourceFiles(join(ROOT, dir)).flatMap((path) => commentsOf(readFileSync(path, "utf8"), relative(ROOT, path))),
  );
}

describe("Magento citations in comments", () => {
  const cited = everyCitation();

  it("finds the comments and test titles it checks", () => {
    expect(cited.length).toBeGreaterThan(500);
    expect(cited.some((c) => c.text.includes("docs/magento/msi-rest.md#"))).toBe(true);
    expect(cited.some((c) => c.text.includes("magento/inventory:InventoryApi/"))).toBe(true);
  });

  it("use no old note name and no shorthand that names no repository", () => {
    expect(staleCitations(cited)).toEqual([]);
  });

  it("give each repository a path it has", () => {
    expect(misplacedPaths(cited)).toEqual([]);
  });

  it("name docs/magento/ files and anchors that exist", () => {
    expect(brokenNoteCitations(cited, NOTES)).toEqual([]);
  });

  it("and the notes' own links between files resolve too", () => {
    const links = readdirSync(NOTES)
      .filter((f) => f.endsWith(".md"))
      .flatMap((file) =>
        [...readFileSync(join(NOTES, file), "utf8").matchAll(/\]\((?!https?:)([\w.-]+\.md)?(?:#([\w-]+))?\)/g)].map(
          (m) => ({ where: `docs/magento/${file}`, text: `docs/magento/${m[1] ?? file}${m[2] ? `#${m[2]}` : ""}` }),
        ),
      );
    expect(links.length).toBeGreaterThan(10);
    expect(brokenNoteCitations(links, NOTES)).toEqual([]);
  });
});

describe("the citation checks themselves", () => {
  const sample = [
    "// Magento replaces channels (msi-api.md §5.4).",
    "/** Limits: webapi-platform.md §2.3, see mm2 Framework/Webapi/ErrorProcessor.php */",
    "// Magento: inv InventoryApi/etc/webapi.xml",
    "// Good: magento/inventory:InventoryApi/etc/webapi.xml, docs/magento/webapi-platform.md#array-limit",
    "// Wrong repository path: magento/inventory:Api/etc/webapi.xml and magento/magento2:Framework/Phrase.php",
    "// Missing: docs/magento/msi-rest.md#no-such-heading and docs/magento/nowhere.md#routes",
    'const s = "msi-api.md §5.4 and mm2 in a string are not comments";',
    'it("titles are checked: see mm2", () => {});',
  ].join("\n");
  const cited = commentsOf(sample, "sample.ts");

  it("finds comments of both kinds and test titles, but not other strings", () => {
    expect(cited.map((c) => c.where)).toEqual([
      "sample.ts:1",
      "sample.ts:2",
      "sample.ts:3",
      "sample.ts:4",
      "sample.ts:5",
      "sample.ts:6",
      "sample.ts:8",
    ]);
  });

  it("flag the old note names and the shorthands, line by line", () => {
    expect(staleCitations(cited)).toEqual([
      "sample.ts:1 cites msi-api.md, which is not in the repository",
      "sample.ts:2 cites webapi-platform.md outside docs/magento/",
      "sample.ts:2 uses the mm2 shorthand; write magento/magento2:app/code/Magento/... or lib/internal/...",
      "sample.ts:3 uses `inv <Module>/`; write magento/inventory:<Module>/...",
      "sample.ts:8 uses the mm2 shorthand; write magento/magento2:app/code/Magento/... or lib/internal/...",
    ]);
  });

  it("flag a repository path that cannot be in that repository", () => {
    expect(misplacedPaths(cited)).toEqual([
      "sample.ts:5 names magento/inventory:Api/etc/webapi.xml, not a path that repository has",
      "sample.ts:5 names magento/magento2:Framework/Phrase.php, not a path that repository has",
    ]);
  });

  it("flag a missing anchor and a missing file, and accept ones that exist", () => {
    expect(brokenNoteCitations(cited, NOTES)).toEqual([
      "sample.ts:6 cites docs/magento/msi-rest.md#no-such-heading: msi-rest.md has no heading with that anchor",
      "sample.ts:6 cites docs/magento/nowhere.md#routes: docs/magento/nowhere.md does not exist",
    ]);
  });

  it("slug headings as GitHub does", () => {
    expect(headingSlug("Sources: upsert and partial update")).toBe("sources-upsert-and-partial-update");
    expect(headingSlug("Sales, low-quantity and other routes")).toBe("sales-low-quantity-and-other-routes");
    expect(headingSlug("The `fields` filter")).toBe("the-fields-filter");
    expect([...anchorsOf("# A\n## Notes\n```\n# not a heading\n```\n## Notes\n")]).toEqual(["a", "notes", "notes-1"]);
  });
});
