import type { SObjectDescribe } from './contracts';

/**
 * Object and field definitions for the objects this sandbox knows. Field types and names follow
 * Salesforce's Object Reference (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/).
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'currency'
  | 'double'
  | 'percent'
  | 'int'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'reference'
  | 'base64';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue?: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Settable on create / update through the API. */
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  /** Required on create (not nillable, createable, no default). */
  required?: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  referenceTo?: string[];
  /** Parent relationship name used in SOQL paths (`Account.Name`). */
  relationshipName?: string;
  /** Child relationship name on the parent object (`OpportunityContactRoles`). */
  childRelationshipName?: string;
  /** Deleting the parent deletes the children, as master-detail and some standard lookups do. */
  cascadeDelete?: boolean;
  picklistValues?: PicklistValue[];
  /** A restricted picklist rejects values outside its list (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST). */
  restrictedPicklist?: boolean;
  custom?: boolean;
  calculated?: boolean;
  /** An external id field: upsert matches on it, and it is an id lookup. */
  externalId?: boolean;
  /** No two records of the object may share its value (DUPLICATE_VALUE). */
  unique?: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  custom?: boolean;
}

export interface ChildRelationship {
  relationshipName: string;
  childSObject: string;
  field: string;
  cascadeDelete: boolean;
}

/** What a seed may declare for a custom field. */
export interface CustomFieldInput {
  name: string;
  type: FieldType;
  label?: string;
  length?: number;
  precision?: number;
  scale?: number;
  referenceTo?: string;
  picklistValues?: string[];
  restrictedPicklist?: boolean;
  required?: boolean;
  externalId?: boolean;
  unique?: boolean;
}

type Partial2 = Omit<FieldDef, 'createable' | 'updateable' | 'nillable' | 'label'> & Partial<FieldDef>;

function f(def: Partial2): FieldDef {
  return {
    label: def.label ?? labelOf(def.name),
    createable: def.createable ?? true,
    updateable: def.updateable ?? def.createable ?? true,
    nillable: def.nillable ?? true,
    ...def,
  } as FieldDef;
}

function ro(def: Partial2): FieldDef {
  return f({ ...def, createable: false, updateable: false });
}

function labelOf(name: string): string {
  const base = name.replace(/__c$/, '').replace(/Id$/, ' ID');
  return base.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
}

function picklist(values: string[], defaultValue?: string): PicklistValue[] {
  return values.map((value) => ({
    value,
    label: value,
    active: true,
    ...(value === defaultValue ? { defaultValue: true } : {}),
  }));
}

const audit = (): FieldDef[] => [
  ro({ name: 'Id', type: 'id', nillable: false, length: 18 }),
  ro({ name: 'IsDeleted', type: 'boolean', nillable: false }),
  ro({ name: 'CreatedDate', type: 'datetime', nillable: false }),
  ro({
    name: 'CreatedById',
    type: 'reference',
    nillable: false,
    referenceTo: ['User'],
    relationshipName: 'CreatedBy',
  }),
  ro({ name: 'LastModifiedDate', type: 'datetime', nillable: false }),
  ro({
    name: 'LastModifiedById',
    type: 'reference',
    nillable: false,
    referenceTo: ['User'],
    relationshipName: 'LastModifiedBy',
  }),
  ro({ name: 'SystemModstamp', type: 'datetime', nillable: false }),
];

const owner = (): FieldDef =>
  f({
    name: 'OwnerId',
    type: 'reference',
    nillable: false,
    referenceTo: ['User'],
    relationshipName: 'Owner',
  });

/** Stage → default probability, as in a new org's Opportunity Stages setup. */
export const OPPORTUNITY_STAGES: ReadonlyArray<{
  stage: string;
  probability: number;
  closed: boolean;
  won: boolean;
}> = [
  { stage: 'Prospecting', probability: 10, closed: false, won: false },
  { stage: 'Qualification', probability: 10, closed: false, won: false },
  { stage: 'Needs Analysis', probability: 20, closed: false, won: false },
  { stage: 'Value Proposition', probability: 50, closed: false, won: false },
  { stage: 'Id. Decision Makers', probability: 60, closed: false, won: false },
  { stage: 'Perception Analysis', probability: 70, closed: false, won: false },
  { stage: 'Proposal/Price Quote', probability: 75, closed: false, won: false },
  { stage: 'Negotiation/Review', probability: 90, closed: false, won: false },
  { stage: 'Closed Won', probability: 100, closed: true, won: true },
  { stage: 'Closed Lost', probability: 0, closed: true, won: false },
];

