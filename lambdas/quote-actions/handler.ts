import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { DynamoDbApiUsage } from '../../shared/adapters/dynamodb/dynamodb-api-usage';
import { DynamoDbQuoteEditor } from '../../shared/adapters/dynamodb/dynamodb-quote-editor';
import {
  DynamoDbConnectionRepository,
  DynamoDbSettingsRepository,
  DynamoDbSiteProfileRepository,
  DynamoDbUserRepository,
} from '../../shared/adapters/dynamodb/dynamodb-site-records';
import { DynamoDbSiteRepository } from '../../shared/adapters/dynamodb/dynamodb-site-repository';
import { DynamoDbSyncRunRepository } from '../../shared/adapters/dynamodb/dynamodb-sync-runs';
import {
  DynamoDbActivityLog,
  DynamoDbCompanyRepository,
  DynamoDbPersonRepository,
  DynamoDbSyncLog,
} from '../../shared/adapters/dynamodb/dynamodb-synced-records';
import { PowertoolsIdempotency } from '../../shared/adapters/dynamodb/powertools-idempotency';
import { powertoolsMetrics } from '../../shared/adapters/metrics/powertools-metrics';
import { PdfLibQuoteRenderer } from '../../shared/adapters/pdf/pdf-lib-quote-renderer';
import { S3DocumentStore, S3SiteLogoStore } from '../../shared/adapters/s3/s3-document-store';
import { JsforceOpportunityPush } from '../../shared/adapters/salesforce/jsforce-opportunity-push';
import { JsforceQuery } from '../../shared/adapters/salesforce/jsforce-query';
import { SqsSyncQueue } from '../../shared/adapters/sqs/sqs-sync-queue';
import { SqsSyncRunQueue } from '../../shared/adapters/sqs/sqs-sync-run-queue';
import { parseConfig, quoteActionsConfigSchema } from '../../shared/config/env';
import { connectedOrgs } from '../../shared/config/keys';
import { requireRole } from '../../shared/domain/access';
import { UnsupportedImageError } from '../../shared/domain/errors';
import { adminRouter, type Implementations } from '../../shared/http/router';
import { serviceLogger } from '../../shared/logging/service-logger';
import { logContext } from '../../shared/middleware/log-context';
import { problemDetailsHandler } from '../../shared/middleware/problem-details';
import { settleSalesforce } from '../../shared/middleware/settle-salesforce';
import { retryNotification } from '../../shared/use-cases/retry-notification';
import { quotePdf, sendQuoteToSalesforce } from '../../shared/use-cases/send-quote-to-salesforce';
import { deleteSiteLogo, getSiteLogo, putSiteLogo } from '../../shared/use-cases/site-logo';
import { startSyncNow } from '../../shared/use-cases/start-sync-now';

/**
 * Quote actions: Send to Salesforce (and the PDF it sends), the site's logo (kept in the same
 * bucket) and starting Synchronize-now runs, behind the admin API's routes. Its role reaches the bucket, the sync-run queue and Salesforce;
 * the admin API's does not.
 */
const config = parseConfig(quoteActionsConfigSchema);
const logger = serviceLogger('quote-actions');
const { metrics, recorder } = powertoolsMetrics('quote-actions');
const dynamodb = new DynamoDBClient({});
const db = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
const sqs = new SQSClient({});
const connections = new DynamoDbConnectionRepository(db, config.TABLE_NAME);
const s3 = new S3Client({
  forcePathStyle: config.AWS_ENDPOINT_URL_S3 !== undefined,
  requestChecksumCalculation: 'WHEN_REQUIRED',
});
const bucket = {
  bucket: config.BUCKET_NAME,
  ...(config.DOCUMENTS_KEY_ID ? { kmsKeyId: config.DOCUMENTS_KEY_ID } : {}),
};
const orgs = connectedOrgs(config, { connections, apiUsage: new DynamoDbApiUsage(db, config.TABLE_NAME) });
const deps = {
  sites: new DynamoDbSiteRepository(db, config.TABLE_NAME),
  profiles: new DynamoDbSiteProfileRepository(db, config.TABLE_NAME),
  users: new DynamoDbUserRepository(db, config.TABLE_NAME),
  settings: new DynamoDbSettingsRepository(db, config.TABLE_NAME),
  connections,
  quotes: new DynamoDbQuoteEditor(db, config.TABLE_NAME),
  companies: new DynamoDbCompanyRepository(db, config.TABLE_NAME),
  persons: new DynamoDbPersonRepository(db, config.TABLE_NAME),
  runs: new DynamoDbSyncRunRepository(db, config.TABLE_NAME),
  runQueue: new SqsSyncRunQueue(sqs, config.SYNC_RUN_QUEUE_URL),
  renderer: new PdfLibQuoteRenderer(),
  documents: new S3DocumentStore(s3, bucket),
  logos: new S3SiteLogoStore(s3, bucket),
  push: new JsforceOpportunityPush((siteId) => orgs.connection(siteId)),
  // A retried notification: read again from Salesforce, queued for the worker.
  syncLog: new DynamoDbSyncLog(db, config.TABLE_NAME),
  activity: new DynamoDbActivityLog(db, config.TABLE_NAME),
  salesforce: new JsforceQuery((siteId) => orgs.connection(siteId)),
  syncQueue: new SqsSyncQueue(sqs, config.SYNC_QUEUE_URL),
  orgs,
  logger,
  now: () => new Date(),
};

