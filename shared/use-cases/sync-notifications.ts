import { ReconnectNeededError } from '../domain/errors';
import { type MappedFields, mapFields, salesforceFieldsFor } from '../domain/field-mapping';
import { classifySalesforceFailure } from '../domain/salesforce-failures';
import { isSalesforceId, toId18 } from '../domain/salesforce-id';
import { DEFAULT_SETTINGS, type Settings } from '../domain/settings';
import { type SyncMessage, syncMessageSchema } from '../domain/sync-message';
import { canonicalModstamp, checkSyncConditions, freshness } from '../domain/sync-rules';
import {
  companyIdFor,
  personIdFor,
  type Quote,
  quoteIdFor,
  SYNC_OUTCOMES,
  type SyncLogEntry,
  type SyncOutcome,
} from '../domain/synced-records';
import type { Logger } from '../ports/logger';
import type { AccountsAndContacts, SalesforceRecordReaders } from '../ports/salesforce';
import type { ConnectionRepository, SettingsRepository } from '../ports/site-records';
import type { SyncRetries } from '../ports/sync-queue';
import type { SyncRunRepository } from '../ports/sync-runs';
import type {
  CompanyRepository,
  PersonRepository,
  QuoteNumbers,
  QuoteRepository,
  SyncLog,
} from '../ports/synced-records';
import { upsertCompany } from './upsert-company';
import { upsertPerson } from './upsert-person';
import { upsertQuote } from './upsert-quote';

/** One message as the queue delivered it. */
export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** How many times SQS has delivered it, this time included. */
  receiveCount: number;
}

export interface RetryPolicy {
  /** First hold-back after REQUEST_LIMIT_EXCEEDED; doubled on each further receive. */
  rateLimitBackoffSeconds: number;
  /** Receives a rate-limited message is held back by visibility before it is queued afresh. */
  holdBackReceives: number;
  /** Delay of the copy queued afresh (rate limit beyond holdBackReceives, or reconnect needed). */
  requeueDelaySeconds: number;
  /** How long a notification may wait for a reconnect before it is given up (and logged). */
  maxReconnectWaitMs: number;
}

export interface SyncNotificationsDeps {
  settings: Pick<SettingsRepository, 'get'>;
  connections: Pick<ConnectionRepository, 'markReconnectNeeded'>;
  salesforce: SalesforceRecordReaders;
  quotes: QuoteRepository;
  quoteNumbers: QuoteNumbers;
  companies: CompanyRepository;
  persons: PersonRepository;
  syncLog: SyncLog;
  retries: SyncRetries;
  logger: Logger;
  policy: RetryPolicy;
  /** Synchronize-now runs, whose counts each notification's final outcome adds to. */
  runs?: Pick<SyncRunRepository, 'add'>;
  now: () => Date;
}

export interface SyncBatchResult {
  /** Messages to leave on the queue (SQS delivers them again); every other one is done. */
  failedMessageIds: string[];
  outcomes: Record<SyncOutcome, number>;
}

/** One notification being worked on. */
interface Work {
  received: ReceivedMessage;
  message: SyncMessage;
  opportunityId: string;
  modstamp: string;
  accountId: string | null;
  existing?: Quote;
  personId?: string | null;
  companyId?: string | null;
  done?: boolean;
}

interface Ended {
  outcome: SyncOutcome;
  reason?: string;
  errorCode?: string;
  /** For failures: keep the message on the queue (SQS retries it). */
  keep?: boolean;
  /** For failures: the message was deferred (held back or queued again), so it is done here. */
  retrying?: boolean;
  quoteId?: string;
}

/**
 * Turns a batch of queued notifications into companies, persons and quotes.
 *
 * Per site: the settings are read once, every notification is checked against them again and
 * against the stored quote's SystemModstamp (duplicates and stale ones stop here, before any
 * Salesforce call), then the accounts and primary contacts of all the rest are read in at most two
 * Salesforce API calls, and the records are written company → person → quote. The quote write
 * is conditional on the SystemModstamp and comes last, so a crash in between leaves nothing a
 * retry would not redo the same way. Every notification's outcome goes to the sync log.
 */
