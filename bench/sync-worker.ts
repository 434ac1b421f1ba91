import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DEMO_STAGE } from '../local/demo';
import { lambdaContext } from '../local/lambda-context';
import { startLocalStack } from '../local/stack';
import { DynamoDbQuoteRepository } from '../shared/adapters/dynamodb/dynamodb-synced-records';
import { toId18 } from '../shared/domain/salesforce-id';
import type { SyncMessage } from '../shared/domain/sync-message';
import { quoteIdFor } from '../shared/domain/synced-records';
import { countingProxy, round, summarize } from './support';

/**
 * The sync worker on the local stack (emulators, sandbox, ack handler, SQS event source):
 * - end to end: opportunities moved to the stage in the sandbox, through the Flow, the outbound
 *   message, the ack, SQS and the worker, to stored quotes: throughput of a burst, and latency of
 *   single changes from the stage change to the quote's creation time (including the sandbox's
 *   one-second outbound batching window, which Salesforce has too);
 * - cost: Salesforce API calls (the sandbox's counter) and DynamoDB requests (a counting proxy on
 *   the wire) per synced opportunity, invoking the worker with batches of exactly 1, 10 and 100.
 */
const BURST = 300;
const LATENCY_SAMPLES = 40;
const BATCH_SIZES = [1, 10, 100] as const;
const DYNAMODB_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'BatchGetItem',
  'BatchWriteItem',
];
const BATCHES_PER_SIZE: Record<(typeof BATCH_SIZES)[number], number> = { 1: 20, 10: 5, 100: 3 };

type Handler = (event: SQSEvent, context: unknown) => Promise<SQSBatchResponse>;

