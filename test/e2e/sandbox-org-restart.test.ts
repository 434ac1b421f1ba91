import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Company, Quote } from '../../shared/domain/synced-records';
import { adminClient } from '../support/admin-client';
import { BANNER_END, parseBanner } from '../support/banner';
import { eventually } from '../support/eventually';
import { extractPdfText } from '../support/extract-pdf-text';
import { type StartedStack, startStackProcess } from '../support/local-stack-process';

/**
 * Issue 10's first walk-through, as a user does it with `npm start` twice on one data folder:
 * once `/health` says ready the demo site answers with its flow; the admin changes the stage;
 * SIGTERM to the npm process frees both ports within 5 s; the next start keeps the stage and
 * continues the same sandbox org, so a new account never takes the id of a saved company, and
 * every quote (and its PDF) stays with its own customer.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'quote-sync-org-restart-'));
const STOP_DEADLINE_MS = 5_000;
const STAGE = 'Negotiation/Review';
let stack: StartedStack | undefined;

afterAll(() => {
  if (stack && stack.child.exitCode === null) stack.kill();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The sandbox org through its REST API, logged in as the banner prints its user. */
async function salesforce(output: string) {
  const { loginUrl, clientId, clientSecret, username, password } = parseBanner(output).sandbox;
  const form = new URLSearchParams({
    grant_type: 'password',
    client_id: clientId,
    client_secret: clientSecret,
    username,
    password,
  });
  const token = (await (
    await fetch(`${loginUrl}/services/oauth2/token`, { method: 'POST', body: form })
  ).json()) as {
    access_token: string;
    instance_url: string;
  };
  const rest = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${token.instance_url}/services/data/v62.0${path}`, {
      method,
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    /** An account and its opportunity, created at the stage in one go (the flow fires on create). */
    async customer(name: string): Promise<{ accountId: string; opportunityId: string }> {
      const account = await rest<{ id: string }>('POST', '/sobjects/Account', { Name: name });
      const opportunity = await rest<{ id: string }>('POST', '/sobjects/Opportunity', {
        Name: `${name} rollout`,
        StageName: STAGE,
        CloseDate: '2027-03-31',
        AccountId: account.id,
      });
      return { accountId: account.id, opportunityId: opportunity.id };
    },
    accountIds: async () =>
      (
        await rest<{ records: Array<{ Id: string }> }>(
          'GET',
          `/query?q=${encodeURIComponent('SELECT Id FROM Account')}`,
        )
      ).records.map((record) => record.Id),
  };
}

async function waitForHealth(url: string): Promise<void> {
  await eventually(
    async () => (await fetch(`${url}/health`)).status === 200,
    '/health to answer 200',
    60_000,
  );
}

/** SIGTERM to the npm process alone; resolves with the exit code and how long it took. */
async function sigterm(
  started: StartedStack,
): Promise<{ code: number | null | 'still running'; ms: number }> {
  const at = Date.now();
  process.kill(started.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    started.exited,
    new Promise<'still running'>((resolve) => {
      timer = setTimeout(() => resolve('still running'), STOP_DEADLINE_MS);
    }),
  ]);
  clearTimeout(timer);
  return { code, ms: Date.now() - at };
}

test('ready means the demo flow is there; the stage set survives SIGTERM and a restart; no account takes a saved company id', async () => {
  const sandboxPort = await freePort();
  const env = { DATA_DIR: dataDir, SANDBOX_PORT: String(sandboxPort) };

  // First start: as soon as /health says ready, the demo site answers with its flow.
  const first = await startStackProcess(env, { until: 'listening' });
  stack = first;
  await waitForHealth(first.url);
  const firstApi = adminClient(() => first.url, first.adminToken).api;
  const ready = await firstApi<{
    connection: { status: string };
    settings: { opportunityToQuote: { stage: string } };
    setup: { flow: { version: number; state: string } };
  }>('GET', '/sites/demo/salesforce');
  expect(ready.connection.status).toBe('connected');
  expect(ready.setup.flow).toMatchObject({ version: expect.any(Number), state: 'active' });

  // The admin changes the stage; PUT replaces the whole settings object, so send it whole.
  const settings = {
    ...ready.settings,
    opportunityToQuote: { ...ready.settings.opportunityToQuote, stage: STAGE },
  };
  await firstApi('PUT', '/sites/demo/salesforce/settings', settings);
  await eventually(() => BANNER_END.test(first.output()), 'the banner');
  const org = await salesforce(first.output());
  const before = await org.customer('Łódź Before Restart');
  const beforeQuote = await eventually(
    async () =>
      (await firstApi<{ quotes: Quote[] }>('GET', `/sites/demo/quotes?opportunityId=${before.opportunityId}`))
        .quotes[0],
    'the quote of the opportunity before the restart',
    30_000,
  );

  // SIGTERM to the npm process: within 5 s it has exited and neither port is taken.
  const apiPort = Number(new URL(first.url).port);
  const stopped = await sigterm(first);
  expect(stopped.code).toBe(0);
  expect(await canListen(apiPort)).toBe(true);
  expect(await canListen(sandboxPort)).toBe(true);

  // Second start: the same org, the stage as set, and the demo's connection as it was.
  const second = await startStackProcess(env);
  stack = second;
  expect(second.output()).toMatch(/kept in\s+\S+org\.json \(continued the saved org/);
  // The same connection (no reconnect); the API's port is new (PORT=0), so the message follows it.
  expect(second.output()).toMatch(/This start pointed the outbound message at this start's API URL\./);
  expect(second.output()).not.toMatch(/connected Salesforce/);
  const api = adminClient(() => second.url, second.adminToken).api;
  const status = await api<{ settings: { opportunityToQuote: { stage: string } } }>(
    'GET',
    '/sites/demo/salesforce',
  );
  expect(status.settings.opportunityToQuote.stage).toBe(STAGE);

  const savedCompanies = (await api<{ companies: Company[] }>('GET', '/sites/demo/companies?limit=100'))
    .companies;
  const savedAccountIds = savedCompanies.map((company) => company.salesforce?.id);
  expect(savedAccountIds).toContain(before.accountId);
  const after = await salesforce(second.output()).then((o) => o.customer('Rīga After Restart'));
  expect(savedAccountIds).not.toContain(after.accountId);
  const accountIds = await (await salesforce(second.output())).accountIds();
  expect(new Set(accountIds).size).toBe(accountIds.length);
  expect(accountIds).toEqual(expect.arrayContaining([before.accountId, after.accountId]));

  const afterQuote = await eventually(
    async () =>
      (await api<{ quotes: Quote[] }>('GET', `/sites/demo/quotes?opportunityId=${after.opportunityId}`))
        .quotes[0],
    'the quote of the opportunity after the restart',
    30_000,
  );
  // Each quote points at its own customer, and its PDF is addressed to it.
  const companies = (await api<{ companies: Company[] }>('GET', '/sites/demo/companies?limit=100')).companies;
  for (const [quote, accountId, name] of [
    [beforeQuote, before.accountId, 'Łódź Before Restart'],
    [afterQuote, after.accountId, 'Rīga After Restart'],
  ] as const) {
    const company = companies.find((c) => c.companyId === quote.companyId);
    expect(company).toMatchObject({ name, salesforce: { id: accountId } });
    const pdf = await fetch(`${second.url}/sites/demo/quotes/${quote.quoteId}/pdf`, {
      headers: { authorization: `Bearer ${second.adminToken}` },
    });
    expect(pdf.status).toBe(200);
    const text = (await extractPdfText(new Uint8Array(await pdf.arrayBuffer()))).pages.flat().join(' ');
    expect(text).toContain(name);
  }
  const ids = companies.map((company) => company.salesforce?.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect((await sigterm(second)).code).toBe(0);
}, 180_000);
