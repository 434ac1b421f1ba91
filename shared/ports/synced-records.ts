import type { Activity, LogFilter } from '../domain/sync-health';
import type {
  Company,
  Person,
  Quote,
  QuoteSalesforceLink,
  QuoteSyncedFields,
  SyncLogEntry,
} from '../domain/synced-records';

/** One page of a listing; `nextToken` continues it, absent on the last page. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface PageRequest {
  limit: number;
  nextToken?: string;
}

export interface QuoteRepository {
  /** Strongly consistent reads of the given quotes; missing ones are left out. */
  getMany(siteId: string, quoteIds: readonly string[]): Promise<Map<string, Quote>>;
  get(siteId: string, quoteId: string): Promise<Quote | undefined>;
  /** Creates the quote; false when it already exists (a concurrent or earlier creation won). */
  create(quote: Quote): Promise<boolean>;
  /**
   * Sets the synced fields only if the stored SystemModstamp is older than the link's; returns
   * false (and changes nothing) otherwise. Lines, totals, status, number and owner are never set.
   */
  applySync(
    siteId: string,
    quoteId: string,
    fields: QuoteSyncedFields,
    link: QuoteSalesforceLink,
  ): Promise<boolean>;
  /**
   * Marks the quote "deleted in Salesforce" (salesforce.deletedAt), keeping it; false when it is
   * missing or marked already.
   */
  markDeletedInSalesforce(siteId: string, quoteId: string, deletedAt: string): Promise<boolean>;
  list(siteId: string, page: PageRequest): Promise<Page<Quote>>;
  listByOpportunity(siteId: string, opportunityId: string, page: PageRequest): Promise<Page<Quote>>;
}

export interface QuoteNumbers {
  /** The site's next quote number (atomic; a number taken and not used is a gap, never reused). */
  next(siteId: string): Promise<number>;
}

export interface CompanyRepository {
  getMany(siteId: string, companyIds: readonly string[]): Promise<Map<string, Company>>;
  /** Writes the company unless a newer SystemModstamp is stored; false when it was not written. */
  putIfNotOlder(company: Company): Promise<boolean>;
  list(siteId: string, page: PageRequest): Promise<Page<Company>>;
}

export interface PersonRepository {
  getMany(siteId: string, personIds: readonly string[]): Promise<Map<string, Person>>;
  /** The person linked to this Salesforce contact (through the index), if any. */
  findByContactId(siteId: string, contactId: string): Promise<Person | undefined>;
  /** Persons with this e-mail address (case-insensitive), through the index. */
  findByEmail(siteId: string, email: string): Promise<Person[]>;
  /** Creates the person; false when one with this id exists. */
  create(person: Person): Promise<boolean>;
  /** Writes the person unless a newer SystemModstamp is stored; false when it was not written. */
  putIfNotOlder(person: Person): Promise<boolean>;
  list(siteId: string, page: PageRequest): Promise<Page<Person>>;
}

export interface SyncLog {
  /** Also files each opportunity under its name, for the search. */
  append(entries: readonly SyncLogEntry[]): Promise<void>;
  /** Newest first, within the filter's time range and of its outcome. */
  listByOpportunity(
    siteId: string,
    opportunityId: string,
    page: PageRequest,
    filter?: LogFilter,
  ): Promise<Page<SyncLogEntry>>;
  /** Newest first, across the site's opportunities. */
  list(siteId: string, page: PageRequest, filter?: LogFilter): Promise<Page<SyncLogEntry>>;
}

/** The reads of sync health, on top of the log's own. */
export interface SyncHealthLog extends SyncLog {
  /** One entry by its key (see entryKeyOf). */
  get(siteId: string, entryKey: string): Promise<SyncLogEntry | undefined>;
  /** Opportunities whose name starts with the (searchable) prefix, by name. */
  findOpportunities(siteId: string, namePrefix: string, limit: number): Promise<LoggedOpportunity[]>;
  /** The name an opportunity was last logged with. */
  opportunity(siteId: string, opportunityId: string): Promise<LoggedOpportunity | undefined>;
}

/** An opportunity the log has seen, and the name its latest notification carried. */
export interface LoggedOpportunity {
  opportunityId: string;
  name: string;
  lastProcessedAt: string;
}

export interface ActivityLog {
  record(activity: Activity): Promise<void>;
  /** Newest first. */
  listByOpportunity(siteId: string, opportunityId: string, limit: number): Promise<Activity[]>;
}
