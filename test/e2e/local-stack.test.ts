import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ACK_BODY } from '../../shared/adapters/soap/soap-responses';
import { syncMessageSchema } from '../../shared/domain/sync-message';
import { type StartedStack, startStackProcess } from '../support/local-stack-process';
import { buildOutboundMessage, opportunities } from '../support/outbound-messages';

/** `npm start` as a user runs it: its own process, its own emulators, sandbox and demo site. */
let stack: StartedStack;
let demo: {
  outboundMessageUrl: string;
  connection: { organizationId: string };
  setup: { flow: { version: number } };
};

beforeAll(async () => {
  stack = await startStackProcess();
  const response = await fetch(`${stack.url}/sites/demo/salesforce`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  demo = (await response.json()) as typeof demo;
}, 60_000);

afterAll(async () => {
  if (stack.child.exitCode === null) await stack.stop('SIGKILL');
});

test('npm start answers /health', async () => {
  const response = await fetch(`${stack.url}/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});

test('the demo site is connected to the sandbox through OAuth, with its flow deployed', () => {
  expect(demo.connection.organizationId).toMatch(/^00D/);
  expect(demo.setup.flow.version).toBe(1);
  expect(demo.outboundMessageUrl).toMatch(
    new RegExp(`^${stack.url}/salesforce/outbound/demo/[A-Za-z0-9_-]{40,}$`),
  );
});

test('an outbound message to the demo site is acknowledged and its notification is on the queue', async () => {
  const response = await fetch(demo.outboundMessageUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    body: buildOutboundMessage({
      organizationId: demo.connection.organizationId,
      notifications: opportunities(1),
    }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
  expect(await response.text()).toBe(ACK_BODY);

  const endpoint = new URL(stack.syncQueueUrl).origin;
  const sqs = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: stack.syncQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  const ids = Messages.map((m) => syncMessageSchema.parse(JSON.parse(m.Body ?? '')).recordId);
  expect(ids).toContain(opportunities(1)[0]?.fields.Id);
});

test('a hostile message gets its 4xx fault through the gateway', async () => {
  const response = await fetch(demo.outboundMessageUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>',
  });
  expect(response.status).toBe(400);
  expect(await response.text()).toContain('DOCTYPE');
});

test('the webhook secret never appears in the output', () => {
  const secret = demo.outboundMessageUrl.split('/').pop() ?? '';
  expect(secret.length).toBeGreaterThan(20);
  expect(stack.output()).not.toContain(secret);
});

test('SIGTERM stops every part and the ports are released', async () => {
  expect(await stack.stop('SIGTERM')).toBe(0);
  await expect(fetch(`${stack.url}/health`)).rejects.toThrow();
});
