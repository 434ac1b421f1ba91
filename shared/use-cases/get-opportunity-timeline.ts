import type { QuoteEditState } from '../domain/quote-editing';
import { toId18 } from '../domain/salesforce-id';
import { entryIdOf, mergeTimeline, type TimelineEvent } from '../domain/sync-health';
import type { Quote } from '../domain/synced-records';
import type { SiteRepository } from '../ports/site-repository';
import type { ActivityLog, QuoteRepository, SyncHealthLog } from '../ports/synced-records';
import { requireSite } from './require-site';

/** The latest notifications and activities a timeline shows; `truncated` says when there were more. */
export const TIMELINE_LIMIT = 100;

/**
 * GET /sites/{siteId}/salesforce/opportunities/{opportunityId}/timeline: "what happened to this
 * opportunity?" Every attempt of its notifications (webhook deliveries, Synchronize now,
 * retries) with outcome and reason, its quote's creation, the edits people made and every
 * Send to Salesforce, newest first.
 */
export async function getOpportunityTimeline(
  deps: {
    sites: SiteRepository;
    syncLog: SyncHealthLog;
    quotes: QuoteRepository;
    activity: ActivityLog;
  },
  siteId: string,
  opportunityId: string,
) {
  await requireSite(deps.sites, siteId);
  const id = toId18(opportunityId);
  const [log, quotes, activities, known] = await Promise.all([
    deps.syncLog.listByOpportunity(siteId, id, { limit: TIMELINE_LIMIT }),
    deps.quotes.listByOpportunity(siteId, id, { limit: 10 }),
    deps.activity.listByOpportunity(siteId, id, TIMELINE_LIMIT),
    deps.syncLog.opportunity(siteId, id),
  ]);
  const events: TimelineEvent[] = log.items.map((entry) => ({
    at: entry.processedAt,
    kind: 'notification',
    source: entry.source,
    outcome: entry.outcome,
    ...(entry.reason ? { reason: entry.reason } : {}),
    ...(entry.errorCode ? { errorCode: entry.errorCode } : {}),
    ...(entry.retrying !== undefined ? { retrying: entry.retrying } : {}),
    ...(entry.quoteId ? { quoteId: entry.quoteId } : {}),
    entryId: entryIdOf(entry),
    notificationId: entry.notificationId,
  }));
  for (const quote of quotes.items as Array<Quote & QuoteEditState>) {
    events.push({ at: quote.createdAt, kind: 'quote-created', quoteId: quote.quoteId, number: quote.number });
    for (const send of quote.sends ?? []) {
      events.push({
        at: send.at,
        kind: 'sent',
        quoteId: quote.quoteId,
        outcome: send.outcome,
        amount: send.amount,
        message: send.message,
      });
    }
  }
  for (const activity of activities) {
    events.push({
      at: activity.at,
      kind: activity.kind,
      ...(activity.quoteId ? { quoteId: activity.quoteId } : {}),
      actor: activity.actor,
      summary: activity.summary,
    });
  }
  const name =
    known?.name ?? quotes.items[0]?.title ?? log.items.find((e) => e.opportunityName)?.opportunityName;
  return {
    opportunityId: id,
    name: name ?? null,
    quotes: quotes.items.map((quote) => ({
      quoteId: quote.quoteId,
      number: quote.number,
      title: quote.title,
      status: quote.status,
    })),
    events: mergeTimeline(events),
    truncated: log.nextToken !== undefined || activities.length >= TIMELINE_LIMIT,
  };
}
