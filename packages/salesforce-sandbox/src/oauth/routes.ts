import { json, type SandboxResponse } from '../http';
import type { OrgSettings } from '../org-settings';
import type { MemoryStore } from '../store';
import { type AuthService, OAuthError } from './auth-service';

/**
 * /services/oauth2/authorize, /token, /revoke, /userinfo and the identity URL.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
 */
export function handleOAuth(
  auth: AuthService,
  store: MemoryStore,
  org: OrgSettings,
  req: {
    method: string;
    path: string;
    query: URLSearchParams;
    form: URLSearchParams;
    bearer: string | undefined;
  },
): SandboxResponse {
  try {
    switch (req.path) {
      case '/services/oauth2/authorize':
        return authorize(auth, org, req.query);
      case '/services/oauth2/token': {
        if (req.method !== 'POST')
          return json(405, { error: 'invalid_request', error_description: 'must use HTTP POST' });
        const p = Object.fromEntries(req.form);
        switch (p.grant_type) {
          case 'authorization_code':
            return json(200, auth.exchangeCode(p));
          case 'refresh_token':
            return json(200, auth.refresh(p));
          case 'password':
            return json(200, auth.password(p));
          default:
            throw new OAuthError(400, 'unsupported_grant_type', 'grant type not supported');
        }
      }
      case '/services/oauth2/revoke': {
        const token = req.form.get('token') ?? req.query.get('token');
        if (!token || !auth.revoke(token)) throw new OAuthError(400, 'invalid_token', 'invalid token');
        return { status: 200, headers: {}, body: '' };
      }
      case '/services/oauth2/userinfo':
        return userInfo(auth, store, req.bearer);
      default:
        return json(404, { error: 'not_found', error_description: 'unknown OAuth endpoint' });
    }
  } catch (error) {
    if (error instanceof OAuthError) {
      return json(error.status, { error: error.error, error_description: error.description });
    }
    throw error;
  }
}

/**
 * The seeded admin approves at once: 302 to redirect_uri with code and state. An org set to
 * refuse (a blocked or uninstalled app, a user not approved for it) redirects with that error
 * instead, as Salesforce does after the login.
 */
function authorize(auth: AuthService, org: OrgSettings, q: URLSearchParams): SandboxResponse {
  const redirectUri = q.get('redirect_uri') ?? undefined;
  try {
    auth.checkAuthorizeRequest(q.get('client_id') ?? undefined, redirectUri);
  } catch (error) {
    // An unknown client or redirect_uri is never redirected to; Salesforce shows an error page.
    if (error instanceof OAuthError) {
      return {
        status: 400,
        headers: { 'Content-Type': 'text/plain' },
        body: `error=${error.error}&error_description=${error.description}`,
      };
    }
    throw error;
  }
  const target = new URL(redirectUri ?? '');
  const state = q.get('state');
  if (org.authorizeRefusal) {
    target.searchParams.set('error', org.authorizeRefusal.error);
    target.searchParams.set('error_description', org.authorizeRefusal.error_description);
  } else if (q.get('response_type') !== 'code') {
    target.searchParams.set('error', 'unsupported_response_type');
    target.searchParams.set('error_description', 'response type not supported');
  } else if (q.get('code_challenge_method') && q.get('code_challenge_method') !== 'S256') {
    target.searchParams.set('error', 'invalid_request');
    target.searchParams.set('error_description', 'invalid code challenge method');
  } else {
    const code = auth.issueCode({
      clientId: auth.app.clientId,
      redirectUri: redirectUri ?? '',
      codeChallenge: q.get('code_challenge') ?? undefined,
      userId: auth.defaultUser().userId,
    });
    target.searchParams.set('code', code);
  }
  if (state !== null) target.searchParams.set('state', state);
  return { status: 302, headers: { Location: target.toString() }, body: '' };
}

