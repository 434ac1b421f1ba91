import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { DynamoDbSiteRepository } from '../../shared/adapters/dynamodb/dynamodb-site-repository';
import { powertoolsMetrics } from '../../shared/adapters/metrics/powertools-metrics';
import { parseOutboundMessage } from '../../shared/adapters/soap/outbound-message-parser';
import { outboundBodyText } from '../../shared/adapters/soap/outbound-request-body';
import { ACK_BODY, SOAP_CONTENT_TYPE } from '../../shared/adapters/soap/soap-responses';
import { SqsSyncQueue } from '../../shared/adapters/sqs/sqs-sync-queue';
import { ackConfigSchema, parseConfig } from '../../shared/config/env';
import { serviceLogger } from '../../shared/logging/service-logger';
import { logContext } from '../../shared/middleware/log-context';
import { soapFaultHandler } from '../../shared/middleware/soap-fault';
import { acceptOutboundMessage } from '../../shared/use-cases/accept-outbound-message';

/**
 * POST /salesforce/outbound/{siteId}/{secret}: Salesforce's outbound messages.
 * Acknowledges only after every notification is on the sync queue.
 * The path carries the webhook secret, so neither the event nor the path is ever logged.
 */
const config = parseConfig(ackConfigSchema);
const logger = serviceLogger('ack-outbound-message');
const { metrics, recorder } = powertoolsMetrics('ack-outbound-message');
const queue = new SqsSyncQueue(new SQSClient({}), config.SYNC_QUEUE_URL);
const deps = {
  sites: new DynamoDbSiteRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.TABLE_NAME),
  queue,
  logger,
  parse: parseOutboundMessage,
  maxBodyBytes: config.MAX_OUTBOUND_BODY_BYTES,
  now: () => new Date(),
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(logContext(logger))
  .use(logMetrics(metrics))
  .use(soapFaultHandler(logger))
  .handler(async (event) => {
    const started = performance.now();
    recorder.count('OutboundMessages');
    const { siteId = '', secret = '' } = event.pathParameters ?? {};
    const { queued, ignored } = await acceptOutboundMessage(
      // The gateway's request id travels with each message, so the worker's logs join this request.
      { ...deps, queue: queue.forRequest(event.requestContext.requestId) },
      { siteId, secret, body: outboundBodyText(event, config.MAX_OUTBOUND_BODY_BYTES) },
    );
    recorder.count('NotificationsPerMessage', queued + ignored);
    recorder.milliseconds('AckLatency', performance.now() - started);
    return { statusCode: 200, headers: { 'content-type': SOAP_CONTENT_TYPE }, body: ACK_BODY };
  });
