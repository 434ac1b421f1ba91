import type { QuoteDocument } from '../domain/quote-document';

export interface RenderedQuote {
  pdf: Uint8Array;
  /**
   * Characters that no embedded font has, each once, in order of appearance. They are printed
   * as the visible replacement character U+FFFD, never dropped or turned into "?".
   */
  missingCharacters: string[];
}

export interface QuoteRenderer {
  /** The quote as a PDF file. Rejects when the totals do not belong to the lines. */
  render(document: QuoteDocument): Promise<RenderedQuote>;
}
