import { mapFields, parseDecimal, salesforceFieldsFor } from '../../../shared/domain/field-mapping';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/domain/settings';

const settings = (patch: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, ...patch });

const typed: Settings = settings({
  customFields: [
    { key: 'seats', label: 'Seats', type: 'number', appliesTo: 'opportunity' },
    { key: 'renewal', label: 'Renewal', type: 'checkbox', appliesTo: 'opportunity' },
    { key: 'kind', label: 'Kind', type: 'dropdown', options: ['New', 'Upgrade'], appliesTo: 'opportunity' },
    { key: 'note', label: 'Note', type: 'text', appliesTo: 'opportunity' },
  ],
  fieldMappings: {
    opportunity: [
      { salesforceField: 'Seats__c', target: { kind: 'custom', key: 'seats' } },
      { salesforceField: 'Renewal__c', target: { kind: 'custom', key: 'renewal' } },
      { salesforceField: 'Type', target: { kind: 'custom', key: 'kind' } },
      { salesforceField: 'NextStep', target: { kind: 'custom', key: 'note' } },
      { salesforceField: 'Headline__c', target: { kind: 'core', field: 'title' } },
    ],
    account: [],
    contact: [],
  },
});

describe('mapping opportunity fields', () => {
  it('maps core fields from their default sources, as canonical values', () => {
    const { core, issues } = mapFields('opportunity', DEFAULT_SETTINGS, {
      Name: 'Acme renewal',
      Amount: '1.5E7',
      CloseDate: '2026-12-15',
      CurrencyIsoCode: 'EUR',
      Description: null,
    });
    expect(issues).toEqual([]);
    expect(core).toEqual({
      title: 'Acme renewal',
      opportunityAmount: '15000000',
      closeDate: '2026-12-15',
      currency: 'EUR',
      description: null,
    });
  });

  it('treats a field the message omits as empty (Salesforce leaves out null fields)', () => {
    expect(mapFields('opportunity', DEFAULT_SETTINGS, { Name: 'x' }).core.opportunityAmount).toBeNull();
  });

  it('lets a mapping replace the default source of a core field, matching names without regard to case', () => {
    const { core } = mapFields('opportunity', typed, { Name: 'Default', headline__C: 'From the mapping' });
    expect(core.title).toBe('From the mapping');
  });

  it('checks and converts custom field values by type', () => {
    const { custom, issues } = mapFields('opportunity', typed, {
      Seats__c: '20.0',
      Renewal__c: 'true',
      Type: 'Upgrade',
      NextStep: '000123',
    });
    expect(issues).toEqual([]);
    expect(custom).toEqual({ seats: 20, renewal: true, kind: 'Upgrade', note: '000123' });
  });

  it('reports every value that does not fit its type, naming the Salesforce field', () => {
    const { issues } = mapFields('opportunity', typed, {
      Seats__c: 'twenty',
      Renewal__c: 'yes',
      Type: 'Downgrade',
      CloseDate: '15.12.2026',
    });
    expect(issues.map((i) => i.salesforceField).sort()).toEqual([
      'CloseDate',
      'Renewal__c',
      'Seats__c',
      'Type',
    ]);
    expect(issues.find((i) => i.salesforceField === 'Type')?.message).toMatch(/"Downgrade" is not an option/);
  });

  it('reads decimals as Salesforce writes them, refusing anything else', () => {
    expect(parseDecimal('48000.0')).toBe('48000');
    expect(parseDecimal('1.0E7')).toBe('10000000');
    expect(parseDecimal('-0.50')).toBe('-0.5');
    expect(parseDecimal('12,5')).toBeUndefined();
    expect(parseDecimal('')).toBeUndefined();
  });
});

describe('fields to read from Salesforce', () => {
  it('are the default sources plus every mapped field, once each', () => {
    const withAccountMapping = settings({
      customFields: [{ key: 'region', label: 'Region', type: 'text', appliesTo: 'account' }],
      fieldMappings: {
        opportunity: [],
        account: [
          { salesforceField: 'Region__c', target: { kind: 'custom', key: 'region' } },
          { salesforceField: 'name', target: { kind: 'core', field: 'name' } },
        ],
        contact: [],
      },
    });
    const fields = salesforceFieldsFor('account', withAccountMapping);
    expect(fields).toEqual(expect.arrayContaining(['Name', 'Phone', 'BillingCity', 'Region__c']));
    expect(fields.filter((f) => f.toLowerCase() === 'name')).toHaveLength(1);
  });
});
