import type { SandboxStore, SObjectDescribe } from '../contracts';
import type { SaveError } from './model';
import { childText, type XmlElement } from './xml';

export function requiredFieldMissing(field: string): SaveError {
  return {
    statusCode: 'REQUIRED_FIELD_MISSING',
    message: `Required field is missing: ${field}`,
    fields: [field],
  };
}

export function fieldIntegrity(message: string, fields: string[] = []): SaveError {
  return { statusCode: 'FIELD_INTEGRITY_EXCEPTION', message, fields };
}

export function invalidCrossReference(message: string, fields: string[] = []): SaveError {
  return { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message, fields };
}

/** A present, non-blank element value, or an error naming the element. */
export function requireText(element: XmlElement, field: string, errors: SaveError[]): string {
  const value = childText(element, field);
  if (value === undefined || value.trim() === '') {
    errors.push(requiredFieldMissing(field));
    return '';
  }
  return value.trim();
}

export function parseBoolean(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

/**
 * Developer names: start with a letter, only letters, digits and single underscores, no trailing
 * underscore (Salesforce's rule for API names).
 */
export function isValidDeveloperName(name: string, maxLength = 80): boolean {
  return (
    name.length > 0 &&
    name.length <= maxLength &&
    /^[A-Za-z][A-Za-z0-9_]*$/.test(name) &&
    !name.includes('__') &&
    !name.endsWith('_')
  );
}

/** The object's field in its canonical casing, or undefined (API names are case-insensitive). */
export function findField(describe: SObjectDescribe, field: string): string | undefined {
  const wanted = field.toLowerCase();
  return describe.fields.find((f) => f.name.toLowerCase() === wanted)?.name;
}

export function describeObject(store: SandboxStore, objectName: string): SObjectDescribe | undefined {
  return store.describe(objectName);
}
