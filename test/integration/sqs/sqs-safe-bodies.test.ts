import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDbCompanyRepository,
  DynamoDbPersonRepository,
  DynamoDbQuoteNumbers,
  DynamoDbQuoteRepository,
  DynamoDbSyncLog,
} from '../../../shared/adapters/dynamodb/dynamodb-synced-records';
import { SqsSyncQueue } from '../../../shared/adapters/sqs/sqs-sync-queue';
import { toId18 } from '../../../shared/domain/salesforce-id';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/domain/settings';
import { readSyncMessage, type SyncMessage } from '../../../shared/domain/sync-message';
import { queueNotifications } from '../../../shared/use-cases/queue-notifications';
import { syncNotifications } from '../../../shared/use-cases/sync-notifications';
import { createQueue, createTable, drainQueue, dynamodb, sqs } from '../../support/aws';
import { sfId } from '../../support/outbound-messages';

/**
 * Bodies every SQS takes: the emulator (which, like fauxqs, refuses everything above U+FFFF)
 * and real SQS (which refuses U+FFFE, U+FFFF and lone surrogates) get printable ASCII only, and
 * the worker reads back exactly the text Salesforce sent, in every text field.
 */
const SAMPLES = {
  emoji: 'Deal 😀🚀 👩🏽‍💻',
  rtl: 'שלום عالم مرحبا',
  cjk: '商談 견적 日本語の見積',
  nonCharacters: 'a\uFFFEb\uFFFFc',
  loneSurrogate: 'x\uD800y',
  controls: 'tab\tline\nreturn\r',
};
const STAGE = 'Предложение 😀';
const settings: Settings = {
  ...DEFAULT_SETTINGS,
  opportunityToQuote: { enabled: true, stage: STAGE, updates: 'on-entry', importProducts: true },
  contactToPerson: { enabled: false },
  customFields: [{ key: 'note', label: 'Note', type: 'text', appliesTo: 'opportunity' }],
  fieldMappings: {
    opportunity: [{ salesforceField: 'Note__c', target: { kind: 'custom', key: 'note' } }],
    account: [],
    contact: [],
  },
};
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function message(n: number, text: string): SyncMessage {
  return {
    kind: 'notification',
    version: 1,
    siteId: 'unicode',
    organizationId: '00D5g000004Ck1ZEAS',
    notificationId: sfId('04l', n),
    sObjectType: 'Opportunity',
    recordId: sfId('006', n),
    fields: {
      Id: sfId('006', n),
      Name: `${text} name`,
      Description: `${text} description`,
      StageName: STAGE,
      Note__c: `${text} note`,
      SystemModstamp: '2026-11-20T10:00:00.000Z',
    },
    receivedAt: '2026-11-20T10:00:01.000Z',
    source: 'sync-now',
  };
}

test('every sample in every text field is queued, received and stored exactly', async () => {
  const queueUrl = await createQueue();
  const table = await createTable();
  const messages = Object.values(SAMPLES).map((text, i) => message(i + 1, text));
  const result = await queueNotifications(
    {
      queue: new SqsSyncQueue(sqs, queueUrl),
      logger: silent,
    },
    messages,
  );
  expect(result).toEqual({ queued: messages.length, refused: 0 });

  const bodies = await drainQueue(queueUrl);
  for (const body of bodies) expect(body).toMatch(/^[\x20-\x7e]*$/);
  expect(bodies.map((b) => readSyncMessage(b))).toEqual(expect.arrayContaining(messages));

  const db = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const quotes = new DynamoDbQuoteRepository(db, table);
  const outcome = await syncNotifications(
    {
      settings: { get: async () => ({ siteId: 'unicode', settings, setup: {}, updatedAt: '' }) },
      connections: { markReconnectNeeded: async () => undefined },
      salesforce: {
        forSite: async () => ({
          fetchAccountsAndPrimaryContacts: async () => ({ accounts: new Map(), opportunities: new Map() }),
          apiUsage: async () => ({ used: 0, limit: 15_000 }),
        }),
        settle: async () => undefined,
      },
      quotes,
      quoteNumbers: new DynamoDbQuoteNumbers(db, table),
      companies: new DynamoDbCompanyRepository(db, table),
      persons: new DynamoDbPersonRepository(db, table),
      syncLog: new DynamoDbSyncLog(db, table),
      retries: { holdBack: async () => [], requeue: async () => undefined },
      logger: silent,
      policy: {
        transientBackoffSeconds: 1,
        rateLimitBackoffSeconds: 1,
        maxBackoffSeconds: 1,
        holdBackReceives: 2,
        requeueDelaySeconds: 1,
        maxReconnectWaitMs: 1,
        maxRetryWaitMs: 1,
      },
      now: () => new Date(),
    },
    bodies.map((body, i) => ({ messageId: `m${i}`, receiptHandle: `r${i}`, body, receiveCount: 1 })),
  );
  expect(outcome).toMatchObject({ failedMessageIds: [], outcomes: { created: messages.length } });
  for (const [i, text] of Object.values(SAMPLES).entries()) {
    const quote = await quotes.get('unicode', `sf-${toId18(sfId('006', i + 1))}`);
    expect(quote).toMatchObject({
      title: `${text} name`,
      description: `${text} description`,
      customFields: { note: `${text} note` },
    });
  }
});

test('an entry the queue refuses for good is replaced by a stand-in; its neighbours are queued whole', async () => {
  const queueUrl = await createQueue({ MaximumMessageSize: '2048' });
  const messages = [1, 2, 3].map((n) => message(n, 'plain'));
  const big = messages[1];
  if (big) big.fields.Description = '商'.repeat(2000);
  const result = await queueNotifications(
    {
      queue: new SqsSyncQueue(sqs, queueUrl),
      logger: silent,
    },
    messages,
  );
  expect(result).toEqual({ queued: 2, refused: 1 });
  const received = (await drainQueue(queueUrl)).map((b) => readSyncMessage(b));
  expect(received).toHaveLength(3);
  const standIn = received.find((m) => m?.refused);
  expect(standIn).toMatchObject({ notificationId: sfId('04l', 2), fields: { Id: sfId('006', 2) } });
  expect(standIn?.refused).toMatch(
    /^the sync queue refused the notification: InvalidParameterValue: .*shorter than 2048 bytes/,
  );
});
