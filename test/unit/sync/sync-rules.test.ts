import { DEFAULT_SETTINGS, type Settings } from '../../../shared/domain/settings';
import {
  canonicalModstamp,
  checkSyncConditions,
  freshness,
  meetsCondition,
} from '../../../shared/domain/sync-rules';

const STAGE = 'Proposal/Price Quote';
const base: Settings = {
  ...DEFAULT_SETTINGS,
  opportunityToQuote: { enabled: true, stage: STAGE, updates: 'on-entry', importProducts: true },
};

describe('conditions checked again in the worker', () => {
  it('pass at the chosen stage with every condition met', () => {
    const settings: Settings = {
      ...base,
      fieldMappings: {
        ...base.fieldMappings,
        opportunity: [
          {
            salesforceField: 'Amount',
            target: { kind: 'core', field: 'opportunityAmount' },
            condition: { operator: 'gt', value: 10000 },
          },
        ],
      },
    };
    expect(checkSyncConditions(settings, { StageName: STAGE, Amount: '48000.0' })).toEqual({ ok: true });
    expect(checkSyncConditions(settings, { StageName: STAGE, Amount: '9000.0' })).toMatchObject({
      ok: false,
    });
    expect(checkSyncConditions(settings, { StageName: STAGE })).toMatchObject({ ok: false });
  });

  it('skip everything when Opportunity→Quote is off, or the stage differs', () => {
    const off = { ...base, opportunityToQuote: { ...base.opportunityToQuote, enabled: false } };
    expect(checkSyncConditions(off, { StageName: STAGE })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/off/),
    });
    expect(checkSyncConditions(base, { StageName: 'Closed Won' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/Closed Won/),
    });
  });

  it.each([
    ['48000.0', 'gt', 10000, true],
    ['10000.0', 'gt', 10000, false],
    ['10000.0', 'gte', '10000', true],
    ['1.0E7', 'lt', 20000000, true],
    ['2026-12-15', 'lte', '2026-12-31', true],
    ['2027-01-01', 'lte', '2026-12-31', false],
    ['Web', 'eq', 'web', true],
    ['Web', 'eq', 'Phone', false],
    ['true', 'eq', 'true', true],
    ['Web', 'gt', 'A', false],
    [null, 'eq', 'x', false],
  ] as const)('%s %s %s → %s', (value, operator, expected, result) => {
    expect(meetsCondition(value, { operator, value: expected })).toBe(result);
  });
});

describe('freshness', () => {
  it('writes SystemModstamps in one form whatever API they came from', () => {
    expect(canonicalModstamp('2026-05-01T10:00:00.000+0000')).toBe('2026-05-01T10:00:00.000Z');
    expect(canonicalModstamp('2026-05-01T10:00:00.000Z')).toBe('2026-05-01T10:00:00.000Z');
    expect(canonicalModstamp('2026-05-01T12:00:00.000+0200')).toBe('2026-05-01T10:00:00.000Z');
    expect(canonicalModstamp('yesterday')).toBeUndefined();
    expect(canonicalModstamp(null)).toBeUndefined();
  });

  it('lets only new or newer data through', () => {
    expect(freshness(undefined, '2026-05-01T10:00:00.000Z')).toBe('new');
    expect(freshness('2026-05-01T10:00:00.000Z', '2026-05-01T10:00:00.001Z')).toBe('newer');
    expect(freshness('2026-05-01T10:00:00.000Z', '2026-05-01T10:00:00.000Z')).toBe('same');
    expect(freshness('2026-05-01T10:00:00.000Z', '2026-04-30T23:59:59.999Z')).toBe('older');
  });
});
