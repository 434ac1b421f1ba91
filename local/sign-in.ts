import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { LocalRequest, LocalResponse } from './http-gateway';

/**
 * The local stand-in for Cognito's managed login: the same OAuth 2.0 endpoints under
 * `/auth/local` (`/oauth2/authorize`, `/oauth2/token`, `/logout`), the authorization code flow
 * with PKCE (S256) for one public client, and tokens that carry the claims Cognito's would,
 * among them `sites` from the pre-token-generation step. So the console signs in locally
 * exactly as it does in AWS; only the issuer differs. The gateway then checks these tokens as
 * API Gateway's JWT authorizer checks Cognito's (`verify`).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
 * https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 */
export const SIGN_IN_PATH = '/auth/local';
export const LOCAL_CLIENT_ID = 'quote-sync-console';

export interface LocalPerson {
  email: string;
  name: string;
  password: string;
}

/** Who is getting tokens, as Cognito tells its pre-token-generation trigger. */
export interface SignedInPerson {
  sub: string;
  email: string;
  name: string;
  emailVerified: boolean;
  trigger: 'TokenGeneration_HostedAuth' | 'TokenGeneration_RefreshTokens';
}

export interface LocalSignInOptions {
  /** The gateway's URL: the issuer is `${url}/auth/local`. */
  baseUrl: string;
  /** The console's URL: the one redirect and logout URI allowed. */
  consoleUrl: string;
  /** Finds a person by e-mail address (case-insensitive). */
  person: (email: string) => LocalPerson | undefined;
  /** What the pre-token-generation trigger adds (the `sites` claim), at sign-in and at each refresh. */
  claims: (person: SignedInPerson) => Promise<Record<string, string>>;
  now?: () => Date;
}

/** As Cognito's defaults: codes last 5 minutes, access and ID tokens an hour. */
const CODE_TTL_MS = 5 * 60_000;
const TOKEN_TTL_SECONDS = 3600;
const REFRESH_TTL_SECONDS = 12 * 3600;
const SCOPES = 'openid email profile';

interface PendingCode {
  email: string;
  codeChallenge: string;
  redirectUri: string;
  expiresAt: number;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const sameSecret = (a: string, b: string) => {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
};

/** A person's stable subject, shaped like Cognito's (a UUID), from their e-mail address. */
export function localSubject(email: string): string {
  const hex = createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A local person's password, derived from the admin token: printed in the banner, the same on every start. */
export function localPassword(adminToken: string, email: string): string {
  return createHmac('sha256', adminToken)
    .update(`local sign-in ${email.trim().toLowerCase()}`)
    .digest('base64url')
    .slice(0, 20);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1f24}
main{max-width:24rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.25rem;margin:0 0 1rem}label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input{box-sizing:border-box;width:100%;padding:.5rem;font:inherit;border:1px solid #8a949e;border-radius:4px}
button{margin-top:1.25rem;width:100%;padding:.6rem;font:inherit;font-weight:600;color:#fff;background:#0b5cad;border:0;border-radius:4px;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.error{color:#a4161a;font-weight:600}.hint{color:#4b5563;font-size:.875rem}`;

export class LocalSignIn {
  readonly issuer: string;
  readonly clientId = LOCAL_CLIENT_ID;
  /** Signs this process's tokens: a restart signs everyone out, as a new key would. */
  private readonly key = randomBytes(32);
  private readonly codes = new Map<string, PendingCode>();
  private readonly now: () => Date;

  constructor(private readonly options: LocalSignInOptions) {
    this.issuer = `${options.baseUrl}${SIGN_IN_PATH}`;
    this.now = options.now ?? (() => new Date());
  }

  /** Answers the requests under /auth/local; undefined for any other path. */
  async handle(request: LocalRequest): Promise<LocalResponse | undefined> {
    const path = request.url.pathname;
    if (!path.startsWith(`${SIGN_IN_PATH}/`)) return undefined;
    const route = `${request.method} ${path.slice(SIGN_IN_PATH.length)}`;
    switch (route) {
      case 'GET /oauth2/authorize':
        return this.authorizePage(request.url.searchParams);
      case 'POST /oauth2/authorize':
        return this.signIn(new URLSearchParams(request.body.toString('utf8')));
      case 'POST /oauth2/token':
        return this.token(new URLSearchParams(request.body.toString('utf8')));
      case 'GET /logout':
        return this.logout(request.url.searchParams);
      case 'GET /sign-in.css':
        return { status: 200, headers: { 'content-type': 'text/css; charset=utf-8' }, body: STYLE };
      default:
        return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found' };
    }
  }

  /**
   * The claims API Gateway's JWT authorizer would hand on (values as strings), or undefined
   * for a token that is not ours, is expired, or was not issued to the console.
   */
  async verify(token: string): Promise<Record<string, string> | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: this.issuer,
        algorithms: ['HS256'],
        currentDate: this.now(),
      });
      if (payload.token_use === 'refresh') return undefined;
      if (payload.client_id !== this.clientId && payload.aud !== this.clientId) return undefined;
      const claims: Record<string, string> = {};
      for (const [name, value] of Object.entries(payload)) {
        claims[name] = Array.isArray(value) ? `[${value.join(' ')}]` : String(value);
      }
      return claims;
    } catch {
      return undefined;
    }
  }

  /** Checks an authorize request as Cognito does; a problem is answered on the page, never redirected. */
  private authorizeProblem(params: URLSearchParams): string | undefined {
    if (params.get('client_id') !== this.clientId) return 'Unknown client_id.';
    if (params.get('redirect_uri') !== this.options.consoleUrl) return 'redirect_mismatch';
    if (params.get('response_type') !== 'code') return 'Only response_type=code is supported.';
    if (
      params.get('code_challenge_method') !== 'S256' ||
      !/^[\w-]{43,128}$/.test(params.get('code_challenge') ?? '')
    )
      return 'A PKCE code_challenge with code_challenge_method=S256 is required.';
    return undefined;
  }

