import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import type { SyncLogEntry } from '../api/types';
import { href, navigate } from '../lib/route';
import { Loading, useLoad } from '../ui/feedback';
import { Field } from '../ui/form';
import { formatDateTime } from '../ui/format';
import { PageError } from '../ui/page-error';
import { TableWrap } from '../ui/table-wrap';

/**
 * Sync health: what happened to each notification (outcome, reason, source), and per
 * opportunity, a timeline that answers "what happened to this opportunity?".
 */
const OUTCOME_KIND: Record<string, string> = {
  created: 'ok',
  updated: 'ok',
  unchanged: '',
  skipped: 'warn',
  failed: 'bad',
};

/** The sync log's sources as the integration guide names them. */
const SOURCE_LABELS: Record<string, string> = {
  'outbound-message': 'Webhook',
  'sync-now': 'Synchronize now',
  reconciliation: 'Reconciliation',
};

export function SyncHealthPage({
  siteId,
  opportunityId,
}: {
  siteId: string;
  opportunityId?: string | undefined;
}) {
  const [search, setSearch] = useState(opportunityId ?? '');
  const loaded = useLoad(
    () =>
      call(
        api.GET('/sites/{siteId}/salesforce/log', {
          params: { path: { siteId }, query: { limit: 100, ...(opportunityId ? { opportunityId } : {}) } },
        }),
      ),
    [siteId, opportunityId],
  );
  return (
    <div class="page">
      <div class="page-header">
        <div>
          <h1 tabIndex={-1}>Sync health</h1>
          <p class="lead">Every notification from Salesforce and what became of it.</p>
        </div>
      </div>
      <form
        class="card card-body filters"
        onSubmit={(event) => {
          event.preventDefault();
          const id = search.trim();
          navigate({ page: 'sync-health', siteId, ...(id ? { opportunityId: id } : {}) });
        }}
      >
        <Field label="Opportunity" hint="A Salesforce opportunity id (15 or 18 characters).">
          {(props) => (
            <input
              {...props}
              type="search"
              value={search}
              onInput={(event) => setSearch(event.currentTarget.value)}
            />
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="button primary">
            Show
          </button>
          {opportunityId && (
            <a class="button" href={href({ page: 'sync-health', siteId })}>
              All activity
            </a>
          )}
        </div>
      </form>
      {loaded.state === 'loading' && <Loading what="the sync log" />}
      {loaded.state === 'failed' && <PageError error={loaded.error} siteId={siteId} />}
      {loaded.state === 'ready' &&
        (opportunityId ? (
          <Timeline opportunityId={opportunityId} entries={loaded.data.entries} siteId={siteId} />
        ) : (
          <Activity entries={loaded.data.entries} siteId={siteId} />
        ))}
    </div>
  );
}

function OutcomeBadge({ outcome }: { outcome: string }) {
  return <span class={`badge ${OUTCOME_KIND[outcome] ?? ''}`}>{outcome}</span>;
}

function Activity({ entries, siteId }: { entries: SyncLogEntry[]; siteId: string }) {
  return (
    <section class="card" aria-labelledby="activity-title">
      <header class="card-header">
        <h2 id="activity-title">Recent activity</h2>
      </header>
      {entries.length === 0 ? (
        <p class="empty card-body">Nothing has synced yet.</p>
      ) : (
        <TableWrap label="Recent activity">
          <table>
            <thead>
              <tr>
                <th scope="col">Processed</th>
                <th scope="col">Opportunity</th>
                <th scope="col">Outcome</th>
                <th scope="col">Reason</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={`${entry.notificationId}-${entry.processedAt}`}>
                  <td class="nowrap">{formatDateTime(entry.processedAt)}</td>
                  <td>
                    <a href={href({ page: 'sync-health', siteId, opportunityId: entry.opportunityId })}>
                      <code>{entry.opportunityId}</code>
                    </a>
                  </td>
                  <td>
                    <OutcomeBadge outcome={entry.outcome} />
                    {entry.retrying && <span class="muted"> retrying</span>}
                  </td>
                  <td>
                    {entry.reason ?? '—'}
                    {entry.errorCode && <code> {entry.errorCode}</code>}
                  </td>
                  <td>{SOURCE_LABELS[entry.source] ?? entry.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

function Timeline({
  opportunityId,
  entries,
  siteId,
}: {
  opportunityId: string;
  entries: SyncLogEntry[];
  siteId: string;
}) {
  const quoteId = entries.find((entry) => entry.quoteId)?.quoteId;
  return (
    <section class="card" aria-labelledby="timeline-title">
      <header class="card-header">
        <div>
          <h2 id="timeline-title">
            Timeline of opportunity <code>{opportunityId}</code>
          </h2>
          {quoteId && (
            <p class="card-description">
              Its quote: <a href={href({ page: 'quote', siteId, quoteId })}>open the quote</a>
            </p>
          )}
        </div>
      </header>
      <div class="card-body">
        {entries.length === 0 ? (
          <p class="empty">No notification about this opportunity has been processed.</p>
        ) : (
          <ol class="timeline">
            {[...entries].reverse().map((entry) => (
              <li key={`${entry.notificationId}-${entry.processedAt}`}>
                <p>
                  <strong>{formatDateTime(entry.processedAt)}</strong>{' '}
                  <OutcomeBadge outcome={entry.outcome} />{' '}
                  <span class="muted">from {SOURCE_LABELS[entry.source] ?? entry.source}</span>
                </p>
                <p class="hint">
                  {entry.reason ?? 'No reason recorded.'} Received {formatDateTime(entry.receivedAt)}
                  {entry.systemModstamp
                    ? `; Salesforce's version of ${formatDateTime(entry.systemModstamp)}`
                    : ''}
                  .
                </p>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
