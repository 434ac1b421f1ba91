import type { SalesforceSandbox } from '@quote-sync/salesforce-sandbox';
import { loggedIn, OutboundEndpoint, startTestSandbox } from '@quote-sync/salesforce-sandbox/testing';
import type { Connection } from 'jsforce';
import { DynamoDbQuoteEditor } from '../../../shared/adapters/dynamodb/dynamodb-quote-editor';
import {
  DynamoDbQuoteRepository,
  DynamoDbSyncLog,
} from '../../../shared/adapters/dynamodb/dynamodb-synced-records';
import { toId18 } from '../../../shared/domain/salesforce-id';
import type { SyncLogEntry } from '../../../shared/domain/synced-records';
import { loadAdminApi } from '../../support/admin-api';
import { createQueue, createTable, documents, drainQueue } from '../../support/aws';
import { settingsAtStage } from '../../support/site-settings';
import { syncedQuote } from '../../support/stored-quotes';

/**
 * Sync health against the emulators: the log filtered by outcome, time and opportunity (each a
 * key condition on the table or an index), the search by id or name, failures grouped by
 * reason, the CSV export, Retry (a fresh read from the sandbox org, queued for the worker) and
 * the per-opportunity timeline.
 */
let sandbox: SalesforceSandbox;
let endpoint: OutboundEndpoint;
let api: ReturnType<typeof loadAdminApi>;
let tableName: string;
let syncQueueUrl: string;
let org: Connection;
let log: DynamoDbSyncLog;

const SITE = 'health';
const OPP_A = '006000000000001AAA';
const OPP_B = '006000000000002AAA';
const OPP_C = '006000000000003AAA';
const LETTER: Record<string, string> = { [OPP_A]: 'A', [OPP_B]: 'B', [OPP_C]: 'C' };
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();
const admin = { token: null, claims: { sub: 'admin-1', name: 'Ada Admin', sites: `${SITE}:admin` } };
const user = { token: null, claims: { sub: 'user-1', name: 'Uma User', sites: `${SITE}:user` } };

let n = 0;
function entry(
  overrides: Partial<SyncLogEntry> & Pick<SyncLogEntry, 'opportunityId' | 'outcome' | 'processedAt'>,
) {
  n += 1;
  return {
    siteId: SITE,
    notificationId: `04l00000000${String(n).padStart(4, '0')}AAA`,
    messageId: `m-${n}`,
    source: 'outbound-message',
    receivedAt: overrides.processedAt,
    ...overrides,
  } satisfies SyncLogEntry;
}

const entries = [
  entry({
    opportunityId: OPP_A,
    opportunityName: 'Łódź Renewal',
    outcome: 'created',
    processedAt: hoursAgo(50),
    quoteId: 'q-a',
  }),
  entry({
    opportunityId: OPP_A,
    opportunityName: 'Łódź Renewal',
    outcome: 'failed',
    reason: 'Salesforce did not answer in time',
    errorCode: 'TIMEOUT',
    retrying: true,
    processedAt: hoursAgo(30),
  }),
  entry({
    opportunityId: OPP_B,
    opportunityName: '=HYPERLINK("http://evil.example","click"), "quoted"',
    outcome: 'failed',
    reason: 'Account 001000000000009AAA was deleted',
    errorCode: 'ENTITY_IS_DELETED',
    retrying: false,
    processedAt: hoursAgo(20),
  }),
  entry({
    opportunityId: OPP_C,
    opportunityName: 'Acme Café',
    outcome: 'failed',
    reason: 'Salesforce did not answer in time',
    errorCode: 'TIMEOUT',
    retrying: false,
    processedAt: hoursAgo(10),
    source: 'sync-now',
  }),
  entry({
    opportunityId: OPP_C,
    opportunityName: 'Acme Café',
    outcome: 'skipped',
    reason: 'not at the stage',
    processedAt: hoursAgo(5),
  }),
  entry({
    opportunityId: OPP_A,
    opportunityName: 'Łódź Renewal',
    outcome: 'updated',
    processedAt: hoursAgo(1),
    quoteId: 'q-a',
  }),
];

