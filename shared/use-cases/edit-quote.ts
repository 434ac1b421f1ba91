import type { Identity } from '../domain/access';
import { NotFoundError, ValidationError } from '../domain/errors';
import { checkItemBudget } from '../domain/item-size';
import { DEFAULT_CURRENCY, MAX_LINES_JSON_BYTES, type QuotePatch } from '../domain/quote-editing';
import { computeQuoteTotals, parseQuoteLinesBody } from '../domain/quote-lines';
import type { EditableQuote, QuoteEditor } from '../ports/quote-edits';
import type { UserRepository } from '../ports/site-records';
import type { ActivityLog } from '../ports/synced-records';

export interface EditQuoteDeps {
  quotes: QuoteEditor;
  users: UserRepository;
  /** Each edit goes on the opportunity's timeline, with who made it. */
  activity: ActivityLog;
  now: () => Date;
}

/** Who edits: what the timeline shows. */
export type Editor = Pick<Identity, 'name' | 'subject'>;

async function recordEdit(
  deps: EditQuoteDeps,
  quote: EditableQuote,
  editor: Editor,
  kind: 'lines-edited' | 'quote-edited',
  summary: string,
) {
  await deps.activity.record({
    siteId: quote.siteId,
    opportunityId: quote.salesforce.opportunityId,
    at: deps.now().toISOString(),
    kind,
    quoteId: quote.quoteId,
    actor: editor.name,
    actorSubject: editor.subject,
    summary,
  });
}

/**
 * The quote's item as the edit leaves it, checked before writing (DynamoDB refuses an item over
 * 400 KB): a 400 naming the largest field. Sends are items of their own and do not count.
 */
function checkQuoteBudget(quote: EditableQuote, change: Record<string, unknown>) {
  const { sends: _sends, ...item } = { ...quote, ...change };
  checkItemBudget(`the quote ${quote.quoteId}`, item, change);
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
export async function setQuoteLines(
  deps: EditQuoteDeps,
  siteId: string,
  quoteId: string,
  body: unknown,
  editor: Editor,
) {
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
  const totals = computeQuoteTotals(lines, currency);
  checkQuoteBudget(quote, { lines, totals, currency });
  const updated = await deps.quotes.setLines(siteId, quoteId, lines, totals, currency);
  await recordEdit(
    deps,
    updated,
    editor,
    'lines-edited',
    `Set ${lines.length} line${lines.length === 1 ? '' : 's'}, total ${totals.total} ${currency}`,
  );
  return updated;
}

/** PATCH /sites/{siteId}/quotes/{quoteId}: status and editable fields. */
export async function patchQuote(
  deps: EditQuoteDeps,
  siteId: string,
  quoteId: string,
  patch: QuotePatch,
  editor: Editor,
) {
  const quote = await requireQuote(deps.quotes, siteId, quoteId);
  if (patch.ownerUserId && !(await deps.users.get(siteId, patch.ownerUserId))) {
    throw new ValidationError('Unknown owner', [
      { path: 'ownerUserId', message: `no user ${patch.ownerUserId} in this site` },
    ]);
  }
  checkQuoteBudget(quote, patch);
  const patched = await deps.quotes.patch(siteId, quoteId, patch);
  // Rounding depends on the currency's minor unit: new currency, new totals.
  const updated =
    patch.currency && patch.currency !== quote.currency && patched.lines.length > 0
      ? await deps.quotes.setLines(
          siteId,
          quoteId,
          patched.lines,
          computeQuoteTotals(patched.lines, patch.currency),
          patch.currency,
        )
      : patched;
  const changed = Object.keys(patch).filter((key) => key !== 'status');
  const parts = [
    ...(patch.status && patch.status !== quote.status ? [`status ${quote.status} → ${patch.status}`] : []),
    ...(changed.length > 0 ? [changed.join(', ')] : []),
  ];
  if (parts.length > 0)
    await recordEdit(deps, updated, editor, 'quote-edited', `Changed ${parts.join('; ')}`);
  return updated;
}
