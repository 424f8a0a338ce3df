// The sandbox's own types. It shares none with the rest of inv (DESIGN.md "The sandbox"),
// so a misunderstanding of Magento in the client cannot hide behind the same one here.

export interface StateWebsite {
  readonly website_id: number;
  readonly code: string;
  readonly name: string;
}

/** One `inventory_source` row, flattened with its in-store-pickup columns. */
export interface StateSource {
  readonly source_code: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly email?: string | null;
  readonly contact_name?: string | null;
  readonly description?: string | null;
  readonly latitude?: number | null;
  readonly longitude?: number | null;
  readonly country_id: string;
  readonly region_id?: number | null;
  readonly region?: string | null;
  readonly city?: string | null;
  readonly street?: string | null;
  readonly postcode: string;
  readonly phone?: string | null;
  readonly fax?: string | null;
  readonly use_default_carrier_config?: boolean;
  readonly is_pickup_location_active?: boolean;
  readonly frontend_name?: string | null;
  readonly frontend_description?: string | null;
}

export interface StateSalesChannel {
  readonly type: string;
  readonly code: string;
}

export interface StateStock {
  readonly stock_id: number;
  readonly name: string;
  readonly sales_channels: readonly StateSalesChannel[];
}

export interface StateLink {
  readonly stock_id: number;
  readonly source_code: string;
  readonly priority: number;
}

export interface StateSourceItem {
  readonly sku: string;
  readonly source_code: string;
  readonly quantity: number;
  readonly status: number;
}

export type ProductType = "simple" | "virtual" | "downloadable" | "configurable" | "bundle" | "grouped";

export interface StateProduct {
  readonly sku: string;
  readonly name: string;
  readonly type_id: ProductType;
}

export interface StateLowStock {
  readonly source_code: string;
  readonly sku: string;
  readonly notify_stock_qty: number | null;
}

export interface StateReservation {
  readonly sku: string;
  readonly stock_id: number;
  readonly quantity: number;
}

/** The whole emulated store; also the `--state` file format. */
export interface SandboxState {
  readonly format: "inv-sandbox-state";
  readonly version: 1;
  readonly websites: readonly StateWebsite[];
  readonly sources: readonly StateSource[];
  readonly stocks: readonly StateStock[];
  readonly links: readonly StateLink[];
  readonly source_items: readonly StateSourceItem[];
  readonly products: readonly StateProduct[];
  readonly low_stock: readonly StateLowStock[];
  readonly reservations: readonly StateReservation[];
  readonly next_stock_id: number;
}

export interface SandboxAdminAuthOptions {
  readonly username?: string;
  readonly password?: string;
  /**
   * Magento: magento/magento2:app/code/Magento/JwtUserToken/etc/config.xml (webapi/jwtauth/admin_expiration), default
   * 60 minutes.
   */
  readonly tokenTtlSeconds?: number;
  readonly twoFactor?: boolean;
  /** Base32 secret of the admin's Google Authenticator. */
  readonly otpSecret?: string;
  /**
   * The admin user's role: only these ACL ids. By default the user is in Administrators,
   * whose role holds Magento_Backend::all.
   */
  readonly aclResources?: readonly string[];
}

export interface SandboxIntegrationAuthOptions {
  readonly consumerKey?: string;
  readonly consumerSecret?: string;
  readonly accessToken?: string;
  readonly accessTokenSecret?: string;
  /** Magento: oauth/consumer/enable_integration_as_bearer, off by default since 2.4.4. */
  readonly bearerAllowed?: boolean;
}

export interface SandboxAuthOptions {
  /** An admin-equivalent bearer token for the sandbox (not a Magento concept). */
  readonly token?: string;
  readonly admin?: SandboxAdminAuthOptions;
  readonly integration?: SandboxIntegrationAuthOptions;
  /** When set, the static token and the integration only hold these ACL ids. */
  readonly aclResources?: readonly string[];
}

export interface SandboxInputLimits {
  readonly maxPageSize?: number;
  readonly arrayLimit?: number;
  readonly defaultPageSize?: number;
}

export interface SandboxFaults {
  readonly failRate?: number;
  readonly throttleRate?: number;
  readonly retryAfterSeconds?: number;
  readonly dropRate?: number;
  readonly deadlockRate?: number;
}

export interface SandboxOptions {
  readonly port?: number;
  readonly stateFile?: string;
  readonly initialState?: SandboxState;
  readonly inputLimits?: boolean | SandboxInputLimits;
  readonly lastPageBehavior?: "empty" | "repeat-last";
  readonly latencyMs?: number;
  readonly faults?: SandboxFaults;
  readonly seed?: number;
  readonly auth?: SandboxAuthOptions;
}

export interface SandboxCredentials {
  readonly adminUsername: string;
  readonly adminPassword: string;
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessTokenSecret: string;
  readonly otpSecret?: string;
}

export interface SandboxStats {
  requests: number;
  readonly byRoute: Record<string, number>;
  faultsInjected: number;
}
