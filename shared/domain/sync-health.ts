import { ValidationError } from './errors';
import { isSalesforceId, toId18 } from './salesforce-id';
import type { SyncLogEntry, SyncOutcome } from './synced-records';

/**
 * Sync health: what the sync log tells an admin. Entries are addressed by an `entryId` (the
 * opportunity, time and attempt that key them), failures are grouped by what went wrong, a
 * record is found by its id or the start of its name, and one opportunity's story is told as
 * a timeline of deliveries, runs, retries, edits and sends.
 */

/** The entry's key within its site, as an opaque id for URLs. */
export function entryIdOf(
  entry: Pick<SyncLogEntry, 'opportunityId' | 'processedAt' | 'notificationId' | 'messageId'>,
) {
  const opportunity = isSalesforceId(entry.opportunityId) ? toId18(entry.opportunityId) : 'NOT-AN-ID';
  const attempt = `${entry.notificationId}${entry.messageId ? `#${entry.messageId}` : ''}`;
  return Buffer.from(`${opportunity}#${entry.processedAt}#${attempt}`, 'utf8').toString('base64url');
}

/** The sort-key tail an entry id stands for; a 400 naming `entryId` when it is none of ours. */
export function entryKeyOf(entryId: string): string {
  const key = Buffer.from(entryId, 'base64url').toString('utf8');
  if (!/^(?:[A-Za-z0-9]{18}|NOT-AN-ID)#\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\x21-\x7e]+$/.test(key))
    throw new ValidationError('Invalid entryId', [
      { path: 'entryId', message: 'is not the id of a sync log entry' },
    ]);
  return key;
}

/**
 * How a name is matched: case- and accent-insensitive, spaces folded, so "Łódź Renewal" is found
 * by "łódź re" or "lodz re" and "Acme  Café" by "acme cafe".
 */
const FOLDED: Readonly<Record<string, string>> = {
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ħ: 'h',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
};

export function searchableName(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      // Letters with a stroke or ligatures have no decomposition: "Łódź" is found by "lodz" too.
      .replace(/[łøđħıßæœþ]/g, (c) => FOLDED[c] ?? c)
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200)
  );
}

/** A time range of the log, both ends as canonical ISO timestamps (UTC, milliseconds). */
export interface LogRange {
  from?: string;
  to?: string;
}

export interface LogFilter extends LogRange {
  outcome?: SyncOutcome;
}

/** Failures of one kind: Salesforce's error code when it gave one, else the reason itself. */
export interface FailureGroup {
  key: string;
  errorCode?: string;
  /** The reason of the latest failure of the group, as the admin reads it. */
  reason: string;
  /** Failed attempts. */
  count: number;
  /** Distinct opportunities among them. */
  opportunities: number;
  /** Attempts after which the notification was kept and tried again automatically. */
  retrying: number;
  firstAt: string;
  lastAt: string;
  /** The latest failed attempts of the group (up to five), to open or retry. */
  latest: SyncLogEntry[];
}

const reasonKey = (entry: SyncLogEntry) => entry.errorCode ?? entry.reason ?? 'No reason recorded';

/** Groups failed attempts, the largest group first (then the most recent). */
export function groupFailures(entries: readonly SyncLogEntry[]): FailureGroup[] {
  const groups = new Map<string, { entries: SyncLogEntry[]; opportunities: Set<string> }>();
  for (const entry of entries) {
    if (entry.outcome !== 'failed') continue;
    const key = reasonKey(entry);
    const group = groups.get(key) ?? { entries: [], opportunities: new Set<string>() };
    group.entries.push(entry);
    group.opportunities.add(entry.opportunityId);
    groups.set(key, group);
  }
  return [...groups]
    .map(([key, { entries: members, opportunities }]): FailureGroup => {
      const sorted = [...members].sort((a, b) => (a.processedAt < b.processedAt ? 1 : -1));
      const newest = sorted[0] as SyncLogEntry;
      return {
        key,
        ...(newest.errorCode ? { errorCode: newest.errorCode } : {}),
        reason: newest.reason ?? newest.errorCode ?? 'No reason recorded',
        count: members.length,
        opportunities: opportunities.size,
        retrying: members.filter((entry) => entry.retrying).length,
        firstAt: (sorted.at(-1) as SyncLogEntry).processedAt,
        lastAt: newest.processedAt,
        latest: sorted.slice(0, 5),
      };
    })
    .sort((a, b) => b.count - a.count || (a.lastAt < b.lastAt ? 1 : -1));
}

/** Salesforce's key prefixes of the records a notification can carry. */
export function retryableObjectOf(recordId: string): 'Opportunity' | 'Contact' | undefined {
  if (!isSalesforceId(recordId)) return undefined;
  if (recordId.startsWith('006')) return 'Opportunity';
  if (recordId.startsWith('003')) return 'Contact';
  return undefined;
}

/** Something that happened to an opportunity, for its timeline. */
export type TimelineEvent =
  | {
      at: string;
      kind: 'notification';
      source: string;
      outcome: SyncOutcome;
      reason?: string;
      errorCode?: string;
      retrying?: boolean;
      quoteId?: string;
      entryId: string;
      notificationId: string;
    }
  | { at: string; kind: 'quote-created'; quoteId: string; number: number }
  | {
      at: string;
      kind: 'sent';
      quoteId: string;
      outcome: string;
      amount: string;
      message: string;
    }
  | { at: string; kind: ActivityKind; quoteId?: string; actor: string; summary: string };

/** What people did, as recorded in the activity log. */
export const ACTIVITY_KINDS = [
  'lines-edited',
  'quote-edited',
  'notification-retried',
  'project-created',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface Activity {
  siteId: string;
  /** 18 characters. */
  opportunityId: string;
  at: string;
  kind: ActivityKind;
  quoteId?: string;
  /** Who: a name (or e-mail address) and the subject. */
  actor: string;
  actorSubject: string;
  summary: string;
}

/** Newest first; ties keep their order. */
export function mergeTimeline(events: readonly TimelineEvent[]): TimelineEvent[] {
  return [...events].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}
