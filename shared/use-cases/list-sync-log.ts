import * as z from 'zod';
import { isSalesforceId, toId18 } from '../domain/salesforce-id';
import { entryIdOf, type LogFilter } from '../domain/sync-health';
import { SYNC_OUTCOMES, type SyncLogEntry } from '../domain/synced-records';
import type { SiteRepository } from '../ports/site-repository';
import type { LoggedOpportunity, PageRequest, SyncHealthLog, SyncLog } from '../ports/synced-records';
import { pageQuerySchema } from './list-quotes';
import { requireSite } from './require-site';

const salesforceId = z.string().refine(isSalesforceId, 'must be a 15- or 18-character Salesforce id');
/** Any ISO-8601 date and time with an offset, kept as the canonical UTC form the log's keys use. */
const instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .meta({ description: 'ISO-8601 date and time, e.g. 2026-12-01T00:00:00Z' });

/** The filters of the log and its export: outcome, a time range (both ends included), one opportunity. */
export const logFilterSchema = z.strictObject({
  outcome: z.enum(SYNC_OUTCOMES).optional(),
  from: instant.optional().meta({ description: 'Entries processed at or after this time' }),
  to: instant.optional().meta({ description: 'Entries processed at or before this time' }),
  opportunityId: salesforceId.optional(),
});

export const rangeInOrder = (query: { from?: string | undefined; to?: string | undefined }) =>
  !query.from || !query.to || query.from <= query.to;
export const RANGE_ORDER = { message: 'must not be before `from`', path: ['to'] };

export const syncLogQuerySchema = pageQuerySchema
  .extend(logFilterSchema.shape)
  .refine(rangeInOrder, RANGE_ORDER);
export const logExportQuerySchema = logFilterSchema.refine(rangeInOrder, RANGE_ORDER);

export type LogQuery = z.infer<typeof logFilterSchema>;

/** An entry as the API shows it: with the id that opens and retries it. */
export const entryView = (entry: SyncLogEntry) => ({ ...entry, entryId: entryIdOf(entry) });

function filterOf(query: LogQuery): LogFilter {
  return {
    ...(query.outcome ? { outcome: query.outcome } : {}),
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
  };
}

/** One page of the log for a query: one opportunity's partition, or the site's by time (and outcome). */
export function logPage(syncLog: SyncLog, siteId: string, query: LogQuery, page: PageRequest) {
  return query.opportunityId
    ? syncLog.listByOpportunity(siteId, query.opportunityId, page, filterOf(query))
    : syncLog.list(siteId, page, filterOf(query));
}

/** GET /sites/{siteId}/salesforce/log: notification outcomes, newest first, filtered. */
export async function listSyncLog(
  deps: { sites: SiteRepository; syncLog: SyncLog },
  siteId: string,
  query: z.infer<typeof syncLogQuerySchema>,
) {
  await requireSite(deps.sites, siteId);
  const { items, nextToken } = await logPage(deps.syncLog, siteId, query, {
    limit: query.limit,
    ...(query.nextToken ? { nextToken: query.nextToken } : {}),
  });
  return { entries: items.map(entryView), ...(nextToken ? { nextToken } : {}) };
}

export const opportunitySearchQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(100).meta({ description: 'An opportunity id, or the start of its name' }),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/**
 * GET /sites/{siteId}/salesforce/opportunities?q=: the opportunities the log has seen, by id or
 * by the start of their name (case and accents ignored), with the name they were last logged with.
 */
export async function searchOpportunities(
  deps: { sites: SiteRepository; syncLog: SyncHealthLog },
  siteId: string,
  query: z.infer<typeof opportunitySearchQuerySchema>,
): Promise<{ opportunities: Array<Omit<LoggedOpportunity, 'name'> & { name: string | null }> }> {
  await requireSite(deps.sites, siteId);
  if (isSalesforceId(query.q)) {
    const known = await deps.syncLog.opportunity(siteId, query.q);
    if (known) return { opportunities: [known] };
    // Logged without a name (a notification that carried none): found by its entries.
    const { items } = await deps.syncLog.listByOpportunity(siteId, query.q, { limit: 1 });
    const latest = items[0];
    return {
      opportunities: latest
        ? [{ opportunityId: toId18(query.q), name: null, lastProcessedAt: latest.processedAt }]
        : [],
    };
  }
  return { opportunities: await deps.syncLog.findOpportunities(siteId, query.q, query.limit) };
}
