import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SalesforceSandbox } from '@quote-sync/salesforce-sandbox';
import { startTestSandbox } from '@quote-sync/salesforce-sandbox/testing';
import {
  DynamoDbConnectionRepository,
  DynamoDbSettingsRepository,
} from '../../../shared/adapters/dynamodb/dynamodb-site-records';
import { DynamoDbSiteRepository } from '../../../shared/adapters/dynamodb/dynamodb-site-repository';
import { DynamoDbSyncRunRepository } from '../../../shared/adapters/dynamodb/dynamodb-sync-runs';
import { itemKeys } from '../../../shared/adapters/dynamodb/keys';
import { LocalKeyCipher, loadOrCreateMasterKey } from '../../../shared/adapters/keys/local-keys';
import { ConnectedOrgs } from '../../../shared/adapters/salesforce/connected-orgs';
import { JsforceQuery } from '../../../shared/adapters/salesforce/jsforce-query';
import { LoginEndpoints } from '../../../shared/adapters/salesforce/login-endpoints';
import { SqsSyncQueue } from '../../../shared/adapters/sqs/sqs-sync-queue';
import { SqsSyncRunQueue } from '../../../shared/adapters/sqs/sqs-sync-run-queue';
import { syncMessageSchema } from '../../../shared/domain/sync-message';
import { syncRunPageSchema } from '../../../shared/domain/sync-run';
import { processSyncRunPage } from '../../../shared/use-cases/process-sync-run-page';
import { getSyncRun, startSyncNow } from '../../../shared/use-cases/start-sync-now';
import { loadAdminApi } from '../../support/admin-api';
import { createQueue, createTable, documents, drainQueue, sqs } from '../../support/aws';
import { settingsAtStage } from '../../support/site-settings';

/**
 * Synchronize now, through the real adapters: the sandbox org (jsforce), DynamoDB and SQS
 * emulators. The admin API connects the site; the run's pages are then processed one message
 * at a time, as the run-sync-now Lambda does.
 */
const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const PAGE_SIZE = 200;

let sandbox: SalesforceSandbox;
let tableName: string;
let syncQueueUrl: string;
let runQueueUrl: string;
let keyFile: string;

function deps() {
  const connections = new DynamoDbConnectionRepository(documents, tableName);
  const cipher = new LocalKeyCipher(loadOrCreateMasterKey(keyFile));
  const orgs = new ConnectedOrgs({
    connections,
    cipher,
    app: async () => ({ clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }),
    logins: new LoginEndpoints({ legacyUrl: sandbox.loginUrl, overrides: sandbox.loginEndpoints() }),
  });
  return {
    sites: new DynamoDbSiteRepository(documents, tableName),
    settings: new DynamoDbSettingsRepository(documents, tableName),
    connections,
    runs: new DynamoDbSyncRunRepository(documents, tableName),
    runQueue: new SqsSyncRunQueue(sqs, runQueueUrl),
    syncQueue: new SqsSyncQueue(sqs, syncQueueUrl),
    salesforce: new JsforceQuery((siteId) => orgs.connection(siteId), PAGE_SIZE),
    orgs,
    logger,
    now: () => new Date(),
  };
}

/** Processes page messages until none is left, as the page Lambda would; returns records per page. */
async function drainPages(): Promise<number[]> {
  const perPage: number[] = [];
  for (;;) {
    const bodies = await drainQueue(runQueueUrl);
    if (bodies.length === 0) return perPage;
    for (const body of bodies) {
      const before = (await drainQueue(syncQueueUrl)).length;
      expect(before).toBe(0);
      await processSyncRunPage(deps(), syncRunPageSchema.parse(JSON.parse(body)));
      perPage.push((await peekSyncQueue()).length);
    }
  }
}

const queued: string[] = [];
async function peekSyncQueue(): Promise<string[]> {
  const bodies = await drainQueue(syncQueueUrl);
  queued.push(...bodies);
  return bodies;
}

function opportunities(count: number, stage: string, amount = 1000) {
  return Array.from({ length: count }, (_, i) => ({
    sObjectType: 'Opportunity',
    fields: { Name: `Bulk ${stage} ${i}`, StageName: stage, CloseDate: '2026-12-31', Amount: amount + i },
  }));
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  tableName = await createTable();
  syncQueueUrl = await createQueue();
  runQueueUrl = await createQueue();
  keyFile = join(mkdtempSync(join(tmpdir(), 'keys-')), 'master.key');
  // The admin Lambda and this test share the key file, so both can read the stored token.
  const api = loadAdminApi({ tableName, sandbox, keyFile });
  await api.request('PUT', '/sites/acme', { body: { name: 'Acme' } });
  expect((await api.connect('acme')).statusCode).toBe(200);
  sandbox.seed({
    records: [...opportunities(450, 'Proposal/Price Quote'), ...opportunities(30, 'Prospecting')],
  });
  const saved = await api.request('PUT', '/sites/acme/salesforce/settings', {
    body: settingsAtStage(),
  });
  expect(saved.statusCode).toBe(200);
}, 60_000);

