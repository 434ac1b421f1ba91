import { useState } from 'preact/hooks';
import { ApiError, api, apiError, authorizedFetch, call } from '../api/client';
import type { components } from '../api/openapi';
import type { SalesforceStatus, SyncLogEntry } from '../api/types';
import { href, navigate } from '../lib/route';
import { Loading, Outcome, useAction, useLoad } from '../ui/feedback';
import { Field, Section } from '../ui/form';
import { formatDateTime } from '../ui/format';
import { PageError } from '../ui/page-error';
import { TableWrap } from '../ui/table-wrap';

/**
 * Sync health: what happened to each notification (outcome, reason, source) with filters, a
 * search by opportunity id or name, the failures grouped by reason with Retry, the CSV export,
 * and per opportunity a timeline that answers "what happened to this opportunity?".
 */
type LogOutcome = SyncLogEntry['outcome'];
type Timeline = components['schemas']['OpportunityTimeline'];
type FailureSummary = components['schemas']['SyncFailureSummary'];

const OUTCOMES: LogOutcome[] = ['created', 'updated', 'unchanged', 'skipped', 'failed'];
const OUTCOME_KIND: Record<string, string> = { created: 'ok', updated: 'ok', skipped: 'warn', failed: 'bad' };

/** The sync log's sources as the integration guide names them. */
const SOURCE_LABELS: Record<string, string> = {
  'outbound-message': 'Webhook',
  'sync-now': 'Synchronize now',
  reconciliation: 'Reconciliation',
  retry: 'Retry',
};

interface Filters {
  outcome: LogOutcome | '';
  /** datetime-local values, in the browser's time zone. */
  from: string;
  to: string;
}

const toInstant = (local: string) => (local ? new Date(local).toISOString() : undefined);

