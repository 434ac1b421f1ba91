import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ACK_BODY } from '../../shared/adapters/soap/soap-responses';
import { syncMessageSchema } from '../../shared/domain/sync-message';
import { type StartedStack, startStackProcess } from '../support/local-stack-process';
import { readFixture } from '../support/outbound-messages';

let stack: StartedStack;

beforeAll(async () => {
  stack = await startStackProcess();
}, 40_000);

afterAll(async () => {
  if (stack.child.exitCode === null) await stack.stop('SIGKILL');
});

test('npm start answers /health', async () => {
  const response = await fetch(`${stack.url}/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});

test('an outbound message to the demo site is acknowledged and its notification is on the queue', async () => {
  const response = await fetch(stack.demoOutboundUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    body: readFixture('opportunity-single.xml'),
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
  expect(Messages).toHaveLength(1);
  expect(syncMessageSchema.parse(JSON.parse(Messages[0]?.Body ?? '')).recordId).toBe('0065g00000Xyz12AAB');
});

test('a hostile message gets its 4xx fault through the gateway', async () => {
  const response = await fetch(stack.demoOutboundUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>',
  });
  expect(response.status).toBe(400);
  expect(await response.text()).toContain('DOCTYPE');
});

test('the secret never appears in the output', () => {
  const secret = stack.demoOutboundUrl.split('/').pop() ?? '';
  const printedOnce = stack.output().split(secret).length - 1;
  // The start banner prints the demo URL (and the curl example) for the user; nothing else may.
  expect(printedOnce).toBe(2);
});

test('SIGTERM stops every part and the port is released', async () => {
  expect(await stack.stop('SIGTERM')).toBe(0);
  await expect(fetch(`${stack.url}/health`)).rejects.toThrow();
});
