import * as z from 'zod';
import { FORBIDDEN_REASONS, SITE_ROLES } from '../domain/access';
import { COST_BASES, PROJECT_STATUSES } from '../domain/projects';
import { FILE_UPLOADS, QUOTE_STATUSES } from '../domain/quote-editing';
import { PUSH_BACK_AMOUNTS, settingsSchema } from '../domain/settings';
import { siteIdSchema } from '../domain/site';
import { LOGO_CONTENT_TYPES, LOGO_MAX_BYTES } from '../domain/site-logo';
import { siteProfileSchema } from '../domain/site-profile';
import { ACTIVITY_KINDS } from '../domain/sync-health';
import { SYNC_OUTCOMES } from '../domain/synced-records';

/**
 * The admin API's answers as zod schemas: they document every response in the OpenAPI document
 * (the console generates its types from it), and the tests parse real answers with them, so a
 * field added to a record without its schema fails a test. Strict objects: no undeclared keys.
 */
const timestamp = z.iso.datetime({ offset: true }).meta({ description: 'ISO-8601 date and time' });
const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ description: 'A decimal number as a canonical string ("12.5")', examples: ['1250.00'] });
const customFields = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

const salesforceLink = z.strictObject({
  id: z.string().meta({ description: "The record's 18-character Salesforce id" }),
  systemModstamp: timestamp,
  lastSyncedAt: timestamp,
});

