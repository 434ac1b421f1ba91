import type { SObjectRecord } from '../contracts';
import { evaluateLogic, parseFilterLogic } from '../metadata/filter-logic';
import type { ActiveFlow, FilterValue, FlowFilter } from '../metadata/model';

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function compare(recordValue: unknown, value: FilterValue): number | undefined {
  switch (value.kind) {
    case 'number': {
      const n = typeof recordValue === 'number' ? recordValue : Number(recordValue);
      return Number.isFinite(n) ? n - value.value : undefined;
    }
    case 'date': {
      const day = String(recordValue).slice(0, 10);
      return day < value.value ? -1 : day > value.value ? 1 : 0;
    }
    case 'dateTime': {
      const left = Date.parse(String(recordValue).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      const right = Date.parse(value.value);
      return Number.isNaN(left) || Number.isNaN(right) ? undefined : left - right;
    }
    case 'boolean':
      return recordValue === value.value ? 0 : undefined;
    case 'string': {
      const text = String(recordValue);
      return text < value.value ? -1 : text > value.value ? 1 : 0;
    }
  }
}

/** One entry condition; `prior` is the record before the save (undefined on create), for IsChanged. */
export function filterMatches(
  filter: FlowFilter,
  record: SObjectRecord,
  prior: SObjectRecord | undefined,
): boolean {
  const recordValue = record[filter.field];
  const { value } = filter;
  switch (filter.operator) {
    case 'IsNull':
      return isBlank(recordValue) === (value?.kind === 'boolean' && value.value);
    case 'IsChanged': {
      const changed = prior !== undefined && prior[filter.field] !== recordValue;
      return changed === (value?.kind === 'boolean' && value.value);
    }
    default:
      break;
  }
  if (!value) return false;
  if (isBlank(recordValue)) {
    // A blank field equals nothing and differs from everything (flows compare null that way).
    return filter.operator === 'NotEqualTo';
  }
  const text = String(recordValue);
  switch (filter.operator) {
    case 'StartsWith':
      return value.kind === 'string' && text.startsWith(value.value);
    case 'EndsWith':
      return value.kind === 'string' && text.endsWith(value.value);
    case 'Contains':
      return value.kind === 'string' && text.includes(value.value);
    default:
      break;
  }
  const order = compare(recordValue, value);
  switch (filter.operator) {
    case 'EqualTo':
      return order === 0;
    case 'NotEqualTo':
      return order !== 0;
    case 'GreaterThan':
      return order !== undefined && order > 0;
    case 'LessThan':
      return order !== undefined && order < 0;
    case 'GreaterThanOrEqualTo':
      return order !== undefined && order >= 0;
    case 'LessThanOrEqualTo':
      return order !== undefined && order <= 0;
    default:
      return false;
  }
}

export function meetsConditions(
  flow: ActiveFlow,
  record: SObjectRecord,
  prior: SObjectRecord | undefined,
): boolean {
  if (flow.filters.length === 0) return true;
  const results = flow.filters.map((filter) => filterMatches(filter, record, prior));
  return evaluateLogic(parseFilterLogic(flow.filterLogic, flow.filters.length), results);
}

/**
 * Whether a record-triggered flow runs for this save. With "only when a record is updated to meet
 * the condition requirements" (doesRequireRecordChangedToMeetCriteria) an update runs it only when
 * the record did not meet the conditions before the save; a create runs it whenever it meets them.
 * https://help.salesforce.com/s/articleView?id=sf.flow_build_triggers_record.htm
 */
export function flowFires(flow: ActiveFlow, before: SObjectRecord | null, after: SObjectRecord): boolean {
  if (flow.triggerType !== 'RecordAfterSave') return false;
  const isCreate = before === null;
  const trigger = flow.recordTriggerType;
  if (trigger === 'Create' && !isCreate) return false;
  if (trigger === 'Update' && isCreate) return false;
  if (trigger !== 'Create' && trigger !== 'Update' && trigger !== 'CreateAndUpdate') return false;
  if (!meetsConditions(flow, after, before ?? undefined)) return false;
  if (isCreate || !flow.doesRequireRecordChangedToMeetCriteria || flow.filters.length === 0) return true;
  return !meetsConditions(flow, before, undefined);
}
