import { type BudgetVerdict, budgetVerdict } from '../../domain/api-budget';
import type { DeferralReason } from '../../domain/deferral';
import type { Settings } from '../../domain/settings';
import type { ApiUsageStore } from '../../ports/api-usage';
import type { Logger } from '../../ports/logger';
import type { SalesforceRecordReader } from '../../ports/salesforce';
import { errorText } from './attempts';

export interface ApiBudgetDeps {
  apiBudget: {
    usage: Pick<ApiUsageStore, 'get'>;
    /** An observation above the budget older than this is read afresh before holding. */
    recheckMs: number;
  };
  /** Only to read an old observation afresh (the limits resource). */
  salesforce: { forSite(siteId: string): Promise<Pick<SalesforceRecordReader, 'apiUsage'>> };
  logger: Logger;
  now: () => Date;
}

/**
 * The budget stage, before the fetch: when the org's usage, as Salesforce last reported it, is
 * above the site's share of the daily limit, the site's notifications are deferred (held, never
 * failed) instead of spending more calls. Nothing known yet means no hold: the fetch's own
 * answer reports the usage. An observation that is old is read again (one call to the limits
 * resource) before it holds anything, so a usage that fell, or a limit that was raised, lets
 * the notifications through.
 */
export async function checkApiBudget(
  deps: ApiBudgetDeps,
  siteId: string,
  settings: Settings,
): Promise<DeferralReason | undefined> {
  const now = deps.now();
  const { observation } = await deps.apiBudget.usage.get(siteId, now);
  if (!observation) return undefined;
  const max = settings.apiBudget.maxSharePercent;
  let verdict = budgetVerdict(observation, max);
  if (verdict.withinBudget) return undefined;
  if (now.getTime() - Date.parse(observation.observedAt) > deps.apiBudget.recheckMs) {
    try {
      const usage = await (await deps.salesforce.forSite(siteId)).apiUsage();
      verdict = budgetVerdict({ ...usage, observedAt: now.toISOString() }, max);
      if (verdict.withinBudget) return undefined;
    } catch (error) {
      deps.logger.warn('Reading the org API usage failed; the budget holds', {
        siteId,
        error: errorText(error),
      });
    }
  }
  deps.logger.info('Above the API budget: holding off', { siteId, ...verdict });
  return { kind: 'budget', detail: overBudgetText(verdict) };
}

export function overBudgetText(verdict: BudgetVerdict): string {
  return `the org has used ${verdict.used} of its ${verdict.limit} daily API requests (${verdict.sharePercent}%), above this site's budget of ${verdict.maxSharePercent}%`;
}
