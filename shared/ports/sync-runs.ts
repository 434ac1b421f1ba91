import type { SyncRun, SyncRunCounts, SyncRunPage } from '../domain/sync-run';

export interface SyncRunRepository {
  /**
   * Starts `run` unless another run of the site is still going; then returns that one. One run
   * per site at a time, enforced with a conditional write on the site's run lock.
   */
  startUnlessRunning(
    run: SyncRun,
    isFinished: (active: SyncRun) => boolean,
  ): Promise<{ run: SyncRun; started: boolean }>;
  get(siteId: string, runId: string): Promise<SyncRun | undefined>;
  /** Adds to the counts (atomic increments) and optionally marks the query done. */
  add(
    siteId: string,
    runId: string,
    counts: Partial<SyncRunCounts>,
    options?: { queryDone?: boolean },
  ): Promise<void>;
  /**
   * Counts page `page` once: adds its counts only if the run's page counter is at `page - 1`.
   * Returns false when the page was counted already (a redelivered page message).
   */
  addPage(
    siteId: string,
    runId: string,
    page: number,
    counts: Partial<SyncRunCounts>,
    last: boolean,
  ): Promise<boolean>;
  /** Records an error; `fatal` ends the run as failed. */
  recordError(siteId: string, runId: string, message: string, fatal: boolean): Promise<void>;
}

export interface SyncRunQueue {
  sendPage(page: SyncRunPage): Promise<void>;
}

export interface QueryPage {
  records: Array<Record<string, unknown>>;
  totalSize: number;
  /** Salesforce's locator for the next page; absent on the last one. */
  nextRecordsUrl?: string;
}

/** Paged SOQL against a site's org: one API call per page. */
export interface SalesforceQuery {
  /** With includeDeleted, a queryAll: deleted records in the recycle bin too (IsDeleted = true). */
  firstPage(siteId: string, soql: string, options?: { includeDeleted?: boolean }): Promise<QueryPage>;
  nextPage(siteId: string, locator: string): Promise<QueryPage>;
  describeFields(siteId: string, sObjectType: string): Promise<Array<{ name: string; type: string }>>;
}
