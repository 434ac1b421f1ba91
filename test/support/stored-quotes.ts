import { DynamoDbQuoteEditor } from '../../shared/adapters/dynamodb/dynamodb-quote-editor';
import { DynamoDbQuoteRepository } from '../../shared/adapters/dynamodb/dynamodb-synced-records';
import { computeQuoteTotals, type QuoteLineInput, quoteLineSchema } from '../../shared/domain/quote-lines';
import type { Quote } from '../../shared/domain/synced-records';
import { documents } from './aws';

/**
 * A quote as a sync would have created it: Scoping, in EUR, of opportunity 006000000000001AAA,
 * with no company, person, owner or lines; `quote` names what differs.
 */
export function syncedQuote(
  quote: Pick<Quote, 'siteId' | 'quoteId' | 'number' | 'title'> & Partial<Quote>,
): Quote {
  const now = '2026-03-01T10:00:00.000Z';
  return {
    description: null,
    status: 'Scoping',
    companyId: null,
    personId: null,
    ownerUserId: null,
    currency: 'EUR',
    opportunityAmount: null,
    closeDate: null,
    lines: [],
    totals: null,
    customFields: {},
    salesforce: {
      id: '006000000000001AAA',
      opportunityId: '006000000000001AAA',
      accountId: null,
      notificationId: 'n-1',
      systemModstamp: now,
      lastSyncedAt: now,
    },
    createdAt: now,
    updatedAt: now,
    ...quote,
  };
}

/** Stores a Draft quote (syncedQuote's, of a company and person if given) with the given lines and their totals. */
export async function storeDraftQuote(
  tableName: string,
  quote: Pick<Quote, 'siteId' | 'quoteId' | 'number' | 'title'> &
    Partial<Pick<Quote, 'companyId' | 'personId'>>,
  lineInputs: QuoteLineInput[],
): Promise<void> {
  await new DynamoDbQuoteRepository(documents, tableName).create(syncedQuote({ status: 'Draft', ...quote }));
  const lines = lineInputs.map((input) => quoteLineSchema.parse(input));
  await new DynamoDbQuoteEditor(documents, tableName).setLines(
    quote.siteId,
    quote.quoteId,
    lines,
    computeQuoteTotals(lines, 'EUR'),
    'EUR',
  );
}
