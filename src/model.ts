// The entity types that both the inventory file and the live store become, so the
// diff compares like with like. Magento's raw REST shapes stay inside src/magento/.

/**
 * Magento hard-codes these (magento/inventory:InventoryCatalog/Model/DefaultSourceProvider.php,
 * DefaultStockProvider.php).
 */
export const DEFAULT_SOURCE_CODE = "default";
export const DEFAULT_STOCK_ID = 1;

/** Where a declaration came from, for messages like `inventory.yaml:14:7`. */
export interface Origin {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

// ---------------------------------------------------------------------------
// Sources

/**
 * The source fields `inv` manages, with Magento's REST names. Extension attributes
 * (`is_pickup_location_active`, `frontend_name`, `frontend_description`) are flat here;
 * the client nests them under `extension_attributes`. `use_default_carrier_config` and
 * `carrier_links` are absent on purpose: Magento always reads them back as `true` / `[]`.
 */
export interface SourceFields {
  readonly name: string;
  readonly enabled: boolean;
  readonly email: string | null;
  readonly contact_name: string | null;
  readonly description: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly country_id: string;
  readonly region_id: number | null;
  readonly region: string | null;
  readonly city: string | null;
  readonly street: string | null;
  readonly postcode: string;
  readonly phone: string | null;
  readonly fax: string | null;
  readonly is_pickup_location_active: boolean;
  readonly frontend_name: string | null;
  readonly frontend_description: string | null;
}

export type SourceField = keyof SourceFields;

export const SOURCE_FIELDS: readonly SourceField[] = [
  "name",
  "enabled",
  "email",
  "contact_name",
  "description",
  "latitude",
  "longitude",
  "country_id",
  "region_id",
  "region",
  "city",
  "street",
  "postcode",
  "phone",
  "fax",
  "is_pickup_location_active",
  "frontend_name",
  "frontend_description",
];

/** A source as the file declares it: only the fields it names are managed. */
export interface DesiredSource {
  readonly code: string;
  readonly fields: Partial<SourceFields>;
  readonly origin: Origin;
}

/** A source as the store has it: every field, absent ones as null. */
export interface LiveSource {
  readonly code: string;
  readonly fields: SourceFields;
}

// ---------------------------------------------------------------------------
// Stocks and links

export interface SalesChannel {
  readonly type: string;
  readonly code: string;
}

/** A stock-source link; a lower priority number is used first by the source selection. */
export interface StockLink {
  readonly source: string;
  readonly priority: number;
}

export interface DesiredStock {
  readonly name: string;
  /** undefined: the file does not manage this stock's sales channels (they are kept as they are). */
  readonly salesChannels: readonly SalesChannel[] | undefined;
  /** undefined: the file does not manage this stock's links. Ordered by priority. */
  readonly links: readonly StockLink[] | undefined;
  /** The stock's name in the store before the file renamed it (`renamed_from`): the same stock, renamed in place. */
  readonly renamedFrom?: { readonly name: string; readonly origin: Origin };
  readonly origin: Origin;
}

export interface LiveStock {
  readonly id: number;
  readonly name: string;
  readonly salesChannels: readonly SalesChannel[];
  /** Ordered by priority, then source code. */
  readonly links: readonly StockLink[];
}

// ---------------------------------------------------------------------------
// Products and source items

export type ItemStatus = "in_stock" | "out_of_stock";

/** What the file says about quantities, globally or per product. */
export type QuantityPolicy = "manage" | "on_create" | "ignore";

/** One source of a product in the file. quantity/status undefined: assignment only. */
export interface DesiredAssignment {
  readonly source: string;
  readonly quantity: number | undefined;
  readonly status: ItemStatus | undefined;
}

export interface DesiredProduct {
  readonly sku: string;
  readonly quantities: QuantityPolicy;
  /** The product's whole assignment: other live source items of this SKU are unassigned. */
  readonly assignments: readonly DesiredAssignment[];
  readonly origin: Origin;
  /**
   * The sources this SKU's declarations manage, when every file that declares it is a feed
   * with a scope of its own (`csv: [{ file, scope }]`): the union of those scopes, within
   * the file's. Absent: the file's scope (DesiredState.scope), or every source without one.
   */
  readonly scope?: ReadonlySet<string>;
}

export interface LiveSourceItem {
  readonly source: string;
  readonly quantity: number;
  readonly status: ItemStatus;
}

// ---------------------------------------------------------------------------
// Moves (seed 002's bulk transfer)

export interface DesiredMove {
  readonly skus: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly unassignFromOrigin: boolean;
  readonly origin: Origin;
  /** Its position in the main file's `moves`, for messages that point at its fields. */
  readonly index?: number;
}

// ---------------------------------------------------------------------------
// The two sides of the diff

export interface SafetyPolicy {
  /** Destroying (unassigning held quantity, deleting links or stocks) is consented to in the file. */
  readonly allowDestroy: boolean;
  readonly maxUnassign: number | undefined;
  readonly maxUnitsRemoved: number | undefined;
  /** A quantity change since the base may take a quantity below 0 (`--allow-negative`; never from the file). */
  readonly allowNegative?: boolean;
}

/** A SKU at a source, as the file declares it. */
export interface SkuAtSource {
  readonly sku: string;
  readonly source: string;
}

/**
 * Where the file declares what lies below an entry's own key (a list entry, a field, a
 * product's source, a CSV cell), found when a message needs it: a million source items
 * carry no positions of their own, so the files are read again, on demand.
 */
export interface DeclarationLocator {
  /** A position in the main file by its path (["sources", "ne_wh", "enabled"]): its key, or its value. */
  inMainFile(path: readonly (string | number)[], part?: "key" | "value"): Origin;
  /** The entry of a list in the main file that holds `value`, e.g. source "ne_wh" in a stock's `sources`. */
  listEntry(path: readonly (string | number)[], value: string): Origin;
  /**
   * Where each pair is declared, keyed by `sku \0 source`: its source (key, list entry or
   * CSV cell), or its quantity. Pairs it cannot find are left out.
   */
  assignments(pairs: readonly SkuAtSource[], part: "source" | "quantity"): ReadonlyMap<string, Origin>;
}

/** Something the file says that inv accepts but a reader should look at (a quantity below 0). */
export interface FileWarning {
  readonly origin: Origin;
  readonly rule: string;
  readonly message: string;
}

export interface InventoryFileInfo {
  readonly path: string;
  readonly sha256: string;
}

/** `scope: { sources: [...] }`: the sources a file manages; source items elsewhere are not its business. */
export interface SourceScope {
  readonly sources: ReadonlySet<string>;
  readonly origin: Origin;
}

export interface DesiredState {
  /** Absent: the file manages every source. */
  readonly scope?: SourceScope;
  readonly sources: ReadonlyMap<string, DesiredSource>;
  /** Keyed by stock name. */
  readonly stocks: ReadonlyMap<string, DesiredStock>;
  /** Keyed by SKU. */
  readonly products: ReadonlyMap<string, DesiredProduct>;
  readonly moves: readonly DesiredMove[];
  /** Stocks to delete, by name, with where the file (or the base, when pruning) declared them. */
  readonly stockDeletions?: ReadonlyMap<string, Origin>;
  readonly quantities: QuantityPolicy;
  readonly safety: SafetyPolicy;
  /**
   * `policy: { skip_unknown_skus: true }`: SKUs the catalog lacks are left out of the plan and
   * reported, not refused. Kept apart from SafetyPolicy, which is consent to destroy and limits.
   */
  readonly skipUnknownSkus?: boolean;
  /** Every file the state was read from, with its content hash (saved plans record them). */
  readonly files: readonly InventoryFileInfo[];
  /** Where the file declares what messages point at (set by the loader). */
  readonly locate?: DeclarationLocator;
  /** What the file says that is accepted with a warning (set by the loader); the plan lists them. */
  readonly warnings?: readonly FileWarning[];
}

/** A file that declares nothing (one absent at a git base: everything in it is new). */
export function emptyDesiredState(): DesiredState {
  return {
    sources: new Map(),
    stocks: new Map(),
    products: new Map(),
    moves: [],
    quantities: "manage",
    safety: { allowDestroy: false, maxUnassign: undefined, maxUnitsRemoved: undefined },
    files: [],
  };
}

export interface LiveState {
  readonly sources: ReadonlyMap<string, LiveSource>;
  /** Keyed by stock id. */
  readonly stocks: ReadonlyMap<number, LiveStock>;
  /** Source items of the SKUs that were read, keyed by SKU; a read SKU with no items maps to []. */
  readonly sourceItems: ReadonlyMap<string, readonly LiveSourceItem[]>;
}

/** Magento stores status as 1/0 (magento/inventory:InventoryApi/Api/Data/SourceItemInterface.php). */
export function statusToMagento(status: ItemStatus): 0 | 1 {
  return status === "in_stock" ? 1 : 0;
}

export function statusFromMagento(status: number): ItemStatus {
  return status === 1 ? "in_stock" : "out_of_stock";
}
