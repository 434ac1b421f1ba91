import { NotFoundError, ValidationError } from '../domain/errors';
import { DEFAULT_CURRENCY, MAX_LINES_JSON_BYTES, type QuotePatch } from '../domain/quote-editing';
import { computeQuoteTotals, parseQuoteLinesBody } from '../domain/quote-lines';
import type { EditableQuote, QuoteEditor } from '../ports/quote-edits';
import type { UserRepository } from '../ports/site-records';

export interface EditQuoteDeps {
  quotes: QuoteEditor;
  users: UserRepository;
}

export async function requireQuote(
  quotes: QuoteEditor,
  siteId: string,
  quoteId: string,
): Promise<EditableQuote> {
  const quote = await quotes.get(siteId, quoteId);
  if (!quote) throw new NotFoundError(`Site ${siteId} has no quote ${quoteId}`);
  return quote;
}

/**
 * PUT /sites/{siteId}/quotes/{quoteId}/lines: replaces the lines and stores their totals,
 * computed in exact decimals in the quote's currency.
 */
export async function setQuoteLines(deps: EditQuoteDeps, siteId: string, quoteId: string, body: unknown) {
  const parsed = parseQuoteLinesBody(body);
  if (!parsed.success) {
    throw new ValidationError(
      `Invalid lines: ${parsed.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      parsed.issues,
    );
  }
  const { lines } = parsed.data;
  if (Buffer.byteLength(JSON.stringify(lines)) > MAX_LINES_JSON_BYTES) {
    throw new ValidationError('The lines are too long to store', [
      {
        path: 'lines',
        message: `must total at most ${MAX_LINES_JSON_BYTES / 1024} KiB of text; shorten descriptions or split the quote`,
      },
    ]);
  }
  const quote = await requireQuote(deps.quotes, siteId, quoteId);
  const currency = quote.currency ?? DEFAULT_CURRENCY;
  return deps.quotes.setLines(siteId, quoteId, lines, computeQuoteTotals(lines, currency), currency);
}

/** PATCH /sites/{siteId}/quotes/{quoteId}: status and editable fields. */
export async function patchQuote(deps: EditQuoteDeps, siteId: string, quoteId: string, patch: QuotePatch) {
  const quote = await requireQuote(deps.quotes, siteId, quoteId);
  if (patch.ownerUserId && !(await deps.users.get(siteId, patch.ownerUserId))) {
    throw new ValidationError('Unknown owner', [
      { path: 'ownerUserId', message: `no user ${patch.ownerUserId} in this site` },
    ]);
  }
  const updated = await deps.quotes.patch(siteId, quoteId, patch);
  // Rounding depends on the currency's minor unit: new currency, new totals.
  if (patch.currency && patch.currency !== quote.currency && updated.lines.length > 0) {
    return deps.quotes.setLines(
      siteId,
      quoteId,
      updated.lines,
      computeQuoteTotals(updated.lines, patch.currency),
      patch.currency,
    );
  }
  return updated;
}
