import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbQuoteEditor } from '../../../shared/adapters/dynamodb/dynamodb-quote-editor';
import { DynamoDbActivityLog } from '../../../shared/adapters/dynamodb/dynamodb-synced-records';
import { itemKeys } from '../../../shared/adapters/dynamodb/keys';
import {
  DYNAMODB_ITEM_LIMIT_BYTES,
  ITEM_BUDGET_BYTES,
  ItemTooLargeError,
  itemSizeBytes,
} from '../../../shared/domain/item-size';
import { MAX_LINES_JSON_BYTES, type QuoteSend } from '../../../shared/domain/quote-editing';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/domain/settings';
import type { SyncMessage } from '../../../shared/domain/sync-message';
import type { SyncLogEntry } from '../../../shared/domain/synced-records';
import type { SalesforceRecordReader } from '../../../shared/ports/salesforce';
import { setQuoteLines } from '../../../shared/use-cases/edit-quote';
import { type ReceivedMessage, syncNotifications } from '../../../shared/use-cases/sync-notifications';
import { createTable, documents } from '../../support/aws';
import { sfId } from '../../support/outbound-messages';
import { dynamoDbSyncDeps } from '../../support/sync-deps';

/**
 * Items stay under DynamoDB's 400 KB whatever an emulator lets through: dynalite stores an item
 * of any size, so each test measures the stored item itself. A sync whose data cannot fit is that
 * opportunity's failure for good, naming the field; an edit that cannot fit is a 400 naming it.
 */
const STAGE = 'Proposal/Price Quote';
const NOTES = ['notes_a', 'notes_b', 'notes_c', 'notes_d', 'notes_e'];
const PROFILES = ['profile_a', 'profile_b', 'profile_c', 'profile_d', 'profile_e'];
const settings: Settings = {
  ...DEFAULT_SETTINGS,
  opportunityToQuote: { enabled: true, stage: STAGE, updates: 'while-at-stage', importProducts: true },
  contactToPerson: { enabled: false },
  customFields: [
    ...NOTES.map((key) => ({ key, label: key, type: 'text' as const, appliesTo: 'opportunity' as const })),
    ...PROFILES.map((key) => ({ key, label: key, type: 'text' as const, appliesTo: 'account' as const })),
  ],
  fieldMappings: {
    opportunity: NOTES.map((key) => ({
      salesforceField: `${key}__c`,
      target: { kind: 'custom' as const, key },
    })),
    account: PROFILES.map((key) => ({
      salesforceField: `${key}__c`,
      target: { kind: 'custom' as const, key },
    })),
    contact: [],
  },
};
/** Three UTF-8 bytes per character: 32,000 characters (the longest custom text) are 96,000 bytes. */
const cjk = (chars: number) => '漢'.repeat(chars);

let table: string;
beforeAll(async () => {
  table = await createTable();
});

