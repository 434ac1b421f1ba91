import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SalesforceSandbox } from '@quote-sync/salesforce-sandbox';
import { startTestSandbox } from '@quote-sync/salesforce-sandbox/testing';
import { DynamoDbQuoteRepository } from '../../../shared/adapters/dynamodb/dynamodb-synced-records';
import { itemKeys } from '../../../shared/adapters/dynamodb/keys';
import { computeQuoteTotals } from '../../../shared/domain/quote-lines';
import { loadAdminApi } from '../../support/admin-api';
import { createTable, documents } from '../../support/aws';
import { syncedQuote } from '../../support/stored-quotes';

/**
 * Quote → project through the admin API: created from an Accepted quote (once), time recorded
 * against its tasks, planned against actual, status and dates edited, listed newest first.
 * Every answer is also checked against the route table's schemas by the test support.
 */
let sandbox: SalesforceSandbox;
let api: ReturnType<typeof loadAdminApi>;
let tableName: string;
let quoteSerial = 0;

interface ProjectJson {
  projectId: string;
  number: number;
  entryCount: number;
  tasks: Array<Record<string, unknown>>;
  totals: Record<string, unknown>;
}
interface RecordedJson {
  entry: Record<string, unknown> & { entryId: string };
  project: ProjectJson;
}
const projectOf = async (path: string) => (await api.request('GET', path)).json() as unknown as ProjectJson;

const user = { token: null, claims: { sub: 'uma-sub', name: 'Uma User', sites: 'acme:user' } };
const outsider = { token: null, claims: { sub: 'olga-sub', name: 'Olga Other', sites: 'globex:admin' } };

const lines = [
  { name: 'Discovery workshop', quantity: 2, unit: 'day', unitPrice: '1200', discountPercent: 5 },
  { name: 'Implementation', quantity: 80, unit: 'h', unitPrice: '95', vatPercent: 20 },
];

/** A quote as the sync stores it, then given lines and a status through the API. */
async function acceptedQuote(status = 'Accepted', withLines = lines): Promise<string> {
  quoteSerial += 1;
  const opportunityId = `006000000000${String(quoteSerial).padStart(3, '0')}AAA`;
  const at = new Date().toISOString();
  const quote = syncedQuote({
    siteId: 'acme',
    quoteId: `sf-${opportunityId}`,
    number: quoteSerial,
    title: `Rollout ${quoteSerial}`,
    closeDate: '2026-12-31',
    totals: computeQuoteTotals([], 'EUR'),
    salesforce: {
      id: opportunityId,
      opportunityId,
      accountId: null,
      systemModstamp: at,
      lastSyncedAt: at,
      notificationId: `04l000000000${String(quoteSerial).padStart(3, '0')}AAA`,
    },
    createdAt: at,
    updatedAt: at,
  });
  expect(await new DynamoDbQuoteRepository(documents, tableName).create(quote)).toBe(true);
  if (withLines.length > 0) {
    const put = await api.request('PUT', `/sites/acme/quotes/${quote.quoteId}/lines`, {
      body: { lines: withLines },
    });
    expect(put.statusCode).toBe(200);
  }
  expect(
    (await api.request('PATCH', `/sites/acme/quotes/${quote.quoteId}`, { body: { status } })).statusCode,
  ).toBe(200);
  return quote.quoteId;
}

async function createdProject(quoteId?: string) {
  const response = await api.request(
    'POST',
    `/sites/acme/quotes/${quoteId ?? (await acceptedQuote())}/project`,
  );
  expect(response.statusCode).toBe(201);
  return response.json() as { projectId: string; number: number; tasks: Array<{ taskId: string }> };
}

const entry = (projectId: string, body: Record<string, unknown>, init: Record<string, unknown> = {}) =>
  api.request('POST', `/sites/acme/projects/${projectId}/time-entries`, {
    body: { date: '2026-05-04', ...body },
    ...init,
  });

beforeAll(async () => {
  sandbox = await startTestSandbox();
  tableName = await createTable();
  api = loadAdminApi({ tableName, sandbox });
  for (const [siteId, name] of [
    ['acme', 'Acme'],
    ['globex', 'Globex'],
  ]) {
    expect((await api.request('PUT', `/sites/${siteId}`, { body: { name } })).statusCode).toBe(201);
  }
}, 30_000);

afterAll(async () => {
  await sandbox.stop();
});

