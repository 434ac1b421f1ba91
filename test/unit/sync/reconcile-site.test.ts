import type { ReconciliationState } from '../../../shared/domain/reconciliation';
import { toId18 } from '../../../shared/domain/salesforce-id';
import type { SyncMessage } from '../../../shared/domain/sync-message';
import type { QueryPage } from '../../../shared/ports/sync-runs';
import { reconcileSite } from '../../../shared/use-cases/reconcile-site';
import { reconcileSites } from '../../../shared/use-cases/reconcile-sites';
import { sfId } from '../../support/outbound-messages';
import { MemoryQuotes, MemorySyncLog, settingsAtStage } from './fakes';

const opp = (n: number) => toId18(sfId('006', n));
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const record = (n: number, modstamp: string, extra: Record<string, unknown> = {}) => ({
  attributes: { type: 'Opportunity' },
  Id: opp(n),
  Name: `Opportunity ${n}`,
  StageName: settingsAtStage.opportunityToQuote.stage,
  SystemModstamp: modstamp,
  IsDeleted: false,
  ...extra,
});

function setup(pages: QueryPage[], options: { settings?: typeof settingsAtStage; status?: string } = {}) {
  const calls: Array<{ kind: string; soql?: string; includeDeleted?: boolean }> = [];
  const states = new Map<string, ReconciliationState>();
  const queued: SyncMessage[] = [];
  const quotes = new MemoryQuotes();
  const syncLog = new MemorySyncLog();
  const deps = {
    settings: {
      get: async () => ({
        siteId: 'site',
        settings: options.settings ?? settingsAtStage,
        setup: {},
        updatedAt: 'v1',
      }),
    },
    connections: {
      get: async () =>
        ({ organizationId: '00D5g000004Ck1ZEAS', status: options.status ?? 'connected' }) as never,
    },
    states: {
      get: async (siteId: string) => states.get(siteId),
      put: async (s: ReconciliationState) => void states.set(s.siteId, structuredClone(s)),
    },
    salesforce: {
      firstPage: async (_siteId: string, soql: string, o?: { includeDeleted?: boolean }) => {
        calls.push({ kind: 'query', soql, ...(o?.includeDeleted ? { includeDeleted: true } : {}) });
        const page = pages.shift();
        if (!page) throw new Error('no more pages scripted');
        return page;
      },
      nextPage: async () => {
        throw new Error('reconciliation pages by watermark, not by locator');
      },
      describeFields: async () => {
        calls.push({ kind: 'describe' });
        return [{ name: 'Name', type: 'string' }];
      },
    },
    quotes,
    queue: {
      send: async (messages: readonly SyncMessage[]) => {
        queued.push(...messages);
        return { refused: [] };
      },
    },
    syncLog,
    logger: silent,
    now: () => new Date('2026-11-20T12:00:00.000Z'),
  };
  return { deps, calls, states, queued, quotes, syncLog };
}
const page = (records: Array<Record<string, unknown>>): QueryPage => ({ records, totalSize: records.length });

test('a first run describes once, reads with queryAll from a day back, queues what has no quote, and keeps the watermark', async () => {
  const { deps, calls, states, queued } = setup([page([record(1, '2026-11-20T11:00:00.000+0000')])]);
  const result = await reconcileSite(deps, 'site');
  expect(result).toEqual({ siteId: 'site', pages: 1, queued: 1, deleted: 0 });
  expect(calls.map((c) => c.kind)).toEqual(['describe', 'query']);
  expect(calls[1]).toMatchObject({
    includeDeleted: true,
    soql: expect.stringContaining('SystemModstamp >= 2026-11-19T11:59:00Z'),
  });
  expect(queued[0]).toMatchObject({
    source: 'reconciliation',
    recordId: opp(1),
    fields: expect.objectContaining({ Name: 'Opportunity 1', IsDeleted: 'false' }),
    notificationId: `reconcile-${Date.parse('2026-11-20T12:00:00.000Z')}-${opp(1)}`,
  });
  expect(states.get('site')?.watermark).toEqual({ modstamp: '2026-11-20T11:00:00.000Z', id: opp(1) });
});

test('a quiet site costs one call per run; the watermark stays where it was', async () => {
  const { deps, calls, states } = setup([page([]), page([])]);
  await reconcileSite(deps, 'site');
  const first = states.get('site')?.watermark;
  await reconcileSite(deps, 'site');
  expect(calls.map((c) => c.kind)).toEqual(['describe', 'query', 'query']);
  expect(states.get('site')?.watermark).toEqual(first);
});

