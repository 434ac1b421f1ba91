import type { SiteRole } from './access';
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

export type ConnectionStatus = 'connected' | 'reconnect-needed';

/** A site's link to its Salesforce org. The refresh token is only ever stored encrypted. */
export interface SalesforceConnectionRecord {
  siteId: string;
  organizationId: string;
  instanceUrl: string;
  /** The connecting user: id from the identity URL, username for the outbound message's integrationUser. */
  userId: string;
  username: string;
  status: ConnectionStatus;
  refreshToken: EncryptedSecret;
  /** Incremented on every stored rotation, for conditional writes between concurrent workers. */
  tokenVersion: number;
  connectedAt: string;
  updatedAt: string;
  reconnectReason?: string;
}

export interface DeployAttempt {
  at: string;
  ok: boolean;
  /** What was deployed (or failed): 'outbound-message', 'flow', 'delete'. */
  step?: string;
  error?: string;
}

/** What is deployed in the org, so an unchanged save deploys nothing. */
export interface SetupState {
  outboundMessage?: { fingerprint: string; deployedAt: string };
  flow?: { fingerprint: string; version: number; deployedAt: string };
  lastAttempt?: DeployAttempt;
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
