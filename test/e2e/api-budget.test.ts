import { DEMO_STAGE } from '../../local/demo';
import type { LocalStack } from '../../local/stack';
import type { Quote, SyncLogEntry } from '../../shared/domain/synced-records';
import { adminClient } from '../support/admin-client';
import { queueDepth } from '../support/aws';
import { eventually } from '../support/eventually';
import { startInProcessStack } from '../support/in-process-stack';

/**
 * The API budget on the local stack: with the org at 85% of its daily limit and the site's
 * budget at 80%, a stage change is held (deferred, never failed, never sent to the DLQ); once
 * the org's limit is raised the held notification completes on its own.
 */
const ADMIN_TOKEN = 'budget-e2e-admin-token-0123456789';
let stack: LocalStack;

beforeAll(async () => {
  stack = await startInProcessStack('budget', {
    // Short waits, and a reading of the usage counts as old after 1 s.
    env: {
      RATE_LIMIT_BACKOFF_SECONDS: '1',
      HOLD_BACK_RECEIVES: '2',
      REQUEUE_DELAY_SECONDS: '1',
      API_BUDGET_RECHECK_SECONDS: '1',
    },
    adminToken: ADMIN_TOKEN,
    workerBatchingWindowMs: 300,
    workerConcurrency: 1,
    syncQueueVisibilitySeconds: 2,
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const { api } = adminClient(() => stack.url, ADMIN_TOKEN);

interface Status {
  apiUsage: {
    used: number;
    limit: number;
    sharePercent: number;
    maxSharePercent: number;
    withinBudget: boolean;
  };
}

test('at 85% of the daily limit with a budget of 80% a stage change is held, not failed; raising the limit lets it complete', async () => {
  const opportunity = stack.sandbox.store
    .all('Opportunity')
    .find((o) => o.StageName !== DEMO_STAGE && o.IsClosed !== true);
  if (!opportunity) throw new Error('the demo org has no open opportunity off the stage');

  stack.sandbox.setApiUsage({ used: 12_750, limit: 15_000 });
  // The status reads the org (one describe), whose answer carries the usage; it shows it.
  const before = (await api('GET', '/sites/demo/salesforce')) as Status;
  expect(before.apiUsage).toMatchObject({ limit: 15_000, maxSharePercent: 80, withinBudget: false });
  expect(before.apiUsage.sharePercent).toBeGreaterThanOrEqual(85);

  stack.sandbox.store.update(
    'Opportunity',
    opportunity.Id,
    { StageName: DEMO_STAGE },
    { userId: stack.sandbox.adminUserId },
  );
  await stack.sandbox.flushOutbound();

  const logOf = async () =>
    (
      (await api('GET', `/sites/demo/salesforce/log?opportunityId=${opportunity.Id}`)) as {
        entries: SyncLogEntry[];
      }
    ).entries;
  const held = await eventually(
    async () => (await logOf()).find((e) => e.retrying === true),
    'a held attempt',
  );
  expect(held).toMatchObject({ outcome: 'failed', retrying: true });
  expect(held.reason).toMatch(
    /used \d+ of its 15000 daily API requests \(8\d(\.\d)?%\), above this site's budget of 80%/,
  );
  const quotes = async () =>
    ((await api('GET', `/sites/demo/quotes?opportunityId=${opportunity.Id}`)) as { quotes: Quote[] }).quotes;
  expect(await quotes()).toEqual([]);
  expect(await queueDepth(stack.resources.deadLetterQueueUrl)).toBe(0);

  // The org's admin raises the limit: the held notification goes through on a later attempt.
  stack.sandbox.setApiUsage({ limit: 100_000 });
  const [quote] = await eventually(
    async () => {
      const found = await quotes();
      return found.length > 0 ? found : undefined;
    },
    'the quote after the limit was raised',
    30_000,
  );
  expect(quote).toMatchObject({ status: 'Scoping', salesforce: { opportunityId: expect.any(String) } });
  const entries = await logOf();
  expect(entries.some((e) => e.outcome === 'created')).toBe(true);
  expect(entries.every((e) => e.outcome !== 'failed' || e.retrying === true)).toBe(true);
  expect(await queueDepth(stack.resources.deadLetterQueueUrl)).toBe(0);
  const after = (await api('GET', '/sites/demo/salesforce')) as Status;
  expect(after.apiUsage).toMatchObject({ limit: 100_000, withinBudget: true });
}, 90_000);

test('above the budget a reconciliation run reads nothing from the org; back within it, the run finds what the webhooks missed', async () => {
  // Up to date first, so what follows is all the next runs have to see.
  await stack.reconcile();
  const missed = stack.sandbox.store
    .all('Opportunity')
    .find((o) => o.StageName !== DEMO_STAGE && o.IsClosed !== true);
  if (!missed) throw new Error('the demo org has no other open opportunity off the stage');
  stack.sandbox.addFaults({ delivery: [{ action: 'drop', times: 1 }] });
  stack.sandbox.store.update(
    'Opportunity',
    missed.Id,
    { StageName: DEMO_STAGE },
    { userId: stack.sandbox.adminUserId },
  );
  await stack.sandbox.flushOutbound();
  const quotes = async () =>
    ((await api('GET', `/sites/demo/quotes?opportunityId=${missed.Id}`)) as { quotes: Quote[] }).quotes;

  // The org at 85% of its limit, as the status (one describe) has just seen it.
  stack.sandbox.setApiUsage({ used: 85_000, limit: 100_000 });
  expect(((await api('GET', '/sites/demo/salesforce')) as Status).apiUsage.withinBudget).toBe(false);
  const before = stack.sandbox.apiCalls();
  await stack.reconcile();
  const after = stack.sandbox.apiCalls();
  // No query; at most the limits resource, when the reading had grown old before the run.
  expect(after.byKind.query ?? 0).toBe(before.byKind.query ?? 0);
  expect(after.byKind.describe ?? 0).toBe(before.byKind.describe ?? 0);
  expect(after.used - before.used).toBeLessThanOrEqual(1);
  expect(await quotes()).toEqual([]);

  // The limit raised, and seen (the status reads the org again): the next run catches up.
  stack.sandbox.setApiUsage({ limit: 1_000_000 });
  expect(((await api('GET', '/sites/demo/salesforce')) as Status).apiUsage.withinBudget).toBe(true);
  await stack.reconcile();
  const [quote] = await eventually(
    async () => {
      const found = await quotes();
      return found.length > 0 ? found : undefined;
    },
    'the quote reconciliation found',
    30_000,
  );
  expect(quote).toMatchObject({ status: 'Scoping' });
  const { entries } = (await api('GET', `/sites/demo/salesforce/log?opportunityId=${missed.Id}`)) as {
    entries: SyncLogEntry[];
  };
  expect(entries).toEqual([expect.objectContaining({ outcome: 'created', source: 'reconciliation' })]);
}, 90_000);
