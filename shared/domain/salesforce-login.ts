import * as z from 'zod';

/**
 * Where a site's admin signs in to Salesforce, chosen at Connect and kept with the connection:
 * authorize, token, refresh and revoke all go to the same login host. A production org signs in
 * at login.salesforce.com, a sandbox org at test.salesforce.com, and any org at its My Domain.
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_endpoints.htm
 */
export const LOGIN_KINDS = ['production', 'sandbox', 'my-domain'] as const;
export type LoginKind = (typeof LOGIN_KINDS)[number];

export interface SalesforceLogin {
  kind: LoginKind;
  /** The login host's origin as Salesforce publishes it, e.g. https://login.salesforce.com. */
  url: string;
}

export const PRODUCTION_LOGIN: SalesforceLogin = { kind: 'production', url: 'https://login.salesforce.com' };
export const SANDBOX_LOGIN: SalesforceLogin = { kind: 'sandbox', url: 'https://test.salesforce.com' };

/**
 * My Domain hosts end in .my.salesforce.com: acme.my.salesforce.com for production,
 * acme--uat.sandbox.my.salesforce.com for a sandbox, acme-dev-ed.develop.my.salesforce.com for a
 * Developer Edition org. Each label is letters, digits and hyphens.
 * https://help.salesforce.com/s/articleView?id=sf.domain_name_url_formats.htm
 */
const MY_DOMAIN_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+my\.salesforce\.com$/;

/** The My Domain login for a URL an admin typed, or a message saying what is wrong with it. */
export function myDomainLogin(input: string): SalesforceLogin | string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return 'must be a URL such as https://acme.my.salesforce.com';
  }
  if (url.protocol !== 'https:') return 'must be an https:// URL';
  if (
    url.username ||
    url.password ||
    url.port ||
    url.search ||
    url.hash ||
    !['', '/'].includes(url.pathname)
  ) {
    return 'must be the My Domain host alone, such as https://acme.my.salesforce.com';
  }
  if (!MY_DOMAIN_HOST.test(url.hostname)) {
    return `${url.hostname} is not a My Domain host (…my.salesforce.com); find it in Setup → My Domain`;
  }
  return { kind: 'my-domain', url: `https://${url.hostname}` };
}

/** GET /sites/{siteId}/salesforce/connect?login=production|sandbox|my-domain[&myDomain=https://…]. */
export const connectQuerySchema = z.strictObject({
  login: z.enum(LOGIN_KINDS).default('production').meta({
    description: 'Where the admin signs in: login.salesforce.com, test.salesforce.com, or My Domain',
  }),
  myDomain: z
    .string()
    .max(255)
    .optional()
    .meta({ description: "With login=my-domain: the org's My Domain URL, https://<name>.my.salesforce.com" }),
});

/** The login a Connect asks for, or the issues (by query field) that keep it from being one. */
export function loginChoice(
  query: z.infer<typeof connectQuerySchema>,
): SalesforceLogin | Array<{ path: string; message: string }> {
  if (query.login !== 'my-domain') {
    if (query.myDomain !== undefined)
      return [{ path: 'myDomain', message: 'only goes with login=my-domain' }];
    return query.login === 'sandbox' ? SANDBOX_LOGIN : PRODUCTION_LOGIN;
  }
  if (query.myDomain === undefined) {
    return [
      {
        path: 'myDomain',
        message: "login=my-domain needs the org's My Domain URL, such as https://acme.my.salesforce.com",
      },
    ];
  }
  const login = myDomainLogin(query.myDomain);
  return typeof login === 'string' ? [{ path: 'myDomain', message: login }] : login;
}

export const salesforceLoginSchema = z.strictObject({
  kind: z.enum(LOGIN_KINDS),
  url: z.url(),
});
