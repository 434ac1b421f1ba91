import type { SalesforceSandbox } from '@quote-sync/salesforce-sandbox';
import { startTestSandbox } from '@quote-sync/salesforce-sandbox/testing';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { DynamoDbUserRepository } from '../../../shared/adapters/dynamodb/dynamodb-site-records';
import { issueSiteClaims } from '../../../shared/use-cases/issue-site-claims';
import { loadAdminApi, PUBLIC_BASE_URL } from '../../support/admin-api';
import { lambdaContext, loadHandler } from '../../support/api-gateway';
import { createTable, documents } from '../../support/aws';
import { settingsAtStage } from '../../support/site-settings';

/**
 * Roles per site: admins set the integration up, users work on quotes, operators create sites.
 * Identities arrive as the JWT authorizer's claims (the `sites` claim carries the role per
 * site), or as the local operator token.
 */
let sandbox: SalesforceSandbox;
let api: ReturnType<typeof loadAdminApi>;
let tableName: string;

const as = (sites: string) => ({ token: null, claims: { sub: 'person-1', name: 'Pat Person', sites } });
const user = as('acme:user');
const acmeAdmin = as('acme:admin');

const settings = settingsAtStage();

beforeAll(async () => {
  sandbox = await startTestSandbox();
  tableName = await createTable();
  api = loadAdminApi({
    tableName,
    sandbox,
    env: {
      SIGN_IN_PROVIDER: 'local',
      SIGN_IN_URL: `${PUBLIC_BASE_URL}/auth/local`,
      SIGN_IN_CLIENT_ID: 'console',
    },
  });
  for (const [siteId, name] of [
    ['acme', 'Acme'],
    ['globex', 'Globex'],
  ]) {
    expect((await api.request('PUT', `/sites/${siteId}`, { body: { name } })).statusCode).toBe(201);
  }
  const people = [
    ['acme', { userId: 'ada', name: 'Ada Admin', email: 'Ada@Example.com', role: 'admin' }],
    ['acme', { userId: 'uma', name: 'Uma User', email: 'uma@example.com', role: 'user' }],
    ['acme', { userId: 'owen', name: 'Owen Owner', email: 'owen@example.com' }],
    ['globex', { userId: 'uma-g', name: 'Uma User', email: 'UMA@example.com', role: 'admin' }],
  ] as const;
  for (const [siteId, body] of people) {
    expect((await api.request('POST', `/sites/${siteId}/users`, { body })).statusCode).toBe(201);
  }
}, 30_000);

afterAll(async () => {
  await sandbox.stop();
});

describe('GET /me', () => {
  test('answers the caller, with each site of the token that exists, its role and push-back', async () => {
    const me = await api.request('GET', '/me', as('globex:admin acme:user gone:user'));
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      subject: 'person-1',
      name: 'Pat Person',
      operator: false,
      sites: [
        { siteId: 'acme', name: 'Acme', role: 'user', pushBack: false },
        { siteId: 'globex', name: 'Globex', role: 'admin', pushBack: false },
      ],
    });
  });

  test('lists every site for an operator', async () => {
    const me = await api.request('GET', '/me');
    expect(me.json()).toMatchObject({
      subject: 'local-operator',
      operator: true,
      sites: [
        { siteId: 'acme', role: 'admin' },
        { siteId: 'globex', role: 'admin' },
      ],
    });
  });

  test('needs a signed-in caller; the sign-in configuration does not', async () => {
    expect((await api.request('GET', '/me', { token: null })).statusCode).toBe(401);
    const config = await api.request('GET', '/auth/config', { token: null });
    expect(config.statusCode).toBe(200);
    expect(config.json()).toEqual({
      provider: 'local',
      authorizeUrl: `${PUBLIC_BASE_URL}/auth/local/oauth2/authorize`,
      tokenUrl: `${PUBLIC_BASE_URL}/auth/local/oauth2/token`,
      logoutUrl: `${PUBLIC_BASE_URL}/auth/local/logout`,
      clientId: 'console',
      scopes: ['openid', 'email', 'profile'],
      redirectUri: `${PUBLIC_BASE_URL}/`,
      logoutUri: `${PUBLIC_BASE_URL}/`,
    });
  });
});

