import type { SandboxStore, SObjectDescribe } from '../contracts';
import { FilterLogicError, parseFilterLogic } from './filter-logic';
import type {
  FilterValue,
  FlowActionCall,
  FlowFilter,
  FlowStart,
  FlowStatus,
  FlowVersion,
  OutboundMessageDefinition,
  SaveError,
  Validated,
} from './model';
import {
  fieldIntegrity,
  findField,
  invalidCrossReference,
  isValidDeveloperName,
  parseBoolean,
  requiredFieldMissing,
  requireText,
} from './validation';
import { child, childrenNamed, childText, isNil, type XmlElement } from './xml';

export type FlowDraft = Omit<FlowVersion, 'id' | 'versionNumber' | 'createdDate' | 'lastModifiedDate'>;

export interface FlowValidationContext {
  store: SandboxStore;
  outboundMessage(fullName: string): OutboundMessageDefinition | undefined;
}

/** Operators this sandbox evaluates; the others in FlowRecordFilterOperator are refused on save. */
const SUPPORTED_OPERATORS = new Set([
  'EqualTo',
  'NotEqualTo',
  'GreaterThan',
  'LessThan',
  'GreaterThanOrEqualTo',
  'LessThanOrEqualTo',
  'IsNull',
  'IsChanged',
  'StartsWith',
  'EndsWith',
  'Contains',
]);

const RECORD_TRIGGERS = new Set(['RecordAfterSave', 'RecordBeforeSave', 'RecordBeforeDelete']);

function filterValue(valueElement: XmlElement | undefined): FilterValue | undefined | 'unsupported' {
  if (!valueElement) return undefined;
  for (const part of valueElement.children) {
    if (isNil(part)) continue;
    switch (part.local) {
      case 'stringValue':
        return { kind: 'string', value: part.text };
      case 'numberValue':
        return { kind: 'number', value: Number(part.text) };
      case 'booleanValue':
        return { kind: 'boolean', value: parseBoolean(part.text) };
      case 'dateValue':
        return { kind: 'date', value: part.text };
      case 'dateTimeValue':
        return { kind: 'dateTime', value: part.text };
      default:
        return 'unsupported';
    }
  }
  return undefined;
}

function validateFilter(
  filterElement: XmlElement,
  position: number,
  describe: SObjectDescribe,
  errors: SaveError[],
): FlowFilter | undefined {
  const label = `start.filters[${position}]`;
  const field = childText(filterElement, 'field')?.trim();
  const operator = childText(filterElement, 'operator')?.trim();
  if (!field) {
    errors.push(requiredFieldMissing(`${label}.field`));
    return undefined;
  }
  if (!operator) {
    errors.push(requiredFieldMissing(`${label}.operator`));
    return undefined;
  }
  const canonical = findField(describe, field);
  if (!canonical) {
    errors.push(
      fieldIntegrity(`The field "${field}" for the object "${describe.name}" doesn't exist.`, [label]),
    );
    return undefined;
  }
  if (!SUPPORTED_OPERATORS.has(operator)) {
    errors.push(
      fieldIntegrity(`The operator ${operator} in ${label} isn't supported by this sandbox`, [label]),
    );
    return undefined;
  }
  const value = filterValue(child(filterElement, 'value'));
  if (value === 'unsupported') {
    errors.push(
      fieldIntegrity(
        `${label}: only literal values (string, number, boolean, date, dateTime) are supported`,
        [label],
      ),
    );
    return undefined;
  }
  if ((operator === 'IsNull' || operator === 'IsChanged') && value?.kind !== 'boolean') {
    errors.push(fieldIntegrity(`${label}: the ${operator} operator needs a booleanValue`, [label]));
    return undefined;
  }
  if (!value) {
    errors.push(requiredFieldMissing(`${label}.value`));
    return undefined;
  }
  return { field: canonical, operator, ...(value ? { value } : {}) };
}

function validateStart(
  startElement: XmlElement,
  processType: string,
  ctx: FlowValidationContext,
  errors: SaveError[],
): FlowStart {
  const triggerType = childText(startElement, 'triggerType');
  const recordTriggerType = childText(startElement, 'recordTriggerType');
  const filterLogic = childText(startElement, 'filterLogic');
  const connector = child(startElement, 'connector');
  const start: FlowStart = {
    ...(triggerType ? { triggerType } : {}),
    ...(recordTriggerType ? { recordTriggerType } : {}),
    ...(filterLogic ? { filterLogic } : {}),
    filters: [],
    doesRequireRecordChangedToMeetCriteria: parseBoolean(
      childText(startElement, 'doesRequireRecordChangedToMeetCriteria'),
    ),
    ...(connector ? { connector: childText(connector, 'targetReference') ?? '' } : {}),
  };
  if (!triggerType || !RECORD_TRIGGERS.has(triggerType)) return start;

  if (processType !== 'AutoLaunchedFlow') {
    errors.push(
      fieldIntegrity(
        `A record-triggered flow must have the process type AutoLaunchedFlow, not ${processType}.`,
        ['processType'],
      ),
    );
  }
  if (!recordTriggerType) errors.push(requiredFieldMissing('start.recordTriggerType'));
  if (childText(startElement, 'filterFormula')) {
    errors.push(
      fieldIntegrity('start.filterFormula is not supported by this sandbox; use filters', ['start']),
    );
  }
  const objectName = requireText(startElement, 'object', errors);
  if (objectName === '') return start;
  const describe = ctx.store.describe(objectName);
  if (!describe) {
    errors.push(fieldIntegrity("We can't find the object specified in the Start element.", ['start.object']));
    return start;
  }
  start.object = describe.name;
  const filterElements = childrenNamed(startElement, 'filters');
  filterElements.forEach((filterElement, index) => {
    const filter = validateFilter(filterElement, index, describe, errors);
    if (filter) start.filters.push(filter);
  });
  if (filterElements.length > 0) {
    try {
      parseFilterLogic(filterLogic, filterElements.length);
    } catch (error) {
      if (!(error instanceof FilterLogicError)) throw error;
      errors.push(fieldIntegrity(error.message, ['start.filterLogic']));
    }
  }
  return start;
}

