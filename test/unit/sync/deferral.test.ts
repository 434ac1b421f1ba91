import { type DeferralPolicy, describeDeferral, planDeferral } from '../../../shared/domain/deferral';

/** The deferral schedule: pure, so whole outages are simulated in microseconds. */
const policy: DeferralPolicy = {
  transientBackoffSeconds: 30,
  rateLimitBackoffSeconds: 300,
  maxBackoffSeconds: 900,
  holdBackReceives: 3,
  requeueDelaySeconds: 900,
  maxReconnectWaitMs: 14 * 24 * 3_600_000,
  maxRetryWaitMs: 4 * 24 * 3_600_000,
};
const MAX_RECEIVE_COUNT = 5;
const start = Date.parse('2026-11-20T00:00:00.000Z');

/** Follows one notification through an outage of `outageMs`; returns every wait and when it got through. */
function throughOutage(kind: 'transient' | 'rate-limit' | 'budget', outageMs: number, random = Math.random) {
  let now = start;
  let copy = { receiveCount: 1, deferrals: 0 };
  const waits: Array<{ transport: string; seconds: number; receiveCount: number }> = [];
  while (now < start + outageMs) {
    const plan = planDeferral(
      { kind, detail: 'down' },
      { ...copy, receivedAt: new Date(start).toISOString() },
      policy,
      new Date(now),
      random,
    );
    if (plan.transport === 'give-up') throw new Error(`given up at ${(now - start) / 3_600_000} h`);
    waits.push({ transport: plan.transport, seconds: plan.seconds, receiveCount: copy.receiveCount });
    now += plan.seconds * 1000;
    copy =
      plan.transport === 'hold'
        ? { ...copy, receiveCount: copy.receiveCount + 1 }
        : { receiveCount: 1, deferrals: plan.deferrals };
  }
  return { waits, throughAfterMs: now - (start + outageMs) };
}

test('a 6-hour outage loses nothing: no give-up, no receive count near the DLQ, waits capped at 15 minutes', () => {
  for (const random of [() => 0, () => 0.5, () => 0.999, Math.random]) {
    const { waits, throughAfterMs } = throughOutage('transient', 6 * 3_600_000, random);
    expect(Math.max(...waits.map((w) => w.receiveCount))).toBeLessThan(MAX_RECEIVE_COUNT);
    expect(Math.max(...waits.map((w) => w.seconds))).toBeLessThanOrEqual(900);
    // Once the outage ends, the next attempt comes within one capped wait.
    expect(throughAfterMs).toBeLessThanOrEqual(900_000);
    // About one attempt per 7.5 to 15 minutes once the cap is reached.
    expect(waits.length).toBeGreaterThan(20);
    expect(waits.length).toBeLessThan(60);
  }
});

test('waits double from the first one, drawn from their upper half', () => {
  const { waits } = throughOutage('transient', 3_600_000, () => 0);
  expect(waits.slice(0, 6).map((w) => [w.transport, w.seconds])).toEqual([
    ['hold', 15],
    ['hold', 30],
    ['requeue', 60],
    ['hold', 120],
    ['hold', 240],
    ['requeue', 450],
  ]);
  expect(throughOutage('transient', 60_000, () => 0.999).waits[0]?.seconds).toBe(30);
});

test('rate limits and the API budget start from the longer wait', () => {
  for (const kind of ['rate-limit', 'budget'] as const) {
    const { waits } = throughOutage(kind, 2 * 3_600_000, () => 0.999);
    expect(waits.slice(0, 3).map((w) => w.seconds)).toEqual([300, 600, 900]);
  }
});

test('a hold-back is at most SQS’s 12 hours, a copy’s delay at most its 15 minutes', () => {
  const long = { ...policy, maxBackoffSeconds: 86_400 };
  const attempt = { receiveCount: 1, deferrals: 20, receivedAt: new Date(start).toISOString() };
  expect(
    planDeferral({ kind: 'transient', detail: '' }, attempt, long, new Date(start), () => 0.999),
  ).toEqual({
    transport: 'hold',
    seconds: 43_200,
  });
  expect(
    planDeferral(
      { kind: 'transient', detail: '' },
      { ...attempt, receiveCount: 3 },
      long,
      new Date(start),
      () => 0.999,
    ),
  ).toEqual({ transport: 'requeue', seconds: 900, deferrals: 23 });
});

test('a site waiting for its admin gets a steady copy, and is given up after 14 days', () => {
  const waiting = { receiveCount: 1, deferrals: 7, receivedAt: new Date(start).toISOString() };
  const reason = { kind: 'reconnect' as const, detail: 'reconnect' };
  expect(planDeferral(reason, waiting, policy, new Date(start + 3_600_000), Math.random)).toEqual({
    transport: 'requeue',
    seconds: 900,
    deferrals: 8,
  });
  const late = planDeferral(reason, waiting, policy, new Date(start + 15 * 24 * 3_600_000), Math.random);
  expect(late).toEqual({
    transport: 'give-up',
    reason: 'given up after waiting 336 h for the site to be reconnected to Salesforce',
  });
  expect(describeDeferral(reason, late)).toBe(
    'reconnect; given up after waiting 336 h for the site to be reconnected to Salesforce',
  );
  const outage = planDeferral(
    { kind: 'transient', detail: 'down' },
    waiting,
    policy,
    new Date(start + 5 * 24 * 3_600_000),
    Math.random,
  );
  expect(outage).toEqual({ transport: 'give-up', reason: 'given up after 96 h of retries' });
});
