import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import httpRouterHandler, { type Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import {
  DynamoDbConnectionRepository,
  DynamoDbOAuthStateRepository,
  DynamoDbSettingsRepository,
  DynamoDbUserRepository,
} from '../../shared/adapters/dynamodb/dynamodb-site-records';
import { DynamoDbSiteRepository } from '../../shared/adapters/dynamodb/dynamodb-site-repository';
import {
  DynamoDbCompanyRepository,
  DynamoDbPersonRepository,
  DynamoDbQuoteRepository,
  DynamoDbSyncLog,
} from '../../shared/adapters/dynamodb/dynamodb-synced-records';
import { ConnectedOrgs } from '../../shared/adapters/salesforce/connected-orgs';
import { JsforceOAuth } from '../../shared/adapters/salesforce/jsforce-oauth';
import { adminConfigSchema, parseConfig } from '../../shared/config/env';
import { keyAdapters, salesforceApp } from '../../shared/config/keys';
import { settingsSchema } from '../../shared/domain/settings';
import { adminIdentity, authorizeSite } from '../../shared/http/admin-identity';
import { json, parseBody, parseQuery } from '../../shared/http/json';
import { jsonErrorHandler } from '../../shared/middleware/json-errors';
import {
  completeSalesforceConnect,
  disconnectSalesforce,
  startSalesforceConnect,
} from '../../shared/use-cases/connect-salesforce';
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
import {
  getSalesforceStatus,
  retrySalesforceDeploy,
  saveSalesforceSettings,
} from '../../shared/use-cases/salesforce-settings';

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
  now: () => new Date(),
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
  siteRoute('GET', '/sites/{siteId}/salesforce/log', async (event, siteId) =>
    json(200, await listSyncLog(deps, siteId, parseQuery(event, syncLogQuerySchema))),
  ),
  siteRoute('GET', '/sites/{siteId}/quotes', async (event, siteId) =>
    json(200, await listQuotes(deps, siteId, parseQuery(event, listQuotesQuerySchema))),
  ),
  siteRoute('GET', '/sites/{siteId}/quotes/{quoteId}', async (event, siteId) =>
    json(200, await getQuote(deps, siteId, event.pathParameters?.quoteId ?? '')),
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