describe('POST …/quotes/{quoteId}/project', () => {
  test('an Accepted quote becomes a project with one task per line; 201 with its Location', async () => {
    const quoteId = await acceptedQuote();
    const response = await api.request('POST', `/sites/acme/quotes/${quoteId}/project`);
    expect(response.statusCode).toBe(201);
    const project = response.json();
    expect(response.headers?.location).toBe(`/sites/acme/projects/${project.projectId}`);
    expect(project).toMatchObject({
      projectId: `prj-${quoteId}`,
      name: expect.stringMatching(/^Rollout /),
      status: 'Planned',
      quoteId,
      currency: 'EUR',
      // 2 × 1200 × 0.95 = 2280.00 and 80 × 95 = 7600.00: the net total, VAT left out
      budget: '9880.00',
      plannedStart: new Date().toISOString().slice(0, 10),
      plannedEnd: '2026-12-31',
      createdBy: { subject: 'local-operator', name: expect.any(String) },
      totals: { budget: '9880.00', actualCost: '0.00', costUsedPercent: '0', overBudget: false },
    });
    expect(project.tasks).toEqual([
      expect.objectContaining({
        taskId: 't1',
        name: 'Discovery workshop',
        unit: 'day',
        plannedQuantity: '2',
        budget: '2280.00',
      }),
      expect.objectContaining({
        taskId: 't2',
        name: 'Implementation',
        unit: 'h',
        plannedQuantity: '80',
        budget: '7600.00',
      }),
    ]);
    const fetched = await api.request('GET', String(response.headers?.location));
    expect(fetched.json()).toEqual(project);
    // Linked both ways: the quote names its project, the project its quote and opportunity.
    expect((await api.request('GET', `/sites/acme/quotes/${quoteId}`)).json().projectId).toBe(
      project.projectId,
    );
    expect(project.opportunityId).toMatch(/^006/);
    // And it is on the opportunity's timeline, with who created it.
    const timeline = (
      await api.request('GET', `/sites/acme/salesforce/opportunities/${project.opportunityId}/timeline`)
    ).json() as { events: Array<Record<string, unknown>> };
    expect(timeline.events).toContainEqual(
      expect.objectContaining({
        kind: 'project-created',
        quoteId,
        summary: expect.stringMatching(/^Project \d+ created from quote \d+, 2 tasks, budget 9880.00 EUR$/),
      }),
    );
  });

  test('a second create returns the same project with 200, and takes no second number', async () => {
    const quoteId = await acceptedQuote();
    const first = await api.request('POST', `/sites/acme/quotes/${quoteId}/project`);
    const again = await api.request('POST', `/sites/acme/quotes/${quoteId}/project`);
    expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
    expect(again.json()).toEqual(first.json());
    expect(again.headers?.location).toBeUndefined();
  });

  test('concurrent creates of one quote make one project', async () => {
    const quoteId = await acceptedQuote();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api.request('POST', `/sites/acme/quotes/${quoteId}/project`)),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json().number)).size).toBe(1);
  });

  test('a quote that is not Accepted answers 409 saying so', async () => {
    const quoteId = await acceptedQuote('Ready');
    const response = await api.request('POST', `/sites/acme/quotes/${quoteId}/project`);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ type: '/problems/conflict', status: 409 });
    expect(response.json().detail).toMatch(/is Ready; only an Accepted quote becomes a project/);
    expect((await api.request('GET', `/sites/acme/projects/prj-${quoteId}`)).statusCode).toBe(404);
  });

  test('an accepted quote without lines answers 409', async () => {
    const response = await api.request(
      'POST',
      `/sites/acme/quotes/${await acceptedQuote('Accepted', [])}/project`,
    );
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toMatch(/has no lines/);
  });

  test('an unknown quote is a 404', async () => {
    expect((await api.request('POST', '/sites/acme/quotes/sf-nope/project')).statusCode).toBe(404);
  });
});

