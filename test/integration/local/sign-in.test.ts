import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { consoleFiles } from '../../../local/console-files';
import { type Gateway, startHttpGateway } from '../../../local/http-gateway';
import { LocalSignIn, SIGN_IN_PATH } from '../../../local/sign-in';
import { securityHeaders } from '../../../shared/http/security-headers';

/**
 * The local sign-in (Cognito's managed-login endpoints, authorization code + PKCE) behind the
 * local gateway, which checks its tokens on authorized routes as API Gateway's JWT authorizer
 * checks Cognito's, and serves the console's files with the security headers.
 */
let gateway: Gateway;
let signIn: LocalSignIn;
const events: APIGatewayProxyEventV2[] = [];

/** What the gateway put in the last event's requestContext.authorizer. */
function lastAuthorizer() {
  const event = events.at(-1);
  if (!event) throw new Error('the route was not called');
  return (
    event.requestContext as { authorizer?: { jwt: { claims: Record<string, string>; scopes: string[] } } }
  ).authorizer;
}
const files = mkdtempSync(join(tmpdir(), 'console-dist-'));
let now = new Date('2026-12-01T10:00:00Z');

beforeAll(async () => {
  mkdirSync(join(files, 'assets'));
  writeFileSync(join(files, 'index.html'), '<!doctype html><title>Console</title>');
  writeFileSync(join(files, 'assets', 'app.js'), 'console.log(1)');
  const handler = () => async (event: APIGatewayProxyEventV2) => {
    events.push(event);
    return { statusCode: 200, body: '{}' };
  };
  gateway = await startHttpGateway({
    port: 0,
    routes: [
      { method: 'GET', path: '/me', handler, authorized: true },
      { method: 'GET', path: '/openapi.json', handler },
    ],
    verifyJwt: (token) => signIn.verify(token),
    mounts: [(request) => signIn.handle(request)],
    fallback: consoleFiles(files),
    responseHeaders: securityHeaders(),
  });
  signIn = new LocalSignIn({
    baseUrl: gateway.url,
    consoleUrl: `${gateway.url}/`,
    person: (email) =>
      email.toLowerCase() === 'uma@example.com'
        ? { email: 'uma@example.com', name: 'Uma User', password: 'uma-password' }
        : undefined,
    claims: async ({ email }) => ({ sites: email === 'uma@example.com' ? 'demo:user' : '' }),
    now: () => now,
  });
});

afterAll(() => gateway.stop());

const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');

function authorizeParams(overrides: Record<string, string> = {}) {
  return new URLSearchParams({
    response_type: 'code',
    client_id: signIn.clientId,
    redirect_uri: `${gateway.url}/`,
    state: 'state-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scope: 'openid email profile',
    ...overrides,
  });
}

async function signInAs(username: string, password: string) {
  return fetch(`${gateway.url}${SIGN_IN_PATH}/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...Object.fromEntries(authorizeParams()), username, password }),
  });
}

async function token(body: Record<string, string>) {
  return fetch(`${gateway.url}${SIGN_IN_PATH}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: signIn.clientId, ...body }),
  });
}

async function codeFor(username = 'uma@example.com', password = 'uma-password') {
  const response = await signInAs(username, password);
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(`${gateway.url}/`);
  expect(location.searchParams.get('state')).toBe('state-1');
  return location.searchParams.get('code') ?? '';
}

