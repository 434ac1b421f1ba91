import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { QuoteDocumentSummary } from './quote-document';
import type { PushBackAmount } from './settings';

/**
 * What people change on a quote after the sync created it: its status and a few editable
 * fields (lines have their own route). A sync never touches these.
 */
export const QUOTE_STATUSES = ['Scoping', 'Draft', 'Ready', 'Sent', 'Accepted', 'Rejected'] as const;

export const quotePatchSchema = z
  .strictObject({
    status: z.enum(QUOTE_STATUSES).optional(),
    title: z.string().trim().min(1).max(255).optional(),
    description: z.string().max(4000).nullable().optional(),
    ownerUserId: z.string().min(1).max(64).nullable().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
      .optional(),
    /** The last day the quote is valid; null: the site's validity days after the quote's date. */
    validUntil: z.iso.date().nullable().optional(),
    /** null: the site profile's payment terms. */
    paymentTerms: z.string().trim().min(1).max(2000).nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'give at least one field to change' });
export type QuotePatch = z.infer<typeof quotePatchSchema>;

/** The quote's currency when Salesforce sent none (a single-currency org). */
export const DEFAULT_CURRENCY = 'EUR';

/** DynamoDB items hold at most 400 KB; lines live in the quote's item, so their text is capped. */
export const MAX_LINES_JSON_BYTES = 300 * 1024;

/** A stored rendering of the quote. */
export interface QuotePdf {
  version: number;
  key: string;
  /** Of the rendered document: equal means the stored PDF is current. */
  fingerprint: string;
  renderedAt: string;
  /** Characters no font of the PDF has (printed as U+FFFD); absent when every one printed. */
  missingCharacters?: string[];
}

export type SendOutcome = 'sent' | 'amount-read-only' | 'failed';
export const FILE_UPLOADS = ['new-file', 'new-version', 'unchanged'] as const;
export type FileUpload = (typeof FILE_UPLOADS)[number];

/** One "Send to Salesforce", kept on the quote as its history. */
export interface QuoteSend {
  sendId: string;
  at: string;
  outcome: SendOutcome;
  /** What was put into the opportunity's Amount: the net or the gross total (`amountBasis`). */
  amount: string;
  amountBasis?: PushBackAmount;
  /** The opportunity field it went to (pushBack.target at the send; absent before it existed: Amount). */
  target?: string;
  /** What Salesforce holds in that field after the send. */
  targetValue?: string | null;
  /** The quote's totals at the send, both kept whichever one went to Salesforce. */
  net?: string;
  gross?: string;
  currency?: string;
  /** What Salesforce holds as the opportunity's Amount after the send. */
  opportunityAmount?: string | null;
  pdfVersion?: number;
  contentVersionId?: string;
  contentDocumentId?: string;
  /** The file's version in Salesforce (1 on the first send). */
  fileVersion?: string;
  /**
   * What happened to the file: a new file on the opportunity, a new version of the quote's file,
   * or nothing, because its latest version already holds these exact bytes.
   */
  upload?: FileUpload;
  message: string;
}

/** The editing side of a quote, stored beside the synced fields in the quote's item. */
export interface QuoteEditState {
  validUntil?: string | null;
  paymentTerms?: string | null;
  pdf?: QuotePdf;
  sends?: QuoteSend[];
  /** The Salesforce file the PDF goes to; later sends add versions to it. */
  contentDocumentId?: string;
  /** The project the quote became (POST …/quotes/{quoteId}/project). */
  projectId?: string;
}

/**
 * What a PDF shows, as one hash: a stored PDF with the same fingerprint is the same document.
 * The logo counts by its SHA-256 (a new logo, a new PDF version), not by its bytes; a document
 * without one hashes as it did before logos existed, so stored PDFs stay current.
 */
export function documentFingerprint(document: QuoteDocumentSummary): string {
  const { logo, ...rest } = document;
  const described = logo
    ? {
        ...rest,
        logo: { contentType: logo.contentType, width: logo.width, height: logo.height, sha256: logo.sha256 },
      }
    : rest;
  return createHash('sha256').update(JSON.stringify(described)).digest('hex');
}

/** Salesforce's Amount is a currency field: compare as numbers rounded to the minor unit. */
export function sameAmount(a: string | number | null | undefined, b: string): boolean {
  if (a === null || a === undefined || a === '') return false;
  return Math.abs(Number(a) - Number(b)) < 0.005;
}
