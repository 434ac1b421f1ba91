import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { adminClient } from '../support/admin-client';
import { parseBanner } from '../support/banner';
import {
  descendantsOf,
  type ProcessEntry,
  processTable,
  type StartedStack,
  startStackProcess,
} from '../support/local-stack-process';

/**
 * Stopping `npm start` as a user does without a terminal: one signal to the npm process (not to
 * its process group). Every part stops within the 5 s the README promises, every port is free,
 * no process of the stack is left, and what the README says persists is saved.
 */
const STOP_DEADLINE_MS = 5_000;
const dataDir = mkdtempSync(join(tmpdir(), 'quote-sync-stop-'));
let stack: StartedStack | undefined;

afterEach(() => {
  if (stack && stack.child.exitCode === null) stack.kill();
});

/** Every port the banner names: the API, the sandbox, DynamoDB, SQS and S3. */
function printedPorts(output: string): number[] {
  const banner = parseBanner(output);
  return [banner.apiUrl, banner.sandbox.loginUrl, banner.dynamodbUrl, banner.sqsAndS3Url].map((url) =>
    Number(new URL(url).port),
  );
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Processes that still run: a zombie has exited and waits only for init to collect it. */
function stillRunning(processes: ProcessEntry[], pgid: number): ProcessEntry[] {
  const pids = new Set(processes.map((entry) => entry.pid));
  return processTable().filter(
    (entry) => (pids.has(entry.pid) || entry.pgid === pgid) && entry.state !== 'Z',
  );
}

/** Sends one signal to the npm process and waits for its exit, at most the deadline. */
async function signalAndWait(started: StartedStack, signal: NodeJS.Signals) {
  process.kill(started.pid, signal);
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    started.exited.then((code) => ({ code })),
    new Promise<'still running'>((resolve) => {
      timer = setTimeout(() => resolve('still running'), STOP_DEADLINE_MS);
    }),
  ]);
  clearTimeout(timer);
  return outcome;
}

const sqsAt = (endpoint: string) =>
  new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

test('SIGTERM, then SIGINT, to the npm process stop everything within 5 s and keep the data', async () => {
  // First run: leave something in the table and on a queue, then SIGTERM.
  const first = await startStackProcess({ DATA_DIR: dataDir });
  stack = first;
  const processes = descendantsOf(first.pid);
  // The stack's own process, on the tests' runtime.
  expect(processes.map((entry) => entry.executable)).toContain(process.execPath);
  const ports = printedPorts(first.output());
  const { api } = adminClient(() => first.url, first.adminToken);
  await api('PUT', '/sites/kept-across-stops', { name: 'Kept across stops' });
  const dlq = parseBanner(first.output()).deadLetterQueueUrl;
  await sqsAt(new URL(dlq).origin).send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: 'parked' }));

  expect(await signalAndWait(first, 'SIGTERM')).toEqual({ code: 0 });
  for (const port of ports) expect(await canListen(port)).toBe(true);
  expect(stillRunning(processes, first.pid)).toEqual([]);
  expect(readFileSync(join(dataDir, 'queues-and-objects.json'), 'utf8')).toContain('parked');

  // Second run on the same data: it all came back. Then SIGINT, as Ctrl-C's signal.
  const second = await startStackProcess({ DATA_DIR: dataDir });
  stack = second;
  const secondProcesses = descendantsOf(second.pid);
  const secondPorts = printedPorts(second.output());
  const site = await adminClient(() => second.url, second.adminToken).api<{ name: string }>(
    'GET',
    '/sites/kept-across-stops/users',
  );
  expect(site).toEqual({ users: [] });
  expect(parseBanner(second.output()).restoredMessages).toBe(1);
  const secondDlq = parseBanner(second.output()).deadLetterQueueUrl;
  const { Messages = [] } = await sqsAt(new URL(secondDlq).origin).send(
    new ReceiveMessageCommand({ QueueUrl: secondDlq, WaitTimeSeconds: 1, VisibilityTimeout: 0 }),
  );
  expect(Messages.map((m) => m.Body)).toEqual(['parked']);

  expect(await signalAndWait(second, 'SIGINT')).toEqual({ code: 0 });
  for (const port of secondPorts) expect(await canListen(port)).toBe(true);
  expect(stillRunning(secondProcesses, second.pid)).toEqual([]);
  expect(existsSync(join(dataDir, 'queues-and-objects.json'))).toBe(true);
}, 120_000);

test('a SIGTERM during start-up stops what has started and keeps what the last stop saved', async () => {
  const starting = await startStackProcess({ DATA_DIR: dataDir }, { until: 'listening' });
  stack = starting;
  const health = await fetch(`${starting.url}/health`);
  expect(health.status).toBe(503);
  const processes = descendantsOf(starting.pid);

  expect(await signalAndWait(starting, 'SIGTERM')).toEqual({ code: 0 });
  expect(starting.output()).not.toMatch(/Stop with Ctrl-C/);
  expect(await canListen(Number(new URL(starting.url).port))).toBe(true);
  expect(stillRunning(processes, starting.pid)).toEqual([]);
  expect(readFileSync(join(dataDir, 'queues-and-objects.json'), 'utf8')).toContain('parked');
}, 120_000);
