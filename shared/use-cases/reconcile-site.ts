import {
  decidePage,
  type ReconciliationState,
  reconciliationQuery,
  runStart,
} from '../domain/reconciliation';
import { outboundMessageSpec } from '../domain/salesforce-setup';
import type { SyncMessage } from '../domain/sync-message';
import { opportunityConditions, recordAsNotificationFields } from '../domain/sync-run';
import { quoteIdFor, type SyncLogEntry } from '../domain/synced-records';
import type { Logger } from '../ports/logger';
import type { ReconciliationStates } from '../ports/reconciliation';
import type { ConnectionRepository, SettingsRepository } from '../ports/site-records';
import type { SyncQueue } from '../ports/sync-queue';
import type { SalesforceQuery } from '../ports/sync-runs';
import type { QuoteRepository, SyncLog } from '../ports/synced-records';
import { queueNotifications } from './queue-notifications';
import { type ApiBudgetDeps, checkApiBudget } from './sync-stages/check-api-budget';

export interface ReconcileSiteDeps {
  settings: Pick<SettingsRepository, 'get'>;
  connections: Pick<ConnectionRepository, 'get'>;
  states: ReconciliationStates;
  salesforce: SalesforceQuery;
  quotes: Pick<QuoteRepository, 'getMany' | 'markDeletedInSalesforce'>;
  queue: SyncQueue;
  syncLog: Pick<SyncLog, 'append'>;
  logger: Logger;
  now: () => Date;
  /** Milliseconds this invocation may still run; paging stops with room to spare. */
  timeLeftMs?: () => number;
  /** The site's API budget: above it, the run is skipped and its watermark waits. */
  apiBudget?: ApiBudgetDeps['apiBudget'] & { orgs: ApiBudgetDeps['salesforce'] };
}

export interface ReconcileSiteResult {
  siteId: string;
  skipped?: string;
  /** The run was skipped because the org is above the site's API budget. */
  overBudget?: true;
  pages: number;
  queued: number;
  deleted: number;
}

/** Paging stops when less than this is left; the watermark is saved, the next run goes on. */
const MIN_TIME_LEFT_MS = 20_000;
/** A first run looks back over Salesforce's own retry window of outbound messages. */
const FIRST_LOOK_BACK_MS = 24 * 60 * 60 * 1000;

/**
 * One site's reconciliation: page by page (one SOQL call of ≤ 2,000 records each), the
 * opportunities changed since the watermark that meet the stage and conditions, deleted ones
 * included; each whose quote is missing (or, with while-at-stage, older) is queued for the worker
 * with source "reconciliation", each deleted one the sync knows is marked "deleted in Salesforce"
 * (its quote kept), and only then does the watermark move. A quiet site costs one call; a
 * settings change adds one describe call to rebuild the query. Above the site's API budget the
 * run is skipped, and the watermark waits for a run within it.
 */
