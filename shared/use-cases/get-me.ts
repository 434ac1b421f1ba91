import { type Identity, roleOn, type SiteRole } from '../domain/access';
import type { SettingsRepository } from '../ports/site-records';
import type { SiteRepository } from '../ports/site-repository';

/** How many sites an operator's answer lists (operators hold every site). */
export const OPERATOR_SITE_LIMIT = 100;

export interface MySite {
  siteId: string;
  name: string;
  role: SiteRole;
  pushBack: boolean;
}

/**
 * GET /me: the caller and the sites they may open, with their role and whether Send to
 * Salesforce is on there, so the console shows only what the caller may do. A site in the
 * token that no longer exists is left out.
 */
export async function getMe(
  deps: { sites: SiteRepository; settings: SettingsRepository },
  identity: Identity,
): Promise<{ subject: string; name: string; operator: boolean; sites: MySite[] }> {
  const sites = identity.operator
    ? await deps.sites.list(OPERATOR_SITE_LIMIT)
    : (await Promise.all([...identity.roles.keys()].map((siteId) => deps.sites.get(siteId)))).filter(
        (site) => site !== undefined,
      );
  const mine = await Promise.all(
    sites.map(async (site): Promise<MySite | undefined> => {
      const role = roleOn(identity, site.siteId);
      if (role === undefined) return undefined;
      const settings = await deps.settings.get(site.siteId);
      return {
        siteId: site.siteId,
        name: site.name,
        role,
        pushBack: settings?.settings.pushBack.enabled ?? false,
      };
    }),
  );
  return {
    subject: identity.subject,
    name: identity.name,
    operator: identity.operator,
    sites: mine
      .filter((site) => site !== undefined)
      .sort((a, b) => (a.siteId < b.siteId ? -1 : a.siteId > b.siteId ? 1 : 0)),
  };
}
