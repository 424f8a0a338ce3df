// How `inv` proves who it is to Magento (docs/magento/webapi-platform.md#authentication). Credentials come from
// the environment only, and every provider lists its secrets so that nothing the tool
// prints can contain them.

import { ConfigurationError, MagentoApiError, type CallName } from "../errors.js";
import { ACL_RESOURCES } from "./acl.js";
import { decodeErrorBody } from "./decode-error.js";
import { oauthAuthorizationHeader, type OAuthCredentials } from "./oauth1.js";

export interface AuthProvider {
  readonly kind: "bearer" | "admin" | "oauth";
  /** Which credentials these are, for people: never a secret. */
  readonly description: string;
  /** The Authorization header for this request. */
  authorize(method: string, url: URL): Promise<string>;
  /**
   * After a 401 on a request sent with `used`: obtain fresh credentials (once, however many
   * requests saw the 401); true when retrying the request makes sense.
   */
  refresh(used: string): Promise<boolean>;
  /** Every secret the provider holds or obtained, for redaction. */
  secrets(): readonly string[];
}

/** The answer of a token route, and where the call went (for messages). */
export interface TokenResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly call: CallName;
}

/** A raw POST to a token route, provided by the client (no auth, no retries of its own). */
export type TokenRequest = (route: string, body: unknown) => Promise<TokenResponse>;

export class BearerAuth implements AuthProvider {
  readonly kind = "bearer" as const;
  readonly description = "a bearer token (MAGENTO_TOKEN)";

  constructor(private readonly token: string) {}

  async authorize(): Promise<string> {
    return `Bearer ${this.token}`;
  }

  async refresh(): Promise<boolean> {
    return false;
  }

  secrets(): readonly string[] {
    return [this.token];
  }
}

export class OAuthAuth implements AuthProvider {
  readonly kind = "oauth" as const;
  readonly description = "an integration's OAuth 1.0a keys (MAGENTO_CONSUMER_KEY and the three others, HMAC-SHA256)";

  constructor(private readonly credentials: OAuthCredentials) {}

  async authorize(method: string, url: URL): Promise<string> {
    return oauthAuthorizationHeader(method, url, this.credentials);
  }

  async refresh(): Promise<boolean> {
    return false;
  }

  secrets(): readonly string[] {
    const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = this.credentials;
    return [consumerKey, consumerSecret, accessToken, accessTokenSecret];
  }
}

const ADMIN_TOKEN_ROUTE = "V1/integration/admin/token";
const GOOGLE_TFA_ROUTE = "V1/tfa/provider/google/authenticate";

/**
 * Exchanges an admin username and password (and a Google Authenticator code on stores
 * with two-factor auth) for a bearer token. Admin tokens expire after an hour by default
 * (webapi/jwtauth/admin_expiration), so a long run logs in again once on a 401.
 */
export class AdminAuth implements AuthProvider {
  readonly kind = "admin" as const;
  private token: string | undefined;
  private pending: Promise<string> | undefined;
  private readonly obtained: string[] = [];

  constructor(
    private readonly username: string,
    private readonly password: string,
    private readonly otp: string | undefined,
    private readonly request: TokenRequest,
  ) {}

  get description(): string {
    // Not even the username: half of a login is still half of a credential.
    const code = this.otp ? ", with the two-factor code MAGENTO_ADMIN_OTP" : "";
    return `an admin login (MAGENTO_ADMIN_USERNAME and MAGENTO_ADMIN_PASSWORD${code})`;
  }

  /** Whether the login goes through Google two-factor authentication (MAGENTO_ADMIN_OTP is set). */
  get withTwoFactorCode(): boolean {
    return this.otp !== undefined;
  }

  async authorize(): Promise<string> {
    this.token ??= await this.login();
    return `Bearer ${this.token}`;
  }

  async refresh(used: string): Promise<boolean> {
    if (this.token !== undefined && used !== `Bearer ${this.token}`) return true;
    this.token = undefined;
    this.token = await this.login();
    return true;
  }

  secrets(): readonly string[] {
    return [this.password, ...(this.otp ? [this.otp] : []), ...this.obtained];
  }

