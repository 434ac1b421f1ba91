import { api, call } from '../../api/client';
import { Loading, useLoad } from '../../ui/feedback';
import { PageError } from '../../ui/page-error';
import { LogoSection } from './logo-section';
import { ProfileForm } from './profile-form';

/**
 * Site → Profile: who sends the quotes (the seller printed in every quote's header and footer,
 * the default payment terms and validity) and the logo at the top of every quote.
 */
export function ProfilePage({ siteId }: { siteId: string }) {
  const loaded = useLoad(
    () => call(api.GET('/sites/{siteId}/profile', { params: { path: { siteId } } })),
    [siteId],
  );
  return (
    <div class="page">
      <div class="page-header">
        <div>
          <p class="breadcrumb">Site</p>
          <h1 tabIndex={-1}>Profile</h1>
          <p class="lead">
            What every quote of this site says about its sender: printed on the PDF, sent to the client.
          </p>
        </div>
      </div>
      {loaded.state === 'loading' && <Loading what="the profile" />}
      {loaded.state === 'failed' && <PageError error={loaded.error} siteId={siteId} />}
      {loaded.state === 'ready' && (
        <>
          <LogoSection siteId={siteId} logo={loaded.data.logo} onChanged={loaded.reload} />
          <ProfileForm siteId={siteId} saved={loaded.data} onSaved={loaded.set} />
        </>
      )}
    </div>
  );
}
