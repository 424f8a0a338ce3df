// The emulated database: every table the MSI routes read or write, keyed the way MySQL
// keys them (utf8_general_ci), plus the helpers tests and the benchmark use without HTTP.

import { collationKey } from "../collation.js";
import type { ProductType, SandboxState, StateSource } from "../types.js";
import type {
  ChannelRecord,
  LinkRecord,
  LowStockRecord,
  ProductRecord,
  ReservationRecord,
  SourceRecord,
  StockRecord,
  WebsiteRecord,
} from "./records.js";
import { SourceItemTable } from "./source-item-table.js";

/** What the rest of inv, tests and the benchmark may touch directly. */
export interface SandboxStore {
  snapshot(): SandboxState;
  setSourceItem(sku: string, sourceCode: string, quantity: number, status: number): void;
  deleteSourceItem(sku: string, sourceCode: string): boolean;
  addProduct(product: { readonly sku: string; readonly name: string; readonly type_id: ProductType }): void;
  addReservation(sku: string, stockId: number, quantity: number): void;
  addWebsite(code: string, name: string): number;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function channelKey(type: string, code: string): string {
  return `${collationKey(type)}\u0000${collationKey(code)}`;
}

export function linkKey(stockId: number, sourceCode: string): string {
  return `${stockId}\u0000${collationKey(sourceCode)}`;
}

export function pairKey(sourceCode: string, sku: string): string {
  return `${collationKey(sourceCode)}\u0000${collationKey(sku)}`;
}

export function sourceRecordFromState(s: StateSource): SourceRecord {
  return {
    source_code: s.source_code,
    name: s.name,
    email: s.email ?? null,
    contact_name: s.contact_name ?? null,
    enabled: s.enabled,
    description: s.description ?? null,
    latitude: s.latitude ?? null,
    longitude: s.longitude ?? null,
    country_id: s.country_id,
    region_id: s.region_id ?? null,
    region: s.region ?? null,
    city: s.city ?? null,
    street: s.street ?? null,
    postcode: s.postcode,
    phone: s.phone ?? null,
    fax: s.fax ?? null,
    use_default_carrier_config: s.use_default_carrier_config ?? true,
    is_pickup_location_active: s.is_pickup_location_active ?? false,
    frontend_name: s.frontend_name ?? null,
    frontend_description: s.frontend_description ?? null,
  };
}

export class Store implements SandboxStore {
  readonly websites: WebsiteRecord[] = [];
  readonly sources = new Map<string, SourceRecord>();
  readonly stocks = new Map<number, StockRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly links = new Map<string, LinkRecord>();
  readonly items = new SourceItemTable();
  readonly products = new Map<string, ProductRecord>();
  readonly lowStock = new Map<string, LowStockRecord>();
  readonly reservations: ReservationRecord[] = [];
  nextStockId = 1;
  private nextLinkId = 1;
  private nextProductId = 1;
  private revisionValue = 0;
  /** Called after a direct (non-HTTP) write so the state file follows. */
  onDirectWrite: (() => void) | null = null;

  constructor(state: SandboxState) {
    if (state.format !== "inv-sandbox-state" || state.version !== 1) {
      throw new Error(`Not an inv sandbox state (format ${String(state.format)}, version ${String(state.version)}).`);
    }
    for (const w of state.websites) {
      this.websites.push({
        website_id: w.website_id,
        code: w.code,
        name: w.name,
        default_group_id: w.website_id === 0 ? 0 : 1,
      });
    }
    for (const s of state.sources) this.sources.set(collationKey(s.source_code), sourceRecordFromState(s));
    for (const st of state.stocks) {
      this.stocks.set(st.stock_id, { stock_id: st.stock_id, name: st.name });
      for (const c of st.sales_channels) {
        this.channels.set(channelKey(c.type, c.code), { type: c.type, code: c.code, stock_id: st.stock_id });
      }
    }
    for (const l of state.links) this.putLink(l.stock_id, l.source_code, l.priority);
    this.items.load(state.source_items);
    for (const p of state.products) this.putProduct(p.sku, p.name, p.type_id);
    for (const c of state.low_stock) {
      this.lowStock.set(pairKey(c.source_code, c.sku), {
        source_code: c.source_code,
        sku: c.sku,
        notify_stock_qty: c.notify_stock_qty,
      });
    }
    for (const r of state.reservations) this.reservations.push({ ...r });
    const maxStock = Math.max(0, ...this.stocks.keys());
    this.nextStockId = Math.max(state.next_stock_id, maxStock + 1);
  }

  /** Increases on every write; the server persists when it moved during a request. */
  get revision(): number {
    return this.revisionValue + this.items.version;
  }

  touch(): void {
    this.revisionValue++;
  }

  putLink(stockId: number, sourceCode: string, priority: number): LinkRecord {
    const key = linkKey(stockId, sourceCode);
    const existing = this.links.get(key);
    this.touch();
    if (existing !== undefined) {
      existing.priority = priority;
      return existing;
    }
    const rec: LinkRecord = { link_id: this.nextLinkId++, stock_id: stockId, source_code: sourceCode, priority };
    this.links.set(key, rec);
    return rec;
  }

