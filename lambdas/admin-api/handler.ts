import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { DynamoDbApiUsage } from '../../shared/adapters/dynamodb/dynamodb-api-usage';
import { DynamoDbProjectRepository } from '../../shared/adapters/dynamodb/dynamodb-projects';
import { DynamoDbQuoteEditor } from '../../shared/adapters/dynamodb/dynamodb-quote-editor';
import {
  DynamoDbConnectionRepository,
  DynamoDbConnectRefusalRepository,
  DynamoDbOAuthStateRepository,
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
  DynamoDbQuoteNumbers,
  DynamoDbQuoteRepository,
  DynamoDbSyncLog,
} from '../../shared/adapters/dynamodb/dynamodb-synced-records';
import { PowertoolsIdempotency } from '../../shared/adapters/dynamodb/powertools-idempotency';
import { powertoolsMetrics } from '../../shared/adapters/metrics/powertools-metrics';
import { JsforceOAuth } from '../../shared/adapters/salesforce/jsforce-oauth';
// This function deploys the Salesforce setup: the Metadata and Tooling APIs, which no other function loads.
import '../../shared/adapters/salesforce/setup-apis';
import { adminConfigSchema, parseConfig } from '../../shared/config/env';
import { connectedOrgs, keyAdapters, salesforceApp, salesforceLogins } from '../../shared/config/keys';
import { requireRole } from '../../shared/domain/access';
import { OAuthStateError, ValidationError } from '../../shared/domain/errors';
import { loginChoice } from '../../shared/domain/salesforce-login';
import { adminRouteList } from '../../shared/http/admin-routes';
import { acceptsJson, isNavigation } from '../../shared/http/json';
import { openApiDocument } from '../../shared/http/openapi';
import { adminRouter, type Implementations } from '../../shared/http/router';
import { serviceLogger } from '../../shared/logging/service-logger';
import { logContext } from '../../shared/middleware/log-context';
import { problemDetailsHandler } from '../../shared/middleware/problem-details';
import { settleSalesforce } from '../../shared/middleware/settle-salesforce';
import {
  completeSalesforceConnect,
  disconnectSalesforce,
  startSalesforceConnect,
} from '../../shared/use-cases/connect-salesforce';
import { createProjectFromQuote } from '../../shared/use-cases/create-project';
import { patchQuote, setQuoteLines } from '../../shared/use-cases/edit-quote';
import { exportSyncLog } from '../../shared/use-cases/export-sync-log';
import { getMe } from '../../shared/use-cases/get-me';
import { getOpportunityTimeline } from '../../shared/use-cases/get-opportunity-timeline';
import { getQuote } from '../../shared/use-cases/get-quote';
import { getSignInConfig } from '../../shared/use-cases/get-sign-in-config';
import { listCompanies } from '../../shared/use-cases/list-companies';
import { listPersons } from '../../shared/use-cases/list-persons';
import { listQuotes } from '../../shared/use-cases/list-quotes';
import { listSyncLog, searchOpportunities } from '../../shared/use-cases/list-sync-log';
import {
  getProject,
  getTimeEntry,
  listProjects,
  listTimeEntries,
  patchProject,
  recordTimeEntry,
} from '../../shared/use-cases/manage-projects';
import { addUser, getSite, getUser, listUsers, putSite } from '../../shared/use-cases/manage-site';
import { rotateWebhookSecret } from '../../shared/use-cases/rotate-webhook-secret';
import {
  describeSyncedObjects,
  getSalesforceStatus,
  retrySalesforceDeploy,
  saveSalesforceSettings,
} from '../../shared/use-cases/salesforce-settings';
import { getSiteProfile, putSiteProfile } from '../../shared/use-cases/site-profile';
import { getSyncRun } from '../../shared/use-cases/start-sync-now';
import { summarizeSyncFailures } from '../../shared/use-cases/summarize-sync-failures';

/**
 * The admin API: sites and users, the Salesforce connection, settings and setup deploys, quote
 * edits and every read. Send to Salesforce and starting Synchronize-now runs are quote-actions'.
 */
