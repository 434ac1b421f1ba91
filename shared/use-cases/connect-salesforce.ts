import { createHash, randomBytes } from 'node:crypto';
import { type AuthorizationRefusal, explainAuthorizationRefusal } from '../domain/authorization-refusals';
import { AuthorizationRefusedError, OAuthStateError } from '../domain/errors';
import type { OrgAssessment } from '../domain/org-editions';
import { type SetupStatus, setupStatus } from '../domain/salesforce-connection';
import { PRODUCTION_LOGIN, type SalesforceLogin } from '../domain/salesforce-login';
import { DEFAULT_SETTINGS } from '../domain/settings';
import { AUDIT_MESSAGE, type AuditFields } from '../ports/logger';
import type { SalesforceOAuth, SalesforceOrgs, TokenGrant } from '../ports/salesforce';
import type { SecretCipher } from '../ports/secrets';
import type { ConnectRefusalRepository, OAuthStateRepository } from '../ports/site-records';
import { checkSalesforceOrg } from './check-salesforce-org';
import { type DeploySetupDeps, deploySalesforceSetup } from './deploy-salesforce-setup';
import { requireSite } from './require-site';

/** How long an admin has between the redirect to Salesforce and the callback. */
export const AUTHORIZATION_TTL_SECONDS = 600;
/** How long the console shows Salesforce's refusal of a Connect, unless a Connect succeeds first. */
export const CONNECT_REFUSAL_TTL_SECONDS = 7 * 24 * 3600;

export interface ConnectDeps extends DeploySetupDeps {
  oauth: SalesforceOAuth;
  oauthStates: OAuthStateRepository;
  /** The latest refusal, which the Salesforce page shows after the callback sent the browser there. */
  connectRefusals: ConnectRefusalRepository;
  cipher: SecretCipher;
  orgs: SalesforceOrgs;
  /** The registered callback URL: GET {PUBLIC_BASE_URL}/salesforce/oauth/callback. */
  redirectUri: string;
}

/**
 * GET /sites/{siteId}/salesforce/connect: the URL to send the admin to. State and the PKCE
 * verifier are kept in the table with a short expiry, since the callback may reach another
 * Lambda instance. The state names the site so that its record stays under the site's key.
 */
export async function startSalesforceConnect(
  deps: ConnectDeps,
  siteId: string,
  login: SalesforceLogin = PRODUCTION_LOGIN,
): Promise<string> {
  await requireSite(deps.sites, siteId);
  const nonce = randomBytes(24).toString('base64url');
  const codeVerifier = randomBytes(64).toString('base64url');
  await deps.oauthStates.put({
    siteId,
    nonce,
    codeVerifier,
    redirectUri: deps.redirectUri,
    login,
    expiresAt: Math.floor(deps.now().getTime() / 1000) + AUTHORIZATION_TTL_SECONDS,
  });
  return deps.oauth.authorizationUrl({
    state: `${siteId}.${nonce}`,
    codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    redirectUri: deps.redirectUri,
    login,
  });
}

export interface CallbackInput {
  state?: string | undefined;
  code?: string | undefined;
  error?: string | undefined;
  errorDescription?: string | undefined;
}

/**
 * GET /salesforce/oauth/callback: checks the state (once, unexpired), exchanges the code with
 * the PKCE verifier, stores the connection with the refresh token encrypted, then deploys the
 * Salesforce setup. A failed deploy leaves the connection in place, with the error in the setup
 * state.
 */
/** The callback's answer: connected (with what was deployed), or Salesforce's refusal explained. */
export type ConnectOutcome =
  | {
      connected: true;
      siteId: string;
      organizationId: string;
      /** What the org is and whether it can run the integration. */
      org?: OrgAssessment & { checkedAt: string };
      setup: SetupStatus;
    }
  | { connected: false; siteId: string; refusal: AuthorizationRefusal };

