import { ConflictError, ReconnectNeededError } from '../../domain/errors';
import type { SalesforceOrg, SalesforceOrgs } from '../../ports/salesforce';
import type { SecretCipher } from '../../ports/secrets';
import type { ConnectionRepository } from '../../ports/site-records';
import type { SalesforceAppConfig } from './jsforce-oauth';
import { JsforceOrg } from './jsforce-org';

/**
 * Opens jsforce connections for sites. The refresh token is decrypted only here, in memory.
 * When Salesforce rotates it on refresh, the new one is stored with a conditional write, so
 * concurrent workers cannot overwrite a newer token with an older one.
 */
export class ConnectedOrgs implements SalesforceOrgs {
  /** Access tokens per site, reused while this Lambda instance lives (jsforce refreshes on 401). */
  private readonly accessTokens = new Map<string, string>();
  /** Rotated tokens being stored; `settle()` waits for them before an invocation ends. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: {
      connections: ConnectionRepository;
      cipher: SecretCipher;
      app: () => Promise<SalesforceAppConfig>;
    },
  ) {}

  async forSite(siteId: string): Promise<SalesforceOrg> {
    return new JsforceOrg(await this.connection(siteId));
  }

  async connection(siteId: string) {
    const record = await this.deps.connections.get(siteId);
    if (!record) throw new ConflictError(`Site ${siteId} is not connected to Salesforce; connect it first`);
    if (record.status === 'reconnect-needed') {
      throw new ReconnectNeededError(
        `Site ${siteId} must be connected to Salesforce again: ${record.reconnectReason ?? 'the refresh token was refused'}`,
      );
    }
    const refreshToken = await this.deps.cipher.decrypt(record.refreshToken, siteId);
    const app = await this.deps.app();
    const accessToken = this.accessTokens.get(siteId);
    const connection = JsforceOrg.connect({
      ...app,
      instanceUrl: record.instanceUrl,
      refreshToken,
      ...(accessToken ? { accessToken } : {}),
    });
    connection.on('refresh', (token: string, response?: { refresh_token?: string }) => {
      this.accessTokens.set(siteId, token);
      const rotated = response?.refresh_token;
      if (rotated && rotated !== connection.refreshToken) {
        // jsforce keeps using the old refresh token unless told; with rotation it is now void.
        connection.refreshToken = rotated;
        const write = this.deps.cipher
          .encrypt(rotated, siteId)
          .then((encrypted) =>
            this.deps.connections.rotateRefreshToken(siteId, record.tokenVersion, encrypted),
          )
          .finally(() => this.pending.delete(write));
        this.pending.add(write);
      }
    });
    return connection;
  }

  /** Waits for rotated refresh tokens to be stored; call before an invocation returns. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
