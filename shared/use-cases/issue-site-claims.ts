import { formatSitesClaim, type SiteRole, strongestRole } from '../domain/access';
import type { UserRepository } from '../ports/site-records';

export interface SignedInPerson {
  email?: string | undefined;
  /** Only a verified address is trusted: anyone could claim an unverified one. */
  emailVerified: boolean;
}

/**
 * The `sites` claim of a sign-in: every site where a user with the person's verified e-mail
 * address has a console role, as `siteId:role` pairs. The pre-token-generation trigger (AWS)
 * and the local sign-in both call this, on every sign-in and token refresh, so a role given
 * or taken away takes effect with the next token.
 */
export async function issueSiteClaims(
  deps: { users: UserRepository },
  person: SignedInPerson,
): Promise<{ sites: string }> {
  if (!person.email || !person.emailVerified) return { sites: '' };
  const bySite = new Map<string, SiteRole[]>();
  for (const { siteId, role } of await deps.users.rolesOf(person.email)) {
    bySite.set(siteId, [...(bySite.get(siteId) ?? []), role]);
  }
  const roles = new Map<string, SiteRole>();
  for (const [siteId, held] of bySite) {
    const role = strongestRole(held);
    if (role) roles.set(siteId, role);
  }
  return { sites: formatSitesClaim(roles) };
}
