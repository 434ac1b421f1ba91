import type * as z from 'zod';
import type { SiteRepository } from '../ports/site-repository';
import type { SyncLog } from '../ports/synced-records';
import type { syncLogQuerySchema } from './list-quotes';
import { requireSite } from './manage-site';

/** GET /sites/{siteId}/salesforce/log: notification outcomes, newest first, for one opportunity or all. */
export async function listSyncLog(
  deps: { sites: SiteRepository; syncLog: SyncLog },
  siteId: string,
  query: z.infer<typeof syncLogQuerySchema>,
) {
  await requireSite(deps.sites, siteId);
  const page = { limit: query.limit, ...(query.nextToken ? { nextToken: query.nextToken } : {}) };
  const { items, nextToken } = query.opportunityId
    ? await deps.syncLog.listByOpportunity(siteId, query.opportunityId, page)
    : await deps.syncLog.list(siteId, page);
  return { entries: items, ...(nextToken ? { nextToken } : {}) };
}