afterAll(async () => {
  await sandbox.stop();
});

beforeEach(() => {
  queued.length = 0;
});

test('a run queues every opportunity at the stage, page by page, in the webhook message shape', async () => {
  const atStage = sandbox.store
    .all('Opportunity')
    .filter((o) => o.StageName === 'Proposal/Price Quote')
    .map((o) => o.Id);
  expect(atStage.length).toBeGreaterThanOrEqual(450);
  sandbox.resetApiCalls();

  const { run, started } = await startSyncNow(deps(), 'acme');
  expect(started).toBe(true);
  expect(run).toMatchObject({ status: 'running', mode: 'opportunities' });
  const again = await startSyncNow(deps(), 'acme');
  expect(again).toMatchObject({ started: false, run: { runId: run.runId } });

  const perPage = await drainPages();
  expect(Math.max(...perPage)).toBeLessThanOrEqual(PAGE_SIZE);
  expect(perPage.length).toBe(Math.ceil(atStage.length / PAGE_SIZE));

  const messages = queued.map((body) => syncMessageSchema.parse(JSON.parse(body)));
  expect(new Set(messages.map((m) => m.recordId))).toEqual(new Set(atStage));
  expect(
    messages.every(
      (m) => m.source === 'sync-now' && m.runId === run.runId && m.sObjectType === 'Opportunity',
    ),
  ).toBe(true);
  const sample = messages[0];
  expect(Object.keys(sample?.fields ?? {})).toEqual(
    expect.arrayContaining(['Id', 'Name', 'StageName', 'Amount', 'SystemModstamp']),
  );
  expect(typeof sample?.fields.Amount).toBe('string');

  const status = await getSyncRun(deps(), 'acme', run.runId);
  expect(status).toMatchObject({
    queryDone: true,
    pages: perPage.length,
    counts: { found: atStage.length, queued: atStage.length },
  });
  // A budget check per start (two starts), one describe, then one call per page: far below one
  // per record.
  expect(sandbox.apiCalls().used).toBeLessThanOrEqual(perPage.length + 3);
});

test('a new run starts once every outcome of the previous one is in; a redelivered page counts once', async () => {
  const { run: previous } = await startSyncNow(deps(), 'acme');
  expect(previous.status).toBe('running');
  // The worker reports one outcome per queued notification; with all of them in, the run is over.
  await deps().runs.add('acme', previous.runId, { unchanged: previous.counts.queued });
  const completed = await getSyncRun(deps(), 'acme', previous.runId);
  expect(completed.status).toBe('completed');
  expect(completed.finishedAt).toEqual(expect.any(String));

  const { run, started } = await startSyncNow(deps(), 'acme');
  expect(started).toBe(true);
  expect(run.runId).not.toBe(previous.runId);
  const [first] = await drainQueue(runQueueUrl);
  const page = syncRunPageSchema.parse(JSON.parse(first ?? ''));
  await processSyncRunPage(deps(), page);
  await processSyncRunPage(deps(), page);
  const status = await getSyncRun(deps(), 'acme', run.runId);
  expect(status.pages).toBe(1);
  expect(status.counts.found).toBe(PAGE_SIZE);
});

