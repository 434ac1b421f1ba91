import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DEMO_SETTINGS, DEMO_STAGE, provisionDemoSite } from '../../local/demo';
import type { LocalStack } from '../../local/stack';
import { clientFor, redriveDeadLetters } from '../../ops/redrive';
import { apiUsagePrefix, itemKeys, sitePartition } from '../../shared/adapters/dynamodb/keys';
import { LocalKeyCipher, loadOrCreateMasterKey } from '../../shared/adapters/keys/local-keys';
import { toId18 } from '../../shared/domain/salesforce-id';
import type { Company, Person, Quote } from '../../shared/domain/synced-records';
import { adminClient, opportunityReads } from '../support/admin-client';
import { documents, queueDepth, sqs } from '../support/aws';
import { eventually } from '../support/eventually';
import { demoOutbound, startInProcessStack } from '../support/in-process-stack';
import { buildOutboundMessage, sfId } from '../support/outbound-messages';

/**
 * The sync worker on the local stack, in this process: an opportunity changed in the sandbox
 * fires the deployed Flow, the sandbox POSTs the outbound message to the ack handler, the
 * notification goes through SQS to the worker, and the worker reads the sandbox's REST API.
 */
const ADMIN_TOKEN = 'sync-e2e-admin-token-0123456789';
let stack: LocalStack;
let outboundUrl: string;
let organizationId: string;

beforeAll(async () => {
  stack = await startInProcessStack('sync', {
    // Short waits, so faults resolve in seconds.
    env: {
      SALESFORCE_TIMEOUT_MS: '1500',
      TRANSIENT_BACKOFF_SECONDS: '1',
      MAX_BACKOFF_SECONDS: '2',
      RATE_LIMIT_BACKOFF_SECONDS: '1',
      HOLD_BACK_RECEIVES: '2',
      REQUEUE_DELAY_SECONDS: '1',
    },
    adminToken: ADMIN_TOKEN,
    workerBatchingWindowMs: 1000,
    workerConcurrency: 1,
    syncQueueVisibilitySeconds: 2,
  });
  ({ outboundUrl, organizationId } = await demoOutbound(api));
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

afterEach(() => {
  stack.sandbox.clearFaults();
});

const { api } = adminClient(() => stack.url, ADMIN_TOKEN);

const { quotesOf, logOf } = opportunityReads(api, 'demo');

const quoteOf = (opportunityId: string) =>
  eventually(async () => (await quotesOf(opportunityId))[0], `the quote of ${opportunityId}`);

/** Waits until the log of an opportunity has `count` entries; returns them oldest first. */
const logEntries = (opportunityId: string, count: number, ms?: number) =>
  eventually(
    async () => {
      const entries = await logOf(opportunityId);
      return entries.length >= count ? [...entries].reverse() : undefined;
    },
    `${count} log entries of ${opportunityId}`,
    ms,
  );

function seedOpportunity(fields: Record<string, unknown>): string {
  const { store, adminUserId } = stack.sandbox;
  return store.create(
    'Opportunity',
    { StageName: 'Qualification', CloseDate: '2027-03-31', Name: 'Opportunity', ...fields },
    { userId: adminUserId },
  ).Id;
}

function moveToStage(opportunityId: string, extra: Record<string, unknown> = {}) {
  stack.sandbox.store.update(
    'Opportunity',
    opportunityId,
    { StageName: DEMO_STAGE, ...extra },
    { userId: stack.sandbox.adminUserId },
  );
}

const sandboxRecord = (type: string, id: string) => {
  const record = stack.sandbox.store.get(type, id);
  if (!record) throw new Error(`no ${type} ${id} in the sandbox`);
  return record;
};

/** The sync worker environments' calls to the demo org today, from their own usage items. */
async function workerCallsToday(): Promise<number> {
  const day = new Date().toISOString().slice(0, 10);
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: stack.resources.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': sitePartition('demo'), ':prefix': `${apiUsagePrefix(day)}#` },
      ConsistentRead: true,
    }),
  );
  return Items.reduce((sum, item) => sum + Number(item.calls ?? 0), 0);
}