export async function benchSyncWorker() {
  const proxy = await countingProxy(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '');
  const dynamodbEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.url;
  process.env.POWERTOOLS_LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'SILENT';
  // The deployed default (the local stack reads settings for every batch, so edits apply at once).
  process.env.SETTINGS_CACHE_SECONDS ??= '10';
  process.env.API_USAGE_CACHE_SECONDS ??= '10';
  const adminToken = `bench-${randomUUID()}`;
  const stack = await startLocalStack({
    externalEmulators: true,
    port: 0,
    sandboxPort: 0,
    prefix: `bench-sync-${Date.now()}`,
    adminToken,
    workerBatchingWindowMs: 500,
  });
  const { sandbox } = stack;
  const quotes = new DynamoDbQuoteRepository(
    DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamodbEndpoint })),
    stack.resources.tableName,
  );
  const [account] = sandbox.store.all('Account');
  const [contact] = sandbox.store.all('Contact');
  if (!account || !contact) throw new Error('the sandbox has no demo data');
  const ctx = { userId: sandbox.adminUserId };
  /** A new opportunity of the demo account and contact, or (`fresh`) of an account and contact of its own. */
  const newOpportunity = (name: string, stage = 'Qualification', fresh = false) => {
    const accountId = fresh
      ? sandbox.store.create('Account', { Name: `${name} Account` }, ctx).Id
      : account.Id;
    const contactId = fresh
      ? sandbox.store.create('Contact', { LastName: `${name} Contact`, AccountId: accountId }, ctx).Id
      : contact.Id;
    const id = sandbox.store.create(
      'Opportunity',
      { Name: name, StageName: stage, CloseDate: '2027-03-31', Amount: 1000, AccountId: accountId },
      ctx,
    ).Id;
    sandbox.store.create(
      'OpportunityContactRole',
      { OpportunityId: id, ContactId: contactId, IsPrimary: true },
      ctx,
    );
    return { id, accountId };
  };
  const quoteCreatedAt = async (opportunityId: string, deadline: number) => {
    for (;;) {
      const quote = await quotes.get('demo', quoteIdFor(opportunityId));
      if (quote) return Date.parse(quote.createdAt);
      if (Date.now() > deadline) throw new Error(`no quote for ${opportunityId}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  try {
    // Latency: one stage change at a time, each waited for.
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const { id } = newOpportunity(`Latency ${i}`);
      const changedAt = Date.now();
      sandbox.store.update('Opportunity', id, { StageName: DEMO_STAGE }, ctx);
      latencies.push((await quoteCreatedAt(id, Date.now() + 30_000)) - changedAt);
    }

    // Throughput: a burst of stage changes, to the last quote stored.
    const burst = Array.from({ length: BURST }, (_, i) => newOpportunity(`Burst ${i}`).id);
    const started = Date.now();
    for (const id of burst) sandbox.store.update('Opportunity', id, { StageName: DEMO_STAGE }, ctx);
    let last = 0;
    for (const id of burst) last = Math.max(last, await quoteCreatedAt(id, Date.now() + 120_000));
    const burstSeconds = (last - started) / 1000;

    // Cost per opportunity at exact batch sizes, invoking the worker directly (as the event
    // source does), so nothing else runs meanwhile.
    const { handler } = require(join(__dirname, '..', 'lambdas', 'sync-worker', 'handler')) as {
      handler: Handler;
    };
    const organizationId = sandbox.organizationId;
    const costs: Record<
      string,
      {
        salesforceApiCallsPerOpportunity: number;
        dynamodbRequestsPerOpportunity: number;
        /** After the pass's first batch: what a warm worker pays, without its cold reads. */
        dynamodbRequestsPerOpportunityWarm: number;
        dynamodbRequestsByOperation: Record<string, number>;
      }
    > = {};
    // Batches of 1, 10 and 100 opportunities of one account and contact (the worker has seen them
    // after the first), and batches of 1 whose opportunities each bring a new account and contact.
    const passes = [
      ...BATCH_SIZES.map((size) => ({
        key: `batch${size}`,
        size,
        batches: BATCHES_PER_SIZE[size],
        fresh: false,
      })),
      { key: 'batch1NewAccountAndContact', size: 1, batches: BATCHES_PER_SIZE[1], fresh: true },
    ];
    for (const { key, size, batches, fresh } of passes) {
      const apiBefore = sandbox.apiCalls().used;
      proxy.reset();
      let synced = 0;
      let firstBatchRequests = 0;
      const requestsSoFar = () => DYNAMODB_OPERATIONS.map((op) => proxy.count(op)).reduce((a, b) => a + b, 0);
      for (let b = 0; b < batches; b++) {
        const records = Array.from({ length: size }, (_, i) => {
          const { id, accountId } = newOpportunity(`Cost ${key}-${b}-${i}`, 'Qualification', fresh);
          const message: SyncMessage = {
            kind: 'notification',
            version: 1,
            siteId: 'demo',
            organizationId,
            notificationId: toId18(
              `04l5g${String((fresh ? 5000 : size * 1000) + b * 100 + i).padStart(10, '0')}`,
            ),
            sObjectType: 'Opportunity',
            recordId: id,
            fields: {
              Id: id,
              Name: `Cost ${key}-${b}-${i}`,
              StageName: DEMO_STAGE,
              AccountId: accountId,
              Amount: '1000.0',
              CloseDate: '2027-03-31',
              SystemModstamp: new Date().toISOString(),
            },
            receivedAt: new Date().toISOString(),
            source: 'outbound-message',
          };
          return {
            messageId: randomUUID(),
            receiptHandle: randomUUID(),
            body: JSON.stringify(message),
            attributes: {
              ApproximateReceiveCount: '1',
              SentTimestamp: String(Date.now()),
              SenderId: 'bench',
              ApproximateFirstReceiveTimestamp: String(Date.now()),
            },
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench',
            awsRegion: 'us-east-1',
          };
        });
        const response = await handler({ Records: records }, lambdaContext('sync-worker', 60_000));
        if (response.batchItemFailures.length > 0) throw new Error('the worker failed records');
        synced += size;
        if (b === 0) firstBatchRequests = requestsSoFar();
      }
      const dynamodbRequests = requestsSoFar();
      costs[key] = {
        salesforceApiCallsPerOpportunity: round((sandbox.apiCalls().used - apiBefore) / synced, 3),
        dynamodbRequestsPerOpportunity: round(dynamodbRequests / synced, 2),
        dynamodbRequestsPerOpportunityWarm: round(
          (dynamodbRequests - firstBatchRequests) / (synced - size),
          2,
        ),
        dynamodbRequestsByOperation: Object.fromEntries(
          DYNAMODB_OPERATIONS.flatMap((op) =>
            proxy.count(op) ? [[op, round(proxy.count(op) / synced, 2)]] : [],
          ),
        ),
      };
    }

    const latency = summarize(latencies);
    return {
      endToEnd: {
        burstOpportunities: BURST,
        opportunitiesPerSecond: round(BURST / burstSeconds, 1),
        latencySamples: LATENCY_SAMPLES,
        latencyMedianMs: round(latency.median),
        latencyP99Ms: round(latency.p99),
        note: 'latency includes the sandbox outbound-message batching window of 1 s',
      },
      perOpportunity: costs,
      targets: { salesforceApiCallsPerOpportunityAtBatch100: 0.05 },
    };
  } finally {
    await stack.stop();
    await proxy.close();
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodbEndpoint;
  }
}