test('10,000 opportunities: every one queued, in pages of at most 2,000, each page its own message', async () => {
  // End whatever run is going (as a fatal error would), then add 10,000 opportunities.
  const { run: previous } = await startSyncNow(deps(), 'acme');
  await deps().runs.recordError('acme', previous.runId, 'ended by the test', true);
  await drainQueue(runQueueUrl);
  await drainQueue(syncQueueUrl);
  sandbox.seed({ records: opportunities(10_000, 'Proposal/Price Quote', 50_000) });
  const atStage = sandbox.store
    .all('Opportunity')
    .filter((o) => o.StageName === 'Proposal/Price Quote').length;
  sandbox.resetApiCalls();

  const big = { ...deps(), salesforce: new JsforceQuery((siteId) => bigOrgs().connection(siteId)) };
  const { run, started } = await startSyncNow(big, 'acme');
  expect(started).toBe(true);
  const perPage: number[] = [];
  let ids = 0;
  for (;;) {
    const bodies = await drainQueue(runQueueUrl);
    if (bodies.length === 0) break;
    // One page message at a time: the processor only ever holds one page of records.
    expect(bodies).toHaveLength(1);
    await processSyncRunPage(big, syncRunPageSchema.parse(JSON.parse(bodies[0] ?? '')));
    const queuedNow = await drainQueue(syncQueueUrl);
    perPage.push(queuedNow.length);
    ids += new Set(queuedNow.map((body) => syncMessageSchema.parse(JSON.parse(body)).recordId)).size;
  }
  expect(Math.max(...perPage)).toBeLessThanOrEqual(2000);
  expect(perPage.length).toBe(Math.ceil(atStage / 2000));
  expect(ids).toBe(atStage);
  const status = await getSyncRun(deps(), 'acme', run.runId);
  expect(status.counts).toMatchObject({ found: atStage, queued: atStage });
  // The budget check, a describe and one call per page.
  expect(sandbox.apiCalls().used).toBe(perPage.length + 2);
}, 120_000);

function bigOrgs() {
  return new ConnectedOrgs({
    connections: new DynamoDbConnectionRepository(documents, tableName),
    cipher: new LocalKeyCipher(loadOrCreateMasterKey(keyFile)),
    app: async () => ({ clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }),
    logins: new LoginEndpoints({ legacyUrl: sandbox.loginUrl, overrides: sandbox.loginEndpoints() }),
  });
}

test("ConnectedOrgs counts each site's REST calls and reads the org's daily usage from Sforce-Limit-Info", async () => {
  const orgs = bigOrgs();
  const query = new JsforceQuery((siteId) => orgs.connection(siteId), PAGE_SIZE);
  sandbox.resetApiCalls();
  await query.firstPage('acme', 'SELECT Id FROM Account LIMIT 5');
  await query.firstPage('acme', 'SELECT Id FROM Contact LIMIT 5');
  const { used, limit } = sandbox.apiCalls();
  expect(orgs.takeUsage().get('acme')).toEqual({ calls: used, used, limit });
  // Taken: the next invocation starts from zero.
  expect(orgs.takeUsage().size).toBe(0);
});

test('a run whose last outcome is in but was never marked completed is completed when read', async () => {
  // As left by a worker that stopped between counting the last outcome and marking the run done.
  await documents.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...itemKeys.syncRun('acme', 'interrupted'),
        entity: 'sync-run',
        siteId: 'acme',
        runId: 'interrupted',
        mode: 'opportunities',
        status: 'running',
        startedAt: '2026-12-01T10:00:00.000Z',
        queryDone: true,
        pages: 1,
        found: 2,
        queued: 2,
        created: 1,
        failed: 1,
        errors: [],
      },
    }),
  );
  const runs = new DynamoDbSyncRunRepository(documents, tableName);
  const run = await runs.get('acme', 'interrupted');
  expect(run).toMatchObject({ status: 'completed', finishedAt: expect.any(String) });
  expect((await runs.get('acme', 'interrupted'))?.finishedAt).toBe(run?.finishedAt);
});

test('a warm ConnectedOrgs reuses its session without reading the connection record, and reads it afresh to refresh', async () => {
  const connections = new DynamoDbConnectionRepository(documents, tableName);
  let reads = 0;
  const counted = Object.assign(Object.create(connections) as DynamoDbConnectionRepository, {
    get: (siteId: string) => {
      reads++;
      return connections.get(siteId);
    },
  });
  const orgs = new ConnectedOrgs({
    connections: counted,
    cipher: new LocalKeyCipher(loadOrCreateMasterKey(keyFile)),
    app: async () => ({ clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }),
    logins: new LoginEndpoints({ legacyUrl: sandbox.loginUrl, overrides: sandbox.loginEndpoints() }),
  });
  const query = new JsforceQuery((siteId) => orgs.connection(siteId), PAGE_SIZE);
  await query.firstPage('acme', 'SELECT Id FROM Account LIMIT 1');
  expect(reads).toBe(1);
  await query.firstPage('acme', 'SELECT Id FROM Account LIMIT 1');
  await query.firstPage('acme', 'SELECT Id FROM Account LIMIT 1');
  expect(reads).toBe(1);
  // An expired session is refreshed with the token read from the record then, status checked.
  sandbox.expireAccessTokens();
  await query.firstPage('acme', 'SELECT Id FROM Account LIMIT 1');
  expect(reads).toBe(2);
});