test('an opportunity moved to the stage becomes a Scoping quote with its company and person, in two API calls', async () => {
  const globex = stack.sandbox.store.all('Opportunity').find((o) => o.Name === 'Globex pilot');
  if (!globex) throw new Error('the demo org has no Globex pilot');
  const before = stack.sandbox.apiCalls().byKind.query ?? 0;

  moveToStage(globex.Id);
  await stack.sandbox.flushOutbound();
  const quote = await quoteOf(globex.Id);

  const account = sandboxRecord('Account', String(globex.AccountId));
  expect(quote).toMatchObject({
    quoteId: `sf-${toId18(globex.Id)}`,
    title: 'Globex pilot',
    status: 'Scoping',
    ownerUserId: 'demo-owner',
    opportunityAmount: '12000',
    closeDate: '2027-01-31',
    companyId: `sf-${toId18(account.Id)}`,
    lines: [],
    salesforce: { opportunityId: toId18(globex.Id), accountId: toId18(account.Id) },
  });
  expect(quote.number).toBeGreaterThanOrEqual(1);
  expect((stack.sandbox.apiCalls().byKind.query ?? 0) - before).toBe(2);

  const companies = (await api('GET', '/sites/demo/companies')) as { companies: Company[] };
  expect(companies.companies).toContainEqual(
    expect.objectContaining({
      companyId: quote.companyId,
      name: 'Globex Ltd',
      website: 'https://globex.example.co.uk',
      billingAddress: expect.objectContaining({ city: 'London', postalCode: 'SW1A 2AA' }),
    }),
  );
  const persons = (await api('GET', '/sites/demo/persons')) as { persons: Person[] };
  expect(persons.persons).toContainEqual(
    expect.objectContaining({
      personId: quote.personId,
      firstName: 'Hank',
      lastName: 'Scorpio',
      email: 'hank@globex.example.co.uk',
      title: 'CEO',
      companyId: quote.companyId,
    }),
  );
  expect(await logOf(globex.Id)).toEqual([
    expect.objectContaining({ outcome: 'created', quoteId: quote.quoteId, source: 'outbound-message' }),
  ]);
  expect(await api('GET', `/sites/demo/quotes/${quote.quoteId}`)).toEqual(quote);
});

async function sendOutbound(
  notifications: Array<{ notificationId?: string; fields: Record<string, string | null> }>,
) {
  const response = await fetch(outboundUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    body: buildOutboundMessage({ organizationId, notifications }),
  });
  expect(response.status).toBe(200);
}

function notificationFor(opportunityId: string, fields: Record<string, string | null>) {
  const opportunity = sandboxRecord('Opportunity', opportunityId);
  return {
    fields: {
      Id: opportunityId,
      AccountId: String(opportunity.AccountId),
      Name: String(opportunity.Name),
      StageName: DEMO_STAGE,
      CloseDate: String(opportunity.CloseDate),
      SystemModstamp: new Date().toISOString(),
      ...fields,
    },
  };
}

const acme = () => {
  const account = stack.sandbox.store.all('Account').find((a) => a.Name === 'Acme Corporation');
  if (!account) throw new Error('the demo org has no Acme');
  return account.Id;
};

const dlqDepth = () => queueDepth(stack.resources.deadLetterQueueUrl);

test('the same notification delivered twice leaves one quote; the second delivery is logged unchanged', async () => {
  const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — duplicated delivery' });
  stack.sandbox.addFaults({ delivery: [{ action: 'duplicate', times: 1 }] });
  moveToStage(id);
  await stack.sandbox.flushOutbound();

  const entries = await logEntries(id, 2);
  expect(entries.map((e) => e.outcome).sort()).toEqual(['created', 'unchanged']);
  expect(entries[0]?.notificationId).toBe(entries[1]?.notificationId);
  expect(await quotesOf(id)).toHaveLength(1);
});

