import { randomBytes } from 'node:crypto';
import { budgetVerdict, DEFAULT_MAX_SHARE_PERCENT } from '../domain/api-budget';
import { ApiBudgetExceededError, ConflictError, NotFoundError } from '../domain/errors';
import { EMPTY_COUNTS, type SyncRun, withDerivedStatus } from '../domain/sync-run';
import type { SalesforceOrgs } from '../ports/salesforce';
import type { ConnectionRepository, SettingsRepository } from '../ports/site-records';
import type { SiteRepository } from '../ports/site-repository';
import type { SyncRunQueue, SyncRunRepository } from '../ports/sync-runs';
import { requireSite } from './require-site';

/** A run whose pages stopped moving (say, its page message went to the DLQ) stops blocking new runs. */
export const STALE_RUN_MS = 6 * 60 * 60 * 1000;

export interface SyncNowDeps {
  sites: SiteRepository;
  settings: SettingsRepository;
  connections: ConnectionRepository;
  runs: SyncRunRepository;
  runQueue: SyncRunQueue;
  orgs: SalesforceOrgs;
  now: () => Date;
}

/** Sortable by start time, unique without coordination. */
function newRunId(now: Date): string {
  return `${now.getTime().toString(36)}${randomBytes(6).toString('hex')}`;
}

/**
 * POST /sites/{siteId}/salesforce/sync: starts a run, or returns the run already going (one
 * run per site at a time). Opportunity→Quote on: opportunities at the stage that meet the
 * conditions; off: contacts to persons.
 */
export async function startSyncNow(
  deps: SyncNowDeps,
  siteId: string,
): Promise<{ run: SyncRun; started: boolean }> {
  await requireSite(deps.sites, siteId);
  const connection = await deps.connections.get(siteId);
  if (connection?.status !== 'connected') {
    throw new ConflictError(
      connection
        ? `Site ${siteId} must be connected to Salesforce again first`
        : `Site ${siteId} is not connected to Salesforce`,
    );
  }
  const settings = (await deps.settings.get(siteId))?.settings;
  const mode = settings?.opportunityToQuote.enabled === false ? 'contacts' : 'opportunities';
  if (mode === 'opportunities' && !settings?.opportunityToQuote.stage) {
    throw new ConflictError('Choose the stage at which opportunities become quotes before synchronizing');
  }
  const now = deps.now();
  // A run costs a call per 2,000 records and the worker's reads: not above the site's budget.
  const usage = await (await deps.orgs.forSite(siteId)).apiUsage();
  const verdict = budgetVerdict(
    { ...usage, observedAt: now.toISOString() },
    settings?.apiBudget.maxSharePercent ?? DEFAULT_MAX_SHARE_PERCENT,
  );
  if (!verdict.withinBudget) throw new ApiBudgetExceededError(verdict, 'Synchronize now would spend more');
  const candidate: SyncRun = {
    siteId,
    runId: newRunId(now),
    mode,
    status: 'running',
    startedAt: now.toISOString(),
    queryDone: false,
    pages: 0,
    counts: { ...EMPTY_COUNTS },
    errors: [],
  };
  const isFinished = (active: SyncRun) =>
    withDerivedStatus(active).status !== 'running' ||
    now.getTime() - Date.parse(active.startedAt) > STALE_RUN_MS;
  const { run, started } = await deps.runs.startUnlessRunning(candidate, isFinished);
  if (started) {
    await deps.runQueue.sendPage({
      kind: 'sync-run-page',
      version: 1,
      siteId,
      runId: run.runId,
      mode,
      locator: null,
      page: 1,
    });
  }
  return { run: withDerivedStatus(run), started };
}

/** GET /sites/{siteId}/salesforce/sync/{runId}: status, counts and the latest errors. */
export async function getSyncRun(
  deps: Pick<SyncNowDeps, 'sites' | 'runs'>,
  siteId: string,
  runId: string,
): Promise<SyncRun> {
  await requireSite(deps.sites, siteId);
  const run = await deps.runs.get(siteId, runId);
  if (!run) throw new NotFoundError(`Site ${siteId} has no sync run ${runId}`);
  return withDerivedStatus(run);
}