beforeAll(async () => {
  sandbox = await startTestSandbox();
  endpoint = await new OutboundEndpoint().start();
  tableName = await createTable();
  syncQueueUrl = await createQueue();
  api = loadAdminApi({ tableName, sandbox, outboundBaseUrl: new URL(endpoint.url).origin, syncQueueUrl });
  org = await loggedIn(sandbox);
  log = new DynamoDbSyncLog(documents, tableName);
  expect((await api.request('PUT', `/sites/${SITE}`, { body: { name: 'Health' } })).statusCode).toBe(201);
  await log.append(entries);
}, 30_000);

afterAll(async () => {
  await endpoint.stop();
  await sandbox.stop();
});

const ids = (body: Record<string, unknown>) =>
  (body.entries as SyncLogEntry[]).map((e) => `${LETTER[e.opportunityId] ?? e.opportunityId} ${e.outcome}`);

describe('the log', () => {
  test('lists every attempt newest first, each with its entryId and the opportunity name', async () => {
    const page = await api.request('GET', `/sites/${SITE}/salesforce/log`, user);
    expect(page.statusCode).toBe(200);
    expect(ids(page.json())).toEqual([
      'A updated',
      'C skipped',
      'C failed',
      'B failed',
      'A failed',
      'A created',
    ]);
    expect(page.json().entries).toContainEqual(
      expect.objectContaining({ opportunityName: 'Acme Café', entryId: expect.stringMatching(/^[\w-]+$/) }),
    );
  });

  test('filters by outcome, by time range (both ends included) and by opportunity, alone and together', async () => {
    const get = async (query: string) =>
      ids((await api.request('GET', `/sites/${SITE}/salesforce/log?${query}`, user)).json());
    expect(await get('outcome=failed')).toEqual(['C failed', 'B failed', 'A failed']);
    const [, thirty, twenty] = entries;
    expect(
      await get(
        `from=${encodeURIComponent(thirty?.processedAt ?? '')}&to=${encodeURIComponent(twenty?.processedAt ?? '')}`,
      ),
    ).toEqual(['B failed', 'A failed']);
    expect(await get(`opportunityId=${OPP_A.slice(0, 15)}`)).toEqual(['A updated', 'A failed', 'A created']);
    expect(await get(`opportunityId=${OPP_A}&outcome=created`)).toEqual(['A created']);
    expect(await get(`outcome=failed&from=${encodeURIComponent(hoursAgo(25))}`)).toEqual([
      'C failed',
      'B failed',
    ]);
    expect(
      await get(
        `opportunityId=${OPP_A}&from=${encodeURIComponent(hoursAgo(40))}&to=${encodeURIComponent(hoursAgo(2))}`,
      ),
    ).toEqual(['A failed']);
  });

  test('pages within a filter; a token of another filter and a range ending before it starts are 400s', async () => {
    const first = await api.request('GET', `/sites/${SITE}/salesforce/log?outcome=failed&limit=2`, user);
    expect(ids(first.json())).toEqual(['C failed', 'B failed']);
    const token = String(first.json().nextToken);
    const second = await api.request(
      'GET',
      `/sites/${SITE}/salesforce/log?outcome=failed&limit=2&nextToken=${token}`,
      user,
    );
    expect(ids(second.json())).toEqual(['A failed']);
    const foreign = await api.request(
      'GET',
      `/sites/${SITE}/salesforce/log?outcome=created&nextToken=${token}`,
      user,
    );
    expect(foreign.statusCode).toBe(400);
    const backwards = await api.request(
      'GET',
      `/sites/${SITE}/salesforce/log?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z`,
      user,
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().issues).toEqual([{ path: 'to', message: 'must not be before `from`' }]);
    const outcome = await api.request('GET', `/sites/${SITE}/salesforce/log?outcome=exploded`, user);
    expect(outcome.json().issues).toEqual([expect.objectContaining({ path: 'outcome' })]);
  });
});