export const siteSchema = z
  .strictObject({
    siteId: siteIdSchema,
    name: z.string(),
    connected: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Site' });

export const siteUserSchema = z
  .strictObject({
    siteId: siteIdSchema,
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(SITE_ROLES).optional().meta({
      description:
        'What the user may do in the console: `admin` (set up the integration) or `user` (work on quotes); absent, the user owns synced items but does not sign in',
    }),
    createdAt: timestamp,
  })
  .meta({ id: 'SiteUser' });

/** GET /me: the caller, and the sites they may open with their role in each. */
export const meSchema = z
  .strictObject({
    subject: z.string().meta({ description: "The token's subject (Cognito's `sub`)" }),
    name: z.string(),
    operator: z.boolean().meta({
      description: 'Operates the deployment: an admin of every site (`sites` then lists the first 100)',
    }),
    sites: z.array(
      z.strictObject({
        siteId: siteIdSchema,
        name: z.string(),
        role: z.enum(SITE_ROLES),
        pushBack: z.boolean().meta({
          description: 'Whether Send to Salesforce is enabled on the site (users may send only then)',
        }),
      }),
    ),
  })
  .meta({ id: 'Me' });

/**
 * GET /auth/config: how the console signs in (OAuth 2.0 authorization code with PKCE, a public
 * client). Cognito's managed login in AWS; the local sign-in, with the same endpoints, locally.
 */
export const signInConfigSchema = z
  .strictObject({
    provider: z.enum(['cognito', 'local']),
    authorizeUrl: z.string(),
    tokenUrl: z.string(),
    logoutUrl: z.string().meta({
      description: 'Send the browser here with `client_id` and `logout_uri` to end the session',
    }),
    clientId: z.string(),
    scopes: z.array(z.string()),
    redirectUri: z.string().meta({ description: 'Where sign-in returns with `code` and `state`' }),
    logoutUri: z.string().meta({ description: 'Where sign-out returns' }),
  })
  .meta({ id: 'SignInConfig' });

export const connectStartSchema = z
  .strictObject({
    authorizeUrl: z.string().meta({ description: "Salesforce's authorize page: send the browser there" }),
  })
  .meta({ id: 'ConnectStart' });

const siteLogoFields = {
  contentType: z.enum(LOGO_CONTENT_TYPES).meta({ description: 'What the bytes are (sniffed, not as sent)' }),
  width: z.number().int().positive().meta({ description: 'Pixels' }),
  height: z.number().int().positive().meta({ description: 'Pixels' }),
  size: z.number().int().positive().max(LOGO_MAX_BYTES).meta({ description: 'Bytes' }),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .meta({ description: "SHA-256 of the bytes (hex); part of every quote PDF's fingerprint" }),
  uploadedAt: timestamp,
};

export const siteLogoViewSchema = z.strictObject(siteLogoFields).meta({ id: 'SiteLogo' });

export const siteLogoResponseSchema = z
  .strictObject({ siteId: siteIdSchema, ...siteLogoFields })
  .meta({ id: 'SiteLogoUpload' });

export const siteProfileResponseSchema = z
  .strictObject({
    siteId: siteIdSchema,
    profile: siteProfileSchema,
    updatedAt: timestamp.nullable().meta({ description: 'null until a profile was saved' }),
    logo: siteLogoViewSchema
      .nullable()
      .meta({ description: 'The logo printed in the header of quotes (PUT …/profile/logo), or null' }),
  })
  .meta({ id: 'SiteProfile' });

const deployAttempt = z.strictObject({
  at: timestamp,
  ok: z.boolean(),
  step: z
    .string()
    .optional()
    .meta({ description: "'check-org', 'describe', 'outbound-message', 'flow', 'activate' or 'remove'" }),
  error: z.string().optional(),
});

const flowStateSchema = z
  .enum(['active', 'saved-but-inactive'])
  .meta({ description: 'Whether the latest saved version runs; a saved but inactive flow never fires' });

const flowInactiveSchema = z
  .strictObject({
    errorCode: z.string().meta({ description: "Salesforce's error code, or FLOW_NOT_FOUND / NOT_ACTIVATED" }),
    reason: z.string(),
    adminAction: z.string().meta({ description: "What the org's admin must do" }),
  })
  .meta({ id: 'FlowInactive' });

const loginSchema = z
  .strictObject({ kind: z.enum(['production', 'sandbox', 'my-domain']), url: z.string() })
  .meta({
    id: 'SalesforceLogin',
    description: 'Where the admin signed in; refreshes and revocation go there too',
  });

const orgAssessmentSchema = z
  .strictObject({
    edition: z
      .string()
      .nullable()
      .meta({ description: 'Organization.OrganizationType; null when unreadable' }),
    isSandbox: z.boolean().nullable(),
    name: z.string().nullable(),
    supported: z.boolean(),
    lacks: z.array(
      z.strictObject({
        capability: z.enum(['api', 'metadata-api', 'flows-and-outbound-messages']),
        reason: z.string(),
      }),
    ),
    summary: z.string(),
    checkedAt: timestamp,
  })
  .meta({ id: 'OrgAssessment', description: 'What the org is and whether it can run the integration' });

const apiUsageSchema = z
  .strictObject({
    used: z.number().int().optional(),
    limit: z.number().int().optional(),
    sharePercent: z.number().optional(),
    maxSharePercent: z.number().int(),
    withinBudget: z.boolean().optional(),
    observedAt: timestamp.optional(),
    day: z.string().meta({ description: 'The UTC day callsToday counts' }),
    callsToday: z.number().int().meta({ description: "Calls this service made to the org's API that day" }),
  })
  .meta({
    id: 'ApiUsage',
    description:
      "The org's daily API usage as Salesforce last reported it (absent before any call), against the site's budget",
  });

/** What is deployed in the org, as every answer shows it (shared/domain/salesforce-connection.ts setupStatus). */
export const setupStatusSchema = z
  .strictObject({
    outboundMessage: z.strictObject({ deployedAt: timestamp }).nullable(),
    flow: z
      .strictObject({
        version: z.number().int().meta({ description: 'The latest version saved' }),
        activeVersion: z.number().int().meta({ description: 'The version that runs; 0 when none' }),
        state: flowStateSchema,
        inactive: flowInactiveSchema.optional(),
        deployedAt: timestamp,
        checkedAt: timestamp.optional(),
      })
      .nullable(),
    lastAttempt: deployAttempt.nullable(),
  })
  .meta({ id: 'SetupStatus' });

/** Settings as stored: the input's fields without its cross-field checks (the defaults have no stage yet). */
export const settingsResponseSchema = z.strictObject(settingsSchema.shape).meta({ id: 'StoredSettings' });

const connectRefusalSchema = z.strictObject({
  salesforce: z
    .strictObject({ error: z.string(), description: z.string().optional() })
    .meta({ description: "Salesforce's error and error_description, verbatim" }),
  title: z.string(),
  reason: z.string(),
  steps: z.array(z.string()).meta({ description: 'What to do, in order' }),
  needsOrgAdmin: z.boolean().meta({ description: "Whether the org's Salesforce admin must act" }),
});

export const salesforceStatusSchema = z
  .strictObject({
    siteId: siteIdSchema,
    connection: z.union([
      z.strictObject({ status: z.literal('not-connected') }),
      z.strictObject({
        status: z.enum(['connected', 'reconnect-needed', 'unsupported-org']).meta({
          description: 'unsupported-org: connected, but the org cannot run the integration (see org.summary)',
        }),
        organizationId: z.string(),
        instanceUrl: z.string(),
        username: z.string(),
        connectedAt: timestamp,
        reconnectReason: z.string().optional(),
        login: loginSchema.optional(),
        org: orgAssessmentSchema.optional(),
      }),
    ]),
    outboundMessageUrl: z
      .string()
      .optional()
      .meta({ description: 'Where the outbound message posts; holds the secret, so only admins see it' }),
    connectRefusal: connectRefusalSchema.extend({ at: timestamp }).optional().meta({
      description:
        "Salesforce's latest refusal of a Connect and what to do (admins only; gone after a successful Connect or 7 days)",
    }),
    stages: z
      .array(z.string())
      .meta({ description: "The org's opportunity stages (empty when not connected)" }),
    stagesError: z.string().optional(),
    settings: settingsResponseSchema,
    apiUsage: apiUsageSchema,
    setup: setupStatusSchema,
  })
  .meta({ id: 'SalesforceStatus' });

const describedFieldSchema = z.strictObject({
  name: z.string().meta({ description: "The field's API name" }),
  label: z.string(),
  type: z.string().meta({ description: "Salesforce's field type: string, currency, date, picklist, …" }),
  updateable: z.boolean().meta({
    description: 'Whether the API may write it (what `pushBack.target` needs; formulas and roll-ups may not)',
  }),
  picklistValues: z.array(z.string()).optional(),
});

/** Every field of the synced objects, from the org's describe: what field mappings may name. */
export const salesforceFieldsSchema = z
  .strictObject({
    opportunity: z.array(describedFieldSchema),
    account: z.array(describedFieldSchema),
    contact: z.array(describedFieldSchema),
  })
  .meta({ id: 'SalesforceFields' });

export const savedSettingsSchema = z
  .strictObject({ settings: settingsResponseSchema, setup: setupStatusSchema })
  .meta({ id: 'SavedSettings' });

export const rotatedSecretSchema = z
  .strictObject({
    outboundMessageUrl: z.string(),
    generation: z.number().int(),
    previousSecretValidUntil: timestamp,
    setup: setupStatusSchema.optional(),
  })
  .meta({ id: 'RotatedSecret' });

export const disconnectedSchema = z
  .strictObject({ removed: z.boolean(), revoked: z.boolean() })
  .meta({ id: 'Disconnected' });

export const connectedSchema = z
  .strictObject({
    connected: z.literal(true),
    siteId: siteIdSchema,
    organizationId: z.string(),
    org: orgAssessmentSchema.optional(),
    setup: setupStatusSchema,
  })
  .meta({ id: 'Connected' });

/** The callback's answer when Salesforce refused the Connect: what happened, and what to do. */
export const connectRefusedSchema = z
  .strictObject({ connected: z.literal(false), siteId: siteIdSchema, refusal: connectRefusalSchema })
  .meta({ id: 'ConnectRefused' });

const lineSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  productCode: z
    .string()
    .optional()
    .meta({ description: "The product's code, on lines imported from Salesforce" }),
  quantity: decimal,
  unit: z.string().optional(),
  unitPrice: decimal,
  discountPercent: decimal,
  vatPercent: decimal,
});

