import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { cachedApiUsage } from '../../shared/adapters/dynamodb/cached-api-usage';
import { cachedSettings } from '../../shared/adapters/dynamodb/cached-settings';
import { CarriedApiUsage } from '../../shared/adapters/dynamodb/carried-api-usage';
import { DynamoDbApiUsage } from '../../shared/adapters/dynamodb/dynamodb-api-usage';
import {
  DynamoDbConnectionRepository,
  DynamoDbSettingsRepository,
} from '../../shared/adapters/dynamodb/dynamodb-site-records';
import { DynamoDbSyncRunRepository } from '../../shared/adapters/dynamodb/dynamodb-sync-runs';
import {
  DynamoDbCompanyRepository,
  DynamoDbPersonRepository,
  DynamoDbQuoteNumbers,
  DynamoDbQuoteRepository,
  DynamoDbSyncLog,
  Items,
} from '../../shared/adapters/dynamodb/dynamodb-synced-records';
import {
  recentlySyncedCompanies,
  recentlySyncedPersons,
} from '../../shared/adapters/dynamodb/recently-synced';
import {
  meteredConnections,
  meteredSyncLog,
  recordApiUsage,
} from '../../shared/adapters/metrics/metered-ports';
import { powertoolsMetrics } from '../../shared/adapters/metrics/powertools-metrics';
import { setSalesforceTimeout } from '../../shared/adapters/salesforce/jsforce-org';
import { JsforceRecordReaders } from '../../shared/adapters/salesforce/jsforce-record-reader';
import { SqsDeadLetters } from '../../shared/adapters/sqs/sqs-dead-letters';
import { REQUEST_ID_ATTRIBUTE } from '../../shared/adapters/sqs/sqs-sync-queue';
import { SqsSyncRetries } from '../../shared/adapters/sqs/sqs-sync-retries';
import { parseConfig, workerConfigSchema } from '../../shared/config/env';
import { connectedOrgs } from '../../shared/config/keys';
import { serviceLogger } from '../../shared/logging/service-logger';
import { logContext } from '../../shared/middleware/log-context';
import { syncNotifications } from '../../shared/use-cases/sync-notifications';

/**
 * The sync worker: SQS batches of notifications (up to 100) become companies, persons and
 * quotes. It answers with a partial batch response: only the messages listed stay on the queue.
 * Powertools' BatchProcessor hands records to a handler one at a time; this use case needs the
 * whole batch at once (grouped by site, two Salesforce calls per site), so it returns the failed
 * message ids itself. https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
const config = parseConfig(workerConfigSchema);
setSalesforceTimeout(config.SALESFORCE_TIMEOUT_MS);
const logger = serviceLogger('sync-worker');
const { metrics, recorder } = powertoolsMetrics('sync-worker');
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const sqs = new SQSClient({});
const connections = new DynamoDbConnectionRepository(db, config.TABLE_NAME);
// The day's API calls ride on each site's sync log write (CarriedApiUsage): no request of their own.
const items = new Items(db, config.TABLE_NAME);
const carriedUsage = new CarriedApiUsage(new DynamoDbApiUsage(db, config.TABLE_NAME), (i) =>
  items.batchPut(i),
);
const apiUsage = cachedApiUsage(carriedUsage, config.API_USAGE_CACHE_SECONDS * 1000);
const orgs = connectedOrgs(config, { connections, apiUsage, recordEachCall: true });
const deps = {
  settings: cachedSettings(
    new DynamoDbSettingsRepository(db, config.TABLE_NAME),
    config.SETTINGS_CACHE_SECONDS * 1000,
  ),
  connections: meteredConnections(connections, recorder),
  salesforce: new JsforceRecordReaders(orgs),
  quotes: new DynamoDbQuoteRepository(db, config.TABLE_NAME),
  quoteNumbers: new DynamoDbQuoteNumbers(db, config.TABLE_NAME),
  companies: recentlySyncedCompanies(new DynamoDbCompanyRepository(db, config.TABLE_NAME), {
    ttlMs: config.SYNCED_RECORDS_CACHE_SECONDS * 1000,
  }),
  persons: recentlySyncedPersons(new DynamoDbPersonRepository(db, config.TABLE_NAME), {
    ttlMs: config.SYNCED_RECORDS_CACHE_SECONDS * 1000,
  }),
  syncLog: meteredSyncLog(new DynamoDbSyncLog(db, config.TABLE_NAME, carriedUsage), recorder),
  runs: new DynamoDbSyncRunRepository(db, config.TABLE_NAME),
  retries: new SqsSyncRetries(sqs, config.SYNC_QUEUE_URL),
  apiBudget: { usage: apiUsage, recheckMs: config.API_BUDGET_RECHECK_SECONDS * 1000 },
  logger,
  policy: {
    transientBackoffSeconds: config.TRANSIENT_BACKOFF_SECONDS,
    rateLimitBackoffSeconds: config.RATE_LIMIT_BACKOFF_SECONDS,
    maxBackoffSeconds: config.MAX_BACKOFF_SECONDS,
    holdBackReceives: config.HOLD_BACK_RECEIVES,
    requeueDelaySeconds: config.REQUEUE_DELAY_SECONDS,
    maxReconnectWaitMs: config.MAX_RECONNECT_WAIT_HOURS * 3_600_000,
    maxRetryWaitMs: config.MAX_RETRY_WAIT_HOURS * 3_600_000,
  },
  now: () => new Date(),
  ...(config.SYNC_DEAD_LETTER_QUEUE_URL
    ? {
        deadLetters: {
          queue: new SqsDeadLetters(sqs, config.SYNC_DEAD_LETTER_QUEUE_URL),
          maxReceiveCount: config.MAX_RECEIVE_COUNT,
        },
      }
    : {}),
};

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(logContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    // The gateway requests that queued these messages: every log line of the batch names them.
    const requestIds = [
      ...new Set(
        event.Records.flatMap((r) => r.messageAttributes?.[REQUEST_ID_ATTRIBUTE]?.stringValue ?? []),
      ),
    ];
    if (requestIds.length > 0) logger.appendKeys({ requestIds });
    recorder.count('SyncBatches');
    const { failedMessageIds, outcomes } = await syncNotifications(
      deps,
      event.Records.map((record) => ({
        messageId: record.messageId,
        receiptHandle: record.receiptHandle,
        body: record.body,
        receiveCount: Number(record.attributes.ApproximateReceiveCount) || 1,
      })),
    );
    recordApiUsage(orgs.takeUsage(), recorder);
    logger.info('Batch done', { records: event.Records.length, kept: failedMessageIds.length, ...outcomes });
    return { batchItemFailures: failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
  });
