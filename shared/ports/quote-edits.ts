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
  /** Links the quote to the project it became. */
  recordProject(siteId: string, quoteId: string, projectId: string): Promise<void>;
  /**
   * Appends the send to the quote's history; with `result`, also the Salesforce file the PDF is
   * in and the opportunity's Amount as Salesforce holds it after the send.
   */
  recordSend(
    siteId: string,
    quoteId: string,
    send: QuoteSend,
    result?: { contentDocumentId: string; opportunityAmount: string | null },
  ): Promise<void>;
}

/** The latest version of a Salesforce file, as Salesforce describes it. */
export interface FileVersion {
  contentVersionId: string;
  contentDocumentId: string;
  versionNumber: string;
  /** ContentVersion.Checksum: the MD5 of the file's bytes, lower-case hex. */
  checksum: string;
}

/** The opportunity side of "Send to Salesforce". */
export interface OpportunityPush {
  /** Sets a currency or number field of the opportunity (Amount, or pushBack.target). */
  setSum(siteId: string, opportunityId: string, field: string, value: number): Promise<void>;
  /** Reads back the field, the Amount, and whether the opportunity has products (then Amount is computed). */
  readSum(
    siteId: string,
    opportunityId: string,
    field: string,
  ): Promise<{ value: number | null; amount: number | null; hasLineItems: boolean }>;
  /** The file's latest version, or undefined when the file no longer exists (deleted in Salesforce). */
  latestFileVersion(siteId: string, contentDocumentId: string): Promise<FileVersion | undefined>;
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
  ): Promise<Omit<FileVersion, 'checksum'>>;
}
