import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Quote } from '../../shared/domain/synced-records';
import { adminClient, eventually } from '../support/admin-client';
import { type StartedStack, startStackProcess } from '../support/local-stack-process';

/**
 * `npm start` twice on one data folder, as a developer restarts it: the table's records and the
 * queued messages survive, and the demo site works again against the fresh sandbox org.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'quote-sync-restart-'));
let stack: StartedStack | undefined;

afterAll(async () => {
  if (stack && stack.child.exitCode === null) stack.kill();
});

function printed(output: string, label: string): string {
  const value = new RegExp(`${label}\\s+(\\S+)`).exec(output)?.[1];
  if (!value) throw new Error(`the banner has no ${label}`);
  return value;
}

const sqsFor = (queueUrl: string) =>
  new SQSClient({
    endpoint: new URL(queueUrl).origin,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

test('records and queued messages survive a restart, and the demo site syncs again', async () => {
  const first = await startStackProcess({ DATA_DIR: dataDir });
  stack = first;
  const firstApi = adminClient(() => first.url, first.adminToken);
  const before = await firstApi.api<{ quotes: Quote[] }>('GET', '/sites/demo/quotes');
  expect(before.quotes.length).toBeGreaterThanOrEqual(1);
  // A message parked in the dead-letter queue, waiting for someone to look at it.
  const dlq = printed(first.output(), 'dead letters');
  await sqsFor(dlq).send(
    new SendMessageCommand({ QueueUrl: dlq, MessageBody: '{"kept":"across restarts"}' }),
  );
  expect(await first.stop('SIGTERM')).toBe(0);

  const second = await startStackProcess({ DATA_DIR: dataDir });
  stack = second;
  expect(second.output()).toMatch(/restored 1 queued message\(s\)/);
  const secondDlq = printed(second.output(), 'dead letters');
  const { Messages = [] } = await sqsFor(secondDlq).send(
    new ReceiveMessageCommand({ QueueUrl: secondDlq, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  expect(Messages.map((m) => m.Body)).toEqual(['{"kept":"across restarts"}']);

  const api = adminClient(() => second.url, second.adminToken).api;
  const after = await api<{ quotes: Quote[] }>('GET', '/sites/demo/quotes');
  expect(after.quotes.map((q) => q.quoteId)).toEqual(
    expect.arrayContaining(before.quotes.map((q) => q.quoteId)),
  );

  // The sandbox org is new after a restart; reconnecting redeployed the flow, so a stage change syncs.
  const loginUrl = printed(second.output(), 'login URL');
  const token = (await (
    await fetch(`${loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: printed(second.output(), 'client id'),
        client_secret: printed(second.output(), 'client secret'),
        username: printed(second.output(), 'user'),
        password: /user\s+\S+ \/ (\S+)/.exec(second.output())?.[1] ?? '',
      }),
    })
  ).json()) as { access_token: string; instance_url: string };
  const created = (await (
    await fetch(`${token.instance_url}/services/data/v62.0/sobjects/Opportunity`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        Name: 'After restart',
        StageName: 'Proposal/Price Quote',
        CloseDate: '2027-01-31',
      }),
    })
  ).json()) as { id: string };
  const quote = await eventually(
    async () =>
      (await api<{ quotes: Quote[] }>('GET', `/sites/demo/quotes?opportunityId=${created.id}`)).quotes[0],
    'the quote of the opportunity created after the restart',
    30_000,
  );
  expect(quote).toMatchObject({ title: 'After restart', status: 'Scoping' });
  expect(await second.stop('SIGTERM')).toBe(0);
}, 120_000);
