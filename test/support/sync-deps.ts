import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDbCompanyRepository,
  DynamoDbPersonRepository,
  DynamoDbQuoteNumbers,
  DynamoDbQuoteRepository,
  DynamoDbSyncLog,
} from '../../shared/adapters/dynamodb/dynamodb-synced-records';
import type { Settings } from '../../shared/domain/settings';
import type { SalesforceRecordReader } from '../../shared/ports/salesforce';
import type { SyncNotificationsDeps } from '../../shared/use-cases/sync-notifications';

export const silentLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The worker's use case with the real DynamoDB adapters, a site's settings and an in-memory Salesforce. */
export function dynamoDbSyncDeps(
  db: DynamoDBDocumentClient,
  table: string,
  site: { siteId: string; settings: Settings; reader: SalesforceRecordReader },
) {
  const quotes = new DynamoDbQuoteRepository(db, table);
  const deps = {
    settings: {
      get: async () => ({ siteId: site.siteId, settings: site.settings, setup: {}, updatedAt: '' }),
    },
    connections: { markReconnectNeeded: async () => undefined },
    salesforce: { forSite: async () => site.reader, settle: async () => undefined },
    quotes,
    quoteNumbers: new DynamoDbQuoteNumbers(db, table),
    companies: new DynamoDbCompanyRepository(db, table),
    persons: new DynamoDbPersonRepository(db, table),
    syncLog: new DynamoDbSyncLog(db, table),
    retries: { holdBack: async () => [], requeue: async () => undefined },
    logger: silentLogger,
    policy: {
      transientBackoffSeconds: 1,
      rateLimitBackoffSeconds: 1,
      maxBackoffSeconds: 4,
      holdBackReceives: 2,
      requeueDelaySeconds: 1,
      maxReconnectWaitMs: 1000,
      maxRetryWaitMs: 3_600_000,
    },
    now: () => new Date(),
  } satisfies SyncNotificationsDeps;
  return deps;
}
