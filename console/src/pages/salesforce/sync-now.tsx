import { useEffect, useRef, useState } from 'preact/hooks';
import { api, call } from '../../api/client';
import type { SyncRun } from '../../api/types';
import { asApiError, ErrorText, Outcome, useAction } from '../../ui/feedback';
import { Section } from '../../ui/form';
import { formatDateTime } from '../../ui/format';

/**
 * Synchronize now: starts a run (or shows the one already going) and follows it live until it
 * is complete: a progress bar and the counts found, queued, created, updated, unchanged,
 * skipped and failed.
 */
const COUNTS = ['found', 'queued', 'created', 'updated', 'unchanged', 'skipped', 'failed'] as const;
const POLL_MS = 1_000;

export function SyncNowSection({
  siteId,
  opportunityToQuote,
}: {
  siteId: string;
  opportunityToQuote: boolean;
}) {
  const start = useAction();
  const [run, setRun] = useState<SyncRun>();
  const [joined, setJoined] = useState(false);
  const [pollError, setPollError] = useState<ReturnType<typeof asApiError>>();
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (run?.status !== 'running') return;
    timer.current = window.setTimeout(async () => {
      try {
        const next = await call(
          api.GET('/sites/{siteId}/salesforce/sync/{runId}', {
            params: { path: { siteId, runId: run.runId } },
          }),
        );
        setPollError(undefined);
        setRun(next);
      } catch (error) {
        setPollError(asApiError(error));
        // Keep following: the next answer may well come.
        setRun((current) => (current ? { ...current } : current));
      }
    }, POLL_MS);
    return () => window.clearTimeout(timer.current);
  }, [run, siteId]);

  const processed = run
    ? run.counts.created + run.counts.updated + run.counts.unchanged + run.counts.skipped + run.counts.failed
    : 0;
  const total = run ? Math.max(run.counts.found, run.counts.queued) : 0;
  const running = run?.status === 'running';
  return (
    <Section
      id="sync-now"
      title="Synchronize now"
      description={
        opportunityToQuote
          ? 'Catches up on the opportunities at the stage that meet the conditions, for anything a webhook missed.'
          : 'With Opportunity to Quote off, syncs the org’s contacts as persons.'
      }
    >
      <div class="actions">
        <button
          type="button"
          class="button primary"
          disabled={start.busy}
          onClick={() =>
            void start.run(
              'Starting',
              async () => {
                const started = await call(
                  api.POST('/sites/{siteId}/salesforce/sync', { params: { path: { siteId } } }),
                );
                const { started: isNew, ...current } = started;
                setJoined(!isNew);
                setRun(current);
                return isNew;
              },
              (isNew) => (isNew ? 'Started.' : 'A run is already going: showing it.'),
            )
          }
        >
          Synchronize now
        </button>
        <Outcome status={start.status} />
      </div>
      {run && (
        <div class="sync-run" aria-live="polite">
          <p>
            <span
              class={`badge ${run.status === 'completed' ? 'ok' : run.status === 'failed' ? 'bad' : 'info'}`}
            >
              {run.status === 'running' ? 'Running' : run.status === 'completed' ? 'Completed' : 'Failed'}
            </span>{' '}
            {joined && running && 'Already running when you clicked. '}
            Started {formatDateTime(run.startedAt)}
            {run.finishedAt && `, finished ${formatDateTime(run.finishedAt)}`}.{' '}
            {run.mode === 'contacts' ? 'Contacts' : 'Opportunities'}, {run.pages} page
            {run.pages === 1 ? '' : 's'} read{run.queryDone ? '' : ' so far'}.
          </p>
          <label class="label" for="sync-progress">
            Progress: {processed} of {total || '…'} done
          </label>
          {running && !run.queryDone ? (
            <progress id="sync-progress" />
          ) : (
            <progress
              id="sync-progress"
              max={Math.max(total, 1)}
              value={run.status === 'running' ? processed : Math.max(total, 1)}
            />
          )}
          <ul class="counts">
            {COUNTS.map((name) => (
              <li key={name}>
                <span class="count-label">{name}</span>
                <span
                  class={`count-value${name === 'failed' && run.counts.failed > 0 ? ' bad' : ''}`}
                  data-count={name}
                >
                  {run.counts[name]}
                </span>
              </li>
            ))}
          </ul>
          {pollError && (
            <p>
              Could not read the run's progress: <ErrorText error={pollError} />
            </p>
          )}
          {run.errors.length > 0 && (
            <>
              <h3>Latest errors</h3>
              <ul>
                {run.errors.map((error) => (
                  <li key={`${error.at}-${error.message}`}>
                    {formatDateTime(error.at)}: {error.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </Section>
  );
}
