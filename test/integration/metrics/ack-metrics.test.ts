import { randomBytes } from 'node:crypto';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDbSiteRepository } from '../../../shared/adapters/dynamodb/dynamodb-site-repository';
import { hashWebhookSecret } from '../../../shared/domain/site';
import { type HttpHandler, httpApiEvent, lambdaContext, loadHandler } from '../../support/api-gateway';
import { createQueue, createTable, documents, sqs } from '../../support/aws';
import { buildOutboundMessage, FIXTURE_ORG_ID, opportunities } from '../../support/outbound-messages';

/** The ack's EMF metrics, read from its stdout, and the request id it hands to the worker. */
const secret = randomBytes(32).toString('base64url');
let handler: HttpHandler;
let queueUrl: string;

beforeAll(async () => {
  const tableName = await createTable();
  queueUrl = await createQueue();
  const now = new Date().toISOString();
  await new DynamoDbSiteRepository(documents, tableName).put({
    siteId: 'metered',
    name: 'Metered',
    webhookSecretHash: hashWebhookSecret(secret),
    webhookSecretGeneration: 1,
    salesforce: { organizationId: FIXTURE_ORG_ID },
    createdAt: now,
    updatedAt: now,
  });
  ({ handler } = loadHandler<{ handler: HttpHandler }>('lambdas/ack-outbound-message/handler', {
    TABLE_NAME: tableName,
    SYNC_QUEUE_URL: queueUrl,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'false',
  }));
});

afterAll(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

test('an acknowledged message counts its notifications and its latency, and its messages carry the request id', async () => {
  const event = httpApiEvent({
    method: 'POST',
    routeKey: 'POST /salesforce/outbound/{siteId}/{secret}',
    path: `/salesforce/outbound/metered/${secret}`,
    pathParameters: { siteId: 'metered', secret },
    body: buildOutboundMessage({ notifications: opportunities(3) }),
  });
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  let status: number | undefined;
  try {
    status = ((await handler(event, lambdaContext)) as { statusCode: number }).statusCode;
  } finally {
    write.mockRestore();
  }
  expect(status).toBe(200);
  const emf = written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } });
  expect(emf).toHaveLength(1);
  const [metrics] = emf;
  expect(metrics).toMatchObject({
    service: 'ack-outbound-message',
    NotificationsPerMessage: 3,
    OutboundMessages: 1,
  });
  expect(metrics?.AckLatency).toEqual(expect.any(Number));
  expect(JSON.stringify(metrics?._aws.CloudWatchMetrics)).toContain('"Namespace":"QuoteSync"');

  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
    }),
  );
  expect(Messages).toHaveLength(3);
  for (const message of Messages) {
    expect(message.MessageAttributes?.requestId?.StringValue).toBe(event.requestContext.requestId);
  }
});