describe('a user of the site', () => {
  test('reads the site, its users, quotes and status, without the secret outbound-message URL', async () => {
    for (const path of [
      '/sites/acme',
      '/sites/acme/users',
      '/sites/acme/quotes',
      '/sites/acme/salesforce/log',
    ]) {
      expect({ path, status: (await api.request('GET', path, user)).statusCode }).toEqual({
        path,
        status: 200,
      });
    }
    const status = await api.request('GET', '/sites/acme/salesforce', user);
    expect(status.statusCode).toBe(200);
    expect(status.json().outboundMessageUrl).toBeUndefined();
    const forAdmin = await api.request('GET', '/sites/acme/salesforce', acmeAdmin);
    expect(forAdmin.json().outboundMessageUrl).toMatch(/\/salesforce\/outbound\/acme\//);
  });

  test.each([
    ['PUT', '/sites/acme/salesforce/settings', settings],
    ['GET', '/sites/acme/salesforce/connect', undefined],
    ['POST', '/sites/acme/salesforce/disconnect', undefined],
    ['POST', '/sites/acme/salesforce/deploy', undefined],
    ['POST', '/sites/acme/salesforce/rotate-secret', undefined],
    ['POST', '/sites/acme/salesforce/sync', undefined],
    ['POST', '/sites/acme/users', { name: 'New One', email: 'new@example.com', role: 'admin' }],
    ['PUT', '/sites/acme', { name: 'Renamed' }],
  ])('is refused %s %s with 403 admin-role-required', async (method, path, body) => {
    const response = await api.request(method, path, { ...user, ...(body ? { body } : {}) });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({
      reason: 'admin-role-required',
      detail: 'Only an admin of site acme may do this; you are one of its users',
    });
  });

  test('may not use Send to Salesforce while push-back is off (403); an admin is told to enable it (409)', async () => {
    const path = '/sites/acme/quotes/q-1/send-to-salesforce';
    const refused = await api.request('POST', path, user);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ reason: 'push-back-disabled' });
    expect(refused.json().detail).toMatch(/only an admin can enable "Sync quoted sum back to Salesforce"/);
    const admin = await api.request('POST', path, acmeAdmin);
    expect(admin.statusCode).toBe(409);
  });
});

describe('another site', () => {
  test('refuses a person of site A on site B with 403 not-a-member, on reads and on admin routes', async () => {
    const globexAdmin = as('globex:admin');
    for (const [method, path] of [
      ['GET', '/sites/acme'],
      ['GET', '/sites/acme/quotes'],
      ['PUT', '/sites/acme/salesforce/settings'],
      ['GET', '/sites/unknown-site'],
    ] as const) {
      const response = await api.request(method, path, {
        ...globexAdmin,
        ...(method === 'PUT' ? { body: settings } : {}),
      });
      expect({ path, status: response.statusCode, reason: response.json().reason }).toEqual({
        path,
        status: 403,
        reason: 'not-a-member',
      });
    }
  });
});

describe('sites', () => {
  test('only an operator creates one; its admin renames it', async () => {
    const create = await api.request('PUT', '/sites/newco', { ...as('newco:admin'), body: { name: 'New' } });
    expect(create.statusCode).toBe(403);
    expect(create.json()).toMatchObject({ reason: 'operator-required' });
    const rename = await api.request('PUT', '/sites/acme', { ...acmeAdmin, body: { name: 'Acme Ltd' } });
    expect(rename.statusCode).toBe(200);
    expect(rename.json().name).toBe('Acme Ltd');
  });
});