describe('the search', () => {
  test('finds opportunities by the start of their name, ignoring case and accents, and by id', async () => {
    const search = async (q: string) =>
      (
        await api.request('GET', `/sites/${SITE}/salesforce/opportunities?q=${encodeURIComponent(q)}`, user)
      ).json().opportunities as Array<{ opportunityId: string; name: string }>;
    expect((await search('łódź re')).map((o) => o.name)).toEqual(['Łódź Renewal']);
    expect((await search('ACME CAFE')).map((o) => o.opportunityId)).toEqual([OPP_C]);
    expect(await search(OPP_B.slice(0, 15))).toEqual([
      {
        opportunityId: OPP_B,
        name: '=HYPERLINK("http://evil.example","click"), "quoted"',
        lastProcessedAt: entries[2]?.processedAt,
      },
    ]);
    expect(await search('Renewal')).toEqual([]);
    expect(await search('006000000000099AAA')).toEqual([]);
  });
});

describe('failures', () => {
  test('are grouped by error code with counts, distinct opportunities and the latest attempts', async () => {
    const summary = await api.request('GET', `/sites/${SITE}/salesforce/log/failures`, user);
    expect(summary.statusCode).toBe(200);
    const body = summary.json() as {
      failures: number;
      complete: boolean;
      groups: Array<{
        key: string;
        count: number;
        opportunities: number;
        retrying: number;
        latest: SyncLogEntry[];
      }>;
    };
    expect(body).toMatchObject({ failures: 3, complete: true });
    expect(
      body.groups.map(({ key, count, opportunities, retrying }) => ({ key, count, opportunities, retrying })),
    ).toEqual([
      { key: 'TIMEOUT', count: 2, opportunities: 2, retrying: 1 },
      { key: 'ENTITY_IS_DELETED', count: 1, opportunities: 1, retrying: 0 },
    ]);
    expect(body.groups[0]?.latest.map((e) => e.opportunityId)).toEqual([OPP_C, OPP_A]);
    const narrow = await api.request(
      'GET',
      `/sites/${SITE}/salesforce/log/failures?from=${encodeURIComponent(hoursAgo(15))}`,
      user,
    );
    expect(narrow.json().failures).toBe(1);
  });
});

describe('the CSV export', () => {
  test('is RFC 4180 CSV with a byte-order mark, quoting what needs it and defusing formulas', async () => {
    const response = await api.request('GET', `/sites/${SITE}/salesforce/log/export?outcome=failed`, user);
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers?.['content-disposition']).toMatch(
      /^attachment; filename="sync-log-health-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(response.headers).toMatchObject({ 'x-export-rows': '3', 'x-export-complete': 'true' });
    const csv = String(response.body);
    expect(
      csv.startsWith('\uFEFFprocessedAt,receivedAt,opportunityId,opportunityName,source,outcome,reason,'),
    ).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(5); // header, three rows, and the final line break
    expect(csv).toContain(
      `,${OPP_B},"'=HYPERLINK(""http://evil.example"",""click""), ""quoted""",outbound-message,failed,`,
    );
    expect(csv).toContain(',Acme Café,sync-now,failed,Salesforce did not answer in time,TIMEOUT,false,');
  });

  test('defuses every formula start: = + - @', async () => {
    const dangerous = ['+SUM(A1)', '-2+3', '@cmd', '=1+1'];
    await log.append(
      dangerous.map((name, i) =>
        entry({
          opportunityId: `00600000000001${i}AAA`,
          opportunityName: name,
          outcome: 'skipped',
          processedAt: hoursAgo(100 + i),
        }),
      ),
    );
    const csv = String(
      (await api.request('GET', `/sites/${SITE}/salesforce/log/export?outcome=skipped`, user)).body,
    );
    for (const name of dangerous) expect(csv).toContain(`,'${name},`);
  });
});

