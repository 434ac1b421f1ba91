import { type SiteProfile, siteProfileSchema } from '../domain/site-profile';
import type { SiteProfileRepository } from '../ports/site-records';
import type { SiteRepository } from '../ports/site-repository';
import { requireSite } from './require-site';
import { logoView } from './site-logo';

export interface SiteProfileDeps {
  sites: SiteRepository;
  profiles: SiteProfileRepository;
  now: () => Date;
}

/** A site that never saved a profile has the empty one (defaults only). */
const EMPTY_PROFILE: SiteProfile = siteProfileSchema.parse({});

/** GET /sites/{siteId}/profile. */
export async function getSiteProfile(deps: SiteProfileDeps, siteId: string) {
  await requireSite(deps.sites, siteId);
  const record = await deps.profiles.get(siteId);
  return {
    siteId,
    profile: record?.profile ?? EMPTY_PROFILE,
    updatedAt: record?.updatedAt ?? null,
    logo: record?.logo ? logoView(record.logo) : null,
  };
}

/**
 * PUT /sites/{siteId}/profile: replaces the whole profile (a field left out is cleared); the
 * logo, uploaded on its own route, stays.
 */
export async function putSiteProfile(deps: SiteProfileDeps, siteId: string, profile: SiteProfile) {
  await requireSite(deps.sites, siteId);
  const updatedAt = deps.now().toISOString();
  await deps.profiles.put({ siteId, profile, updatedAt });
  return { ...(await getSiteProfile(deps, siteId)), profile, updatedAt };
}
