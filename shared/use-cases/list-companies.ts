import type * as z from 'zod';
import type { SiteRepository } from '../ports/site-repository';
import type { CompanyRepository } from '../ports/synced-records';
import type { pageQuerySchema } from './list-quotes';
import { requireSite } from './require-site';

/** GET /sites/{siteId}/companies. */
export async function listCompanies(
  deps: { sites: SiteRepository; companies: CompanyRepository },
  siteId: string,
  query: z.infer<typeof pageQuerySchema>,
) {
  await requireSite(deps.sites, siteId);
  const { items, nextToken } = await deps.companies.list(siteId, {
    limit: query.limit,
    ...(query.nextToken ? { nextToken: query.nextToken } : {}),
  });
  return { companies: items, ...(nextToken ? { nextToken } : {}) };
}