test('full pages go on from the last record until a short one; the watermark moves only after a page is queued', async () => {
  const full = Array.from({ length: 2000 }, (_, i) =>
    record(i + 1, `2026-11-20T11:00:${String(i % 60).padStart(2, '0')}.000+0000`),
  );
  full.sort((a, b) =>
    a.SystemModstamp < b.SystemModstamp ? -1 : a.SystemModstamp > b.SystemModstamp ? 1 : a.Id < b.Id ? -1 : 1,
  );
  const { deps, calls, states, queued } = setup([
    page(full),
    page([record(5000, '2026-11-20T11:30:00.000+0000')]),
  ]);
  const sends: number[] = [];
  const send = deps.queue.send;
  deps.queue.send = async (messages) => {
    sends.push(messages.length);
    if (sends.length === 2) throw new Error('SQS is down');
    return send(messages);
  };
  await expect(reconcileSite(deps, 'site')).rejects.toThrow('SQS is down');
  expect(calls.filter((c) => c.kind === 'query')).toHaveLength(2);
  expect(calls[2]?.soql).toContain('SystemModstamp >= 2026-11-20T11:00:59Z');
  // The first page's records are queued and the watermark is at its end; the second page's is not.
  expect(queued).toHaveLength(2000);
  expect(states.get('site')?.watermark.modstamp).toBe('2026-11-20T11:00:59.000Z');
  expect(states.get('site')?.lastRun?.error).toBe('SQS is down');
});

test('a deleted opportunity the sync knows is marked on its quote, kept, and logged with reconciliation as the source', async () => {
  const { deps, quotes, syncLog, queued } = setup([
    page([
      record(1, '2026-11-20T11:00:00.000+0000', { IsDeleted: true }),
      record(2, '2026-11-20T11:00:01.000+0000', { IsDeleted: true }),
    ]),
  ]);
  quotes.items.set(`sf-${opp(1)}`, {
    quoteId: `sf-${opp(1)}`,
    salesforce: { systemModstamp: '2026-11-20T10:00:00.000Z' },
  } as never);
  const result = await reconcileSite(deps, 'site');
  expect(result.deleted).toBe(1);
  expect(queued).toEqual([]);
  expect(quotes.items.get(`sf-${opp(1)}`)?.salesforce.deletedAt).toBe('2026-11-20T11:00:00.000Z');
  expect(syncLog.entries).toEqual([
    expect.objectContaining({
      opportunityId: opp(1),
      source: 'reconciliation',
      outcome: 'updated',
      reason: expect.stringMatching(/deleted in Salesforce/),
    }),
  ]);
});

test('a settings change rebuilds the query with one describe; sites without a stage or a connection cost nothing', async () => {
  const { deps, calls } = setup([page([]), page([])]);
  await reconcileSite(deps, 'site');
  deps.settings.get = async () => ({ siteId: 'site', settings: settingsAtStage, setup: {}, updatedAt: 'v2' });
  await reconcileSite(deps, 'site');
  expect(calls.map((c) => c.kind)).toEqual(['describe', 'query', 'describe', 'query']);

  const off = setup([], {
    settings: {
      ...settingsAtStage,
      opportunityToQuote: { enabled: false, stage: null, updates: 'on-entry', importProducts: true },
    },
  });
  expect(await reconcileSite(off.deps, 'site')).toMatchObject({ skipped: expect.stringMatching(/off/) });
  const disconnected = setup([], { status: 'reconnect-needed' });
  expect(await reconcileSite(disconnected.deps, 'site')).toMatchObject({
    skipped: expect.stringMatching(/not connected/),
  });
  expect([...off.calls, ...disconnected.calls]).toEqual([]);
});

test('a run stops paging when the invocation is nearly out of time, and the next goes on', async () => {
  const full = Array.from({ length: 2000 }, (_, i) => record(i + 1, '2026-11-20T11:00:00.000+0000'));
  const { deps, calls } = setup([page(full)]);
  await reconcileSite({ ...deps, timeLeftMs: () => 5_000 }, 'site');
  expect(calls.filter((c) => c.kind === 'query')).toHaveLength(1);
});

test('every connected site is reconciled; one failing leaves the others alone', async () => {
  const { deps } = setup([page([]), page([])]);
  let n = 0;
  const firstPage = deps.salesforce.firstPage;
  deps.salesforce.firstPage = async (siteId, soql, o) => {
    if (siteId === 'broken') throw new Error('org down');
    n++;
    return firstPage(siteId, soql, o);
  };
  const sites = {
    list: async () =>
      [
        { siteId: 'a', salesforce: { organizationId: '00D5g000004Ck1ZEAS' } },
        { siteId: 'broken', salesforce: { organizationId: '00D5g000004Ck1ZEAS' } },
        { siteId: 'b', salesforce: { organizationId: '00D5g000004Ck1ZEAS' } },
        { siteId: 'never-connected' },
      ] as never,
  };
  const result = await reconcileSites({ ...deps, sites });
  expect(result).toMatchObject({ sites: 3, failed: 1 });
  expect(n).toBe(2);
});