describe('Retry', () => {
  let opportunityId: string;
  let failed: SyncLogEntry & { entryId: string };

  beforeAll(async () => {
    await api.connect(SITE);
    const saved = await api.request('PUT', `/sites/${SITE}/salesforce/settings`, {
      body: settingsAtStage(),
    });
    expect(saved.statusCode).toBe(200);
    const created = (await org.sobject('Opportunity').create({
      Name: 'Retry me',
      StageName: 'Proposal/Price Quote',
      CloseDate: '2026-12-31',
      Amount: 1200,
    })) as { id: string };
    opportunityId = toId18(created.id);
    await log.append([
      entry({
        opportunityId,
        opportunityName: 'Retry me',
        outcome: 'failed',
        reason: 'Salesforce answered 503',
        retrying: false,
        processedAt: hoursAgo(3),
      }),
    ]);
    const listed = await api.request(
      'GET',
      `/sites/${SITE}/salesforce/log?opportunityId=${opportunityId}`,
      user,
    );
    failed = (listed.json().entries as Array<SyncLogEntry & { entryId: string }>)[0] as typeof failed;
    await drainQueue(syncQueueUrl);
  }, 30_000);

  test('reads the record again from Salesforce and queues it as a retry of the same notification', async () => {
    const response = await api.request(
      'POST',
      `/sites/${SITE}/salesforce/log/${failed.entryId}/retry`,
      admin,
    );
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({
      retried: { entryId: failed.entryId, outcome: 'failed' },
      queued: { notificationId: failed.notificationId, recordId: opportunityId, sObjectType: 'Opportunity' },
    });
    const queued = (await drainQueue(syncQueueUrl)).map((body) => JSON.parse(body));
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      kind: 'notification',
      siteId: SITE,
      source: 'retry',
      notificationId: failed.notificationId,
      sObjectType: 'Opportunity',
      recordId: opportunityId,
      fields: expect.objectContaining({
        Id: opportunityId,
        Name: 'Retry me',
        StageName: 'Proposal/Price Quote',
        Amount: '1200',
      }),
    });
  });

  test('is on the timeline with who retried it', async () => {
    const timeline = await api.request(
      'GET',
      `/sites/${SITE}/salesforce/opportunities/${opportunityId}/timeline`,
      user,
    );
    expect(timeline.statusCode).toBe(200);
    expect(timeline.json()).toMatchObject({ opportunityId, name: 'Retry me' });
    expect(timeline.json().events).toEqual([
      expect.objectContaining({
        kind: 'notification-retried',
        actor: 'Ada Admin',
        summary: expect.stringMatching(/503/),
      }),
      expect.objectContaining({ kind: 'notification', outcome: 'failed', entryId: failed.entryId }),
    ]);
  });

  test('refuses a user, an entry that did not fail, an unknown or malformed entry, and a deleted record', async () => {
    const path = (entryId: string) => `/sites/${SITE}/salesforce/log/${entryId}/retry`;
    const asUser = await api.request('POST', path(failed.entryId), user);
    expect(asUser.statusCode).toBe(403);
    expect(asUser.json().reason).toBe('admin-role-required');

    const listed = (await api.request('GET', `/sites/${SITE}/salesforce/log?outcome=created`, user)).json()
      .entries as Array<{ entryId: string }>;
    const notFailed = await api.request('POST', path(listed[0]?.entryId ?? ''), admin);
    expect(notFailed.statusCode).toBe(409);
    expect(notFailed.json().detail).toMatch(/ended created/);

    const unknown = Buffer.from(`${OPP_A}#2026-01-01T00:00:00.000Z#04l000000000000AAA`).toString('base64url');
    expect((await api.request('POST', path(unknown), admin)).statusCode).toBe(404);
    const malformed = await api.request('POST', path(Buffer.from('nonsense').toString('base64url')), admin);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().issues).toEqual([expect.objectContaining({ path: 'entryId' })]);

    // OPP_B never existed in the org: there is nothing to read again.
    const [gone] = (
      await api.request('GET', `/sites/${SITE}/salesforce/log?opportunityId=${OPP_B}`, user)
    ).json().entries as Array<{ entryId: string }>;
    const deleted = await api.request('POST', path(gone?.entryId ?? ''), admin);
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json().detail).toMatch(/not in Salesforce any more.*nothing was queued/);
    expect(await drainQueue(syncQueueUrl)).toEqual([]);
  });
});

