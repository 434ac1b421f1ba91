import type { ImportedProducts, ProductsChanged } from './opportunity-products';
import type { QuoteLine, QuoteTotals } from './quote-lines';
import { toId18 } from './salesforce-id';

/**
 * What the sync worker keeps: quotes (from opportunities), companies (from accounts), persons
 * (from contacts), and a log of every notification's outcome. Ids of records created from
 * Salesforce are derived from the 18-character Salesforce id, so a retried or concurrent
 * creation addresses the same item and a conditional put turns the second one into an update.
 */

/** A value of a custom field, after its type check. */
export type CustomFieldValue = string | number | boolean | null;

/** The Salesforce side of a synced record: which record, and which version of it we applied. */
export interface SalesforceLink {
  /** The record's 18-character id. */
  id: string;
  /** SystemModstamp of the data applied, canonical ISO-8601 (UTC, milliseconds). */
  systemModstamp: string;
  lastSyncedAt: string;
}

export interface QuoteSalesforceLink extends SalesforceLink {
  opportunityId: string;
  accountId: string | null;
  /** The notification whose data is applied (a redelivery of it changes nothing). */
  notificationId: string;
  /** Set by reconciliation when the opportunity is deleted in Salesforce: when. The quote is kept. */
  deletedAt?: string;
}

export const QUOTE_STATUS_ON_CREATION = 'Scoping';

export interface Quote {
  siteId: string;
  quoteId: string;
  /** Per site, sequential, taken once when the quote is created (a crash may leave a gap). */
  number: number;
  title: string;
  description: string | null;
  /** 'Scoping' on creation; changed by people (the quote issue), never by a sync. */
  status: string;
  companyId: string | null;
  personId: string | null;
  ownerUserId: string | null;
  currency: string | null;
  /** The opportunity's Amount, as a canonical decimal string. */
  opportunityAmount: string | null;
  /** YYYY-MM-DD. */
  closeDate: string | null;
  /** The opportunity's products on creation (opportunityToQuote.importProducts); never touched by a later sync. */
  lines: QuoteLine[];
  /** The products the first lines were made from, to tell later changes in Salesforce. */
  importedProducts?: ImportedProducts;
  /** What a later sync found changed in the products (null: nothing, or back as imported). */
  productsChanged?: ProductsChanged | null;
  totals: QuoteTotals | null;
  customFields: Record<string, CustomFieldValue>;
  salesforce: QuoteSalesforceLink;
  createdAt: string;
  updatedAt: string;
}

/** The fields of a quote a sync sets; everything else is left as it is. */
export interface QuoteSyncedFields {
  title: string;
  description: string | null;
  currency: string | null;
  opportunityAmount: string | null;
  closeDate: string | null;
  companyId: string | null;
  personId: string | null;
  customFields: Record<string, CustomFieldValue>;
  /** Set when the sync read the products (import on): what changed against the imported ones. */
  productsChanged?: ProductsChanged | null;
}

export interface Company {
  siteId: string;
  companyId: string;
  name: string;
  phone: string | null;
  website: string | null;
  industry: string | null;
  billingAddress: {
    street: string | null;
    city: string | null;
    postalCode: string | null;
    state: string | null;
    country: string | null;
  };
  customFields: Record<string, CustomFieldValue>;
  salesforce: SalesforceLink;
  createdAt: string;
  updatedAt: string;
}

export interface Person {
  siteId: string;
  personId: string;
  firstName: string | null;
  lastName: string;
  /** As Salesforce has it; looked up lower-cased. */
  email: string | null;
  phone: string | null;
  title: string | null;
  companyId: string | null;
  customFields: Record<string, CustomFieldValue>;
  /** Absent for a person not created from (or linked to) a Salesforce contact. */
  salesforce?: SalesforceLink;
  createdAt: string;
  updatedAt: string;
}

/** What writing one synced record did: the quote's, the company's and the person's alike. */
export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

export const SYNC_OUTCOMES = ['created', 'updated', 'unchanged', 'skipped', 'failed'] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];

/** One notification's outcome. A retried notification gets one entry per attempt. */
export interface SyncLogEntry {
  siteId: string;
  opportunityId: string;
  notificationId: string;
  /** The queue message of this attempt (a notification redelivered or queued again has several). */
  messageId?: string;
  source: string;
  outcome: SyncOutcome;
  /** The opportunity's Name as the notification carried it (for the search and the export). */
  opportunityName?: string;
  /** Why it was skipped, unchanged or failed, in words for the admin. */
  reason?: string;
  /** Salesforce's error code, when Salesforce refused something. */
  errorCode?: string;
  /** For failures: whether the notification is kept and tried again. */
  retrying?: boolean;
  quoteId?: string;
  companyId?: string;
  personId?: string;
  systemModstamp?: string;
  /** When the ack path queued the notification. */
  receivedAt: string;
  processedAt: string;
}

export const quoteIdFor = (opportunityId: string) => `sf-${toId18(opportunityId)}`;
export const companyIdFor = (accountId: string) => `sf-${toId18(accountId)}`;
export const personIdFor = (contactId: string) => `sf-${toId18(contactId)}`;

/** E-mail addresses are matched case-insensitively (the local part rarely differs by case alone). */
export const emailKey = (email: string) => email.trim().toLowerCase();

/**
 * Whether two versions of a synced record hold the same data, ignoring bookkeeping (times of
 * sync and update): an unchanged record is not written again.
 */
export function sameSyncedData<
  T extends { salesforce?: SalesforceLink; createdAt: string; updatedAt: string },
>(a: T, b: T): boolean {
  const data = ({ salesforce, createdAt: _c, updatedAt: _u, ...rest }: T) => ({
    ...rest,
    salesforce: salesforce ? { id: salesforce.id, systemModstamp: salesforce.systemModstamp } : null,
  });
  return stableJson(data(a)) === stableJson(data(b));
}

function stableJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== undefined)
          .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
          .map(([k, x]) => [k, sorted(x)]),
      );
    }
    return v;
  };
  return JSON.stringify(sorted(value));
}