export async function syncNotifications(
  deps: SyncNotificationsDeps,
  messages: readonly ReceivedMessage[],
): Promise<SyncBatchResult> {
  const failed = new Set<string>();
  const outcomes: Record<SyncOutcome, number> = noOutcomes();
  const bySite = new Map<string, Array<{ received: ReceivedMessage; message: SyncMessage }>>();
  for (const received of messages) {
    const message = parseMessage(received.body);
    if (!message) {
      // A poison message: failing it every time sends it to the DLQ after maxReceiveCount.
      deps.logger.error('Unreadable sync message; it stays on the queue until the DLQ takes it', {
        messageId: received.messageId,
        receiveCount: received.receiveCount,
      });
      failed.add(received.messageId);
      outcomes.failed++;
      continue;
    }
    const site = bySite.get(message.siteId) ?? [];
    site.push({ received, message });
    bySite.set(message.siteId, site);
  }

  await Promise.all(
    [...bySite].map(async ([siteId, items]) => {
      try {
        const site = await syncSite(deps, siteId, items);
        for (const id of site.failed) failed.add(id);
        for (const [outcome, n] of Object.entries(site.outcomes)) outcomes[outcome as SyncOutcome] += n;
      } catch (error) {
        deps.logger.error('Syncing a site failed; its messages stay on the queue', { siteId, error });
        for (const { received } of items) failed.add(received.messageId);
        outcomes.failed += items.length;
      }
    }),
  );
  await deps.salesforce.settle();
  return { failedMessageIds: [...failed], outcomes };
}

