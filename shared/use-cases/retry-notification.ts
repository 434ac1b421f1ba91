import type { Identity } from '../domain/access';
import { ConflictError, NotFoundError } from '../domain/errors';
import { toId18 } from '../domain/salesforce-id';
import { outboundMessageSpec } from '../domain/salesforce-setup';
import { entryKeyOf, retryableObjectOf } from '../domain/sync-health';
import type { SyncMessage } from '../domain/sync-message';
import { contactFields, isRecordId, recordAsNotificationFields, recordQuery } from '../domain/sync-run';
import type { Logger } from '../ports/logger';
import type { ConnectionRepository, SettingsRepository } from '../ports/site-records';
import type { SiteRepository } from '../ports/site-repository';
import type { SyncQueue } from '../ports/sync-queue';
import type { SalesforceQuery } from '../ports/sync-runs';
import type { ActivityLog, SyncHealthLog } from '../ports/synced-records';
import { entryView } from './list-sync-log';
import { requireSite } from './require-site';

export interface RetryDeps {
  sites: SiteRepository;
  syncLog: SyncHealthLog;
  settings: SettingsRepository;
  connections: ConnectionRepository;
  salesforce: SalesforceQuery;
  syncQueue: SyncQueue;
  activity: ActivityLog;
  logger: Logger;
  now: () => Date;
}

/**
 * POST /sites/{siteId}/salesforce/log/{entryId}/retry: queues a failed notification again,
 * through the sync queue like any other, with the record as Salesforce has it now. A fresh read
 * rather than the original data: the log keeps no copy of the record's fields, and the worker
 * would refuse data older than what it applied since (SystemModstamp) anyway; Salesforce's own
 * retries carry the record's latest data too. It costs one SOQL query (and a describe), and the
 * worker then decides as for any notification: a record no longer at the stage is skipped.
 * The retry keeps the notification's id, so the log shows it as a further attempt, and it is
 * recorded on the opportunity's timeline and as an audit event.
 */
export async function retryNotification(deps: RetryDeps, siteId: string, entryId: string, caller: Identity) {
  await requireSite(deps.sites, siteId);
  const entry = await deps.syncLog.get(siteId, entryKeyOf(entryId));
  if (!entry) throw new NotFoundError(`Site ${siteId} has no sync log entry ${entryId}`);
  if (entry.outcome !== 'failed')
    throw new ConflictError(`Only a failed notification is retried; this attempt ended ${entry.outcome}`);
  const sObjectType = retryableObjectOf(entry.opportunityId);
  if (!sObjectType || !isRecordId(entry.opportunityId))
    throw new ConflictError(
      `This notification cannot be retried: ${entry.opportunityId} is no opportunity or contact id, so there is no record to read again`,
    );
  const connection = await deps.connections.get(siteId);
  if (connection?.status !== 'connected')
    throw new ConflictError(
      `Site ${siteId} is ${connection ? 'waiting to be reconnected' : 'not connected'} to Salesforce: connect it, then retry`,
    );
  const settings = (await deps.settings.get(siteId))?.settings;
  if (!settings) throw new ConflictError(`Site ${siteId} has no settings yet`);

  const recordId = toId18(entry.opportunityId);
  const fields =
    sObjectType === 'Opportunity'
      ? outboundMessageSpec(settings, await deps.salesforce.describeFields(siteId, 'Opportunity'), '', '')
          .fields
      : contactFields(settings.fieldMappings.contact.map((m) => m.salesforceField));
  const { records } = await deps.salesforce.firstPage(siteId, recordQuery(sObjectType, fields, recordId));
  const record = records[0];
  if (!record)
    throw new ConflictError(
      `${sObjectType} ${recordId} is not in Salesforce any more (deleted, or the connected user cannot see it); nothing was queued`,
    );

  const queuedAt = deps.now().toISOString();
  const message: SyncMessage = {
    kind: 'notification',
    version: 1,
    siteId,
    organizationId: connection.organizationId,
    notificationId: entry.notificationId,
    sObjectType,
    recordId,
    fields: recordAsNotificationFields(record),
    receivedAt: queuedAt,
    source: 'retry',
  };
  await deps.syncQueue.send([message]);

  const actor = { actor: caller.name, actorSubject: caller.subject };
  await deps.activity.record({
    siteId,
    opportunityId: recordId,
    at: queuedAt,
    kind: 'notification-retried',
    ...actor,
    ...(entry.quoteId ? { quoteId: entry.quoteId } : {}),
    summary: `Retried the notification that failed at ${entry.processedAt}${entry.reason ? ` (${entry.reason})` : ''}`,
  });
  deps.logger.info('Audit event', {
    audit: {
      action: 'notification-retried',
      siteId,
      ...actor,
      entryId,
      notificationId: entry.notificationId,
      recordId,
      at: queuedAt,
    },
  });
  return {
    retried: entryView(entry),
    queued: { notificationId: entry.notificationId, recordId, sObjectType, queuedAt },
  };
}