const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];

const ROLES = [
  'Business User',
  'Decision Maker',
  'Economic Buyer',
  'Economic Decision Maker',
  'Evaluator',
  'Executive Sponsor',
  'Influencer',
  'Technical Buyer',
  'Other',
];

/**
 * The parts of an address field (BillingStreet … BillingLongitude), as the Object Reference
 * lists them; the compound BillingAddress itself is not modelled.
 */
function address(prefix: 'Billing' | 'Shipping' | 'Mailing' | 'Other'): FieldDef[] {
  return [
    f({ name: `${prefix}Street`, type: 'textarea', length: 255 }),
    f({ name: `${prefix}City`, type: 'string', length: 40 }),
    f({ name: `${prefix}State`, type: 'string', length: 80, label: `${prefix} State/Province` }),
    f({ name: `${prefix}PostalCode`, type: 'string', length: 20, label: `${prefix} Zip/Postal Code` }),
    f({ name: `${prefix}Country`, type: 'string', length: 80 }),
    f({ name: `${prefix}Latitude`, type: 'double', precision: 18, scale: 15 }),
    f({ name: `${prefix}Longitude`, type: 'double', precision: 18, scale: 15 }),
  ];
}

const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];

/** The org has multiple currencies enabled: every object has a CurrencyIsoCode. */
const currencyIsoCode = (label: string): FieldDef =>
  f({
    name: 'CurrencyIsoCode',
    type: 'picklist',
    length: 3,
    label,
    picklistValues: picklist(['EUR', 'USD', 'GBP'], 'EUR'),
  });