function logQuery(filters: Filters) {
  const from = toInstant(filters.from);
  const to = toInstant(filters.to);
  return {
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

export function SyncHealthPage({
  siteId,
  opportunityId,
}: {
  siteId: string;
  opportunityId?: string | undefined;
}) {
  return (
    <div class="page">
      <div class="page-header">
        <div>
          <h1 tabIndex={-1}>Sync health</h1>
          <p class="lead">Every notification from Salesforce and what became of it.</p>
        </div>
      </div>
      <OpportunitySearch siteId={siteId} current={opportunityId} />
      {opportunityId ? (
        <OpportunityTimeline siteId={siteId} opportunityId={opportunityId} />
      ) : (
        <>
          <ApiUse siteId={siteId} />
          <Failures siteId={siteId} />
          <Activity siteId={siteId} />
        </>
      )}
    </div>
  );
}

function OpportunitySearch({ siteId, current }: { siteId: string; current: string | undefined }) {
  const [q, setQ] = useState(current ?? '');
  const search = useAction();
  const [found, setFound] = useState<Array<{ opportunityId: string; name: string | null }>>();
  return (
    <form
      class="card card-body filters"
      aria-label="Find an opportunity"
      onSubmit={(event) => {
        event.preventDefault();
        const text = q.trim();
        if (!text) return;
        void search.run(
          'Searching',
          async () => {
            const answer = await call(
              api.GET('/sites/{siteId}/salesforce/opportunities', {
                params: { path: { siteId }, query: { q: text } },
              }),
            );
            const [only] = answer.opportunities;
            if (answer.opportunities.length === 1 && only)
              navigate({ page: 'sync-health', siteId, opportunityId: only.opportunityId });
            setFound(answer.opportunities);
            return answer.opportunities.length;
          },
          (count) => (count === 0 ? 'No opportunity in the log matches.' : `${count} found.`),
        );
      }}
    >
      <Field label="Opportunity" hint="A Salesforce opportunity id, or the start of its name.">
        {(props) => (
          <input {...props} type="search" value={q} onInput={(event) => setQ(event.currentTarget.value)} />
        )}
      </Field>
      <div class="actions">
        <button type="submit" class="button primary" disabled={search.busy}>
          Show
        </button>
        {current && (
          <a class="button" href={href({ page: 'sync-health', siteId })}>
            All activity
          </a>
        )}
        <Outcome status={search.status} />
      </div>
      {found && found.length > 1 && (
        <ul class="found-list" aria-label="Matching opportunities">
          {found.map((match) => (
            <li key={match.opportunityId}>
              <a href={href({ page: 'sync-health', siteId, opportunityId: match.opportunityId })}>
                {match.name ?? match.opportunityId}
              </a>{' '}
              <code class="muted">{match.opportunityId}</code>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

function OutcomeBadge({ outcome }: { outcome: string }) {
  return <span class={`badge ${OUTCOME_KIND[outcome] ?? ''}`}>{outcome}</span>;
}

function RetryButton({
  siteId,
  entry,
}: {
  siteId: string;
  entry: { entryId: string; opportunityId: string };
}) {
  const retry = useAction();
  return (
    <span class="retry">
      <button
        type="button"
        class="button small"
        disabled={retry.busy}
        aria-label={`Retry the notification of ${entry.opportunityId}`}
        onClick={() =>
          void retry.run(
            'Queuing it again',
            () =>
              call(
                api.POST('/sites/{siteId}/salesforce/log/{entryId}/retry', {
                  params: {
                    path: { siteId, entryId: entry.entryId },
                    header: { 'idempotency-key': crypto.randomUUID() },
                  },
                }),
              ),
            (answer) => `Queued again ${formatDateTime(answer.queued.queuedAt)}.`,
          )
        }
      >
        Retry
      </button>
      <Outcome status={retry.status} />
    </span>
  );
}

const count = (value: number) => value.toLocaleString('en');

/**
 * API use: the org's daily API requests as Salesforce last reported them (every app's, against
 * the org's limit), the share this site allows the integration, and this service's own calls
 * today. Above the budget the worker holds notifications until the org has room again.
 */
function ApiUse({ siteId }: { siteId: string }) {
  const loaded = useLoad(
    () => call(api.GET('/sites/{siteId}/salesforce', { params: { path: { siteId } } })),
    [siteId],
  );
  if (loaded.state === 'loading') return <Loading what="the API use" />;
  if (loaded.state === 'failed') return <PageError error={loaded.error} siteId={siteId} />;
  const usage: SalesforceStatus['apiUsage'] = loaded.data.apiUsage;
  const observed = usage.used !== undefined && usage.limit !== undefined;
  return (
    <Section
      id="api-use"
      title="API use"
      description="Salesforce limits each org's API requests per 24 hours, for every app together; this integration stays within the share the site allows it."
    >
      {observed && usage.withinBudget === false && (
        <p class="outcome failed">
          Over the budget: new notifications are held, not lost, and sync once the org's usage falls below{' '}
          {usage.maxSharePercent}% of its limit.
        </p>
      )}
      <dl class="facts">
        <dt>Org's API requests</dt>
        <dd>
          {observed ? (
            <>
              <span data-usage="used">{count(usage.used ?? 0)}</span> of{' '}
              <span data-usage="limit">{count(usage.limit ?? 0)}</span> ({usage.sharePercent}% of the daily
              limit)
              <meter
                class="usage-meter"
                aria-label="Org's API requests against its daily limit"
                min={0}
                max={usage.limit}
                value={usage.used}
                high={((usage.limit ?? 0) * usage.maxSharePercent) / 100}
                optimum={0}
              />
            </>
          ) : (
            <span class="muted">Not reported yet: Salesforce reports it with the next API call.</span>
          )}
        </dd>
        <dt>Budget</dt>
        <dd>
          At most {usage.maxSharePercent}% of the limit
          {observed && (
            <>
              {' '}
              <span class={`badge ${usage.withinBudget ? 'ok' : 'bad'}`}>
                {usage.withinBudget ? 'Within budget' : 'Over budget'}
              </span>
            </>
          )}
        </dd>
        <dt>This service's calls today</dt>
        <dd>
          <span data-usage="calls-today">{count(usage.callsToday)}</span>{' '}
          <span class="muted">(UTC day {usage.day})</span>
        </dd>
        {usage.observedAt && (
          <>
            <dt>Reported</dt>
            <dd>{formatDateTime(usage.observedAt)}</dd>
          </>
        )}
      </dl>
    </Section>
  );
}

function Failures({ siteId }: { siteId: string }) {
  const loaded = useLoad(
    () =>
      call(api.GET('/sites/{siteId}/salesforce/log/failures', { params: { path: { siteId }, query: {} } })),
    [siteId],
  );
  if (loaded.state === 'loading') return <Loading what="the failures" />;
  if (loaded.state === 'failed') return <PageError error={loaded.error} siteId={siteId} />;
  const summary: FailureSummary = loaded.data;
  return (
    <Section
      id="failures"
      title="Failures by reason"
      description={`${summary.failures} failed attempt${summary.failures === 1 ? '' : 's'} from ${formatDateTime(summary.from)} to ${formatDateTime(summary.to)}${summary.complete ? '' : ' (the most recent ones)'}.`}
    >
      {summary.groups.length === 0 ? (
        <p class="empty">No failures.</p>
      ) : (
        <TableWrap label="Failures by reason">
          <table>
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col" class="number">
                  Failures
                </th>
                <th scope="col" class="number">
                  Opportunities
                </th>
                <th scope="col">Last</th>
                <th scope="col">Latest</th>
              </tr>
            </thead>
            <tbody>
              {summary.groups.map((group) => (
                <tr key={group.key}>
                  <th scope="row" class="reason">
                    {group.reason}
                    {group.errorCode && <code> {group.errorCode}</code>}
                    {group.retrying > 0 && <span class="muted"> ({group.retrying} retrying)</span>}
                  </th>
                  <td class="number">{group.count}</td>
                  <td class="number">{group.opportunities}</td>
                  <td class="nowrap">{formatDateTime(group.lastAt)}</td>
                  <td>
                    <ul class="plain-list">
                      {group.latest.map((entry) => (
                        <li key={entry.entryId}>
                          <a href={href({ page: 'sync-health', siteId, opportunityId: entry.opportunityId })}>
                            {entry.opportunityName ?? entry.opportunityId}
                          </a>{' '}
                          <RetryButton siteId={siteId} entry={entry} />
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Section>
  );
}

function Activity({ siteId }: { siteId: string }) {
  const [draft, setDraft] = useState<Filters>({ outcome: '', from: '', to: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [pages, setPages] = useState<Array<string | undefined>>([undefined]);
  const nextToken = pages[pages.length - 1];
  const exporting = useAction();
  const loaded = useLoad(
    () =>
      call(
        api.GET('/sites/{siteId}/salesforce/log', {
          params: {
            path: { siteId },
            query: { limit: 50, ...logQuery(filters), ...(nextToken ? { nextToken } : {}) },
          },
        }),
      ),
    [siteId, filters, nextToken],
  );
  const issues =
    loaded.state === 'failed' ? new Map(loaded.error.issues.map((i) => [i.path, i.message])) : new Map();
  return (
    <Section
      id="activity"
      title="Recent activity"
      description="Newest first."
      actions={
        <>
          <button
            type="button"
            class="button"
            disabled={exporting.busy}
            onClick={() =>
              void exporting.run(
                'Exporting',
                () => downloadCsv(siteId, filters),
                () => 'The CSV is downloaded.',
              )
            }
          >
            Export CSV
          </button>
          <Outcome status={exporting.status} />
        </>
      }
    >
      <form
        class="filters"
        aria-label="Filter the activity"
        onSubmit={(event) => {
          event.preventDefault();
          setPages([undefined]);
          setFilters({ ...draft });
        }}
      >
        <Field label="Outcome" error={issues.get('outcome')}>
          {(props) => (
            <select
              {...props}
              value={draft.outcome}
              onChange={(event) => {
                const outcome = event.currentTarget.value as Filters['outcome'];
                setDraft((d) => ({ ...d, outcome }));
              }}
            >
              <option value="">Any</option>
              {OUTCOMES.map((outcome) => (
                <option key={outcome} value={outcome}>
                  {outcome}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="From" error={issues.get('from')}>
          {(props) => (
            <input
              {...props}
              type="datetime-local"
              value={draft.from}
              onInput={(event) => {
                const from = event.currentTarget.value;
                setDraft((d) => ({ ...d, from }));
              }}
            />
          )}
        </Field>
        <Field label="To" error={issues.get('to')}>
          {(props) => (
            <input
              {...props}
              type="datetime-local"
              value={draft.to}
              onInput={(event) => {
                const to = event.currentTarget.value;
                setDraft((d) => ({ ...d, to }));
              }}
            />
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="button primary">
            Filter
          </button>
        </div>
      </form>
      {loaded.state === 'loading' && <Loading what="the sync log" />}
      {loaded.state === 'failed' && <PageError error={loaded.error} siteId={siteId} />}
      {loaded.state === 'ready' &&
        (loaded.data.entries.length === 0 ? (
          <p class="empty">Nothing matches.</p>
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
                {loaded.data.entries.map((entry) => (
                  <tr key={entry.entryId}>
                    <td class="nowrap">{formatDateTime(entry.processedAt)}</td>
                    <td>
                      <a href={href({ page: 'sync-health', siteId, opportunityId: entry.opportunityId })}>
                        {entry.opportunityName ?? entry.opportunityId}
                      </a>
                    </td>
                    <td>
                      <OutcomeBadge outcome={entry.outcome} />
                      {entry.retrying && <span class="muted"> retrying</span>}
                    </td>
                    <td>
                      {entry.reason ?? '—'}
                      {entry.errorCode && <code> {entry.errorCode}</code>}
                      {entry.outcome === 'failed' && !entry.retrying && (
                        <RetryButton siteId={siteId} entry={entry} />
                      )}
                    </td>
                    <td>{SOURCE_LABELS[entry.source] ?? entry.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ))}
      <nav class="pager" aria-label="Pages of activity">
        {pages.length > 1 && (
          <button type="button" class="button" onClick={() => setPages((p) => p.slice(0, -1))}>
            Previous page
          </button>
        )}
        {loaded.state === 'ready' && loaded.data.nextToken && (
          <button
            type="button"
            class="button"
            onClick={() => {
              const token = loaded.state === 'ready' ? loaded.data.nextToken : undefined;
              setPages((p) => [...p, token]);
            }}
          >
            Next page
          </button>
        )}
      </nav>
    </Section>
  );
}

/** The filtered log as a CSV file, downloaded with the session's credentials. */
async function downloadCsv(siteId: string, filters: Filters): Promise<void> {
  const query = new URLSearchParams(logQuery(filters) as Record<string, string>);
  let response: Response;
  try {
    response = await authorizedFetch(`/sites/${encodeURIComponent(siteId)}/salesforce/log/export?${query}`, {
      headers: { accept: 'text/csv' },
    });
  } catch (error) {
    throw new ApiError(0, `The API could not be reached (${error instanceof Error ? error.message : error})`);
  }
  if (!response.ok) throw apiError(response.status, await response.json().catch(() => undefined));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `sync-log-${siteId}-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const EVENT_LABELS: Record<string, string> = {
  'quote-created': 'Quote created',
  sent: 'Sent to Salesforce',
  'lines-edited': 'Lines edited',
  'quote-edited': 'Quote edited',
  'notification-retried': 'Retried',
};

function OpportunityTimeline({ siteId, opportunityId }: { siteId: string; opportunityId: string }) {
  const loaded = useLoad(
    () =>
      call(
        api.GET('/sites/{siteId}/salesforce/opportunities/{opportunityId}/timeline', {
          params: { path: { siteId, opportunityId } },
        }),
      ),
    [siteId, opportunityId],
  );
  if (loaded.state === 'loading') return <Loading what="the timeline" />;
  if (loaded.state === 'failed') return <PageError error={loaded.error} siteId={siteId} />;
  const timeline: Timeline = loaded.data;
  return (
    <section class="card" aria-labelledby="timeline-title">
      <header class="card-header">
        <div>
          <h2 id="timeline-title">
            Timeline of {timeline.name ? `${timeline.name} ` : 'opportunity '}
            <code>{opportunityId}</code>
          </h2>
          {timeline.quotes.map((quote) => (
            <p class="card-description" key={quote.quoteId}>
              Its quote:{' '}
              <a href={href({ page: 'quote', siteId, quoteId: quote.quoteId })}>
                No. {quote.number}, {quote.title}
              </a>{' '}
              ({quote.status})
            </p>
          ))}
        </div>
      </header>
      <div class="card-body">
        {timeline.events.length === 0 ? (
          <p class="empty">Nothing has happened to this opportunity here yet.</p>
        ) : (
          <ol class="timeline">
            {timeline.events.map((event, index) => (
              <li key={`${event.at}-${index}`}>
                <p>
                  <strong>{formatDateTime(event.at)}</strong>{' '}
                  {event.kind === 'notification' ? (
                    <>
                      <OutcomeBadge outcome={event.outcome} />{' '}
                      <span class="muted">from {SOURCE_LABELS[event.source] ?? event.source}</span>
                    </>
                  ) : (
                    <span class="badge info">{EVENT_LABELS[event.kind] ?? event.kind}</span>
                  )}
                </p>
                <p class="hint">
                  {event.kind === 'notification' && (event.reason ?? 'No reason recorded.')}
                  {event.kind === 'notification' && event.errorCode && <code> {event.errorCode}</code>}
                  {event.kind === 'quote-created' && `Quote No. ${event.number}.`}
                  {event.kind === 'sent' && `${event.outcome}: ${event.message}`}
                  {(event.kind === 'lines-edited' ||
                    event.kind === 'quote-edited' ||
                    event.kind === 'notification-retried') &&
                    `${event.summary} (${event.actor})`}
                </p>
                {event.kind === 'notification' && event.outcome === 'failed' && !event.retrying && (
                  <RetryButton siteId={siteId} entry={{ entryId: event.entryId, opportunityId }} />
                )}
              </li>
            ))}
          </ol>
        )}
        {timeline.truncated && <p class="muted">Older events are not shown.</p>}
      </div>
    </section>
  );
}
