import { outboundMessageSpec } from '../domain/salesforce-setup';
import type { SyncMessage } from '../domain/sync-message';
import {
  contactsQuery,
  isRecordId,
  opportunitiesQuery,
  recordAsNotificationFields,
  type SyncRunPage,
} from '../domain/sync-run';
import type { Logger } from '../ports/logger';
import type { ConnectionRepository, SettingsRepository } from '../ports/site-records';
import type { SyncQueue } from '../ports/sync-queue';
import type { SalesforceQuery, SyncRunQueue, SyncRunRepository } from '../ports/sync-runs';
import { queueNotifications } from './queue-notifications';

export interface SyncRunPageDeps {
  settings: SettingsRepository;
  connections: ConnectionRepository;
  runs: SyncRunRepository;
  runQueue: SyncRunQueue;
  syncQueue: SyncQueue;
  salesforce: SalesforceQuery;
  logger: Logger;
  now: () => Date;
}

async function query(deps: SyncRunPageDeps, page: SyncRunPage) {
  if (page.locator) return deps.salesforce.nextPage(page.siteId, page.locator);
  const settings = (await deps.settings.get(page.siteId))?.settings;
  if (!settings) throw new Error(`Site ${page.siteId} has no settings`);
  if (page.mode === 'contacts') {
    const mapped = settings.fieldMappings.contact.map((m) => m.salesforceField);
    return deps.salesforce.firstPage(page.siteId, contactsQuery(mapped));
  }
  // The same fields the outbound message carries, so both paths feed the worker alike.
  const describe = await deps.salesforce.describeFields(page.siteId, 'Opportunity');
  const { fields } = outboundMessageSpec(settings, describe, '', '');
  return deps.salesforce.firstPage(page.siteId, opportunitiesQuery(settings, fields, describe));
}

/**
 * One page of a run: one SOQL call (query or queryMore), every record queued as a
 * notification in the webhook's shape, the counts added, and the next page handed to the queue.
 * Notification ids are derived from the run and the record, so a page processed twice queues
 * duplicates the worker recognizes; the page's counts are added once (the run's page counter
 * must be at the previous page).
 */
export async function processSyncRunPage(deps: SyncRunPageDeps, page: SyncRunPage): Promise<void> {
  const run = await deps.runs.get(page.siteId, page.runId);
  if (run?.status !== 'running') {
    deps.logger.info('Sync-run page skipped: the run is over', { siteId: page.siteId, runId: page.runId });
    return;
  }
  const connection = await deps.connections.get(page.siteId);
  if (!connection) {
    await deps.runs.recordError(
      page.siteId,
      page.runId,
      'The site was disconnected from Salesforce during the run',
      true,
    );
    return;
  }

  const result = await query(deps, page);
  const sObjectType = page.mode === 'contacts' ? 'Contact' : 'Opportunity';
  const receivedAt = deps.now().toISOString();
  const messages: SyncMessage[] = result.records
    .filter((record) => isRecordId(record.Id))
    .map((record) => ({
      kind: 'notification',
      version: 1,
      siteId: page.siteId,
      organizationId: connection.organizationId,
      notificationId: `${page.runId}-${String(record.Id)}`,
      sObjectType,
      recordId: String(record.Id),
      fields: recordAsNotificationFields(record),
      receivedAt,
      source: 'sync-now',
      runId: page.runId,
    }));
  await queueNotifications({ queue: deps.syncQueue, logger: deps.logger }, messages);

  const last = !result.nextRecordsUrl;
  const counted = await deps.runs.addPage(
    page.siteId,
    page.runId,
    page.page,
    { found: result.records.length, queued: messages.length },
    last,
  );
  // The next page is handed on even when this page was counted before: the earlier attempt may
  // have stopped before sending it. A duplicate next page is counted once and its records are
  // recognised by the worker, so a crash costs API calls, never a stalled or miscounted run.
  if (result.nextRecordsUrl) {
    await deps.runQueue.sendPage({ ...page, locator: result.nextRecordsUrl, page: page.page + 1 });
  }
  deps.logger.info('Sync-run page queued', {
    siteId: page.siteId,
    runId: page.runId,
    page: page.page,
    records: messages.length,
    last,
    counted,
  });
}