function parseMessage(body: string): SyncMessage | undefined {
  try {
    const parsed = syncMessageSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function syncSite(
  deps: SyncNotificationsDeps,
  siteId: string,
  items: ReadonlyArray<{ received: ReceivedMessage; message: SyncMessage }>,
): Promise<{ failed: string[]; outcomes: Record<SyncOutcome, number> }> {
  const now = deps.now();
  const log: SyncLogEntry[] = [];
  const failed: string[] = [];
  const outcomes: Record<SyncOutcome, number> = noOutcomes();

  const runCounts = new Map<string, Partial<Record<SyncOutcome, number>>>();
  const end = (
    item: { received: ReceivedMessage; message: SyncMessage },
    opportunityId: string,
    ended: Ended,
    extra: Partial<SyncLogEntry> = {},
  ) => {
    outcomes[ended.outcome]++;
    // A kept or deferred notification is counted by the attempt that ends it.
    const { runId } = item.message;
    if (runId && !ended.keep && !ended.retrying) {
      const counts = runCounts.get(runId) ?? {};
      counts[ended.outcome] = (counts[ended.outcome] ?? 0) + 1;
      runCounts.set(runId, counts);
    }
    if (ended.keep) failed.push(item.received.messageId);
    log.push({
      siteId,
      opportunityId,
      notificationId: item.message.notificationId,
      source: item.message.source,
      outcome: ended.outcome,
      ...(ended.reason ? { reason: ended.reason } : {}),
      ...(ended.errorCode ? { errorCode: ended.errorCode } : {}),
      ...(ended.outcome === 'failed' ? { retrying: Boolean(ended.keep || ended.retrying) } : {}),
      ...(ended.quoteId ? { quoteId: ended.quoteId } : {}),
      ...extra,
      receivedAt: item.message.receivedAt,
      processedAt: new Date(now.getTime() + log.length).toISOString(),
    });
  };
  const endWork = (work: Work, ended: Ended) => {
    if (work.done) return;
    work.done = true;
    end(work, work.opportunityId, ended, {
      systemModstamp: work.modstamp,
      ...(work.companyId ? { companyId: work.companyId } : {}),
      ...(work.personId ? { personId: work.personId } : {}),
    });
  };

  const settings: Settings = (await deps.settings.get(siteId))?.settings ?? DEFAULT_SETTINGS;

  // 1. What the settings and the message itself allow.
  let candidates: Work[] = [];
  const contacts: Array<{ received: ReceivedMessage; message: SyncMessage }> = [];
  for (const item of items) {
    const { message } = item;
    const recordId = isSalesforceId(message.recordId) ? toId18(message.recordId) : message.recordId;
    if (message.sObjectType === 'Contact' && isSalesforceId(message.recordId)) {
      contacts.push(item);
      continue;
    }
    if (message.sObjectType !== 'Opportunity') {
      end(item, recordId, {
        outcome: 'skipped',
        reason: `${message.sObjectType} notifications are not synced`,
      });
      continue;
    }
    if (!isSalesforceId(message.recordId)) {
      end(item, recordId, { outcome: 'failed', reason: `${message.recordId} is not a Salesforce id` });
      continue;
    }
    const modstamp = canonicalModstamp(message.fields.SystemModstamp);
    if (!modstamp) {
      end(item, recordId, {
        outcome: 'failed',
        reason: 'the notification carries no SystemModstamp; the outbound message must include it',
      });
      continue;
    }
    const conditions = checkSyncConditions(settings, message.fields);
    if (!conditions.ok) {
      end(item, recordId, { outcome: 'skipped', reason: conditions.reason });
      continue;
    }
    const accountId = message.fields.AccountId;
    candidates.push({
      ...item,
      opportunityId: recordId,
      modstamp,
      accountId: accountId && isSalesforceId(accountId) ? toId18(accountId) : null,
    });
  }

  // 2. One notification per opportunity: the newest in the batch supersedes the others.
  const newest = new Map<string, Work>();
  for (const work of candidates) {
    const seen = newest.get(work.opportunityId);
    if (!seen || work.modstamp > seen.modstamp) newest.set(work.opportunityId, work);
  }
  for (const work of candidates) {
    const kept = newest.get(work.opportunityId);
    if (kept === work || !kept) continue;
    endWork(work, {
      outcome: 'unchanged',
      reason:
        kept.modstamp === work.modstamp
          ? 'a duplicate of another notification in the same batch'
          : 'superseded by a newer notification of the same opportunity in the same batch',
    });
  }
  candidates = [...newest.values()];

  // 3. Freshness against what is stored: duplicates and stale data stop before Salesforce.
  if (candidates.length > 0) {
    const stored = await deps.quotes.getMany(
      siteId,
      candidates.map((w) => quoteIdFor(w.opportunityId)),
    );
    for (const work of candidates) {
      work.existing = stored.get(quoteIdFor(work.opportunityId));
      const applied = work.existing?.salesforce;
      const quoteId = work.existing?.quoteId;
      switch (freshness(applied?.systemModstamp, work.modstamp)) {
        case 'same':
          endWork(work, {
            outcome: 'unchanged',
            ...(quoteId ? { quoteId } : {}),
            reason:
              applied?.notificationId === work.message.notificationId
                ? 'a duplicate delivery of a notification already applied'
                : 'data of this SystemModstamp is already applied',
          });
          break;
        case 'older':
          endWork(work, {
            outcome: 'unchanged',
            ...(quoteId ? { quoteId } : {}),
            reason: `older (${work.modstamp}) than the data already applied (${applied?.systemModstamp})`,
          });
          break;
        default:
          break;
      }
    }
    candidates = candidates.filter((w) => !w.done);
  }

  if (candidates.length > 0) await syncFromSalesforce(deps, siteId, settings, candidates, endWork, now);
  if (contacts.length > 0) await syncContacts(deps, siteId, settings, contacts, end, now);

  if (log.length > 0) await deps.syncLog.append(log);
  for (const [runId, counts] of runCounts) {
    // The outcome is already logged and applied; a lost count only delays the run's status.
    await deps.runs?.add(siteId, runId, counts).catch((error: unknown) => {
      deps.logger.warn('Could not count outcomes toward the sync run', { siteId, runId, error });
    });
  }
  deps.logger.info('Synced notifications', { siteId, ...outcomes, kept: failed.length });
  return { failed, outcomes };
}

async function syncFromSalesforce(
  deps: SyncNotificationsDeps,
  siteId: string,
  settings: Settings,
  works: Work[],
  endWork: (work: Work, ended: Ended) => void,
  now: Date,
): Promise<void> {
  const contacts = settings.contactToPerson.enabled;
  let data: AccountsAndContacts;
  try {
    const reader = await deps.salesforce.forSite(siteId);
    data = await reader.fetchAccountsAndPrimaryContacts({
      accountIds: [...new Set(works.flatMap((w) => (w.accountId ? [w.accountId] : [])))],
      accountFields: salesforceFieldsFor('account', settings),
      opportunityIds: contacts ? works.map((w) => w.opportunityId) : [],
      contactFields: salesforceFieldsFor('contact', settings),
    });
  } catch (error) {
    await deferOnFailure(deps, siteId, works, error, endWork, now);
    return;
  }

  // Companies, one per account however many opportunities share it.
  const storedCompanies = await deps.companies.getMany(
    siteId,
    works.flatMap((w) => (w.accountId ? [companyIdFor(w.accountId)] : [])),
  );
  const companyFailures = new Map<string, Ended>();
  const companyIds = new Map<string, string>();
  for (const accountId of new Set(works.flatMap((w) => (w.accountId ? [w.accountId] : [])))) {
    const account = data.accounts.get(accountId);
    if (!account) {
      companyFailures.set(accountId, {
        outcome: 'failed',
        errorCode: 'ENTITY_IS_DELETED',
        reason: `the opportunity's account ${accountId} is deleted or not visible to the connected user`,
      });
      continue;
    }
    const mapped = mapFields('account', settings, account);
    if (mapped.issues.length > 0) {
      companyFailures.set(accountId, { outcome: 'failed', reason: issueText('Account', mapped) });
      continue;
    }
    try {
      const { companyId } = await upsertCompany(deps, {
        siteId,
        accountId,
        accountModstamp: account.SystemModstamp ?? null,
        mapped,
        existing: storedCompanies.get(companyIdFor(accountId)),
        now,
      });
      companyIds.set(accountId, companyId);
    } catch (error) {
      deps.logger.warn('Writing a company failed', { siteId, accountId, error });
      companyFailures.set(accountId, {
        outcome: 'failed',
        keep: true,
        reason: `storing the company failed: ${text(error)}`,
      });
    }
  }
  for (const work of works) {
    if (!work.accountId) {
      work.companyId = null;
      continue;
    }
    const failure = companyFailures.get(work.accountId);
    if (failure) endWork(work, failure);
    else work.companyId = companyIds.get(work.accountId) ?? null;
  }

  // Persons, from each opportunity's primary contact.
  if (contacts) {
    const pending = works.filter((w) => !w.done);
    const storedPersons = await deps.persons.getMany(
      siteId,
      pending.flatMap((w) => {
        const contact = data.opportunities?.get(w.opportunityId)?.primaryContact;
        return contact ? [personIdFor(contact.Id)] : [];
      }),
    );
    const personByContact = new Map<string, Promise<string>>();
    await Promise.all(
      pending.map(async (work) => {
        const opportunity = data.opportunities?.get(work.opportunityId);
        if (!opportunity) {
          endWork(work, {
            outcome: 'failed',
            errorCode: 'ENTITY_IS_DELETED',
            reason: 'the opportunity is deleted or not visible to the connected user',
          });
          return;
        }
        const contact = opportunity.primaryContact;
        if (!contact) {
          work.personId = null;
          return;
        }
        const mapped = mapFields('contact', settings, contact);
        if (mapped.issues.length > 0) {
          endWork(work, { outcome: 'failed', reason: issueText('Contact', mapped) });
          return;
        }
        let upsert = personByContact.get(contact.Id);
        if (!upsert) {
          upsert = upsertPerson(deps, {
            siteId,
            contactId: contact.Id,
            contactModstamp: contact.SystemModstamp ?? null,
            mapped,
            companyId:
              contact.AccountId && isSalesforceId(contact.AccountId) ? companyIdFor(contact.AccountId) : null,
            existing: storedPersons.get(personIdFor(contact.Id)),
            now,
          }).then((r) => r.personId);
          personByContact.set(contact.Id, upsert);
        }
        try {
          work.personId = await upsert;
        } catch (error) {
          deps.logger.warn('Writing a person failed', { siteId, contactId: contact.Id, error });
          endWork(work, {
            outcome: 'failed',
            keep: true,
            reason: `storing the person failed: ${text(error)}`,
          });
        }
      }),
    );
  }

  // Quotes last: their SystemModstamp is what marks a notification as applied.
  await Promise.all(
    works
      .filter((w) => !w.done)
      .map(async (work) => {
        const mapped = mapFields('opportunity', settings, work.message.fields);
        if (mapped.issues.length > 0) {
          endWork(work, { outcome: 'failed', reason: issueText('Opportunity', mapped) });
          return;
        }
        const { core, custom } = mapped;
        try {
          const { quoteId, outcome } = await upsertQuote(deps, {
            siteId,
            existing: work.existing,
            ownerUserId: settings.ownerUserId,
            now,
            fields: {
              title: core.title ?? `Opportunity ${work.opportunityId}`,
              description: core.description ?? null,
              currency: core.currency ?? null,
              opportunityAmount: core.opportunityAmount ?? null,
              closeDate: core.closeDate ?? null,
              companyId: work.companyId ?? null,
              personId: contacts ? (work.personId ?? null) : (work.existing?.personId ?? null),
              customFields: custom,
            },
            link: {
              id: work.opportunityId,
              opportunityId: work.opportunityId,
              accountId: work.accountId,
              systemModstamp: work.modstamp,
              lastSyncedAt: now.toISOString(),
              notificationId: work.message.notificationId,
            },
          });
          endWork(work, {
            outcome,
            quoteId,
            ...(outcome === 'unchanged'
              ? { reason: 'a newer or equal SystemModstamp was stored meanwhile' }
              : {}),
          });
        } catch (error) {
          deps.logger.warn('Writing a quote failed', { siteId, opportunityId: work.opportunityId, error });
          endWork(work, {
            outcome: 'failed',
            keep: true,
            reason: `storing the quote failed: ${text(error)}`,
          });
        }
      }),
  );
}

/** What a failed Salesforce read means for the notifications that needed it. */
async function deferOnFailure(
  deps: SyncNotificationsDeps,
  siteId: string,
  works: Work[],
  error: unknown,
  endWork: (work: Work, ended: Ended) => void,
  now: Date,
): Promise<void> {
  const kind = classifySalesforceFailure(error);
  const reason = text(error);
  const errorCode = (error as { errorCode?: unknown }).errorCode;
  const code = typeof errorCode === 'string' ? { errorCode } : {};
  deps.logger.warn('Reading from Salesforce failed', { siteId, kind, error });
  const { policy } = deps;

  if (kind === 'transient') {
    for (const work of works) endWork(work, { outcome: 'failed', keep: true, reason, ...code });
    return;
  }
  if (kind === 'permanent') {
    for (const work of works) endWork(work, { outcome: 'failed', reason, ...code });
    return;
  }

  if (kind === 'rate-limited') {
    // Held back by visibility while the receive count is low; after that, a fresh copy, so the
    // limit (a rolling 24 hours) can last longer than maxReceiveCount receives allow.
    const hold = works.filter((w) => w.received.receiveCount < policy.holdBackReceives);
    const seconds = (w: Work) => policy.rateLimitBackoffSeconds * 2 ** (w.received.receiveCount - 1);
    const notHeld = new Set(
      await deps.retries.holdBack(
        hold.map((w) => ({ receiptHandle: w.received.receiptHandle, visibilitySeconds: seconds(w) })),
      ),
    );
    for (const work of hold) {
      endWork(work, {
        outcome: 'failed',
        keep: true,
        ...code,
        reason: notHeld.has(work.received.receiptHandle)
          ? `${reason}; SQS retries it after its visibility timeout`
          : `${reason}; tried again in ${seconds(work)} s`,
      });
    }
    await requeue(
      deps,
      works.filter((w) => !w.done),
      reason,
      code,
      endWork,
    );
    return;
  }

  // Reconnect needed: the refresh token is refused. Mark the site (the admin sees it), and keep
  // the notifications circulating as delayed copies: each copy starts a new receive count and
  // retention period, so none reaches the DLQ or expires while the site waits for its admin.
  if (!(error instanceof ReconnectNeededError)) {
    await deps.connections.markReconnectNeeded(siteId, `Salesforce refused the refresh token: ${reason}`);
  }
  const expired = works.filter(
    (w) => now.getTime() - Date.parse(w.message.receivedAt) > policy.maxReconnectWaitMs,
  );
  for (const work of expired) {
    endWork(work, {
      outcome: 'failed',
      reason: `given up after waiting ${Math.round(policy.maxReconnectWaitMs / 3_600_000)} h for the site to be reconnected to Salesforce`,
    });
  }
  await requeue(
    deps,
    works.filter((w) => !w.done),
    `the site must be reconnected to Salesforce: ${reason}`,
    code,
    endWork,
  );
}

async function requeue(
  deps: SyncNotificationsDeps,
  works: Work[],
  reason: string,
  code: { errorCode?: string },
  endWork: (work: Work, ended: Ended) => void,
): Promise<void> {
  if (works.length === 0) return;
  const delay = deps.policy.requeueDelaySeconds;
  try {
    await deps.retries.requeue(works.map((w) => ({ message: w.message, delaySeconds: delay })));
    for (const work of works) {
      endWork(work, {
        outcome: 'failed',
        retrying: true,
        ...code,
        reason: `${reason}; queued again, due in ${delay} s`,
      });
    }
  } catch (error) {
    deps.logger.warn('Queueing notifications again failed; they stay on the queue', { error });
    for (const work of works) endWork(work, { outcome: 'failed', keep: true, ...code, reason });
  }
}

/**
 * Contacts queued by "Synchronize now" with Opportunity→Quote off: each becomes a person (the
 * one linked to the contact, else one with its e-mail, else a new one), linked to the
 * account's company when that company is already known. The notification carries the contact's
 * own fields, so no Salesforce call is needed. In the sync log, the contact's id stands where
 * an opportunity's would.
 */
async function syncContacts(
  deps: SyncNotificationsDeps,
  siteId: string,
  settings: Settings,
  items: ReadonlyArray<{ received: ReceivedMessage; message: SyncMessage }>,
  end: (
    item: { received: ReceivedMessage; message: SyncMessage },
    recordId: string,
    ended: Ended,
    extra?: Partial<SyncLogEntry>,
  ) => void,
  now: Date,
): Promise<void> {
  if (!settings.contactToPerson.enabled) {
    for (const item of items) {
      end(item, toId18(item.message.recordId), {
        outcome: 'skipped',
        reason: 'Contact→Person is off in the settings',
      });
    }
    return;
  }
  const contactIds = items.map((item) => toId18(item.message.recordId));
  const accountIds = items
    .map((item) => item.message.fields.AccountId)
    .filter((id): id is string => typeof id === 'string' && isSalesforceId(id));
  const [existing, companies] = await Promise.all([
    deps.persons.getMany(siteId, contactIds.map(personIdFor)),
    deps.companies.getMany(siteId, accountIds.map(companyIdFor)),
  ]);
  for (const item of items) {
    const contactId = toId18(item.message.recordId);
    try {
      const mapped = mapFields('contact', settings, item.message.fields);
      if (mapped.issues.length > 0) {
        end(item, contactId, { outcome: 'failed', reason: issueText('Contact', mapped) });
        continue;
      }
      const accountId = item.message.fields.AccountId;
      const companyId = accountId && isSalesforceId(accountId) ? companyIdFor(accountId) : null;
      const { personId, outcome } = await upsertPerson(deps, {
        siteId,
        contactId,
        contactModstamp: item.message.fields.SystemModstamp ?? null,
        mapped,
        companyId: companyId && companies.has(companyId) ? companyId : null,
        existing: existing.get(personIdFor(contactId)),
        now,
      });
      end(item, contactId, { outcome }, { personId });
    } catch (error) {
      // SQS tries the contact again; the log says why this attempt failed.
      end(item, contactId, { outcome: 'failed', keep: true, reason: text(error) });
    }
  }
}

function noOutcomes(): Record<SyncOutcome, number> {
  return Object.fromEntries(SYNC_OUTCOMES.map((outcome) => [outcome, 0])) as Record<SyncOutcome, number>;
}

function issueText(object: string, mapped: MappedFields): string {
  return `${object} fields do not fit: ${mapped.issues.map((i) => i.message).join('; ')}`;
}

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
