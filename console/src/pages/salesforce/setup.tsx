import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, call } from '../../api/client';
import type { SalesforceStatus, SetupStatus } from '../../api/types';
import { Banner, Outcome, useAction } from '../../ui/feedback';
import { Section } from '../../ui/form';
import { formatDateTime } from '../../ui/format';
import { TableWrap } from '../../ui/table-wrap';

/** Setup: what the integration created in Salesforce, the last deploy's result, and Retry. */
export function SetupSection({
  siteId,
  setup: initial,
  flowVersion,
  saved,
  readOnly,
  onDeployed,
}: {
  siteId: string;
  setup: SalesforceStatus['setup'];
  /** What a settings save just deployed. */
  saved: SetupStatus | undefined;
  flowVersion: number | null;
  readOnly: boolean;
  onDeployed: (flowVersion: number | null) => void;
}) {
  const retry = useAction();
  const [setup, setSetup] = useState(initial);
  useEffect(() => {
    if (saved) setSetup(saved);
  }, [saved]);
  const attempt = setup.lastAttempt;
  // The latest saved version does not run (a production org deploys flows inactive, or the
  // activation was refused): the org sends nothing until its admin acts.
  const inactive = setup.flow?.state === 'saved-but-inactive';
  return (
    <Section
      id="setup"
      title="Setup"
      description="Created in Salesforce through the Metadata API when the site connects, and updated when the settings change."
    >
      <TableWrap label="Items in Salesforce">
        <table>
          <thead>
            <tr>
              <th scope="col">Item in Salesforce</th>
              <th scope="col">Kind</th>
              <th scope="col">State</th>
              <th scope="col">Deployed</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>Scoro Opportunity Flow</td>
              <td>Record-triggered flow</td>
              <td>
                {setup.flow ? (
                  <>
                    <span class={`badge ${inactive ? 'warn' : 'ok'}`}>
                      Version {flowVersion ?? setup.flow.version}
                    </span>{' '}
                    {inactive ? (
                      <span class="badge warn">Saved but inactive</span>
                    ) : (
                      <span class="badge ok">Active</span>
                    )}
                  </>
                ) : (
                  <span class="badge bad">Not deployed</span>
                )}
              </td>
              <td>{formatDateTime(setup.flow?.deployedAt)}</td>
            </tr>
            <tr>
              <td>Scoro integration</td>
              <td>Outbound message</td>
              <td>
                {setup.outboundMessage ? (
                  <span class="badge ok">Deployed</span>
                ) : (
                  <span class="badge bad">Not deployed</span>
                )}
              </td>
              <td>{formatDateTime(setup.outboundMessage?.deployedAt)}</td>
            </tr>
          </tbody>
        </table>
      </TableWrap>
      {inactive && setup.flow && (
        <Banner kind="warning" stacked title="Scoro Opportunity Flow is saved but not active">
          <p>
            {setup.flow.activeVersion
              ? `Version ${setup.flow.activeVersion} still runs, without the latest settings.`
              : 'No version of the flow runs, so Salesforce sends no outbound messages: opportunities do not sync until it is active.'}{' '}
            {setup.flow.inactive?.reason}
          </p>
          {setup.flow.inactive && (
            <p>
              <strong>What the org's admin must do:</strong> {setup.flow.inactive.adminAction}
            </p>
          )}
          <p class="muted">
            Then press Retry: the integration reads the flow back and activates it.
            {setup.flow.inactive ? ` Salesforce said ${setup.flow.inactive.errorCode}.` : ''}
          </p>
        </Banner>
      )}
      <h3>Last deploy</h3>
      {attempt ? (
        <p class={attempt.ok ? 'outcome ok' : 'outcome failed'}>
          {attempt.ok ? 'Succeeded' : 'Failed'} {formatDateTime(attempt.at)}
          {attempt.step ? ` (step: ${attempt.step})` : ''}
          {attempt.error && (
            <>
              : <span class="salesforce-error">{attempt.error}</span>
            </>
          )}
        </p>
      ) : (
        <p class="muted">Nothing has been deployed yet.</p>
      )}
      <div class="actions" hidden={readOnly}>
        <button
          type="button"
          class="button"
          disabled={retry.busy}
          onClick={() =>
            void retry.run(
              'Deploying to Salesforce',
              async () => {
                const result = await call(
                  api.POST('/sites/{siteId}/salesforce/deploy', { params: { path: { siteId }, query: {} } }),
                );
                setSetup(result.setup);
                onDeployed(result.setup.flow?.version ?? null);
                const failed = result.setup.lastAttempt?.ok === false;
                if (failed)
                  throw new ApiError(
                    0,
                    `The deploy failed again: ${result.setup.lastAttempt?.error ?? 'no reason given'}`,
                  );
              },
              () => 'Deployed.',
            )
          }
        >
          Retry
        </button>
        <Outcome status={retry.status} />
      </div>
    </Section>
  );
}