export async function completeSalesforceConnect(
  deps: ConnectDeps,
  input: CallbackInput,
): Promise<ConnectOutcome> {
  const [siteId = '', nonce = ''] = (input.state ?? '').split('.');
  const pending = siteId && nonce ? await deps.oauthStates.take(siteId, nonce) : undefined;
  if (!pending || pending.expiresAt * 1000 < deps.now().getTime()) {
    throw new OAuthStateError(
      'This sign-in link is unknown, expired or already used; start the connection again',
    );
  }
  const refused = async (error: string, description: string | undefined): Promise<ConnectOutcome> => {
    deps.logger.info('Salesforce refused the connection', { siteId, error, description });
    const refusal = explainAuthorizationRefusal(error, description, { redirectUri: pending.redirectUri });
    const now = deps.now();
    await deps.connectRefusals.put({
      siteId,
      at: now.toISOString(),
      refusal,
      expiresAt: Math.floor(now.getTime() / 1000) + CONNECT_REFUSAL_TTL_SECONDS,
    });
    return { connected: false, siteId, refusal };
  };
  if (input.error) return refused(input.error, input.errorDescription);
  if (!input.code) throw new OAuthStateError('The callback carries no authorization code');

  let grant: TokenGrant;
  try {
    grant = await deps.oauth.exchangeCode({
      code: input.code,
      codeVerifier: pending.codeVerifier,
      redirectUri: pending.redirectUri,
      login: pending.login,
    });
  } catch (error) {
    if (error instanceof AuthorizationRefusedError) return refused(error.error, error.description);
    throw error;
  }
  const username = await deps.oauth.username(grant);
  await deps.connectRefusals.delete(siteId);
  const now = deps.now().toISOString();
  const previous = await deps.connections.get(siteId);
  await deps.connections.put({
    siteId,
    organizationId: grant.organizationId,
    instanceUrl: grant.instanceUrl,
    userId: grant.userId,
    username,
    login: pending.login,
    status: 'connected',
    refreshToken: await deps.cipher.encrypt(grant.refreshToken, siteId),
    tokenVersion: (previous?.tokenVersion ?? 0) + 1,
    connectedAt: now,
    updatedAt: now,
  });
  deps.orgs.forget(siteId);
  // The callback carries no admin identity: the Salesforce user who approved is the actor.
  deps.logger.info(AUDIT_MESSAGE, {
    siteId,
    organizationId: grant.organizationId,
    ...(previous && previous.organizationId !== grant.organizationId
      ? { previousOrganizationId: previous.organizationId }
      : {}),
    audit: {
      actor: `salesforce:${username}`,
      action: 'completeSalesforceConnect',
      status: 200,
    } satisfies AuditFields,
  });
  const site = await requireSite(deps.sites, siteId);
  await deps.sites.put({
    ...site,
    salesforce: { organizationId: grant.organizationId, instanceUrl: grant.instanceUrl, connectedAt: now },
    updatedAt: now,
  });

  // Another org means nothing deployed there yet.
  const existing = await deps.settings.get(siteId);
  const sameOrg = previous?.organizationId === grant.organizationId;
  const record = {
    siteId,
    settings: existing?.settings ?? DEFAULT_SETTINGS,
    setup: sameOrg && existing ? existing.setup : {},
    updatedAt: now,
  };
  await deps.settings.put(record);
  // An org that cannot run the integration says so now, by edition, not with a deploy error.
  const org = await checkSalesforceOrg(deps, siteId);
  // A (re)connection deploys everything anew: what the org holds may no longer be what was
  // last deployed there (removed by an admin, or a sandbox org refreshed).
  const setup = record.settings.opportunityToQuote.stage
    ? await deploySalesforceSetup(deps, record, { force: true })
    : record.setup;
  return {
    connected: true,
    siteId,
    organizationId: grant.organizationId,
    ...(org ? { org } : {}),
    setup: setupStatus(setup),
  };
}

/**
 * POST /sites/{siteId}/salesforce/disconnect: removes the flow and the outbound message from
 * the org, revokes the refresh token and forgets the connection.
 */
export async function disconnectSalesforce(
  deps: ConnectDeps,
  siteId: string,
): Promise<{ removed: boolean; revoked: boolean }> {
  const site = await requireSite(deps.sites, siteId);
  const connection = await deps.connections.get(siteId);
  let removed = false;
  let revoked = false;
  if (connection) {
    const org = await deps.orgs.forSite(siteId);
    await org.removeSetup();
    removed = true;
    await deps.oauth.revoke(await deps.cipher.decrypt(connection.refreshToken, siteId), connection.login);
    revoked = true;
    await deps.connections.delete(siteId);
    deps.orgs.forget(siteId);
  }
  const { salesforce: _dropped, ...rest } = site;
  await deps.sites.put({ ...rest, updatedAt: deps.now().toISOString() });
  const settings = await deps.settings.get(siteId);
  if (settings) await deps.settings.put({ ...settings, setup: {}, updatedAt: deps.now().toISOString() });
  deps.logger.info('Salesforce disconnected', {
    siteId,
    ...(connection ? { organizationId: connection.organizationId } : {}),
    removed,
    revoked,
  });
  return { removed, revoked };
}
