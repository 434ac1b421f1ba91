import {
  meteredConnections,
  meteredSyncLog,
  recordApiUsage,
} from '../../../shared/adapters/metrics/metered-ports';
import type { SyncLogEntry } from '../../../shared/domain/synced-records';
import type { MetricsRecorder } from '../../../shared/ports/metrics';
import type { ConnectionRepository } from '../../../shared/ports/site-records';
import type { SyncLog } from '../../../shared/ports/synced-records';

function recorder() {
  const counts: Record<string, number> = {};
  const perSite: Array<[string, string, number]> = [];
  const metrics: MetricsRecorder = {
    count: (name, value = 1) => {
      counts[name] = (counts[name] ?? 0) + value;
    },
    milliseconds: () => undefined,
    perSite: (name, siteId, value) => perSite.push([name, siteId, value]),
  };
  return { metrics, counts, perSite };
}

const entry = (outcome: SyncLogEntry['outcome'], extra: Partial<SyncLogEntry> = {}): SyncLogEntry => ({
  siteId: 's',
  opportunityId: '006000000000001AAA',
  notificationId: `n-${Math.random()}`,
  source: 'outbound-message',
  outcome,
  receivedAt: '2026-01-01T00:00:00.000Z',
  processedAt: '2026-01-01T00:00:01.000Z',
  ...extra,
});

test('the sync log counts each outcome by kind; a failure still retrying is a deferral, not a failure', async () => {
  const appended: SyncLogEntry[] = [];
  const log = {
    append: async (entries: readonly SyncLogEntry[]) => {
      appended.push(...entries);
    },
    list: async () => ({ items: appended }),
    listByOpportunity: async () => ({ items: [] }),
  } as SyncLog;
  const { metrics, counts } = recorder();
  const metered = meteredSyncLog(log, metrics);
  await metered.append([
    entry('created'),
    entry('created'),
    entry('unchanged'),
    entry('failed', { retrying: false, errorCode: 'INVALID_FIELD' }),
    entry('failed', { retrying: true, errorCode: 'REQUEST_LIMIT_EXCEEDED' }),
    entry('failed', { retrying: true, errorCode: 'SERVER_UNAVAILABLE' }),
  ]);
  expect(counts).toEqual({
    SyncNotifications: 6,
    SyncCreated: 2,
    SyncUnchanged: 1,
    SyncFailed: 1,
    SyncDeferred: 2,
    RateLimitDeferrals: 1,
  });
  expect(appended).toHaveLength(6);
  // Every other method is the log's own.
  expect((await metered.list('s', { limit: 1 })).items).toHaveLength(6);
});

test('nothing is counted when the log write fails', async () => {
  const log = { append: async () => Promise.reject(new Error('throttled')) } as unknown as SyncLog;
  const { metrics, counts } = recorder();
  await expect(meteredSyncLog(log, metrics).append([entry('created')])).rejects.toThrow('throttled');
  expect(counts).toEqual({});
});

test('a site marked as needing a reconnect is counted', async () => {
  const marked: string[] = [];
  const connections = {
    markReconnectNeeded: async (siteId: string) => {
      marked.push(siteId);
    },
    get: async () => undefined,
  } as unknown as ConnectionRepository;
  const { metrics, counts } = recorder();
  const metered = meteredConnections(connections, metrics);
  await metered.markReconnectNeeded('acme', 'invalid_grant');
  expect(marked).toEqual(['acme']);
  expect(counts).toEqual({ ReconnectNeededSites: 1 });
  expect(await metered.get('acme')).toBeUndefined();
});

test("API calls are summed, and per site: its calls, and its org's usage, limit and what remains of it", () => {
  const { metrics, counts, perSite } = recorder();
  recordApiUsage(
    new Map([
      ['a', { calls: 2, used: 14_900, limit: 15_000 }],
      ['b', { calls: 1 }],
    ]),
    metrics,
  );
  expect(counts).toEqual({ SalesforceApiCalls: 3 });
  expect(perSite).toEqual([
    ['SalesforceApiCallsBySite', 'a', 2],
    ['SalesforceApiUsed', 'a', 14_900],
    ['SalesforceApiLimit', 'a', 15_000],
    ['SalesforceApiRemaining', 'a', 100],
    ['SalesforceApiCallsBySite', 'b', 1],
  ]);
});
