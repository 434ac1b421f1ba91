import { isSalesforceId, toId18 } from './salesforce-id';
import type { Settings } from './settings';
import type { SyncMessage } from './sync-message';
import { canonicalModstamp, checkSyncConditions, freshness } from './sync-rules';
import type { Quote, SyncOutcome } from './synced-records';

/**
 * What the worker decides about each notification before any I/O, and the shape every
 * notification's attempt ends in. Pure: the use case feeds it the message, the settings and
 * the stored quote, and carries out what it says.
 */

/**
 * What happens to the queued message once its outcome is known:
 * - done: deleted from the queue (applied, skipped, or a failure that can never succeed);
 * - retry: left on the queue; SQS delivers it again when its visibility ends (which a deferral
 *   may have set);
 * - requeued: a fresh copy is on the queue with a delay, and this one is deleted;
 * - dead-lettered: moved to the dead-letter queue with its reason, and this one is deleted.
 */
export type Disposition = 'done' | 'retry' | 'requeued' | 'dead-lettered';

/** How one attempt at one notification ended. */
export interface Ending {
  outcome: SyncOutcome;
  disposition: Disposition;
  /** Why it was skipped, unchanged or failed, in words for the admin. */
  reason?: string;
  /** Salesforce's error code, when Salesforce refused something. */
  errorCode?: string;
  quoteId?: string;
  companyId?: string;
  personId?: string;
}

export const ended = (
  outcome: SyncOutcome,
  reason?: string,
  extra: Partial<Omit<Ending, 'outcome' | 'reason'>> = {},
): Ending => ({ outcome, disposition: 'done', ...(reason ? { reason } : {}), ...extra });

/** An opportunity notification that passed every check of its own and waits for Salesforce's data. */
export interface OpportunityCandidate {
  kind: 'opportunity';
  /** 18-character ids. */
  opportunityId: string;
  accountId: string | null;
  /** Canonical SystemModstamp of the data the notification carries. */
  modstamp: string;
}

export interface ContactCandidate {
  kind: 'contact';
  contactId: string;
  accountId: string | null;
}

export type Decision = OpportunityCandidate | ContactCandidate | { kind: 'end'; ending: Ending };

/** The record id the sync log files an outcome under: the 18-character form, when it is an id. */
export function loggedRecordId(message: Pick<SyncMessage, 'recordId'>): string {
  return isSalesforceId(message.recordId) ? toId18(message.recordId) : message.recordId;
}

const accountOf = (message: SyncMessage): string | null => {
  const id = message.fields.AccountId;
  return id && isSalesforceId(id) ? toId18(id) : null;
};

/** Whether a notification is synced, and as what: decided from the message and the settings alone. */
export function decideNotification(message: SyncMessage, settings: Settings): Decision {
  const end = (ending: Ending): Decision => ({ kind: 'end', ending });
  if (message.refused) return end(ended('failed', message.refused));
  if (message.sObjectType !== 'Opportunity' && message.sObjectType !== 'Contact') {
    return end(ended('skipped', `${message.sObjectType} notifications are not synced`));
  }
  if (!isSalesforceId(message.recordId)) {
    return end(ended('failed', `${JSON.stringify(message.recordId)} is not a Salesforce id`));
  }
  if (message.sObjectType === 'Contact') {
    if (!settings.contactToPerson.enabled)
      return end(ended('skipped', 'Contact→Person is off in the settings'));
    return { kind: 'contact', contactId: toId18(message.recordId), accountId: accountOf(message) };
  }
  const modstamp = canonicalModstamp(message.fields.SystemModstamp);
  if (!modstamp) {
    return end(
      ended('failed', 'the notification carries no SystemModstamp; the outbound message must include it'),
    );
  }
  const conditions = checkSyncConditions(settings, message.fields);
  if (!conditions.ok) return end(ended('skipped', conditions.reason));
  return {
    kind: 'opportunity',
    opportunityId: toId18(message.recordId),
    accountId: accountOf(message),
    modstamp,
  };
}

/**
 * One notification per opportunity: the newest in the batch goes on, the others end here
 * (Salesforce delivers at least once and out of order, and every copy carries whole data).
 */
export function newestPerOpportunity<T extends { candidate: OpportunityCandidate }>(
  items: readonly T[],
): { newest: T[]; superseded: Array<{ item: T; ending: Ending }> } {
  const newest = new Map<string, T>();
  for (const item of items) {
    const seen = newest.get(item.candidate.opportunityId);
    if (!seen || item.candidate.modstamp > seen.candidate.modstamp) {
      newest.set(item.candidate.opportunityId, item);
    }
  }
  const superseded: Array<{ item: T; ending: Ending }> = [];
  for (const item of items) {
    const kept = newest.get(item.candidate.opportunityId);
    if (kept === item || kept === undefined) continue;
    superseded.push({
      item,
      ending: ended(
        'unchanged',
        kept.candidate.modstamp === item.candidate.modstamp
          ? 'a duplicate of another notification in the same batch'
          : 'superseded by a newer notification of the same opportunity in the same batch',
      ),
    });
  }
  return { newest: [...newest.values()], superseded };
}

/**
 * Freshness against the stored quote: duplicates and stale data end here, before any
 * Salesforce call. Undefined means the notification carries newer data and goes on.
 */
export function againstStoredQuote(
  candidate: OpportunityCandidate,
  notificationId: string,
  stored: Quote | undefined,
): Ending | undefined {
  const applied = stored?.salesforce;
  const quoteId = stored ? { quoteId: stored.quoteId } : {};
  switch (freshness(applied?.systemModstamp, candidate.modstamp)) {
    case 'same':
      return ended(
        'unchanged',
        applied?.notificationId === notificationId
          ? 'a duplicate delivery of a notification already applied'
          : 'data of this SystemModstamp is already applied',
        quoteId,
      );
    case 'older':
      return ended(
        'unchanged',
        `older (${candidate.modstamp}) than the data already applied (${applied?.systemModstamp})`,
        quoteId,
      );
    default:
      return undefined;
  }
}
