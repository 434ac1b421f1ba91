import type { SiteRole } from '../domain/access';
import type { AuthorizationRefusal } from '../domain/authorization-refusals';
import type {
  SalesforceConnectionRecord,
  SetupState,
  SiteSettingsRecord,
  SiteUser,
} from '../domain/salesforce-connection';
import type { SiteLogo } from '../domain/site-logo';
import type { SiteProfile, SiteProfileRecord } from '../domain/site-profile';

export interface SiteProfileRepository {
  get(siteId: string): Promise<SiteProfileRecord | undefined>;
  /** Replaces the whole profile; the logo stays as it is. */
  put(record: { siteId: string; profile: SiteProfile; updatedAt: string }): Promise<void>;
  /** Sets (or, with null, removes) the logo, leaving the profile as it is; answers the logo it replaced. */
  setLogo(siteId: string, logo: SiteLogo | null): Promise<SiteLogo | undefined>;
}

import type { SalesforceLogin } from '../domain/salesforce-login';

export interface SettingsRepository {
  get(siteId: string): Promise<SiteSettingsRecord | undefined>;
  put(record: SiteSettingsRecord): Promise<void>;
  /** Records what was deployed, leaving the settings as they are. */
  saveSetup(siteId: string, setup: SetupState): Promise<void>;
}

export interface ConnectionRepository {
  get(siteId: string): Promise<SalesforceConnectionRecord | undefined>;
  put(record: SalesforceConnectionRecord): Promise<void>;
  /**
   * Stores a rotated refresh token only if nobody stored one since `expectedVersion` was read;
   * returns false when another writer won (its token is then the current one).
   */
  rotateRefreshToken(
    siteId: string,
    expectedVersion: number,
    token: SalesforceConnectionRecord['refreshToken'],
  ): Promise<boolean>;
  markReconnectNeeded(siteId: string, reason: string): Promise<void>;
  /** Records what the org is; `supported: false` turns the status to unsupported-org, true back to connected. */
  saveOrgAssessment(siteId: string, org: NonNullable<SalesforceConnectionRecord['org']>): Promise<void>;
  delete(siteId: string): Promise<void>;
}

export interface PendingAuthorization {
  siteId: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  /** The login host the admin was sent to: the code must be redeemed there. */
  login: SalesforceLogin;
  /** Epoch seconds; also the table's TTL attribute. */
  expiresAt: number;
}

export interface OAuthStateRepository {
  put(pending: PendingAuthorization): Promise<void>;
  /** Returns and deletes the pending authorization, so a state works once. */
  take(siteId: string, nonce: string): Promise<PendingAuthorization | undefined>;
}

/** Salesforce's latest refusal of a Connect, kept for the console (the callback's browser lands there). */
export interface ConnectRefusalRecord {
  siteId: string;
  at: string;
  refusal: AuthorizationRefusal;
  /** Epoch seconds; also the table's TTL attribute. */
  expiresAt: number;
}

export interface ConnectRefusalRepository {
  /** Replaces the site's previous refusal. */
  put(record: ConnectRefusalRecord): Promise<void>;
  get(siteId: string): Promise<ConnectRefusalRecord | undefined>;
  /** A successful Connect forgets the refusal. */
  delete(siteId: string): Promise<void>;
}

export interface UserRepository {
  list(siteId: string): Promise<SiteUser[]>;
  get(siteId: string, userId: string): Promise<SiteUser | undefined>;
  put(user: SiteUser): Promise<void>;
  /**
   * Every site where a user with this e-mail address (case-insensitive) has a console role:
   * what the sign-in puts in the token's `sites` claim. The one lookup across sites.
   */
  rolesOf(email: string): Promise<Array<{ siteId: string; role: SiteRole }>>;
}