export function standardObjects(): ObjectDef[] {
  const obj = (
    name: string,
    keyPrefix: string,
    fields: FieldDef[],
    extra: Partial<ObjectDef> = {},
  ): ObjectDef => ({
    name,
    label: extra.label ?? labelOf(name),
    labelPlural: extra.labelPlural ?? `${labelOf(name)}s`,
    keyPrefix,
    fields,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    ...extra,
  });
  return [
    obj(
      'Organization',
      '00D',
      [
        ...audit(),
        ro({ name: 'Name', type: 'string', length: 80 }),
        ro({ name: 'OrganizationType', type: 'string', length: 40 }),
        ro({ name: 'InstanceName', type: 'string', length: 5 }),
        ro({ name: 'IsSandbox', type: 'boolean', nillable: false }),
        ro({ name: 'DefaultLocaleSidKey', type: 'string', length: 40 }),
        ro({ name: 'TimeZoneSidKey', type: 'string', length: 40 }),
        ro({ name: 'LanguageLocaleKey', type: 'string', length: 40 }),
      ],
      { createable: false, updateable: false, deletable: false },
    ),
    obj(
      'User',
      '005',
      [
        ...audit(),
        f({ name: 'Username', type: 'string', length: 80, nillable: false, required: true }),
        f({ name: 'FirstName', type: 'string', length: 40 }),
        f({ name: 'LastName', type: 'string', length: 80, nillable: false, required: true }),
        ro({ name: 'Name', type: 'string', length: 121, calculated: true }),
        f({ name: 'Email', type: 'email', length: 128, nillable: false, required: true }),
        f({ name: 'Alias', type: 'string', length: 8 }),
        f({ name: 'Title', type: 'string', length: 80 }),
        f({ name: 'IsActive', type: 'boolean', nillable: false }),
        f({ name: 'TimeZoneSidKey', type: 'string', length: 40 }),
        f({ name: 'LanguageLocaleKey', type: 'string', length: 40 }),
        f({ name: 'LocaleSidKey', type: 'string', length: 40 }),
        f({ name: 'CompanyName', type: 'string', length: 80 }),
        f({ name: 'Department', type: 'string', length: 80 }),
        f({ name: 'Phone', type: 'phone', length: 40 }),
        f({ name: 'MobilePhone', type: 'phone', length: 40, label: 'Mobile' }),
        f({ name: 'Street', type: 'textarea', length: 255 }),
        f({ name: 'City', type: 'string', length: 40 }),
        f({ name: 'State', type: 'string', length: 80, label: 'State/Province' }),
        f({ name: 'PostalCode', type: 'string', length: 20, label: 'Zip/Postal Code' }),
        f({ name: 'Country', type: 'string', length: 80 }),
      ],
      { deletable: false },
    ),
    obj('Account', '001', [
      ...audit(),
      f({
        name: 'Name',
        type: 'string',
        length: 255,
        nillable: false,
        required: true,
        label: 'Account Name',
      }),
      f({ name: 'Phone', type: 'phone', length: 40, label: 'Account Phone' }),
      f({ name: 'Website', type: 'url', length: 255 }),
      f({ name: 'Industry', type: 'picklist', length: 255, picklistValues: picklist(INDUSTRIES) }),
      f({
        name: 'Type',
        type: 'picklist',
        length: 255,
        label: 'Account Type',
        picklistValues: picklist([
          'Prospect',
          'Customer - Direct',
          'Customer - Channel',
          'Channel Partner / Reseller',
          'Installation Partner',
          'Technology Partner',
          'Other',
        ]),
      }),
      f({ name: 'Description', type: 'textarea', length: 32000, label: 'Account Description' }),
      ...address('Billing'),
      f({ name: 'AccountNumber', type: 'string', length: 40 }),
      f({
        name: 'ParentId',
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Parent',
        childRelationshipName: 'ChildAccounts',
        label: 'Parent Account ID',
      }),
      f({ name: 'Fax', type: 'phone', length: 40, label: 'Account Fax' }),
      f({ name: 'NumberOfEmployees', type: 'int', precision: 8, label: 'Employees' }),
      f({ name: 'AnnualRevenue', type: 'currency', precision: 18, scale: 0 }),
      f({
        name: 'Ownership',
        type: 'picklist',
        length: 255,
        picklistValues: picklist(['Public', 'Private', 'Subsidiary', 'Other']),
      }),
      f({ name: 'TickerSymbol', type: 'string', length: 20 }),
      f({
        name: 'Rating',
        type: 'picklist',
        length: 255,
        label: 'Account Rating',
        picklistValues: picklist(['Hot', 'Warm', 'Cold']),
      }),
      f({ name: 'Site', type: 'string', length: 80, label: 'Account Site' }),
      f({ name: 'Sic', type: 'string', length: 20, label: 'SIC Code' }),
      f({ name: 'SicDesc', type: 'string', length: 80, label: 'SIC Description' }),
      f({ name: 'YearStarted', type: 'string', length: 4 }),
      f({ name: 'AccountSource', type: 'picklist', length: 255, picklistValues: picklist(LEAD_SOURCES) }),
      ...address('Shipping'),
      ro({ name: 'PhotoUrl', type: 'url', length: 255 }),
      ro({
        name: 'MasterRecordId',
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'MasterRecord',
      }),
      ro({ name: 'LastActivityDate', type: 'date' }),
      ro({ name: 'LastViewedDate', type: 'datetime' }),
      ro({ name: 'LastReferencedDate', type: 'datetime' }),
      currencyIsoCode('Account Currency'),
      owner(),
    ]),
    obj('Contact', '003', [
      ...audit(),
      f({
        name: 'AccountId',
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Account',
        childRelationshipName: 'Contacts',
        cascadeDelete: true,
      }),
      f({
        name: 'Salutation',
        type: 'picklist',
        length: 40,
        picklistValues: picklist(['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.']),
      }),
      f({ name: 'FirstName', type: 'string', length: 40 }),
      f({ name: 'LastName', type: 'string', length: 80, nillable: false, required: true }),
      ro({ name: 'Name', type: 'string', length: 121, calculated: true, label: 'Full Name' }),
      f({ name: 'Email', type: 'email', length: 80 }),
      f({ name: 'Phone', type: 'phone', length: 40, label: 'Business Phone' }),
      f({ name: 'MobilePhone', type: 'phone', length: 40 }),
      f({ name: 'Title', type: 'string', length: 128 }),
      f({ name: 'Department', type: 'string', length: 80 }),
      ...address('Mailing'),
      ...address('Other'),
      f({
        name: 'ReportsToId',
        type: 'reference',
        referenceTo: ['Contact'],
        relationshipName: 'ReportsTo',
        label: 'Reports To ID',
      }),
      f({ name: 'HomePhone', type: 'phone', length: 40 }),
      f({ name: 'OtherPhone', type: 'phone', length: 40 }),
      f({ name: 'Fax', type: 'phone', length: 40, label: 'Business Fax' }),
      f({ name: 'AssistantName', type: 'string', length: 40, label: "Assistant's Name" }),
      f({ name: 'AssistantPhone', type: 'phone', length: 40, label: 'Asst. Phone' }),
      f({ name: 'Birthdate', type: 'date' }),
      f({ name: 'LeadSource', type: 'picklist', length: 255, picklistValues: picklist(LEAD_SOURCES) }),
      f({ name: 'Description', type: 'textarea', length: 32000, label: 'Contact Description' }),
      f({ name: 'HasOptedOutOfEmail', type: 'boolean', nillable: false, label: 'Email Opt Out' }),
      f({ name: 'HasOptedOutOfFax', type: 'boolean', nillable: false, label: 'Fax Opt Out' }),
      f({ name: 'DoNotCall', type: 'boolean', nillable: false }),
      ro({ name: 'IsEmailBounced', type: 'boolean', nillable: false }),
      f({ name: 'EmailBouncedReason', type: 'string', length: 255 }),
      f({ name: 'EmailBouncedDate', type: 'datetime' }),
      ro({ name: 'PhotoUrl', type: 'url', length: 255 }),
      ro({
        name: 'MasterRecordId',
        type: 'reference',
        referenceTo: ['Contact'],
        relationshipName: 'MasterRecord',
      }),
      ro({ name: 'LastActivityDate', type: 'date' }),
      ro({ name: 'LastCURequestDate', type: 'datetime', label: 'Last Stay-in-Touch Request Date' }),
      ro({ name: 'LastCUUpdateDate', type: 'datetime', label: 'Last Stay-in-Touch Save Date' }),
      ro({ name: 'LastViewedDate', type: 'datetime' }),
      ro({ name: 'LastReferencedDate', type: 'datetime' }),
      currencyIsoCode('Contact Currency'),
      owner(),
    ]),
    obj('Opportunity', '006', [
      ...audit(),
      f({
        name: 'AccountId',
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Account',
        childRelationshipName: 'Opportunities',
        cascadeDelete: true,
      }),
      f({ name: 'Name', type: 'string', length: 120, nillable: false, required: true }),
      f({ name: 'Description', type: 'textarea', length: 32000 }),
      f({
        name: 'StageName',
        type: 'picklist',
        length: 255,
        nillable: false,
        required: true,
        label: 'Stage',
        restrictedPicklist: true,
        // No default stage: an insert without StageName fails, as in a new org.
        picklistValues: picklist(OPPORTUNITY_STAGES.map((s) => s.stage)),
      }),
      f({ name: 'Amount', type: 'currency', precision: 18, scale: 2 }),
      f({ name: 'Probability', type: 'percent', precision: 3, scale: 0, label: 'Probability (%)' }),
      f({ name: 'CloseDate', type: 'date', nillable: false, required: true }),
      f({
        name: 'Type',
        type: 'picklist',
        length: 255,
        label: 'Opportunity Type',
        picklistValues: picklist([
          'Existing Customer - Upgrade',
          'Existing Customer - Replacement',
          'Existing Customer - Downgrade',
          'New Customer',
        ]),
      }),
      f({ name: 'NextStep', type: 'string', length: 255 }),
      f({
        name: 'LeadSource',
        type: 'picklist',
        length: 255,
        picklistValues: picklist(LEAD_SOURCES),
      }),
      f({ name: 'IsPrivate', type: 'boolean', nillable: false, label: 'Private' }),
      ro({ name: 'ExpectedRevenue', type: 'currency', precision: 18, scale: 2, calculated: true }),
      f({ name: 'TotalOpportunityQuantity', type: 'double', precision: 18, scale: 2, label: 'Quantity' }),
      f({
        name: 'Pricebook2Id',
        type: 'reference',
        referenceTo: ['Pricebook2'],
        relationshipName: 'Pricebook2',
        childRelationshipName: 'Opportunities',
        label: 'Price Book ID',
      }),
      f({
        name: 'ForecastCategory',
        type: 'picklist',
        length: 40,
        picklistValues: picklist(['Omitted', 'Pipeline', 'BestCase', 'MostLikely', 'Forecast', 'Closed']),
      }),
      ro({ name: 'HasOpenActivity', type: 'boolean', nillable: false }),
      ro({ name: 'HasOverdueTask', type: 'boolean', nillable: false }),
      ro({ name: 'LastActivityDate', type: 'date' }),
      ro({ name: 'LastStageChangeDate', type: 'datetime' }),
      ro({ name: 'FiscalQuarter', type: 'int', precision: 2 }),
      ro({ name: 'FiscalYear', type: 'int', precision: 4 }),
      ro({ name: 'Fiscal', type: 'string', length: 6, label: 'Fiscal Period' }),
      ro({ name: 'LastViewedDate', type: 'datetime' }),
      ro({ name: 'LastReferencedDate', type: 'datetime' }),
      ro({ name: 'IsClosed', type: 'boolean', nillable: false, label: 'Closed' }),
      ro({ name: 'IsWon', type: 'boolean', nillable: false, label: 'Won' }),
      ro({
        name: 'ForecastCategoryName',
        type: 'picklist',
        length: 255,
        picklistValues: picklist(['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed']),
      }),
      f({
        name: 'CurrencyIsoCode',
        type: 'picklist',
        length: 3,
        label: 'Opportunity Currency',
        picklistValues: picklist(['EUR', 'USD', 'GBP'], 'EUR'),
      }),
      ro({ name: 'HasOpportunityLineItem', type: 'boolean', nillable: false, label: 'Has Line Item' }),
      owner(),
    ]),
    obj(
      'OpportunityContactRole',
      '00K',
      [
        ...audit(),
        f({
          name: 'OpportunityId',
          type: 'reference',
          nillable: false,
          required: true,
          referenceTo: ['Opportunity'],
          relationshipName: 'Opportunity',
          childRelationshipName: 'OpportunityContactRoles',
          cascadeDelete: true,
          updateable: false,
        }),
        f({
          name: 'ContactId',
          type: 'reference',
          nillable: false,
          required: true,
          referenceTo: ['Contact'],
          relationshipName: 'Contact',
          childRelationshipName: 'OpportunityContactRoles',
          cascadeDelete: true,
        }),
        f({ name: 'Role', type: 'picklist', length: 40, picklistValues: picklist(ROLES) }),
        f({ name: 'IsPrimary', type: 'boolean', nillable: false, label: 'Primary' }),
      ],
      { label: 'Opportunity Contact Role' },
    ),
    obj(
      'OpportunityLineItem',
      '00k',
      [
        ...audit(),
        f({
          name: 'OpportunityId',
          type: 'reference',
          nillable: false,
          required: true,
          referenceTo: ['Opportunity'],
          relationshipName: 'Opportunity',
          childRelationshipName: 'OpportunityLineItems',
          cascadeDelete: true,
          updateable: false,
        }),
        // Derived from the opportunity and the product behind the price book entry (products.ts).
        ro({ name: 'Name', type: 'string', length: 376, label: 'Opportunity Product Name' }),
        ro({ name: 'ProductCode', type: 'string', length: 255 }),
        f({ name: 'Description', type: 'string', length: 255, label: 'Line Description' }),
        f({ name: 'Quantity', type: 'double', precision: 12, scale: 2, nillable: false, required: true }),
        f({ name: 'UnitPrice', type: 'currency', precision: 18, scale: 2, label: 'Sales Price' }),
        f({ name: 'Discount', type: 'percent', precision: 18, scale: 2 }),
        // Kept for backward compatibility: given instead of UnitPrice, it sets the sales price.
        f({ name: 'TotalPrice', type: 'currency', precision: 18, scale: 2 }),
        f({ name: 'SortOrder', type: 'int', precision: 9, scale: 0 }),
        f({
          name: 'PricebookEntryId',
          type: 'reference',
          referenceTo: ['PricebookEntry'],
          relationshipName: 'PricebookEntry',
          childRelationshipName: 'OpportunityLineItems',
          label: 'Price Book Entry ID',
          updateable: false,
        }),
        f({
          name: 'Product2Id',
          type: 'reference',
          referenceTo: ['Product2'],
          relationshipName: 'Product2',
          label: 'Product ID',
          updateable: false,
        }),
        ro({ name: 'ListPrice', type: 'currency', precision: 18, scale: 2 }),
        ro({ name: 'Subtotal', type: 'currency', precision: 18, scale: 2, calculated: true }),
        f({ name: 'ServiceDate', type: 'date', label: 'Date' }),
        currencyIsoCode('Currency ISO Code'),
      ],
      { label: 'Opportunity Product' },
    ),
    obj(
      'Product2',
      '01t',
      [
        ...audit(),
        f({
          name: 'Name',
          type: 'string',
          length: 255,
          nillable: false,
          required: true,
          label: 'Product Name',
        }),
        f({ name: 'ProductCode', type: 'string', length: 255 }),
        f({ name: 'Description', type: 'textarea', length: 4000, label: 'Product Description' }),
        f({ name: 'IsActive', type: 'boolean', nillable: false, label: 'Active' }),
        f({
          name: 'Family',
          type: 'picklist',
          length: 255,
          label: 'Product Family',
          picklistValues: picklist(['None']),
        }),
        f({ name: 'ExternalId', type: 'string', length: 255, label: 'External ID' }),
        f({ name: 'DisplayUrl', type: 'url', length: 1000 }),
        f({
          name: 'QuantityUnitOfMeasure',
          type: 'picklist',
          length: 255,
          label: 'Quantity Unit Of Measure',
          picklistValues: picklist(['Each']),
        }),
        f({ name: 'StockKeepingUnit', type: 'string', length: 180, label: 'Product SKU' }),
        ro({ name: 'IsArchived', type: 'boolean', nillable: false, label: 'Archived' }),
        ro({ name: 'LastViewedDate', type: 'datetime' }),
        ro({ name: 'LastReferencedDate', type: 'datetime' }),
        currencyIsoCode('Product Currency'),
      ],
      { label: 'Product' },
    ),
    obj(
      'Pricebook2',
      '01s',
      [
        ...audit(),
        f({
          name: 'Name',
          type: 'string',
          length: 255,
          nillable: false,
          required: true,
          label: 'Price Book Name',
        }),
        f({ name: 'IsActive', type: 'boolean', nillable: false, label: 'Active' }),
        ro({ name: 'IsStandard', type: 'boolean', nillable: false, label: 'Is Standard Price Book' }),
        f({ name: 'Description', type: 'string', length: 255 }),
        ro({ name: 'IsArchived', type: 'boolean', nillable: false, label: 'Archived' }),
        ro({ name: 'LastViewedDate', type: 'datetime' }),
        ro({ name: 'LastReferencedDate', type: 'datetime' }),
      ],
      { label: 'Price Book' },
    ),
    obj(
      'PricebookEntry',
      '01u',
      [
        ...audit(),
        f({
          name: 'Pricebook2Id',
          type: 'reference',
          nillable: false,
          required: true,
          updateable: false,
          referenceTo: ['Pricebook2'],
          relationshipName: 'Pricebook2',
          childRelationshipName: 'PricebookEntries',
          label: 'Price Book ID',
        }),
        f({
          name: 'Product2Id',
          type: 'reference',
          nillable: false,
          required: true,
          updateable: false,
          referenceTo: ['Product2'],
          relationshipName: 'Product2',
          childRelationshipName: 'PricebookEntries',
          label: 'Product ID',
        }),
        ro({ name: 'Name', type: 'string', length: 255, label: 'Product Name' }),
        ro({ name: 'ProductCode', type: 'string', length: 255 }),
        f({
          name: 'UnitPrice',
          type: 'currency',
          precision: 18,
          scale: 2,
          nillable: false,
          required: true,
          label: 'List Price',
        }),
        f({ name: 'IsActive', type: 'boolean', nillable: false, label: 'Active' }),
        f({ name: 'UseStandardPrice', type: 'boolean', nillable: false }),
        ro({ name: 'IsArchived', type: 'boolean', nillable: false, label: 'Archived' }),
        currencyIsoCode('Price Book Entry Currency'),
      ],
      { label: 'Price Book Entry', labelPlural: 'Price Book Entries' },
    ),
    obj(
      'ContentDocument',
      '069',
      [
        ...audit(),
        f({ name: 'Title', type: 'string', length: 255, nillable: false }),
        ro({
          name: 'LatestPublishedVersionId',
          type: 'reference',
          referenceTo: ['ContentVersion'],
          relationshipName: 'LatestPublishedVersion',
        }),
        ro({ name: 'FileType', type: 'string', length: 20 }),
        ro({ name: 'FileExtension', type: 'string', length: 40 }),
        ro({ name: 'ContentSize', type: 'int' }),
        f({ name: 'Description', type: 'textarea', length: 1000 }),
        owner(),
      ],
      { createable: false },
    ),
    obj(
      'ContentVersion',
      '068',
      [
        ...audit(),
        f({
          name: 'ContentDocumentId',
          type: 'reference',
          referenceTo: ['ContentDocument'],
          relationshipName: 'ContentDocument',
          childRelationshipName: 'ContentVersions',
          cascadeDelete: true,
          updateable: false,
        }),
        f({ name: 'Title', type: 'string', length: 255 }),
        f({ name: 'PathOnClient', type: 'string', length: 500, updateable: false }),
        f({ name: 'VersionData', type: 'base64', updateable: false }),
        f({ name: 'Description', type: 'textarea', length: 1000 }),
        f({ name: 'ReasonForChange', type: 'string', length: 1000 }),
        f({
          name: 'FirstPublishLocationId',
          type: 'reference',
          referenceTo: ['Account', 'Contact', 'Opportunity', 'User'],
          relationshipName: 'FirstPublishLocation',
          updateable: false,
        }),
        ro({ name: 'VersionNumber', type: 'string', length: 20 }),
        ro({ name: 'IsLatest', type: 'boolean', nillable: false }),
        ro({ name: 'ContentSize', type: 'int' }),
        ro({ name: 'FileType', type: 'string', length: 20 }),
        ro({ name: 'FileExtension', type: 'string', length: 40 }),
        ro({ name: 'Checksum', type: 'string', length: 50 }),
        owner(),
      ],
      { deletable: false },
    ),
    obj(
      'ContentDocumentLink',
      '06A',
      [
        ro({ name: 'Id', type: 'id', nillable: false, length: 18 }),
        ro({ name: 'IsDeleted', type: 'boolean', nillable: false }),
        ro({ name: 'SystemModstamp', type: 'datetime', nillable: false }),
        f({
          name: 'LinkedEntityId',
          type: 'reference',
          nillable: false,
          required: true,
          referenceTo: ['Account', 'Contact', 'Opportunity', 'User'],
          relationshipName: 'LinkedEntity',
          childRelationshipName: 'ContentDocumentLinks',
          cascadeDelete: true,
          updateable: false,
        }),
        f({
          name: 'ContentDocumentId',
          type: 'reference',
          nillable: false,
          required: true,
          referenceTo: ['ContentDocument'],
          relationshipName: 'ContentDocument',
          childRelationshipName: 'ContentDocumentLinks',
          cascadeDelete: true,
          updateable: false,
        }),
        f({ name: 'ShareType', type: 'picklist', length: 40, picklistValues: picklist(['V', 'C', 'I']) }),
        f({
          name: 'Visibility',
          type: 'picklist',
          length: 40,
          picklistValues: picklist(['AllUsers', 'InternalUsers', 'SharedUsers']),
        }),
      ],
      { updateable: true },
    ),
  ];
}

