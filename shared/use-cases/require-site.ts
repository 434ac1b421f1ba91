import { NotFoundError } from '../domain/errors';
import type { Site } from '../domain/site';
import type { SiteRepository } from '../ports/site-repository';

/** The site every site-scoped use case starts from: a 404 that says how to create it when it is missing. */
export async function requireSite(sites: SiteRepository, siteId: string): Promise<Site> {
  const site = await sites.get(siteId);
  if (!site) throw new NotFoundError(`Site ${siteId} does not exist; create it with PUT /sites/${siteId}`);
  return site;
}
