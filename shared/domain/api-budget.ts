/**
 * The org's daily API allocation is shared by every integration of the org, so this service
 * stops spending above a share of it (`apiBudget.maxSharePercent`, per site). Salesforce reports
 * the usage on every REST response.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
 */
export const DEFAULT_MAX_SHARE_PERCENT = 80;

export interface ApiUsageObservation {
  used: number;
  limit: number;
  /** When Salesforce reported it. */
  observedAt: string;
}

/**
 * `Sforce-Limit-Info: api-usage=N/M`, sometimes followed by `; per-app-api-usage=…`; the org's
 * figure is the first one.
 */
export function parseLimitInfo(header: string | undefined): { used: number; limit: number } | undefined {
  const m = header ? /(?:^|[;,\s])api-usage=(\d+)\/(\d+)/.exec(header) : null;
  if (!m?.[1] || !m[2]) return undefined;
  const limit = Number(m[2]);
  return limit > 0 ? { used: Number(m[1]), limit } : undefined;
}

export interface BudgetVerdict {
  used: number;
  limit: number;
  /** used / limit, in percent, one decimal. */
  sharePercent: number;
  maxSharePercent: number;
  /** False above the site's share: this service spends no more calls until the usage falls. */
  withinBudget: boolean;
  observedAt: string;
}

export function budgetVerdict(observation: ApiUsageObservation, maxSharePercent: number): BudgetVerdict {
  const share = (observation.used / observation.limit) * 100;
  return {
    used: observation.used,
    limit: observation.limit,
    sharePercent: Math.round(share * 10) / 10,
    maxSharePercent,
    withinBudget: share <= maxSharePercent,
    observedAt: observation.observedAt,
  };
}

/** The UTC day a call is counted under, YYYY-MM-DD. */
export function usageDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
