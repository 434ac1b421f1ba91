import Big from 'big.js';
import { type FieldValues, fieldValue, parseDecimal } from './field-mapping';
import type { Condition, Settings } from './settings';

/**
 * The rules a notification must pass before it changes anything: the site's conditions, checked
 * again because the settings may have changed since the Flow fired (or a sync-now run queued
 * it), and freshness, because Salesforce delivers at least once and out of order.
 */

export type ConditionCheck = { ok: true } | { ok: false; reason: string };

const DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether one field value meets one condition, as the Flow's filter would decide it. */
export function meetsCondition(value: string | null | undefined, condition: Condition): boolean {
  if (value === null || value === undefined || value === '') return false;
  const expected = String(condition.value);
  const left = parseDecimal(value);
  const right = parseDecimal(expected);
  let comparison: number;
  if (left !== undefined && right !== undefined) {
    comparison = new Big(left).cmp(new Big(right));
  } else if (DATE.test(value) && DATE.test(expected)) {
    comparison = value < expected ? -1 : value > expected ? 1 : 0;
  } else if (condition.operator === 'eq') {
    // Flow filters compare text without regard to case.
    return value.toLowerCase() === expected.toLowerCase();
  } else {
    return false;
  }
  switch (condition.operator) {
    case 'eq':
      return comparison === 0;
    case 'gt':
      return comparison > 0;
    case 'gte':
      return comparison >= 0;
    case 'lt':
      return comparison < 0;
    case 'lte':
      return comparison <= 0;
  }
}

/** Opportunity→Quote on, the chosen stage, and every mapping's condition. */
export function checkSyncConditions(settings: Settings, fields: FieldValues): ConditionCheck {
  const { enabled, stage } = settings.opportunityToQuote;
  if (!enabled) return { ok: false, reason: 'Opportunity→Quote is off in the settings' };
  if (stage === null) return { ok: false, reason: 'no stage is chosen in the settings' };
  const actual = fieldValue(fields, 'StageName');
  if (actual !== stage) {
    return {
      ok: false,
      reason: `the opportunity's stage is ${JSON.stringify(actual ?? null)}, not the chosen ${JSON.stringify(stage)}`,
    };
  }
  for (const mapping of settings.fieldMappings.opportunity) {
    if (!mapping.condition) continue;
    const value = fieldValue(fields, mapping.salesforceField);
    if (!meetsCondition(value, mapping.condition)) {
      return {
        ok: false,
        reason: `${mapping.salesforceField} is ${JSON.stringify(value ?? null)}, which is not ${mapping.condition.operator} ${JSON.stringify(mapping.condition.value)}`,
      };
    }
  }
  return { ok: true };
}

/**
 * SystemModstamp in one canonical form. Outbound messages write `2026-05-01T10:00:00.000Z`,
 * REST and SOQL `2026-05-01T10:00:00.000+0000`; stored and compared as the former, whose
 * fixed width makes text order equal time order (DynamoDB conditions compare text).
 */
export function canonicalModstamp(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export type Freshness = 'new' | 'newer' | 'same' | 'older';

/** How incoming data relates to what is stored: only 'new' and 'newer' may be written. */
export function freshness(stored: string | undefined, incoming: string): Freshness {
  if (stored === undefined) return 'new';
  if (incoming > stored) return 'newer';
  return incoming === stored ? 'same' : 'older';
}
