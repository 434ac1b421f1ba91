import { DEFAULT_SETTINGS, type Settings, withSettingDefaults } from '../../../shared/domain/settings';

describe('withSettingDefaults', () => {
  it('gives settings stored before pushBack.amount existed the net amount', () => {
    const stored = { ...DEFAULT_SETTINGS, pushBack: { enabled: true } } as unknown as Settings;
    expect(withSettingDefaults(stored).pushBack).toEqual({ enabled: true, amount: 'net' });
  });

  it('keeps a stored choice', () => {
    const stored: Settings = { ...DEFAULT_SETTINGS, pushBack: { enabled: true, amount: 'gross' } };
    expect(withSettingDefaults(stored).pushBack.amount).toBe('gross');
  });

  it('fills defaults even where a rule across fields fails, and leaves unparsable settings as stored', () => {
    const noStage = { ...DEFAULT_SETTINGS, pushBack: { enabled: false } } as unknown as Settings;
    expect(noStage.opportunityToQuote).toEqual({ enabled: true, stage: null });
    expect(withSettingDefaults(noStage).pushBack.amount).toBe('net');
    const unknownKey = { ...DEFAULT_SETTINGS, retired: true } as unknown as Settings;
    expect(withSettingDefaults(unknownKey)).toBe(unknownKey);
  });
});