export function customField(input: CustomFieldInput): FieldDef {
  if (!input.name.endsWith('__c')) throw new Error(`custom field ${input.name} must end with __c`);
  const base: FieldDef = {
    name: input.name,
    label: input.label ?? labelOf(input.name),
    type: input.type,
    createable: true,
    updateable: true,
    nillable: !input.required && input.type !== 'boolean',
    required: input.required ?? false,
    custom: true,
  };
  if (input.length !== undefined) base.length = input.length;
  else if (input.type === 'string') base.length = 255;
  if (input.precision !== undefined) base.precision = input.precision;
  if (input.scale !== undefined) base.scale = input.scale;
  if (input.type === 'reference') {
    if (!input.referenceTo) throw new Error(`custom lookup ${input.name} needs referenceTo`);
    base.referenceTo = [input.referenceTo];
    base.relationshipName = input.name.replace(/__c$/, '__r');
  }
  if (input.picklistValues) base.picklistValues = picklist(input.picklistValues);
  if (input.restrictedPicklist) base.restrictedPicklist = true;
  if (input.externalId) base.externalId = true;
  if (input.unique) base.unique = true;
  return base;
}

/** A case-insensitive view over the object definitions: SOQL and REST accept any case for names. */
export class Schema {
  private readonly objects = new Map<string, ObjectDef>();
  private readonly fieldIndex = new Map<string, Map<string, FieldDef>>();

