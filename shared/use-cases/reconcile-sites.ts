import type { Logger } from '../ports/logger';
import type { SiteRepository } from '../ports/site-repository';
import { type ReconcileSiteDeps, type ReconcileSiteResult, reconcileSite } from './reconcile-site';

/** Sites reconciled at once: bounds the load on DynamoDB and the sync queue, not on any one org. */
const CONCURRENCY = 4;
/** The directory holds every site of the deployment; more than this needs paging (not yet). */
const MAX_SITES = 1000;

/**
 * One scheduled run: every connected site is reconciled; one site's failure (its org down, its
 * token refused) is logged and leaves the others alone, and its watermark waits for the next run.
 */
export async function reconcileSites(
  deps: ReconcileSiteDeps & { sites: Pick<SiteRepository, 'list'>; logger: Logger },
): Promise<{ sites: number; failed: number; overBudget: number; results: ReconcileSiteResult[] }> {
  const sites = (await deps.sites.list(MAX_SITES)).filter((s) => s.salesforce?.organizationId);
  const results: ReconcileSiteResult[] = [];
  let failed = 0;
  const pending = [...sites];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let site = pending.shift(); site; site = pending.shift()) {
        try {
          results.push(await reconcileSite(deps, site.siteId));
        } catch {
          failed++;
        }
      }
    }),
  );
  const overBudget = results.filter((r) => r.overBudget).length;
  deps.logger.info('Reconciliation run done', {
    sites: sites.length,
    failed,
    overBudget,
    queued: results.reduce((n, r) => n + r.queued, 0),
    deleted: results.reduce((n, r) => n + r.deleted, 0),
  });
  return { sites: sites.length, failed, overBudget, results };
}
