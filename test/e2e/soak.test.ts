import { PLANTED_POISON, runSoak } from '../../soak/soak';

/**
 * `npm run soak` at N = 100 with every fault, in the suite: nothing missing, duplicated or stale,
 * and the DLQ holding only the planted poison, each with its reason. The sandbox clock runs 120
 * times faster, so its 30-minute outage lasts 15 s here.
 */
test('the soak at N = 100 with every fault settles with nothing missing, duplicated or stale', async () => {
  const report = await runSoak({ n: 100, timeScale: 120, externalEmulators: true, timeoutMs: 240_000 });
  expect(report).toMatchObject({ n: 100, quotes: 100, missing: 0, duplicates: 0, stale: 0 });
  expect(report.dlq).toEqual({
    depth: PLANTED_POISON.length,
    unplanted: 0,
    reasons: { 'the body is not a sync message': 3 },
  });
  for (const fault of [
    'status5xx',
    'requestLimitExceeded',
    'unableToLockRow',
    'outage (503)',
    'delivery drop',
    'delivery duplicate',
    'delivery reorder',
  ]) {
    expect(report.faults.hits[fault]).toBeGreaterThan(0);
  }
  expect(report.ok).toBe(true);
}, 480_000);
