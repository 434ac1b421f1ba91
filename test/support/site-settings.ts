/** Settings an admin API test saves: Opportunity→Quote at the demo org's stage, nothing mapped. */
export const settingsAtStage = (overrides: Record<string, unknown> = {}) => ({
  opportunityToQuote: { enabled: true, stage: 'Proposal/Price Quote' },
  accountToCompany: { enabled: true },
  contactToPerson: { enabled: true },
  fieldMappings: { opportunity: [], account: [], contact: [] },
  customFields: [],
  pushBack: { enabled: false },
  ownerUserId: null,
  ...overrides,
});
