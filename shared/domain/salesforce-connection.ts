import type { SiteRole } from './access';
import type { OrgAssessment } from './org-editions';
import type { SalesforceLogin } from './salesforce-login';
import type { Settings } from './settings';

/** A secret encrypted with AES-256-GCM; with KMS, the data key itself is encrypted by the key. */
export interface EncryptedSecret {
  v: 1;
  keyId: string;
  /** The data key encrypted by KMS (envelope encryption); absent with a local key. */
  encryptedKey?: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/** unsupported-org: connected, but the org cannot run the integration (see `org`). */
export type ConnectionStatus = 'connected' | 'reconnect-needed' | 'unsupported-org';

/** A site's link to its Salesforce org. The refresh token is only ever stored encrypted. */
export interface SalesforceConnectionRecord {
  siteId: string;
  organizationId: string;
  instanceUrl: string;
  /** The connecting user: id from the identity URL, username for the outbound message's integrationUser. */
  userId: string;
  username: string;
  /** Where the admin signed in; absent for connections made before the choice was per site. */
  login?: SalesforceLogin;
  status: ConnectionStatus;
  refreshToken: EncryptedSecret;
  /** Incremented on every stored rotation, for conditional writes between concurrent workers. */
  tokenVersion: number;
  connectedAt: string;
  updatedAt: string;
  reconnectReason?: string;
  /** What the org is and whether it can run the integration, as last checked. */
  org?: OrgAssessment & { checkedAt: string };
}

export interface DeployAttempt {
  at: string;
  ok: boolean;
  /** What was deployed (or failed): 'outbound-message', 'flow', 'activate', 'remove'. */
  step?: string;
  error?: string;
}

/** What is deployed in the org, so an unchanged save deploys nothing. */
export interface SetupState {
  outboundMessage?: { fingerprint: string; deployedAt: string };
  flow?: {
    fingerprint: string;
    /** The latest version saved. */
    version: number;
    /** The version that runs (0: none); absent in records from before activation was checked. */
    activeVersion?: number;
    /** Absent in records from before activation was checked, which were active. */
    state?: 'active' | 'saved-but-inactive';
    inactive?: { errorCode: string; reason: string; adminAction: string };
    deployedAt: string;
    /** When the active version was last read back. */
    checkedAt?: string;
  };
  lastAttempt?: DeployAttempt;
}

/**
 * What is deployed, as every answer shows it: no fingerprints (they only decide whether a save
 * deploys), and a flow from before activation was read back shown as the active one it was.
 */
export interface SetupStatus {
  outboundMessage: { deployedAt: string } | null;
  flow: {
    version: number;
    activeVersion: number;
    state: 'active' | 'saved-but-inactive';
    inactive?: { errorCode: string; reason: string; adminAction: string };
    deployedAt: string;
    checkedAt?: string;
  } | null;
  lastAttempt: DeployAttempt | null;
}

export function setupStatus(setup: SetupState): SetupStatus {
  const { flow } = setup;
  return {
    outboundMessage: setup.outboundMessage ? { deployedAt: setup.outboundMessage.deployedAt } : null,
    flow: flow
      ? {
          version: flow.version,
          activeVersion: flow.activeVersion ?? flow.version,
          state: flow.state ?? 'active',
          ...(flow.inactive ? { inactive: flow.inactive } : {}),
          deployedAt: flow.deployedAt,
          ...(flow.checkedAt ? { checkedAt: flow.checkedAt } : {}),
        }
      : null,
    lastAttempt: setup.lastAttempt ?? null,
  };
}

export interface SiteSettingsRecord {
  siteId: string;
  settings: Settings;
  setup: SetupState;
  updatedAt: string;
}

export interface SiteUser {
  siteId: string;
  userId: string;
  name: string;
  email: string;
  /** Their role in the console; absent, they own synced items but do not sign in. */
  role?: SiteRole;
  createdAt: string;
}
