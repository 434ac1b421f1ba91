import { formatSitesClaim, type Identity, parseSitesClaim, requireRole } from '../../../shared/domain/access';
import { callerIdentity } from '../../../shared/http/admin-identity';
import { getSignInConfig } from '../../../shared/use-cases/get-sign-in-config';
import { httpApiEvent } from '../../support/api-gateway';

describe('the sites claim', () => {
  test('round-trips roles per site, sorted by site', () => {
    const roles = new Map([
      ['globex', 'user'],
      ['acme', 'admin'],
    ] as const);
    expect(formatSitesClaim(roles)).toBe('acme:admin globex:user');
    expect(parseSitesClaim('acme:admin globex:user')).toEqual(new Map(roles));
  });

  test("reads API Gateway's flattened arrays, arrays, and bare site ids as admin", () => {
    expect(parseSitesClaim('[acme:user globex]')).toEqual(
      new Map([
        ['acme', 'user'],
        ['globex', 'admin'],
      ]),
    );
    expect(parseSitesClaim(['acme:user'])).toEqual(new Map([['acme', 'user']]));
  });

  test('ignores unknown roles and keeps the stronger of two', () => {
    expect(parseSitesClaim('acme:owner globex:user globex:admin globex:user')).toEqual(
      new Map([['globex', 'admin']]),
    );
    expect(parseSitesClaim(undefined)).toEqual(new Map());
  });
});

describe('callerIdentity', () => {
  const withClaims = (claims: Record<string, string>) => {
    const event = httpApiEvent({ method: 'GET', path: '/me', routeKey: 'GET /me', headers: {} });
    Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes: [] } } });
    return event;
  };

  test("takes the role per site from a JWT, and operators from Cognito's groups", () => {
    expect(
      callerIdentity(withClaims({ sub: 's-1', email: 'a@example.com', sites: 'acme:user' }), undefined),
    ).toEqual({
      subject: 's-1',
      name: 'a@example.com',
      operator: false,
      roles: new Map([['acme', 'user']]),
    });
    expect(
      callerIdentity(withClaims({ sub: 's-2', 'cognito:groups': '[support operators]' }), undefined)
        ?.operator,
    ).toBe(true);
  });

  test('makes the local admin token an operator, refuses any other bearer, and finds no one without one', () => {
    const token = 'local-admin-token-0123456789';
    const bearer = (value: string) =>
      httpApiEvent({
        method: 'GET',
        path: '/me',
        routeKey: 'GET /me',
        headers: { authorization: `Bearer ${value}` },
      });
    expect(callerIdentity(bearer(token), token)).toMatchObject({ operator: true, subject: 'local-operator' });
    // A credential that is sent and wrong is refused, not taken for no credential.
    expect(() => callerIdentity(bearer(`${token}x`), token)).toThrow(/bearer token is not valid/);
    expect(() => callerIdentity(bearer(token), undefined)).toThrow(/bearer token is not valid/);
    const none = httpApiEvent({ method: 'GET', path: '/me', routeKey: 'GET /me', headers: {} });
    expect(callerIdentity(none, token)).toBeUndefined();
  });
});

describe('requireRole', () => {
  const person: Identity = { subject: 's', name: 'n', operator: false, roles: new Map([['acme', 'user']]) };

  test('tells a stranger from a user who lacks the admin role', () => {
    expect(() => requireRole(person, 'globex', 'user')).toThrow(
      expect.objectContaining({ reason: 'not-a-member' }),
    );
    expect(() => requireRole(person, 'acme', 'admin')).toThrow(
      expect.objectContaining({ reason: 'admin-role-required' }),
    );
    expect(requireRole(person, 'acme', 'user')).toBe('user');
    expect(requireRole({ ...person, operator: true }, 'globex', 'admin')).toBe('admin');
  });
});

describe('getSignInConfig', () => {
  test("names Cognito's managed-login endpoints under the user pool's domain", () => {
    expect(
      getSignInConfig({
        provider: 'cognito',
        url: 'https://quote-sync-dev.auth.eu-west-1.amazoncognito.com/',
        clientId: 'abc',
        consoleUrl: 'https://d111.cloudfront.net/',
      }),
    ).toMatchObject({
      authorizeUrl: 'https://quote-sync-dev.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
      tokenUrl: 'https://quote-sync-dev.auth.eu-west-1.amazoncognito.com/oauth2/token',
      logoutUrl: 'https://quote-sync-dev.auth.eu-west-1.amazoncognito.com/logout',
      redirectUri: 'https://d111.cloudfront.net/',
    });
  });

  test('is a 404 on a deployment without a sign-in', () => {
    expect(() => getSignInConfig({ provider: 'cognito', consoleUrl: 'http://x/' })).toThrow(
      /no console sign-in/,
    );
  });
});
