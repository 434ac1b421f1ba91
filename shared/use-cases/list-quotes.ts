import * as z from 'zod';
import { isSalesforceId } from '../domain/salesforce-id';
import type { SiteRepository } from '../ports/site-repository';
import type { QuoteRepository } from '../ports/synced-records';
import { requireSite } from './require-site';

const salesforceId = z.string().refine(isSalesforceId, 'must be a 15- or 18-character Salesforce id');

/** Query parameters of the listings: a page size and the token of the previous page. */
export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  nextToken: z.string().min(1).max(2048).optional(),
});

export const listQuotesQuerySchema = pageQuerySchema.extend({ opportunityId: salesforceId.optional() });
export const listProjectsQuerySchema = pageQuerySchema.extend({ opportunityId: salesforceId.optional() });

/** GET /sites/{siteId}/quotes: the site's quotes, or those of one opportunity. */
export async function listQuotes(
  deps: { sites: SiteRepository; quotes: QuoteRepository },
  siteId: string,
  query: z.infer<typeof listQuotesQuerySchema>,
) {
  await requireSite(deps.sites, siteId);
  const page = { limit: query.limit, ...(query.nextToken ? { nextToken: query.nextToken } : {}) };
  const { items, nextToken } = query.opportunityId
    ? await deps.quotes.listByOpportunity(siteId, query.opportunityId, page)
    : await deps.quotes.list(siteId, page);
  return { quotes: items, ...(nextToken ? { nextToken } : {}) };
}
