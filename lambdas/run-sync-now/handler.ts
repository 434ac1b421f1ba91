import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoDbApiUsage } from '../../shared/adapters/dynamodb/dynamodb-api-usage';
import {
  DynamoDbConnectionRepository,
  DynamoDbSettingsRepository,
} from '../../shared/adapters/dynamodb/dynamodb-site-records';
import { DynamoDbSyncRunRepository } from '../../shared/adapters/dynamodb/dynamodb-sync-runs';
import { recordApiUsage } from '../../shared/adapters/metrics/metered-ports';
import { powertoolsMetrics } from '../../shared/adapters/metrics/powertools-metrics';
import { JsforceQuery } from '../../shared/adapters/salesforce/jsforce-query';
import { SqsSyncQueue } from '../../shared/adapters/sqs/sqs-sync-queue';
import { SqsSyncRunQueue } from '../../shared/adapters/sqs/sqs-sync-run-queue';
import { parseConfig, syncRunConfigSchema } from '../../shared/config/env';
import { connectedOrgs } from '../../shared/config/keys';
import { syncRunPageSchema } from '../../shared/domain/sync-run';
import { serviceLogger } from '../../shared/logging/service-logger';
import { logContext } from '../../shared/middleware/log-context';
import { processSyncRunPage } from '../../shared/use-cases/process-sync-run-page';

/**
 * Processes "Synchronize now" pages: one SOQL page per message, its records queued for the
 * sync worker, the next page handed back to this queue. A failed page stays on the queue and
 * is retried (the use case makes a retry safe); after maxReceiveCount it goes to the DLQ.
 */
const config = parseConfig(syncRunConfigSchema);
const logger = serviceLogger('run-sync-now');
const { metrics, recorder } = powertoolsMetrics('run-sync-now');
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const sqs = new SQSClient({});
const connections = new DynamoDbConnectionRepository(db, config.TABLE_NAME);
const orgs = connectedOrgs(config, { connections, apiUsage: new DynamoDbApiUsage(db, config.TABLE_NAME) });
const deps = {
  settings: new DynamoDbSettingsRepository(db, config.TABLE_NAME),
  connections,
  runs: new DynamoDbSyncRunRepository(db, config.TABLE_NAME),
  runQueue: new SqsSyncRunQueue(sqs, config.SYNC_RUN_QUEUE_URL),
  syncQueue: new SqsSyncQueue(sqs, config.SYNC_QUEUE_URL),
  salesforce: new JsforceQuery((siteId) => orgs.connection(siteId)),
  logger,
  now: () => new Date(),
};
const processor = new BatchProcessor(EventType.SQS);

async function processRecord(record: SQSRecord): Promise<void> {
  const page = syncRunPageSchema.parse(JSON.parse(record.body));
  logger.appendKeys({ siteId: page.siteId, runId: page.runId });
  try {
    await processSyncRunPage(deps, page);
  } catch (error) {
    // The run shows the error; the page is retried by SQS.
    await deps.runs.recordError(
      page.siteId,
      page.runId,
      `Page ${page.page}: ${(error as Error).message}`,
      false,
    );
    throw error;
  } finally {
    recorder.count('SyncRunPages');
    recordApiUsage(orgs.takeUsage(), recorder);
    await orgs.settle();
  }
}

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(logContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event: SQSEvent, context: Context) =>
    processPartialResponse(event, processRecord, processor, { context }),
  );
