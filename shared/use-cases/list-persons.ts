import type * as z from 'zod';
import type { SiteRepository } from '../ports/site-repository';
import type { PersonRepository } from '../ports/synced-records';
import type { pageQuerySchema } from './list-quotes';
import { requireSite } from './require-site';

/** GET /sites/{siteId}/persons. */
export async function listPersons(
  deps: { sites: SiteRepository; persons: PersonRepository },
  siteId: string,
  query: z.infer<typeof pageQuerySchema>,
) {
  await requireSite(deps.sites, siteId);
  const { items, nextToken } = await deps.persons.list(siteId, {
    limit: query.limit,
    ...(query.nextToken ? { nextToken: query.nextToken } : {}),
  });
  return { persons: items, ...(nextToken ? { nextToken } : {}) };
}
