import { DEFAULT_SETTINGS, type Settings, withSettingDefaults } from '../../../shared/domain/settings';

describe('withSettingDefaults', () => {
  it('gives settings stored before pushBack.amount and .target existed the net amount, into Amount', () => {
    const stored = { ...DEFAULT_SETTINGS, pushBack: { enabled: true } } as unknown as Settings;
    expect(withSettingDefaults(stored).pushBack).toEqual({ enabled: true, amount: 'net', target: 'Amount' });
  });

  it('gives settings stored before opportunityToQuote.updates and .importProducts existed on-entry and the import', () => {
    const stored = {
      ...DEFAULT_SETTINGS,
      opportunityToQuote: { enabled: true, stage: 'Proposal/Price Quote' },
    } as unknown as Settings;
    expect(withSettingDefaults(stored).opportunityToQuote).toEqual({
      enabled: true,
      stage: 'Proposal/Price Quote',
      updates: 'on-entry',
      importProducts: true,
    });
  });

  it('keeps a stored choice', () => {
    const stored: Settings = {
      ...DEFAULT_SETTINGS,
      pushBack: { enabled: true, amount: 'gross', target: 'Quoted_Sum__c' },
    };
    expect(withSettingDefaults(stored).pushBack).toEqual(stored.pushBack);
  });

  it('fills defaults even where a rule across fields fails, and leaves unparsable settings as stored', () => {
    const noStage = { ...DEFAULT_SETTINGS, pushBack: { enabled: false } } as unknown as Settings;
    expect(noStage.opportunityToQuote).toEqual({
      enabled: true,
      stage: null,
      updates: 'on-entry',
      importProducts: true,
    });
    expect(withSettingDefaults(noStage).pushBack.amount).toBe('net');
    const unknownKey = { ...DEFAULT_SETTINGS, retired: true } as unknown as Settings;
    expect(withSettingDefaults(unknownKey)).toBe(unknownKey);
  });
});
