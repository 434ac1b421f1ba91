import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { DynamoDbSiteRepository } from '../../../shared/adapters/dynamodb/dynamodb-site-repository';
import { ACK_BODY } from '../../../shared/adapters/soap/soap-responses';
import { hashWebhookSecret } from '../../../shared/domain/site';
import { syncMessageSchema } from '../../../shared/domain/sync-message';
import { type HttpHandler, httpApiEvent, lambdaContext, loadHandler } from '../../support/api-gateway';
import { createQueue, createTable, documents, drainQueue, queueDepth } from '../../support/aws';
import {
  buildOutboundMessage,
  FIXTURE_ORG_ID,
  opportunities,
  readFixture,
  sfId,
} from '../../support/outbound-messages';

type Result = Exclude<APIGatewayProxyResultV2, string>;

/** Secrets as random as the derived ones: 32 bytes, URL-safe. */
const generateWebhookSecret = () => randomBytes(32).toString('base64url');
const secret = generateWebhookSecret();
let handler: HttpHandler;
let queueUrl: string;
let tableName: string;

beforeAll(async () => {
  tableName = await createTable();
  // A queue that takes at most 4 KiB per message, so one oversized notification really fails.
  queueUrl = await createQueue({ MaximumMessageSize: '4096' });
  const sites = new DynamoDbSiteRepository(documents, tableName);
  const now = new Date().toISOString();
  await sites.put({
    siteId: 'acme',
    name: 'Acme',
    webhookSecretHash: hashWebhookSecret(secret),
    webhookSecretGeneration: 1,
    salesforce: { organizationId: FIXTURE_ORG_ID },
    createdAt: now,
    updatedAt: now,
  });
  await sites.put({
    siteId: 'fresh',
    name: 'Not connected',
    webhookSecretHash: hashWebhookSecret(secret),
    webhookSecretGeneration: 1,
    createdAt: now,
    updatedAt: now,
  });
  ({ handler } = loadHandler<{ handler: HttpHandler }>('lambdas/ack-outbound-message/handler', {
    TABLE_NAME: tableName,
    SYNC_QUEUE_URL: queueUrl,
    MAX_OUTBOUND_BODY_BYTES: String(1024 * 1024),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  }));
});

afterEach(async () => {
  await drainQueue(queueUrl);
});

async function post(
  body: string,
  options: { siteId?: string; secret?: string; base64?: boolean } = {},
): Promise<Result> {
  const siteId = options.siteId ?? 'acme';
  const key = options.secret ?? secret;
  const event = httpApiEvent({
    method: 'POST',
    routeKey: 'POST /salesforce/outbound/{siteId}/{secret}',
    path: `/salesforce/outbound/${siteId}/${key}`,
    pathParameters: { siteId, secret: key },
    body: options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
  });
  return (await handler(event, lambdaContext)) as Result;
}

function expectFault(result: Result, status: number, message: RegExp) {
  expect(result.statusCode).toBe(status);
  expect(result.headers?.['content-type']).toBe('text/xml; charset=utf-8');
  expect(result.body).toContain(
    status >= 500 ? '<faultcode>soapenv:Server</faultcode>' : '<faultcode>soapenv:Client</faultcode>',
  );
  expect(result.body).toMatch(message);
  expect(result.body).not.toContain('<Ack>');
}

test('a real-shaped message is queued, then acknowledged with the exact Ack body', async () => {
  const result = await post(readFixture('opportunity-single.xml'));
  expect(result).toEqual({
    statusCode: 200,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: ACK_BODY,
  });

  const bodies = await drainQueue(queueUrl);
  expect(bodies).toHaveLength(1);
  const message = syncMessageSchema.parse(JSON.parse(bodies[0] ?? ''));
  expect(message).toMatchObject({
    siteId: 'acme',
    organizationId: FIXTURE_ORG_ID,
    notificationId: '04l5g00000Ab12CAAR',
    sObjectType: 'Opportunity',
    recordId: '0065g00000Xyz12AAB',
    source: 'outbound-message',
  });
  expect(message.fields.Order_Number__c).toBe('000123');
  expect(message.fields.Description).toBeNull();
});

test('every one of 100 notifications lands on the queue exactly once', async () => {
  const result = await post(buildOutboundMessage({ notifications: opportunities(100) }));
  expect(result.statusCode).toBe(200);
  const ids = (await drainQueue(queueUrl)).map((b) => syncMessageSchema.parse(JSON.parse(b)).recordId);
  expect(ids).toHaveLength(100);
  expect(new Set(ids)).toEqual(new Set(opportunities(100).map((o) => o.fields.Id)));
});

test('15-character organization ids match the site on their first 15 characters', async () => {
  const result = await post(readFixture('opportunity-batch-15-char-ids.xml'));
  expect(result.statusCode).toBe(200);
  expect(await drainQueue(queueUrl)).toHaveLength(2);
});

test('a base64-encoded body is decoded', async () => {
  expect((await post(readFixture('opportunity-single.xml'), { base64: true })).statusCode).toBe(200);
  expect(await drainQueue(queueUrl)).toHaveLength(1);
});

test('notifications of types we do not sync are acknowledged and never queued', async () => {
  const result = await post(readFixture('custom-object.xml'));
  expect(result.body).toBe(ACK_BODY);
  expect(await queueDepth(queueUrl)).toBe(0);
});

