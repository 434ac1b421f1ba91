import { useState } from 'preact/hooks';
import { ApiError, api, call } from '../../api/client';
import type { SalesforceStatus } from '../../api/types';
import { Outcome, useAction } from '../../ui/feedback';
import { Section } from '../../ui/form';
import { formatDateTime } from '../../ui/format';
import { TableWrap } from '../../ui/table-wrap';

/** Setup: what the integration created in Salesforce, the last deploy's result, and Retry. */
export function SetupSection({
  siteId,
  setup: initial,
  flowVersion,
  readOnly,
  onDeployed,
}: {
  siteId: string;
  setup: SalesforceStatus['setup'];
  flowVersion: number | null;
  readOnly: boolean;
  onDeployed: (flowVersion: number | null) => void;
}) {
  const retry = useAction();
  const [setup, setSetup] = useState(initial);
  const attempt = setup.lastAttempt;
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
                  <span class="badge ok">Version {flowVersion ?? setup.flow.version}</span>
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
                setSetup({
                  outboundMessage: result.setup.outboundMessage ?? null,
                  // The deploy answers the stored state: a flow from before activation was read back ran.
                  flow: result.setup.flow
                    ? {
                        ...result.setup.flow,
                        activeVersion: result.setup.flow.activeVersion ?? result.setup.flow.version,
                        state: result.setup.flow.state ?? 'active',
                      }
                    : null,
                  lastAttempt: result.setup.lastAttempt ?? null,
                });
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