function validateActionCall(
  element: XmlElement,
  start: FlowStart | undefined,
  ctx: FlowValidationContext,
  errors: SaveError[],
): FlowActionCall | undefined {
  const name = requireText(element, 'name', errors);
  const actionType = requireText(element, 'actionType', errors);
  const actionName = requireText(element, 'actionName', errors);
  if (name === '' || actionType === '' || actionName === '') return undefined;
  const connector = child(element, 'connector');
  const action: FlowActionCall = {
    name,
    actionType,
    actionName,
    ...(connector ? { connector: childText(connector, 'targetReference') ?? '' } : {}),
  };
  if (start?.triggerType === 'RecordBeforeSave') {
    // A before-save flow may only change the triggering record (assignments, decisions, lookups):
    // no action runs before the record is saved.
    // https://help.salesforce.com/s/articleView?id=sf.flow_concepts_trigger_record.htm
    errors.push(
      fieldIntegrity(
        `The element ${name} of type actionCalls can't be used in a flow that runs before the record is saved (triggerType RecordBeforeSave). Use an after-save flow (RecordAfterSave).`,
        [`actionCalls.${name}`],
      ),
    );
    return undefined;
  }
  if (actionType === 'outboundMessage') {
    const message = ctx.outboundMessage(actionName);
    if (!message) {
      errors.push(
        invalidCrossReference(`The action ${actionName} of type outboundMessage in ${name} doesn't exist.`, [
          `actionCalls.${name}.actionName`,
        ]),
      );
      return undefined;
    }
    if (start?.object && message.objectName !== start.object) {
      errors.push(
        fieldIntegrity(
          `The outbound message ${actionName} belongs to ${message.objectName}, but the flow is triggered by ${start.object}.`,
          [`actionCalls.${name}.actionName`],
        ),
      );
    }
    return { ...action, actionName: message.fullName };
  }
  return action;
}

/** Names of every element of the flow a connector may point at. */
function elementNames(element: XmlElement): string[] {
  return element.children
    .filter((c) => c.local !== 'start' && c.local !== 'processMetadataValues')
    .map((c) => childText(c, 'name'))
    .filter((name): name is string => typeof name === 'string');
}

/**
 * Checks a Flow as Salesforce does on save, for the record-triggered flows this sandbox runs.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_visual_workflow.htm
 */
export function validateFlow(
  element: XmlElement,
  fullName: string,
  ctx: FlowValidationContext,
): Validated<FlowDraft> {
  const errors: SaveError[] = [];
  if (!isValidDeveloperName(fullName)) {
    errors.push(
      fieldIntegrity(
        `The flow API name ${fullName} can only contain underscores and alphanumeric characters, must begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.`,
        ['fullName'],
      ),
    );
  }
  const label = requireText(element, 'label', errors);
  const processType = childText(element, 'processType') ?? 'Flow';
  const status = (childText(element, 'status') ?? 'Draft') as FlowStatus;
  const startElement = child(element, 'start');
  const start = startElement ? validateStart(startElement, processType, ctx, errors) : undefined;

  const actionCalls: FlowActionCall[] = [];
  for (const actionElement of childrenNamed(element, 'actionCalls')) {
    const action = validateActionCall(actionElement, start, ctx, errors);
    if (action) actionCalls.push(action);
  }

  const names = elementNames(element);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name))
      errors.push(fieldIntegrity(`The element name ${name} is used more than once.`, [name]));
    seen.add(name);
  }
  const targets = [
    ...(start?.connector !== undefined ? [{ from: 'start', to: start.connector }] : []),
    ...actionCalls.flatMap((a) => (a.connector !== undefined ? [{ from: a.name, to: a.connector }] : [])),
  ];
  for (const { from, to } of targets) {
    if (!seen.has(to)) {
      errors.push(fieldIntegrity(`The connector of ${from} points to ${to}, which doesn't exist.`, [from]));
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      fullName,
      status,
      label,
      processType,
      ...(start ? { start } : {}),
      actionCalls,
      xml: { ...element, children: element.children.filter((ch) => ch.local !== 'fullName') },
    },
  };
}
