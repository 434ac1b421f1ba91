import { checkItemBudget } from '../domain/item-size';
import {
  importedProducts,
  linesFromProducts,
  type OpportunityProduct,
  productChanges,
} from '../domain/opportunity-products';
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
  /** The opportunity's products, when opportunityToQuote.importProducts is on. */
  products?: readonly OpportunityProduct[];
  now: Date;
}

/**
 * The quote for an opportunity. Created once, with status 'Scoping', the settings' owner, the
 * opportunity's products as its first lines (when they are imported) and the next number; the id derives from the opportunity id, so a retry or a concurrent
 * worker finds it taken and updates instead (the number it took is a gap, never a second quote).
 * Later syncs set only the synced fields, and only with a newer SystemModstamp than the stored one;
 * they never touch the lines, and record whether the products changed since they were imported.
 */
export async function upsertQuote(
  deps: { quotes: QuoteRepository; quoteNumbers: QuoteNumbers },
  input: UpsertQuoteInput,
): Promise<{ quoteId: string; outcome: UpsertOutcome }> {
  const quoteId = quoteIdFor(input.link.opportunityId);
  const now = input.now.toISOString();
  if (!input.existing) {
    const number = await deps.quoteNumbers.next(input.siteId);
    const { lines, imported } = linesFromProducts(input.products ?? []);
    const quote: Quote = {
      siteId: input.siteId,
      quoteId,
      number,
      ...input.fields,
      status: QUOTE_STATUS_ON_CREATION,
      ownerUserId: input.ownerUserId,
      lines,
      totals: input.fields.currency ? computeQuoteTotals(lines, input.fields.currency) : null,
      ...(input.products ? { importedProducts: importedProducts(imported, now) } : {}),
      salesforce: input.link,
      createdAt: now,
      updatedAt: now,
    };
    if (await deps.quotes.create(quote)) return { quoteId, outcome: 'created' };
  }
  // The sums are in the quote's currency: once it has lines, a sync does not change it.
  const base =
    input.existing && input.existing.lines.length > 0
      ? { ...input.fields, currency: input.existing.currency }
      : input.fields;
  const fields = input.products
    ? { ...base, productsChanged: productChanges(input.existing?.importedProducts, input.products, now) }
    : base;
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
