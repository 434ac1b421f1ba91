import { useState } from 'preact/hooks';
import { useAccess } from '../lib/app-context';
import { href, navigate } from '../lib/route';
import { Banner, Loading } from '../ui/feedback';
import { Field } from '../ui/form';

/** Picks the site to work on: the sites the signed-in person belongs to, with their role. */
export function SitesPage({ connect }: { connect?: 'expired' } = {}) {
  const { me } = useAccess();
  const [siteId, setSiteId] = useState('');
  return (
    <div class="page narrow">
      <h1 tabIndex={-1}>Choose a site</h1>
      <p class="lead">A site is one customer account, connected to its own Salesforce org.</p>
      {connect === 'expired' && (
        <Banner kind="error" title="Salesforce could not be connected">
          The sign-in link Salesforce sent you back with is unknown, expired (after 10 minutes) or already
          used. Open the site and press "Connect to Salesforce" again.
        </Banner>
      )}
      {!me ? (
        <Loading what="your sites" />
      ) : me.sites.length === 0 ? (
        <p class="card card-body empty">You belong to no site yet: ask a site's admin to add you.</p>
      ) : (
        <ul class="site-list" aria-label="Your sites">
          {me.sites.map((site) => (
            <li key={site.siteId}>
              <a
                class="site-link"
                href={href(
                  site.role === 'admin'
                    ? { page: 'salesforce', siteId: site.siteId }
                    : { page: 'quotes', siteId: site.siteId },
                )}
              >
                <span class="site-name">{site.name}</span>
                <span class="muted">
                  <code>{site.siteId}</code>
                </span>
                <span class={`badge ${site.role === 'admin' ? 'info' : ''}`}>
                  {site.role === 'admin' ? 'Admin' : 'User'}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      <form
        class="card card-body open-site"
        onSubmit={(event) => {
          event.preventDefault();
          const id = siteId.trim();
          if (id) navigate({ page: 'salesforce', siteId: id });
        }}
      >
        <Field label="Site id" hint="Open another site by its id.">
          {(props) => (
            <input {...props} value={siteId} onInput={(event) => setSiteId(event.currentTarget.value)} />
          )}
        </Field>
        <button type="submit" class="button">
          Open site
        </button>
      </form>
    </div>
  );
}
