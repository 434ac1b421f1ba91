import { loggedRecordId } from '../../domain/sync-decision';
import type { SyncLogEntry, SyncOutcome } from '../../domain/synced-records';
import type { Logger } from '../../ports/logger';
import type { SyncRunRepository } from '../../ports/sync-runs';
import type { SyncLog } from '../../ports/synced-records';
import type { Finished } from './attempts';

/** Whether an attempt is the notification's last (its outcome counts toward a sync run). */
export const isFinal = (f: Finished) =>
  f.ending.disposition === 'done' || f.ending.disposition === 'dead-lettered';

export function logEntryOf(
  siteId: string,
  f: Finished & { message: NonNullable<Finished['message']> },
): SyncLogEntry {
  const { ending, message } = f;
  return {
    siteId,
    opportunityId: loggedRecordId(message),
    notificationId: message.notificationId,
    messageId: f.received.messageId,
    source: message.source,
    outcome: ending.outcome,
    ...(message.sObjectType === 'Opportunity' && message.fields.Name
      ? { opportunityName: message.fields.Name.slice(0, 255) }
      : {}),
    ...(ending.reason ? { reason: ending.reason } : {}),
    ...(ending.errorCode ? { errorCode: ending.errorCode } : {}),
    ...(ending.outcome === 'failed' ? { retrying: !isFinal(f) } : {}),
    ...(ending.quoteId ? { quoteId: ending.quoteId } : {}),
    ...(ending.companyId ? { companyId: ending.companyId } : {}),
    ...(ending.personId ? { personId: ending.personId } : {}),
    ...(f.systemModstamp ? { systemModstamp: f.systemModstamp } : {}),
    receivedAt: message.receivedAt,
    processedAt: f.processedAt,
  };
}

/**
 * The log stage: every attempt of one site's notifications goes to the sync log, then the
 * final outcomes count toward their Synchronize-now runs. An attempt whose log entry could not
 * be written is kept on the queue, so no outcome goes unrecorded: the retry logs it again.
 */
export async function recordOutcomes(
  deps: { syncLog: SyncLog; runs?: Pick<SyncRunRepository, 'add'>; logger: Logger },
  siteId: string,
  finished: readonly Finished[],
): Promise<Finished[]> {
  const logged = finished.filter(
    (f): f is Finished & { message: NonNullable<Finished['message']> } => f.message !== undefined,
  );
  const entries = logged.map((f) => logEntryOf(siteId, f));
  try {
    await deps.syncLog.append(entries);
  } catch (error) {
    deps.logger.error('Writing the sync log failed; the notifications stay on the queue', { siteId, error });
    return finished.map((f) =>
      f.ending.disposition === 'done' ? { ...f, ending: { ...f.ending, disposition: 'retry' as const } } : f,
    );
  }
  // One line per notification, naming everything it touched: what a person searches the log by.
  logged.forEach((f, i) => {
    const entry = entries[i];
    if (!entry) return;
    const line = {
      siteId,
      notificationId: entry.notificationId,
      opportunityId: entry.opportunityId,
      ...(entry.quoteId ? { quoteId: entry.quoteId } : {}),
      ...(entry.companyId ? { companyId: entry.companyId } : {}),
      ...(entry.personId ? { personId: entry.personId } : {}),
      ...(f.message.runId ? { runId: f.message.runId } : {}),
      outcome: entry.outcome,
      ...(entry.reason ? { reason: entry.reason } : {}),
      ...(entry.errorCode ? { errorCode: entry.errorCode } : {}),
      ...(entry.retrying !== undefined ? { retrying: entry.retrying } : {}),
    };
    if (entry.outcome === 'failed') deps.logger.warn('Notification failed', line);
    else deps.logger.info(`Notification ${entry.outcome}`, line);
  });
  const runCounts = new Map<string, Partial<Record<SyncOutcome, number>>>();
  for (const f of logged) {
    const { runId } = f.message;
    if (!runId || !isFinal(f)) continue;
    const counts = runCounts.get(runId) ?? {};
    counts[f.ending.outcome] = (counts[f.ending.outcome] ?? 0) + 1;
    runCounts.set(runId, counts);
  }
  for (const [runId, counts] of runCounts) {
    // The outcome is already logged and applied; a lost count only delays the run's status.
    await deps.runs?.add(siteId, runId, counts).catch((error: unknown) => {
      deps.logger.warn('Could not count outcomes toward the sync run', { siteId, runId, error });
    });
  }
  return [...finished];
}
