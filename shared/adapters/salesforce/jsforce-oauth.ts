import { OAuth2 } from 'jsforce';
import { SalesforceApiError } from '../../domain/errors';
import type { SalesforceOAuth, TokenGrant } from '../../ports/salesforce';

export interface SalesforceAppConfig {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
}

/**
 * The web-server flow through jsforce's OAuth2 client. PKCE's verifier is ours (kept
 * server-side between the redirect and the callback), not jsforce's in-memory one, because the
 * two requests may reach different Lambda instances.
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm
 */
export class JsforceOAuth implements SalesforceOAuth {
  constructor(private readonly app: SalesforceAppConfig) {}

  private client(redirectUri?: string): OAuth2 {
    return new OAuth2({ ...this.app, ...(redirectUri ? { redirectUri } : {}) });
  }

  authorizationUrl(input: { state: string; codeChallenge: string; redirectUri: string }): string {
    return this.client(input.redirectUri).getAuthorizationUrl({
      state: input.state,
      code_challenge: input.codeChallenge,
      code_challenge_method: 'S256',
      scope: 'api refresh_token',
    });
  }

  async exchangeCode(input: {
    code: string;
    codeVerifier: string;
    redirectUri: string;
  }): Promise<TokenGrant> {
    try {
      const token = await this.client(input.redirectUri).requestToken(input.code, {
        code_verifier: input.codeVerifier,
      });
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
      throw new SalesforceApiError(
        `Salesforce refused the authorization code: ${(error as Error).message}`,
        (error as { name?: string }).name ?? 'OAUTH_ERROR',
        undefined,
        { cause: error },
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

  async revoke(refreshToken: string): Promise<void> {
    await this.client().revokeToken(refreshToken);
  }
}
