import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DEMO_STAGE } from '../../local/demo';
import type { GatewayLimits } from '../../local/http-gateway';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { documents } from '../support/aws';
import { eventually } from '../support/eventually';
import { signInLocally } from '../support/local-sign-in';
import type { CaseRun, CorpusContext, HostileCase } from './cases';
import { type RawResponse, rawExchange } from './raw-http';

/**
 * The hostile corpus's runner, shared by its test (test/hostile/corpus.test.ts) and its benchmark
 * (`npm run bench -- hostile`): the local stack in this process, the real path from the local
 * API gateway through the handlers to SQS, the worker and the table, and the checks every case
 * shares: nothing queued, nothing stored, the stack still healthy.
 */
const ADMIN_TOKEN = 'hostile-corpus-admin-token-0123456789';

/** Short enough that the slow-client cases end in a second or two; the defaults are API Gateway's. */
export const CORPUS_GATEWAY_LIMITS: Partial<GatewayLimits> = {
  headersTimeoutMs: 800,
  requestTimeoutMs: 1500,
};

export interface CorpusStack {
  stack: LocalStack;
  context: CorpusContext;
  /** Sends one case's request as the case describes it, timed from its first byte to the answer's end. */
  send(testCase: HostileCase, run?: CaseRun): Promise<{ response: RawResponse; ms: number }>;
  /** A run of a case: the context and a fresh opportunity in the sandbox org. */
  newRun(): CaseRun;
  /** Everything the stack stores and queues, for before/after comparisons. */
  snapshot(): Promise<StoredState>;
  /** Waits until every queue is empty and the table holds still. */
  settle(): Promise<StoredState>;
  healthy(): Promise<boolean>;
  stop(): Promise<void>;
}

export interface StoredState {
  /** Messages on any queue of the stack: visible, in flight or delayed. */
  queued: number;
  /** Every table item but the API-usage counters (metering moves on every Salesforce call, refused or not). */
  items: Map<string, string>;
  objects: string[];
}

const sqs = new SQSClient({});
const s3 = new S3Client({ forcePathStyle: true });

async function depth(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

export async function startCorpusStack(): Promise<CorpusStack> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const stack = await startLocalStack({
    externalEmulators: true,
    port: 0,
    sandboxPort: 0,
    prefix: `hostile-${randomUUID().slice(0, 8)}`,
    adminToken: ADMIN_TOKEN,
    workerBatchingWindowMs: 100,
    // Reconciliation would write its own state between cases; it has tests of its own.
    reconcileIntervalMs: 24 * 3600_000,
    gatewayLimits: CORPUS_GATEWAY_LIMITS,
  });
  const { resources } = stack;
  const asAdmin = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${stack.url}${path}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  const snapshot = async (): Promise<StoredState> => {
    // Queues first: a message that was queued is either still counted there or, once the worker
    // deleted it, its writes are already in the table read after.
    const counts = await Promise.all(
      [resources.syncQueueUrl, resources.deadLetterQueueUrl, resources.syncRunQueueUrl].map(depth),
    );
    const items = new Map<string, string>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({ TableName: resources.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      for (const item of page.Items ?? []) {
        if (String(item.sk).startsWith('APIUSAGE#')) continue;
        items.set(`${item.pk} ${item.sk}`, JSON.stringify(item));
      }
      start = page.LastEvaluatedKey;
    } while (start);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: resources.bucketName }));
    return {
      queued: counts.reduce((a, b) => a + b, 0),
      items,
      objects: (listed.Contents ?? []).map((object) => object.Key ?? '').sort(),
    };
  };

  /** Two snapshots in a row with empty queues and the same items. */
  const settle = async (): Promise<StoredState> => {
    let previous = await snapshot();
    return eventually(
      async () => {
        const next = await snapshot();
        const still = next.queued === 0 && previous.queued === 0 && sameItems(previous, next);
        previous = next;
        return still ? next : undefined;
      },
      'every queue to empty and the table to hold still',
      60_000,
      250,
    );
  };

  const status = await asAdmin<{ outboundMessageUrl: string; connection: { organizationId: string } }>(
    '/sites/demo/salesforce',
  );
  const user = stack.console.people.find((person) => person.siteId === 'demo' && person.role === 'user');
  if (!user) throw new Error('the demo has no user without the admin role');
  const { access_token: userToken } = await signInLocally(stack.url, user);
  await settle();
  const { quotes } = await asAdmin<{ quotes: Array<{ quoteId: string }> }>('/sites/demo/quotes');
  const quoteId = quotes[0]?.quoteId;
  if (!quoteId) throw new Error('the demo site has no quote');
  const outbound = new URL(status.outboundMessageUrl);

  const context: CorpusContext = {
    outboundPath: outbound.pathname,
    organizationId: status.connection.organizationId,
    adminToken: ADMIN_TOKEN,
    userToken,
    quoteId,
    stage: DEMO_STAGE,
    freshOpportunity: () => {
      const account = stack.sandbox.store.all('Account')[0];
      const created = stack.sandbox.store.create(
        'Opportunity',
        { Name: 'Corpus', StageName: 'Qualification', CloseDate: '2027-03-31', AccountId: account?.Id },
        { userId: stack.sandbox.adminUserId },
      );
      return {
        Id: String(created.Id),
        AccountId: String(created.AccountId),
        SystemModstamp: String(created.SystemModstamp),
      };
    },
    quotesOf: async (opportunityId) =>
      (
        await asAdmin<{ quotes: Array<{ title: string; description?: string }> }>(
          `/sites/demo/quotes?opportunityId=${opportunityId}`,
        )
      ).quotes,
    logOf: async (opportunityId) =>
      (
        await asAdmin<{ entries: Array<{ outcome: string; reason?: string }> }>(
          `/sites/demo/salesforce/log?opportunityId=${opportunityId}`,
        )
      ).entries,
  };

  const newRun = (): CaseRun => ({
    ...context,
    opportunity: context.freshOpportunity(),
    neighbours: [context.freshOpportunity(), context.freshOpportunity()],
  });

  return {
    stack,
    context,
    newRun,
    async send(testCase, run = newRun()) {
      const parts = testCase.request(run);
      const started = performance.now();
      const response = await rawExchange(stack.url, parts);
      return { response, ms: performance.now() - started };
    },
    snapshot,
    settle,
    healthy: async () => (await fetch(`${stack.url}/health`)).status === 200,
    stop: () => stack.stop(),
  };
}

export function sameItems(a: StoredState, b: StoredState): boolean {
  if (a.items.size !== b.items.size || a.objects.join('\n') !== b.objects.join('\n')) return false;
  for (const [key, value] of a.items) if (b.items.get(key) !== value) return false;
  return true;
}

/** What changed between two snapshots, for a failure message a person can read. */
export function changes(before: StoredState, after: StoredState): string[] {
  const found: string[] = [];
  for (const [key, value] of after.items)
    if (before.items.get(key) !== value) found.push(`${before.items.has(key) ? 'changed' : 'added'} ${key}`);
  for (const key of before.items.keys()) if (!after.items.has(key)) found.push(`removed ${key}`);
  const objects = after.objects.filter((key) => !before.objects.includes(key));
  for (const key of objects) found.push(`stored object ${key}`);
  if (after.queued > 0) found.push(`${after.queued} messages queued`);
  return found;
}
