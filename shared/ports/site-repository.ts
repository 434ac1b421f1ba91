import type { Site } from '../domain/site';

export interface SiteRepository {
  get(siteId: string): Promise<Site | undefined>;
  /** Creates or replaces the site record. */
  put(site: Site): Promise<void>;
  /** The deployment's sites by id, at most `limit` (the operators' directory). */
  list(limit: number): Promise<Site[]>;
}
