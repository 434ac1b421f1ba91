import type { SiteSettingsRecord } from '../../domain/salesforce-connection';
import type { SettingsRepository } from '../../ports/site-records';
import { decorate } from '../decorate';

/**
 * Settings as the sync worker reads them: once per site every `ttlMs` (a batch of one
 * notification would otherwise spend one of its few DynamoDB requests on them). A change an
 * admin saves reaches a warm worker within `ttlMs`; the worker never writes settings.
 */
export function cachedSettings(
  settings: SettingsRepository,
  ttlMs: number,
  now: () => number = Date.now,
): SettingsRepository {
  const cache = new Map<string, { at: number; record: Promise<SiteSettingsRecord | undefined> }>();
  return decorate(settings, {
    get: (siteId) => {
      const cached = cache.get(siteId);
      if (cached && now() - cached.at < ttlMs) return cached.record;
      const record = settings.get(siteId);
      cache.set(siteId, { at: now(), record });
      // A failed read is not kept: the next batch reads again.
      record.catch(() => cache.delete(siteId));
      return record;
    },
  });
}