test('a newer notification updates only synced fields; an older one arriving later changes nothing', async () => {
  const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — reordered' });
  const quoteId = `sf-${toId18(id)}`;
  await sendOutbound([
    {
      notificationId: sfId('04l', 9001),
      ...notificationFor(id, { SystemModstamp: '2026-11-20T10:00:00.000Z' }),
    },
  ]);
  const created = await quoteOf(id);
  expect(created.title).toBe('Acme — reordered');

  await sendOutbound([
    {
      notificationId: sfId('04l', 9003),
      ...notificationFor(id, {
        Name: 'Acme — newest',
        Amount: '1.5E7',
        SystemModstamp: '2026-11-22T10:00:00.000Z',
      }),
    },
  ]);
  expect((await logEntries(id, 2)).map((e) => e.outcome)).toEqual(['created', 'updated']);
  await sendOutbound([
    {
      notificationId: sfId('04l', 9002),
      ...notificationFor(id, { Name: 'Acme — older', SystemModstamp: '2026-11-21T10:00:00.000Z' }),
    },
  ]);
  const entries = await logEntries(id, 3);
  expect(entries.map((e) => e.outcome)).toEqual(['created', 'updated', 'unchanged']);
  expect(entries[2]?.reason).toMatch(/older/);

  const quote = (await api('GET', `/sites/demo/quotes/${quoteId}`)) as Quote;
  expect(quote).toMatchObject({
    title: 'Acme — newest',
    opportunityAmount: '15000000',
    status: 'Scoping',
    number: created.number,
    createdAt: created.createdAt,
    salesforce: { systemModstamp: '2026-11-22T10:00:00.000Z' },
  });
});

test('a batch of 30 opportunities reaching the stage costs two API calls', async () => {
  const before = stack.sandbox.apiCalls().byKind.query ?? 0;
  const ids = Array.from({ length: 30 }, (_, i) =>
    seedOpportunity({ AccountId: acme(), Name: `Acme — batch ${i}`, StageName: DEMO_STAGE }),
  );
  await stack.sandbox.flushOutbound();
  for (const id of ids) await quoteOf(id);
  // One poller and a one-second window: the 30 notifications arrive as one batch.
  expect((stack.sandbox.apiCalls().byKind.query ?? 0) - before).toBe(2);
});

test('Salesforce 5xx fails the records, which SQS delivers again once Salesforce answers', async () => {
  const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — 503' });
  stack.sandbox.addFaults({ rules: [{ match: { kind: 'query' }, action: 'status5xx', status: 503 }] });
  moveToStage(id);
  await stack.sandbox.flushOutbound();
  const [failure] = await logEntries(id, 1);
  expect(failure).toMatchObject({ outcome: 'failed', retrying: true });
  expect(await quotesOf(id)).toHaveLength(0);

  stack.sandbox.clearFaults();
  await quoteOf(id);
  // The quote is written before its log entry: wait for the entry too.
  const created = await eventually(
    async () => (await logOf(id)).find((e) => e.outcome === 'created'),
    'the created entry',
  );
  expect(created).toMatchObject({ outcome: 'created' });
});

test('an outage longer than maxReceiveCount receives loses nothing and needs no hand work', async () => {
  const dlqBefore = await dlqDepth();
  const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — long outage' });
  stack.sandbox.addFaults({ rules: [{ match: { kind: 'query' }, action: 'status5xx', status: 503 }] });
  moveToStage(id);
  await stack.sandbox.flushOutbound();
  // Six failed attempts, one more than maxReceiveCount: held back, then queued afresh, each copy
  // starting its receives anew.
  const failures = await logEntries(id, 6, 40_000);
  for (const entry of failures) expect(entry).toMatchObject({ outcome: 'failed', retrying: true });
  expect(failures.some((e) => /queued again/.test(e.reason ?? ''))).toBe(true);
  stack.sandbox.clearFaults();
  const quote = await quoteOf(id);
  expect(quote.title).toBe('Acme — long outage');
  expect(await dlqDepth()).toBe(dlqBefore);
}, 60_000);

test('the operator redrive brings dead letters back, and they sync', async () => {
  const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — redriven', StageName: DEMO_STAGE });
  await stack.sandbox.flushOutbound();
  await quoteOf(id);
  // A newer version of it, dead-lettered (say, by a worker that crashed five times on it).
  const message = {
    kind: 'notification',
    version: 1,
    siteId: 'demo',
    organizationId,
    notificationId: sfId('04l', 9100),
    sObjectType: 'Opportunity',
    recordId: id,
    fields: { ...notificationFor(id, { Name: 'Acme — redriven, newer' }).fields },
    receivedAt: new Date().toISOString(),
    source: 'outbound-message',
  };
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.resources.deadLetterQueueUrl,
      MessageBody: JSON.stringify(message),
    }),
  );
  const task = await redriveDeadLetters(
    clientFor(stack.resources.deadLetterQueueUrl),
    stack.resources.deadLetterQueueUrl,
  );
  expect(task.ApproximateNumberOfMessagesMoved).toBeGreaterThanOrEqual(1);
  await eventually(
    async () => ((await quotesOf(id))[0]?.title === 'Acme — redriven, newer' ? true : undefined),
    'the redriven update',
  );
});

