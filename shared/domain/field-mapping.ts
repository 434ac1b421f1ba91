import Big from 'big.js';
import { canonicalDecimal } from './money';
import type { CustomField, Settings, SyncedObject } from './settings';
import type { CustomFieldValue } from './synced-records';

/**
 * Field mapping from Salesforce records (every value as text, as outbound messages carry them)
 * to our records' core and custom fields, with a type check per target. A value that does not
 * fit its target is an issue naming the Salesforce field, never an exception: the worker
 * records it as that opportunity's sync error.
 */

/** Text values by Salesforce field name; null for an empty field. */
export type FieldValues = Readonly<Record<string, string | null | undefined>>;

export interface MappingIssue {
  salesforceField: string;
  target: string;
  message: string;
}

export interface MappedFields {
  core: Record<string, string | null>;
  custom: Record<string, CustomFieldValue>;
  issues: MappingIssue[];
}

/** Which Salesforce field fills each core field unless a mapping says otherwise. */
export const DEFAULT_CORE_SOURCES: Readonly<Record<SyncedObject, Readonly<Record<string, string>>>> = {
  opportunity: {
    title: 'Name',
    description: 'Description',
    closeDate: 'CloseDate',
    opportunityAmount: 'Amount',
    currency: 'CurrencyIsoCode',
  },
  account: {
    name: 'Name',
    phone: 'Phone',
    website: 'Website',
    industry: 'Industry',
    billingStreet: 'BillingStreet',
    billingCity: 'BillingCity',
    billingPostalCode: 'BillingPostalCode',
    billingState: 'BillingState',
    billingCountry: 'BillingCountry',
  },
  contact: {
    firstName: 'FirstName',
    lastName: 'LastName',
    email: 'Email',
    phone: 'Phone',
    title: 'Title',
  },
};

/** Core fields that must hold a value of a kind; the rest are free text. */
const CORE_KINDS: Readonly<Record<string, 'date' | 'decimal' | 'currency' | 'email'>> = {
  closeDate: 'date',
  opportunityAmount: 'decimal',
  currency: 'currency',
  email: 'email',
};

/** Longest text we keep in one field; longer text is refused rather than cut. */
export const MAX_TEXT_LENGTH = 32_000;

/** Reads a field case-insensitively: mappings may spell a field differently from the org. */
export function fieldValue(values: FieldValues, name: string): string | null | undefined {
  if (name in values) return values[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(values)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** The Salesforce fields to read for an object: the default sources plus every mapped field. */
export function salesforceFieldsFor(object: SyncedObject, settings: Settings): string[] {
  const fields = new Map<string, string>();
  const add = (name: string) => {
    if (!fields.has(name.toLowerCase())) fields.set(name.toLowerCase(), name);
  };
  for (const source of Object.values(DEFAULT_CORE_SOURCES[object])) {
    // CurrencyIsoCode exists only in multi-currency orgs; the outbound message carries it when it does.
    if (source !== 'CurrencyIsoCode') add(source);
  }
  for (const mapping of settings.fieldMappings[object]) add(mapping.salesforceField);
  return [...fields.values()];
}

/** A decimal in Salesforce's text (Java's Double.toString writes 1.0E7), as a canonical decimal. */
export function parseDecimal(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(trimmed)) return undefined;
  try {
    return canonicalDecimal(new Big(trimmed.replace(/^\+/, '')));
  } catch {
    return undefined;
  }
}

function checkCore(target: string, text: string): { value: string } | { message: string } {
  switch (CORE_KINDS[target]) {
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`))
        ? { value: text }
        : { message: `is not a date (YYYY-MM-DD): ${JSON.stringify(text)}` };
    case 'decimal': {
      const decimal = parseDecimal(text);
      return decimal === undefined
        ? { message: `is not a number: ${JSON.stringify(text)}` }
        : { value: decimal };
    }
    case 'currency':
      return /^[A-Z]{3}$/.test(text.trim())
        ? { value: text.trim() }
        : { message: `is not an ISO 4217 currency code: ${JSON.stringify(text)}` };
    case 'email':
      return /^[^\s@]+@[^\s@]+$/.test(text.trim())
        ? { value: text.trim() }
        : { message: `is not an e-mail address: ${JSON.stringify(text)}` };
    default:
      return text.length > MAX_TEXT_LENGTH
        ? { message: `is longer than ${MAX_TEXT_LENGTH} characters` }
        : { value: text };
  }
}

/** Checks a value against its custom field's type. */
export function checkCustomValue(
  field: CustomField,
  text: string | null,
): { value: CustomFieldValue } | { message: string } {
  if (text === null) return { value: null };
  switch (field.type) {
    case 'text':
      return text.length > MAX_TEXT_LENGTH
        ? { message: `is longer than ${MAX_TEXT_LENGTH} characters` }
        : { value: text };
    case 'number': {
      const decimal = parseDecimal(text);
      const number = decimal === undefined ? Number.NaN : Number(decimal);
      return Number.isFinite(number)
        ? { value: number }
        : { message: `is not a number: ${JSON.stringify(text)}` };
    }
    case 'checkbox': {
      const lower = text.trim().toLowerCase();
      if (lower === 'true' || lower === '1') return { value: true };
      if (lower === 'false' || lower === '0') return { value: false };
      return { message: `is not a checkbox value (true or false): ${JSON.stringify(text)}` };
    }
    case 'dropdown':
      return field.options?.includes(text)
        ? { value: text }
        : {
            message: `${JSON.stringify(text)} is not an option of the drop-down list (${(field.options ?? []).join(', ')})`,
          };
  }
}

/**
 * Maps one Salesforce record to core and custom field values. A field the record does not carry
 * counts as empty: outbound messages usually omit null fields rather than send xsi:nil, and every
 * mapped field is in the outbound message's field list.
 */
export function mapFields(object: SyncedObject, settings: Settings, values: FieldValues): MappedFields {
  const sources = new Map<string, string>(Object.entries(DEFAULT_CORE_SOURCES[object]));
  const customTargets: Array<{ salesforceField: string; field: CustomField }> = [];
  const issues: MappingIssue[] = [];
  for (const mapping of settings.fieldMappings[object]) {
    if (mapping.target.kind === 'core') {
      sources.set(mapping.target.field, mapping.salesforceField);
      continue;
    }
    const key = mapping.target.key;
    const field = settings.customFields.find((f) => f.key === key);
    if (field) customTargets.push({ salesforceField: mapping.salesforceField, field });
    else
      issues.push({ salesforceField: mapping.salesforceField, target: key, message: 'no such custom field' });
  }

  const core: Record<string, string | null> = {};
  for (const [target, source] of sources) {
    const text = fieldValue(values, source);
    if (text === undefined || text === null || text === '') {
      core[target] = null;
      continue;
    }
    const checked = checkCore(target, text);
    if ('value' in checked) core[target] = checked.value;
    else issues.push({ salesforceField: source, target, message: `${source} ${checked.message}` });
  }

  const custom: Record<string, CustomFieldValue> = {};
  for (const { salesforceField, field } of customTargets) {
    const text = fieldValue(values, salesforceField);
    const checked = checkCustomValue(field, text === undefined || text === '' ? null : text);
    if ('value' in checked) custom[field.key] = checked.value;
    else
      issues.push({
        salesforceField,
        target: field.key,
        message: `${salesforceField} → custom field "${field.label}" (${field.type}): ${checked.message}`,
      });
  }
  return { core, custom, issues };
}
