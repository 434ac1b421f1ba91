import { checkPushBackTarget, DEFAULT_SETTINGS, type Settings } from '../../../shared/domain/settings';

const opportunity = [
  { name: 'Amount', type: 'currency', updateable: true },
  { name: 'Quoted_Sum__c', type: 'currency', updateable: true },
  { name: 'Score__c', type: 'double', updateable: true },
  { name: 'Seats__c', type: 'int', updateable: true },
  { name: 'Total_Formula__c', type: 'currency', updateable: false },
  { name: 'Name', type: 'string', updateable: true },
];
const withTarget = (target: string): Settings => ({
  ...DEFAULT_SETTINGS,
  pushBack: { ...DEFAULT_SETTINGS.pushBack, target },
});

describe('checkPushBackTarget', () => {
  it.each(['Amount', 'Quoted_Sum__c', 'quoted_sum__c', 'Score__c'])('takes %s', (target) => {
    expect(checkPushBackTarget(withTarget(target), opportunity)).toEqual([]);
  });

  it.each([
    ['Missing__c', 'Opportunity has no field Missing__c'],
    ['Total_Formula__c', 'Total_Formula__c is read-only (a formula, roll-up or system field)'],
    ['Seats__c', 'Seats__c is a field of type int; the quoted sum needs a currency or number field'],
    ['Name', 'Name is a field of type string; the quoted sum needs a currency or number field'],
  ])('refuses %s, naming it', (target, message) => {
    expect(checkPushBackTarget(withTarget(target), opportunity)).toEqual([
      { path: 'pushBack.target', message: expect.stringContaining(message) },
    ]);
  });
});
