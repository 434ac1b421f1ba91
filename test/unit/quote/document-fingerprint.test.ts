import { createHash } from 'node:crypto';
import type { QuoteDocument } from '../../../shared/domain/quote-document';
import { documentFingerprint } from '../../../shared/domain/quote-editing';
import { computeQuoteTotals, quoteLineSchema } from '../../../shared/domain/quote-lines';

/** The fingerprint decides whether a quote's PDF is rendered as a new version. */
const lines = [quoteLineSchema.parse({ name: 'Design', quantity: 1, unitPrice: 100 })];
const document: QuoteDocument = {
  number: 7,
  title: 'Website relaunch',
  issuedOn: '2026-03-01',
  currency: 'EUR',
  seller: { name: 'Nordlicht Consulting OÜ', addressLines: [] },
  lines,
  totals: computeQuoteTotals(lines, 'EUR'),
};
const logo = { contentType: 'image/png', width: 720, height: 200, sha256: 'a'.repeat(64) } as const;

describe('documentFingerprint', () => {
  it('is what it was before logos existed for a document without one, so stored PDFs stay current', () => {
    expect(documentFingerprint(document)).toBe(
      createHash('sha256').update(JSON.stringify(document)).digest('hex'),
    );
  });

  it('changes with the logo, by its SHA-256, and not with where its bytes are held', () => {
    const withLogo = documentFingerprint({ ...document, logo });
    expect(withLogo).not.toBe(documentFingerprint(document));
    expect(documentFingerprint({ ...document, logo: { ...logo, sha256: 'b'.repeat(64) } })).not.toBe(
      withLogo,
    );
    // The bytes themselves are not hashed again: the summary and the full logo agree.
    const full: QuoteDocument = { ...document, logo: { ...logo, bytes: new Uint8Array([1, 2, 3]) } };
    expect(documentFingerprint(full)).toBe(withLogo);
  });
});