test('REQUEST_LIMIT_EXCEEDED holds the message back, then queues a fresh copy, until the limit lifts', async () => {
  const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — limit' });
  // Two attempts of two queries each.
  stack.sandbox.addFaults({
    rules: [{ match: { kind: 'query' }, action: 'requestLimitExceeded', times: 4 }],
  });
  moveToStage(id);
  await stack.sandbox.flushOutbound();
  const entries = await logEntries(id, 3);
  expect(entries.map((e) => [e.outcome, e.errorCode])).toEqual([
    ['failed', 'REQUEST_LIMIT_EXCEEDED'],
    ['failed', 'REQUEST_LIMIT_EXCEEDED'],
    ['created', undefined],
  ]);
  expect(entries[0]?.reason).toMatch(/tried again in 1 s/);
  expect(entries[1]?.reason).toMatch(/queued again/);
});

test('an expired access token is refreshed and the sync goes on', async () => {
  const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — expired token' });
  const refreshes = stack.sandbox.apiCalls().byKind.oauth ?? 0;
  stack.sandbox.expireAccessTokens();
  moveToStage(id);
  await stack.sandbox.flushOutbound();
  await quoteOf(id);
  expect((stack.sandbox.apiCalls().byKind.oauth ?? 0) - refreshes).toBe(1);
});

test('a deleted account is a permanent failure: logged, and the message is not retried', async () => {
  const missingAccount = sfId('001', 777);
  const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — account gone' });
  await sendOutbound([notificationFor(id, { AccountId: missingAccount })]);
  const [entry] = await logEntries(id, 1);
  expect(entry).toMatchObject({ outcome: 'failed', retrying: false, errorCode: 'ENTITY_IS_DELETED' });
  expect(entry?.reason).toContain(toId18(missingAccount));
  await eventually(
    async () => ((await queueDepth(stack.resources.syncQueueUrl)) === 0 ? true : undefined),
    'an empty queue',
  );
  expect(await logOf(id)).toHaveLength(1);
  expect(await quotesOf(id)).toHaveLength(0);
});

test('an unreadable message goes to the DLQ after maxReceiveCount receives', async () => {
  const before = await dlqDepth();
  await sqs.send(
    new SendMessageCommand({ QueueUrl: stack.resources.syncQueueUrl, MessageBody: '{"kind":"nonsense"' }),
  );
  await eventually(async () => ((await dlqDepth()) > before ? true : undefined), 'the DLQ', 40_000);
  // Moved by the worker on its last receive, so it says why it is there.
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: stack.resources.deadLetterQueueUrl,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      VisibilityTimeout: 0,
    }),
  );
  const letter = Messages.find((m) => m.Body === '{"kind":"nonsense"');
  expect(letter?.MessageAttributes?.reason?.StringValue).toBe('the body is not a sync message');
}, 60_000);