describe('the sites claim of a sign-in', () => {
  const users = () => new DynamoDbUserRepository(documents, tableName);

  test('carries the role of every site where the verified e-mail address has one', async () => {
    expect(
      await issueSiteClaims({ users: users() }, { email: 'uma@EXAMPLE.com', emailVerified: true }),
    ).toEqual({
      sites: 'acme:user globex:admin',
    });
    expect(
      await issueSiteClaims({ users: users() }, { email: 'ada@example.com', emailVerified: true }),
    ).toEqual({
      sites: 'acme:admin',
    });
  });

  test('is empty for an unverified address, a user without a role, and a stranger', async () => {
    for (const person of [
      { email: 'ada@example.com', emailVerified: false },
      { email: 'owen@example.com', emailVerified: true },
      { email: 'nobody@example.com', emailVerified: true },
      { emailVerified: true },
    ]) {
      expect(await issueSiteClaims({ users: users() }, person)).toEqual({ sites: '' });
    }
  });

  test("is set in both tokens by Cognito's pre-token-generation trigger, with a display name", async () => {
    const { handler } = loadHandler<{
      handler: (
        event: PreTokenGenerationV2TriggerEvent,
        context: unknown,
      ) => Promise<PreTokenGenerationV2TriggerEvent>;
    }>('lambdas/add-site-claims/handler', { TABLE_NAME: tableName, POWERTOOLS_LOG_LEVEL: 'SILENT' });
    const event = (attributes: Record<string, string>, triggerSource = 'TokenGeneration_HostedAuth') =>
      ({
        version: '2',
        triggerSource,
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_pool',
        userName: 'a1b2c3',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client' },
        request: {
          userAttributes: attributes,
          groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] },
        },
        response: { claimsAndScopeOverrideDetails: {} },
      }) as unknown as PreTokenGenerationV2TriggerEvent;
    const answered = await handler(
      event({ sub: 'a1b2c3', email: 'uma@example.com', email_verified: 'true', name: 'Uma User' }),
      lambdaContext,
    );
    const claims = { sites: 'acme:user globex:admin', display_name: 'Uma User' };
    expect(answered.response.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: { claimsToAddOrOverride: claims },
      accessTokenGeneration: { claimsToAddOrOverride: claims },
    });
    const unverified = await handler(
      event({ sub: 'x', email: 'uma@example.com', email_verified: 'false' }, 'TokenGeneration_RefreshTokens'),
      lambdaContext,
    );
    expect(
      unverified.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride,
    ).toEqual({
      sites: '',
      display_name: 'uma@example.com',
    });
  });

  test('follows a role taken away: the user keeps owning items but signs in to nothing', async () => {
    await api.request('POST', '/sites/acme/users', {
      body: { userId: 'ada', name: 'Ada Admin', email: 'ada@example.com' },
    });
    expect(
      await issueSiteClaims({ users: users() }, { email: 'ada@example.com', emailVerified: true }),
    ).toEqual({
      sites: '',
    });
    const listed = await api.request('GET', '/sites/acme/users');
    expect(listed.json().users).toContainEqual(expect.objectContaining({ userId: 'uma', role: 'user' }));
    expect(listed.json().users).toContainEqual(expect.not.objectContaining({ role: expect.anything() }));
  });
});

describe('Connect to Salesforce from a page', () => {
  test('answers the authorize URL as JSON when asked for JSON, and redirects otherwise', async () => {
    const json = await api.request('GET', '/sites/acme/salesforce/connect', {
      headers: { accept: 'application/json' },
    });
    expect(json.statusCode).toBe(200);
    expect(String(json.json().authorizeUrl)).toMatch(/\/services\/oauth2\/authorize\?/);
    const redirect = await api.request('GET', '/sites/acme/salesforce/connect');
    expect(redirect.statusCode).toBe(302);
    expect(String(redirect.headers?.location)).toMatch(/\/services\/oauth2\/authorize\?/);
  });
});
