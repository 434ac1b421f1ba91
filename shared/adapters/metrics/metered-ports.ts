import type { SyncOutcome } from '../../domain/synced-records';
import type { MetricsRecorder } from '../../ports/metrics';
import type { ConnectionRepository } from '../../ports/site-records';
import type { SyncLog } from '../../ports/synced-records';
import { decorate } from '../decorate';
import type { ApiUsage } from '../salesforce/connected-orgs';

/**
 * Worker metrics, read where the outcomes pass anyway: the sync log (every notification's final
 * outcome, with `retrying` and Salesforce's error code) and the connection records (a site
 * marked as needing a reconnect). The use case stays unaware of metrics.
 */
const OUTCOME_METRICS: Record<SyncOutcome, string> = {
  created: 'SyncCreated',
  updated: 'SyncUpdated',
  unchanged: 'SyncUnchanged',
  skipped: 'SyncSkipped',
  failed: 'SyncFailed',
};

export function meteredSyncLog(log: SyncLog, metrics: MetricsRecorder): SyncLog {
  return decorate(log, {
    append: async (entries) => {
      await log.append(entries);
      const counts = new Map<string, number>();
      const add = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
      for (const entry of entries) {
        add('SyncNotifications');
        // A failure that is tried again is a deferral, not (yet) a failed sync.
        if (entry.outcome === 'failed' && entry.retrying) {
          add('SyncDeferred');
          if (entry.errorCode === 'REQUEST_LIMIT_EXCEEDED') add('RateLimitDeferrals');
        } else add(OUTCOME_METRICS[entry.outcome]);
      }
      for (const [name, value] of counts) metrics.count(name, value);
    },
  });
}

export function meteredConnections(
  connections: ConnectionRepository,
  metrics: MetricsRecorder,
): ConnectionRepository {
  return decorate(connections, {
    markReconnectNeeded: async (siteId, reason) => {
      await connections.markReconnectNeeded(siteId, reason);
      metrics.count('ReconnectNeededSites');
    },
  });
}

/**
 * Salesforce calls of this invocation, in all and per site (summed over a day: the site's calls
 * today, as its status shows them), and each org's usage against its daily limit as last reported.
 */
export function recordApiUsage(usage: Map<string, ApiUsage>, metrics: MetricsRecorder): void {
  let calls = 0;
  for (const [siteId, site] of usage) {
    calls += site.calls;
    if (site.calls > 0) metrics.perSite('SalesforceApiCallsBySite', siteId, site.calls);
    if (site.used !== undefined && site.limit !== undefined) {
      metrics.perSite('SalesforceApiUsed', siteId, site.used);
      metrics.perSite('SalesforceApiLimit', siteId, site.limit);
      metrics.perSite('SalesforceApiRemaining', siteId, Math.max(0, site.limit - site.used));
    }
  }
  if (calls > 0) metrics.count('SalesforceApiCalls', calls);
}