const config = parseConfig(adminConfigSchema);
const logger = serviceLogger('admin-api');
const { metrics, recorder } = powertoolsMetrics('admin-api');
const dynamodb = new DynamoDBClient({});
const db = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});
const { cipher, webhookSecrets } = keyAdapters(config);
const app = salesforceApp(config);
const connections = new DynamoDbConnectionRepository(db, config.TABLE_NAME);
const logins = salesforceLogins(config);
const apiUsage = new DynamoDbApiUsage(db, config.TABLE_NAME);
const orgs = connectedOrgs(config, { connections, apiUsage, cipher });
const publicBaseUrl = config.PUBLIC_BASE_URL.replace(/\/$/, '');
const deps = {
  sites: new DynamoDbSiteRepository(db, config.TABLE_NAME),
  profiles: new DynamoDbSiteProfileRepository(db, config.TABLE_NAME),
  users: new DynamoDbUserRepository(db, config.TABLE_NAME),
  settings: new DynamoDbSettingsRepository(db, config.TABLE_NAME),
  oauthStates: new DynamoDbOAuthStateRepository(db, config.TABLE_NAME),
  connectRefusals: new DynamoDbConnectRefusalRepository(db, config.TABLE_NAME),
  connections,
  orgs,
  apiUsage,
  cipher,
  webhookSecrets,
  logger,
  metrics: recorder,
  outboundBaseUrl: (config.OUTBOUND_BASE_URL ?? publicBaseUrl).replace(/\/$/, ''),
  redirectUri: `${publicBaseUrl}/salesforce/oauth/callback`,
  oauth: new JsforceOAuth({ clientId: config.SALESFORCE_CLIENT_ID, app, logins }),
  quotes: new DynamoDbQuoteRepository(db, config.TABLE_NAME),
  companies: new DynamoDbCompanyRepository(db, config.TABLE_NAME),
  persons: new DynamoDbPersonRepository(db, config.TABLE_NAME),
  syncLog: new DynamoDbSyncLog(db, config.TABLE_NAME),
  activity: new DynamoDbActivityLog(db, config.TABLE_NAME),
  runs: new DynamoDbSyncRunRepository(db, config.TABLE_NAME),
  now: () => new Date(),
};
/** Quote editing: `quotes` here is the editing side of the same items. */
const editDeps = { ...deps, quotes: new DynamoDbQuoteEditor(db, config.TABLE_NAME) };
const projectDeps = {
  ...editDeps,
  projects: new DynamoDbProjectRepository(db, config.TABLE_NAME),
  projectNumbers: new DynamoDbQuoteNumbers(db, config.TABLE_NAME, 'project'),
};
let openApi: ReturnType<typeof openApiDocument> | undefined;

