import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import httpRouterHandler, { type Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { DynamoDbQuoteEditor } from '../../shared/adapters/dynamodb/dynamodb-quote-editor';
import {
  DynamoDbConnectionRepository,
  DynamoDbOAuthStateRepository,
  DynamoDbSettingsRepository,
  DynamoDbUserRepository,
} from '../../shared/adapters/dynamodb/dynamodb-site-records';
import { DynamoDbSiteRepository } from '../../shared/adapters/dynamodb/dynamodb-site-repository';
import { DynamoDbSyncRunRepository } from '../../shared/adapters/dynamodb/dynamodb-sync-runs';
import {
  DynamoDbCompanyRepository,
  DynamoDbPersonRepository,
  DynamoDbQuoteRepository,
  DynamoDbSyncLog,
} from '../../shared/adapters/dynamodb/dynamodb-synced-records';
import { PdfLibQuoteRenderer } from '../../shared/adapters/pdf/pdf-lib-quote-renderer';
import { S3DocumentStore } from '../../shared/adapters/s3/s3-document-store';
import { ConnectedOrgs } from '../../shared/adapters/salesforce/connected-orgs';
import { JsforceOAuth } from '../../shared/adapters/salesforce/jsforce-oauth';
import { JsforceOpportunityPush } from '../../shared/adapters/salesforce/jsforce-opportunity-push';
import { SqsSyncRunQueue } from '../../shared/adapters/sqs/sqs-sync-run-queue';
import { adminConfigSchema, parseConfig } from '../../shared/config/env';
import { keyAdapters, salesforceApp } from '../../shared/config/keys';
import { quotePatchSchema } from '../../shared/domain/quote-editing';
import { settingsSchema } from '../../shared/domain/settings';
import { adminIdentity, authorizeSite } from '../../shared/http/admin-identity';
import { json, parseBody, parseQuery } from '../../shared/http/json';
import { jsonErrorHandler } from '../../shared/middleware/json-errors';
import {
  completeSalesforceConnect,
  disconnectSalesforce,
  startSalesforceConnect,
} from '../../shared/use-cases/connect-salesforce';
import { patchQuote, setQuoteLines } from '../../shared/use-cases/edit-quote';
import { getQuote } from '../../shared/use-cases/get-quote';
import { listCompanies } from '../../shared/use-cases/list-companies';
import { listPersons } from '../../shared/use-cases/list-persons';
import {
  listQuotes,
  listQuotesQuerySchema,
  pageQuerySchema,
  syncLogQuerySchema,
} from '../../shared/use-cases/list-quotes';
import { listSyncLog } from '../../shared/use-cases/list-sync-log';
import {
  addUser,
  addUserBodySchema,
  listUsers,
  putSite,
  putSiteBodySchema,
} from '../../shared/use-cases/manage-site';
import { rotateWebhookSecret } from '../../shared/use-cases/rotate-webhook-secret';
import {
  getSalesforceStatus,
  retrySalesforceDeploy,
  saveSalesforceSettings,
} from '../../shared/use-cases/salesforce-settings';
import { quotePdf, sendQuoteToSalesforce } from '../../shared/use-cases/send-quote-to-salesforce';
import { getSyncRun, startSyncNow } from '../../shared/use-cases/start-sync-now';

/** The admin API: sites and users, the Salesforce connection, settings and setup. */
const config = parseConfig(adminConfigSchema);
const logger = new Logger({ serviceName: 'admin-api' });
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const { cipher, webhookSecrets } = keyAdapters(config);
const app = salesforceApp(config);
const connections = new DynamoDbConnectionRepository(db, config.TABLE_NAME);
const orgs = new ConnectedOrgs({ connections, cipher, app });
const publicBaseUrl = config.PUBLIC_BASE_URL.replace(/\/$/, '');
const deps = {
  sites: new DynamoDbSiteRepository(db, config.TABLE_NAME),
  users: new DynamoDbUserRepository(db, config.TABLE_NAME),
  settings: new DynamoDbSettingsRepository(db, config.TABLE_NAME),
  oauthStates: new DynamoDbOAuthStateRepository(db, config.TABLE_NAME),
  connections,
  orgs,
  cipher,
  webhookSecrets,
  logger,
  outboundBaseUrl: (config.OUTBOUND_BASE_URL ?? publicBaseUrl).replace(/\/$/, ''),
  redirectUri: `${publicBaseUrl}/salesforce/oauth/callback`,
  // The OAuth client needs the app secret only for the token exchange and revocation.
  oauth: {
    authorizationUrl: (input: Parameters<JsforceOAuth['authorizationUrl']>[0]) =>
      new JsforceOAuth({
        loginUrl: config.SALESFORCE_LOGIN_URL,
        clientId: config.SALESFORCE_CLIENT_ID,
        clientSecret: '',
      }).authorizationUrl(input),
    exchangeCode: async (input: Parameters<JsforceOAuth['exchangeCode']>[0]) =>
      new JsforceOAuth(await app()).exchangeCode(input),
    username: async (grant: Parameters<JsforceOAuth['username']>[0]) =>
      new JsforceOAuth(await app()).username(grant),
    revoke: async (token: string) => new JsforceOAuth(await app()).revoke(token),
  },
  quotes: new DynamoDbQuoteRepository(db, config.TABLE_NAME),
  companies: new DynamoDbCompanyRepository(db, config.TABLE_NAME),
  persons: new DynamoDbPersonRepository(db, config.TABLE_NAME),
  syncLog: new DynamoDbSyncLog(db, config.TABLE_NAME),
  runs: new DynamoDbSyncRunRepository(db, config.TABLE_NAME),
  runQueue: new SqsSyncRunQueue(new SQSClient({}), config.SYNC_RUN_QUEUE_URL),
  now: () => new Date(),
};
/** Quote editing, PDF and send: `quotes` here is the editing side of the same items. */
const quoteDeps = {
  ...deps,
  quotes: new DynamoDbQuoteEditor(db, config.TABLE_NAME),
  renderer: new PdfLibQuoteRenderer(),
  documents: new S3DocumentStore(
    new S3Client({
      // A custom endpoint is an emulator locally, which wants path-style addressing.
      forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
    { bucket: config.BUCKET_NAME, ...(config.DOCUMENTS_KEY_ID ? { kmsKeyId: config.DOCUMENTS_KEY_ID } : {}) },
  ),
  push: new JsforceOpportunityPush((siteId) => orgs.connection(siteId)),
};

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyResultV2;

/** A route scoped to one site: the caller must administer `{siteId}`. */
function siteRoute(
  method: Route<Event, Result>['method'],
  path: string,
  run: (event: Event, siteId: string) => Promise<Result>,
) {
  return {
    method,
    path,
    handler: async (event: Event) => {
      const siteId = event.pathParameters?.siteId ?? '';
      authorizeSite(adminIdentity(event, config.ADMIN_TOKEN), siteId);
      logger.appendKeys({ siteId });
      return run(event, siteId);
    },
  };
}

const routes: Route<Event, Result>[] = [
  siteRoute('PUT', '/sites/{siteId}', async (event, siteId) => {
    const { site, created } = await putSite(deps, siteId, parseBody(event, putSiteBodySchema));
    return json(created ? 201 : 200, site);
  }),
  siteRoute('GET', '/sites/{siteId}/users', async (_event, siteId) =>
    json(200, { users: await listUsers(deps, siteId) }),
  ),
  siteRoute('POST', '/sites/{siteId}/users', async (event, siteId) =>
    json(201, await addUser(deps, siteId, parseBody(event, addUserBodySchema))),
  ),
  siteRoute('GET', '/sites/{siteId}/salesforce/connect', async (_event, siteId) => ({
    statusCode: 302,
    headers: { location: await startSalesforceConnect(deps, siteId), 'cache-control': 'no-store' },
    body: '',
  })),
  siteRoute('POST', '/sites/{siteId}/salesforce/disconnect', async (_event, siteId) =>
    json(200, await disconnectSalesforce(deps, siteId)),
  ),
  siteRoute('GET', '/sites/{siteId}/salesforce', async (_event, siteId) =>
    json(200, await getSalesforceStatus(deps, siteId)),
  ),
  siteRoute('PUT', '/sites/{siteId}/salesforce/settings', async (event, siteId) =>
    json(200, await saveSalesforceSettings(deps, siteId, parseBody(event, settingsSchema))),
  ),
  siteRoute('POST', '/sites/{siteId}/salesforce/deploy', async (event, siteId) =>
    json(200, {
      setup: await retrySalesforceDeploy(deps, siteId, event.queryStringParameters?.force === 'true'),
    }),
  ),
  siteRoute('POST', '/sites/{siteId}/salesforce/rotate-secret', async (_event, siteId) =>
    json(200, await rotateWebhookSecret(deps, siteId)),
  ),
  siteRoute('GET', '/sites/{siteId}/salesforce/log', async (event, siteId) =>
    json(200, await listSyncLog(deps, siteId, parseQuery(event, syncLogQuerySchema))),
  ),
  siteRoute('GET', '/sites/{siteId}/quotes', async (event, siteId) =>
    json(200, await listQuotes(deps, siteId, parseQuery(event, listQuotesQuerySchema))),
  ),
  siteRoute('GET', '/sites/{siteId}/quotes/{quoteId}', async (event, siteId) =>
    json(200, await getQuote(deps, siteId, event.pathParameters?.quoteId ?? '')),
  ),
  siteRoute('PUT', '/sites/{siteId}/quotes/{quoteId}/lines', async (event, siteId) =>
    json(
      200,
      await setQuoteLines(
        quoteDeps,
        siteId,
        event.pathParameters?.quoteId ?? '',
        parseBody(event, z.unknown()),
      ),
    ),
  ),
  siteRoute('PATCH', '/sites/{siteId}/quotes/{quoteId}', async (event, siteId) =>
    json(
      200,
      await patchQuote(
        quoteDeps,
        siteId,
        event.pathParameters?.quoteId ?? '',
        parseBody(event, quotePatchSchema),
      ),
    ),
  ),
  siteRoute('GET', '/sites/{siteId}/quotes/{quoteId}/pdf', async (event, siteId) => {
    const { body, pdf, quote } = await quotePdf(quoteDeps, siteId, event.pathParameters?.quoteId ?? '');
    return {
      statusCode: 200,
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="quote-${quote.number}-v${pdf.version}.pdf"`,
        'cache-control': 'no-store',
      },
      body: Buffer.from(body).toString('base64'),
      isBase64Encoded: true,
    };
  }),
  siteRoute('POST', '/sites/{siteId}/quotes/{quoteId}/send-to-salesforce', async (event, siteId) => {
    const send = await sendQuoteToSalesforce(quoteDeps, siteId, event.pathParameters?.quoteId ?? '');
    // Only a send whose amount took is a success; the rest is reported as the conflict it is.
    return json(send.outcome === 'sent' ? 200 : 409, { send });
  }),
  siteRoute('POST', '/sites/{siteId}/salesforce/sync', async (_event, siteId) => {
    const { run, started } = await startSyncNow(deps, siteId);
    return json(202, { ...run, started });
  }),
  siteRoute('GET', '/sites/{siteId}/salesforce/sync/{runId}', async (event, siteId) =>
    json(200, await getSyncRun(deps, siteId, event.pathParameters?.runId ?? '')),
  ),
  siteRoute('GET', '/sites/{siteId}/companies', async (event, siteId) =>
    json(200, await listCompanies(deps, siteId, parseQuery(event, pageQuerySchema))),
  ),
  siteRoute('GET', '/sites/{siteId}/persons', async (event, siteId) =>
    json(200, await listPersons(deps, siteId, parseQuery(event, pageQuerySchema))),
  ),
  {
    // Salesforce redirects the admin's browser here; the one-time state is the credential.
    method: 'GET',
    path: '/salesforce/oauth/callback',
    handler: async (event: Event) => {
      const q = event.queryStringParameters ?? {};
      const result = await completeSalesforceConnect(deps, {
        state: q.state,
        code: q.code,
        error: q.error,
        errorDescription: q.error_description,
      });
      logger.info('Salesforce connected', { siteId: result.siteId, organizationId: result.organizationId });
      return json(200, { connected: true, ...result });
    },
  },
];

export const handler = middy<Event, Result>()
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(jsonErrorHandler(logger))
  .after(async () => {
    await orgs.settle();
  })
  .handler(httpRouterHandler(routes));
