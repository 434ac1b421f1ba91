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

/** What the seller's logo is: enough to lay it out and to tell one logo from another. */
export interface QuoteDocumentLogoInfo {
  contentType: 'image/png' | 'image/jpeg';
  /** Pixels. */
  width: number;
  height: number;
  /** SHA-256 of the file (hex): the fingerprint carries it in place of the bytes. */
  sha256: string;
}

/** The seller's logo as printed: the file as uploaded (an intact PNG or JPEG, see site-logo.ts). */
export interface QuoteDocumentLogo extends QuoteDocumentLogoInfo {
  bytes: Uint8Array;
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
  /** Printed at the top of the first page, scaled to fit the header. */
  logo?: QuoteDocumentLogo;
  company?: { name: string; addressLines: string[] };
  /** The contact person at the customer. */
  person?: QuoteDocumentParty;
  owner?: QuoteDocumentParty;
  lines: QuoteLine[];
  /** `computeQuoteTotals(lines, currency)`: `totals.lines[i]` belongs to `lines[i]`. */
  totals: QuoteTotals;
}

/** A document as its fingerprint sees it: the logo by what it is, without its bytes. */
export type QuoteDocumentSummary = Omit<QuoteDocument, 'logo'> & { logo?: QuoteDocumentLogoInfo };
