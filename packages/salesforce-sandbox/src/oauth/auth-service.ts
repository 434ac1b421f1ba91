import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SandboxAuth, SandboxClock, Session } from '../contracts';

export interface ConnectedApp {
  clientId: string;
  clientSecret: string;
  /** Allowed redirect_uri values; when empty, any loopback (127.0.0.1 / localhost) URL is allowed. */
  callbackUrls: string[];
}

export interface SandboxUserLogin {
  userId: string;
  username: string;
  password: string;
}

/** The token endpoint's JSON, as Salesforce sends it. */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  signature: string;
  scope: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
}

/** OAuth errors go back as `{"error","error_description"}` with status 400 (401 for client errors). */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

interface AccessToken {
  userId: string;
  expiresAt: number;
  /** The SHA-256 of the refresh token it came from: revoking that one ends this one too. */
  refreshToken: string | undefined;
}

interface RefreshToken {
  userId: string;
  clientId: string;
}

interface AuthorizationCode {
  userId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | undefined;
  expiresAt: number;
}

/**
 * The sessions as plain data, each keyed by the SHA-256 of its token (the tokens themselves are
 * never kept): what a persisted org saves and restores.
 */
export interface AuthState {
  codes: Array<[string, AuthorizationCode]>;
  accessTokens: Array<[string, AccessToken]>;
  refreshTokens: Array<[string, RefreshToken]>;
}

/** Authorization codes are valid for 15 minutes and once (Salesforce web server flow). */
const CODE_TTL_MS = 15 * 60_000;

/**
 * Tokens are looked up by their SHA-256, as a server keeps them: neither memory nor a saved org
 * holds a token that would let anyone in.
 */
const digest = (token: string): string => createHash('sha256').update(token).digest('base64url');

