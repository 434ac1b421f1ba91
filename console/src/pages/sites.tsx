import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { navigate } from '../lib/route';
import { Outcome, useAction } from '../ui/feedback';
import { Field } from '../ui/form';

/** Picks the site to work on. */
export function SitesPage() {
  const [siteId, setSiteId] = useState('demo');
  const open = useAction();
  return (
    <div class="page narrow">
      <h1 tabIndex={-1}>Choose a site</h1>
      <p class="lead">A site is one customer account, connected to its own Salesforce org.</p>
      <form
        class="card card-body"
        onSubmit={(event) => {
          event.preventDefault();
          void open.run(
            'Opening the site',
            () => call(api.GET('/sites/{siteId}', { params: { path: { siteId: siteId.trim() } } })),
            (site) => {
              navigate({ page: 'salesforce', siteId: site.siteId });
              return `Opened ${site.name}.`;
            },
          );
        }}
      >
        <Field label="Site id">
          {(props) => (
            <input {...props} value={siteId} onInput={(event) => setSiteId(event.currentTarget.value)} />
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="button primary" disabled={open.busy}>
            Open site
          </button>
          <Outcome status={open.status} />
        </div>
      </form>
    </div>
  );
}
