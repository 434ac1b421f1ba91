import { isSalesforceId, toId18 } from './salesforce-id';
import type { Settings } from './settings';
import { canonicalModstamp, freshness } from './sync-rules';
import type { Quote } from './synced-records';

/**
 * Reconciliation: what the webhooks missed (a delivery lost on the way, or dropped by
 * Salesforce after 24 hours of failures) found by asking Salesforce on a schedule. Each run
 * reads, page by page, the opportunities changed since the site's watermark, deleted ones
 * included (queryAll), and decides here, purely, what to queue and what to mark.
 */

/** Records per page: Salesforce's largest query batch, one API call each. */
export const RECONCILE_PAGE_SIZE = 2000;
/**
 * Each run starts this far before the watermark: a transaction that committed after the last
 * run may carry a slightly older SystemModstamp. What is seen again and already synced is skipped.
 */
export const RECONCILE_OVERLAP_MS = 60_000;

/** Where a site's reconciliation stands: the newest change seen, and how its query is built. */
export interface ReconciliationState {
  siteId: string;
  /** The last record handled: its SystemModstamp (canonical) and id. */
  watermark: { modstamp: string; id: string };
  /** The query's SELECT list and conditions, built once per settings version (a describe call). */
  query?: { settingsVersion: string; fields: string[]; conditions: string };
  lastRun?: {
    at: string;
    pages: number;
    queued: number;
    deleted: number;
    error?: string;
    /** Why the run read nothing (the org above the site's API budget). */
    skipped?: string;
  };
}

/** SOQL datetimes have whole seconds: the page starts at the watermark's second, and what is at or before the watermark is skipped. */
function soqlDateTime(modstamp: string): string {
  return `${modstamp.slice(0, 19)}Z`;
}

export function reconciliationQuery(
  query: NonNullable<ReconciliationState['query']>,
  from: { modstamp: string },
): string {
  const fields = [...new Set([...query.fields, 'IsDeleted', 'SystemModstamp'])];
  const changed = `SystemModstamp >= ${soqlDateTime(from.modstamp)}`;
  const relevant = query.conditions ? `(IsDeleted = true OR (${query.conditions}))` : '';
  const where = [changed, relevant].filter(Boolean).join(' AND ');
  return `SELECT ${fields.join(', ')} FROM Opportunity WHERE ${where} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${RECONCILE_PAGE_SIZE}`;
}

/** Where a run starts: a little before the watermark. */
export function runStart(watermark: ReconciliationState['watermark']): ReconciliationState['watermark'] {
  const ms = Date.parse(watermark.modstamp) - RECONCILE_OVERLAP_MS;
  return { modstamp: new Date(ms).toISOString(), id: '' };
}

export interface PageDecision {
  /** Live opportunities to queue for the worker, as the records came. */
  queue: Array<Record<string, unknown>>;
  /** Quotes of deleted opportunities, to mark "deleted in Salesforce" (kept), with when. */
  markDeleted: Array<{ quoteId: string; opportunityId: string; deletedAt: string }>;
  /** The last record of the page; the watermark once the page is queued. */
  last?: ReconciliationState['watermark'];
  /** A full page: more may follow. */
  full: boolean;
}

const after = (a: { modstamp: string; id: string }, b: { modstamp: string; id: string }) =>
  a.modstamp > b.modstamp || (a.modstamp === b.modstamp && a.id > b.id);

/**
 * One page: each live opportunity whose quote is missing is queued, and with updates
 * "while-at-stage" also each whose quote holds older data; each deleted one whose quote exists
 * and is not marked yet is marked. Records at or before `from` were handled by an earlier page.
 */
export function decidePage(
  records: ReadonlyArray<Record<string, unknown>>,
  from: ReconciliationState['watermark'],
  quotes: ReadonlyMap<string, Quote>,
  settings: Settings,
): PageDecision {
  const decision: PageDecision = { queue: [], markDeleted: [], full: records.length >= RECONCILE_PAGE_SIZE };
  for (const record of records) {
    const id = typeof record.Id === 'string' && isSalesforceId(record.Id) ? toId18(record.Id) : undefined;
    const modstamp = canonicalModstamp(
      typeof record.SystemModstamp === 'string' ? record.SystemModstamp : undefined,
    );
    if (!id || !modstamp) continue;
    const position = { modstamp, id };
    if (!after(position, from)) continue;
    decision.last = position;
    const quote = quotes.get(`sf-${id}`);
    if (record.IsDeleted === true) {
      if (quote && !quote.salesforce.deletedAt) {
        decision.markDeleted.push({ quoteId: quote.quoteId, opportunityId: id, deletedAt: modstamp });
      }
      continue;
    }
    if (!quote) decision.queue.push(record);
    else if (
      settings.opportunityToQuote.updates === 'while-at-stage' &&
      freshness(quote.salesforce.systemModstamp, modstamp) === 'newer'
    ) {
      decision.queue.push(record);
    }
  }
  return decision;
}