/**
 * Sessions of the one connected app this sandbox has: authorization codes (with PKCE), access and
 * refresh tokens, password logins, revocation, expiry on the sandbox clock.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export class AuthService implements SandboxAuth {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly users = new Map<string, SandboxUserLogin>();

  constructor(
    private readonly options: {
      clock: SandboxClock;
      organizationId: string;
      app: ConnectedApp;
      accessTokenTtlSeconds: number;
      rotateRefreshTokens: boolean;
      baseUrl: () => string;
    },
  ) {}

  get app(): ConnectedApp {
    return this.options.app;
  }

  set rotateRefreshTokens(value: boolean) {
    this.options.rotateRefreshTokens = value;
  }

  set accessTokenTtlSeconds(value: number) {
    this.options.accessTokenTtlSeconds = value;
  }

  addUser(login: SandboxUserLogin): void {
    this.users.set(login.username.toLowerCase(), login);
  }

  userById(userId: string): SandboxUserLogin | undefined {
    return [...this.users.values()].find((u) => u.userId === userId);
  }

  defaultUser(): SandboxUserLogin {
    const first = this.users.values().next();
    if (first.done) throw new Error('the sandbox has no users');
    return first.value;
  }

  validateAccessToken(token: string): Session | undefined {
    const session = this.accessTokens.get(digest(token));
    if (!session) return undefined;
    if (session.expiresAt <= this.options.clock.now()) {
      this.accessTokens.delete(digest(token));
      return undefined;
    }
    return { userId: session.userId, organizationId: this.options.organizationId };
  }

  /** Every access token stops working at once (as when an admin ends sessions); refresh tokens stay. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** Checks client id and redirect_uri for the authorize endpoint; throws what Salesforce shows. */
  checkAuthorizeRequest(clientId: string | undefined, redirectUri: string | undefined): void {
    if (clientId !== this.options.app.clientId) {
      throw new OAuthError(400, 'invalid_client_id', 'client identifier invalid');
    }
    if (!redirectUri || !this.redirectAllowed(redirectUri)) {
      throw new OAuthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
    }
  }

  issueCode(params: {
    clientId: string;
    redirectUri: string;
    codeChallenge: string | undefined;
    userId: string;
  }): string {
    const code = `aPrx${randomToken(48)}`;
    this.codes.set(digest(code), {
      userId: params.userId,
      clientId: params.clientId,
      redirectUri: params.redirectUri,
      codeChallenge: params.codeChallenge,
      expiresAt: this.options.clock.now() + CODE_TTL_MS,
    });
    return code;
  }

  /** grant_type=authorization_code */
  exchangeCode(p: Record<string, string | undefined>): TokenResponse {
    this.checkClient(p.client_id, p.client_secret, true);
    const code = p.code ? this.codes.get(digest(p.code)) : undefined;
    if (p.code) this.codes.delete(digest(p.code));
    if (!code || code.expiresAt <= this.options.clock.now() || code.clientId !== p.client_id) {
      throw new OAuthError(400, 'invalid_grant', 'invalid authorization code');
    }
    if (p.redirect_uri !== code.redirectUri) {
      throw new OAuthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
    }
    if (code.codeChallenge !== undefined) {
      const verifier = p.code_verifier;
      const computed = verifier ? base64Url(createHash('sha256').update(verifier).digest()) : '';
      if (!verifier || !safeEqual(computed, code.codeChallenge)) {
        throw new OAuthError(400, 'invalid_grant', 'invalid code verifier');
      }
    } else if (p.code_verifier) {
      throw new OAuthError(400, 'invalid_grant', 'invalid code verifier');
    }
    const refreshToken = this.newRefreshToken(code.userId, code.clientId);
    return this.tokenResponse(code.userId, refreshToken, true);
  }

  /** grant_type=refresh_token; with rotation on, the old refresh token stops working. */
  refresh(p: Record<string, string | undefined>): TokenResponse {
    this.checkClient(p.client_id, p.client_secret, false);
    const stored = p.refresh_token ? this.refreshTokens.get(digest(p.refresh_token)) : undefined;
    if (!p.refresh_token || !stored || stored.clientId !== p.client_id) {
      throw new OAuthError(400, 'invalid_grant', 'expired access/refresh token');
    }
    let refreshToken = p.refresh_token;
    if (this.options.rotateRefreshTokens) {
      this.revokeRefreshToken(p.refresh_token);
      refreshToken = this.newRefreshToken(stored.userId, stored.clientId);
    }
    return this.tokenResponse(stored.userId, refreshToken, this.options.rotateRefreshTokens);
  }

  /** grant_type=password (no refresh token, as in Salesforce). */
  password(p: Record<string, string | undefined>): TokenResponse {
    this.checkClient(p.client_id, p.client_secret, true);
    const user = p.username ? this.users.get(p.username.toLowerCase()) : undefined;
    if (!user || !p.password || !safeEqual(p.password, user.password)) {
      throw new OAuthError(400, 'invalid_grant', 'authentication failure');
    }
    return this.tokenResponse(user.userId, undefined, false);
  }

  /** Revokes an access or refresh token; revoking a refresh token also ends its access tokens. */
  revoke(token: string): boolean {
    if (this.accessTokens.delete(digest(token))) return true;
    if (this.refreshTokens.has(digest(token))) {
      this.revokeRefreshToken(token);
      return true;
    }
    return false;
  }

  exportState(): AuthState {
    return structuredClone({
      codes: [...this.codes],
      accessTokens: [...this.accessTokens],
      refreshTokens: [...this.refreshTokens],
    });
  }

  importState(state: AuthState): void {
    const saved = structuredClone(state);
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    for (const [hash, code] of saved.codes) this.codes.set(hash, code);
    for (const [hash, session] of saved.accessTokens) this.accessTokens.set(hash, session);
    for (const [hash, token] of saved.refreshTokens) this.refreshTokens.set(hash, token);
  }

  /** How many refresh tokens are live: lets tests see that a revocation took. */
  refreshTokenCount(): number {
    return this.refreshTokens.size;
  }

  identityUrl(userId: string): string {
    return `${this.options.baseUrl()}/id/${this.options.organizationId}/${userId}`;
  }

  private revokeRefreshToken(token: string): void {
    const hash = digest(token);
    this.refreshTokens.delete(hash);
    for (const [access, session] of this.accessTokens) {
      if (session.refreshToken === hash) this.accessTokens.delete(access);
    }
  }

  private checkClient(
    clientId: string | undefined,
    secret: string | undefined,
    secretRequired: boolean,
  ): void {
    const app = this.options.app;
    if (clientId !== app.clientId)
      throw new OAuthError(400, 'invalid_client_id', 'client identifier invalid');
    if (secret === undefined ? secretRequired : !safeEqual(secret, app.clientSecret)) {
      throw new OAuthError(400, 'invalid_client', 'invalid client credentials');
    }
  }

  private newRefreshToken(userId: string, clientId: string): string {
    const token = `5Aep861${randomToken(80)}`;
    this.refreshTokens.set(digest(token), { userId, clientId });
    return token;
  }

  private tokenResponse(
    userId: string,
    refreshToken: string | undefined,
    includeRefresh: boolean,
  ): TokenResponse {
    const accessToken = `${this.options.organizationId.slice(0, 15)}!${randomToken(96)}`;
    const now = this.options.clock.now();
    this.accessTokens.set(digest(accessToken), {
      userId,
      expiresAt: now + this.options.accessTokenTtlSeconds * 1000,
      refreshToken: refreshToken === undefined ? undefined : digest(refreshToken),
    });
    const id = this.identityUrl(userId);
    const issuedAt = String(Math.floor(now));
    // signature: HMAC-SHA256 over id + issued_at with the consumer secret, base64.
    const signature = createHmac('sha256', this.options.app.clientSecret)
      .update(id + issuedAt)
      .digest('base64');
    return {
      access_token: accessToken,
      ...(includeRefresh && refreshToken ? { refresh_token: refreshToken } : {}),
      signature,
      scope: refreshToken ? 'refresh_token api' : 'api',
      instance_url: this.options.baseUrl(),
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  }

  private redirectAllowed(uri: string): boolean {
    const allowed = this.options.app.callbackUrls;
    if (allowed.length > 0) return allowed.includes(uri);
    try {
      const host = new URL(uri).hostname;
      return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
    } catch {
      return false;
    }
  }
}

function randomToken(length: number): string {
  return randomBytes(length).toString('base64url').replace(/[-_]/g, 'x').slice(0, length);
}

export function base64Url(buf: Buffer): string {
  return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
