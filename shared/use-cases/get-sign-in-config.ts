import { NotFoundError } from '../domain/errors';

export interface SignInSettings {
  provider: 'cognito' | 'local';
  /** Base URL of the OAuth endpoints: the user pool's domain, or the local sign-in. */
  url?: string | undefined;
  clientId?: string | undefined;
  /** The console's own URL, where sign-in and sign-out return. */
  consoleUrl: string;
}

/**
 * GET /auth/config: the console signs in with the authorization code flow and PKCE against
 * these endpoints. The local sign-in serves the paths of Cognito's managed login, so the
 * console has one sign-in for both.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html
 */
export function getSignInConfig(settings: SignInSettings) {
  if (!settings.url || !settings.clientId)
    throw new NotFoundError('This deployment has no console sign-in (SIGN_IN_URL and SIGN_IN_CLIENT_ID)');
  const base = settings.url.replace(/\/$/, '');
  return {
    provider: settings.provider,
    authorizeUrl: `${base}/oauth2/authorize`,
    tokenUrl: `${base}/oauth2/token`,
    logoutUrl: `${base}/logout`,
    clientId: settings.clientId,
    scopes: ['openid', 'email', 'profile'],
    redirectUri: settings.consoleUrl,
    logoutUri: settings.consoleUrl,
  };
}
