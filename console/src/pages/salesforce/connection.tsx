import { useState } from 'preact/hooks';
import { ApiError, api, apiError, authorizedFetch, call } from '../../api/client';
import type { Connection, SalesforceStatus } from '../../api/types';
import { ConfirmDialog } from '../../ui/dialog';
import { Banner, Outcome, useAction } from '../../ui/feedback';
import { Field, Section } from '../../ui/form';
import { formatDateTime } from '../../ui/format';

/** Connection: connect (production, sandbox or My Domain), what is connected, reconnect, disconnect. */
type Environment = 'production' | 'sandbox' | 'my-domain';

const LOGIN_LABEL: Record<Environment, string> = {
  production: 'Production',
  sandbox: 'Sandbox',
  'my-domain': 'My Domain',
};

export function ConnectionSection({
  siteId,
  connection,
  refusal,
  justConnected,
  readOnly,
  onChanged,
}: {
  siteId: string;
  connection: Connection;
  refusal: SalesforceStatus['connectRefusal'];
  justConnected: boolean;
  readOnly: boolean;
  onChanged: () => void;
}) {
  const disconnect = useAction();
  const [confirming, setConfirming] = useState(false);
  const refused = refusal && <RefusalBanner refusal={refusal} />;
  if (connection.status === 'not-connected')
    return (
      <Section
        id="connection"
        title="Connection"
        description="This site is not connected to a Salesforce org."
      >
        {refused}
        {readOnly ? (
          <p class="muted">An admin of the site connects it.</p>
        ) : (
          <ConnectForm siteId={siteId} label={refusal ? 'Try again' : 'Connect to Salesforce'} />
        )}
      </Section>
    );
  const { org, login } = connection;
  const badge =
    connection.status === 'connected'
      ? { kind: 'ok', text: 'Connected' }
      : connection.status === 'unsupported-org'
        ? { kind: 'bad', text: 'Org not supported' }
        : { kind: 'warn', text: 'Reconnect needed' };
  return (
    <Section
      id="connection"
      title="Connection"
      description="The Salesforce org this site syncs with."
      actions={<span class={`badge ${badge.kind}`}>{badge.text}</span>}
    >
      {justConnected && connection.status === 'connected' && !refusal && (
        <Banner kind="success" title="Connected to Salesforce">
          {org?.name ?? connection.organizationId} is connected as {connection.username}.
        </Banner>
      )}
      {refused}
      {connection.status === 'reconnect-needed' && (
        <>
          <Banner kind="warning" title="Salesforce needs to be reconnected">
            {connection.reconnectReason ?? 'Salesforce no longer accepts the stored authorization.'} Nothing
            syncs until it is reconnected; notifications wait for it.
          </Banner>
          {!readOnly && <ConnectForm siteId={siteId} label="Reconnect" login={login} />}
        </>
      )}
      {connection.status === 'unsupported-org' && (
        <Banner kind="error" stacked title="This org cannot run the integration">
          {/* The summary names the edition and each thing it lacks. */}
          <p>{org?.summary ?? 'Salesforce answered that this org lacks what the integration needs.'}</p>
          <p>
            Nothing is deployed or synced. Once the org has what it lacks, use Retry under Setup; or connect
            another org.
          </p>
        </Banner>
      )}
      <dl class="facts">
        {org?.name && (
          <>
            <dt>Organization</dt>
            <dd>{org.name}</dd>
          </>
        )}
        <dt>Organization ID</dt>
        <dd>
          <code>{connection.organizationId}</code>
        </dd>
        {org && (
          <>
            <dt>Edition</dt>
            <dd>
              {org.edition ?? 'Unknown (Salesforce did not say)'}
              {org.isSandbox ? ' (sandbox org)' : ''}
            </dd>
          </>
        )}
        <dt>Instance</dt>
        <dd>{connection.instanceUrl}</dd>
        {login && (
          <>
            <dt>Signs in at</dt>
            <dd>
              {LOGIN_LABEL[login.kind]} <span class="muted">({new URL(login.url).host})</span>
            </dd>
          </>
        )}
        <dt>Connected user</dt>
        <dd>{connection.username}</dd>
        <dt>Connected on</dt>
        <dd>{formatDateTime(connection.connectedAt)}</dd>
      </dl>
      <div class="actions" hidden={readOnly}>
        <button
          type="button"
          class="button danger"
          disabled={disconnect.busy}
          onClick={() => setConfirming(true)}
        >
          Disconnect
        </button>
        <Outcome status={disconnect.status} />
      </div>
      <ConfirmDialog
        open={confirming}
        title="Disconnect Salesforce?"
        confirmLabel="Disconnect"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void disconnect
            .run(
              'Disconnecting',
              () => call(api.POST('/sites/{siteId}/salesforce/disconnect', { params: { path: { siteId } } })),
              () => 'Disconnected.',
            )
            .then((result) => result && onChanged());
        }}
      >
        <p>
          This removes 'Scoro Opportunity Flow' and 'Scoro integration' from the org and revokes this site's
          access. Opportunities stop syncing until someone connects again. Quotes already synced stay.
        </p>
      </ConfirmDialog>
    </Section>
  );
}

