import type { QuoteLine, QuoteTotals } from './quote-lines';

/** Someone named on the quote: the contact person at the customer, or our owner of the quote. */
export interface QuoteDocumentParty {
  name: string;
  /** Job title. */
  title?: string;
  email?: string;
  phone?: string;
}

/** The seller: the site's profile, as printed in the header and the footer of every page. */
export interface QuoteDocumentSeller {
  name?: string;
  addressLines: string[];
  registrationNumber?: string;
  vatNumber?: string;
  email?: string;
  phone?: string;
  website?: string;
}

/**
 * Everything a quote document shows, already resolved to plain values: the renderer does no
 * look-ups and no arithmetic, so what is printed is exactly what the API computed and stored.
 */
export interface QuoteDocument {
  /** The quote number shown to the customer. */
  number: number;
  title: string;
  /** Issue date, yyyy-mm-dd; also the PDF's creation date, so output is reproducible. */
  issuedOn: string;
  /** ISO 4217 code, e.g. "EUR". */
  currency: string;
  /** The quote is valid until this date (yyyy-mm-dd). */
  validUntil?: string;
  /** The opportunity's description, printed under the title. */
  description?: string;
  paymentTerms?: string;
  seller?: QuoteDocumentSeller;
  company?: { name: string; addressLines: string[] };
  /** The contact person at the customer. */
  person?: QuoteDocumentParty;
  owner?: QuoteDocumentParty;
  lines: QuoteLine[];
  /** `computeQuoteTotals(lines, currency)`: `totals.lines[i]` belongs to `lines[i]`. */
  totals: QuoteTotals;
}
