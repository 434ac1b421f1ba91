import { NotFoundError } from '../domain/errors';
import type { SiteRepository } from '../ports/site-repository';
import type { QuoteRepository } from '../ports/synced-records';
import { requireSite } from './require-site';

/** GET /sites/{siteId}/quotes/{quoteId}. */
export async function getQuote(
  deps: { sites: SiteRepository; quotes: QuoteRepository },
  siteId: string,
  quoteId: string,
) {
  await requireSite(deps.sites, siteId);
  const quote = await deps.quotes.get(siteId, quoteId);
  if (!quote) throw new NotFoundError(`Site ${siteId} has no quote ${quoteId}`);
  return quote;
}
