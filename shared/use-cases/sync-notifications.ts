import type { DeferralPolicy } from '../domain/deferral';
import { DEFAULT_SETTINGS, type Settings } from '../domain/settings';
import { decideNotification, newestPerOpportunity, type OpportunityCandidate } from '../domain/sync-decision';
import { readSyncMessage } from '../domain/sync-message';
import { SYNC_OUTCOMES, type SyncOutcome } from '../domain/synced-records';
import type { Logger } from '../ports/logger';
import type { SalesforceRecordReaders } from '../ports/salesforce';
import type { ConnectionRepository, SettingsRepository } from '../ports/site-records';
import type { DeadLetters, SyncRetries } from '../ports/sync-queue';
import type { SyncRunRepository } from '../ports/sync-runs';
import type {
  CompanyRepository,
  PersonRepository,
  QuoteNumbers,
  QuoteRepository,
  SyncLog,
} from '../ports/synced-records';
import { errorText, type Finished, finish, type Pending, type ReceivedMessage } from './sync-stages/attempts';
import { type ApiBudgetDeps, checkApiBudget } from './sync-stages/check-api-budget';
import { checkFreshness } from './sync-stages/check-freshness';
import { deadLetterLastAttempts } from './sync-stages/dead-letter-last-attempts';
import { type Deferral, deferNotifications, storeFailure } from './sync-stages/defer-notifications';
import { fetchSyncSources } from './sync-stages/fetch-sync-sources';
import { recordOutcomes } from './sync-stages/record-outcomes';
import { type ContactItem, syncContacts } from './sync-stages/sync-contacts';
import { writeSyncedRecords } from './sync-stages/write-synced-records';

export type { ReceivedMessage } from './sync-stages/attempts';

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
  policy: DeferralPolicy;
  /** The site's API budget: above it, notifications are held instead of read. */
  apiBudget?: ApiBudgetDeps['apiBudget'];
  /** Synchronize-now runs, whose counts each notification's final outcome adds to. */
  runs?: Pick<SyncRunRepository, 'add'>;
  now: () => Date;
  /** In [0, 1): the jitter of deferrals. Default Math.random. */
  random?: () => number;
  /**
   * The sync queue's DLQ and its redrive's maxReceiveCount: a message on its last receive that
   * would be left for SQS to deliver again is moved there with its reason. Without it, SQS's
   * redrive moves it, and the reason is only in the sync log.
   */
  deadLetters?: { queue: DeadLetters; maxReceiveCount: number };
}

export interface SyncBatchResult {
  /** Messages to leave on the queue (SQS delivers them again); every other one is done. */
  failedMessageIds: string[];
  outcomes: Record<SyncOutcome, number>;
}

/**
 * Turns a batch of queued notifications into companies, persons and quotes, site by site:
 *
 *   decide (pure: type, id, SystemModstamp, settings) → newest per opportunity →
 *   freshness (stored quote) → budget (the org's API usage against the site's share) →
 *   fetch (accounts and contacts, ≤ 2 Salesforce calls) →
 *   write (company → person → quote) | defer (one schedule for every retryable cause) →
 *   log (every attempt, then the runs' counts)
 *
 * Each stage ends some notifications and passes the rest on, so every notification ends once,
 * with its own outcome and log entry, whatever happens to its neighbours.
 */
export async function syncNotifications(
  deps: SyncNotificationsDeps,
  messages: readonly ReceivedMessage[],
): Promise<SyncBatchResult> {
  const unreadable: Finished[] = [];
  const bySite = new Map<string, Pending[]>();
  for (const received of messages) {
    const message = readSyncMessage(received.body);
    if (!message) {
      unreadable.push(unreadableMessage(deps, received));
      continue;
    }
    bySite.set(message.siteId, [...(bySite.get(message.siteId) ?? []), { received, message }]);
  }
  const [letters, ...sites] = await Promise.all([
    deadLetter(deps, unreadable),
    ...[...bySite].map(([siteId, items]) => syncSite(deps, siteId, items)),
  ]);
  await deps.salesforce.settle();
  return tally([...(letters ?? []), ...sites.flat()]);
}

function deadLetter(deps: SyncNotificationsDeps, finished: readonly Finished[]): Promise<Finished[]> {
  const { deadLetters } = deps;
  return deadLetterLastAttempts(
    {
      logger: deps.logger,
      maxReceiveCount: deadLetters?.maxReceiveCount ?? Number.POSITIVE_INFINITY,
      ...(deadLetters ? { deadLetters: deadLetters.queue } : {}),
    },
    finished,
  );
}

/**
 * A body that is no sync message: left on the queue (a newer worker may read it), so it reaches
 * the DLQ on its last receive, with this reason.
 */
