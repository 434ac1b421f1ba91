import * as z from 'zod';
import { projectPatchSchema, timeEntryBodySchema } from '../domain/projects';
import { quotePatchSchema } from '../domain/quote-editing';
import { quoteLinesBodySchema } from '../domain/quote-lines';
import { isSalesforceId } from '../domain/salesforce-id';
import { connectQuerySchema } from '../domain/salesforce-login';
import { settingsSchema } from '../domain/settings';
import { siteIdSchema } from '../domain/site';
import { LOGO_CONTENT_TYPES } from '../domain/site-logo';
import { siteProfileSchema } from '../domain/site-profile';
import { listProjectsQuerySchema, listQuotesQuerySchema, pageQuerySchema } from '../use-cases/list-quotes';
import {
  logExportQuerySchema,
  opportunitySearchQuerySchema,
  syncLogQuerySchema,
} from '../use-cases/list-sync-log';
import { addUserBodySchema, putSiteBodySchema } from '../use-cases/manage-site';
import { failuresQuerySchema } from '../use-cases/summarize-sync-failures';
import {
  companySchema,
  connectedSchema,
  connectRefusedSchema,
  connectStartSchema,
  disconnectedSchema,
  failureSummarySchema,
  meSchema,
  opportunitySearchSchema,
  pageOf,
  personSchema,
  problemSchema,
  projectSchema,
  projectSummarySchema,
  quoteSchema,
  quoteSendSchema,
  retryResultSchema,
  rotatedSecretSchema,
  salesforceFieldsSchema,
  salesforceStatusSchema,
  savedSettingsSchema,
  setupStatusSchema,
  signInConfigSchema,
  siteLogoResponseSchema,
  siteProfileResponseSchema,
  siteSchema,
  siteUserSchema,
  syncLogEntrySchema,
  syncRunSchema,
  timeEntrySchema,
  timelineSchema,
} from './admin-schemas';
import type { RouteSpec } from './route-table';

/**
 * Every route of the admin API, which function serves it, and its schemas. API Gateway's routes
 * (infra/ and the local gateway), the routers of admin-api and quote-actions, the 405 answers
 * and `GET /openapi.json` are all built from this table.
 *
 * quote-actions does the work that talks to Salesforce on a quote's or a run's behalf (Send to
 * Salesforce, the PDF it sends, starting a Synchronize-now run); admin-api keeps sites, users,
 * settings, the connection and setup deploys, and the reads.
 */
const id64 = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, `must be 1-64 letters, digits, _ or -`)
    .meta({ description: what });

const site = z.strictObject({ siteId: siteIdSchema });
const salesforceIdParam = z
  .string()
  .refine(isSalesforceId, 'must be a 15- or 18-character Salesforce id')
  .meta({ description: 'A 15- or 18-character Salesforce id' });
const siteQuote = site.extend({ quoteId: id64('The quote id') });
const siteProject = site.extend({ projectId: id64('The project id') });

const json = (description: string, schema: z.ZodType) => ({ description, schema });
const LOCATION = { Location: 'The created resource' };
const ADMIN = 'site-admin' as const;
const MEMBER = 'site-member' as const;