describe('time entries', () => {
  test('recording time shows the percent used, per task and in total', async () => {
    const project = await createdProject();
    const recorded = await entry(project.projectId, { taskId: 't2', quantity: 20, note: 'Sprint 1' });
    expect(recorded.statusCode).toBe(201);
    const { entry: made, project: after } = recorded.json() as {
      entry: { entryId: string };
      project: { tasks: unknown[]; totals: unknown };
    };
    expect(made).toMatchObject({
      entryId: 'te-000000001',
      taskId: 't2',
      taskName: 'Implementation',
      quantity: '20',
      unit: 'h',
      cost: '1900.00',
      costBasis: 'planned-rate',
      note: 'Sprint 1',
      date: '2026-05-04',
    });
    expect(recorded.headers?.location).toBe(
      `/sites/acme/projects/${project.projectId}/time-entries/te-000000001`,
    );
    expect((await api.request('GET', String(recorded.headers?.location))).json()).toEqual(made);
    expect(after.tasks[1]).toMatchObject({
      actualQuantity: '20',
      quantityUsedPercent: '25',
      actualCost: '1900.00',
      costUsedPercent: '25',
      overBudget: false,
    });
    expect(after.totals).toMatchObject({ actualCost: '1900.00', costUsedPercent: '19.2', unit: null });
    const read = (await api.request('GET', `/sites/acme/projects/${project.projectId}`)).json();
    expect(read).toMatchObject({ status: 'In progress', entryCount: 1 });
  });

  test('bad input is a 400 naming the field', async () => {
    const { projectId } = await createdProject();
    for (const [body, path] of [
      [{ taskId: 't1', quantity: -1 }, 'quantity'],
      [{ taskId: 't1', quantity: '1,5' }, 'quantity'],
      [{ taskId: 't1', quantity: 1, date: '04.05.2026' }, 'date'],
      [{ taskId: 't1', quantity: 1, cost: '12.345' }, 'cost'],
      [{ taskId: 't7', quantity: 1 }, 'taskId'],
      [{ quantity: 1 }, 'taskId'],
    ] as const) {
      const response = await entry(projectId, body);
      expect(response.statusCode).toBe(400);
      expect((response.json().issues as Array<{ path: string }>).map((i) => i.path)).toEqual([path]);
    }
    expect((await api.request('GET', `/sites/acme/projects/${projectId}`)).json().entryCount).toBe(0);
  });

  test('concurrent entries all count, exactly', async () => {
    const { projectId } = await createdProject();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        entry(projectId, { taskId: i % 2 ? 't1' : 't2', quantity: '0.25', cost: '10.01' }),
      ),
    );
    expect(answers.every((a) => a.statusCode === 201)).toBe(true);
    const ids = answers.map((a) => (a.json().entry as { entryId: string }).entryId);
    expect(new Set(ids).size).toBe(20);
    const read = await projectOf(`/sites/acme/projects/${projectId}`);
    expect(read.entryCount).toBe(20);
    expect(read.tasks).toEqual([
      expect.objectContaining({ actualQuantity: '2.5', actualCost: '100.10', entries: 10 }),
      expect.objectContaining({ actualQuantity: '2.5', actualCost: '100.10', entries: 10 }),
    ]);
    expect(read.totals.actualCost).toBe('200.20');
    const listed: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = (
        await api.request(
          'GET',
          `/sites/acme/projects/${projectId}/time-entries?limit=7${nextToken ? `&nextToken=${nextToken}` : ''}`,
        )
      ).json() as { entries: Array<{ entryId: string }>; nextToken?: string };
      listed.push(...page.entries.map((e) => e.entryId));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(listed).toEqual([...ids].sort().reverse());
  });

  test('an entry a crash left on the project is written at the next read', async () => {
    const { projectId } = await createdProject();
    await entry(projectId, { taskId: 't1', quantity: 1 });
    // As if the process died after the write that counted the second entry and before its item.
    const key = itemKeys.project('acme', projectId);
    const lost = {
      siteId: 'acme',
      projectId,
      entryId: 'te-000000002',
      taskId: 't1',
      taskName: 'Discovery workshop',
      quantity: '1',
      unit: 'day',
      cost: '1140.00',
      costBasis: 'planned-rate',
      date: '2026-05-05',
      recordedBy: { subject: 'local-operator', name: 'x' },
      recordedAt: new Date().toISOString(),
    };
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression:
          'SET pendingEntry = :entry, entryCount = :two, tasks[0].actualQuantity = :q, tasks[0].actualCost = :c, tasks[0].entries = :two',
        ExpressionAttributeValues: { ':entry': lost, ':two': 2, ':q': '2', ':c': '2280.00' },
      }),
    );
    const read = await projectOf(`/sites/acme/projects/${projectId}`);
    expect(read.tasks[0]).toMatchObject({ actualQuantity: '2', entries: 2 });
    const listed = (await api.request('GET', `/sites/acme/projects/${projectId}/time-entries`)).json();
    expect((listed.entries as Array<{ entryId: string }>).map((e) => e.entryId)).toEqual([
      'te-000000002',
      'te-000000001',
    ]);
    const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: key }));
    expect(Item?.pendingEntry).toBeUndefined();
    // And the next entry carries on after it.
    const next = (await entry(projectId, { taskId: 't1', quantity: 1 })).json() as unknown as RecordedJson;
    expect(next.entry.entryId).toBe('te-000000003');
  });

  test('a retry with the same Idempotency-Key records nothing again', async () => {
    const { projectId } = await createdProject();
    const headers = { 'idempotency-key': 'entry-retry-1' };
    const first = await entry(projectId, { taskId: 't1', quantity: 1 }, { headers });
    const again = await entry(projectId, { taskId: 't1', quantity: 1 }, { headers });
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect((await api.request('GET', `/sites/acme/projects/${projectId}`)).json().entryCount).toBe(1);
  });
});

