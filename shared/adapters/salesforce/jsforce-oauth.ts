import { OAuth2 } from 'jsforce/core';
import { AuthorizationRefusedError, SalesforceApiError } from '../../domain/errors';
import type { SalesforceLogin } from '../../domain/salesforce-login';
import type { SalesforceOAuth, TokenGrant } from '../../ports/salesforce';
import type { LoginEndpoints } from './login-endpoints';

/** The app's credentials: the consumer key, and its secret (from Secrets Manager in AWS). */
export interface SalesforceAppConfig {
  clientId: string;
  clientSecret: string;
}

/**
 * The web-server flow through jsforce's OAuth2 client, against the site's chosen login host.
 * PKCE's verifier is ours (kept server-side between the redirect and the callback), not
 * jsforce's in-memory one, because the two requests may reach different Lambda instances.
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm
 */
export class JsforceOAuth implements SalesforceOAuth {
  constructor(
    private readonly options: {
      clientId: string;
      /** Needed only for the token exchange and revocation, so it is read only then. */
      app: () => Promise<SalesforceAppConfig>;
      logins: LoginEndpoints;
    },
  ) {}

  private async client(login: SalesforceLogin | undefined, redirectUri?: string): Promise<OAuth2> {
    return new OAuth2({
      ...(await this.options.app()),
      loginUrl: this.options.logins.url(login),
      ...(redirectUri ? { redirectUri } : {}),
    });
  }

  authorizationUrl(input: {
    state: string;
    codeChallenge: string;
    redirectUri: string;
    login: SalesforceLogin;
  }): string {
    return new OAuth2({
      clientId: this.options.clientId,
      loginUrl: this.options.logins.url(input.login),
      redirectUri: input.redirectUri,
    }).getAuthorizationUrl({
      state: input.state,
      code_challenge: input.codeChallenge,
      code_challenge_method: 'S256',
      // refresh_token and offline_access name the same scope; an app may list either.
      scope: 'api refresh_token offline_access',
    });
  }

  async exchangeCode(input: {
    code: string;
    codeVerifier: string;
    redirectUri: string;
    login: SalesforceLogin;
  }): Promise<TokenGrant> {
    try {
      const client = await this.client(input.login, input.redirectUri);
      const token = await client.requestToken(input.code, { code_verifier: input.codeVerifier });
      if (!token.refresh_token) {
        throw new SalesforceApiError(
          'Salesforce granted no refresh token: allow the "refresh_token" scope in the connected app',
          'NO_REFRESH_TOKEN',
          undefined,
        );
      }
      // The identity URL ends in /id/<organizationId>/<userId>.
      const [organizationId = '', userId = ''] = new URL(token.id).pathname.split('/').slice(-2);
      return {
        accessToken: token.access_token,
        refreshToken: token.refresh_token,
        instanceUrl: token.instance_url,
        organizationId,
        userId,
      };
    } catch (error) {
      if (error instanceof SalesforceApiError) throw error;
      // jsforce raises the token endpoint's {"error","error_description"} as an Error whose
      // name is the code and whose message is the description.
      const { name, message } = error as Error;
      if (name && name !== 'Error' && /^[A-Za-z_-]+$/.test(name)) {
        throw new AuthorizationRefusedError(name, message || undefined, { cause: error });
      }
      throw new SalesforceApiError(
        `Exchanging the authorization code failed: ${message}`,
        'OAUTH_ERROR',
        undefined,
        {
          cause: error,
        },
      );
    }
  }

  async username(grant: TokenGrant): Promise<string> {
    const response = await fetch(`${grant.instanceUrl}/services/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${grant.accessToken}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      throw new SalesforceApiError(
        `userinfo answered ${response.status}`,
        'USERINFO_FAILED',
        response.status,
      );
    }
    const info = (await response.json()) as { preferred_username?: string; username?: string };
    return info.preferred_username ?? info.username ?? '';
  }

  async revoke(refreshToken: string, login: SalesforceLogin | undefined): Promise<void> {
    await (await this.client(login)).revokeToken(refreshToken);
  }
}
