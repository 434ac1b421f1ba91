import {
  decidePage,
  RECONCILE_PAGE_SIZE,
  reconciliationQuery,
  runStart,
} from '../../../shared/domain/reconciliation';
import { toId18 } from '../../../shared/domain/salesforce-id';
import type { Quote } from '../../../shared/domain/synced-records';
import { sfId } from '../../support/outbound-messages';
import { settingsAtStage } from './fakes';

const opp = (n: number) => toId18(sfId('006', n));
const row = (n: number, modstamp: string, extra: Record<string, unknown> = {}) => ({
  Id: opp(n),
  SystemModstamp: modstamp.replace('Z', '+0000'),
  IsDeleted: false,
  ...extra,
});
const quote = (n: number, modstamp: string, extra: Partial<Quote['salesforce']> = {}) =>
  [
    `sf-${opp(n)}`,
    { quoteId: `sf-${opp(n)}`, salesforce: { systemModstamp: modstamp, ...extra } } as unknown as Quote,
  ] as const;
const FROM = { modstamp: '2026-11-20T10:00:00.000Z', id: '' };

describe('reconciliation decisions', () => {
  test('the query: the outbound fields, IsDeleted, changed since the watermark second, deleted or at the stage, in a stable order', () => {
    expect(
      reconciliationQuery(
        {
          settingsVersion: 'v1',
          fields: ['Id', 'Name', 'SystemModstamp'],
          conditions: "StageName = 'Proposal'",
        },
        { modstamp: '2026-11-20T10:00:00.123Z' },
      ),
    ).toBe(
      "SELECT Id, Name, SystemModstamp, IsDeleted FROM Opportunity WHERE SystemModstamp >= 2026-11-20T10:00:00Z AND (IsDeleted = true OR (StageName = 'Proposal')) ORDER BY SystemModstamp ASC, Id ASC LIMIT 2000",
    );
    expect(
      reconciliationQuery({ settingsVersion: 'v1', fields: ['Id'], conditions: '' }, FROM),
    ).not.toContain('IsDeleted = true OR');
  });

  test('a run starts a minute before the watermark', () => {
    expect(runStart({ modstamp: '2026-11-20T10:00:00.000Z', id: opp(1) })).toEqual({
      modstamp: '2026-11-20T09:59:00.000Z',
      id: '',
    });
  });

  test('a missing quote is queued; an applied one is not; a deleted one the sync knows is marked once', () => {
    const records = [
      row(1, '2026-11-20T10:00:01.000Z'),
      row(2, '2026-11-20T10:00:02.000Z'),
      row(3, '2026-11-20T10:00:03.000Z', { IsDeleted: true }),
      row(4, '2026-11-20T10:00:04.000Z', { IsDeleted: true }),
      row(5, '2026-11-20T10:00:05.000Z', { IsDeleted: true }),
    ];
    const quotes = new Map([
      quote(2, '2026-11-20T10:00:02.000Z'),
      quote(3, '2026-11-20T09:00:00.000Z'),
      quote(5, '2026-11-20T09:00:00.000Z', { deletedAt: '2026-11-20T09:30:00.000Z' }),
    ]);
    const decision = decidePage(records, FROM, quotes, settingsAtStage);
    expect(decision.queue.map((r) => r.Id)).toEqual([opp(1)]);
    expect(decision.markDeleted).toEqual([
      { quoteId: `sf-${opp(3)}`, opportunityId: opp(3), deletedAt: '2026-11-20T10:00:03.000Z' },
    ]);
    expect(decision.last).toEqual({ modstamp: '2026-11-20T10:00:05.000Z', id: opp(5) });
    expect(decision.full).toBe(false);
  });

  test('an older quote is queued only with updates "while-at-stage"', () => {
    const records = [row(1, '2026-11-20T10:00:01.000Z')];
    const quotes = new Map([quote(1, '2026-11-20T09:00:00.000Z')]);
    expect(decidePage(records, FROM, quotes, settingsAtStage).queue).toEqual([]);
    const whileAtStage = {
      ...settingsAtStage,
      opportunityToQuote: { ...settingsAtStage.opportunityToQuote, updates: 'while-at-stage' as const },
    };
    expect(decidePage(records, FROM, quotes, whileAtStage).queue).toHaveLength(1);
  });

  test('what is at or before the page start was handled already; rows without id or stamp are left out', () => {
    const from = { modstamp: '2026-11-20T10:00:01.000Z', id: opp(2) };
    const records = [
      row(1, '2026-11-20T10:00:01.000Z'),
      row(2, '2026-11-20T10:00:01.000Z'),
      row(3, '2026-11-20T10:00:01.000Z'),
      { Id: 'nonsense', SystemModstamp: '2026-11-20T10:00:09.000Z' },
      { Id: opp(9), SystemModstamp: null },
    ];
    const decision = decidePage(records, from, new Map(), settingsAtStage);
    expect(decision.queue.map((r) => r.Id)).toEqual([opp(3)]);
    expect(decision.last).toEqual({ modstamp: '2026-11-20T10:00:01.000Z', id: opp(3) });
  });

  test('a page of 2,000 says more may follow', () => {
    const records = Array.from({ length: RECONCILE_PAGE_SIZE }, (_, i) =>
      row(i + 1, '2026-11-20T10:00:01.000Z'),
    );
    expect(decidePage(records, FROM, new Map(), settingsAtStage).full).toBe(true);
  });
});