export const adminRoutes = {
  getMe: {
    operationId: 'getMe',
    method: 'GET',
    path: '/me',
    function: 'admin-api',
    auth: 'signed-in',
    tag: 'Sign-in',
    summary: 'The caller, and the sites they may open with their role in each',
    description:
      'Admins connect, disconnect, change settings and run Synchronize now; users see quotes, edit their lines and use Send to Salesforce while push-back is on. The console hides what the role may not do; the API refuses it with 403 and a `reason`.',
    responses: { 200: json('The caller', meSchema) },
  },
  getSignInConfig: {
    operationId: 'getSignInConfig',
    method: 'GET',
    path: '/auth/config',
    function: 'admin-api',
    // Read before signing in; holds public endpoints and a public client id.
    auth: 'none',
    tag: 'Sign-in',
    summary: 'How the console signs in: OAuth 2.0 authorization code with PKCE',
    responses: { 200: json('The sign-in endpoints', signInConfigSchema) },
  },
  getSite: {
    operationId: 'getSite',
    method: 'GET',
    path: '/sites/{siteId}',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Sites',
    summary: 'The site',
    params: site,
    responses: { 200: json('The site', siteSchema) },
  },
  putSite: {
    operationId: 'putSite',
    method: 'PUT',
    path: '/sites/{siteId}',
    function: 'admin-api',
    auth: ADMIN,
    tag: 'Sites',
    summary: 'Creates (operators only) or renames (admins) a site',
    params: site,
    body: putSiteBodySchema,
    responses: {
      200: json('Renamed', siteSchema),
      201: { ...json('Created', siteSchema), headers: LOCATION },
    },
  },
  getSiteProfile: {
    operationId: 'getSiteProfile',
    method: 'GET',
    path: '/sites/{siteId}/profile',
    function: 'admin-api',
    auth: ADMIN,
    tag: 'Sites',
    summary: 'Who sends the quotes: the seller printed on every quote, and quote defaults',
    params: site,
    responses: { 200: json('The profile', siteProfileResponseSchema) },
  },
  putSiteProfile: {
    operationId: 'putSiteProfile',
    method: 'PUT',
    path: '/sites/{siteId}/profile',
    function: 'admin-api',
    auth: ADMIN,
    tag: 'Sites',
    summary: 'Replaces the whole profile (a field left out is cleared); every field is optional',
    params: site,
    body: siteProfileSchema,
    responses: { 200: json('The saved profile', siteProfileResponseSchema) },
  },
  getSiteLogo: {
    operationId: 'getSiteLogo',
    method: 'GET',
    path: '/sites/{siteId}/profile/logo',
    function: 'quote-actions',
    auth: ADMIN,
    tag: 'Sites',
    summary: 'The logo as uploaded (404 when there is none)',
    params: site,
    responses: {
      200: {
        description: 'The image, with its type and its SHA-256 as the ETag',
        contentType: 'image/png',
        headers: { 'Content-Type': '`image/png` or `image/jpeg`', ETag: 'The SHA-256 of the bytes' },
      },
    },
  },
  putSiteLogo: {
    operationId: 'putSiteLogo',
    method: 'PUT',
    path: '/sites/{siteId}/profile/logo',
    // Stored in the documents bucket, which only quote-actions' role reaches.
    function: 'quote-actions',
    auth: ADMIN,
    tag: 'Sites',
    summary: 'Uploads the logo printed in the header of every quote: a PNG or JPEG of at most 1 MB',
    description:
      'The body is the image file itself. What it is comes from its bytes, whatever its name or Content-Type: an intact PNG or JPEG (baseline or progressive, 8-bit) of at most 4096 pixels a side. A new logo makes a new PDF version of every quote rendered afterwards; the same bytes again change nothing.',
    params: site,
    binaryBody: {
      contentTypes: LOGO_CONTENT_TYPES,
      description: 'The image file (send it with an image Content-Type, so it passes unchanged)',
    },
    responses: {
      200: json('Replaced the logo', siteLogoResponseSchema),
      201: { ...json('Uploaded the first logo', siteLogoResponseSchema), headers: LOCATION },
      413: {
        description: 'The file is larger than 1 MB (1,048,576 bytes)',
        schema: problemSchema,
        contentType: 'application/problem+json',
      },
    },
  },
  deleteSiteLogo: {
    operationId: 'deleteSiteLogo',
    method: 'DELETE',
    path: '/sites/{siteId}/profile/logo',
    function: 'quote-actions',
    auth: ADMIN,
    tag: 'Sites',
    summary: 'Removes the logo: quotes rendered afterwards have none (204 also when there was none)',
    params: site,
    responses: { 204: { description: 'Removed' } },
  },
  listUsers: {
    operationId: 'listUsers',
    method: 'GET',
    path: '/sites/{siteId}/users',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Sites',
    summary: "The site's users",
    params: site,
    responses: {
      200: json('Users', z.strictObject({ users: z.array(siteUserSchema) }).meta({ id: 'UserList' })),
    },
  },
  addUser: {
    operationId: 'addUser',
    method: 'POST',
    path: '/sites/{siteId}/users',
    function: 'admin-api',
    auth: ADMIN,
    tag: 'Sites',
    summary: 'Adds a user (or updates the one with the given userId), with their role in the console',
    description:
      'A user with a `role` signs in to the console with their e-mail address (in AWS: the Cognito user of that verified address) and gets that role on this site at their next sign-in or token refresh; without one, they only own synced items. With an `Idempotency-Key`, a retried request answers as the first one did.',
    params: site,
    body: addUserBodySchema,
    idempotent: true,
    responses: { 201: { ...json('Added', siteUserSchema), headers: LOCATION } },
  },
  getUser: {
    operationId: 'getUser',
    method: 'GET',
    path: '/sites/{siteId}/users/{userId}',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Sites',
    summary: 'One user',
    params: site.extend({ userId: id64('The user id') }),
    responses: { 200: json('The user', siteUserSchema) },
  },
  connectSalesforce: {
    operationId: 'connectSalesforce',
    method: 'GET',
    path: '/sites/{siteId}/salesforce/connect',
    function: 'admin-api',
    auth: ADMIN,
    tag: 'Salesforce connection',
    summary: "Redirects to the org's authorize page (OAuth 2.0 web-server flow with PKCE)",
    description:
      'A request that accepts `application/json` (the console) gets the authorize URL in a JSON body, to send the browser there; others get the redirect. The admin chooses where to sign in: `login=production` (login.salesforce.com, the default), `login=sandbox` (test.salesforce.com) or `login=my-domain&myDomain=https://<name>.my.salesforce.com`. The choice is kept with the connection: token refreshes and the revocation at disconnect go to the same host.',
    params: site,
    query: connectQuerySchema,
    responses: {
      200: json('The authorize URL (for a request that accepts JSON)', connectStartSchema),
      302: { description: "To Salesforce's authorize URL", headers: { Location: 'The authorize URL' } },
    },
  },
  completeSalesforceConnect: {
    operationId: 'completeSalesforceConnect',
    method: 'GET',
    path: '/salesforce/oauth/callback',
    function: 'admin-api',
    // Salesforce redirects the admin's browser here; the one-time state is the credential.
    auth: 'none',
    tag: 'Salesforce connection',
    summary: 'OAuth callback: stores the connection and deploys the setup',
    query: z.looseObject({
      state: z.string().max(512).optional(),
      code: z.string().max(2048).optional(),
      error: z.string().max(255).optional(),
      error_description: z.string().max(2048).optional(),
    }),
    description:
      "A browser (it asks for `text/html`, not JSON) is sent on with 303 to the console's page of the site, `/#/sites/{siteId}/salesforce?connect=connected` or `?connect=refused` (the page then shows the refusal the status holds), or `/#/sites?connect=expired` for an unknown, expired or used state. Other callers get the JSON below.",
    responses: {
      200: json('Connected', connectedSchema),
      303: {
        description: "A browser, to the console's page of the site",
        headers: { Location: 'The console page' },
      },
      403: json("Salesforce refused; what the org's admin must do", connectRefusedSchema),
    },
  },
  disconnectSalesforce: {
    operationId: 'disconnectSalesforce',
    method: 'POST',
    path: '/sites/{siteId}/salesforce/disconnect',
    function: 'admin-api',
    auth: ADMIN,
    tag: 'Salesforce connection',
    summary: 'Removes the flow and outbound message, revokes the token, forgets the connection',
    params: site,
    responses: { 200: json('Disconnected', disconnectedSchema) },
  },
  getSalesforceStatus: {
    operationId: 'getSalesforceStatus',
    method: 'GET',
    path: '/sites/{siteId}/salesforce',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Salesforce connection',
    summary: "Connection, the org's stages, settings and what is deployed",
    description: 'Users see it too, without the outbound-message URL (it holds the webhook secret).',
    params: site,
    responses: { 200: json('Status', salesforceStatusSchema) },
  },
  describeSalesforceFields: {
    operationId: 'describeSalesforceFields',
    method: 'GET',
    path: '/sites/{siteId}/salesforce/fields',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Settings',
    summary: 'Every field of Opportunity, Account and Contact in the org, for field mappings',
    params: site,
    responses: { 200: json('The fields by synced object', salesforceFieldsSchema) },
  },
  saveSalesforceSettings: {
    operationId: 'saveSalesforceSettings',
    method: 'PUT',
    path: '/sites/{siteId}/salesforce/settings',
    function: 'admin-api',
    auth: ADMIN,
    tag: 'Settings',
    summary: 'Validates the settings against the org, saves them and deploys what changed',
    params: site,
    body: settingsSchema,
    responses: { 200: json('Saved', savedSettingsSchema) },
  },
  deploySalesforceSetup: {
    operationId: 'deploySalesforceSetup',
    method: 'POST',
    path: '/sites/{siteId}/salesforce/deploy',
    function: 'admin-api',
    auth: ADMIN,
    tag: 'Settings',
    summary: 'Retries a failed deploy, or redeploys everything with force=true',
    params: site,
    query: z.strictObject({ force: z.enum(['true', 'false']).optional() }),
    responses: {
      200: json('Deployed', z.strictObject({ setup: setupStatusSchema }).meta({ id: 'DeployResult' })),
    },
  },
  rotateWebhookSecret: {
    operationId: 'rotateWebhookSecret',
    method: 'POST',
    path: '/sites/{siteId}/salesforce/rotate-secret',
    function: 'admin-api',
    auth: ADMIN,
    tag: 'Settings',
    summary: 'Makes the next webhook secret current; the previous one is accepted for 24 hours',
    params: site,
    responses: { 200: json('Rotated', rotatedSecretSchema) },
  },
  listSyncLog: {
    operationId: 'listSyncLog',
    method: 'GET',
    path: '/sites/{siteId}/salesforce/log',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Sync health',
    summary: "Each notification's outcome, newest first",
    description:
      'Filters: `outcome`, a time range (`from`, `to`, both included) and `opportunityId`; they combine. Find an opportunity by the start of its name with GET …/salesforce/opportunities?q=.',
    params: site,
    query: syncLogQuerySchema,
    responses: { 200: json('A page of entries', pageOf('entries', syncLogEntrySchema, 'SyncLogPage')) },
  },
  exportSyncLog: {
    operationId: 'exportSyncLog',
    method: 'GET',
    path: '/sites/{siteId}/salesforce/log/export',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Sync health',
    summary: 'The log as CSV, with the same filters, newest first (at most 10,000 rows)',
    description:
      'UTF-8 with a byte-order mark, RFC 4180 quoting; a cell that would start with =, +, -, @, a tab or a carriage return starts with a single quote instead, so no spreadsheet runs it.',
    params: site,
    query: logExportQuerySchema,
    responses: {
      200: {
        description: 'The CSV file',
        contentType: 'text/csv',
        headers: {
          'Content-Disposition': 'attachment, with the file name',
          'X-Export-Rows': 'The rows written',
          'X-Export-Complete':
            '`false` when the filters matched more than 10,000 entries (narrow the time range)',
        },
      },
    },
  },
  summarizeSyncFailures: {
    operationId: 'summarizeSyncFailures',
    method: 'GET',
    path: '/sites/{siteId}/salesforce/log/failures',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Sync health',
    summary: 'Failed attempts grouped by reason with counts (the last 7 days unless `from` is given)',
    params: site,
    query: failuresQuerySchema,
    responses: { 200: json('The failures by reason, the largest group first', failureSummarySchema) },
  },
  retryNotification: {
    operationId: 'retryNotification',
    method: 'POST',
    path: '/sites/{siteId}/salesforce/log/{entryId}/retry',
    function: 'quote-actions',
    auth: ADMIN,
    tag: 'Sync health',
    summary: 'Queues a failed notification again, with the record as Salesforce has it now',
    description:
      'Reads the record once from Salesforce (a SOQL query) and queues it on the sync queue as the webhook would, keeping the notification id; the worker decides as for any notification (a record no longer at the stage is skipped). 409 for an entry that did not fail, a record that no longer exists, or a site that is not connected. Recorded on the opportunity’s timeline and as an audit event. With an `Idempotency-Key`, a retried request answers as the first one did.',
    params: site.extend({
      entryId: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,512}$/, 'must be an entryId from the log')
        .meta({
          description: 'The `entryId` of a failed log entry',
        }),
    }),
    idempotent: true,
    responses: { 202: json('Queued', retryResultSchema) },
  },
  searchOpportunities: {
    operationId: 'searchOpportunities',
    method: 'GET',
    path: '/sites/{siteId}/salesforce/opportunities',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Sync health',
    summary: 'Opportunities the log has seen, by id or by the start of their name (case and accents ignored)',
    params: site,
    query: opportunitySearchQuerySchema,
    responses: { 200: json('The matches, by name', opportunitySearchSchema) },
  },
  getOpportunityTimeline: {
    operationId: 'getOpportunityTimeline',
    method: 'GET',
    path: '/sites/{siteId}/salesforce/opportunities/{opportunityId}/timeline',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Sync health',
    summary: 'What happened to this opportunity: deliveries, runs, retries, its quote, edits and sends',
    params: site.extend({ opportunityId: salesforceIdParam }),
    responses: { 200: json('The timeline, newest first', timelineSchema) },
  },
  listQuotes: {
    operationId: 'listQuotes',
    method: 'GET',
    path: '/sites/{siteId}/quotes',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Quotes',
    summary: "The site's quotes, or those of one opportunity",
    params: site,
    query: listQuotesQuerySchema,
    responses: { 200: json('A page of quotes', pageOf('quotes', quoteSchema, 'QuotePage')) },
  },
  getQuote: {
    operationId: 'getQuote',
    method: 'GET',
    path: '/sites/{siteId}/quotes/{quoteId}',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Quotes',
    summary: 'One quote',
    params: siteQuote,
    responses: { 200: json('The quote', quoteSchema) },
  },
  patchQuote: {
    operationId: 'patchQuote',
    method: 'PATCH',
    path: '/sites/{siteId}/quotes/{quoteId}',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Quotes',
    summary: "Changes the quote's status or editable fields",
    params: siteQuote,
    body: quotePatchSchema,
    responses: { 200: json('The quote', quoteSchema) },
  },
  setQuoteLines: {
    operationId: 'setQuoteLines',
    method: 'PUT',
    path: '/sites/{siteId}/quotes/{quoteId}/lines',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Quotes',
    summary: "Replaces the quote's lines and computes its totals",
    params: siteQuote,
    body: quoteLinesBodySchema,
    bodyValidatedByUseCase: true,
    responses: { 200: json('The quote', quoteSchema) },
  },
  getQuotePdf: {
    operationId: 'getQuotePdf',
    method: 'GET',
    path: '/sites/{siteId}/quotes/{quoteId}/pdf',
    function: 'quote-actions',
    auth: MEMBER,
    tag: 'Quotes',
    summary: 'The quote as a PDF (a new stored version only when the document changed)',
    params: siteQuote,
    responses: {
      200: {
        description: 'The PDF',
        contentType: 'application/pdf',
        headers: { 'Content-Disposition': 'inline, with the file name' },
      },
    },
  },
  sendQuoteToSalesforce: {
    operationId: 'sendQuoteToSalesforce',
    method: 'POST',
    path: '/sites/{siteId}/quotes/{quoteId}/send-to-salesforce',
    function: 'quote-actions',
    auth: MEMBER,
    tag: 'Quotes',
    summary: "Sets the opportunity's Amount (or pushBack.target) to the quoted total and attaches the PDF",
    description:
      'Admins and users may send; users only while push-back is enabled (403 `push-back-disabled` otherwise). With an `Idempotency-Key`, a retried request answers as the first one did and sends nothing again.',
    params: siteQuote,
    idempotent: true,
    responses: {
      200: json('Sent', z.strictObject({ send: quoteSendSchema }).meta({ id: 'SendResult' })),
      409: json(
        'Salesforce kept another Amount (an opportunity with products computes it; the message names pushBack.target, which sends the sum to another field), or the field holds another value; the PDF was attached',
        z.strictObject({ send: quoteSendSchema }),
      ),
    },
  },
  startSyncNow: {
    operationId: 'startSyncNow',
    method: 'POST',
    path: '/sites/{siteId}/salesforce/sync',
    function: 'quote-actions',
    auth: ADMIN,
    tag: 'Synchronize now',
    summary: 'Starts a Synchronize-now run, or returns the run already going',
    params: site,
    responses: {
      202: {
        ...json(
          'The run (started: false when one was already running)',
          syncRunSchema.extend({ started: z.boolean() }).meta({ id: 'StartedSyncRun' }),
        ),
        headers: { Location: 'The run' },
      },
      409: json(
        "Not connected, no stage chosen, or the org is above the site's API budget (type api-budget-exceeded, with apiUsage)",
        problemSchema,
      ),
    },
  },
  getSyncRun: {
    operationId: 'getSyncRun',
    method: 'GET',
    path: '/sites/{siteId}/salesforce/sync/{runId}',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Synchronize now',
    summary: "A run's status, counts and latest errors",
    params: site.extend({ runId: id64('The run id') }),
    responses: { 200: json('The run', syncRunSchema) },
  },
  listCompanies: {
    operationId: 'listCompanies',
    method: 'GET',
    path: '/sites/{siteId}/companies',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Synced records',
    summary: "The site's companies",
    params: site,
    query: pageQuerySchema,
    responses: { 200: json('A page of companies', pageOf('companies', companySchema, 'CompanyPage')) },
  },
  listPersons: {
    operationId: 'listPersons',
    method: 'GET',
    path: '/sites/{siteId}/persons',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Synced records',
    summary: "The site's persons",
    params: site,
    query: pageQuerySchema,
    responses: { 200: json('A page of persons', pageOf('persons', personSchema, 'PersonPage')) },
  },
  createProject: {
    operationId: 'createProject',
    method: 'POST',
    path: '/sites/{siteId}/quotes/{quoteId}/project',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Projects',
    summary: 'Makes an Accepted quote a project, with one task per line (or answers the project it became)',
    description:
      "The project takes the quote's title, company, person, owner and currency; its budget is the quote's net total; it is planned from today to the opportunity's close date, and each line becomes a task with its quantity, unit and net amount as the plan. One project per quote: calling again answers the same project (200). A quote that is not Accepted, or has no lines, is refused with 409. Admins and users may create projects.",
    params: siteQuote,
    responses: {
      200: json('The project the quote already became', projectSchema),
      201: { ...json('Created', projectSchema), headers: LOCATION },
    },
  },
  listProjects: {
    operationId: 'listProjects',
    method: 'GET',
    path: '/sites/{siteId}/projects',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Projects',
    summary: "The site's projects, newest first, or those of one opportunity",
    params: site,
    query: listProjectsQuerySchema,
    responses: {
      200: json('A page of projects', pageOf('projects', projectSummarySchema, 'ProjectPage')),
    },
  },
  getProject: {
    operationId: 'getProject',
    method: 'GET',
    path: '/sites/{siteId}/projects/{projectId}',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Projects',
    summary: 'One project: planned against actual per task and in total',
    params: siteProject,
    responses: { 200: json('The project', projectSchema) },
  },
  patchProject: {
    operationId: 'patchProject',
    method: 'PATCH',
    path: '/sites/{siteId}/projects/{projectId}',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Projects',
    summary: "Changes the project's name, planned dates or status",
    description:
      'Statuses move Planned → In progress → Completed, and Planned or In progress → Cancelled; a Completed project may be reopened (In progress) and a Cancelled one planned again. Other moves are refused with 409; a planned end before the planned start is a 400.',
    params: siteProject,
    body: projectPatchSchema,
    responses: { 200: json('The project', projectSchema) },
  },
  recordTimeEntry: {
    operationId: 'recordTimeEntry',
    method: 'POST',
    path: '/sites/{siteId}/projects/{projectId}/time-entries',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Projects',
    summary: "Records work on a task: adds it to the task's actual quantity and cost",
    description:
      "Without `cost`, the entry costs its quantity at the task's planned rate (budget ÷ planned quantity). Recording time on a Planned project starts it (In progress); a Completed or Cancelled project takes none (409). With an `Idempotency-Key`, a retried request answers as the first one did and records nothing again.",
    params: siteProject,
    body: timeEntryBodySchema,
    idempotent: true,
    responses: {
      201: {
        ...json(
          'Recorded: the entry and the project after it',
          z
            .strictObject({ entry: timeEntrySchema, project: projectSchema })
            .meta({ id: 'RecordedTimeEntry' }),
        ),
        headers: LOCATION,
      },
    },
  },
  listTimeEntries: {
    operationId: 'listTimeEntries',
    method: 'GET',
    path: '/sites/{siteId}/projects/{projectId}/time-entries',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Projects',
    summary: "The project's time entries, newest first",
    params: siteProject,
    query: pageQuerySchema,
    responses: { 200: json('A page of time entries', pageOf('entries', timeEntrySchema, 'TimeEntryPage')) },
  },
  getTimeEntry: {
    operationId: 'getTimeEntry',
    method: 'GET',
    path: '/sites/{siteId}/projects/{projectId}/time-entries/{entryId}',
    function: 'admin-api',
    auth: MEMBER,
    tag: 'Projects',
    summary: 'One time entry',
    params: siteProject.extend({ entryId: id64('The time entry id') }),
    responses: { 200: json('The time entry', timeEntrySchema) },
  },
  getOpenApi: {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    function: 'admin-api',
    // The description of the API holds no data.
    auth: 'none',
    tag: 'API',
    summary: 'This document: OpenAPI 3.1, generated from the route table',
    responses: { 200: json('The OpenAPI document', z.record(z.string(), z.unknown())) },
  },
} as const satisfies Record<string, RouteSpec>;

export type AdminRouteId = keyof typeof adminRoutes;

export const adminRouteList: readonly RouteSpec[] = Object.values(adminRoutes);