  private login(): Promise<string> {
    // Concurrent page reads share one login.
    this.pending ??= this.exchange().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async exchange(): Promise<string> {
    const route = this.otp ? GOOGLE_TFA_ROUTE : ADMIN_TOKEN_ROUTE;
    const body = this.otp
      ? { username: this.username, password: this.password, otp: this.otp }
      : { username: this.username, password: this.password };
    const response = await this.request(route, body);
    if (response.status === 200) {
      const token = JSON.parse(response.body) as unknown;
      if (typeof token !== "string" || token === "")
        throw new ConfigurationError(`POST ${response.call.url} answered without a token.`);
      this.obtained.push(token);
      return token;
    }
    const decoded = decodeErrorBody(response.contentType, response.body);
    let hint =
      "Check MAGENTO_ADMIN_USERNAME and MAGENTO_ADMIN_PASSWORD; six failed logins lock the account for 30 minutes.";
    if (/2fa provider-specific endpoints/i.test(decoded.rawMessage)) {
      hint =
        "The store uses two-factor authentication: set MAGENTO_ADMIN_OTP to the current Google Authenticator code, or use an integration (OAuth keys).";
    } else if (/configure personal Two-Factor/i.test(decoded.rawMessage)) {
      hint =
        "This admin user has not set up two-factor authentication yet; set it up in the Admin, then set MAGENTO_ADMIN_OTP.";
    } else if (this.otp && response.status === 404) {
      // The route exists only with Magento_TwoFactorAuth enabled
      // (magento/security-package:TwoFactorAuth/etc/webapi.xml).
      hint =
        "The store has no Google two-factor login (Magento_TwoFactorAuth is off): unset MAGENTO_ADMIN_OTP to log in with the username and password alone.";
    } else if (this.otp) {
      hint =
        "Check the credentials and that MAGENTO_ADMIN_OTP is the current code (codes change every 30 seconds, so a rerun needs a fresh one).";
    }
    throw new MagentoApiError(response.call, response.status, decoded.message, decoded.details, hint);
  }
}

export interface AuthEnvironment {
  readonly MAGENTO_TOKEN?: string | undefined;
  readonly MAGENTO_ADMIN_USERNAME?: string | undefined;
  readonly MAGENTO_ADMIN_PASSWORD?: string | undefined;
  readonly MAGENTO_ADMIN_OTP?: string | undefined;
  readonly MAGENTO_CONSUMER_KEY?: string | undefined;
  readonly MAGENTO_CONSUMER_SECRET?: string | undefined;
  readonly MAGENTO_ACCESS_TOKEN?: string | undefined;
  readonly MAGENTO_ACCESS_TOKEN_SECRET?: string | undefined;
}

export const CREDENTIAL_VARIABLES = [
  "MAGENTO_TOKEN",
  "MAGENTO_ADMIN_USERNAME",
  "MAGENTO_ADMIN_PASSWORD",
  "MAGENTO_ADMIN_OTP",
  "MAGENTO_CONSUMER_KEY",
  "MAGENTO_CONSUMER_SECRET",
  "MAGENTO_ACCESS_TOKEN",
  "MAGENTO_ACCESS_TOKEN_SECRET",
] as const;

/** Picks the provider from the environment: OAuth keys, then an admin login, then a bearer token. */
export function authFromEnvironment(env: AuthEnvironment, request: TokenRequest): AuthProvider {
  const oauth = [
    env.MAGENTO_CONSUMER_KEY,
    env.MAGENTO_CONSUMER_SECRET,
    env.MAGENTO_ACCESS_TOKEN,
    env.MAGENTO_ACCESS_TOKEN_SECRET,
  ];
  const oauthSet = oauth.filter((v) => v !== undefined && v !== "").length;
  if (oauthSet === 4) {
    const [consumerKey, consumerSecret, accessToken, accessTokenSecret] = oauth as [string, string, string, string];
    return new OAuthAuth({ consumerKey, consumerSecret, accessToken, accessTokenSecret });
  }
  if (oauthSet > 0) {
    throw new ConfigurationError(
      "OAuth needs all four of MAGENTO_CONSUMER_KEY, MAGENTO_CONSUMER_SECRET, MAGENTO_ACCESS_TOKEN and MAGENTO_ACCESS_TOKEN_SECRET; some are missing.",
      "Copy the four values from System > Extensions > Integrations > (your integration) > Integration Details.",
    );
  }
  if (env.MAGENTO_ADMIN_USERNAME || env.MAGENTO_ADMIN_PASSWORD) {
    if (!env.MAGENTO_ADMIN_USERNAME || !env.MAGENTO_ADMIN_PASSWORD) {
      throw new ConfigurationError("An admin login needs both MAGENTO_ADMIN_USERNAME and MAGENTO_ADMIN_PASSWORD.");
    }
    return new AdminAuth(
      env.MAGENTO_ADMIN_USERNAME,
      env.MAGENTO_ADMIN_PASSWORD,
      env.MAGENTO_ADMIN_OTP || undefined,
      request,
    );
  }
  if (env.MAGENTO_TOKEN) return new BearerAuth(env.MAGENTO_TOKEN);
  throw new ConfigurationError(
    "No credentials: set MAGENTO_TOKEN, or MAGENTO_ADMIN_USERNAME and MAGENTO_ADMIN_PASSWORD, or the four MAGENTO_CONSUMER_*/MAGENTO_ACCESS_TOKEN* OAuth keys.",
    "Credentials are read from the environment only. `inv sandbox` prints a token to try inv without a store.",
  );
}

/** Every ACL resource inv's calls use (acl.ts says what for). */
export const REQUIRED_ACL_RESOURCES: readonly string[] = ACL_RESOURCES.map((r) => r.resource);
