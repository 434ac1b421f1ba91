import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me, MySite } from '../api/types';

/**
 * Who is signed in and what they may do on each site (`GET /me`). The console hides what a role
 * may not do; the API refuses it anyway (403 with a reason).
 */
export interface Access {
  me: Me | undefined;
  /** The caller's place in a site, if any: role and whether push-back is on. */
  site(siteId: string): MySite | undefined;
  isAdmin(siteId: string): boolean;
}

export function accessOf(me: Me | undefined): Access {
  const site = (siteId: string) => me?.sites.find((s) => s.siteId === siteId);
  return {
    me,
    site,
    // An operator administers every site, also those past the first 100 that /me lists.
    isAdmin: (siteId) => Boolean(me?.operator) || site(siteId)?.role === 'admin',
  };
}

export const AccessContext = createContext<Access>(accessOf(undefined));

export function useAccess(): Access {
  return useContext(AccessContext);
}