describe("above the site's API budget", () => {
  const at = (iso: string) => ({ used: 12_750, limit: 15_000, observedAt: iso });
  /** The stored usage reading, and a limits call that answers `live` (counted in `reads`). */
  function budget(observation: ReturnType<typeof at> | undefined, live = { used: 12_750, limit: 15_000 }) {
    const reads: string[] = [];
    return {
      reads,
      apiBudget: {
        usage: {
          get: async () => ({ day: '2026-11-20', callsToday: 40, ...(observation ? { observation } : {}) }),
        },
        recheckMs: 300_000,
        orgs: {
          forSite: async (siteId: string) => ({
            apiUsage: async () => {
              reads.push(siteId);
              return live;
            },
          }),
        },
      },
    };
  }

  test('a recent reading above it skips the run: no call to the org, nothing queued, the watermark waits', async () => {
    const { deps, calls, states, queued } = setup([page([record(1, '2026-11-20T11:00:00.000+0000')])]);
    states.set('site', { siteId: 'site', watermark: { modstamp: '2026-11-20T10:00:00.000Z', id: opp(9) } });
    const { apiBudget, reads } = budget(at('2026-11-20T11:58:00.000Z'));
    const result = await reconcileSite({ ...deps, apiBudget }, 'site');
    expect(result).toEqual({
      siteId: 'site',
      pages: 0,
      queued: 0,
      deleted: 0,
      overBudget: true,
      skipped:
        "above the API budget: the org has used 12750 of its 15000 daily API requests (85%), above this site's budget of 80%",
    });
    expect(calls).toEqual([]);
    expect(reads).toEqual([]);
    expect(queued).toEqual([]);
    expect(states.get('site')?.watermark).toEqual({ modstamp: '2026-11-20T10:00:00.000Z', id: opp(9) });
    expect(states.get('site')?.lastRun).toMatchObject({ pages: 0, skipped: expect.stringMatching(/85%/) });
  });

  test('an old reading is read afresh (one limits call): still above, skipped; fallen below, the run reads all it missed', async () => {
    const still = setup([]);
    const above = budget(at('2026-11-20T11:00:00.000Z'));
    expect(await reconcileSite({ ...still.deps, apiBudget: above.apiBudget }, 'site')).toMatchObject({
      overBudget: true,
    });
    expect(above.reads).toEqual(['site']);
    expect(still.calls).toEqual([]);

    const { deps, calls, states, queued } = setup([page([record(1, '2026-11-20T11:00:00.000+0000')])]);
    states.set('site', { siteId: 'site', watermark: { modstamp: '2026-11-20T10:00:00.000Z', id: opp(9) } });
    const fallen = budget(at('2026-11-20T11:00:00.000Z'), { used: 11_000, limit: 15_000 });
    const result = await reconcileSite({ ...deps, apiBudget: fallen.apiBudget }, 'site');
    expect(result).toEqual({ siteId: 'site', pages: 1, queued: 1, deleted: 0 });
    expect(fallen.reads).toEqual(['site']);
    expect(calls.map((c) => c.kind)).toEqual(['describe', 'query']);
    expect(calls[1]?.soql).toContain('SystemModstamp >= 2026-11-20T09:59:00Z');
    expect(queued.map((m) => m.recordId)).toEqual([opp(1)]);
  });

  test('within the budget, or with no reading yet, a run costs what it always did', async () => {
    for (const observation of [
      undefined,
      { used: 1_000, limit: 15_000, observedAt: '2026-11-20T11:59:00.000Z' },
    ]) {
      const { deps, calls } = setup([page([])]);
      const { apiBudget, reads } = budget(observation);
      expect(await reconcileSite({ ...deps, apiBudget }, 'site')).toEqual({
        siteId: 'site',
        pages: 1,
        queued: 0,
        deleted: 0,
      });
      expect(calls.map((c) => c.kind)).toEqual(['describe', 'query']);
      expect(reads).toEqual([]);
    }
  });

  test("a site's own budget counts: at 85% a budget of 90% runs", async () => {
    const { deps, calls } = setup([page([])], {
      settings: { ...settingsAtStage, apiBudget: { maxSharePercent: 90 } },
    });
    const { apiBudget } = budget(at('2026-11-20T11:58:00.000Z'));
    expect((await reconcileSite({ ...deps, apiBudget }, 'site')).overBudget).toBeUndefined();
    expect(calls.map((c) => c.kind)).toEqual(['describe', 'query']);
  });

  test('the run over every site counts the sites skipped for their budget', async () => {
    const { deps } = setup([page([])]);
    const { apiBudget } = budget(at('2026-11-20T11:58:00.000Z'));
    const sites = {
      list: async () => [{ siteId: 'a', salesforce: { organizationId: '00D5g000004Ck1ZEAS' } }] as never,
    };
    expect(await reconcileSites({ ...deps, apiBudget, sites })).toMatchObject({
      sites: 1,
      failed: 0,
      overBudget: 1,
    });
  });
});
