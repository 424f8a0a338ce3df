// Table columns the search engine can filter and sort on; any other field name reaches
// SQL as an unknown column (500). Magento: magento/inventory:Inventory/etc/db_schema.xml.

export type ColumnKind = "string" | "int" | "decimal" | "bool";

export interface Column<Row> {
  readonly kind: ColumnKind;
  /** Decimal scale, for the text MySQL produces (LIKE on a decimal column). */
  readonly scale?: number;
  readonly get: (row: Row) => string | number | boolean | null;
  /** Precomputed collation key for hot string columns (source items). */
  readonly key?: (row: Row) => string;
}

export type Columns<Row> = Readonly<Record<string, Column<Row>>>;
