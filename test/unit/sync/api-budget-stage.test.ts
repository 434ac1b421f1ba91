import type { ApiUsageObservation } from '../../../shared/domain/api-budget';
import { toId18 } from '../../../shared/domain/salesforce-id';
import { quoteIdFor } from '../../../shared/domain/synced-records';
import { syncNotifications } from '../../../shared/use-cases/sync-notifications';
import { sfId } from '../../support/outbound-messages';
import { fakeDeps, opportunity, settingsAtStage } from './fakes';

/** The budget stage: above the site's share of the org's daily limit, notifications are held. */

const NOW = new Date('2026-11-20T12:00:00.000Z');
const opp = (n: number) => toId18(sfId('006', n));

function withUsage(observation: ApiUsageObservation | undefined, maxSharePercent = 80) {
  const fake = fakeDeps({ ...settingsAtStage, apiBudget: { maxSharePercent } });
  const deps = {
    ...fake.deps,
    apiBudget: {
      usage: {
        get: async () => ({ day: '2026-11-20', callsToday: 3, ...(observation ? { observation } : {}) }),
      },
      recheckMs: 300_000,
    },
  };
  return { ...fake, deps };
}

const seconds = (n: number) => new Date(NOW.getTime() - n * 1000).toISOString();

describe('the API budget', () => {
  it('at 85% of the limit with a budget of 80%, a stage change is held back, not failed, and nothing is read', async () => {
    const { deps, reader, held } = withUsage({ used: 12_750, limit: 15_000, observedAt: seconds(30) });
    const message = opportunity(1);
    const result = await syncNotifications(deps, [message]);
    // Held back on the queue (its visibility), to be tried again: not given up, not to the DLQ.
    expect(result.failedMessageIds).toEqual([message.messageId]);
    expect(reader.requests).toEqual([]);
    expect(reader.usageReads).toBe(0);
    expect(held).toHaveLength(1);
    expect(deps.quotes.items.size).toBe(0);
    const [entry] = deps.syncLog.of(opp(1));
    expect(entry?.reason).toMatch(
      /used 12750 of its 15000 daily API requests \(85%\), above this site's budget of 80%/,
    );
    expect(entry?.retrying).toBe(true);
  });

  it('within the budget, or with no reading yet, the notification is synced', async () => {
    for (const observation of [{ used: 12_000, limit: 15_000, observedAt: seconds(30) }, undefined]) {
      const { deps } = withUsage(observation);
      const result = await syncNotifications(deps, [opportunity(1)]);
      expect(result.outcomes.created).toBe(1);
    }
  });

  it('an old reading above the budget is read again; a raised limit lets the notification through', async () => {
    const { deps, reader, held } = withUsage({ used: 12_750, limit: 15_000, observedAt: seconds(600) });
    reader.usage = { used: 12_751, limit: 100_000 };
    const result = await syncNotifications(deps, [opportunity(1)]);
    expect(reader.usageReads).toBe(1);
    expect(held).toEqual([]);
    expect(result.outcomes.created).toBe(1);
    expect(deps.quotes.items.has(quoteIdFor(opp(1)))).toBe(true);
  });

  it('an old reading that is still above the budget keeps holding', async () => {
    const { deps, reader, held } = withUsage({ used: 12_750, limit: 15_000, observedAt: seconds(600) });
    reader.usage = { used: 13_000, limit: 15_000 };
    await syncNotifications(deps, [opportunity(1)]);
    expect(reader.usageReads).toBe(1);
    expect(reader.requests).toEqual([]);
    expect(held).toHaveLength(1);
  });
});
