import { checkItemBudget } from '../domain/item-size';
import { computeQuoteTotals } from '../domain/quote-lines';
import {
  QUOTE_STATUS_ON_CREATION,
  type Quote,
  type QuoteSalesforceLink,
  type QuoteSyncedFields,
  quoteIdFor,
  type UpsertOutcome,
} from '../domain/synced-records';
import type { QuoteNumbers, QuoteRepository } from '../ports/synced-records';

export interface UpsertQuoteInput {
  siteId: string;
  fields: QuoteSyncedFields;
  link: QuoteSalesforceLink;
  ownerUserId: string | null;
  /** The stored quote, read (consistently) before deciding to sync. */
  existing: Quote | undefined;
  now: Date;
}

/**
 * The quote for an opportunity. Created once, with status 'Scoping', the settings' owner, no
 * lines and the next number; the id derives from the opportunity id, so a retry or a concurrent
 * worker finds it taken and updates instead (the number it took is a gap, never a second quote).
 * Later syncs set only the synced fields, and only with a newer SystemModstamp than the stored one.
 */
export async function upsertQuote(
  deps: { quotes: QuoteRepository; quoteNumbers: QuoteNumbers },
  input: UpsertQuoteInput,
): Promise<{ quoteId: string; outcome: UpsertOutcome }> {
  const quoteId = quoteIdFor(input.link.opportunityId);
  const now = input.now.toISOString();
  if (!input.existing) {
    const number = await deps.quoteNumbers.next(input.siteId);
    const quote: Quote = {
      siteId: input.siteId,
      quoteId,
      number,
      ...input.fields,
      status: QUOTE_STATUS_ON_CREATION,
      ownerUserId: input.ownerUserId,
      lines: [],
      totals: input.fields.currency ? computeQuoteTotals([], input.fields.currency) : null,
      salesforce: input.link,
      createdAt: now,
      updatedAt: now,
    };
    if (await deps.quotes.create(quote)) return { quoteId, outcome: 'created' };
  }
  // The sums are in the quote's currency: once it has lines, a sync does not change it.
  const fields =
    input.existing && input.existing.lines.length > 0
      ? { ...input.fields, currency: input.existing.currency }
      : input.fields;
  if (input.existing) {
    // The item as this sync leaves it, checked before writing: DynamoDB refuses one over 400 KB.
    checkItemBudget(
      `the quote ${quoteId}`,
      {
        ...input.existing,
        ...fields,
        customFields: { ...input.existing.customFields, ...fields.customFields },
        salesforce: input.link,
      },
      { ...fields },
    );
  }
  const applied = await deps.quotes.applySync(input.siteId, quoteId, fields, input.link);
  return { quoteId, outcome: applied ? 'updated' : 'unchanged' };
}