function userInfo(auth: AuthService, store: MemoryStore, bearer: string | undefined): SandboxResponse {
  const session = bearer ? auth.validateAccessToken(bearer) : undefined;
  const user = session ? store.get('User', session.userId) : undefined;
  if (!session || !user)
    return { status: 403, headers: { 'Content-Type': 'text/plain' }, body: 'Bad_OAuth_Token' };
  return json(200, {
    sub: auth.identityUrl(user.Id),
    user_id: user.Id,
    organization_id: store.organizationId,
    preferred_username: user.Username,
    nickname: user.Alias,
    name: user.Name,
    email: user.Email,
    email_verified: true,
    given_name: user.FirstName,
    family_name: user.LastName,
    zoneinfo: user.TimeZoneSidKey,
    locale: user.LocaleSidKey,
    language: user.LanguageLocaleKey,
    active: true,
    user_type: 'STANDARD',
    utcOffset: 0,
    updated_at: user.LastModifiedDate,
  });
}

/** GET /id/{orgId}/{userId}: the identity service, with Bearer or ?oauth_token=. */
export function handleIdentity(
  auth: AuthService,
  store: MemoryStore,
  baseUrl: string,
  orgId: string,
  userId: string,
  token: string | undefined,
): SandboxResponse {
  const session = token ? auth.validateAccessToken(token) : undefined;
  if (!session) return { status: 403, headers: { 'Content-Type': 'text/plain' }, body: 'Bad_OAuth_Token' };
  const user = store.get('User', userId);
  if (!user || orgId.slice(0, 15) !== store.organizationId.slice(0, 15)) {
    return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Bad_Id' };
  }
  const v = '{version}';
  const org15 = store.organizationId.slice(0, 15);
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  // Every key of Salesforce's identity document, with the values this org has (null where the
  // user record has none). https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm
  return json(200, {
    id: auth.identityUrl(user.Id),
    asserted_user: session.userId === user.Id,
    user_id: user.Id,
    organization_id: store.organizationId,
    username: user.Username,
    nick_name: user.Alias,
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName,
    last_name: user.LastName,
    timezone: user.TimeZoneSidKey,
    photos: {
      picture: `${baseUrl}/profilephoto/005/F`,
      thumbnail: `${baseUrl}/profilephoto/005/T`,
    },
    addr_street: text(user.Street),
    addr_city: text(user.City),
    addr_state: text(user.State),
    addr_country: text(user.Country),
    addr_zip: text(user.PostalCode),
    mobile_phone: text(user.MobilePhone),
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: {
      enterprise: `${baseUrl}/services/Soap/c/${v}/${org15}`,
      metadata: `${baseUrl}/services/Soap/m/${v}/${org15}`,
      partner: `${baseUrl}/services/Soap/u/${v}/${org15}`,
      rest: `${baseUrl}/services/data/v${v}/`,
      sobjects: `${baseUrl}/services/data/v${v}/sobjects/`,
      search: `${baseUrl}/services/data/v${v}/search/`,
      query: `${baseUrl}/services/data/v${v}/query/`,
      recent: `${baseUrl}/services/data/v${v}/recent/`,
      tooling_soap: `${baseUrl}/services/Soap/T/${v}/${org15}`,
      tooling_rest: `${baseUrl}/services/data/v${v}/tooling/`,
      profile: `${baseUrl}/${user.Id}`,
      feeds: `${baseUrl}/services/data/v${v}/chatter/feeds`,
      groups: `${baseUrl}/services/data/v${v}/chatter/groups`,
      users: `${baseUrl}/services/data/v${v}/chatter/users`,
      feed_items: `${baseUrl}/services/data/v${v}/chatter/feed-items`,
      feed_elements: `${baseUrl}/services/data/v${v}/chatter/feed-elements`,
      custom_domain: baseUrl,
    },
    active: user.IsActive,
    user_type: 'STANDARD',
    language: user.LanguageLocaleKey,
    locale: user.LocaleSidKey,
    utcOffset: 0,
    last_modified_date: user.LastModifiedDate,
    is_app_installed: true,
  });
}
