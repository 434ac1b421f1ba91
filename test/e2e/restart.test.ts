import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { settingsSchema } from '../../shared/domain/settings';
import type { Quote } from '../../shared/domain/synced-records';
import { adminClient } from '../support/admin-client';
import { parseBanner } from '../support/banner';
import { eventually } from '../support/eventually';
import { type StartedStack, startStackProcess } from '../support/local-stack-process';

/**
 * `npm start` twice on one data folder, as a developer restarts it: the table's records, the
 * queued messages and everything the admin changed survive, and the demo site syncs with the
 * admin's settings.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'quote-sync-restart-'));
let stack: StartedStack | undefined;

afterAll(async () => {
  if (stack && stack.child.exitCode === null) stack.kill();
});

const sqsFor = (queueUrl: string) =>
  new SQSClient({
    endpoint: new URL(queueUrl).origin,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** Every part of the settings differs from the demo's defaults. */
const ADMIN_SETTINGS = {
  opportunityToQuote: { enabled: true, stage: 'Negotiation/Review' },
  accountToCompany: { enabled: true },
  contactToPerson: { enabled: false },
  fieldMappings: {
    opportunity: [{ salesforceField: 'LeadSource', target: { kind: 'custom', key: 'lead_source' } }],
    account: [],
    contact: [],
  },
  customFields: [{ key: 'lead_source', label: 'Lead source', type: 'text', appliesTo: 'opportunity' }],
  pushBack: { enabled: false },
  ownerUserId: 'kim',
};
/** As the API answers them: with the defaults of keys the PUT left out. */
const STORED_ADMIN_SETTINGS = settingsSchema.parse(ADMIN_SETTINGS);

test("records, queued messages and the admin's settings survive a restart, and the demo site syncs with them", async () => {
  const first = await startStackProcess({ DATA_DIR: dataDir });
  stack = first;
  const firstApi = adminClient(() => first.url, first.adminToken);
  const before = await firstApi.api<{ quotes: Quote[] }>('GET', '/sites/demo/quotes');
  expect(before.quotes.length).toBeGreaterThanOrEqual(1);
  // The admin's work: a renamed site, another owner, and settings unlike the demo's.
  await firstApi.api('PUT', '/sites/demo', { name: 'Our pipeline' });
  await firstApi.api('POST', '/sites/demo/users', {
    userId: 'kim',
    name: 'Kim Admin',
    email: 'kim@example.com',
  });
  await firstApi.api('PUT', '/sites/demo/salesforce/settings', ADMIN_SETTINGS);
  // A message parked in the dead-letter queue, waiting for someone to look at it.
  const dlq = parseBanner(first.output()).deadLetterQueueUrl;
  await sqsFor(dlq).send(
    new SendMessageCommand({ QueueUrl: dlq, MessageBody: '{"kept":"across restarts"}' }),
  );
  expect(await first.stop('SIGTERM')).toBe(0);

  const second = await startStackProcess({ DATA_DIR: dataDir });
  stack = second;
  expect(parseBanner(second.output()).restoredMessages).toBe(1);
  const secondDlq = parseBanner(second.output()).deadLetterQueueUrl;
  const { Messages = [] } = await sqsFor(secondDlq).send(
    new ReceiveMessageCommand({ QueueUrl: secondDlq, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  expect(Messages.map((m) => m.Body)).toEqual(['{"kept":"across restarts"}']);

  const api = adminClient(() => second.url, second.adminToken).api;
  const status = await api<{ settings: unknown; setup: { lastAttempt: { ok: boolean } } }>(
    'GET',
    '/sites/demo/salesforce',
  );
  expect(status.settings).toEqual(STORED_ADMIN_SETTINGS);
  expect(status.setup.lastAttempt.ok).toBe(true);
  const { users } = await api<{ users: Array<{ userId: string }> }>('GET', '/sites/demo/users');
  // The demo's own people (its owner and its console user) and the admin's Kim, nobody twice.
  expect(users.map((user) => user.userId).sort()).toEqual(['demo-owner', 'demo-user', 'kim']);
  expect(second.output()).toMatch(/stage "Negotiation\/Review"/);
  expect(second.output()).not.toMatch(/saved the demo settings|created the site/);
  const after = await api<{ quotes: Quote[] }>('GET', '/sites/demo/quotes');
  expect(after.quotes.map((q) => q.quoteId)).toEqual(
    expect.arrayContaining(before.quotes.map((q) => q.quoteId)),
  );

  // The flow was deployed for the admin's stage and mapping: an opportunity at that stage syncs
  // with its mapped field, to the admin's owner.
  const { loginUrl, clientId, clientSecret, username, password } = parseBanner(second.output()).sandbox;
  const token = (await (
    await fetch(`${loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: clientId,
        client_secret: clientSecret,
        username,
        password,
      }),
    })
  ).json()) as { access_token: string; instance_url: string };
  const created = (await (
    await fetch(`${token.instance_url}/services/data/v62.0/sobjects/Opportunity`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        Name: 'After restart',
        StageName: 'Negotiation/Review',
        CloseDate: '2027-01-31',
        LeadSource: 'Web',
      }),
    })
  ).json()) as { id: string };
  const quote = await eventually(
    async () =>
      (await api<{ quotes: Quote[] }>('GET', `/sites/demo/quotes?opportunityId=${created.id}`)).quotes[0],
    'the quote of the opportunity created after the restart',
    30_000,
  );
  expect(quote).toMatchObject({
    title: 'After restart',
    status: 'Scoping',
    ownerUserId: 'kim',
    customFields: { lead_source: 'Web' },
  });
  expect(await second.stop('SIGTERM')).toBe(0);
}, 120_000);
