import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CarriedApiUsage } from '../../../shared/adapters/dynamodb/carried-api-usage';
import { DynamoDbApiUsage } from '../../../shared/adapters/dynamodb/dynamodb-api-usage';
import { DynamoDbSyncLog, Items } from '../../../shared/adapters/dynamodb/dynamodb-synced-records';
import { itemKeys } from '../../../shared/adapters/dynamodb/keys';
import type { SyncLogEntry } from '../../../shared/domain/synced-records';
import { createTable, dynamodb } from '../../support/aws';
import { sfId } from '../../support/outbound-messages';

/**
 * The sync worker's API calls are counted per execution environment and put with the site's sync
 * log entries; the day's count is the sum of every environment's item and the shared counter.
 */
const db = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
let table: string;
let usage: DynamoDbApiUsage;
beforeAll(async () => {
  table = await createTable();
  usage = new DynamoDbApiUsage(db, table);
});

const at = (day: string, time = '10:00:00') => new Date(`${day}T${time}.000Z`);
const observed = (used: number, when: Date) => ({ used, limit: 15_000, observedAt: when.toISOString() });

function environment(id: string) {
  const items = new Items(db, table);
  return new CarriedApiUsage(usage, (i) => items.batchPut(i), id);
}

function entry(siteId: string, n: number, processedAt: Date): SyncLogEntry {
  return {
    siteId,
    opportunityId: sfId('006', n),
    notificationId: sfId('04l', n),
    source: 'outbound-message',
    outcome: 'created',
    receivedAt: processedAt.toISOString(),
    processedAt: processedAt.toISOString(),
  };
}

test("the day's calls are every worker environment's and the shared counter's, in one query", async () => {
  const a = environment('env-a');
  const b = environment('env-b');
  const day = '2026-12-02';
  await a.record('site-sum', { at: at(day), calls: 2 });
  await a.record('site-sum', {
    at: at(day, '10:00:01'),
    calls: 1,
    observation: observed(40, at(day, '10:00:01')),
  });
  await b.record('site-sum', {
    at: at(day, '10:00:02'),
    calls: 5,
    observation: observed(52, at(day, '10:00:02')),
  });
  await new DynamoDbSyncLog(db, table, a).append([entry('site-sum', 1, at(day))]);
  await b.flush();
  await usage.record('site-sum', { at: at(day), calls: 4 });

  const send = jest.spyOn(db, 'send');
  const read = await usage.get('site-sum', at(day, '11:00:00'));
  expect(send).toHaveBeenCalledTimes(1);
  send.mockRestore();
  expect(read).toEqual({ day, callsToday: 12, observation: observed(52, at(day, '10:00:02')) });
});

test('the count rides on the sync log write: no request of its own, and nothing left for flush', async () => {
  const a = environment('env-ride');
  const log = new DynamoDbSyncLog(db, table, a);
  await a.record('site-ride', { at: at('2026-12-02'), calls: 2 });
  const send = jest.spyOn(db, 'send');
  await log.append([entry('site-ride', 2, at('2026-12-02'))]);
  await a.flush();
  expect(send.mock.calls.map(([command]) => command.constructor.name)).toEqual(['BatchWriteCommand']);
  send.mockRestore();
  expect((await usage.get('site-ride', at('2026-12-02', '12:00:00'))).callsToday).toBe(2);
});

test('each put holds the whole day so far: a failed log write loses nothing and a repeat doubles nothing', async () => {
  let failing = true;
  const items = new Items(db, table);
  const a = new CarriedApiUsage(usage, (i) => items.batchPut(i), 'env-mend');
  const log = new DynamoDbSyncLog(db, table, a);
  const day = '2026-12-02';
  await a.record('site-mend', { at: at(day), calls: 3 });
  const put = jest.spyOn(db, 'send').mockImplementation(async () => {
    if (failing) throw new Error('the table is not answering');
    return {};
  });
  await expect(log.append([entry('site-mend', 3, at(day))])).rejects.toThrow('not answering');
  failing = false;
  put.mockRestore();
  expect((await usage.get('site-mend', at(day, '12:00:00'))).callsToday).toBe(0);

  await a.record('site-mend', { at: at(day, '10:01:00'), calls: 2 });
  await log.append([entry('site-mend', 3, at(day, '10:01:00'))]);
  expect((await usage.get('site-mend', at(day, '12:00:00'))).callsToday).toBe(5);
  // Nothing new: flush writes nothing, and a later batch's put replaces the total, not adds to it.
  const send = jest.spyOn(db, 'send');
  await a.flush();
  expect(send).not.toHaveBeenCalled();
  send.mockRestore();
  await a.record('site-mend', { at: at(day, '10:02:00'), calls: 1 });
  await log.append([entry('site-mend', 4, at(day, '10:02:00'))]);
  expect((await usage.get('site-mend', at(day, '12:00:00'))).callsToday).toBe(6);
});

test("only today's calls count; the day before's observation stands in until today has one", async () => {
  const a = environment('env-days');
  await a.record('site-days', {
    at: at('2026-12-01', '23:59:00'),
    calls: 7,
    observation: observed(14_000, at('2026-12-01', '23:59:00')),
  });
  await a.record('site-days', { at: at('2026-12-02', '00:00:30'), calls: 1 });
  await a.flush();
  // An item two days old is outside the query's range.
  await db.send(
    new PutCommand({
      TableName: table,
      Item: {
        ...itemKeys.apiUsage('site-days', '2026-11-30'),
        calls: 99,
        observation: observed(1, at('2026-11-30')),
      },
    }),
  );
  expect(await usage.get('site-days', at('2026-12-02', '01:00:00'))).toEqual({
    day: '2026-12-02',
    callsToday: 1,
    observation: observed(14_000, at('2026-12-01', '23:59:00')),
  });
  // The day that is over was stored, so the next put carries only today's item.
  await a.record('site-days', { at: at('2026-12-02', '00:01:00'), calls: 1 });
  expect(a.boardFor('site-days').items.map((i) => i.sk)).toEqual(['APIUSAGE#2026-12-02#env-days']);
});
