import { budgetVerdict, parseLimitInfo } from '../../../shared/domain/api-budget';

describe('Sforce-Limit-Info', () => {
  it('reads the org figure, with or without the per-app one after it', () => {
    expect(parseLimitInfo('api-usage=10018/100000')).toEqual({ used: 10018, limit: 100000 });
    expect(parseLimitInfo('api-usage=25/15000; per-app-api-usage=17/250(appName=sample-app)')).toEqual({
      used: 25,
      limit: 15000,
    });
    expect(parseLimitInfo('per-app-api-usage=17/250(appName=x)')).toBeUndefined();
    expect(parseLimitInfo(undefined)).toBeUndefined();
    expect(parseLimitInfo('api-usage=1/0')).toBeUndefined();
  });
});

describe('the budget verdict', () => {
  const at = '2026-12-01T10:00:00.000Z';
  it('is within budget up to the share, and above it is not', () => {
    expect(budgetVerdict({ used: 12000, limit: 15000, observedAt: at }, 80)).toMatchObject({
      sharePercent: 80,
      withinBudget: true,
    });
    expect(budgetVerdict({ used: 12750, limit: 15000, observedAt: at }, 80)).toMatchObject({
      sharePercent: 85,
      withinBudget: false,
    });
  });
});
