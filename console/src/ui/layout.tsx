import type { ComponentChildren } from 'preact';
import { useAccess } from '../lib/app-context';
import { href, type Route } from '../lib/route';
import type { Session } from '../lib/session';

/** The frame of every page once signed in: product bar, the site's navigation, the page. */
export function Layout({
  route,
  session,
  onSignOut,
  children,
}: {
  route: Route;
  session: Session;
  onSignOut: () => void;
  children: ComponentChildren;
}) {
  const siteId = 'siteId' in route ? route.siteId : undefined;
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={href({ page: 'sites' })}>
          Quote Sync
        </a>
        {siteId && (
          <span class="topbar-site">
            Site <strong>{siteId}</strong> <a href={href({ page: 'sites' })}>Change site</a>
          </span>
        )}
        <span class="topbar-user">
          {session.kind === 'admin-token'
            ? 'Signed in with the admin token'
            : `Signed in as ${session.label || '…'}`}
          <button type="button" class="button small" onClick={onSignOut}>
            Sign out
          </button>
        </span>
      </header>
      <div class="frame">
        {siteId && <SiteNav siteId={siteId} route={route} />}
        <main id="main" class="main">
          {children}
        </main>
      </div>
    </div>
  );
}

function SiteNav({ siteId, route }: { siteId: string; route: Route }) {
  const access = useAccess();
  const link = (target: Route, label: string, active: boolean) => (
    <li>
      <a href={href(target)} aria-current={active ? 'page' : undefined} class={active ? 'active' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <nav class="sidenav" aria-label="Site">
      <p class="sidenav-heading" id="nav-integrations">
        Integrations
      </p>
      <ul aria-labelledby="nav-integrations">
        {link({ page: 'salesforce', siteId }, 'Salesforce', route.page === 'salesforce')}
      </ul>
      <p class="sidenav-heading" id="nav-activity">
        Work
      </p>
      <ul aria-labelledby="nav-activity">
        {link({ page: 'quotes', siteId }, 'Quotes', route.page === 'quotes' || route.page === 'quote')}
        {link(
          { page: 'projects', siteId },
          'Projects',
          route.page === 'projects' || route.page === 'project',
        )}
        {link({ page: 'sync-health', siteId }, 'Sync health', route.page === 'sync-health')}
      </ul>
      {access.isAdmin(siteId) && (
        <>
          <p class="sidenav-heading" id="nav-site">
            Site
          </p>
          <ul aria-labelledby="nav-site">
            {link({ page: 'profile', siteId }, 'Profile', route.page === 'profile')}
          </ul>
        </>
      )}
    </nav>
  );
}
