import { stringify } from 'csv-stringify/sync';
import { entryIdOf } from '../domain/sync-health';
import type { SyncLogEntry } from '../domain/synced-records';
import type { SiteRepository } from '../ports/site-repository';
import type { SyncLog } from '../ports/synced-records';
import { type LogQuery, logPage } from './list-sync-log';
import { requireSite } from './require-site';

/** Rows of one export: a Lambda answer holds 6 MB, and a row is a few hundred bytes. */
export const MAX_EXPORT_ROWS = 10_000;

const COLUMNS: ReadonlyArray<[header: string, value: (entry: SyncLogEntry) => string | boolean | undefined]> =
  [
    ['processedAt', (e) => e.processedAt],
    ['receivedAt', (e) => e.receivedAt],
    ['opportunityId', (e) => e.opportunityId],
    ['opportunityName', (e) => e.opportunityName],
    ['source', (e) => e.source],
    ['outcome', (e) => e.outcome],
    ['reason', (e) => e.reason],
    ['errorCode', (e) => e.errorCode],
    ['retrying', (e) => e.retrying],
    ['quoteId', (e) => e.quoteId],
    ['companyId', (e) => e.companyId],
    ['personId', (e) => e.personId],
    ['notificationId', (e) => e.notificationId],
    ['entryId', (e) => entryIdOf(e)],
  ];

/**
 * The log as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheets read accents right):
 * fields with commas, quotes or line breaks are quoted, quotes doubled; a cell that starts with
 * =, +, -, @, a tab or a carriage return gets a leading ' so no spreadsheet runs it as a formula
 * (opportunity names and Salesforce's messages come from outside).
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
export function syncLogCsv(entries: readonly SyncLogEntry[]): string {
  return stringify(
    entries.map((entry) => COLUMNS.map(([, value]) => value(entry) ?? '')),
    {
      header: true,
      columns: COLUMNS.map(([header]) => header),
      bom: true,
      escape_formulas: true,
      record_delimiter: 'windows',
      cast: { boolean: (value) => (value ? 'true' : 'false') },
    },
  );
}

/** GET /sites/{siteId}/salesforce/log/export: the filtered log, newest first, at most MAX_EXPORT_ROWS rows. */
export async function exportSyncLog(
  deps: { sites: SiteRepository; syncLog: SyncLog; now: () => Date },
  siteId: string,
  query: LogQuery,
) {
  await requireSite(deps.sites, siteId);
  const entries: SyncLogEntry[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logPage(deps.syncLog, siteId, query, {
      limit: 100,
      ...(nextToken ? { nextToken } : {}),
    });
    entries.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken && entries.length < MAX_EXPORT_ROWS);
  const rows = entries.slice(0, MAX_EXPORT_ROWS);
  return {
    csv: syncLogCsv(rows),
    rows: rows.length,
    complete: nextToken === undefined && entries.length <= MAX_EXPORT_ROWS,
    fileName: `sync-log-${siteId}-${deps.now().toISOString().slice(0, 10)}.csv`,
  };
}