test('an entry SQS refuses for good is queued as a stand-in that records its failure; the message is acknowledged', async () => {
  const notifications = opportunities(3);
  const big = notifications[1];
  if (big) big.fields.Description = 'x'.repeat(5000);
  const result = await post(buildOutboundMessage({ notifications }));
  expect(result.body).toBe(ACK_BODY);
  const queued = (await drainQueue(queueUrl)).map((b) => syncMessageSchema.parse(JSON.parse(b)));
  expect(queued).toHaveLength(3);
  expect(queued.filter((m) => m.refused === undefined)).toHaveLength(2);
  expect(queued.find((m) => m.refused)).toMatchObject({
    notificationId: sfId('04l', 2),
    fields: { Id: notifications[1]?.fields.Id },
    refused: expect.stringMatching(/^the sync queue refused the notification: /),
  });
});

test('emoji, right-to-left and CJK text in every field are queued as ASCII and read back exactly', async () => {
  const text = 'Deal 😀🚀 שלום عالم 商談 견적';
  const notifications = opportunities(1);
  const first = notifications[0];
  if (first) {
    first.fields.Name = text;
    first.fields.StageName = `${text} stage`;
    first.fields.Description = `${text}\n${text}`;
    first.fields.Region__c = text;
  }
  expect((await post(buildOutboundMessage({ notifications }))).body).toBe(ACK_BODY);
  const [body] = await drainQueue(queueUrl);
  expect(body).toMatch(/^[\x20-\x7e]*$/);
  expect(syncMessageSchema.parse(JSON.parse(body ?? '')).fields).toMatchObject({
    Name: text,
    StageName: `${text} stage`,
    Description: `${text}\n${text}`,
    Region__c: text,
  });
});

test('U+FFFE in a field is refused with 400: XML 1.0 does not allow it', async () => {
  const notifications = opportunities(1);
  if (notifications[0]) notifications[0].fields.Name = 'a\uFFFEb';
  expectFault(await post(buildOutboundMessage({ notifications })), 400, /U\+FFFE is not allowed in XML 1\.0/);
  expect(await queueDepth(queueUrl)).toBe(0);
});

describe('refusals are SOAP faults with a reason, and nothing is queued', () => {
  afterEach(async () => {
    expect(await queueDepth(queueUrl)).toBe(0);
  });

  test('malformed XML → 400', async () => {
    expectFault(await post('<soapenv:Envelope'), 400, /not well-formed XML/);
  });
  test('a DOCTYPE → 400', async () => {
    expectFault(
      await post(`<!DOCTYPE x [<!ENTITY a "b">]>${readFixture('opportunity-single.xml').slice(39)}`),
      400,
      /DOCTYPE/,
    );
  });
  test('wrong namespace → 400', async () => {
    const xml = readFixture('opportunity-single.xml').replace(
      'http://soap.sforce.com/2005/09/outbound',
      'urn:x',
    );
    expectFault(await post(xml), 400, /namespace/);
  });
  test('101 notifications → 400', async () => {
    expectFault(await post(buildOutboundMessage({ notifications: opportunities(101) })), 400, /at most 100/);
  });
  test('a JSON body → 400', async () => {
    expectFault(await post('{"a":1}'), 400, /not well-formed XML/);
  });
  test('an empty body → 400', async () => {
    expectFault(await post(''), 400, /empty/);
  });
  test('an opportunity without Id → 400', async () => {
    const xml = readFixture('opportunity-single.xml').replace('<sf:Id>0065g00000Xyz12AAB</sf:Id>', '');
    expectFault(await post(xml), 400, /no Id field/);
  });
  test('one malformed record id among valid ones → 400 naming its notification; none is queued', async () => {
    const notifications = opportunities(5);
    const doomed = notifications[3];
    if (doomed) doomed.fields.Id = "006' OR Id != '";
    expectFault(
      await post(buildOutboundMessage({ notifications })),
      400,
      new RegExp(
        `notifications\\.3\\.fields\\.Id of notification ${sfId('04l', 4)} is .*not a Salesforce id`,
      ),
    );
  });
  test('a 5 MB body → 413, checked before parsing', async () => {
    expectFault(await post(`<a>${'x'.repeat(5 * 1024 * 1024)}</a>`), 413, /at most 1048576 bytes/);
    expectFault(
      await post(`<a>${'x'.repeat(5 * 1024 * 1024)}</a>`, { base64: true }),
      413,
      /larger than 1048576/,
    );
  });
  test('unknown site and wrong secret get the same 404', async () => {
    const unknown = await post(readFixture('opportunity-single.xml'), { siteId: 'nobody' });
    const wrong = await post(readFixture('opportunity-single.xml'), { secret: generateWebhookSecret() });
    const malformedSite = await post(readFixture('opportunity-single.xml'), { siteId: '../etc' });
    expectFault(unknown, 404, /No outbound-message endpoint/);
    expect(wrong).toEqual(unknown);
    expect(malformedSite).toEqual(unknown);
  });
  test('another organization → 403', async () => {
    const xml = buildOutboundMessage({
      organizationId: '00D5g000009Zz9ZEAS',
      notifications: opportunities(1),
    });
    expectFault(await post(xml), 403, /organization 00D5g000009Zz9ZEAS.*connected to 00D5g000004Ck1ZEAS/);
  });
  test('a site that is not connected yet → 403', async () => {
    expectFault(await post(readFixture('opportunity-single.xml'), { siteId: 'fresh' }), 403, /not connected/);
  });
});
