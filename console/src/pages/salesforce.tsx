import { useState } from 'preact/hooks';
import { ApiError, api, call } from '../api/client';
import type { SalesforceStatus, SettingsBody, SiteUser } from '../api/types';
import { useAccess } from '../lib/app-context';
import type { ConnectOutcome } from '../lib/route';
import { asApiError, Banner, ErrorText, Loading, useLoad } from '../ui/feedback';
import { JumpNav } from '../ui/jump-nav';
import { PageError } from '../ui/page-error';
import { ConnectionSection } from './salesforce/connection';
import { CustomFieldsSection } from './salesforce/custom-fields';
import { FieldMappingSection } from './salesforce/field-mapping';
import { SettingsSection } from './salesforce/settings';
import { type DescribedObjects, useSettingsDraft } from './salesforce/settings-draft';
import { SetupSection } from './salesforce/setup';
import { SyncNowSection } from './salesforce/sync-now';

/**
 * Integrations → Salesforce, one page as the integration guide describes it: Connection, Setup,
 * Settings, Field mapping, Custom fields and Synchronize now.
 */
export function SalesforcePage({ siteId, connect }: { siteId: string; connect?: ConnectOutcome }) {
  const access = useAccess();
  const loaded = useLoad(async () => {
    const path = { siteId };
    const [status, users] = await Promise.all([
      call(api.GET('/sites/{siteId}/salesforce', { params: { path } })),
      call(api.GET('/sites/{siteId}/users', { params: { path } })),
    ]);
    const fields =
      status.connection.status === 'connected'
        ? await call(api.GET('/sites/{siteId}/salesforce/fields', { params: { path } })).catch(
            (error: unknown) => asApiError(error),
          )
        : undefined;
    return { status, users: users.users, fields };
  }, [siteId]);

  return (
    <div class="page">
      <div class="page-header">
        <div>
          <p class="breadcrumb">Integrations</p>
          <h1 tabIndex={-1}>Salesforce</h1>
          <p class="lead">
            Opportunities at the chosen stage become quotes, with their company and contact person; a finished
            quote's sum and PDF go back to the opportunity.
          </p>
        </div>
      </div>
      {loaded.state === 'ready' && (
        <JumpNav
          sections={[
            { id: 'connection', label: 'Connection' },
            ...(loaded.data.status.connection.status === 'not-connected'
              ? []
              : [{ id: 'setup', label: 'Setup' }]),
            { id: 'settings', label: 'Settings' },
            ...(loaded.data.fields ? [{ id: 'field-mapping', label: 'Field mapping' }] : []),
            { id: 'custom-fields', label: 'Custom fields' },
            ...(canSync(loaded.data.status) && access.isAdmin(siteId)
              ? [{ id: 'sync-now', label: 'Synchronize now' }]
              : []),
          ]}
        />
      )}
      {loaded.state === 'loading' && <Loading what="the Salesforce integration" />}
      {loaded.state === 'failed' && <PageError error={loaded.error} siteId={siteId} />}
      {loaded.state === 'ready' && (
        <Loaded
          siteId={siteId}
          status={loaded.data.status}
          users={loaded.data.users}
          fields={loaded.data.fields}
          connect={connect}
          reload={loaded.reload}
        />
      )}
    </div>
  );
}

/** An org that cannot run the integration has nothing to synchronize; a reconnect-needed one shows its run. */
const canSync = (status: SalesforceStatus) =>
  status.connection.status === 'connected' || status.connection.status === 'reconnect-needed';

function Loaded({
  siteId,
  status,
  users,
  fields,
  connect,
  reload,
}: {
  siteId: string;
  status: SalesforceStatus;
  users: SiteUser[];
  fields: DescribedObjects | ApiError | undefined;
  connect: ConnectOutcome | undefined;
  reload: () => void;
}) {
  const admin = useAccess().isAdmin(siteId);
  const draft = useSettingsDraft(siteId, status.settings as SettingsBody, status.setup.flow?.version ?? null);
  const [flowVersion, setFlowVersion] = useState(status.setup.flow?.version ?? null);
  const connected = status.connection.status !== 'not-connected';
  return (
    <>
      {!admin && (
        <Banner kind="info" title="Read only">
          You are a user of this site: only its admins change the integration's settings.
        </Banner>
      )}
      <ConnectionSection
        siteId={siteId}
        connection={status.connection}
        refusal={status.connectRefusal}
        justConnected={connect === 'connected'}
        readOnly={!admin}
        onChanged={reload}
      />
      {connected && (
        <SetupSection
          siteId={siteId}
          setup={status.setup}
          saved={draft.setup}
          flowVersion={flowVersion}
          readOnly={!admin}
          onDeployed={(version) => setFlowVersion(version)}
        />
      )}
      <SettingsSection
        draft={draft}
        stages={status.stages}
        stagesError={status.stagesError}
        opportunityFields={fields instanceof ApiError ? undefined : fields?.opportunity}
        users={users}
        readOnly={!admin}
        onSaved={(version) => setFlowVersion(version)}
      />
      {fields instanceof ApiError ? (
        <Banner kind="error" title="The org's fields could not be read">
          <ErrorText error={fields} />
        </Banner>
      ) : fields ? (
        <FieldMappingSection
          draft={draft}
          fields={fields}
          readOnly={!admin}
          onSaved={(version) => setFlowVersion(version)}
        />
      ) : (
        <Banner kind="info" title="Field mapping">
          Connect to Salesforce to map the org's fields.
        </Banner>
      )}
      <CustomFieldsSection draft={draft} readOnly={!admin} onSaved={(version) => setFlowVersion(version)} />
      {canSync(status) && admin && (
        <SyncNowSection siteId={siteId} opportunityToQuote={draft.value.opportunityToQuote.enabled} />
      )}
    </>
  );
}