const totalsSchema = z
  .strictObject({
    currency: z.string(),
    lines: z.array(
      z.strictObject({ subtotal: decimal, discount: decimal, net: decimal, vat: decimal, gross: decimal }),
    ),
    subtotal: decimal,
    discount: decimal,
    net: decimal,
    vat: decimal,
    total: decimal,
    vatBreakdown: z.array(z.strictObject({ rate: decimal, net: decimal, vat: decimal })),
  })
  .meta({ id: 'QuoteTotals' });

export const quoteSendSchema = z
  .strictObject({
    sendId: z.string(),
    at: timestamp,
    outcome: z.enum(['sent', 'amount-read-only', 'failed']),
    amount: decimal.meta({ description: "What was put into the opportunity's Amount (or `target`)" }),
    amountBasis: z
      .enum(PUSH_BACK_AMOUNTS)
      .optional()
      .meta({ description: '`amount` is the net or the gross total (pushBack.amount at the send)' }),
    target: z
      .string()
      .optional()
      .meta({ description: 'The Opportunity field `amount` went to (pushBack.target at the send)' }),
    targetValue: decimal
      .nullable()
      .optional()
      .meta({ description: 'What Salesforce holds in that field after the send, read back' }),
    net: decimal.optional().meta({ description: "The quote's total without VAT at the send" }),
    gross: decimal.optional().meta({ description: "The quote's total with VAT at the send" }),
    currency: z.string().optional(),
    opportunityAmount: decimal.nullable().optional(),
    pdfVersion: z.number().int().optional(),
    contentVersionId: z.string().optional(),
    contentDocumentId: z.string().optional(),
    fileVersion: z.string().optional(),
    upload: z.enum(FILE_UPLOADS).optional().meta({
      description:
        "'new-file', 'new-version', or 'unchanged': the file's latest version already held these bytes, so none was added",
    }),
    message: z.string(),
  })
  .meta({ id: 'QuoteSend' });

