// Products from several files (the main file, include: files, CSV files: one feed per
// warehouse): a SKU may be in several of them, each of its sources in one. Its assignment
// is the union; a repeated (SKU, source) pair is a problem that names both places.

import { formatOrigin, type Problem } from "../errors.js";
import type { DesiredAssignment, DesiredProduct, Origin } from "../model.js";
import type { CsvRepeat } from "./parse-csv.js";

export interface SkuAtSource {
  readonly sku: string;
  readonly source: string;
}

/** Finds where a file declares each pair (the key `sku \0 source`); pairs it cannot find are left out. */
export type LocatePairs = (file: string, pairs: readonly SkuAtSource[]) => ReadonlyMap<string, Origin>;

interface Repeat extends SkuAtSource {
  readonly origin: Origin;
  /** The file that has the pair first (shown path). */
  readonly firstFile: string;
}

/** Repeats beyond this many are not listed (the files have to be fixed either way). */
const MAX_REPEATS = 200;

export function pairKey(sku: string, source: string): string {
  return `${sku}\u0000${source}`;
}

export class ProductMerger {
  /** For SKUs declared in more than one file: the file each assignment came from, in order. */
  private readonly assignmentFiles = new Map<string, string[]>();
  private readonly repeats: Repeat[] = [];
  /** Unions of feed scopes, one set for each: 100,000 SKUs in the same ten feeds share ten sets. */
  private readonly unions = new Map<string, ReadonlySet<string>>();
  private readonly unionsOf = new Map<ReadonlySet<string>, Map<ReadonlySet<string>, ReadonlySet<string>>>();

  constructor(readonly products: Map<string, DesiredProduct>) {}

  /**
   * Adds one file's products. `whereIs` says where this file declares a SKU at a source
   * (asked only for repeats).
   */
  add(
    from: ReadonlyMap<string, DesiredProduct>,
    file: string,
    whereIs: (sku: string, source: string) => Origin,
    problems: Problem[],
  ): void {
    for (const [sku, product] of from) {
      const existing = this.products.get(sku);
      if (!existing) {
        this.products.set(sku, product);
        continue;
      }
      if (existing.quantities !== product.quantities) {
        problems.push({
          origin: product.origin,
          rule: "quantities-policy",
          message: `product "${sku}" has quantities: ${product.quantities} here and quantities: ${existing.quantities} at ${formatOrigin(existing.origin)}; a SKU declared in several files has one policy (CSV rows take the main file's quantities:). Give it the same policy in each file.`,
        });
        continue;
      }
      const files = this.filesOf(existing);
      const added: DesiredAssignment[] = [];
      for (const assignment of product.assignments) {
        const index = existing.assignments.findIndex((a) => a.source === assignment.source);
        if (index >= 0) {
          this.repeat({
            sku,
            source: assignment.source,
            origin: whereIs(sku, assignment.source),
            firstFile: files[index] ?? existing.origin.file,
          });
          continue;
        }
        added.push(assignment);
        files.push(file);
      }
      const merged = { ...existing, assignments: [...existing.assignments, ...added] };
      // A SKU that any file declares without a scope of its own is managed at every source of the file's scope.
      const scope = existing.scope && product.scope ? this.union(existing.scope, product.scope) : undefined;
      if (scope) merged.scope = scope;
      else delete merged.scope;
      this.products.set(sku, merged);
    }
  }

  /** Rows the CSV reader did not add because their SKU and source are declared already. */
  addRepeats(repeats: readonly CsvRepeat[], file: string): void {
    for (const r of repeats) {
      const existing = r.earlier === "declared" ? this.products.get(r.sku) : undefined;
      const index = existing ? existing.assignments.findIndex((a) => a.source === r.source) : -1;
      const firstFile = existing && index >= 0 ? (this.filesOf(existing)[index] ?? existing.origin.file) : file;
      this.repeat({ sku: r.sku, source: r.source, origin: r.origin, firstFile });
    }
  }

  /** A problem for each repeated pair, naming both places: the earlier one is found once per file. */
  repeatProblems(locate: LocatePairs): Problem[] {
    const byFile = new Map<string, Repeat[]>();
    for (const r of this.repeats) {
      const list = byFile.get(r.firstFile) ?? [];
      list.push(r);
      byFile.set(r.firstFile, list);
    }
    const problems: Problem[] = [];
    for (const [file, repeats] of byFile) {
      const found = locate(file, repeats);
      for (const r of repeats) {
        const first = found.get(pairKey(r.sku, r.source));
        problems.push({
          origin: r.origin,
          rule: "duplicate-source-item",
          message: `product "${r.sku}" at source "${r.source}" is declared again; it is already declared at ${first ? formatOrigin(first) : file}. A SKU may be in several files, each of its sources once.`,
        });
      }
    }
    return problems;
  }

  /** The file (shown path) that declares a SKU's assignment at this position. */
  fileOf(product: DesiredProduct, index: number): string {
    return this.assignmentFiles.get(product.sku)?.[index] ?? product.origin.file;
  }

  private union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
    if (a === b) return a;
    // Looked up by the two sets first: unions are interned, so the same pair comes back for every SKU.
    let withA = this.unionsOf.get(a);
    if (!withA) {
      withA = new Map();
      this.unionsOf.set(a, withA);
    }
    const known = withA.get(b);
    if (known) return known;
    const sources = [...new Set([...a, ...b])].sort();
    const key = sources.join("\u0000");
    const union = this.unions.get(key) ?? new Set(sources);
    this.unions.set(key, union);
    withA.set(b, union);
    return union;
  }

  private repeat(r: Repeat): void {
    if (this.repeats.length < MAX_REPEATS) this.repeats.push(r);
  }

  private filesOf(product: DesiredProduct): string[] {
    let files = this.assignmentFiles.get(product.sku);
    if (!files) {
      files = product.assignments.map(() => product.origin.file);
      this.assignmentFiles.set(product.sku, files);
    }
    return files;
  }
}