function unreadableMessage(deps: SyncNotificationsDeps, received: ReceivedMessage): Finished {
  deps.logger.error('Unreadable sync message; it stays on the queue until the DLQ takes it', {
    messageId: received.messageId,
    receiveCount: received.receiveCount,
  });
  return {
    received,
    ending: { outcome: 'failed', disposition: 'retry', reason: 'the body is not a sync message' },
    processedAt: deps.now().toISOString(),
  };
}

async function syncSite(deps: SyncNotificationsDeps, siteId: string, items: Pending[]): Promise<Finished[]> {
  const finished: Finished[] = [];
  try {
    await runStages(deps, siteId, items, finished);
  } catch (error) {
    // Only a site-wide read can land here (the settings): every notification of the site not
    // yet ended is kept, with its own entry saying why.
    deps.logger.error('Syncing a site failed; its messages stay on the queue', { siteId, error });
    const done = new Set(finished.map((f) => f.received.messageId));
    for (const item of items) {
      if (done.has(item.received.messageId)) continue;
      const reason = `syncing the site failed: ${errorText(error)}`;
      finished.push(finish(item, { outcome: 'failed', disposition: 'retry', reason }, deps.now));
    }
  }
  const recorded = await recordOutcomes(deps, siteId, await deadLetter(deps, finished));
  const { outcomes, failedMessageIds } = tally(recorded);
  deps.logger.info('Synced notifications', { siteId, ...outcomes, kept: failedMessageIds.length });
  return recorded;
}

/** The stages, in order; each ended notification is added to `finished` as soon as it ends. */
async function runStages(
  deps: SyncNotificationsDeps,
  siteId: string,
  items: readonly Pending[],
  finished: Finished[],
): Promise<void> {
  const settings: Settings = (await deps.settings.get(siteId))?.settings ?? DEFAULT_SETTINGS;
  const opportunities: Array<Pending & { candidate: OpportunityCandidate }> = [];
  const contacts: ContactItem[] = [];
  for (const item of items) {
    const decision = decideNotification(item.message, settings);
    if (decision.kind === 'end') finished.push(finish(item, decision.ending, deps.now));
    else if (decision.kind === 'contact') contacts.push({ ...item, candidate: decision });
    else opportunities.push({ ...item, candidate: decision });
  }

  const { newest, superseded } = newestPerOpportunity(opportunities);
  for (const { item, ending } of superseded)
    finished.push(finish(item, ending, deps.now, item.candidate.modstamp));

  const deferrals: Deferral[] = [];
  const fresh = await checkFreshness(deps, siteId, newest).catch((error: unknown) => {
    deferrals.push(
      ...newest.map((item) => ({ item, reason: storeFailure('reading the stored quotes', error) })),
    );
    return { finished: [], fresh: [] };
  });
  finished.push(...fresh.finished);

  const overBudget =
    fresh.fresh.length > 0 && deps.apiBudget
      ? await checkApiBudget({ ...deps, apiBudget: deps.apiBudget }, siteId, settings)
      : undefined;
  if (overBudget) {
    deferrals.push(...fresh.fresh.map((item) => ({ item, reason: overBudget })));
  } else if (fresh.fresh.length > 0) {
    const fetched = await fetchSyncSources(
      deps,
      siteId,
      settings,
      fresh.fresh.map((i) => i.candidate),
    );
    if (fetched.kind === 'fetched') {
      const written = await writeSyncedRecords(deps, {
        siteId,
        settings,
        items: fresh.fresh,
        data: fetched.data,
      });
      finished.push(...written.finished);
      deferrals.push(...written.deferred);
    } else if (fetched.kind === 'deferred') {
      deferrals.push(...fresh.fresh.map((item) => ({ item, reason: fetched.reason })));
    } else {
      for (const item of fresh.fresh)
        finished.push(finish(item, fetched.ending, deps.now, item.candidate.modstamp));
    }
  }

  const fromContacts = await syncContacts(deps, siteId, settings, contacts);
  finished.push(...fromContacts.finished);
  deferrals.push(...fromContacts.deferred);

  finished.push(...(await deferNotifications({ ...deps, random: deps.random ?? Math.random }, deferrals)));
}

function tally(finished: readonly Finished[]): SyncBatchResult {
  const outcomes = Object.fromEntries(SYNC_OUTCOMES.map((o) => [o, 0])) as Record<SyncOutcome, number>;
  const failedMessageIds = new Set<string>();
  for (const f of finished) {
    outcomes[f.ending.outcome]++;
    if (f.ending.disposition === 'retry') failedMessageIds.add(f.received.messageId);
  }
  return { failedMessageIds: [...failedMessageIds], outcomes };
}
