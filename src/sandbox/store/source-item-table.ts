// inventory_source_item: unique (source_code, sku) under utf8_general_ci, surrogate
// source_item_id giving the table's natural (PK) order. Indexed by SKU and with cached sort
// orders so that paging a million rows costs O(page), not O(table).
// Magento: magento/inventory:Inventory/etc/db_schema.xml (inventory_source_item).

import { collationKey } from "../collation.js";
import type { Columns } from "../search/columns.js";
import type { Comparator } from "../search/engine.js";

export interface SourceItemRow {
  readonly id: number;
  readonly sku: string;
  readonly source_code: string;
  quantity: number;
  status: number;
  readonly skuKey: string;
  readonly sourceKey: string;
  deleted: boolean;
}

export const SOURCE_ITEM_COLUMNS: Columns<SourceItemRow> = {
  source_item_id: { kind: "int", get: (r) => r.id },
  source_code: { kind: "string", get: (r) => r.source_code, key: (r) => r.sourceKey },
  sku: { kind: "string", get: (r) => r.sku, key: (r) => r.skuKey },
  quantity: { kind: "decimal", scale: 4, get: (r) => r.quantity },
  status: { kind: "int", get: (r) => r.status },
};

export const byId: Comparator<SourceItemRow> = (a, b) => a.id - b.id;

export class SourceItemTable {
  private rows: SourceItemRow[] = [];
  private tombstones = 0;
  private readonly bySku = new Map<string, Map<string, SourceItemRow>>();
  private nextId = 1;
  private readonly sortCache = new Map<string, { version: number; rows: readonly SourceItemRow[] }>();
  /** Bumped on every change; cached orders remember the version they were built for. */
  version = 0;

  get size(): number {
    return this.rows.length - this.tombstones;
  }

  get(sku: string, sourceCode: string): SourceItemRow | undefined {
    return this.bySku.get(collationKey(sku))?.get(collationKey(sourceCode));
  }

  /** Rows of one SKU (collation match), in no particular order. */
  forSkuKey(skuKey: string): Iterable<SourceItemRow> {
    return this.bySku.get(skuKey)?.values() ?? [];
  }

  skuKeys(): IterableIterator<string> {
    return this.bySku.keys();
  }

  /** INSERT … ON DUPLICATE KEY UPDATE quantity, status: an existing row keeps its stored casing. */
  upsert(sku: string, sourceCode: string, quantity: number, status: number): SourceItemRow {
    const skuKey = collationKey(sku);
    const sourceKey = collationKey(sourceCode);
    let group = this.bySku.get(skuKey);
    const existing = group?.get(sourceKey);
    this.version++;
    if (existing !== undefined) {
      existing.quantity = quantity;
      existing.status = status;
      return existing;
    }
    const row: SourceItemRow = {
      id: this.nextId++,
      sku,
      source_code: sourceCode,
      quantity,
      status,
      skuKey,
      sourceKey,
      deleted: false,
    };
    if (group === undefined) {
      group = new Map();
      this.bySku.set(skuKey, group);
    }
    group.set(sourceKey, row);
    this.rows.push(row);
    return row;
  }

  /** Bulk load from a state document: one pass, source keys computed once per distinct code. */
  load(
    items: Iterable<{
      readonly sku: string;
      readonly source_code: string;
      readonly quantity: number;
      readonly status: number;
    }>,
  ): void {
    const sourceKeys = new Map<string, string>();
    for (const i of items) {
      let sourceKey = sourceKeys.get(i.source_code);
      if (sourceKey === undefined) {
        sourceKey = collationKey(i.source_code);
        sourceKeys.set(i.source_code, sourceKey);
      }
      const skuKey = collationKey(i.sku);
      let group = this.bySku.get(skuKey);
      if (group === undefined) {
        group = new Map();
        this.bySku.set(skuKey, group);
      }
      const existing = group.get(sourceKey);
      if (existing !== undefined) {
        existing.quantity = i.quantity;
        existing.status = i.status;
        continue;
      }
      const row: SourceItemRow = {
        id: this.nextId++,
        sku: i.sku,
        source_code: i.source_code,
        quantity: i.quantity,
        status: i.status,
        skuKey,
        sourceKey,
        deleted: false,
      };
      group.set(sourceKey, row);
      this.rows.push(row);
    }
    this.version++;
  }

  delete(sku: string, sourceCode: string): boolean {
    const row = this.get(sku, sourceCode);
    if (row === undefined) return false;
    this.deleteRow(row);
    return true;
  }

  deleteRow(row: SourceItemRow): void {
    if (row.deleted) return;
    const group = this.bySku.get(row.skuKey);
    group?.delete(row.sourceKey);
    if (group !== undefined && group.size === 0) this.bySku.delete(row.skuKey);
    row.deleted = true;
    this.tombstones++;
    this.version++;
  }

  /** Every live row in source_item_id order. */
  all(): readonly SourceItemRow[] {
    if (this.tombstones > 0) {
      this.rows = this.rows.filter((r) => !r.deleted);
      this.tombstones = 0;
    }
    return this.rows;
  }

  /**
   * The whole table in a sort order, cached until the next write. When SKU is the first key
   * the SKU index is walked in key order and only each SKU's few rows are sorted.
   */
  sorted(
    specKey: string,
    comparator: Comparator<SourceItemRow>,
    skuFirst: "ASC" | "DESC" | null,
  ): readonly SourceItemRow[] {
    const cached = this.sortCache.get(specKey);
    if (cached !== undefined && cached.version === this.version) return cached.rows;
    let out: SourceItemRow[];
    if (skuFirst !== null) {
      const keys = [...this.bySku.keys()].sort();
      if (skuFirst === "DESC") keys.reverse();
      out = new Array<SourceItemRow>(this.size);
      let i = 0;
      for (const k of keys) {
        const group = this.bySku.get(k);
        if (group === undefined) continue;
        if (group.size === 1) {
          for (const r of group.values()) out[i++] = r;
          continue;
        }
        const members = [...group.values()].sort(comparator);
        for (const r of members) out[i++] = r;
      }
    } else {
      out = [...this.all()].sort(comparator);
    }
    if (this.sortCache.size > 8) this.sortCache.clear();
    this.sortCache.set(specKey, { version: this.version, rows: out });
    return out;
  }
}