test('settings are checked again: toggle off skips; a value unfit for its custom field is a logged error', async () => {
  try {
    await api('PUT', '/sites/demo/salesforce/settings', {
      ...DEMO_SETTINGS,
      opportunityToQuote: { enabled: false, stage: DEMO_STAGE },
    });
    const off = seedOpportunity({ AccountId: acme(), Name: 'Acme — toggle off' });
    await sendOutbound([notificationFor(off, {})]);
    const [skipped] = await logEntries(off, 1);
    expect(skipped).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/off/) });
    expect(await quotesOf(off)).toHaveLength(0);

    await api('PUT', '/sites/demo/salesforce/settings', {
      ...DEMO_SETTINGS,
      customFields: [
        { key: 'kind', label: 'Kind', type: 'dropdown', options: ['New Customer'], appliesTo: 'opportunity' },
        { key: 'big', label: 'Big deal', type: 'checkbox', appliesTo: 'opportunity' },
      ],
      fieldMappings: {
        opportunity: [
          { salesforceField: 'Type', target: { kind: 'custom', key: 'kind' } },
          {
            salesforceField: 'Amount',
            target: { kind: 'custom', key: 'big' },
            condition: { operator: 'gt', value: 100 },
          },
        ],
        account: [],
        contact: [],
      },
    });
    const typed = seedOpportunity({ AccountId: acme(), Name: 'Acme — typed' });
    await sendOutbound([
      notificationFor(typed, {
        Type: 'New Customer',
        Amount: '500.0',
        SystemModstamp: '2026-11-20T10:00:00.000Z',
      }),
    ]);
    const [failed] = await logEntries(typed, 1);
    expect(failed).toMatchObject({ outcome: 'failed', retrying: false });
    expect(failed?.reason).toMatch(/Amount → custom field "Big deal" \(checkbox\)/);

    await sendOutbound([notificationFor(typed, { Type: 'New Customer', Amount: '50.0' })]);
    const [, belowCondition] = await logEntries(typed, 2);
    expect(belowCondition).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/not gt 100/) });
    expect(await quotesOf(typed)).toHaveLength(0);
  } finally {
    await api('PUT', '/sites/demo/salesforce/settings', DEMO_SETTINGS);
  }
});

test('with updates "while-at-stage", edits at the stage follow into the quote; its lines and status stay', async () => {
  try {
    await api('PUT', '/sites/demo/salesforce/settings', {
      ...DEMO_SETTINGS,
      opportunityToQuote: { ...DEMO_SETTINGS.opportunityToQuote, updates: 'while-at-stage' },
    });
    const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — at the stage', StageName: DEMO_STAGE });
    await stack.sandbox.flushOutbound();
    const quote = await quoteOf(id);
    await api('PUT', `/sites/demo/quotes/${quote.quoteId}/lines`, {
      lines: [{ name: 'Design', quantity: 2, unitPrice: '100.00' }],
    });
    await api('PATCH', `/sites/demo/quotes/${quote.quoteId}`, { status: 'Draft' });

    stack.sandbox.store.update(
      'Opportunity',
      id,
      { Name: 'Acme — renamed at the stage', Amount: 777 },
      {
        userId: stack.sandbox.adminUserId,
      },
    );
    await stack.sandbox.flushOutbound();
    const followed = await eventually(async () => {
      const current = (await quotesOf(id))[0];
      return current?.title === 'Acme — renamed at the stage' ? current : undefined;
    }, 'the edit in the quote');
    expect(followed).toMatchObject({ opportunityAmount: '777', status: 'Draft', number: quote.number });
    expect(followed.lines).toEqual([expect.objectContaining({ name: 'Design' })]);
  } finally {
    await api('PUT', '/sites/demo/salesforce/settings', DEMO_SETTINGS);
  }
});

test('reconciliation finds a delivery lost for good, marks a deleted opportunity, and a quiet run costs one call', async () => {
  // A run now brings the watermark up to date, so what follows is all this run has to see.
  await stack.reconcile();
  const lost = seedOpportunity({ AccountId: acme(), Name: 'Acme — delivery lost' });
  stack.sandbox.addFaults({ delivery: [{ action: 'drop', times: 1 }] });
  moveToStage(lost);
  await stack.sandbox.flushOutbound();
  const gone = seedOpportunity({ AccountId: acme(), Name: 'Acme — to be deleted', StageName: DEMO_STAGE });
  await stack.sandbox.flushOutbound();
  const goneQuote = await quoteOf(gone);
  expect(await quotesOf(lost)).toHaveLength(0);
  stack.sandbox.store.remove('Opportunity', gone, { userId: stack.sandbox.adminUserId });

  await stack.reconcile();
  const found = await quoteOf(lost);
  expect(found.title).toBe('Acme — delivery lost');
  expect(await logOf(lost)).toEqual([
    expect.objectContaining({ outcome: 'created', source: 'reconciliation' }),
  ]);
  const marked = (await api('GET', `/sites/demo/quotes/${goneQuote.quoteId}`)) as Quote;
  expect(marked.salesforce.deletedAt).toEqual(expect.any(String));
  expect((await logOf(gone))[0]).toMatchObject({
    source: 'reconciliation',
    reason: expect.stringMatching(/deleted in Salesforce/),
  });

  // Let the queued notification settle, then a quiet run: one query, nothing queued.
  await eventually(
    async () => ((await queueDepth(stack.resources.syncQueueUrl)) === 0 ? true : undefined),
    'an empty queue',
  );
  const before = stack.sandbox.apiCalls().used;
  await stack.reconcile();
  expect(stack.sandbox.apiCalls().used - before).toBe(1);
  expect(await quotesOf(lost)).toHaveLength(1);
});