describe('PATCH …/projects/{projectId}', () => {
  test('name, dates and status, with sensible transitions', async () => {
    const { projectId } = await createdProject();
    const path = `/sites/acme/projects/${projectId}`;
    const renamed = await api.request('PATCH', path, {
      body: { name: 'Rollout, phase 1', plannedEnd: '2027-01-31' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Rollout, phase 1', plannedEnd: '2027-01-31' });

    const skipped = await api.request('PATCH', path, { body: { status: 'Completed' } });
    expect(skipped.statusCode).toBe(409);
    expect(skipped.json().detail).toMatch(
      /is Planned; it may become In progress or Cancelled, not Completed/,
    );

    const early = await api.request('PATCH', path, { body: { plannedEnd: '2020-01-01' } });
    expect(early.statusCode).toBe(400);
    expect(early.json().issues).toEqual([expect.objectContaining({ path: 'plannedEnd' })]);

    const unknown = await api.request('PATCH', path, { body: { status: 'Done' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().issues).toEqual([expect.objectContaining({ path: 'status' })]);

    for (const status of ['In progress', 'Completed']) {
      expect((await api.request('PATCH', path, { body: { status } })).json().status).toBe(status);
    }
    const closed = await entry(projectId, { taskId: 't1', quantity: 1 });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().detail).toMatch(/is Completed, so it takes no time entries/);
  });
});

describe('GET …/projects', () => {
  test('newest first by number, paged, and by opportunity', async () => {
    const older = await createdProject();
    const newer = await createdProject();
    const first = (await api.request('GET', '/sites/acme/projects?limit=1')).json() as {
      projects: Array<{ projectId: string; number: number; taskCount: number }>;
      nextToken: string;
    };
    expect(first.projects).toEqual([expect.objectContaining({ projectId: newer.projectId, taskCount: 2 })]);
    expect(first.projects[0]).not.toHaveProperty('tasks');
    const second = (
      await api.request('GET', `/sites/acme/projects?limit=1&nextToken=${first.nextToken}`)
    ).json() as { projects: Array<{ projectId: string }> };
    expect(second.projects[0]?.projectId).toBe(older.projectId);
    const all = (await api.request('GET', '/sites/acme/projects?limit=100')).json().projects as Array<{
      number: number;
    }>;
    const numbers = all.map((p) => p.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

    const opportunityId = (await api.request('GET', `/sites/acme/projects/${older.projectId}`)).json()
      .opportunityId as string;
    const mine = (await api.request('GET', `/sites/acme/projects?opportunityId=${opportunityId}`)).json();
    expect((mine.projects as Array<{ projectId: string }>).map((p) => p.projectId)).toEqual([
      older.projectId,
    ]);
  });
});

describe('who may', () => {
  test("a site's users create projects, record time and edit them; others are refused", async () => {
    const quoteId = await acceptedQuote();
    const created = await api.request('POST', `/sites/acme/quotes/${quoteId}/project`, user);
    expect(created.statusCode).toBe(201);
    const projectId = created.json().projectId as string;
    expect(created.json().createdBy).toEqual({ subject: 'uma-sub', name: 'Uma User' });
    const recorded = await entry(projectId, { taskId: 't1', quantity: 1 }, user);
    expect((recorded.json() as unknown as RecordedJson).entry.recordedBy).toEqual({
      subject: 'uma-sub',
      name: 'Uma User',
    });
    expect(
      (await api.request('PATCH', `/sites/acme/projects/${projectId}`, { ...user, body: { name: 'Mine' } }))
        .statusCode,
    ).toBe(200);
    const refused = await api.request('GET', `/sites/acme/projects/${projectId}`, outsider);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().reason).toBe('not-a-member');
    expect((await entry(projectId, { taskId: 't1', quantity: 1 }, outsider)).statusCode).toBe(403);
  });
});
