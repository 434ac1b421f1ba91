import { againstStoredQuote } from '../../domain/sync-decision';
import { quoteIdFor } from '../../domain/synced-records';
import type { QuoteRepository } from '../../ports/synced-records';
import { type Finished, finish } from './attempts';
import type { OpportunityItem } from './write-synced-records';

/**
 * The freshness stage: one consistent read of the stored quotes; a duplicate or stale
 * notification ends here, before any Salesforce call, and the rest carry their stored quote on.
 */
export async function checkFreshness(
  deps: { quotes: Pick<QuoteRepository, 'getMany'>; now: () => Date },
  siteId: string,
  items: ReadonlyArray<Omit<OpportunityItem, 'existing'>>,
): Promise<{ finished: Finished[]; fresh: OpportunityItem[] }> {
  if (items.length === 0) return { finished: [], fresh: [] };
  const stored = await deps.quotes.getMany(
    siteId,
    items.map((item) => quoteIdFor(item.candidate.opportunityId)),
  );
  const finished: Finished[] = [];
  const fresh: OpportunityItem[] = [];
  for (const item of items) {
    const existing = stored.get(quoteIdFor(item.candidate.opportunityId));
    const ending = againstStoredQuote(item.candidate, item.message.notificationId, existing);
    if (ending) finished.push(finish(item, ending, deps.now, item.candidate.modstamp));
    else fresh.push({ ...item, existing });
  }
  return { finished, fresh };
}
