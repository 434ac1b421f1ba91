import { Connection, OAuth2 } from 'jsforce';
import type { SalesforceSandbox } from '../../../src/server';
import { API_VERSION, errorOf, http, startTestSandbox } from './sandbox-helpers';

const REDIRECT_URI = 'http://127.0.0.1:49152/oauth/callback';

function oauth2For(
  sandbox: SalesforceSandbox,
  overrides: { clientSecret?: string; redirectUri?: string } = {},
): OAuth2 {
  return new OAuth2({
    loginUrl: sandbox.loginUrl,
    clientId: sandbox.clientId,
    clientSecret: overrides.clientSecret ?? sandbox.clientSecret,
    redirectUri: overrides.redirectUri ?? REDIRECT_URI,
    useVerifier: true,
  });
}

/** Follows the authorize endpoint's redirect the way a browser would, without following it. */
async function authorize(oauth2: OAuth2, state: string): Promise<{ code: string; state: string | null }> {
  const response = await fetch(oauth2.getAuthorizationUrl({ state, scope: 'api refresh_token' }), {
    redirect: 'manual',
  });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return { code: location.searchParams.get('code') ?? '', state: location.searchParams.get('state') };
}

describe('sandbox OAuth 2.0 through jsforce', () => {
  let sandbox: SalesforceSandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ accessTokenTtlSeconds: 3600 });
  });
  afterAll(() => sandbox.stop());

  it('runs the web server flow with PKCE and returns Salesforce-shaped tokens', async () => {
    const oauth2 = oauth2For(sandbox);
    const { code, state } = await authorize(oauth2, 'site-123');
    expect(state).toBe('site-123');
    const tokens = await oauth2.requestToken(code);
    expect(tokens).toMatchObject({
      access_token: expect.stringMatching(/^00D[0-9A-Za-z]{12}!/),
      refresh_token: expect.any(String),
      instance_url: sandbox.url,
      id: `${sandbox.url}/id/${sandbox.organizationId}/${sandbox.adminUserId}`,
      token_type: 'Bearer',
      issued_at: expect.stringMatching(/^\d+$/),
      signature: expect.any(String),
    });

    const reused = await errorOf(oauth2.requestToken(code));
    expect(reused.name).toBe('invalid_grant');
  });

  it('rejects a wrong code verifier, redirect_uri or client secret', async () => {
    const { code } = await authorize(oauth2For(sandbox), 's');
    const otherVerifier = await errorOf(oauth2For(sandbox).requestToken(code));
    expect(otherVerifier).toMatchObject({ name: 'invalid_grant', message: 'invalid code verifier' });

    const first = oauth2For(sandbox);
    const second = await authorize(first, 's');
    const elsewhere = oauth2For(sandbox, { redirectUri: 'http://127.0.0.1:49152/elsewhere' });
    elsewhere.codeVerifier = first.codeVerifier;
    const wrongRedirect = await errorOf(elsewhere.requestToken(second.code));
    expect(wrongRedirect.name).toBe('redirect_uri_mismatch');

    const third = oauth2For(sandbox);
    const { code: code3 } = await authorize(third, 's');
    third.clientSecret = 'wrong';
    const badSecret = await errorOf(third.requestToken(code3));
    expect(badSecret.name).toBe('invalid_client');

    const foreignRedirect = await fetch(
      oauth2For(sandbox, { redirectUri: 'https://attacker.example/cb' }).getAuthorizationUrl({ state: 's' }),
      { redirect: 'manual' },
    );
    expect(foreignRedirect.status).toBe(400);
  });

  it('refreshes on 401 after the access token expires, and identifies the user', async () => {
    const oauth2 = oauth2For(sandbox);
    const { code } = await authorize(oauth2, 's');
    const conn = new Connection({ oauth2, version: API_VERSION });
    const userInfo = await conn.authorize(code);
    expect(userInfo).toMatchObject({ id: sandbox.adminUserId, organizationId: sandbox.organizationId });
    const identity = await conn.identity();
    expect(identity).toMatchObject({
      user_id: sandbox.adminUserId,
      organization_id: sandbox.organizationId,
      username: sandbox.username,
    });

    const refreshed: string[] = [];
    conn.on('refresh', (accessToken: string) => refreshed.push(accessToken));
    const firstToken = conn.accessToken;
    sandbox.advanceTime(3601_000);
    const expired = await http(sandbox, '/services/data/v62.0/limits', { token: firstToken ?? '' });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);

    const result = await conn.query('SELECT Id FROM Account');
    expect(result.totalSize).toBeGreaterThan(0);
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).not.toBe(firstToken);
  });

  it('rotates refresh tokens when switched on (jsforce leaves storing the new one to the app)', async () => {
    sandbox.auth.rotateRefreshTokens = true;
    try {
      const oauth2 = oauth2For(sandbox);
      const { code } = await authorize(oauth2, 's');
      const conn = new Connection({ oauth2, version: API_VERSION });
      await conn.authorize(code);
      const original = conn.refreshToken ?? '';
      // What the product must do: keep the rotated refresh token jsforce hands to 'refresh' listeners.
      conn.on('refresh', (_token: string, res: { refresh_token?: string }) => {
        if (res.refresh_token) conn.refreshToken = res.refresh_token;
      });
      sandbox.expireAccessTokens();
      await conn.query('SELECT Id FROM Account LIMIT 1');
      expect(conn.refreshToken).not.toBe(original);
      const stale = await errorOf(oauth2.refreshToken(original));
      expect(stale).toMatchObject({ name: 'invalid_grant', message: 'expired access/refresh token' });
      sandbox.expireAccessTokens();
      await expect(conn.query('SELECT Id FROM Account LIMIT 1')).resolves.toMatchObject({ done: true });
    } finally {
      sandbox.auth.rotateRefreshTokens = false;
    }
  });

  it('revokes refresh tokens', async () => {
    const oauth2 = oauth2For(sandbox);
    const { code } = await authorize(oauth2, 's');
    const tokens = await oauth2.requestToken(code);
    await oauth2.revokeToken(tokens.refresh_token ?? '');
    const afterRevoke = await errorOf(oauth2.refreshToken(tokens.refresh_token ?? ''));
    expect(afterRevoke.name).toBe('invalid_grant');
    const accessAfterRevoke = await http(sandbox, '/services/data/v62.0/limits', {
      token: tokens.access_token,
    });
    expect(accessAfterRevoke.status).toBe(401);
  });

  it('logs in with the password flow and serves userinfo', async () => {
    const conn = new Connection({
      loginUrl: sandbox.loginUrl,
      version: API_VERSION,
      oauth2: { loginUrl: sandbox.loginUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
    });
    await conn.login(sandbox.username, sandbox.password);
    const info = await http(sandbox, '/services/oauth2/userinfo', { token: conn.accessToken ?? '' });
    expect(info.body).toMatchObject({
      user_id: sandbox.adminUserId,
      organization_id: sandbox.organizationId,
    });

    const wrong = new Connection({
      loginUrl: sandbox.loginUrl,
      oauth2: { loginUrl: sandbox.loginUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
    });
    const failure = await errorOf(wrong.login(sandbox.username, 'not-the-password'));
    expect(failure).toMatchObject({ name: 'invalid_grant', message: 'authentication failure' });
  });
});
