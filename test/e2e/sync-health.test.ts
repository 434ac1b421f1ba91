import { DEMO_OWNER, DEMO_STAGE } from '../../local/demo';
import type { LocalStack } from '../../local/stack';
import type { Quote, SyncLogEntry } from '../../shared/domain/synced-records';
import { eventually } from '../support/eventually';
import { demoOutbound, startInProcessStack } from '../support/in-process-stack';
import { signInLocally } from '../support/local-sign-in';
import { buildOutboundMessage, sfId } from '../support/outbound-messages';

/**
 * Sync health on the local stack, as an admin lives it: a notification fails for good (it named
 * an account that does not exist), the failure shows up grouped by its reason, the admin signs in
 * and presses Retry, which reads the opportunity afresh from the org and queues it; the worker
 * then creates the quote, and the opportunity's timeline tells the whole story.
 */
const ADMIN_TOKEN = 'health-e2e-admin-token-0123456789';
let stack: LocalStack;
let outboundUrl: string;
let organizationId: string;
let bearer: string;

beforeAll(async () => {
  stack = await startInProcessStack('health', {
    adminToken: ADMIN_TOKEN,
    workerBatchingWindowMs: 200,
    workerConcurrency: 1,
  });
  // Dana, the demo site's admin, signs in with the admin token through the local sign-in.
  bearer = (await signInLocally(stack.url, { email: DEMO_OWNER.email, password: ADMIN_TOKEN })).access_token;
  ({ outboundUrl, organizationId } = await demoOutbound(call));
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

async function call(method: string, path: string): Promise<unknown> {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}` },
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
}

test('a failed notification is found by its reason, retried with fresh data, and its timeline tells the story', async () => {
  const { store, adminUserId } = stack.sandbox;
  const acme = store.all('Account').find((account) => account.Name === 'Acme Corporation');
  if (!acme) throw new Error('the demo org has no Acme');
  const opportunityId = store.create(
    'Opportunity',
    { StageName: DEMO_STAGE, CloseDate: '2027-03-31', Name: 'Health — Łódź rollout', AccountId: acme.Id },
    { userId: adminUserId },
  ).Id;
  await stack.sandbox.flushOutbound();
  const quoteOf = async () =>
    ((await call('GET', `/sites/demo/quotes?opportunityId=${opportunityId}`)) as { quotes: Quote[] })
      .quotes[0];
  const original = await eventually(quoteOf, 'the quote of the new opportunity');

  // A notification that names an account the org does not have: a permanent failure.
  const missingAccount = sfId('001', 4242);
  const response = await fetch(outboundUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    body: buildOutboundMessage({
      organizationId,
      notifications: [
        {
          fields: {
            Id: opportunityId,
            AccountId: missingAccount,
            Name: 'Health — Łódź rollout (renamed)',
            StageName: DEMO_STAGE,
            CloseDate: '2027-03-31',
            SystemModstamp: new Date(Date.now() + 60_000).toISOString(),
          },
        },
      ],
    }),
  });
  expect(response.status).toBe(200);
  const failures = await eventually(async () => {
    const summary = (await call('GET', '/sites/demo/salesforce/log/failures')) as {
      groups: Array<{ key: string; count: number; latest: Array<SyncLogEntry & { entryId: string }> }>;
    };
    return summary.groups.find((group) => group.key === 'ENTITY_IS_DELETED');
  }, 'the failure, grouped by its reason');
  const failed = failures.latest.find((entry) => entry.opportunityId === opportunityId);
  expect(failed).toMatchObject({
    outcome: 'failed',
    retrying: false,
    opportunityName: 'Health — Łódź rollout (renamed)',
  });

  // The search finds it by the start of its name; the export lists the failure.
  const found = (await call('GET', '/sites/demo/salesforce/opportunities?q=health%20%E2%80%94%20lodz')) as {
    opportunities: Array<{ opportunityId: string }>;
  };
  expect(found.opportunities.map((o) => o.opportunityId)).toContain(opportunityId);
  const csv = String(
    await call('GET', `/sites/demo/salesforce/log/export?opportunityId=${opportunityId}&outcome=failed`),
  );
  expect(csv).toContain(',ENTITY_IS_DELETED,false,');

  // Retry reads the opportunity as the org has it (with Acme), and the worker updates the quote.
  await call('POST', `/sites/demo/salesforce/log/${failed?.entryId}/retry`);
  const retried = await eventually(async () => {
    const { entries } = (await call('GET', `/sites/demo/salesforce/log?opportunityId=${opportunityId}`)) as {
      entries: SyncLogEntry[];
    };
    return entries.find((entry) => entry.source === 'retry');
  }, 'the retried attempt');
  expect(retried).toMatchObject({ notificationId: failed?.notificationId, quoteId: original.quoteId });
  expect(['updated', 'unchanged']).toContain(retried.outcome);

  const timeline = (await call('GET', `/sites/demo/salesforce/opportunities/${opportunityId}/timeline`)) as {
    name: string;
    events: Array<{ kind: string; source?: string; outcome?: string; actor?: string }>;
  };
  expect(
    timeline.events.map((e) => [e.kind, e.source ?? e.actor ?? '', e.outcome ?? ''].join(' ').trim()),
  ).toEqual([
    `notification retry ${retried.outcome}`,
    'notification-retried Dana Delivery',
    'notification outbound-message failed',
    'notification outbound-message created',
    'quote-created',
  ]);
});