describe('the authorize page', () => {
  test('is a form without script, under the console policy', async () => {
    const page = await fetch(`${gateway.url}${SIGN_IN_PATH}/oauth2/authorize?${authorizeParams()}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'.*frame-ancestors 'none'/);
    const html = await page.text();
    expect(html).toContain('<label for="username">E-mail address</label>');
    expect(html).toContain(`value="${challenge}"`);
    expect(html).not.toMatch(/<script|style=/);
  });

  test('refuses another redirect URI, a missing PKCE challenge and an unknown client on the page', async () => {
    const refusals: Record<string, string>[] = [
      { redirect_uri: 'https://attacker.example/' },
      { code_challenge_method: 'plain' },
      { client_id: 'someone-else' },
    ];
    for (const overrides of refusals) {
      const page = await fetch(
        `${gateway.url}${SIGN_IN_PATH}/oauth2/authorize?${authorizeParams(overrides)}`,
        {
          redirect: 'manual',
        },
      );
      expect({ overrides, status: page.status }).toEqual({ overrides, status: 400 });
    }
  });

  test("answers a wrong password with Cognito's words, escaping what was typed", async () => {
    const wrong = await signInAs('<b>uma@example.com</b>', 'nope');
    expect(wrong.status).toBe(401);
    const html = await wrong.text();
    expect(html).toContain('Incorrect username or password.');
    expect(html).toContain('value="&lt;b&gt;uma@example.com&lt;/b&gt;"');
  });
});

describe('the token endpoint', () => {
  test('exchanges a code once, with the PKCE verifier, for tokens with the site claims; the gateway hands their claims on', async () => {
    const code = await codeFor();
    const wrongVerifier = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: `${gateway.url}/`,
      code_verifier: randomBytes(32).toString('base64url'),
    });
    expect(wrongVerifier.status).toBe(400);
    expect(await wrongVerifier.json()).toEqual({ error: 'invalid_grant' });
    // The failed attempt used the code up, as Cognito does.
    const code2 = await codeFor();
    const exchange = {
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: `${gateway.url}/`,
      code_verifier: verifier,
    };
    const tokens = await token(exchange);
    expect(tokens.status).toBe(200);
    const body = (await tokens.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect((await token(exchange)).status).toBe(400);

    events.length = 0;
    const me = await fetch(`${gateway.url}/me`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(me.status).toBe(200);
    const authorizer = lastAuthorizer();
    expect(authorizer?.jwt.claims).toMatchObject({
      sub: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4/),
      email: 'uma@example.com',
      name: 'Uma User',
      sites: 'demo:user',
      token_use: 'access',
      client_id: signIn.clientId,
    });
    expect(authorizer?.jwt.scopes).toEqual(['openid', 'email', 'profile']);

    // A refresh gives new tokens (and asks for the claims again); a refresh token is no access token.
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: String(body.refresh_token) });
    expect(refreshed.status).toBe(200);
    expect((await refreshed.json()) as Record<string, unknown>).not.toHaveProperty('refresh_token');
    const withRefresh = await fetch(`${gateway.url}/me`, {
      headers: { authorization: `Bearer ${body.refresh_token}` },
    });
    expect(withRefresh.status).toBe(401);
  });

  test('answers 401 Unauthorized, as API Gateway does, to a forged or expired token, and lets other bearers through', async () => {
    const code = await codeFor();
    const tokens = (await (
      await token({
        grant_type: 'authorization_code',
        code,
        redirect_uri: `${gateway.url}/`,
        code_verifier: verifier,
      })
    ).json()) as { access_token: string };
    const [header, payload] = tokens.access_token.split('.');
    const forged = `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
    const refused = await fetch(`${gateway.url}/me`, { headers: { authorization: `Bearer ${forged}` } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ message: 'Unauthorized' });
    now = new Date(now.getTime() + 2 * 3600_000);
    expect(
      (await fetch(`${gateway.url}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } }))
        .status,
    ).toBe(401);
    now = new Date('2026-12-01T10:00:00Z');
    events.length = 0;
    expect(
      (await fetch(`${gateway.url}/me`, { headers: { authorization: 'Bearer local-admin-token' } })).status,
    ).toBe(200);
    expect(lastAuthorizer()).toBeUndefined();
  });
});

describe('sign-out', () => {
  test('returns to the console; another logout_uri is refused', async () => {
    const out = await fetch(
      `${gateway.url}${SIGN_IN_PATH}/logout?client_id=${signIn.clientId}&logout_uri=${encodeURIComponent(`${gateway.url}/`)}`,
      { redirect: 'manual' },
    );
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe(`${gateway.url}/`);
    const elsewhere = await fetch(
      `${gateway.url}${SIGN_IN_PATH}/logout?client_id=${signIn.clientId}&logout_uri=https://attacker.example/`,
      { redirect: 'manual' },
    );
    expect(elsewhere.status).toBe(400);
  });
});

describe("the console's files", () => {
  test('are served at / with their content types and the security headers', async () => {
    const index = await fetch(`${gateway.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>Console</title>');
    for (const [name, value] of Object.entries(securityHeaders()))
      expect(index.headers.get(name)).toBe(value);
    const script = await fetch(`${gateway.url}/assets/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('never leave the build folder, and a missing file is a 404', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/missing.js', '/assets']) {
      const response = await fetch(`${gateway.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
  });

  test('leave the API routes to the API', async () => {
    events.length = 0;
    expect((await fetch(`${gateway.url}/openapi.json`)).status).toBe(200);
    expect(events).toHaveLength(1);
  });
});