  private putProduct(sku: string, name: string, type: ProductType): void {
    const key = collationKey(sku);
    const existing = this.products.get(key);
    this.products.set(key, { entity_id: existing?.entity_id ?? this.nextProductId++, sku, name, type_id: type });
    this.touch();
  }

  findSource(code: string): SourceRecord | undefined {
    return this.sources.get(collationKey(code));
  }

  findProduct(sku: string): ProductRecord | undefined {
    return this.products.get(collationKey(sku));
  }

  findWebsite(code: string): WebsiteRecord | undefined {
    const key = collationKey(code);
    return this.websites.find((w) => collationKey(w.code) === key);
  }

  channelsOf(stockId: number): ChannelRecord[] {
    const out = [...this.channels.values()].filter((c) => c.stock_id === stockId);
    // No ORDER BY; in practice PK (type, code) order (docs/magento/msi-rest.md#sales-channel-fields).
    return out.sort((a, b) => byCodePoint(channelKey(a.type, a.code), channelKey(b.type, b.code)));
  }

  linksOf(stockId: number): LinkRecord[] {
    return [...this.links.values()].filter((l) => l.stock_id === stockId);
  }

  deleteLowStock(sourceCode: string, sku: string): void {
    if (this.lowStock.delete(pairKey(sourceCode, sku))) this.touch();
  }

  private direct(): void {
    this.onDirectWrite?.();
  }

  // --- SandboxStore: direct access without HTTP (drift, seeding) ---

  snapshot(): SandboxState {
    const sources = [...this.sources.values()]
      .map((s) => ({ ...s }))
      .sort((a, b) => byCodePoint(a.source_code, b.source_code));
    const stocks = [...this.stocks.values()]
      .sort((a, b) => a.stock_id - b.stock_id)
      .map((s) => ({
        stock_id: s.stock_id,
        name: s.name,
        sales_channels: this.channelsOf(s.stock_id).map((c) => ({ type: c.type, code: c.code })),
      }));
    const links = [...this.links.values()]
      .map((l) => ({ stock_id: l.stock_id, source_code: l.source_code, priority: l.priority }))
      .sort((a, b) => a.stock_id - b.stock_id || byCodePoint(a.source_code, b.source_code));
    const items = this.items
      .all()
      .map((r) => ({ sku: r.sku, source_code: r.source_code, quantity: r.quantity, status: r.status }))
      .sort((a, b) => byCodePoint(a.sku, b.sku) || byCodePoint(a.source_code, b.source_code));
    const products = [...this.products.values()]
      .map((p) => ({ sku: p.sku, name: p.name, type_id: p.type_id }))
      .sort((a, b) => byCodePoint(a.sku, b.sku));
    const lowStock = [...this.lowStock.values()]
      .map((c) => ({ ...c }))
      .sort((a, b) => byCodePoint(a.source_code, b.source_code) || byCodePoint(a.sku, b.sku));
    return {
      format: "inv-sandbox-state",
      version: 1,
      websites: this.websites.map((w) => ({ website_id: w.website_id, code: w.code, name: w.name })),
      sources,
      stocks,
      links,
      source_items: items,
      products,
      low_stock: lowStock,
      reservations: this.reservations.map((r) => ({ ...r })),
      next_stock_id: this.nextStockId,
    };
  }

  setSourceItem(sku: string, sourceCode: string, quantity: number, status: number): void {
    // The FK to inventory_source still holds for writes outside the API.
    if (this.findSource(sourceCode) === undefined) throw new Error(`Source "${sourceCode}" does not exist.`);
    this.items.upsert(sku, sourceCode, quantity, status);
    this.direct();
  }

  deleteSourceItem(sku: string, sourceCode: string): boolean {
    const deleted = this.items.delete(sku, sourceCode);
    if (deleted) this.direct();
    return deleted;
  }

  addProduct(product: { readonly sku: string; readonly name: string; readonly type_id: ProductType }): void {
    this.putProduct(product.sku, product.name, product.type_id);
    this.direct();
  }

  addReservation(sku: string, stockId: number, quantity: number): void {
    this.reservations.push({ sku, stock_id: stockId, quantity });
    this.touch();
    this.direct();
  }

  addWebsite(code: string, name: string): number {
    const id = Math.max(0, ...this.websites.map((w) => w.website_id)) + 1;
    this.websites.push({ website_id: id, code, name, default_group_id: 0 });
    // New websites are assigned to the default stock.
    // Magento:
    // magento/inventory:InventorySales/Plugin/Store/Model/ResourceModel/Website/AssignWebsiteToDefaultStockPlugin.php
    this.channels.set(channelKey("website", code), { type: "website", code, stock_id: 1 });
    this.touch();
    this.direct();
    return id;
  }
}
