import { cachedSettings } from '../../../shared/adapters/dynamodb/cached-settings';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings';
import type { SettingsRepository } from '../../../shared/ports/site-records';

test('settings are read once per site per ttl; a failed read is not kept', async () => {
  let reads = 0;
  let fail = false;
  const repository = {
    get: async (siteId: string) => {
      reads++;
      if (fail) throw new Error('throttled');
      return { siteId, settings: DEFAULT_SETTINGS, setup: {}, updatedAt: '2026-01-01T00:00:00.000Z' };
    },
    put: async () => undefined,
  } as unknown as SettingsRepository;
  let clock = 0;
  const cached = cachedSettings(repository, 10_000, () => clock);
  await cached.get('a');
  await cached.get('a');
  await cached.get('b');
  expect(reads).toBe(2);
  clock = 10_000;
  fail = true;
  await expect(cached.get('a')).rejects.toThrow('throttled');
  fail = false;
  expect((await cached.get('a'))?.siteId).toBe('a');
  expect(reads).toBe(4);
  // Other methods are the repository's own.
  await expect(cached.put({} as never)).resolves.toBeUndefined();
});
