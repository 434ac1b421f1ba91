import type { Connection } from 'jsforce/core';
import { ConflictError, ReconnectNeededError } from '../../domain/errors';
import type { SalesforceOrg, SalesforceOrgs } from '../../ports/salesforce';
import type { SecretCipher } from '../../ports/secrets';
import type { ConnectionRepository } from '../../ports/site-records';
import { ApiCallMeter, type ApiUsage } from './api-call-meter';
import type { SalesforceAppConfig } from './jsforce-oauth';
import { JsforceOrg } from './jsforce-org';
import type { LoginEndpoints } from './login-endpoints';

/**
 * How long a session this instance opened is reused without reading the connection record:
 * after a disconnect, a warm function stops using the site's session within this time (a
 * revoked token stops it at once).
 */
export const SESSION_REUSE_MS = 5 * 60 * 1000;

export type { ApiUsage } from './api-call-meter';

/**
 * Opens jsforce connections for sites. The refresh token is decrypted only here, in memory.
 * When Salesforce rotates it on refresh, the new one is stored with a conditional write, so
 * concurrent workers cannot overwrite a newer token with an older one.
 */
export class ConnectedOrgs implements SalesforceOrgs {
  /** Sessions per site (jsforce refreshes on 401), reused for SESSION_REUSE_MS. */
  private readonly sessions = new Map<
    string,
    { accessToken: string; instanceUrl: string; loginUrl: string; openedAt: number }
  >();
  /** Rotated tokens being stored; `settle()` waits for them before an invocation ends. */
  private readonly pending = new Set<Promise<unknown>>();
  /** Counts every call to each site's org and keeps the usage Salesforce reports. */
  private readonly meter: ApiCallMeter;

  constructor(
    private readonly deps: {
      connections: ConnectionRepository;
      cipher: SecretCipher;
      app: () => Promise<SalesforceAppConfig>;
      /** The site's login host refreshes its tokens. */
      logins: LoginEndpoints;
      /** Counts the calls made to each site's org and stores its reported usage (default: counts only). */
      meter?: ApiCallMeter;
      now?: () => number;
    },
  ) {
    this.meter = deps.meter ?? new ApiCallMeter();
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  forget(siteId: string): void {
    this.sessions.delete(siteId);
  }

  async forSite(siteId: string): Promise<SalesforceOrg> {
    return new JsforceOrg(await this.connection(siteId));
  }

  /**
   * A jsforce connection for the site. With a session this instance opened in the last
   * SESSION_REUSE_MS, the connection record is read only if the access token has to be
   * refreshed (then afresh, status checked): a warm worker spends no DynamoDB request on it.
   */
  async connection(siteId: string) {
    const app = await this.deps.app();
    const session = this.sessions.get(siteId);
    if (session && this.now() - session.openedAt < SESSION_REUSE_MS) {
      let tokenVersion: number | undefined;
      const connection = JsforceOrg.connect({
        ...app,
        loginUrl: session.loginUrl,
        instanceUrl: session.instanceUrl,
        accessToken: session.accessToken,
        refreshToken: async () => {
          const record = await this.usableRecord(siteId);
          tokenVersion = record.tokenVersion;
          return this.deps.cipher.decrypt(record.refreshToken, siteId);
        },
      });
      return this.observe(siteId, connection, () => tokenVersion);
    }
    const record = await this.usableRecord(siteId);
    const refreshToken = await this.deps.cipher.decrypt(record.refreshToken, siteId);
    const loginUrl = this.deps.logins.url(record.login);
    const connection = JsforceOrg.connect({
      ...app,
      loginUrl,
      instanceUrl: record.instanceUrl,
      refreshToken,
      ...(session ? { accessToken: session.accessToken } : {}),
    });
    if (session)
      this.sessions.set(siteId, {
        ...session,
        instanceUrl: record.instanceUrl,
        loginUrl,
        openedAt: this.now(),
      });
    return this.observe(siteId, connection, () => record.tokenVersion);
  }

  private async usableRecord(siteId: string) {
    const record = await this.deps.connections.get(siteId);
    if (!record) {
      this.sessions.delete(siteId);
      throw new ConflictError(`Site ${siteId} is not connected to Salesforce; connect it first`);
    }
    if (record.status === 'reconnect-needed') {
      this.sessions.delete(siteId);
      throw new ReconnectNeededError(
        `Site ${siteId} must be connected to Salesforce again: ${record.reconnectReason ?? 'the refresh token was refused'}`,
      );
    }
    return record;
  }

  /** Counts the connection's calls, keeps its session for reuse, stores rotated refresh tokens. */
  private observe(siteId: string, connection: Connection, tokenVersion: () => number | undefined) {
    this.meter.attach(siteId, connection);
    connection.on('refresh', (token: string, response?: { refresh_token?: string }) => {
      this.sessions.set(siteId, {
        accessToken: token,
        instanceUrl: connection.instanceUrl,
        loginUrl: connection.oauth2.loginUrl,
        openedAt: this.now(),
      });
      const rotated = response?.refresh_token;
      const version = tokenVersion();
      if (rotated && rotated !== connection.refreshToken && version !== undefined) {
        // jsforce keeps using the old refresh token unless told; with rotation it is now void.
        connection.refreshToken = rotated;
        const write = this.deps.cipher
          .encrypt(rotated, siteId)
          .then((encrypted) => this.deps.connections.rotateRefreshToken(siteId, version, encrypted))
          .finally(() => this.pending.delete(write));
        this.pending.add(write);
      }
    });
    return connection;
  }

  /** The API calls made per site since the last take (for metrics), and the org's daily usage. */
  takeUsage(): Map<string, ApiUsage> {
    return this.meter.takeUsage();
  }

  /** Stores rotated refresh tokens and the API calls counted; call before an invocation returns. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.pending, this.meter.flush()]);
  }
}