  constructor(objects: ObjectDef[] = standardObjects()) {
    for (const o of objects) this.add(o);
  }

  private add(o: ObjectDef): void {
    this.objects.set(o.name.toLowerCase(), o);
    this.fieldIndex.set(o.name.toLowerCase(), new Map(o.fields.map((fd) => [fd.name.toLowerCase(), fd])));
  }

  object(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  list(): ObjectDef[] {
    return [...this.objects.values()];
  }

  field(objectName: string, fieldName: string): FieldDef | undefined {
    return this.fieldIndex.get(objectName.toLowerCase())?.get(fieldName.toLowerCase());
  }

  /** Parent relationship (`Account`, `Owner`, `Custom__r`) → the reference field behind it. */
  parentRelationship(objectName: string, relationshipName: string): FieldDef | undefined {
    const o = this.object(objectName);
    const wanted = relationshipName.toLowerCase();
    return o?.fields.find((fd) => fd.relationshipName?.toLowerCase() === wanted);
  }

  childRelationships(objectName: string): ChildRelationship[] {
    const target = this.object(objectName)?.name;
    if (!target) return [];
    const out: ChildRelationship[] = [];
    for (const child of this.objects.values()) {
      for (const fd of child.fields) {
        if (fd.childRelationshipName && fd.referenceTo?.includes(target)) {
          out.push({
            relationshipName: fd.childRelationshipName,
            childSObject: child.name,
            field: fd.name,
            cascadeDelete: fd.cascadeDelete ?? false,
          });
        }
      }
    }
    return out;
  }

  childRelationship(objectName: string, relationshipName: string): ChildRelationship | undefined {
    const wanted = relationshipName.toLowerCase();
    return this.childRelationships(objectName).find((r) => r.relationshipName.toLowerCase() === wanted);
  }

  objectByKeyPrefix(prefix: string): ObjectDef | undefined {
    return [...this.objects.values()].find((o) => o.keyPrefix === prefix);
  }

  addCustomField(objectName: string, input: CustomFieldInput): FieldDef {
    const o = this.object(objectName);
    if (!o) throw new Error(`unknown object ${objectName}`);
    const def = customField(input);
    const existing = o.fields.findIndex((fd) => fd.name.toLowerCase() === def.name.toLowerCase());
    if (existing >= 0) o.fields.splice(existing, 1, def);
    else o.fields.push(def);
    this.add(o);
    return def;
  }

  /** Every custom field, with its object: what a persisted org saves (persistence.ts). */
  customFields(): Array<{ sObjectType: string; field: FieldDef }> {
    return this.list().flatMap((o) =>
      o.fields
        .filter((fd) => fd.custom)
        .map((field) => ({ sObjectType: o.name, field: structuredClone(field) })),
    );
  }

  /** Puts saved custom fields back as they were defined (after removeCustomFields). */
  restoreCustomFields(fields: ReadonlyArray<{ sObjectType: string; field: FieldDef }>): void {
    for (const { sObjectType, field } of fields) {
      const o = this.object(sObjectType);
      if (!o) continue;
      o.fields = [...o.fields.filter((fd) => fd.name.toLowerCase() !== field.name.toLowerCase()), field];
      this.add(o);
    }
  }

  /** Forgets custom fields (control-plane reset). */
  removeCustomFields(): void {
    for (const o of this.objects.values()) {
      o.fields = o.fields.filter((fd) => !fd.custom);
      this.add(o);
    }
  }

  /** The contract's small describe; the REST layer builds the full one from the same definitions. */
  describe(objectName: string): SObjectDescribe | undefined {
    const o = this.object(objectName);
    if (!o) return undefined;
    return {
      name: o.name,
      keyPrefix: o.keyPrefix,
      fields: o.fields.map((fd) => ({
        name: fd.name,
        type: fd.type,
        updateable: fd.updateable,
        nillable: fd.nillable,
        ...(fd.picklistValues
          ? {
              picklistValues: fd.picklistValues.map(({ value, label, active }) => ({ value, label, active })),
            }
          : {}),
      })),
    };
  }
}
