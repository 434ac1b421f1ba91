import { DEFAULT_CORE_SOURCES } from '../../../shared/domain/field-mapping';
import {
  CONDITION_OPERATORS,
  CORE_FIELDS,
  type ConditionOperator,
  type CustomFieldType,
  NUMBER_TYPES,
  ORDERED_TYPES,
  type SyncedObject,
} from '../../../shared/domain/settings-vocabulary';
import type { CustomField, FieldMapping } from '../api/types';

/**
 * What the field-mapping tables offer: the condition operators and the Scoro fields that fit a
 * Salesforce field's type. The vocabulary is the server's own (shared/domain), so the console
 * offers exactly what the settings accept.
 */
export const OPERATOR_LABELS: Readonly<Record<ConditionOperator, string>> = {
  eq: 'equal',
  gt: 'more than',
  lt: 'less than',
  lte: 'less than or equal to',
  gte: 'more than or equal to',
};

export const CUSTOM_TYPE_LABELS: Readonly<Record<CustomFieldType, string>> = {
  text: 'Text',
  number: 'Number',
  checkbox: 'Checkbox',
  dropdown: 'Drop-down list',
};

export const OBJECT_LABELS: Readonly<Record<SyncedObject, { salesforce: string; scoro: string }>> = {
  opportunity: { salesforce: 'Opportunity', scoro: 'Quote' },
  account: { salesforce: 'Account', scoro: 'Company' },
  contact: { salesforce: 'Contact', scoro: 'Person' },
};

/** Readable names of the core fields ("closeDate" → "Close date"). */
export const CORE_FIELD_LABELS: Readonly<Record<string, string>> = {
  title: 'Title',
  description: 'Description',
  closeDate: 'Close date',
  opportunityAmount: 'Opportunity amount',
  currency: 'Currency',
  name: 'Name',
  phone: 'Phone',
  website: 'Website',
  industry: 'Industry',
  billingStreet: 'Billing street',
  billingCity: 'Billing city',
  billingPostalCode: 'Billing postal code',
  billingState: 'Billing state',
  billingCountry: 'Billing country',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'E-mail',
};

/** Operators offered for a Salesforce field type: ordering ones only where values have an order. */
export function operatorsFor(salesforceType: string): ConditionOperator[] {
  return ORDERED_TYPES.has(salesforceType) ? [...CONDITION_OPERATORS] : ['eq'];
}

export type ValueKind = 'number' | 'date' | 'datetime' | 'boolean' | 'text';

export function valueKindOf(salesforceType: string): ValueKind {
  if (NUMBER_TYPES.has(salesforceType)) return 'number';
  if (salesforceType === 'date') return 'date';
  if (salesforceType === 'datetime') return 'datetime';
  if (salesforceType === 'boolean') return 'boolean';
  return 'text';
}

/** Core fields whose values need a kind of Salesforce field; the others take any text. */
const CORE_KIND: Readonly<Record<string, (type: string) => boolean>> = {
  closeDate: (type) => type === 'date',
  opportunityAmount: (type) => NUMBER_TYPES.has(type),
  currency: (type) => type === 'picklist' || type === 'string',
  email: (type) => type === 'email' || type === 'string',
};

/** Salesforce types whose values are text a text field can hold. */
const TEXTUAL = new Set([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'email',
  'phone',
  'url',
  'id',
  'reference',
  'combobox',
  'date',
  'datetime',
  'double',
  'currency',
  'int',
  'long',
  'percent',
  'boolean',
]);

export function coreFieldsFor(object: SyncedObject, salesforceType: string): string[] {
  return CORE_FIELDS[object].filter((field) => {
    const fits = CORE_KIND[field];
    return fits ? fits(salesforceType) : TEXTUAL.has(salesforceType);
  });
}

/** Custom field types a Salesforce field's values fit. */
export function customTypesFor(salesforceType: string): CustomFieldType[] {
  const types: CustomFieldType[] = [];
  if (TEXTUAL.has(salesforceType)) types.push('text');
  if (NUMBER_TYPES.has(salesforceType)) types.push('number');
  if (salesforceType === 'boolean') types.push('checkbox');
  if (salesforceType === 'picklist') types.push('dropdown');
  return types;
}

export function customFieldsFor(
  object: SyncedObject,
  salesforceType: string,
  customFields: readonly CustomField[],
): CustomField[] {
  const types = customTypesFor(salesforceType);
  return customFields.filter((field) => field.appliesTo === object && types.includes(field.type));
}

/** The core field a Salesforce field fills without any mapping ("Name" → title), if any. */
export function defaultTargetOf(object: SyncedObject, salesforceField: string): string | undefined {
  const lower = salesforceField.toLowerCase();
  return Object.entries(DEFAULT_CORE_SOURCES[object]).find(
    ([, source]) => source.toLowerCase() === lower,
  )?.[0];
}

/** A mapping's target as one select value: `core:title` or `custom:budget`. */
export function targetValue(target: FieldMapping['target']): string {
  return target.kind === 'core' ? `core:${target.field}` : `custom:${target.key}`;
}

export function parseTarget(value: string): FieldMapping['target'] | undefined {
  const [kind, name] = value.split(':', 2);
  if (!name) return undefined;
  if (kind === 'core') return { kind: 'core', field: name };
  if (kind === 'custom') return { kind: 'custom', key: name };
  return undefined;
}

/**
 * A condition's value as the API takes it: a number for a number field (the text as typed
 * otherwise, so the API names what is wrong with it), text for the rest.
 */
export function conditionValue(salesforceType: string, text: string): string | number {
  if (valueKindOf(salesforceType) !== 'number') return text;
  const trimmed = text.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
}

/** A key for a new custom field from its label ("Project budget" → "project_budget"). */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);
  return key || 'field';
}
