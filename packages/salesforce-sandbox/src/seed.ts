import { z } from 'zod';
import type { CustomFieldInput } from './schema';
import type { MemoryStore, ValidationRule } from './store';

const fieldType = z.enum([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'currency',
  'double',
  'percent',
  'int',
  'boolean',
  'date',
  'datetime',
  'reference',
]);

/** Body of POST /_sandbox/seed and the `seed` option. */
export const seedInput = z.strictObject({
  customFields: z
    .array(
      z.strictObject({
        sObjectType: z.string(),
        name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*__c$/, 'custom field names end with __c'),
        type: fieldType,
        label: z.string().optional(),
        length: z.number().int().positive().optional(),
        precision: z.number().int().positive().optional(),
        scale: z.number().int().nonnegative().optional(),
        referenceTo: z.string().optional(),
        picklistValues: z.array(z.string()).optional(),
        restrictedPicklist: z.boolean().optional(),
        required: z.boolean().optional(),
        externalId: z.boolean().optional(),
        unique: z.boolean().optional(),
      }),
    )
    .default([]),
  validationRules: z
    .array(
      z.strictObject({
        sObjectType: z.string(),
        name: z.string(),
        errorCondition: z.string(),
        errorMessage: z.string(),
        errorDisplayField: z.string().optional(),
      }),
    )
    .default([]),
  /**
   * Records in order; `ref` names a record so later ones can point at it with `@{ref}`
   * (as composite requests do). Audit dates (CreatedDate, LastModifiedDate) may be set.
   */
  records: z
    .array(
      z.strictObject({
        sObjectType: z.string(),
        ref: z.string().optional(),
        fields: z.record(z.string(), z.unknown()),
      }),
    )
    .default([]),
});

export type SeedInput = z.input<typeof seedInput>;

export interface SeedResult {
  /** ref → record id, for records that had a ref. */
  ids: Record<string, string>;
}

/** Applies a seed in one transaction: a bad record leaves the org as it was. */
export function applySeed(store: MemoryStore, input: SeedInput, userId: string): SeedResult {
  const seed = seedInput.parse(input);
  for (const { sObjectType, ...field } of seed.customFields) {
    store.schema.addCustomField(sObjectType, field as CustomFieldInput);
  }
  const rules: ValidationRule[] = seed.validationRules;
  if (rules.length > 0) store.setValidationRules(rules);
  // The standard price book every org has (`@{standardPricebook}`), for seeds' price book entries.
  const standard = store.rows('Pricebook2').find((book) => book.IsStandard === true);
  const ids: Record<string, string> = standard ? { standardPricebook: standard.Id } : {};
  store.transaction(() => {
    for (const record of seed.records) {
      const fields = Object.fromEntries(
        Object.entries(record.fields).map(([k, v]) => [k, typeof v === 'string' ? resolveRef(v, ids) : v]),
      );
      const created = store.create(record.sObjectType, fields, { userId, system: true });
      if (record.ref) ids[record.ref] = created.Id;
    }
  });
  return { ids };
}

function resolveRef(value: string, ids: Record<string, string>): string {
  const m = /^@\{([^}]+)\}$/.exec(value);
  if (!m?.[1]) return value;
  const id = ids[m[1]];
  if (!id) throw new Error(`seed: unknown ref ${m[1]}`);
  return id;
}

