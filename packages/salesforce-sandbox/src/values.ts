import { SalesforceApiError } from './errors';
import { formatDateTime, isValidDate, parseDateTime } from './format';
import { keyPrefixOf, normalizeId } from './ids';
import type { FieldDef, Schema } from './schema';

/**
 * Converts a JSON value a client sent for a field into the stored form, or throws the error
 * Salesforce answers with. Salesforce's JSON reader coerces numeric strings and "true"/"false", and
 * rejects the rest with JSON_PARSER_ERROR.
 */
export function coerceFieldValue(
  schema: Schema,
  field: FieldDef,
  value: unknown,
  lookupType: (id: string) => string | undefined,
): unknown {
  if (value === null || value === undefined || value === '') {
    if (field.type === 'boolean') return false;
    return null;
  }
  const parseError = (): SalesforceApiError =>
    new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${javaType(field)} from ${jsonToken(value)} value ${String(value)} or request may be missing a required field`,
    );
  switch (field.type) {
    case 'string':
    case 'textarea':
    case 'phone':
    case 'url':
    case 'email':
    case 'picklist': {
      if (typeof value === 'object') throw parseError();
      const text = String(value);
      if (field.length !== undefined && text.length > field.length) {
        throw new SalesforceApiError(
          400,
          'STRING_TOO_LONG',
          `${field.label}: data value too large: ${text.slice(0, 40)} (max length=${field.length})`,
          [field.name],
        );
      }
      if (field.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) {
        throw new SalesforceApiError(
          400,
          'INVALID_EMAIL_ADDRESS',
          `${field.label}: invalid email address: ${text}`,
          [field.name],
        );
      }
      if (field.type === 'picklist' && field.restrictedPicklist) {
        const ok = field.picklistValues?.some((p) => p.active && p.value === text);
        if (!ok) {
          throw new SalesforceApiError(
            400,
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${field.label}: bad value for restricted picklist field: ${text}`,
            [field.name],
          );
        }
      }
      return text;
    }
    case 'currency':
    case 'double':
    case 'percent':
    case 'int': {
      const n =
        typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
      if (!Number.isFinite(n) || (typeof value === 'string' && value.trim() === '')) throw parseError();
      if (field.type === 'int' && !Number.isInteger(n)) throw parseError();
      return field.scale !== undefined ? roundTo(n, field.scale) : n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw parseError();
    case 'date': {
      if (typeof value !== 'string') throw parseError();
      if (isValidDate(value)) return value;
      const t = parseDateTime(value);
      if (t === undefined) throw parseError();
      return new Date(t).toISOString().slice(0, 10);
    }
    case 'datetime': {
      if (typeof value !== 'string') throw parseError();
      const t = parseDateTime(value);
      if (t === undefined) throw parseError();
      return formatDateTime(t);
    }
    case 'reference': {
      if (typeof value !== 'string') throw parseError();
      const id = normalizeId(value);
      if (!id) {
        throw new SalesforceApiError(
          400,
          'MALFORMED_ID',
          `${field.label}: id value of incorrect type: ${value}`,
          [field.name],
        );
      }
      const targetTypes = field.referenceTo ?? [];
      const prefixType = schema.objectByKeyPrefix(keyPrefixOf(id))?.name;
      if (!prefixType || !targetTypes.includes(prefixType)) {
        throw new SalesforceApiError(
          400,
          'FIELD_INTEGRITY_EXCEPTION',
          `${field.label}: id value of incorrect type: ${id}`,
          [field.name],
        );
      }
      if (lookupType(id) === undefined) {
        throw new SalesforceApiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
          field.name,
        ]);
      }
      return id;
    }
    case 'base64': {
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(value)) throw parseError();
      return value.replace(/[\r\n]/g, '');
    }
    case 'id':
      return value;
  }
}

function roundTo(n: number, scale: number): number {
  const f = 10 ** scale;
  return Math.round(n * f) / f;
}

function javaType(field: FieldDef): string {
  switch (field.type) {
    case 'currency':
    case 'double':
    case 'percent':
      return 'double';
    case 'int':
      return 'int';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'String';
  }
}

function jsonToken(value: unknown): string {
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'number') return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (Array.isArray(value)) return 'START_ARRAY';
  return 'START_OBJECT';
}