describe('the timeline', () => {
  test("tells an opportunity's story: deliveries, its quote, edits with who made them, and sends", async () => {
    const now = new Date().toISOString();
    const quote = syncedQuote({
      siteId: SITE,
      quoteId: `sf-${OPP_A}`,
      number: 1,
      title: 'Łódź Renewal',
      salesforce: {
        id: OPP_A,
        opportunityId: OPP_A,
        accountId: null,
        notificationId: entries[0]?.notificationId ?? '',
        systemModstamp: hoursAgo(50),
        lastSyncedAt: hoursAgo(50),
      },
      createdAt: entries[0]?.processedAt ?? now,
      updatedAt: now,
    });
    expect(await new DynamoDbQuoteRepository(documents, tableName).create(quote)).toBe(true);
    const lines = await api.request('PUT', `/sites/${SITE}/quotes/${quote.quoteId}/lines`, {
      ...user,
      body: { lines: [{ name: 'Design', quantity: 2, unitPrice: '50.00', vatPercent: 0 }] },
    });
    expect(lines.statusCode).toBe(200);
    const patched = await api.request('PATCH', `/sites/${SITE}/quotes/${quote.quoteId}`, {
      ...user,
      body: { status: 'Sent' },
    });
    expect(patched.statusCode).toBe(200);
    await new DynamoDbQuoteEditor(documents, tableName).recordSend(SITE, quote.quoteId, {
      sendId: 's-1',
      at: new Date().toISOString(),
      outcome: 'sent',
      amount: '100.00',
      message: 'Amount set to 100.00; the PDF is attached',
    });

    const timeline = await api.request(
      'GET',
      `/sites/${SITE}/salesforce/opportunities/${OPP_A.slice(0, 15)}/timeline`,
      user,
    );
    expect(timeline.statusCode).toBe(200);
    const body = timeline.json() as {
      name: string;
      quotes: unknown[];
      events: Array<Record<string, unknown>>;
      truncated: boolean;
    };
    expect(body).toMatchObject({
      name: 'Łódź Renewal',
      quotes: [{ quoteId: quote.quoteId, number: 1, title: 'Łódź Renewal', status: 'Sent' }],
      truncated: false,
    });
    expect(body.events.map((event) => `${event.kind}${event.outcome ? ` ${event.outcome}` : ''}`)).toEqual([
      'sent sent',
      'quote-edited',
      'lines-edited',
      'notification updated',
      'notification failed',
      'notification created',
      'quote-created',
    ]);
    expect(body.events[1]).toMatchObject({ actor: 'Uma User', summary: 'Changed status Scoping → Sent' });
    expect(body.events[2]).toMatchObject({ actor: 'Uma User', summary: 'Set 1 line, total 100.00 EUR' });
    const times = body.events.map((event) => String(event.at));
    expect([...times].sort().reverse()).toEqual(times);
  });

  test('is a 400 for an id that is no Salesforce id, and a 403 for a person of another site', async () => {
    expect(
      (await api.request('GET', `/sites/${SITE}/salesforce/opportunities/not-an-id/timeline`, user))
        .statusCode,
    ).toBe(400);
    const stranger = { token: null, claims: { sub: 'x', sites: 'elsewhere:admin' } };
    expect(
      (await api.request('GET', `/sites/${SITE}/salesforce/opportunities/${OPP_A}/timeline`, stranger))
        .statusCode,
    ).toBe(403);
  });
});
