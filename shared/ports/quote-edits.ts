import type { QuoteEditState, QuotePatch, QuotePdf, QuoteSend } from '../domain/quote-editing';
import type { QuoteLine, QuoteTotals } from '../domain/quote-lines';
import type { Quote } from '../domain/synced-records';

export type EditableQuote = Quote & QuoteEditState;

/** Changes people make to quotes. Each write names only its own attributes, so a sync running at the same time loses nothing. */
export interface QuoteEditor {
  get(siteId: string, quoteId: string): Promise<EditableQuote | undefined>;
  setLines(
    siteId: string,
    quoteId: string,
    lines: QuoteLine[],
    totals: QuoteTotals,
    currency: string,
  ): Promise<EditableQuote>;
  patch(siteId: string, quoteId: string, patch: QuotePatch): Promise<EditableQuote>;
  recordPdf(siteId: string, quoteId: string, pdf: QuotePdf): Promise<void>;
  recordSend(siteId: string, quoteId: string, send: QuoteSend, contentDocumentId?: string): Promise<void>;
}

/** The opportunity side of "Send to Salesforce". */
export interface OpportunityPush {
  setAmount(siteId: string, opportunityId: string, amount: number): Promise<void>;
  readAmount(
    siteId: string,
    opportunityId: string,
  ): Promise<{ amount: number | null; hasLineItems: boolean }>;
  /**
   * Uploads the PDF as a ContentVersion: linked to the opportunity the first time (Notes &
   * Attachments), a new version of the same file (ContentDocumentId) afterwards.
   */
  uploadFile(
    siteId: string,
    file: {
      opportunityId: string;
      contentDocumentId?: string;
      title: string;
      fileName: string;
      data: Uint8Array;
      /** Unique per send: finds an upload that succeeded although its answer was lost. */
      marker: string;
    },
  ): Promise<{ contentVersionId: string; contentDocumentId: string; versionNumber: string }>;
}
