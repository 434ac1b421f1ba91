import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { DynamoDbApiUsage } from '../../shared/adapters/dynamodb/dynamodb-api-usage';
import { DynamoDbReconciliationStates } from '../../shared/adapters/dynamodb/dynamodb-reconciliation-states';
import {
  DynamoDbConnectionRepository,
  DynamoDbSettingsRepository,
} from '../../shared/adapters/dynamodb/dynamodb-site-records';
import { DynamoDbSiteRepository } from '../../shared/adapters/dynamodb/dynamodb-site-repository';
import {
  DynamoDbQuoteRepository,
  DynamoDbSyncLog,
} from '../../shared/adapters/dynamodb/dynamodb-synced-records';
import { recordApiUsage } from '../../shared/adapters/metrics/metered-ports';
import { powertoolsMetrics } from '../../shared/adapters/metrics/powertools-metrics';
import { JsforceQuery } from '../../shared/adapters/salesforce/jsforce-query';
import { SqsSyncQueue } from '../../shared/adapters/sqs/sqs-sync-queue';
import { parseConfig, reconcileConfigSchema } from '../../shared/config/env';
import { connectedOrgs } from '../../shared/config/keys';
import { serviceLogger } from '../../shared/logging/service-logger';
import { logContext } from '../../shared/middleware/log-context';
import { reconcileSites } from '../../shared/use-cases/reconcile-sites';

/**
 * Scheduled reconciliation (EventBridge Scheduler in AWS, a timer in the local stack): every
 * connected site's opportunities changed since its watermark are checked against the quotes,
 * and what the webhooks missed is queued for the worker.
 */
const config = parseConfig(reconcileConfigSchema);
const logger = serviceLogger('reconcile-sites');
const { metrics, recorder } = powertoolsMetrics('reconcile-sites');
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const connections = new DynamoDbConnectionRepository(db, config.TABLE_NAME);
const apiUsage = new DynamoDbApiUsage(db, config.TABLE_NAME);
const orgs = connectedOrgs(config, { connections, apiUsage });

export const handler = middy<unknown, unknown>()
  .use(logContext(logger))
  .use(logMetrics(metrics))
  .handler(async (_event: unknown, context: Context) => {
    const result = await reconcileSites({
      sites: new DynamoDbSiteRepository(db, config.TABLE_NAME),
      settings: new DynamoDbSettingsRepository(db, config.TABLE_NAME),
      connections,
      states: new DynamoDbReconciliationStates(db, config.TABLE_NAME),
      salesforce: new JsforceQuery((siteId) => orgs.connection(siteId)),
      quotes: new DynamoDbQuoteRepository(db, config.TABLE_NAME),
      queue: new SqsSyncQueue(new SQSClient({}), config.SYNC_QUEUE_URL),
      syncLog: new DynamoDbSyncLog(db, config.TABLE_NAME),
      logger,
      now: () => new Date(),
      timeLeftMs: () => context.getRemainingTimeInMillis(),
      apiBudget: { usage: apiUsage, recheckMs: config.API_BUDGET_RECHECK_SECONDS * 1000, orgs },
    });
    recorder.count('ReconciledSites', result.sites - result.failed);
    if (result.failed > 0) recorder.count('ReconciliationFailures', result.failed);
    if (result.overBudget > 0) recorder.count('ReconciliationSkippedOverBudget', result.overBudget);
    recordApiUsage(orgs.takeUsage(), recorder);
    await orgs.settle();
    return { sites: result.sites, failed: result.failed, overBudget: result.overBudget };
  });
