// Who is calling: the static sandbox token, admin tokens (JWT-shaped, with expiry, optional
// Google 2FA), an integration via OAuth 1.0a or, when allowed, its access token as bearer.
// Invalid or expired credentials leave the caller a guest, so the ACL check answers 401.
// Magento: magento/magento2:app/code/Magento/Webapi/Model/Authorization/TokenUserContext.php, OauthUserContext.php,
// magento/magento2:app/code/Magento/Integration/Model/AdminTokenService.php,
// magento/magento2:app/code/Magento/Integration/Model/Oauth/Token/RequestThrottler.php,
// magento/security-package:TwoFactorAuth/Model/AdminAccessTokenService.php,
// magento/security-package:TwoFactorAuth/Model/Provider/Engine/Google/Authenticate.php;
// docs/magento/webapi-platform.md#authentication.

import { createHmac, randomBytes } from "node:crypto";
import { badRequest, unauthorized, WebapiError } from "../errors.js";
import type { TokenIssuer } from "../routes/route-def.js";
import type { SandboxAuthOptions, SandboxCredentials } from "../types.js";
import type { Grants } from "./acl.js";
import { verifyOAuth, type OAuthIntegration, type OAuthRequest } from "./oauth.js";
import { randomBase32, verifyTotp } from "./totp.js";

export interface Principal {
  readonly kind: "static" | "admin" | "integration";
  readonly grants: Grants;
}

function randomAlnum(length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(length), (b) => alphabet.charAt(b % alphabet.length)).join("");
}

const base64url = (s: string | Buffer): string => Buffer.from(s).toString("base64url");

const SIGN_IN_FAILED =
  "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.";
/** oauth/authentication_lock/max_failures_count and timeout. */
const MAX_FAILURES = 6;
const LOCK_SECONDS = 1800;

export class AuthService implements TokenIssuer {
  readonly staticToken: string;
  readonly credentials: SandboxCredentials;
  readonly twoFactor: boolean;
  private readonly ttlSeconds: number;
  private readonly integration: OAuthIntegration;
  private readonly bearerAllowed: boolean;
  private readonly integrationGrants: Grants;
  private readonly adminGrants: Grants;
  private readonly jwtKey = randomBytes(32);
  private readonly adminTokens = new Map<string, number>();
  private readonly nonces = new Set<string>();
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(
    options: SandboxAuthOptions,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {
    this.staticToken = options.token ?? randomAlnum(32);
    const admin = options.admin ?? {};
    this.twoFactor = admin.twoFactor === true;
    this.ttlSeconds = admin.tokenTtlSeconds ?? 3600;
    const i = options.integration ?? {};
    this.integration = {
      consumerId: 1,
      consumerKey: i.consumerKey ?? randomAlnum(32),
      consumerSecret: i.consumerSecret ?? randomAlnum(32),
      accessToken: i.accessToken ?? randomAlnum(32),
      accessTokenSecret: i.accessTokenSecret ?? randomAlnum(32),
    };
    this.bearerAllowed = i.bearerAllowed === true;
    this.integrationGrants = options.aclResources === undefined ? "all" : new Set(options.aclResources);
    // An admin token acts with its user's role
    // (magento/magento2:app/code/Magento/Webapi/Model/Authorization/TokenUserContext.php, USER_TYPE_ADMIN).
    this.adminGrants = admin.aclResources === undefined ? "all" : new Set(admin.aclResources);
    const otpSecret = this.twoFactor ? (admin.otpSecret ?? randomBase32()) : admin.otpSecret;
    this.credentials = {
      adminUsername: admin.username ?? "admin",
      adminPassword: admin.password ?? `${randomAlnum(12)}1A`,
      consumerKey: this.integration.consumerKey,
      consumerSecret: this.integration.consumerSecret,
      accessToken: this.integration.accessToken,
      accessTokenSecret: this.integration.accessTokenSecret,
      ...(otpSecret === undefined ? {} : { otpSecret }),
    };
  }

  /** The caller behind the request, or null for a guest. OAuth failures throw (401/400). */
  principal(authorization: string, oauth: () => OAuthRequest): Principal | null {
    const pieces = authorization.split(" ");
    // TokenUserContext: exactly "<type> <token>", type compared case-insensitively.
    if (pieces.length === 2 && pieces[0]?.toLowerCase() === "bearer") {
      const token = pieces[1] ?? "";
      if (token === this.staticToken) return { kind: "static", grants: this.integrationGrants };
      const exp = this.adminTokens.get(token);
      if (exp !== undefined && exp > this.now()) return { kind: "admin", grants: this.adminGrants };
      // Integration tokens as bearer only with oauth/consumer/enable_integration_as_bearer.
      if (this.bearerAllowed && token === this.integration.accessToken)
        return { kind: "integration", grants: this.integrationGrants };
      return null;
    }
    if (/oauth /i.test(authorization)) {
      verifyOAuth(oauth(), this.integration, this.nonces, Math.floor(this.now()));
      return { kind: "integration", grants: this.integrationGrants };
    }
    return null;
  }

  /** Credentials check with the brute-force lock (6 failures lock the user for 30 minutes). */
  private authenticate(username: string, password: string): void {
    const now = this.now();
    const state = this.failures.get(username) ?? { count: 0, lockedUntil: 0 };
    if (state.lockedUntil > now) throw unauthorized(SIGN_IN_FAILED);
    if (username !== this.credentials.adminUsername || password !== this.credentials.adminPassword) {
      state.count++;
      if (state.count >= MAX_FAILURES) {
        state.count = 0;
        state.lockedUntil = now + LOCK_SECONDS;
      }
      this.failures.set(username, state);
      throw unauthorized(SIGN_IN_FAILED);
    }
    this.failures.delete(username);
  }

  /** A JWT like Magento_JwtUserToken's (HS256, uid, utypid 2 = admin, iat, exp). */
  private issueAdminToken(): string {
    const iat = Math.floor(this.now());
    const exp = iat + this.ttlSeconds;
    const header = base64url(JSON.stringify({ kid: "1", alg: "HS256" }));
    const payload = base64url(JSON.stringify({ uid: 1, utypid: 2, iat, exp }));
    const signature = base64url(createHmac("sha256", this.jwtKey).update(`${header}.${payload}`).digest());
    const token = `${header}.${payload}.${signature}`;
    this.adminTokens.set(token, exp);
    return token;
  }

  adminToken(username: string, password: string): string {
    this.authenticate(username, password);
    if (this.twoFactor) {
      // 401 in the Webapi\Exception variant of AdminAccessTokenService (another version uses 400).
      throw new WebapiError(401, {
        text: "Please use the 2fa provider-specific endpoints to obtain a token.",
        parameters: { active_providers: ["google"] },
      });
    }
    return this.issueAdminToken();
  }

  googleToken(username: string, password: string, otp: string): string {
    this.authenticate(username, password);
    const secret = this.credentials.otpSecret;
    if (secret === undefined) throw badRequest("Provider is not configured.");
    if (!verifyTotp(secret, otp, this.now())) throw unauthorized("Invalid code.");
    return this.issueAdminToken();
  }
}
