import { DEMO_STAGE } from '../../local/demo';
import type { LocalStack } from '../../local/stack';
import { toId18 } from '../../shared/domain/salesforce-id';
import type { Quote } from '../../shared/domain/synced-records';
import { adminClient, opportunityReads } from '../support/admin-client';
import { queueDepth } from '../support/aws';
import { eventually } from '../support/eventually';
import { startInProcessStack } from '../support/in-process-stack';

/**
 * Scheduled reconciliation on the local stack, driven by its own timer (as EventBridge
 * Scheduler drives the deployed function): nothing here asks for a run. A delivery Salesforce
 * lost for good becomes a quote all the same, an opportunity deleted in Salesforce is marked on
 * its quote, and a quiet site costs at most one API call per run.
 */
const ADMIN_TOKEN = 'reconcile-e2e-admin-token-0123456789';
const INTERVAL_MS = 1_000;
let stack: LocalStack;

beforeAll(async () => {
  stack = await startInProcessStack('reconcile', {
    adminToken: ADMIN_TOKEN,
    workerBatchingWindowMs: 200,
    workerConcurrency: 1,
    syncQueueVisibilitySeconds: 5,
    reconcileIntervalMs: INTERVAL_MS,
  });
  // The demo's start-up work (its Synchronize-now run) settles, and a run catches up on it.
  await settled();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const { api } = adminClient(() => stack.url, ADMIN_TOKEN);

const { quotesOf, logOf } = opportunityReads(api, 'demo');

/** Both queues empty and a whole scheduled run ended after that. */
async function settled() {
  await eventually(
    async () =>
      (await queueDepth(stack.resources.syncQueueUrl)) === 0 &&
      (await queueDepth(stack.resources.syncRunQueueUrl)) === 0
        ? true
        : undefined,
    'empty queues',
    30_000,
  );
  await stack.nextReconciliation();
  await stack.nextReconciliation();
}

function createOpportunity(name: string, stage: string): string {
  const { store, adminUserId } = stack.sandbox;
  const account = store.create('Account', { Name: `${name} Ltd` }, { userId: adminUserId }).Id;
  return store.create(
    'Opportunity',
    { Name: name, AccountId: account, StageName: stage, CloseDate: '2027-03-31', Amount: 4200 },
    { userId: adminUserId },
  ).Id;
}

const sentFor = (opportunityId: string) =>
  (stack.sandbox.outbound()?.sentBodies ?? []).filter((sent) => sent.body.includes(opportunityId));

test('the timer finds an opportunity whose delivery was lost for good and queues it; the log names reconciliation', async () => {
  const lost = createOpportunity('Initech — delivery lost', 'Qualification');
  stack.sandbox.addFaults({ delivery: [{ action: 'drop', times: 1 }] });
  stack.sandbox.store.update(
    'Opportunity',
    lost,
    { StageName: DEMO_STAGE },
    { userId: stack.sandbox.adminUserId },
  );
  await stack.sandbox.flushOutbound();
  // The flow fired and the drop took its delivery (the rule is used up), yet nothing reached the ack.
  expect(stack.sandbox.faults.list().delivery).toEqual([]);
  expect(sentFor(lost)).toEqual([]);

  const quote = await eventually(
    async () => (await quotesOf(lost))[0],
    'the quote of the lost opportunity',
    30_000,
  );
  expect(quote).toMatchObject({
    quoteId: `sf-${toId18(lost)}`,
    title: 'Initech — delivery lost',
    status: 'Scoping',
    opportunityAmount: '4200',
  });
  expect(await logOf(lost)).toEqual([
    expect.objectContaining({ outcome: 'created', source: 'reconciliation', quoteId: quote.quoteId }),
  ]);
  expect(sentFor(lost)).toEqual([]);
});

test('an opportunity deleted in Salesforce is marked on its quote by the timer; the quote is kept', async () => {
  const gone = createOpportunity('Umbrella — to be deleted', DEMO_STAGE);
  await stack.sandbox.flushOutbound();
  const quote = await eventually(async () => (await quotesOf(gone))[0], 'the quote from the webhook');
  expect(quote.salesforce.deletedAt).toBeUndefined();
  // The timer may see the new opportunity before its webhook lands: one path creates the quote,
  // the other finds it synced and changes nothing.
  const before = await eventually(async () => {
    const entries = await logOf(gone);
    return entries.some((entry) => entry.outcome === 'created') ? entries : undefined;
  }, 'the created entry');
  expect(before.filter((entry) => entry.outcome === 'created')).toHaveLength(1);
  expect(before.every((entry) => ['created', 'unchanged'].includes(entry.outcome))).toBe(true);

  stack.sandbox.store.remove('Opportunity', gone, { userId: stack.sandbox.adminUserId });
  const marked = await eventually(
    async () => {
      const current = (await api('GET', `/sites/demo/quotes/${quote.quoteId}`)) as Quote;
      return current.salesforce.deletedAt ? current : undefined;
    },
    'the quote marked deleted in Salesforce',
    30_000,
  );
  expect(marked).toMatchObject({ quoteId: quote.quoteId, title: quote.title, status: 'Scoping' });
  expect((await logOf(gone))[0]).toMatchObject({
    source: 'reconciliation',
    outcome: 'updated',
    quoteId: quote.quoteId,
    reason: expect.stringMatching(/deleted in Salesforce/),
  });

  // Later runs see the deletion again (their overlap) and leave the mark and the log as they are.
  const logged = (await logOf(gone)).length;
  await stack.nextReconciliation();
  await stack.nextReconciliation();
  expect(await logOf(gone)).toHaveLength(logged);
  const marks = (await logOf(gone)).filter((entry) => entry.reason?.includes('deleted in Salesforce'));
  expect(marks).toHaveLength(1);
  expect(await quotesOf(gone)).toHaveLength(1);
});

test('a quiet site costs at most one Salesforce API call per scheduled run', async () => {
  await settled();
  const runs = 3;
  const costs: number[] = [];
  let before = stack.sandbox.apiCalls().used;
  for (let i = 0; i < runs; i++) {
    await stack.nextReconciliation();
    const used = stack.sandbox.apiCalls().used;
    costs.push(used - before);
    before = used;
  }
  expect(costs).toEqual(Array.from({ length: runs }, () => 1));
  expect(await queueDepth(stack.resources.syncQueueUrl)).toBe(0);
});
