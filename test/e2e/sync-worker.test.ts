import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DEMO_STAGE } from '../../local/demo';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { toId18 } from '../../shared/domain/salesforce-id';
import type { Company, Person, Quote, SyncLogEntry } from '../../shared/domain/synced-records';
import { queueDepth, sqs } from '../support/aws';
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
  // Read when the worker loads (lazily, at its first batch): short waits so faults resolve in seconds.
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    SALESFORCE_TIMEOUT_MS: '1500',
    RATE_LIMIT_BACKOFF_SECONDS: '1',
    HOLD_BACK_RECEIVES: '2',
    REQUEUE_DELAY_SECONDS: '1',
  });
  stack = await startLocalStack({
    externalEmulators: true,
    port: 0,
    sandboxPort: 0,
    prefix: `e2e-sync-${randomUUID().slice(0, 8)}`,
    adminToken: ADMIN_TOKEN,
    workerBatchingWindowMs: 1000,
    syncQueueVisibilitySeconds: 2,
  });
  const status = (await api('GET', '/sites/demo/salesforce')) as {
    outboundMessageUrl: string;
    connection: { organizationId: string };
  };
  outboundUrl = status.outboundMessageUrl;
  organizationId = status.connection.organizationId;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

afterEach(() => {
  stack.sandbox.clearFaults();
});

async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Waits (without asserting on time) until `probe` returns a value, or fails after `ms`. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const quotesOf = async (opportunityId: string) =>
  ((await api('GET', `/sites/demo/quotes?opportunityId=${opportunityId}`)) as { quotes: Quote[] }).quotes;

const logOf = async (opportunityId: string) =>
  (
    (await api('GET', `/sites/demo/salesforce/log?opportunityId=${opportunityId}`)) as {
      entries: SyncLogEntry[];
    }
  ).entries;

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
