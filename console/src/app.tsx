import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, call, configureAuth } from './api/client';
import type { Me, SignInConfig } from './api/types';
import { AccessContext, accessOf } from './lib/app-context';
import { href, navigate, parseRoute, type Route } from './lib/route';
import { loadSession, type Session, saveSession } from './lib/session';
import { completeSignIn, refreshSession, signOutUrl } from './lib/sign-in';
import { ProfilePage } from './pages/profile/profile-page';
import { ProjectPage } from './pages/projects/project-page';
import { ProjectsPage } from './pages/projects/projects-page';
import { QuotePage } from './pages/quote';
import { QuotesPage } from './pages/quotes';
import { SalesforcePage } from './pages/salesforce';
import { SignInPage } from './pages/sign-in';
import { SitesPage } from './pages/sites';
import { SyncHealthPage } from './pages/sync-health';
import { asApiError, Loading } from './ui/feedback';
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

/** Refresh the access token this long before it expires. */
const REFRESH_MARGIN_MS = 60_000;

export function App() {
  const route = useRoute();
  const [config, setConfig] = useState<SignInConfig>();
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [me, setMe] = useState<Me>();
  const [problem, setProblem] = useState<string>();
  const [completing, setCompleting] = useState(() => new URLSearchParams(location.search).has('code'));
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const refreshing = useRef<Promise<string | undefined> | undefined>(undefined);

  const keep = useCallback((next: Session | undefined) => {
    saveSession(next);
    sessionRef.current = next;
    setSession(next);
  }, []);

  const signOut = useCallback(
    (reason?: string) => {
      const ending = sessionRef.current;
      keep(undefined);
      setMe(undefined);
      if (!reason && ending?.kind === 'oauth' && config) {
        // Ends the sign-in provider's session too; it sends the browser back here.
        location.assign(signOutUrl(config));
        return;
      }
      navigate({ page: 'sign-in', ...(reason ? { reason } : {}) });
    },
    [config, keep],
  );

  configureAuth(
    async () => {
      const current = sessionRef.current;
      if (!current) return undefined;
      if (
        current.kind !== 'oauth' ||
        !current.expiresAt ||
        current.expiresAt - Date.now() > REFRESH_MARGIN_MS
      )
        return current.token;
      if (!config || !current.refreshToken) return current.token;
      refreshing.current ??= refreshSession(config, current)
        .then((next) => {
          keep(next);
          return next.token;
        })
        .catch(() => current.token)
        .finally(() => {
          refreshing.current = undefined;
        });
      return refreshing.current;
    },
    () => signOut('Your session has ended; sign in again.'),
  );

  // How to sign in, and finishing a sign-in when this page is the redirect back.
  useEffect(() => {
    call(api.GET('/auth/config'))
      .then(async (loaded) => {
        setConfig(loaded);
        const done = await completeSignIn(loaded, new URLSearchParams(location.search));
        if (done) {
          keep(done.session);
          location.hash =
            done.returnTo && done.returnTo !== '#/sign-in' ? done.returnTo : href({ page: 'sites' });
        }
      })
      .catch((error: unknown) => setProblem(asApiError(error).message))
      .finally(() => setCompleting(false));
  }, [keep]);

  // Who is signed in: their name and sites.
  useEffect(() => {
    if (!session) return;
    let current = true;
    call(api.GET('/me'))
      .then((loaded) => {
        if (!current) return;
        setMe(loaded);
        if (sessionRef.current && sessionRef.current.label !== loaded.name)
          keep({ ...sessionRef.current, label: loaded.name });
      })
      .catch((error: unknown) => {
        if (current && !(error instanceof ApiError && error.status === 401))
          setProblem(asApiError(error).message);
      });
    return () => {
      current = false;
    };
  }, [session?.token, keep]);

  // Each page names itself in the title and gets the focus, so a screen reader hears the change.
  useEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [route.page, 'siteId' in route ? route.siteId : '', Boolean(session)]);

  if (completing)
    return (
      <main id="main" class="sign-in">
        <h1 class="visually-hidden">Signing in</h1>
        <Loading what="your session" />
      </main>
    );
  if (!session || route.page === 'sign-in') {
    return (
      <SignInPage
        config={config}
        reason={route.page === 'sign-in' ? route.reason : undefined}
        problem={problem}
        returnTo={
          route.page === 'sign-in' || route.page === 'not-found' ? href({ page: 'sites' }) : location.hash
        }
        onAdminToken={(token) => {
          keep({ token, label: 'the admin token', kind: 'admin-token' });
          setProblem(undefined);
          if (route.page === 'sign-in' || route.page === 'not-found') navigate({ page: 'sites' });
        }}
      />
    );
  }
  return (
    <AccessContext.Provider value={accessOf(me)}>
      <Layout route={route} session={session} onSignOut={() => signOut()}>
        {page(route)}
      </Layout>
    </AccessContext.Provider>
  );
}

function page(route: Route) {
  switch (route.page) {
    case 'sites':
      return <SitesPage connect={route.connect} />;
    case 'sign-in':
      return <SitesPage />;
    case 'salesforce':
      return <SalesforcePage siteId={route.siteId} connect={route.connect} key={route.siteId} />;
    case 'sync-health':
      return <SyncHealthPage siteId={route.siteId} opportunityId={route.opportunityId} key={route.siteId} />;
    case 'quotes':
      return <QuotesPage siteId={route.siteId} nextToken={route.nextToken} key={route.siteId} />;
    case 'quote':
      return <QuotePage siteId={route.siteId} quoteId={route.quoteId} key={route.quoteId} />;
    case 'projects':
      return <ProjectsPage siteId={route.siteId} nextToken={route.nextToken} key={route.siteId} />;
    case 'project':
      return <ProjectPage siteId={route.siteId} projectId={route.projectId} key={route.projectId} />;
    case 'profile':
      return <ProfilePage siteId={route.siteId} key={route.siteId} />;
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
