import { useEffect, useState } from 'preact/hooks';
import { useToken } from './api/client';
import { href, navigate, parseRoute, type Route } from './lib/route';
import { loadSession, type Session, saveSession } from './lib/session';
import { QuotePage } from './pages/quote';
import { QuotesPage } from './pages/quotes';
import { SalesforcePage } from './pages/salesforce';
import { SignInPage } from './pages/sign-in';
import { SitesPage } from './pages/sites';
import { SyncHealthPage } from './pages/sync-health';
import { Layout } from './ui/layout';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const signOut = (reason?: string) => {
    saveSession(undefined);
    setSession(undefined);
    navigate({ page: 'sign-in', ...(reason ? { reason } : {}) });
  };
  useToken(session?.token, () => signOut('Your session has ended; sign in again.'));

  // Each page names itself in the title and gets the focus, so a screen reader hears the change.
  useEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [route.page, 'siteId' in route ? route.siteId : '']);

  if (!session || route.page === 'sign-in') {
    return (
      <SignInPage
        reason={route.page === 'sign-in' ? route.reason : undefined}
        onSignedIn={(signedIn) => {
          saveSession(signedIn);
          setSession(signedIn);
          if (route.page === 'sign-in' || route.page === 'not-found') navigate({ page: 'sites' });
        }}
      />
    );
  }
  return (
    <Layout route={route} session={session} onSignOut={() => signOut()}>
      {page(route)}
    </Layout>
  );
}

function page(route: Route) {
  switch (route.page) {
    case 'sites':
    case 'sign-in':
      return <SitesPage />;
    case 'salesforce':
      return <SalesforcePage siteId={route.siteId} key={route.siteId} />;
    case 'sync-health':
      return <SyncHealthPage siteId={route.siteId} opportunityId={route.opportunityId} key={route.siteId} />;
    case 'quotes':
      return <QuotesPage siteId={route.siteId} nextToken={route.nextToken} key={route.siteId} />;
    case 'quote':
      return <QuotePage siteId={route.siteId} quoteId={route.quoteId} key={route.quoteId} />;
    case 'not-found':
      return (
        <div class="page">
          <h1 tabIndex={-1}>Page not found</h1>
          <p>
            There is no page at <code>{route.hash}</code>. <a href={href({ page: 'sites' })}>Choose a site</a>
            .
          </p>
        </div>
      );
  }
}