test('a mapped field deleted in the org (INVALID_FIELD) is logged and not retried', async () => {
  stack.sandbox.seed({
    customFields: [{ sObjectType: 'Account', name: 'Region__c', type: 'string', length: 40 }],
  });
  try {
    await api('PUT', '/sites/demo/salesforce/settings', {
      ...DEMO_SETTINGS,
      customFields: [{ key: 'region', label: 'Region', type: 'text', appliesTo: 'account' }],
      fieldMappings: {
        opportunity: [],
        account: [{ salesforceField: 'Region__c', target: { kind: 'custom', key: 'region' } }],
        contact: [],
      },
    });
    stack.sandbox.store.schema.removeCustomFields();
    const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — field gone' });
    await sendOutbound([notificationFor(id, {})]);
    const [entry] = await logEntries(id, 1);
    expect(entry).toMatchObject({ outcome: 'failed', retrying: false, errorCode: 'INVALID_FIELD' });
    await eventually(
      async () => ((await queueDepth(stack.resources.syncQueueUrl)) === 0 ? true : undefined),
      'an empty queue',
    );
    expect(await logOf(id)).toHaveLength(1);
  } finally {
    await api('PUT', '/sites/demo/salesforce/settings', DEMO_SETTINGS);
  }
});

test('a refused refresh token marks the site reconnect-needed and keeps its notifications until it reconnects', async () => {
  const dlqBefore = await dlqDepth();
  const record = await documents.send(
    new GetCommand({
      TableName: stack.resources.tableName,
      Key: itemKeys.connection('demo'),
    }),
  );
  const cipher = new LocalKeyCipher(loadOrCreateMasterKey(String(process.env.LOCAL_KEY_FILE)));
  const refreshToken = await cipher.decrypt(record.Item?.refreshToken, 'demo');
  expect(stack.sandbox.auth.revoke(refreshToken)).toBe(true);
  stack.sandbox.expireAccessTokens();

  const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — waiting for reconnect' });
  moveToStage(id);
  await stack.sandbox.flushOutbound();
  // Several rounds: each copy is received, found waiting, and queued again.
  const entries = await logEntries(id, 4, 30_000);
  for (const entry of entries) expect(entry).toMatchObject({ outcome: 'failed', retrying: true });
  expect(entries[0]?.reason).toMatch(/invalid_grant/);
  const status = (await api('GET', '/sites/demo/salesforce')) as { connection: { status: string } };
  expect(status.connection.status).toBe('reconnect-needed');
  expect(await dlqDepth()).toBe(dlqBefore);

  await provisionDemoSite(stack.url, ADMIN_TOKEN);
  const quote = await quoteOf(id);
  expect(quote.title).toBe('Acme — waiting for reconnect');
}, 60_000);

