import { LoginEndpoints } from '../../../shared/adapters/salesforce/login-endpoints';
import { connectQuerySchema, loginChoice, myDomainLogin } from '../../../shared/domain/salesforce-login';

const choose = (query: Record<string, string>) => loginChoice(connectQuerySchema.parse(query));

describe('the login choice at Connect', () => {
  it('defaults to production and maps sandbox to test.salesforce.com', () => {
    expect(choose({})).toEqual({ kind: 'production', url: 'https://login.salesforce.com' });
    expect(choose({ login: 'sandbox' })).toEqual({
      kind: 'sandbox',
      url: 'https://test.salesforce.com',
    });
  });

  it('takes a My Domain host, production or sandbox, in its canonical form', () => {
    expect(choose({ login: 'my-domain', myDomain: 'https://Acme.my.salesforce.com/' })).toEqual({
      kind: 'my-domain',
      url: 'https://acme.my.salesforce.com',
    });
    expect(myDomainLogin('https://acme--uat.sandbox.my.salesforce.com')).toEqual({
      kind: 'my-domain',
      url: 'https://acme--uat.sandbox.my.salesforce.com',
    });
  });

  it.each([
    ['http://acme.my.salesforce.com', /https/],
    ['https://acme.salesforce.com', /not a My Domain host/],
    ['https://acme.my.salesforce.com.evil.example', /not a My Domain host/],
    ['https://evil.example/acme.my.salesforce.com', /host alone/],
    ['https://acme.my.salesforce.com:8443', /host alone/],
    ['https://user:pw@acme.my.salesforce.com', /host alone/],
    ['acme', /must be a URL/],
  ])('refuses %s, saying why', (input, message) => {
    expect(myDomainLogin(input)).toMatch(message);
  });

  it('names the field when the choice and the URL do not go together', () => {
    expect(choose({ login: 'my-domain' })).toEqual([
      { path: 'myDomain', message: expect.stringMatching(/My Domain URL/) },
    ]);
    expect(choose({ login: 'sandbox', myDomain: 'https://acme.my.salesforce.com' })).toEqual([
      { path: 'myDomain', message: 'only goes with login=my-domain' },
    ]);
    expect(choose({ login: 'my-domain', myDomain: 'https://acme.salesforce.com' })).toEqual([
      { path: 'myDomain', message: expect.stringMatching(/not a My Domain host/) },
    ]);
    expect(connectQuerySchema.safeParse({ login: 'staging' }).error?.issues[0]?.path).toEqual(['login']);
  });
});

describe('login endpoints', () => {
  it('signs in at the login host itself unless a local mapping stands in for it', () => {
    const aws = new LoginEndpoints({ legacyUrl: 'https://test.salesforce.com' });
    expect(aws.url({ kind: 'my-domain', url: 'https://acme.my.salesforce.com' })).toBe(
      'https://acme.my.salesforce.com',
    );
    // A connection from before the choice keeps the deployment's login URL.
    expect(aws.url(undefined)).toBe('https://test.salesforce.com');
    const local = new LoginEndpoints({
      legacyUrl: 'http://127.0.0.1:3001',
      overrides: {
        production: 'http://127.0.0.1:3001/_login/login.salesforce.com',
        sandbox: 'http://127.0.0.1:3001/_login/test.salesforce.com',
        'my-domain': 'http://127.0.0.1:3001/_login/{host}',
      },
    });
    expect(local.url({ kind: 'my-domain', url: 'https://acme.my.salesforce.com' })).toBe(
      'http://127.0.0.1:3001/_login/acme.my.salesforce.com',
    );
    expect(local.url({ kind: 'sandbox', url: 'https://test.salesforce.com' })).toBe(
      'http://127.0.0.1:3001/_login/test.salesforce.com',
    );
  });
});
