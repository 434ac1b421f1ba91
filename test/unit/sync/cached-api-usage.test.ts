import { cachedApiUsage } from '../../../shared/adapters/dynamodb/cached-api-usage';
import type { ApiUsageRecord, ApiUsageStore } from '../../../shared/ports/api-usage';

/** A store that counts its reads and keeps what is recorded, as the usage items do. */
function memoryUsage() {
  const records = new Map<string, ApiUsageRecord>();
  let reads = 0;
  const store: ApiUsageStore = {
    get: async (siteId, now) => {
      reads++;
      return records.get(siteId) ?? { day: now.toISOString().slice(0, 10), callsToday: 0 };
    },
    record: async (siteId, entry) => {
      const before = records.get(siteId) ?? { day: entry.at.toISOString().slice(0, 10), callsToday: 0 };
      records.set(siteId, {
        ...before,
        callsToday: before.callsToday + entry.calls,
        ...(entry.observation ? { observation: entry.observation } : {}),
      });
    },
  };
  return { store, records, reads: () => reads };
}

const at = (time: string) => new Date(`2026-12-02T${time}Z`);

test('the usage is read once per site within the time allowed, and follows what the worker records meanwhile', async () => {
  let now = 0;
  const table = memoryUsage();
  const usage = cachedApiUsage(table.store, 10_000, () => now);
  expect(await usage.get('acme', at('10:00:00'))).toEqual({ day: '2026-12-02', callsToday: 0 });
  const observation = { used: 900, limit: 1000, observedAt: '2026-12-02T10:00:01.000Z' };
  await usage.record('acme', { at: at('10:00:01'), calls: 2, observation });
  now = 9_999;
  expect(await usage.get('acme', at('10:00:09'))).toEqual({ day: '2026-12-02', callsToday: 2, observation });
  // An older observation recorded later (another answer, delivered late) does not replace it.
  await usage.record('acme', {
    at: at('10:00:02'),
    calls: 1,
    observation: { used: 800, limit: 1000, observedAt: '2026-12-02T10:00:00.500Z' },
  });
  expect((await usage.get('acme', at('10:00:09'))).observation).toEqual(observation);
  expect(table.reads()).toBe(1);
  // Another site is its own read; past the time allowed, the table is read again.
  await usage.get('other', at('10:00:09'));
  expect(table.reads()).toBe(2);
  now = 10_000;
  expect((await usage.get('acme', at('10:00:10'))).callsToday).toBe(3);
  expect(table.reads()).toBe(3);
});

test('a new UTC day is read afresh, and a time of 0 reads for every batch', async () => {
  const table = memoryUsage();
  const usage = cachedApiUsage(table.store, 60_000, () => 0);
  await usage.get('acme', new Date('2026-12-02T23:59:59Z'));
  await usage.get('acme', new Date('2026-12-03T00:00:01Z'));
  expect(table.reads()).toBe(2);
  const uncached = cachedApiUsage(table.store, 0);
  await uncached.get('acme', at('10:00:00'));
  await uncached.get('acme', at('10:00:00'));
  expect(table.reads()).toBe(4);
});