/** Salesforce's refusal of the latest Connect, as the callback stored it: why, and what to do. */
function RefusalBanner({ refusal }: { refusal: NonNullable<SalesforceStatus['connectRefusal']> }) {
  return (
    <Banner kind="error" stacked title={`Salesforce refused the connection: ${refusal.title}`}>
      <p>{refusal.reason}</p>
      <p>{refusal.needsOrgAdmin ? "What the org's Salesforce admin must do:" : 'What to do:'}</p>
      <ol>
        {refusal.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <p class="muted">
        Salesforce answered <code>{refusal.salesforce.error}</code>
        {refusal.salesforce.description ? `: ${refusal.salesforce.description}` : ''} (
        {formatDateTime(refusal.at)}).
      </p>
    </Banner>
  );
}

/**
 * Asks the API where to send the browser: Salesforce's authorize page for the chosen login host
 * (the connect route answers a JSON request with the URL instead of a redirect).
 */
async function startConnect(
  siteId: string,
  environment: Environment,
  myDomain: string,
): Promise<{ authorizeUrl: string }> {
  if (environment === 'my-domain' && !/^https:\/\/[^/]+$/.test(myDomain))
    throw new ApiError(0, 'Give your My Domain as https://<name>.my.salesforce.com');
  const query = new URLSearchParams({
    login: environment,
    ...(environment === 'my-domain' ? { myDomain } : {}),
  });
  let response: Response;
  try {
    response = await authorizedFetch(`/sites/${encodeURIComponent(siteId)}/salesforce/connect?${query}`, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
    });
  } catch (error) {
    throw new ApiError(0, `The API could not be reached (${error instanceof Error ? error.message : error})`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw apiError(response.status, body);
  const authorizeUrl = (body as { authorizeUrl?: unknown } | undefined)?.authorizeUrl;
  if (typeof authorizeUrl !== 'string')
    throw new ApiError(response.status, 'The API did not answer with the Salesforce authorize URL');
  return { authorizeUrl };
}

function ConnectForm({
  siteId,
  label,
  login,
}: {
  siteId: string;
  label: string;
  /** A reconnect starts from the login the site used. */
  login?: { kind: Environment; url: string } | undefined;
}) {
  const [environment, setEnvironment] = useState<Environment>(login?.kind ?? 'production');
  const [myDomain, setMyDomain] = useState(login?.kind === 'my-domain' ? login.url : '');
  const connect = useAction();
  const choices: Array<{ value: Environment; label: string; hint: string }> = [
    { value: 'production', label: 'Production', hint: 'login.salesforce.com' },
    { value: 'sandbox', label: 'Sandbox', hint: 'test.salesforce.com' },
    { value: 'my-domain', label: 'My Domain', hint: "your org's own login address" },
  ];
  return (
    <form
      class="connect-form"
      onSubmit={(event) => {
        event.preventDefault();
        void connect.run('Opening Salesforce', async () => {
          const { authorizeUrl } = await startConnect(siteId, environment, myDomain.trim());
          location.assign(authorizeUrl);
        });
      }}
    >
      <fieldset class="choice-group">
        <legend>Salesforce environment</legend>
        {choices.map((choice) => (
          <label class="choice" key={choice.value}>
            <input
              type="radio"
              name="environment"
              value={choice.value}
              checked={environment === choice.value}
              onChange={() => setEnvironment(choice.value)}
            />
            <span>
              {choice.label} <span class="muted">({choice.hint})</span>
            </span>
          </label>
        ))}
      </fieldset>
      {environment === 'my-domain' && (
        <Field label="My Domain URL" hint="For example https://acme.my.salesforce.com">
          {(props) => (
            <input
              {...props}
              type="text"
              inputMode="url"
              value={myDomain}
              onInput={(event) => setMyDomain(event.currentTarget.value)}
            />
          )}
        </Field>
      )}
      <div class="actions">
        <button type="submit" class="button primary" disabled={connect.busy}>
          {label}
        </button>
        <Outcome status={connect.status} />
      </div>
    </form>
  );
}
