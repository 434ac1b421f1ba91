import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/domain/settings';
import type { SyncMessage } from '../../../shared/domain/sync-message';
import type { SalesforceRecordReader } from '../../../shared/ports/salesforce';
import { type ReceivedMessage, syncNotifications } from '../../../shared/use-cases/sync-notifications';
import { createTable, dynamodb } from '../../support/aws';
import { sfId } from '../../support/outbound-messages';
import { dynamoDbSyncDeps } from '../../support/sync-deps';

/** The use case with the real DynamoDB adapters and an in-memory Salesforce. */
const db = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
const STAGE = 'Proposal/Price Quote';
const settings: Settings = {
  ...DEFAULT_SETTINGS,
  opportunityToQuote: { enabled: true, stage: STAGE, updates: 'on-entry', importProducts: true },
};

let table: string;
beforeAll(async () => {
  table = await createTable();
});

function setup(siteId: string) {
  const reads: Array<{ accountIds: readonly string[]; opportunityIds: readonly string[] }> = [];
  const reader: SalesforceRecordReader = {
    apiUsage: async () => ({ used: 0, limit: 15_000 }),
    async fetchAccountsAndPrimaryContacts(request) {
      reads.push(request);
      return {
        accounts: new Map(
          request.accountIds.map((id) => [
            id,
            { Id: id, Name: `Account ${id}`, SystemModstamp: '2026-11-01T00:00:00.000Z' },
          ]),
        ),
        opportunities: new Map(
          request.opportunityIds.map((id) => [
            id,
            {
              primaryContact: {
                Id: sfId('003', 1),
                LastName: 'Coyote',
                Email: 'wile@acme.example.com',
                SystemModstamp: '2026-11-01T00:00:00.000Z',
              },
            },
          ]),
        ),
      };
    },
  };
  const deps = dynamoDbSyncDeps(db, table, { siteId, settings, reader });
  const { quotes } = deps;
  return { deps, reads, quotes };
}

let nextMessage = 0;
function received(siteId: string, n: number, modstamp: string, name = `Opportunity ${n}`): ReceivedMessage {
  const message: SyncMessage = {
    kind: 'notification',
    version: 1,
    siteId,
    organizationId: '00D5g000004Ck1ZEAS',
    notificationId: sfId('04l', ++nextMessage),
    sObjectType: 'Opportunity',
    recordId: sfId('006', n),
    fields: {
      Id: sfId('006', n),
      Name: name,
      StageName: STAGE,
      AccountId: sfId('001', n % 7),
      SystemModstamp: modstamp,
    },
    receivedAt: new Date().toISOString(),
    source: 'sync-now',
  };
  return {
    messageId: `m-${nextMessage}`,
    receiptHandle: `r-${nextMessage}`,
    body: JSON.stringify(message),
    receiveCount: 1,
  };
}

it('syncs 100 notifications with one read of Salesforce, and a redelivery with none', async () => {
  const { deps, reads, quotes } = setup('site-batch');
  const batch = Array.from({ length: 100 }, (_, i) =>
    received('site-batch', i + 1, '2026-11-20T10:00:00.000Z'),
  );
  const result = await syncNotifications(deps, batch);
  expect(result.failedMessageIds).toEqual([]);
  expect(result.outcomes.created).toBe(100);
  expect(reads).toHaveLength(1);
  expect(reads[0]?.accountIds).toHaveLength(7);
  expect((await quotes.list('site-batch', { limit: 100 })).items).toHaveLength(100);

  const again = await syncNotifications(deps, batch);
  expect(again.outcomes.unchanged).toBe(100);
  expect(reads).toHaveLength(1);
});

it('a crash between the person and the quote is retried into exactly one quote', async () => {
  const { deps, quotes } = setup('site-crash');
  let crashes = 1;
  const crashingQuotes = Object.create(quotes) as typeof quotes;
  crashingQuotes.create = async (quote) => {
    if (crashes-- > 0) throw new Error('the process died here');
    return quotes.create(quote);
  };
  const message = received('site-crash', 1, '2026-11-20T10:00:00.000Z');
  const first = await syncNotifications({ ...deps, quotes: crashingQuotes }, [message]);
  expect(first.failedMessageIds).toEqual([message.messageId]);
  expect((await deps.companies.list('site-crash', { limit: 10 })).items).toHaveLength(1);
  expect((await deps.persons.list('site-crash', { limit: 10 })).items).toHaveLength(1);
  expect((await quotes.list('site-crash', { limit: 10 })).items).toHaveLength(0);

  const retry = await syncNotifications({ ...deps, quotes: crashingQuotes }, [message]);
  expect(retry.outcomes.created).toBe(1);
  const stored = (await quotes.list('site-crash', { limit: 10 })).items;
  expect(stored).toHaveLength(1);
  // The number taken before the crash is a gap, not a second quote.
  expect(stored[0]?.number).toBe(2);
  expect((await deps.persons.list('site-crash', { limit: 10 })).items).toHaveLength(1);
});

it('an unreadable body is failed every time, so the DLQ takes it', async () => {
  const { deps } = setup('site-poison');
  const result = await syncNotifications(deps, [
    { messageId: 'poison', receiptHandle: 'r', body: 'not json', receiveCount: 1 },
    received('site-poison', 1, '2026-11-20T10:00:00.000Z'),
  ]);
  expect(result.failedMessageIds).toEqual(['poison']);
  expect(result.outcomes).toMatchObject({ created: 1, failed: 1 });
});

it('a batch mixing doomed notifications with valid ones completes the valid ones, each with its log entry', async () => {
  const { deps, quotes } = setup('site-mixed');
  const valid = [1, 2, 3].map((n) => received('site-mixed', n, '2026-11-20T10:00:00.000Z'));
  const doomed = ["006' OR Id != '", 'abc'].map((recordId, i) => {
    const message = received('site-mixed', 10 + i, '2026-11-20T10:00:00.000Z');
    const body = JSON.parse(message.body);
    return {
      ...message,
      body: JSON.stringify({ ...body, recordId, fields: { ...body.fields, Id: recordId } }),
    };
  });
  const result = await syncNotifications(
    deps,
    [doomed[0], ...valid, doomed[1]].filter((m) => m !== undefined),
  );
  expect(result.failedMessageIds).toEqual([]);
  expect(result.outcomes).toMatchObject({ created: 3, failed: 2 });
  expect((await quotes.list('site-mixed', { limit: 10 })).items).toHaveLength(3);
  const log = (await deps.syncLog.list('site-mixed', { limit: 10 })).items;
  expect(log.filter((e) => e.outcome === 'created')).toHaveLength(3);
  expect(
    log
      .filter((e) => e.outcome === 'failed')
      .map((e) => e.reason)
      .sort(),
  ).toEqual(['"006\' OR Id != \'" is not a Salesforce id', '"abc" is not a Salesforce id']);
  for (const n of [1, 2, 3]) {
    const entries = (await deps.syncLog.listByOpportunity('site-mixed', sfId('006', n), { limit: 10 })).items;
    expect(entries).toEqual([expect.objectContaining({ outcome: 'created' })]);
  }
});
