/**
 * The console's pages live in the URL's fragment (`#/sites/demo/quotes`): the API owns the paths
 * (`/sites/*`, `/salesforce/*`) on the same origin, so no page may be a path of its own.
 */
export type Route =
  | { page: 'sign-in'; reason?: string }
  | { page: 'sites'; connect?: 'expired' }
  | { page: 'salesforce'; siteId: string; connect?: ConnectOutcome }
  | { page: 'sync-health'; siteId: string; opportunityId?: string }
  | { page: 'quotes'; siteId: string; nextToken?: string }
  | { page: 'quote'; siteId: string; quoteId: string }
  | { page: 'projects'; siteId: string; nextToken?: string }
  | { page: 'project'; siteId: string; projectId: string }
  | { page: 'profile'; siteId: string }
  | { page: 'not-found'; hash: string };

export type SitePage = Extract<Route, { siteId: string }>['page'];

/** Where the Salesforce callback sent the browser: `?connect=` on the site's Salesforce page. */
export type ConnectOutcome = 'connected' | 'refused';
const CONNECT_OUTCOMES: readonly string[] = ['connected', 'refused'];

const SITE_PAGES: Record<string, SitePage> = {
  salesforce: 'salesforce',
  'sync-health': 'sync-health',
  quotes: 'quotes',
  projects: 'projects',
  profile: 'profile',
};

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || parts[0] === 'sites') {
    const [, siteId, section, id] = parts;
    if (!siteId)
      return params.get('connect') === 'expired' ? { page: 'sites', connect: 'expired' } : { page: 'sites' };
    if (!section) return { page: 'salesforce', siteId };
    const page = SITE_PAGES[section];
    if (page === 'quotes' && id) return { page: 'quote', siteId, quoteId: id };
    if (page === 'projects' && id) return { page: 'project', siteId, projectId: id };
    const connect = params.get('connect') ?? '';
    if (page === 'salesforce' && !id && CONNECT_OUTCOMES.includes(connect))
      return { page, siteId, connect: connect as ConnectOutcome };
    if (page === 'sync-health') {
      const opportunityId = params.get('opportunity');
      return { page, siteId, ...(opportunityId ? { opportunityId } : {}) };
    }
    if (page === 'quotes' || page === 'projects') {
      const nextToken = params.get('page');
      return { page, siteId, ...(nextToken ? { nextToken } : {}) };
    }
    if (page && !id) return { page, siteId } as Route;
  }
  if (parts[0] === 'sign-in' && parts.length === 1) {
    const reason = params.get('reason');
    return { page: 'sign-in', ...(reason ? { reason } : {}) };
  }
  return { page: 'not-found', hash };
}

export function href(route: Route): string {
  const site = (siteId: string) => `#/sites/${encodeURIComponent(siteId)}`;
  switch (route.page) {
    case 'sign-in':
      return route.reason ? `#/sign-in?${new URLSearchParams({ reason: route.reason })}` : '#/sign-in';
    case 'sites':
      return '#/sites';
    case 'salesforce':
      return `${site(route.siteId)}/salesforce`;
    case 'sync-health':
      return `${site(route.siteId)}/sync-health${route.opportunityId ? `?${new URLSearchParams({ opportunity: route.opportunityId })}` : ''}`;
    case 'quotes':
      return `${site(route.siteId)}/quotes${route.nextToken ? `?${new URLSearchParams({ page: route.nextToken })}` : ''}`;
    case 'quote':
      return `${site(route.siteId)}/quotes/${encodeURIComponent(route.quoteId)}`;
    case 'projects':
      return `${site(route.siteId)}/projects${route.nextToken ? `?${new URLSearchParams({ page: route.nextToken })}` : ''}`;
    case 'project':
      return `${site(route.siteId)}/projects/${encodeURIComponent(route.projectId)}`;
    case 'profile':
      return `${site(route.siteId)}/profile`;
    case 'not-found':
      return route.hash;
  }
}

export function navigate(route: Route): void {
  location.hash = href(route);
}
