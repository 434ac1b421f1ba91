import type { DescribedField, Settings } from './settings';
import { canonicalFieldName, NUMBER_TYPES } from './settings';

/**
 * What the service creates in a connected org, derived purely from the settings: the outbound
 * message 'Scoro integration' on Opportunity and the record-triggered flow 'Scoro Opportunity
 * Flow' that sends it. Deploys compare fingerprints, so an unchanged save deploys nothing.
 */
export const OUTBOUND_MESSAGE_LABEL = 'Scoro integration';
export const OUTBOUND_MESSAGE_API_NAME = 'Scoro_integration';
export const OUTBOUND_MESSAGE_FULL_NAME = `Opportunity.${OUTBOUND_MESSAGE_API_NAME}`;
export const FLOW_LABEL = 'Scoro Opportunity Flow';
export const FLOW_API_NAME = 'Scoro_Opportunity_Flow';
export const SALESFORCE_API_VERSION = '62.0';

/** The opportunity fields every notification carries: what a quote needs, and freshness. */
export const CORE_OPPORTUNITY_FIELDS = [
  'Id',
  'Name',
  'StageName',
  'Amount',
  'CloseDate',
  'AccountId',
  'Description',
  'SystemModstamp',
] as const;

export interface OutboundMessageSpec {
  fullName: string;
  name: string;
  endpointUrl: string;
  fields: string[];
  integrationUser: string;
}

export type FlowFilterOperator =
  | 'EqualTo'
  | 'GreaterThan'
  | 'LessThan'
  | 'GreaterThanOrEqualTo'
  | 'LessThanOrEqualTo';

export type FlowFilterValue =
  | { kind: 'stringValue'; value: string }
  | { kind: 'numberValue'; value: number }
  | { kind: 'booleanValue'; value: boolean }
  | { kind: 'dateValue'; value: string }
  | { kind: 'dateTimeValue'; value: string };

export interface FlowFilterSpec {
  field: string;
  operator: FlowFilterOperator;
  value: FlowFilterValue;
}

/**
 * Bumped when the flow's shape changes (not its conditions), so that every site's next deploy
 * saves a version in the new shape. 2: the elements Flow Builder writes (auto-layout canvas,
 * interview label, transaction model, typed condition values).
 */
export const FLOW_FORMAT = 2;

export interface FlowSpec {
  apiName: string;
  label: string;
  filters: FlowFilterSpec[];
  outboundMessage: string;
  format: number;
  /**
   * doesRequireRecordChangedToMeetCriteria: true runs the flow only when a record is created, or
   * updated to meet the conditions (on-entry); false on every save that meets them (while-at-stage).
   */
  requireRecordChange: boolean;
}

const OPERATORS: Readonly<Record<string, FlowFilterOperator>> = {
  eq: 'EqualTo',
  gt: 'GreaterThan',
  lt: 'LessThan',
  gte: 'GreaterThanOrEqualTo',
  lte: 'LessThanOrEqualTo',
};

export function outboundMessageSpec(
  settings: Settings,
  opportunityFields: readonly DescribedField[],
  endpointUrl: string,
  integrationUser: string,
): OutboundMessageSpec {
  const fields = new Set<string>(CORE_OPPORTUNITY_FIELDS);
  if (opportunityFields.some((f) => f.name === 'CurrencyIsoCode')) fields.add('CurrencyIsoCode');
  for (const mapping of settings.fieldMappings.opportunity) {
    fields.add(canonicalFieldName(opportunityFields, mapping.salesforceField));
  }
  return {
    fullName: OUTBOUND_MESSAGE_FULL_NAME,
    name: OUTBOUND_MESSAGE_LABEL,
    endpointUrl,
    fields: [...fields].sort(),
    integrationUser,
  };
}

/** The flow's entry conditions: the stage, AND every mapping's condition. */
export function flowSpec(settings: Settings, opportunityFields: readonly DescribedField[]): FlowSpec {
  const filters: FlowFilterSpec[] = [];
  if (settings.opportunityToQuote.stage !== null) {
    filters.push({
      field: 'StageName',
      operator: 'EqualTo',
      value: { kind: 'stringValue', value: settings.opportunityToQuote.stage },
    });
  }
  for (const mapping of settings.fieldMappings.opportunity) {
    if (!mapping.condition) continue;
    const field = opportunityFields.find(
      (f) => f.name.toLowerCase() === mapping.salesforceField.toLowerCase(),
    );
    const name = field?.name ?? mapping.salesforceField;
    filters.push({
      field: name,
      operator: OPERATORS[mapping.condition.operator] ?? 'EqualTo',
      value: filterValue(mapping.condition.value, field?.type ?? 'string'),
    });
  }
  return {
    apiName: FLOW_API_NAME,
    label: FLOW_LABEL,
    filters,
    outboundMessage: OUTBOUND_MESSAGE_FULL_NAME,
    format: FLOW_FORMAT,
    requireRecordChange: settings.opportunityToQuote.updates !== 'while-at-stage',
  };
}

/**
 * The value element that fits the field's type, as Flow Builder writes it: a date field compares
 * with a dateValue, a datetime field with a dateTimeValue (a string there would compare text).
 */
export function filterValue(value: string | number, fieldType: string): FlowFilterValue {
  if (fieldType === 'boolean') return { kind: 'booleanValue', value: String(value).toLowerCase() === 'true' };
  if (fieldType === 'date') return { kind: 'dateValue', value: String(value) };
  if (fieldType === 'datetime') {
    const at = new Date(String(value));
    return { kind: 'dateTimeValue', value: Number.isNaN(at.getTime()) ? String(value) : at.toISOString() };
  }
  if (typeof value === 'number' || NUMBER_TYPES.has(fieldType)) {
    return { kind: 'numberValue', value: Number(value) };
  }
  return { kind: 'stringValue', value: String(value) };
}

/** A stable text of a spec: equal fingerprints mean nothing to deploy. */
export function fingerprint(spec: OutboundMessageSpec | FlowSpec): string {
  return JSON.stringify(spec);
}