const siteLocation = (...segments: string[]) =>
  `/sites/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;

const implementations: Implementations<'admin-api'> = {
  getMe: async ({ identity }) => ({ status: 200, body: await getMe(deps, identity) }),
  getSignInConfig: async () => ({
    status: 200,
    body: getSignInConfig({
      provider: config.SIGN_IN_PROVIDER,
      url: config.SIGN_IN_URL,
      clientId: config.SIGN_IN_CLIENT_ID,
      consoleUrl: `${publicBaseUrl}/`,
    }),
    headers: { 'cache-control': 'max-age=300' },
  }),
  getSite: async ({ params }) => ({ status: 200, body: await getSite(deps, params.siteId) }),
  putSite: async ({ params, body, identity }) => {
    const { site, created } = await putSite(deps, params.siteId, body, identity);
    return created
      ? { status: 201, body: site, headers: { location: siteLocation(params.siteId) } }
      : { status: 200, body: site };
  },
  getSiteProfile: async ({ params }) => ({ status: 200, body: await getSiteProfile(deps, params.siteId) }),
  putSiteProfile: async ({ params, body }) => ({
    status: 200,
    body: await putSiteProfile(deps, params.siteId, body),
  }),
  listUsers: async ({ params }) => ({ status: 200, body: { users: await listUsers(deps, params.siteId) } }),
  addUser: async ({ params, body }) => {
    const user = await addUser(deps, params.siteId, body);
    return {
      status: 201,
      body: user,
      headers: { location: siteLocation(params.siteId, 'users', user.userId) },
    };
  },
  getUser: async ({ params }) => ({ status: 200, body: await getUser(deps, params.siteId, params.userId) }),
  connectSalesforce: async ({ params, query, event }) => {
    const login = loginChoice(query);
    if (Array.isArray(login)) throw new ValidationError('The login choice is not valid', login);
    const authorizeUrl = await startSalesforceConnect(deps, params.siteId, login);
    // The console cannot follow a redirect that needs its bearer header: it asks for the URL.
    return acceptsJson(event)
      ? { status: 200, body: { authorizeUrl } }
      : { status: 302, headers: { location: authorizeUrl }, raw: { body: '' } };
  },
  completeSalesforceConnect: async ({ query, event }) => {
    // Salesforce sends the admin's browser here: it goes on to the console's page of the site,
    // which shows the connection or the stored refusal. Other callers get the JSON.
    const browser = isNavigation(event);
    const toConsole = (hash: string) => ({
      status: 303 as const,
      headers: { location: `${publicBaseUrl}/#${hash}` },
      raw: { body: '' },
    });
    let result: Awaited<ReturnType<typeof completeSalesforceConnect>>;
    try {
      result = await completeSalesforceConnect(deps, {
        state: query.state,
        code: query.code,
        error: query.error,
        errorDescription: query.error_description,
      });
    } catch (error) {
      if (browser && error instanceof OAuthStateError) return toConsole('/sites?connect=expired');
      throw error;
    }
    if (browser)
      return toConsole(
        `/sites/${encodeURIComponent(result.siteId)}/salesforce?connect=${result.connected ? 'connected' : 'refused'}`,
      );
    // Salesforce's refusal, explained for the org's admin, in a shape a page can show.
    if (!result.connected) return { status: 403, body: result };
    return { status: 200, body: result };
  },
  disconnectSalesforce: async ({ params }) => ({
    status: 200,
    body: await disconnectSalesforce(deps, params.siteId),
  }),
  getSalesforceStatus: async ({ params, identity }) => ({
    status: 200,
    body: await getSalesforceStatus(deps, params.siteId, requireRole(identity, params.siteId, 'user')),
  }),
  describeSalesforceFields: async ({ params }) => ({
    status: 200,
    body: await describeSyncedObjects(deps, params.siteId),
  }),
  saveSalesforceSettings: async ({ params, body }) => ({
    status: 200,
    body: await saveSalesforceSettings(deps, params.siteId, body),
  }),
  deploySalesforceSetup: async ({ params, query }) => ({
    status: 200,
    body: { setup: await retrySalesforceDeploy(deps, params.siteId, query.force === 'true') },
  }),
  rotateWebhookSecret: async ({ params }) => ({
    status: 200,
    body: await rotateWebhookSecret(deps, params.siteId),
  }),
  listSyncLog: async ({ params, query }) => ({
    status: 200,
    body: await listSyncLog(deps, params.siteId, query),
  }),
  exportSyncLog: async ({ params, query }) => {
    const { csv, rows, complete, fileName } = await exportSyncLog(deps, params.siteId, query);
    return {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${fileName}"`,
        'x-export-rows': String(rows),
        'x-export-complete': String(complete),
      },
      raw: { body: csv },
    };
  },
  summarizeSyncFailures: async ({ params, query }) => ({
    status: 200,
    body: await summarizeSyncFailures(deps, params.siteId, query),
  }),
  searchOpportunities: async ({ params, query }) => ({
    status: 200,
    body: await searchOpportunities(deps, params.siteId, query),
  }),
  getOpportunityTimeline: async ({ params }) => ({
    status: 200,
    body: await getOpportunityTimeline(deps, params.siteId, params.opportunityId),
  }),
  listQuotes: async ({ params, query }) => ({
    status: 200,
    body: await listQuotes(deps, params.siteId, query),
  }),
  getQuote: async ({ params }) => ({
    status: 200,
    body: await getQuote(deps, params.siteId, params.quoteId),
  }),
  patchQuote: async ({ params, body, identity }) => ({
    status: 200,
    body: await patchQuote(editDeps, params.siteId, params.quoteId, body, identity),
  }),
  setQuoteLines: async ({ params, body, identity }) => ({
    status: 200,
    body: await setQuoteLines(editDeps, params.siteId, params.quoteId, body, identity),
  }),
  createProject: async ({ params, identity }) => {
    const { project, created } = await createProjectFromQuote(
      projectDeps,
      params.siteId,
      params.quoteId,
      identity,
    );
    return created
      ? {
          status: 201,
          body: project,
          headers: { location: siteLocation(params.siteId, 'projects', project.projectId) },
        }
      : { status: 200, body: project };
  },
  listProjects: async ({ params, query }) => ({
    status: 200,
    body: await listProjects(projectDeps, params.siteId, query),
  }),
  getProject: async ({ params }) => ({
    status: 200,
    body: await getProject(projectDeps, params.siteId, params.projectId),
  }),
  patchProject: async ({ params, body }) => ({
    status: 200,
    body: await patchProject(projectDeps, params.siteId, params.projectId, body),
  }),
  recordTimeEntry: async ({ params, body, identity }) => {
    const recorded = await recordTimeEntry(projectDeps, params.siteId, params.projectId, body, identity);
    return {
      status: 201,
      body: recorded,
      headers: {
        location: siteLocation(
          params.siteId,
          'projects',
          params.projectId,
          'time-entries',
          recorded.entry.entryId,
        ),
      },
    };
  },
  listTimeEntries: async ({ params, query }) => ({
    status: 200,
    body: await listTimeEntries(projectDeps, params.siteId, params.projectId, query),
  }),
  getTimeEntry: async ({ params }) => ({
    status: 200,
    body: await getTimeEntry(projectDeps, params.siteId, params.projectId, params.entryId),
  }),
  getSyncRun: async ({ params }) => ({
    status: 200,
    body: await getSyncRun(deps, params.siteId, params.runId),
  }),
  listCompanies: async ({ params, query }) => ({
    status: 200,
    body: await listCompanies(deps, params.siteId, query),
  }),
  listPersons: async ({ params, query }) => ({
    status: 200,
    body: await listPersons(deps, params.siteId, query),
  }),
  getOpenApi: async () => {
    openApi ??= openApiDocument(adminRouteList, publicBaseUrl);
    return { status: 200, body: openApi, headers: { 'cache-control': 'max-age=300' } };
  },
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(logContext(logger))
  .use(logMetrics(metrics))
  .use(problemDetailsHandler(logger))
  .use(settleSalesforce(orgs, recorder))
  .handler(
    adminRouter({
      function: 'admin-api',
      implementations,
      adminToken: config.ADMIN_TOKEN,
      logger,
      idempotency: new PowertoolsIdempotency(dynamodb, config.TABLE_NAME),
    }),
  );
