import { randomUUID } from 'node:crypto';
import { DEMO_STAGE } from '../local/demo';
import { startLocalStack } from '../local/stack';
import { QUERY_BATCH_SIZE } from '../shared/adapters/salesforce/jsforce-query';
import type { SyncRun } from '../shared/domain/sync-run';
import { round } from './support';

/**
 * "Synchronize now" of 10,000 opportunities at the stage, on the local stack: from the POST to
 * the run's last page queued, and to every quote stored by the worker; Salesforce API calls of
 * the run and of the worker (the sandbox's counters); and memory, sampled in this process, which
 * also holds the sandbox org, the gateway and the worker (so it bounds the run from above).
 */
const OPPORTUNITIES = 10_000;

export async function benchSyncNow() {
  process.env.POWERTOOLS_LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'SILENT';
  const adminToken = `bench-${randomUUID()}`;
  const stack = await startLocalStack({
    externalEmulators: true,
    port: 0,
    sandboxPort: 0,
    prefix: `bench-now-${Date.now()}`,
    adminToken,
    workerBatchingWindowMs: 500,
  });
  const { sandbox } = stack;
  const api = async <T>(method: string, path: string): Promise<T> => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    if (response.status >= 400)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  try {
    // Every webhook of the seeded opportunities is lost: the run alone must find them.
    sandbox.addFaults({ delivery: [{ action: 'drop' }] });
    const [account] = sandbox.store.all('Account');
    sandbox.seed({
      records: Array.from({ length: OPPORTUNITIES }, (_, i) => ({
        sObjectType: 'Opportunity',
        fields: {
          Name: `Bulk ${i}`,
          StageName: DEMO_STAGE,
          CloseDate: '2027-03-31',
          Amount: 1000 + i,
          AccountId: account?.Id,
        },
      })),
    });
    await sandbox.flushOutbound();
    const atStage = sandbox.store.all('Opportunity').filter((o) => o.StageName === DEMO_STAGE).length;
    const before = sandbox.apiCalls();

    let peakRss = 0;
    let peakHeap = 0;
    const baseline = process.memoryUsage();
    const sampler = setInterval(() => {
      const { rss, heapUsed } = process.memoryUsage();
      peakRss = Math.max(peakRss, rss);
      peakHeap = Math.max(peakHeap, heapUsed);
    }, 50);

    const started = performance.now();
    const run = await api<SyncRun>('POST', '/sites/demo/salesforce/sync');
    let queuedAt = 0;
    let done: SyncRun = run;
    const deadline = Date.now() + 15 * 60_000;
    while (done.status === 'running') {
      if (Date.now() > deadline) throw new Error('the run did not finish in 15 minutes');
      await new Promise((resolve) => setTimeout(resolve, 250));
      done = await api<SyncRun>('GET', `/sites/demo/salesforce/sync/${run.runId}`);
      if (done.queryDone && queuedAt === 0) queuedAt = performance.now();
    }
    const finished = performance.now();
    clearInterval(sampler);

    const after = sandbox.apiCalls();
    const byKind = (kind: string) => (after.byKind[kind] ?? 0) - (before.byKind[kind] ?? 0);
    // The run's pages: one describe, the first query, then queryMore; every other query is the
    // worker's (two per batch of up to 100: accounts, and opportunities with their contacts).
    const runCalls = byKind('describe') + 1 + byKind('queryMore');
    return {
      opportunitiesAtStage: atStage,
      status: done.status,
      counts: done.counts,
      pages: done.pages,
      averagePageRecords: done.pages > 0 ? Math.round(done.counts.found / done.pages) : 0,
      pageRecordsLimit: QUERY_BATCH_SIZE,
      secondsToAllQueued: round((queuedAt - started) / 1000),
      secondsToAllQuotesStored: round((finished - started) / 1000),
      opportunitiesPerSecond: round(done.counts.found / ((finished - started) / 1000), 1),
      salesforceApiCalls: {
        total: after.used - before.used,
        runPages: runCalls,
        worker: after.used - before.used - runCalls,
        perOpportunity: round((after.used - before.used) / Math.max(1, done.counts.found), 4),
      },
      memory: {
        baselineRssMiB: round(baseline.rss / 1024 / 1024, 1),
        peakRssMiB: round(peakRss / 1024 / 1024, 1),
        peakHeapUsedMiB: round(peakHeap / 1024 / 1024, 1),
        note: 'one process holds the sandbox org (10,000 records), the gateway, the page processor and the worker',
      },
    };
  } finally {
    await stack.stop();
  }
}