function setup(siteId: string) {
  const accountProfile = new Map<string, string>();
  const reader: SalesforceRecordReader = {
    apiUsage: async () => ({ used: 0, limit: 15_000 }),
    async fetchAccountsAndPrimaryContacts(request) {
      return {
        accounts: new Map(
          request.accountIds.map((id) => [
            id,
            {
              Id: id,
              Name: `Account ${id}`,
              SystemModstamp: '2026-11-01T00:00:00.000Z',
              ...Object.fromEntries(PROFILES.map((key) => [`${key}__c`, accountProfile.get(id) ?? null])),
            },
          ]),
        ),
        opportunities: new Map(request.opportunityIds.map((id) => [id, {}])),
      };
    },
  };
  const deps = dynamoDbSyncDeps(documents, table, { siteId, settings, reader });
  const editDeps = {
    quotes: new DynamoDbQuoteEditor(documents, table),
    users: { get: async () => undefined } as never,
    activity: new DynamoDbActivityLog(documents, table),
    now: () => new Date(),
  };
  const rawItem = async (key: { pk: string; sk: string }) =>
    (await documents.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
  const logOf = async (opportunity: number) =>
    (await deps.syncLog.listByOpportunity(siteId, sfId('006', opportunity), { limit: 20 }))
      .items as SyncLogEntry[];
  return { deps, editDeps, rawItem, logOf, accountProfile };
}

let nextMessage = 0;
function received(
  siteId: string,
  opportunity: number,
  modstamp: string,
  notes: Partial<Record<string, string>>,
  account = 1,
): ReceivedMessage {
  const message: SyncMessage = {
    kind: 'notification',
    version: 1,
    siteId,
    organizationId: '00D5g000004Ck1ZEAS',
    notificationId: sfId('04l', ++nextMessage),
    sObjectType: 'Opportunity',
    recordId: sfId('006', opportunity),
    fields: {
      Id: sfId('006', opportunity),
      Name: `Opportunity ${opportunity}`,
      StageName: STAGE,
      AccountId: sfId('001', account),
      SystemModstamp: modstamp,
      ...Object.fromEntries(Object.entries(notes).map(([key, value]) => [`${key}__c`, value])),
    },
    receivedAt: new Date().toISOString(),
    source: 'outbound-message',
  };
  return {
    messageId: `m-${nextMessage}`,
    receiptHandle: `r-${nextMessage}`,
    body: JSON.stringify(message),
    receiveCount: 1,
  };
}

/** Lines whose JSON is just under the 300 KiB the lines may take: the most a quote may carry. */
function largestLines() {
  const line = (i: number) => ({
    name: `Line ${i} ${'n'.repeat(180)}`,
    description: 'd'.repeat(2000),
    quantity: '1',
    unitPrice: '100',
  });
  const lines = [];
  while (Buffer.byteLength(JSON.stringify([...lines, line(lines.length)])) <= MAX_LINES_JSON_BYTES - 4096)
    lines.push(line(lines.length));
  return lines;
}

const editor = { name: 'Ada', subject: 'ada' };
const lengths = (fields: Record<string, unknown> | undefined) =>
  Object.fromEntries(
    Object.entries(fields ?? {}).flatMap(([key, value]) =>
      typeof value === 'string' ? [[key, value.length]] : [],
    ),
  );

test('the largest quote the limits allow is stored under 400 KB; a sync that would pass it fails for that opportunity alone, naming the field', async () => {
  const site = 'budget-quote';
  const { deps, editDeps, rawItem, logOf } = setup(site);
  const quoteKey = itemKeys.quote(site, `sf-${sfId('006', 1)}`);

  // Lines at their cap, and synced custom fields filling what is left.
  const small = { notes_a: cjk(15_000), notes_b: cjk(15_000) };
  expect(await syncNotifications(deps, [received(site, 1, '2026-11-02T00:00:00.000Z', small)])).toMatchObject(
    { failedMessageIds: [], outcomes: { created: 1 } },
  );
  const lines = largestLines();
  await setQuoteLines(editDeps, site, `sf-${sfId('006', 1)}`, { lines }, editor);
  const stored = await rawItem(quoteKey);
  const bytes = itemSizeBytes(stored ?? {});
  expect(bytes).toBeGreaterThan(ITEM_BUDGET_BYTES - 12 * 1024);
  expect(bytes).toBeLessThanOrEqual(DYNAMODB_ITEM_LIMIT_BYTES);
  expect(stored?.lines).toHaveLength(lines.length);

  // One field grows past what fits; its neighbour in the batch is created all the same.
  const result = await syncNotifications(deps, [
    received(site, 1, '2026-11-03T00:00:00.000Z', { ...small, notes_c: cjk(10_000) }),
    received(site, 2, '2026-11-03T00:00:00.000Z', small),
  ]);
  expect(result).toEqual({
    failedMessageIds: [],
    outcomes: { created: 1, updated: 0, unchanged: 0, skipped: 0, failed: 1 },
  });
  const [failure] = await logOf(1);
  expect(failure).toMatchObject({ outcome: 'failed', retrying: false });
  expect(failure?.reason).toMatch(
    /^the quote sf-\w{18} would be [\d.]+ KiB, more than the 396\.0 KiB one stored item may hold \(DynamoDB's limit is 400 KB\); its largest field is customFields\.notes_a: shorten it/,
  );
  // The stored quote is the one before (its fields' lengths: failures print no 45,000-character text).
  expect(lengths((await rawItem(quoteKey))?.customFields)).toEqual(lengths(small));
  expect((await logOf(2))[0]).toMatchObject({ outcome: 'created' });
});

test('a sync whose own data cannot fit one item fails for that opportunity, naming the custom field; nothing is stored', async () => {
  const site = 'budget-new';
  const { deps, rawItem, logOf } = setup(site);
  const huge = Object.fromEntries(NOTES.map((key) => [key, cjk(32_000)]));
  huge.notes_d = cjk(31_000);
  const result = await syncNotifications(deps, [received(site, 3, '2026-11-02T00:00:00.000Z', huge)]);
  expect(result).toMatchObject({ failedMessageIds: [], outcomes: { failed: 1 } });
  expect((await logOf(3))[0]?.reason).toMatch(/its largest field is customFields\.notes_a: shorten it/);
  expect(await rawItem(itemKeys.quote(site, `sf-${sfId('006', 3)}`))).toBeUndefined();
});

test('a company whose account data cannot fit fails its opportunity, naming the field; the next notification of a smaller account succeeds', async () => {
  const site = 'budget-company';
  const { deps, rawItem, logOf, accountProfile } = setup(site);
  accountProfile.set(sfId('001', 5), cjk(32_000));
  const result = await syncNotifications(deps, [
    received(site, 4, '2026-11-02T00:00:00.000Z', {}, 5),
    received(site, 5, '2026-11-02T00:00:00.000Z', {}, 6),
  ]);
  expect(result).toMatchObject({ failedMessageIds: [], outcomes: { failed: 1, created: 1 } });
  expect((await logOf(4))[0]?.reason).toMatch(
    new RegExp(`^the company sf-${sfId('001', 5)} would be .* its largest field is customFields\\.profile_a`),
  );
  expect(await rawItem(itemKeys.company(site, `sf-${sfId('001', 5)}`))).toBeUndefined();
  expect(await rawItem(itemKeys.company(site, `sf-${sfId('001', 6)}`))).toBeDefined();
});

test('an edit of lines that would pass the limit is refused before the write, naming the lines', async () => {
  const site = 'budget-edit';
  const { deps, editDeps, rawItem } = setup(site);
  const quoteId = `sf-${sfId('006', 6)}`;
  const wide = { notes_a: cjk(20_000), notes_b: cjk(20_000) };
  await syncNotifications(deps, [received(site, 6, '2026-11-02T00:00:00.000Z', wide)]);
  const before = await rawItem(itemKeys.quote(site, quoteId));
  const refusal = await setQuoteLines(editDeps, site, quoteId, { lines: largestLines() }, editor).catch(
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(ItemTooLargeError);
  expect((refusal as ItemTooLargeError).issues).toEqual([
    { path: 'lines', message: expect.stringMatching(/^is too large: the quote sf-\w+ would be/) },
  ]);
  expect(await rawItem(itemKeys.quote(site, quoteId))).toEqual(before);
});

test("every send is an item of its own: the quote's item does not grow with its history, which reads back in order", async () => {
  const site = 'budget-sends';
  const { deps, editDeps, rawItem } = setup(site);
  const quoteId = `sf-${sfId('006', 7)}`;
  await syncNotifications(deps, [received(site, 7, '2026-11-02T00:00:00.000Z', {})]);
  const key = itemKeys.quote(site, quoteId);
  // A quote stored before sends were items kept them in a list on its item: still read first.
  const legacy: QuoteSend = {
    sendId: 'legacy',
    at: '2026-11-01T00:00:00.000Z',
    outcome: 'sent',
    amount: '1.00',
    message: 'Sent',
  };
  await documents.send(
    new UpdateCommand({
      TableName: table,
      Key: key,
      UpdateExpression: 'SET sends = :sends',
      ExpressionAttributeValues: { ':sends': [legacy] },
    }),
  );
  const sizeBefore = itemSizeBytes((await rawItem(key)) ?? {});
  for (let i = 0; i < 40; i++) {
    const at = new Date(Date.UTC(2026, 10, 2, 0, 0, i)).toISOString();
    await editDeps.quotes.recordSend(
      site,
      quoteId,
      { sendId: `s${i}`, at, outcome: 'sent', amount: '100.00', message: 'Sent to Salesforce'.repeat(20) },
      { contentDocumentId: '069000000000001AAA', opportunityAmount: '100' },
    );
  }
  const after = (await rawItem(key)) ?? {};
  expect(
    itemSizeBytes({ ...after, contentDocumentId: undefined, opportunityAmount: undefined }),
  ).toBeLessThanOrEqual(sizeBefore);
  const read = await editDeps.quotes.get(site, quoteId);
  expect(read?.sends?.map((s) => s.sendId)).toEqual([
    'legacy',
    ...Array.from({ length: 40 }, (_, i) => `s${i}`),
  ]);
  expect(read?.contentDocumentId).toBe('069000000000001AAA');
  expect(((await deps.quotes.get(site, quoteId)) as { sends?: unknown[] } | undefined)?.sends).toHaveLength(
    41,
  );
});
