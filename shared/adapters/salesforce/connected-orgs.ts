import { ConflictError, ReconnectNeededError } from '../../domain/errors';
import type { SalesforceOrg, SalesforceOrgs } from '../../ports/salesforce';
import type { SecretCipher } from '../../ports/secrets';
import type { ConnectionRepository } from '../../ports/site-records';
import type { SalesforceAppConfig } from './jsforce-oauth';
import { JsforceOrg } from './jsforce-org';

export interface ApiUsage {
  calls: number;
  /** From the latest Sforce-Limit-Info: the org's API calls in the last 24 hours, and its limit. */
  used?: number;
  limit?: number;
}

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
  /** REST calls made per site since `takeUsage()`, and the org's usage from Sforce-Limit-Info. */
  private usage = new Map<string, ApiUsage>();

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
    // Every REST call goes through request(); Sforce-Limit-Info lands in limitInfo afterwards.
    const request = connection.request.bind(connection);
    connection.request = ((...args: Parameters<typeof request>) => {
      const counted = this.usage.get(siteId) ?? { calls: 0 };
      this.usage.set(siteId, { ...counted, calls: counted.calls + 1 });
      const answer = request(...args);
      void Promise.resolve(answer).then(
        () => this.noteLimit(siteId, connection.limitInfo?.apiUsage),
        () => this.noteLimit(siteId, connection.limitInfo?.apiUsage),
      );
      return answer;
    }) as typeof connection.request;
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

  private noteLimit(siteId: string, apiUsage: { used: number; limit: number } | undefined): void {
    const current = this.usage.get(siteId);
    if (current && apiUsage)
      this.usage.set(siteId, { ...current, used: apiUsage.used, limit: apiUsage.limit });
  }

  /** The API calls made per site since the last take (for metrics), and the org's daily usage. */
  takeUsage(): Map<string, ApiUsage> {
    const taken = this.usage;
    this.usage = new Map();
    return taken;
  }

  /** Waits for rotated refresh tokens to be stored; call before an invocation returns. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
