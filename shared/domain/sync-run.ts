import * as z from 'zod';
import { isSalesforceId } from './salesforce-id';
import { canonicalFieldName, type DescribedField, NUMBER_TYPES, type Settings } from './settings';
import { siteIdSchema } from './site';

/**
 * A "Synchronize now" run: it finds every opportunity at the stage that meets the conditions
 * (or, with Opportunity→Quote off, every contact), page by page, and queues each one in the
 * same message shape as the webhook path, so the one worker serves both. Pages travel through
 * a queue, so a run of any size never holds all records in memory and never outlives a Lambda.
 */
export type SyncRunMode = 'opportunities' | 'contacts';
export type SyncRunStatus = 'running' | 'completed' | 'failed';

export interface SyncRunCounts {
  found: number;
  queued: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

export interface SyncRun {
  siteId: string;
  runId: string;
  mode: SyncRunMode;
  status: SyncRunStatus;
  startedAt: string;
  finishedAt?: string;
  /** True once the last page was queued. */
  queryDone: boolean;
  pages: number;
  counts: SyncRunCounts;
  /** The latest errors (a bounded list), newest last. */
  errors: Array<{ at: string; message: string }>;
}

export const EMPTY_COUNTS: SyncRunCounts = {
  found: 0,
  queued: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  failed: 0,
};

/** A run is complete when every page is queued and every queued record has an outcome. */
export function withDerivedStatus(run: SyncRun): SyncRun {
  if (run.status !== 'running' || !run.queryDone) return run;
  const { queued, created, updated, unchanged, skipped, failed } = run.counts;
  return created + updated + unchanged + skipped + failed >= queued ? { ...run, status: 'completed' } : run;
}

/** One page of a run, as a message on the sync-run queue. */
export const syncRunPageSchema = z.strictObject({
  kind: z.literal('sync-run-page'),
  version: z.literal(1),
  siteId: siteIdSchema,
  runId: z.string().min(1).max(64),
  mode: z.enum(['opportunities', 'contacts']),
  /** null for the first page; then Salesforce's nextRecordsUrl. */
  locator: z.string().min(1).nullable(),
  page: z.number().int().min(1),
});
export type SyncRunPage = z.infer<typeof syncRunPageSchema>;

/** SOQL string literal escaping. https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const SOQL_OPERATORS: Readonly<Record<string, string>> = { eq: '=', gt: '>', lt: '<', gte: '>=', lte: '<=' };

function soqlLiteral(value: string | number, fieldType: string): string {
  if (NUMBER_TYPES.has(fieldType)) {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new TypeError(`${value} is not a number`);
    return String(n);
  }
  if (fieldType === 'boolean') return String(value).toLowerCase() === 'true' ? 'true' : 'false';
  // Date and datetime literals are unquoted in SOQL.
  if (fieldType === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(String(value))) return String(value);
  if (fieldType === 'datetime' && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(String(value)))
    return String(value);
  return soqlString(String(value));
}

/**
 * The query that finds what the flow would have sent: the outbound message's fields, the
 * stage, AND every mapping's condition, in a stable order so pages do not shift.
 */
export function opportunitiesQuery(
  settings: Settings,
  fields: readonly string[],
  describe: readonly DescribedField[],
): string {
  const where = opportunityConditions(settings, describe);
  return `SELECT ${fields.join(', ')} FROM Opportunity${where ? ` WHERE ${where}` : ''} ORDER BY Id`;
}

/** The flow's entry conditions as SOQL: the stage AND every mapping's condition ('' for none). */
export function opportunityConditions(settings: Settings, describe: readonly DescribedField[]): string {
  const where: string[] = [];
  if (settings.opportunityToQuote.stage !== null)
    where.push(`StageName = ${soqlString(settings.opportunityToQuote.stage)}`);
  for (const mapping of settings.fieldMappings.opportunity) {
    if (!mapping.condition) continue;
    const name = canonicalFieldName(describe, mapping.salesforceField);
    const type = describe.find((f) => f.name === name)?.type ?? 'string';
    where.push(
      `${name} ${SOQL_OPERATORS[mapping.condition.operator] ?? '='} ${soqlLiteral(mapping.condition.value, type)}`,
    );
  }
  return where.join(' AND ');
}

export const CONTACT_SYNC_FIELDS = [
  'Id',
  'FirstName',
  'LastName',
  'Email',
  'Phone',
  'Title',
  'AccountId',
  'SystemModstamp',
];

export function contactsQuery(extraFields: readonly string[]): string {
  return `SELECT ${contactFields(extraFields).join(', ')} FROM Contact ORDER BY Id`;
}

export const contactFields = (extraFields: readonly string[]) => [
  ...new Set([...CONTACT_SYNC_FIELDS, ...extraFields]),
];

/** One record by its id, with the fields a notification of it carries (a retry's fresh read). */
export function recordQuery(
  sObjectType: 'Opportunity' | 'Contact',
  fields: readonly string[],
  id: string,
): string {
  if (!isSalesforceId(id)) throw new TypeError(`${id} is not a Salesforce id`);
  return `SELECT ${fields.join(', ')} FROM ${sObjectType} WHERE Id = ${soqlString(id)}`;
}

/**
 * A record from the REST API as the text an outbound message would carry: numbers and booleans
 * as text, nulls as null, nested objects (relationships) dropped.
 */
export function recordAsNotificationFields(record: Record<string, unknown>): Record<string, string | null> {
  const fields: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name === 'attributes') continue;
    if (value === null || value === undefined) fields[name] = null;
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      fields[name] = String(value);
  }
  return fields;
}

export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && isSalesforceId(value);
}
