import { usageDay } from '../../domain/api-budget';
import type { ApiUsageRecord, ApiUsageStore } from '../../ports/api-usage';
import { decorate } from '../decorate';

/**
 * API usage as the sync worker reads it for the budget check: once per site every `ttlMs`, and
 * in between what the worker itself recorded (the calls it counted, the newest Sforce-Limit-Info
 * of its own answers). Without it, a batch of one notification would spend two of its DynamoDB
 * requests on the day's and the day before's usage items. Another worker's newer observation
 * reaches this one within `ttlMs`; the budget is a share of a daily limit, so a few seconds of
 * lag hold nothing that should pass for long, and an old observation above the budget is read
 * from Salesforce itself before anything is held (checkApiBudget).
 */
export function cachedApiUsage(
  usage: ApiUsageStore,
  ttlMs: number,
  now: () => number = Date.now,
): ApiUsageStore {
  const cache = new Map<string, { at: number; record: ApiUsageRecord }>();
  return decorate(usage, {
    get: async (siteId, at) => {
      const cached = cache.get(siteId);
      if (cached && now() - cached.at < ttlMs && cached.record.day === usageDay(at)) return cached.record;
      const record = await usage.get(siteId, at);
      if (ttlMs > 0) cache.set(siteId, { at: now(), record });
      return record;
    },
    record: async (siteId, entry) => {
      await usage.record(siteId, entry);
      const cached = cache.get(siteId);
      if (!cached || cached.record.day !== usageDay(entry.at)) return;
      const { observation } = entry;
      const newer =
        observation &&
        (!cached.record.observation || cached.record.observation.observedAt <= observation.observedAt);
      cached.record = {
        ...cached.record,
        callsToday: cached.record.callsToday + entry.calls,
        ...(newer ? { observation } : {}),
      };
    },
  });
}