describe("the opportunity's products become the quote's first lines", () => {
  const twoProducts = [
    {
      name: 'Scanner licence',
      productCode: 'SCN-1',
      listPrice: 1250,
      quantity: 25,
      unitPrice: 1200,
      description: 'One per door',
    },
    { name: 'Onboarding', productCode: 'SRV-ONB', listPrice: 5000, quantity: 1.5, discount: 12.5 },
  ];

  test('an opportunity with two products becomes a quote whose lines carry them, in two API calls', async () => {
    const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — with products' });
    stack.sandbox.addProducts(id, twoProducts);
    expect(sandboxRecord('Opportunity', id).Amount).toBe(25 * 1200 + 1.5 * 5000 * 0.875);
    const before = stack.sandbox.apiCalls().byKind.query ?? 0;
    moveToStage(id);
    await stack.sandbox.flushOutbound();
    const quote = await quoteOf(id);
    expect(quote.lines).toEqual([
      {
        name: 'Scanner licence',
        productCode: 'SCN-1',
        description: 'One per door',
        quantity: '25',
        unitPrice: '1200',
        discountPercent: '0',
        vatPercent: '0',
      },
      {
        name: 'Onboarding',
        productCode: 'SRV-ONB',
        quantity: '1.5',
        unitPrice: '5000',
        discountPercent: '12.5',
        vatPercent: '0',
      },
    ]);
    expect(quote.totals).toMatchObject({ net: '36562.50' });
    expect(quote.productsChanged ?? null).toBeNull();
    expect((stack.sandbox.apiCalls().byKind.query ?? 0) - before).toBe(2);
  });

  test("the worker's two calls count in the site's calls of the day, carried by its sync log write", async () => {
    const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — counted calls' });
    stack.sandbox.addProducts(id, twoProducts);
    const callsBefore = await workerCallsToday();
    const before = stack.sandbox.apiCalls().used;
    moveToStage(id);
    await stack.sandbox.flushOutbound();
    await quoteOf(id);
    await eventually(
      async () => ((await workerCallsToday()) > callsBefore ? true : undefined),
      "the worker's count of the day",
    );
    expect(stack.sandbox.apiCalls().used - before).toBe(2);
    expect((await workerCallsToday()) - callsBefore).toBe(2);
  });

  test('a batch of 30 opportunities with products still costs two API calls', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => {
      const id = seedOpportunity({ AccountId: acme(), Name: `Acme — products ${i}` });
      stack.sandbox.addProducts(id, twoProducts);
      return id;
    });
    const before = stack.sandbox.apiCalls().byKind.query ?? 0;
    for (const id of ids) moveToStage(id);
    await stack.sandbox.flushOutbound();
    for (const id of ids)
      await eventually(
        async () => ((await quoteOf(id)).lines.length === 2 ? true : undefined),
        `the lines of ${id}`,
      );
    expect((stack.sandbox.apiCalls().byKind.query ?? 0) - before).toBe(2);
  });

  test('a product added later is recorded on the quote as changed in Salesforce, never merged', async () => {
    try {
      await api('PUT', '/sites/demo/salesforce/settings', {
        ...DEMO_SETTINGS,
        opportunityToQuote: { ...DEMO_SETTINGS.opportunityToQuote, updates: 'while-at-stage' },
      });
      const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — products later' });
      stack.sandbox.addProducts(id, twoProducts.slice(0, 1));
      moveToStage(id);
      await stack.sandbox.flushOutbound();
      const quote = await quoteOf(id);
      expect(quote.lines.map((l) => l.name)).toEqual(['Scanner licence']);
      // The roll-up of Amount saves the opportunity, so the flow sends it again.
      stack.sandbox.addProducts(id, [{ name: 'Spare scanner', listPrice: 100, quantity: 2 }]);
      await stack.sandbox.flushOutbound();
      const changed = await eventually(async () => {
        const current = (await quotesOf(id))[0];
        return current?.productsChanged ? current : undefined;
      }, 'the product change on the quote');
      expect(changed.productsChanged).toMatchObject({ added: 1, removed: 0, changed: 0 });
      expect(changed.productsChanged?.message).toMatch(/^Products changed in Salesforce/);
      expect(changed.lines.map((l) => l.name)).toEqual(['Scanner licence']);
    } finally {
      await api('PUT', '/sites/demo/salesforce/settings', DEMO_SETTINGS);
    }
  });

  test('with opportunityToQuote.importProducts off, the quote starts without lines', async () => {
    try {
      await api('PUT', '/sites/demo/salesforce/settings', {
        ...DEMO_SETTINGS,
        opportunityToQuote: { ...DEMO_SETTINGS.opportunityToQuote, importProducts: false },
      });
      const id = seedOpportunity({ AccountId: acme(), Name: 'Acme — no import' });
      stack.sandbox.addProducts(id, twoProducts);
      moveToStage(id);
      await stack.sandbox.flushOutbound();
      const quote = await quoteOf(id);
      expect(quote.lines).toEqual([]);
      expect(quote.importedProducts).toBeUndefined();
    } finally {
      await api('PUT', '/sites/demo/salesforce/settings', DEMO_SETTINGS);
    }
  });
});