export const quoteSchema = z
  .strictObject({
    siteId: siteIdSchema,
    quoteId: z.string(),
    number: z.number().int(),
    title: z.string(),
    description: z.string().nullable(),
    status: z.enum(QUOTE_STATUSES),
    companyId: z.string().nullable(),
    personId: z.string().nullable(),
    ownerUserId: z.string().nullable(),
    currency: z.string().nullable(),
    opportunityAmount: decimal.nullable(),
    closeDate: z.iso.date().nullable(),
    lines: z.array(lineSchema),
    totals: totalsSchema.nullable(),
    customFields,
    salesforce: salesforceLink.extend({
      opportunityId: z.string(),
      accountId: z.string().nullable(),
      notificationId: z.string(),
      deletedAt: timestamp.optional().meta({
        description:
          'Set when the opportunity is deleted in Salesforce (found by reconciliation); the quote is kept',
      }),
    }),
    pdf: z
      .strictObject({
        version: z.number().int(),
        key: z.string(),
        fingerprint: z.string(),
        renderedAt: timestamp,
        missingCharacters: z
          .array(z.string())
          .optional()
          .meta({ description: 'Characters no font of the PDF has, printed as U+FFFD' }),
      })
      .optional(),
    validUntil: z.iso.date().nullable().optional(),
    paymentTerms: z.string().nullable().optional(),
    sends: z.array(quoteSendSchema).optional(),
    contentDocumentId: z.string().optional(),
    projectId: z.string().optional().meta({ description: 'The project the quote became' }),
    importedProducts: z
      .strictObject({
        at: timestamp,
        products: z.array(z.strictObject({ id: z.string(), fingerprint: z.string() })),
      })
      .optional()
      .meta({ description: "The opportunity's products the quote's first lines were made from" }),
    productsChanged: z
      .strictObject({
        detectedAt: timestamp,
        added: z.number().int(),
        removed: z.number().int(),
        changed: z.number().int(),
        message: z.string(),
      })
      .nullable()
      .optional()
      .meta({
        description:
          "Set when a sync finds the opportunity's products differ from those imported; the lines are never rewritten",
      }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Quote' });

const percent = decimal
  .nullable()
  .meta({ description: 'Actual against planned in percent, one decimal; null when nothing was planned' });
const actor = z.strictObject({ subject: z.string(), name: z.string() });

const projectTaskSchema = z
  .strictObject({
    taskId: z.string(),
    quoteLine: z
      .number()
      .int()
      .meta({ description: 'The position (0-based) of the quote line it comes from' }),
    name: z.string(),
    unit: z.string().optional(),
    plannedQuantity: decimal,
    actualQuantity: decimal,
    quantityUsedPercent: percent,
    overQuantity: z.boolean().meta({ description: 'More was done than planned' }),
    budget: decimal.meta({ description: "The quote line's net amount" }),
    actualCost: decimal,
    remainingBudget: decimal.meta({ description: 'Negative when over budget' }),
    costUsedPercent: percent,
    overBudget: z.boolean().meta({ description: 'More was spent than budgeted' }),
    entries: z.number().int().meta({ description: 'Time entries recorded against it' }),
  })
  .meta({ id: 'ProjectTask' });

const projectTotalsSchema = z
  .strictObject({
    budget: decimal,
    actualCost: decimal,
    remainingBudget: decimal,
    costUsedPercent: percent,
    overBudget: z.boolean(),
    unit: z.string().nullable().meta({ description: 'The unit of every task; null when they differ' }),
    plannedQuantity: decimal
      .nullable()
      .meta({ description: 'Summed only when every task has the same unit' }),
    actualQuantity: decimal.nullable(),
    quantityUsedPercent: percent,
    tasksOverBudget: z.number().int(),
  })
  .meta({ id: 'ProjectTotals' });

const projectFields = {
  siteId: siteIdSchema,
  projectId: z.string(),
  number: z.number().int(),
  name: z.string(),
  status: z.enum(PROJECT_STATUSES),
  quoteId: z.string(),
  quoteNumber: z.number().int(),
  opportunityId: z.string(),
  companyId: z.string().nullable(),
  personId: z.string().nullable(),
  ownerUserId: z.string().nullable(),
  currency: z.string(),
  budget: decimal.meta({ description: "The quote's net total when the project was created" }),
  plannedStart: z.iso.date(),
  plannedEnd: z.iso.date().nullable(),
  entryCount: z.number().int(),
  totals: projectTotalsSchema,
  createdBy: actor,
  createdAt: timestamp,
  updatedAt: timestamp,
};

export const projectSchema = z
  .strictObject({ ...projectFields, tasks: z.array(projectTaskSchema) })
  .meta({ id: 'Project' });

export const projectSummarySchema = z
  .strictObject({ ...projectFields, taskCount: z.number().int() })
  .meta({ id: 'ProjectSummary' });

export const timeEntrySchema = z
  .strictObject({
    siteId: siteIdSchema,
    projectId: z.string(),
    entryId: z.string(),
    taskId: z.string(),
    taskName: z.string(),
    quantity: decimal,
    unit: z.string().optional(),
    cost: decimal,
    costBasis: z.enum(COST_BASES).meta({
      description: "'given', or 'planned-rate': none was given, so the quantity at the task's planned rate",
    }),
    note: z.string().optional(),
    date: z.iso.date(),
    recordedBy: actor,
    recordedAt: timestamp,
  })
  .meta({ id: 'TimeEntry' });

export const companySchema = z
  .strictObject({
    siteId: siteIdSchema,
    companyId: z.string(),
    name: z.string(),
    phone: z.string().nullable(),
    website: z.string().nullable(),
    industry: z.string().nullable(),
    billingAddress: z.strictObject({
      street: z.string().nullable(),
      city: z.string().nullable(),
      postalCode: z.string().nullable(),
      state: z.string().nullable(),
      country: z.string().nullable(),
    }),
    customFields,
    salesforce: salesforceLink,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Company' });

export const personSchema = z
  .strictObject({
    siteId: siteIdSchema,
    personId: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    title: z.string().nullable(),
    companyId: z.string().nullable(),
    customFields,
    salesforce: salesforceLink.optional(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Person' });

export const syncLogEntrySchema = z
  .strictObject({
    entryId: z.string().meta({ description: 'Opens the entry (retry it with POST …/log/{entryId}/retry)' }),
    siteId: siteIdSchema,
    opportunityId: z.string(),
    opportunityName: z
      .string()
      .optional()
      .meta({ description: "The opportunity's Name as the notification carried it" }),
    notificationId: z.string(),
    messageId: z.string().optional().meta({ description: 'The queue message of this attempt' }),
    source: z.string().meta({
      description:
        '`outbound-message` (the webhook), `sync-now`, `retry` (an admin queued it again), `reconciliation` (found missed by the scheduled reconciliation)',
    }),
    outcome: z.enum(SYNC_OUTCOMES),
    reason: z.string().optional(),
    errorCode: z.string().optional(),
    retrying: z.boolean().optional(),
    quoteId: z.string().optional(),
    companyId: z.string().optional(),
    personId: z.string().optional(),
    systemModstamp: z.string().optional(),
    receivedAt: timestamp,
    processedAt: timestamp,
  })
  .meta({ id: 'SyncLogEntry' });

const syncLogEntryFields = syncLogEntrySchema.shape;

export const failureSummarySchema = z
  .strictObject({
    from: timestamp,
    to: timestamp,
    failures: z.number().int().meta({ description: 'Failed attempts in the range (read up to 2000)' }),
    complete: z.boolean().meta({ description: 'False when the range held more failures than were read' }),
    groups: z.array(
      z.strictObject({
        key: z.string().meta({ description: "Salesforce's error code, else the reason" }),
        errorCode: z.string().optional(),
        reason: z.string().meta({ description: 'The latest failure’s reason' }),
        count: z.number().int(),
        opportunities: z.number().int().meta({ description: 'Distinct opportunities' }),
        retrying: z
          .number()
          .int()
          .meta({ description: 'Attempts after which the notification was tried again on its own' }),
        firstAt: timestamp,
        lastAt: timestamp,
        latest: z.array(syncLogEntrySchema).meta({ description: 'Up to five, newest first' }),
      }),
    ),
  })
  .meta({ id: 'SyncFailureSummary' });

export const opportunitySearchSchema = z
  .strictObject({
    opportunities: z.array(
      z.strictObject({
        opportunityId: z.string(),
        name: z.string().nullable(),
        lastProcessedAt: timestamp,
      }),
    ),
  })
  .meta({ id: 'OpportunitySearch' });

const timelineBase = { at: timestamp };
export const timelineSchema = z
  .strictObject({
    opportunityId: z.string(),
    name: z.string().nullable(),
    quotes: z.array(
      z.strictObject({
        quoteId: z.string(),
        number: z.number().int(),
        title: z.string(),
        status: z.enum(QUOTE_STATUSES),
      }),
    ),
    events: z
      .array(
        z.discriminatedUnion('kind', [
          z.strictObject({
            ...timelineBase,
            kind: z.literal('notification'),
            source: syncLogEntryFields.source,
            outcome: z.enum(SYNC_OUTCOMES),
            reason: z.string().optional(),
            errorCode: z.string().optional(),
            retrying: z.boolean().optional(),
            quoteId: z.string().optional(),
            entryId: z.string(),
            notificationId: z.string(),
          }),
          z.strictObject({
            ...timelineBase,
            kind: z.literal('quote-created'),
            quoteId: z.string(),
            number: z.number().int(),
          }),
          z.strictObject({
            ...timelineBase,
            kind: z.literal('sent'),
            quoteId: z.string(),
            outcome: z.string(),
            amount: decimal,
            message: z.string(),
          }),
          z.strictObject({
            ...timelineBase,
            kind: z.enum(ACTIVITY_KINDS),
            quoteId: z.string().optional(),
            actor: z.string(),
            summary: z.string(),
          }),
        ]),
      )
      .meta({ description: 'Newest first' }),
    truncated: z.boolean().meta({
      description:
        'True when older notifications or activities were left out (the latest 100 of each are shown)',
    }),
  })
  .meta({ id: 'OpportunityTimeline' });

export const retryResultSchema = z
  .strictObject({
    retried: syncLogEntrySchema,
    queued: z.strictObject({
      notificationId: z.string(),
      recordId: z.string(),
      sObjectType: z.enum(['Opportunity', 'Contact']),
      queuedAt: timestamp,
    }),
  })
  .meta({ id: 'RetriedNotification' });

const counts = z.strictObject({
  found: z.number().int(),
  queued: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
});

export const syncRunSchema = z
  .strictObject({
    siteId: siteIdSchema,
    runId: z.string(),
    mode: z.enum(['opportunities', 'contacts']),
    status: z.enum(['running', 'completed', 'failed']),
    startedAt: timestamp,
    finishedAt: timestamp.optional(),
    queryDone: z.boolean(),
    pages: z.number().int(),
    counts,
    errors: z.array(z.strictObject({ at: timestamp, message: z.string() })),
  })
  .meta({ id: 'SyncRun' });

/** A page of a listing: the items under their own name, and the token of the next page. */
export function pageOf(name: string, item: z.ZodType, id: string) {
  return z
    .strictObject({
      [name]: z.array(item),
      nextToken: z.string().optional().meta({ description: 'Pass as `nextToken` for the next page' }),
    })
    .meta({ id });
}

/**
 * RFC 9457 problem details: every refusal and failure. `issues` lists each invalid field of a
 * 400; `requestId` is the gateway's id of the request, to quote when reporting a 5xx.
 */
export const problemSchema = z
  .object({
    type: z.string().meta({ description: 'Identifies the kind of problem (a URI reference)' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().meta({ description: 'The request path' }),
    requestId: z.string(),
    issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
    salesforceErrorCode: z.string().optional(),
    reason: z.enum(FORBIDDEN_REASONS).optional().meta({
      description:
        'Why a 403 refused: `not-a-member` (not an admin or user of the site), `admin-role-required` (a user asked for what only admins may do), `operator-required` (creating a site), `push-back-disabled` (Send to Salesforce while push-back is off)',
    }),
    apiUsage: z
      .strictObject({
        used: z.number().int(),
        limit: z.number().int(),
        sharePercent: z.number(),
        maxSharePercent: z.number().int(),
      })
      .optional()
      .meta({ description: "With api-budget-exceeded: the org's usage against the site's budget" }),
  })
  .meta({ id: 'Problem' });
