/**
 * The words of the settings: synced objects, their core fields, custom field types, condition
 * operators and the Salesforce field types they compare. Plain constants without zod, so the
 * console offers exactly what settings.ts accepts without bundling the schema.
 */
export const SYNCED_OBJECTS = ['opportunity', 'account', 'contact'] as const;
export type SyncedObject = (typeof SYNCED_OBJECTS)[number];

/** The Salesforce sObject behind each synced object. */
export const SOBJECT_OF: Readonly<Record<SyncedObject, string>> = {
  opportunity: 'Opportunity',
  account: 'Account',
  contact: 'Contact',
};

/** Fields of our records that a mapping may fill, per synced object (quote, company, person). */
export const CORE_FIELDS: Readonly<Record<SyncedObject, readonly string[]>> = {
  opportunity: ['title', 'description', 'closeDate', 'opportunityAmount', 'currency'],
  account: [
    'name',
    'phone',
    'website',
    'industry',
    'billingStreet',
    'billingCity',
    'billingPostalCode',
    'billingState',
    'billingCountry',
  ],
  contact: ['firstName', 'lastName', 'email', 'phone', 'title'],
};

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'checkbox', 'dropdown'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export const CONDITION_OPERATORS = ['eq', 'gt', 'lt', 'lte', 'gte'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** Salesforce field types on which the ordering operators make sense. */
export const ORDERED_TYPES: ReadonlySet<string> = new Set([
  'double',
  'currency',
  'int',
  'long',
  'percent',
  'date',
  'datetime',
]);
/** Salesforce field types whose values are numbers. */
export const NUMBER_TYPES: ReadonlySet<string> = new Set(['double', 'currency', 'int', 'long', 'percent']);
