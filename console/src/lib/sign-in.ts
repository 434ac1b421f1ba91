import type { SignInConfig } from '../api/types';
import type { Session } from './session';

/**
 * Sign-in with the OAuth 2.0 authorization code flow and PKCE (RFC 7636), the public-client flow
 * of Cognito's managed login and of the local sign-in alike: `GET /auth/config` says where. The
 * verifier and state wait in this tab's session storage for the redirect back.
 */
const PENDING_KEY = 'quote-sync.sign-in';

interface Pending {
  state: string;
  verifier: string;
  /** The page to come back to. */
  returnTo: string;
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function beginSignIn(config: SignInConfig, returnTo: string): Promise<void> {
  const pending: Pending = { state: randomToken(), verifier: randomToken(), returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pending.verifier))),
  );
  const url = new URL(config.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    state: pending.state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scope: config.scopes.join(' '),
  }).toString();
  location.assign(url.toString());
}

export class SignInError extends Error {
  override name = 'SignInError';
}

interface Tokens {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
}

async function tokenRequest(config: SignInConfig, form: Record<string, string>): Promise<Tokens> {
  let response: Response;
  try {
    response = await fetch(config.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: config.clientId, ...form }),
    });
  } catch (error) {
    throw new SignInError(
      `The sign-in service could not be reached (${error instanceof Error ? error.message : error})`,
    );
  }
  const body = (await response.json().catch(() => ({}))) as Partial<Tokens> & {
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !body.access_token)
    throw new SignInError(
      `Sign-in failed: ${body.error_description ?? body.error ?? `the token endpoint answered ${response.status}`}`,
    );
  return body as Tokens;
}

function sessionOf(tokens: Tokens, previous?: Session): Session {
  return {
    token: tokens.access_token,
    label: previous?.label ?? '',
    kind: 'oauth',
    expiresAt: Date.now() + tokens.expires_in * 1000,
    ...(tokens.refresh_token
      ? { refreshToken: tokens.refresh_token }
      : previous?.refreshToken
        ? { refreshToken: previous.refreshToken }
        : {}),
  };
}

/**
 * Completes a sign-in when the page is the redirect back (`?code=…&state=…`): checks the state,
 * exchanges the code with the verifier, and takes the code out of the address bar.
 */
export async function completeSignIn(
  config: SignInConfig,
  search: URLSearchParams,
): Promise<{ session: Session; returnTo: string } | undefined> {
  const code = search.get('code');
  const error = search.get('error');
  if (!code && !error) return undefined;
  const stored = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', location.pathname + location.hash);
  if (error) throw new SignInError(`Sign-in failed: ${search.get('error_description') ?? error}`);
  const pending = stored ? (JSON.parse(stored) as Pending) : undefined;
  if (!pending || pending.state !== search.get('state'))
    throw new SignInError('Sign-in failed: this answer belongs to no sign-in of this tab. Sign in again.');
  const tokens = await tokenRequest(config, {
    grant_type: 'authorization_code',
    code: code ?? '',
    redirect_uri: config.redirectUri,
    code_verifier: pending.verifier,
  });
  return { session: sessionOf(tokens), returnTo: pending.returnTo };
}

/** A fresh access token from the refresh token, before the old one expires. */
export async function refreshSession(config: SignInConfig, session: Session): Promise<Session> {
  if (!session.refreshToken) throw new SignInError('The session has ended.');
  return sessionOf(
    await tokenRequest(config, { grant_type: 'refresh_token', refresh_token: session.refreshToken }),
    session,
  );
}

/** Where the browser goes to end the sign-in provider's session too. */
export function signOutUrl(config: SignInConfig): string {
  const url = new URL(config.logoutUrl);
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: config.logoutUri }).toString();
  return url.toString();
}