  private page(status: number, body: string): LocalResponse {
    return {
      status,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Sign in · salesforce-quote-sync (local)</title><link rel="stylesheet" href="${SIGN_IN_PATH}/sign-in.css"></head><body><main>${body}</main></body></html>`,
    };
  }

  private authorizePage(params: URLSearchParams, error?: string, username = ''): LocalResponse {
    const problem = this.authorizeProblem(params);
    if (problem)
      return this.page(400, `<h1>Sign-in request refused</h1><p class="error">${escapeHtml(problem)}</p>`);
    const hidden = [
      'client_id',
      'redirect_uri',
      'response_type',
      'state',
      'code_challenge',
      'code_challenge_method',
      'scope',
    ]
      .filter((name) => params.get(name) !== null)
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`)
      .join('');
    return this.page(
      error ? 401 : 200,
      `<h1>Sign in</h1>${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${SIGN_IN_PATH}/oauth2/authorize">${hidden}
<label for="username">E-mail address</label><input id="username" name="username" type="email" autocomplete="username" required value="${escapeHtml(username)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>
<p class="hint">The local sign-in: the people and passwords are in the banner of <code>npm start</code>.</p>`,
    );
  }

  private signIn(form: URLSearchParams): LocalResponse {
    if (this.authorizeProblem(form)) return this.authorizePage(form);
    const username = (form.get('username') ?? '').trim();
    const person = this.options.person(username);
    if (!person || !sameSecret(form.get('password') ?? '', person.password)) {
      // Cognito's own words, which do not say which of the two was wrong.
      return this.authorizePage(form, 'Incorrect username or password.', username);
    }
    const code = randomUUID();
    this.codes.set(code, {
      email: person.email,
      codeChallenge: form.get('code_challenge') ?? '',
      redirectUri: form.get('redirect_uri') ?? '',
      expiresAt: this.now().getTime() + CODE_TTL_MS,
    });
    const target = new URL(form.get('redirect_uri') ?? '');
    target.searchParams.set('code', code);
    const state = form.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return { status: 302, headers: { location: target.toString(), 'cache-control': 'no-store' }, body: '' };
  }

  private async token(form: URLSearchParams): Promise<LocalResponse> {
    const refuse = (error: string, status = 400): LocalResponse => ({
      status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify({ error }),
    });
    if (form.get('client_id') !== this.clientId) return refuse('invalid_client', 401);
    const grant = form.get('grant_type');
    let email: string;
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const pending = this.codes.get(code);
      // A code works once, whatever happens next.
      this.codes.delete(code);
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (
        !pending ||
        pending.expiresAt < this.now().getTime() ||
        pending.redirectUri !== form.get('redirect_uri') ||
        challenge !== pending.codeChallenge
      )
        return refuse('invalid_grant');
      email = pending.email;
    } else if (grant === 'refresh_token') {
      try {
        const { payload } = await jwtVerify(form.get('refresh_token') ?? '', this.key, {
          issuer: this.issuer,
          algorithms: ['HS256'],
          currentDate: this.now(),
        });
        if (payload.token_use !== 'refresh' || typeof payload.email !== 'string')
          return refuse('invalid_grant');
        email = payload.email;
      } catch {
        return refuse('invalid_grant');
      }
    } else {
      return refuse('unsupported_grant_type');
    }
    const person = this.options.person(email);
    if (!person) return refuse('invalid_grant');
    const tokens = await this.tokensFor(person, grant === 'authorization_code');
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' },
      body: JSON.stringify(tokens),
    };
  }

  /** Tokens shaped as Cognito's: an access token for the API, an ID token, and (at sign-in) a refresh token. */
  private async tokensFor(person: LocalPerson, withRefresh: boolean) {
    const sub = localSubject(person.email);
    const added = await this.options.claims({
      sub,
      email: person.email,
      name: person.name,
      emailVerified: true,
      trigger: withRefresh ? 'TokenGeneration_HostedAuth' : 'TokenGeneration_RefreshTokens',
    });
    const now = Math.floor(this.now().getTime() / 1000);
    const sign = (claims: Record<string, unknown>, ttl: number) =>
      new SignJWT({ ...claims, jti: randomUUID() })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(this.issuer)
        .setSubject(sub)
        .setIssuedAt(now)
        .setExpirationTime(now + ttl)
        .sign(this.key);
    const common = { email: person.email, name: person.name, ...added };
    return {
      access_token: await sign(
        {
          ...common,
          token_use: 'access',
          client_id: this.clientId,
          scope: SCOPES,
          username: person.email,
          auth_time: now,
        },
        TOKEN_TTL_SECONDS,
      ),
      id_token: await sign(
        {
          ...common,
          token_use: 'id',
          aud: this.clientId,
          email_verified: true,
          'cognito:username': person.email,
          auth_time: now,
        },
        TOKEN_TTL_SECONDS,
      ),
      ...(withRefresh
        ? { refresh_token: await sign({ token_use: 'refresh', email: person.email }, REFRESH_TTL_SECONDS) }
        : {}),
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_SECONDS,
    };
  }

  private logout(params: URLSearchParams): LocalResponse {
    if (params.get('client_id') !== this.clientId || params.get('logout_uri') !== this.options.consoleUrl) {
      return this.page(
        400,
        '<h1>Sign-out request refused</h1><p class="error">Unknown client_id or logout_uri.</p>',
      );
    }
    return {
      status: 302,
      headers: { location: this.options.consoleUrl, 'cache-control': 'no-store' },
      body: '',
    };
  }
}