const implementations: Implementations<'quote-actions'> = {
  getQuotePdf: async ({ params }) => {
    const { body, pdf, quote } = await quotePdf(deps, params.siteId, params.quoteId);
    return {
      status: 200,
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="quote-${quote.number}-v${pdf.version}.pdf"`,
      },
      raw: { body: Buffer.from(body).toString('base64'), isBase64Encoded: true },
    };
  },
  sendQuoteToSalesforce: async ({ params, identity }) => {
    const send = await sendQuoteToSalesforce(
      deps,
      params.siteId,
      params.quoteId,
      requireRole(identity, params.siteId, 'user'),
    );
    // Only a send whose amount took is a success; the rest is reported as the conflict it is.
    return { status: send.outcome === 'sent' ? 200 : 409, body: { send } };
  },
  putSiteLogo: async ({ params, body, identity, event }) => {
    const { created, logo } = await putSiteLogo(deps, params.siteId, body, identity).catch(
      (error: unknown) => {
        // A text Content-Type makes API Gateway pass the body as text, which breaks an image's bytes.
        if (error instanceof UnsupportedImageError && !event.isBase64Encoded && body.byteLength > 0) {
          throw new UnsupportedImageError(
            `${error.found}, as it arrived: sent as ${event.headers['content-type'] ?? 'text'}, an image's bytes do not pass unchanged; send the file with Content-Type image/png, image/jpeg or application/octet-stream`,
            { cause: error },
          );
        }
        throw error;
      },
    );
    return {
      status: created ? 201 : 200,
      body: logo,
      ...(created
        ? { headers: { location: `/sites/${encodeURIComponent(params.siteId)}/profile/logo` } }
        : {}),
    };
  },
  getSiteLogo: async ({ params }) => {
    const { logo, body } = await getSiteLogo(deps, params.siteId);
    return {
      status: 200,
      headers: { 'content-type': logo.contentType, etag: `"${logo.sha256}"` },
      raw: { body: Buffer.from(body).toString('base64'), isBase64Encoded: true },
    };
  },
  deleteSiteLogo: async ({ params, identity }) => {
    await deleteSiteLogo(deps, params.siteId, identity);
    return { status: 204 };
  },
  retryNotification: async ({ params, identity }) => ({
    status: 202,
    body: await retryNotification(deps, params.siteId, params.entryId, identity),
  }),
  startSyncNow: async ({ params }) => {
    const { run, started } = await startSyncNow(deps, params.siteId);
    return {
      status: 202,
      body: { ...run, started },
      headers: {
        location: `/sites/${encodeURIComponent(params.siteId)}/salesforce/sync/${encodeURIComponent(run.runId)}`,
      },
    };
  },
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(logContext(logger))
  .use(logMetrics(metrics))
  .use(problemDetailsHandler(logger))
  .use(settleSalesforce(orgs, recorder))
  .handler(
    adminRouter({
      function: 'quote-actions',
      implementations,
      adminToken: config.ADMIN_TOKEN,
      logger,
      idempotency: new PowertoolsIdempotency(dynamodb, config.TABLE_NAME),
    }),
  );