/** A small org to look at: three accounts, their contacts, opportunities with contact roles, one with products. */
export function demoSeed(): SeedInput {
  return {
    records: [
      {
        sObjectType: 'Account',
        ref: 'acme',
        fields: {
          Name: 'Acme Corporation',
          Phone: '+1 415 555 0100',
          Website: 'https://acme.example.com',
          Industry: 'Manufacturing',
          BillingStreet: '1 Market Street',
          BillingCity: 'San Francisco',
          BillingState: 'CA',
          BillingPostalCode: '94105',
          BillingCountry: 'United States',
        },
      },
      {
        sObjectType: 'Account',
        ref: 'globex',
        fields: {
          Name: 'Globex Ltd',
          Phone: '+44 20 7946 0000',
          Website: 'https://globex.example.co.uk',
          Industry: 'Technology',
          BillingStreet: '10 Downing Lane',
          BillingCity: 'London',
          BillingPostalCode: 'SW1A 2AA',
          BillingCountry: 'United Kingdom',
        },
      },
      {
        sObjectType: 'Account',
        ref: 'initech',
        fields: {
          Name: 'Initech OÜ',
          Industry: 'Consulting',
          BillingCity: 'Tallinn',
          BillingCountry: 'Estonia',
        },
      },
      {
        sObjectType: 'Contact',
        ref: 'wile',
        fields: {
          AccountId: '@{acme}',
          FirstName: 'Wile',
          LastName: 'Coyote',
          Email: 'wile@acme.example.com',
          Title: 'Head of Procurement',
          Phone: '+1 415 555 0101',
        },
      },
      {
        sObjectType: 'Contact',
        ref: 'road',
        fields: {
          AccountId: '@{acme}',
          FirstName: 'Road',
          LastName: 'Runner',
          Email: 'road@acme.example.com',
          Title: 'CFO',
        },
      },
      {
        sObjectType: 'Contact',
        ref: 'hank',
        fields: {
          AccountId: '@{globex}',
          FirstName: 'Hank',
          LastName: 'Scorpio',
          Email: 'hank@globex.example.co.uk',
          Title: 'CEO',
        },
      },
      {
        sObjectType: 'Contact',
        ref: 'peter',
        fields: {
          AccountId: '@{initech}',
          FirstName: 'Peter',
          LastName: 'Gibbons',
          Email: 'peter@initech.example.ee',
        },
      },
      {
        sObjectType: 'Opportunity',
        ref: 'acmeRenewal',
        fields: {
          AccountId: '@{acme}',
          Name: 'Acme — 2027 renewal',
          StageName: 'Proposal/Price Quote',
          CloseDate: '2026-12-15',
          Amount: 48000,
          Type: 'Existing Customer - Upgrade',
          LeadSource: 'Web',
          Description: 'Annual renewal with 20 more seats',
        },
      },
      {
        sObjectType: 'Opportunity',
        ref: 'acmeRollout',
        fields: {
          AccountId: '@{acme}',
          Name: 'Acme — warehouse rollout',
          StageName: 'Negotiation/Review',
          CloseDate: '2026-12-31',
          Type: 'New Customer',
        },
      },
      {
        sObjectType: 'Opportunity',
        ref: 'globexPilot',
        fields: {
          AccountId: '@{globex}',
          Name: 'Globex pilot',
          StageName: 'Qualification',
          CloseDate: '2027-01-31',
          Amount: 12000,
          LeadSource: 'Partner Referral',
        },
      },
      {
        sObjectType: 'Opportunity',
        ref: 'initechWon',
        fields: {
          AccountId: '@{initech}',
          Name: 'Initech TPS reports',
          StageName: 'Closed Won',
          CloseDate: '2026-10-01',
          Amount: 9900,
        },
      },
      {
        sObjectType: 'OpportunityContactRole',
        fields: {
          OpportunityId: '@{acmeRenewal}',
          ContactId: '@{wile}',
          Role: 'Decision Maker',
          IsPrimary: true,
        },
      },
      {
        sObjectType: 'OpportunityContactRole',
        fields: { OpportunityId: '@{acmeRenewal}', ContactId: '@{road}', Role: 'Economic Buyer' },
      },
      {
        sObjectType: 'OpportunityContactRole',
        fields: { OpportunityId: '@{acmeRollout}', ContactId: '@{wile}', Role: 'Evaluator', IsPrimary: true },
      },
      {
        sObjectType: 'OpportunityContactRole',
        fields: {
          OpportunityId: '@{globexPilot}',
          ContactId: '@{hank}',
          Role: 'Executive Sponsor',
          IsPrimary: true,
        },
      },
      {
        sObjectType: 'OpportunityContactRole',
        fields: { OpportunityId: '@{initechWon}', ContactId: '@{peter}', IsPrimary: true },
      },
      {
        sObjectType: 'Product2',
        ref: 'scanner',
        fields: { Name: 'Scanner licence', ProductCode: 'SCN-1', IsActive: true, Family: 'None' },
      },
      {
        sObjectType: 'Product2',
        ref: 'onboarding',
        fields: { Name: 'Onboarding', ProductCode: 'SRV-ONB', IsActive: true },
      },
      {
        sObjectType: 'PricebookEntry',
        ref: 'scannerPrice',
        fields: {
          Pricebook2Id: '@{standardPricebook}',
          Product2Id: '@{scanner}',
          UnitPrice: 1250,
          IsActive: true,
        },
      },
      {
        sObjectType: 'PricebookEntry',
        ref: 'onboardingPrice',
        fields: {
          Pricebook2Id: '@{standardPricebook}',
          Product2Id: '@{onboarding}',
          UnitPrice: 5000,
          IsActive: true,
        },
      },
      {
        sObjectType: 'OpportunityLineItem',
        fields: {
          OpportunityId: '@{acmeRollout}',
          PricebookEntryId: '@{scannerPrice}',
          Quantity: 25,
          UnitPrice: 1200,
          Description: 'One per warehouse door',
        },
      },
      {
        sObjectType: 'OpportunityLineItem',
        fields: {
          OpportunityId: '@{acmeRollout}',
          Product2Id: '@{onboarding}',
          Quantity: 1,
          UnitPrice: 5000,
          Discount: 10,
        },
      },
    ],
  };
}
