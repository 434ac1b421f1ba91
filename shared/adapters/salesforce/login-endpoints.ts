import type { LoginKind, SalesforceLogin } from '../../domain/salesforce-login';

/**
 * Turns a site's login choice into the URL jsforce sends authorize, token and revoke requests
 * to. In AWS that is the login host itself. Locally every choice is mapped to the Salesforce
 * sandbox (SALESFORCE_LOGIN_ENDPOINTS), so nothing leaves 127.0.0.1; `{host}` in a mapping
 * stands for the login's host name, which lets the sandbox tell the three apart.
 */
export class LoginEndpoints {
  constructor(
    private readonly options: {
      /** Local mode: where each kind of login is served instead. */
      overrides?: Partial<Record<LoginKind, string>> | undefined;
      /** Connections stored before the choice was per site signed in here (SALESFORCE_LOGIN_URL). */
      legacyUrl: string;
    },
  ) {}

  url(login: SalesforceLogin | undefined): string {
    if (!login) return this.options.legacyUrl;
    const override = this.options.overrides?.[login.kind];
    if (!override) return login.url;
    return override.replaceAll('{host}', new URL(login.url).hostname);
  }
}