export async function reconcileSite(deps: ReconcileSiteDeps, siteId: string): Promise<ReconcileSiteResult> {
  const result: ReconcileSiteResult = { siteId, pages: 0, queued: 0, deleted: 0 };
  const record = await deps.settings.get(siteId);
  const settings = record?.settings;
  if (!record || !settings?.opportunityToQuote.enabled || settings.opportunityToQuote.stage === null) {
    return { ...result, skipped: 'Opportunity→Quote is off or has no stage' };
  }
  const connection = await deps.connections.get(siteId);
  if (connection?.status !== 'connected') return { ...result, skipped: 'the site is not connected' };

  const started = deps.now();
  const state: ReconciliationState = (await deps.states.get(siteId)) ?? {
    siteId,
    watermark: { modstamp: new Date(started.getTime() - FIRST_LOOK_BACK_MS).toISOString(), id: '' },
  };
  if (deps.apiBudget) {
    // Above the budget a run spends nothing (an old reading costs one limits call to renew);
    // the watermark stays, so the first run back within budget reads everything missed.
    const { orgs, ...apiBudget } = deps.apiBudget;
    const over = await checkApiBudget(
      { apiBudget, salesforce: orgs, logger: deps.logger, now: deps.now },
      siteId,
      settings,
    );
    if (over) {
      const skipped = `above the API budget: ${over.detail}`;
      await deps.states.put({ ...state, lastRun: { at: started.toISOString(), ...counts(result), skipped } });
      return { ...result, skipped, overBudget: true };
    }
  }
  try {
    if (state.query?.settingsVersion !== record.updatedAt) {
      const describe = await deps.salesforce.describeFields(siteId, 'Opportunity');
      state.query = {
        settingsVersion: record.updatedAt,
        fields: outboundMessageSpec(settings, describe, '', '').fields,
        conditions: opportunityConditions(settings, describe),
      };
    }
    let from = runStart(state.watermark);
    for (;;) {
      const page = await deps.salesforce.firstPage(siteId, reconciliationQuery(state.query, from), {
        includeDeleted: true,
      });
      result.pages++;
      const ids = page.records.flatMap((r) => (typeof r.Id === 'string' ? [quoteIdFor(r.Id)] : []));
      const quotes = await deps.quotes.getMany(siteId, ids);
      const decision = decidePage(page.records, from, quotes, settings);
      const receivedAt = deps.now().toISOString();
      const messages: SyncMessage[] = decision.queue.map((r) => ({
        kind: 'notification',
        version: 1,
        siteId,
        organizationId: connection.organizationId,
        notificationId: `reconcile-${started.getTime()}-${String(r.Id)}`,
        sObjectType: 'Opportunity',
        recordId: String(r.Id),
        fields: recordAsNotificationFields(r),
        receivedAt,
        source: 'reconciliation',
      }));
      await queueNotifications(deps, messages);
      result.queued += messages.length;
      result.deleted += await markDeleted(deps, siteId, decision.markDeleted, started);
      // Only now, with the page queued and marked, may the watermark pass it.
      if (decision.last && decision.last.modstamp >= state.watermark.modstamp)
        state.watermark = decision.last;
      await deps.states.put({ ...state, lastRun: { at: receivedAt, ...counts(result) } });
      if (!decision.full || !decision.last) break;
      if ((deps.timeLeftMs?.() ?? Number.POSITIVE_INFINITY) < MIN_TIME_LEFT_MS) break;
      from = decision.last;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.warn('Reconciling a site failed; the next run tries again from its watermark', {
      siteId,
      error,
    });
    await deps.states.put({
      ...state,
      lastRun: { at: deps.now().toISOString(), ...counts(result), error: message },
    });
    throw error;
  }
  deps.logger.info('Reconciled a site', { ...result });
  return result;
}

const counts = (r: ReconcileSiteResult) => ({ pages: r.pages, queued: r.queued, deleted: r.deleted });

/** Marks each quote (kept) and logs it; a quote marked meanwhile is left as it is. */
async function markDeleted(
  deps: Pick<ReconcileSiteDeps, 'quotes' | 'syncLog' | 'now'>,
  siteId: string,
  marks: ReadonlyArray<{ quoteId: string; opportunityId: string; deletedAt: string }>,
  started: Date,
): Promise<number> {
  const entries: SyncLogEntry[] = [];
  for (const mark of marks) {
    if (!(await deps.quotes.markDeletedInSalesforce(siteId, mark.quoteId, mark.deletedAt))) continue;
    const now = deps.now().toISOString();
    entries.push({
      siteId,
      opportunityId: mark.opportunityId,
      notificationId: `reconcile-${started.getTime()}-${mark.opportunityId}`,
      source: 'reconciliation',
      outcome: 'updated',
      reason: 'the opportunity is deleted in Salesforce; the quote is kept, marked so',
      quoteId: mark.quoteId,
      systemModstamp: mark.deletedAt,
      receivedAt: now,
      processedAt: now,
    });
  }
  if (entries.length > 0) await deps.syncLog.append(entries);
  return entries.length;
}
