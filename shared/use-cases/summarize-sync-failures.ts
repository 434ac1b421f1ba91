import * as z from 'zod';
import { type FailureGroup, groupFailures } from '../domain/sync-health';
import type { SyncLogEntry } from '../domain/synced-records';
import type { SiteRepository } from '../ports/site-repository';
import type { SyncLog } from '../ports/synced-records';
import { entryView, logFilterSchema, RANGE_ORDER, rangeInOrder } from './list-sync-log';
import { requireSite } from './require-site';

/** Failures read for one summary: enough for any real week, bounded for a broken one. */
export const MAX_FAILURES_READ = 2000;
const DEFAULT_DAYS = 7;

export const failuresQuerySchema = z
  .strictObject({ from: logFilterSchema.shape.from, to: logFilterSchema.shape.to })
  .refine(rangeInOrder, RANGE_ORDER);

/**
 * GET /sites/{siteId}/salesforce/log/failures: the failed attempts of a time range (the last 7
 * days unless `from` says otherwise), grouped by Salesforce's error code or the reason, the
 * largest group first, each with the latest attempts to open or retry. Reads the failed
 * outcome's own index, newest first, at most MAX_FAILURES_READ entries (`complete` says whether
 * the range held more).
 */
export async function summarizeSyncFailures(
  deps: { sites: SiteRepository; syncLog: SyncLog; now: () => Date },
  siteId: string,
  query: { from?: string | undefined; to?: string | undefined },
) {
  await requireSite(deps.sites, siteId);
  const to = query.to ?? deps.now().toISOString();
  const from = query.from ?? new Date(Date.parse(to) - DEFAULT_DAYS * 86_400_000).toISOString();
  const failures: SyncLogEntry[] = [];
  let nextToken: string | undefined;
  do {
    const page = await deps.syncLog.list(
      siteId,
      { limit: 100, ...(nextToken ? { nextToken } : {}) },
      { outcome: 'failed', from, to },
    );
    failures.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken && failures.length < MAX_FAILURES_READ);
  const groups = groupFailures(failures.slice(0, MAX_FAILURES_READ));
  return {
    from,
    to,
    failures: Math.min(failures.length, MAX_FAILURES_READ),
    complete: nextToken === undefined && failures.length <= MAX_FAILURES_READ,
    groups: groups.map(
      (group): Omit<FailureGroup, 'latest'> & { latest: ReturnType<typeof entryView>[] } => ({
        ...group,
        latest: group.latest.map(entryView),
      }),
    ),
  };
}
