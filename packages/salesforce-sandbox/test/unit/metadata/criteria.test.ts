import { flowFires, meetsConditions } from '../../../src/automation/criteria';
import type { SObjectRecord } from '../../../src/contracts';
import { evaluateLogic, parseFilterLogic } from '../../../src/metadata/filter-logic';
import type { ActiveFlow } from '../../../src/metadata/model';

const closedWon: ActiveFlow = {
  fullName: 'F',
  versionNumber: 1,
  object: 'Opportunity',
  triggerType: 'RecordAfterSave',
  recordTriggerType: 'CreateAndUpdate',
  filterLogic: 'and',
  filters: [{ field: 'StageName', operator: 'EqualTo', value: { kind: 'string', value: 'Closed Won' } }],
  doesRequireRecordChangedToMeetCriteria: false,
  outboundMessages: [],
};

const opp = (stage: string): SObjectRecord => ({ Id: '006000000000001AAA', StageName: stage });
const MET = opp('Closed Won');
const NOT_MET = opp('Prospecting');

describe('record-triggered flow firing', () => {
  type Row = [
    ActiveFlow['recordTriggerType'],
    'create' | 'update',
    boolean | null,
    boolean,
    boolean,
    boolean,
  ];
  // trigger type, event, criteria met before (null on create), met after, doesRequireRecordChanged..., fires
  const table: Row[] = [
    ['Create', 'create', null, true, false, true],
    ['Create', 'create', null, false, false, false],
    ['Create', 'create', null, true, true, true],
    ['Create', 'update', false, true, false, false],
    ['Create', 'update', false, true, true, false],
    ['Update', 'create', null, true, false, false],
    ['Update', 'create', null, true, true, false],
    ['Update', 'update', false, true, false, true],
    ['Update', 'update', true, true, false, true],
    ['Update', 'update', false, true, true, true],
    ['Update', 'update', true, true, true, false],
    ['Update', 'update', true, false, false, false],
    ['Update', 'update', false, false, true, false],
    ['CreateAndUpdate', 'create', null, true, false, true],
    ['CreateAndUpdate', 'create', null, true, true, true],
    ['CreateAndUpdate', 'create', null, false, true, false],
    ['CreateAndUpdate', 'update', false, true, false, true],
    ['CreateAndUpdate', 'update', true, true, false, true],
    ['CreateAndUpdate', 'update', false, true, true, true],
    ['CreateAndUpdate', 'update', true, true, true, false],
    ['CreateAndUpdate', 'update', true, false, true, false],
  ];
  it.each(table)(
    '%s on %s, met before %s, met after %s, only-when-changed %s → fires %s',
    (trigger, event, before, after, onlyWhenChanged, fires) => {
      const flow = {
        ...closedWon,
        recordTriggerType: trigger,
        doesRequireRecordChangedToMeetCriteria: onlyWhenChanged,
      };
      const beforeRecord = event === 'create' ? null : before ? MET : NOT_MET;
      expect(flowFires(flow, beforeRecord, after ? MET : NOT_MET)).toBe(fires);
    },
  );

  it('runs on every matching save when a flow has no conditions', () => {
    const flow = { ...closedWon, filters: [], doesRequireRecordChangedToMeetCriteria: true };
    expect(flowFires(flow, NOT_MET, NOT_MET)).toBe(true);
  });
});

describe('entry conditions', () => {
  const record: SObjectRecord = {
    Id: '006000000000001AAA',
    StageName: 'Negotiation',
    Amount: 1000,
    CloseDate: '2026-03-31',
    IsWon: false,
    Description: null,
  };
  const condition = (filter: ActiveFlow['filters'][number]) =>
    meetsConditions({ ...closedWon, filters: [filter], filterLogic: 'and' }, record, undefined);

  it.each([
    [{ field: 'Amount', operator: 'GreaterThan', value: { kind: 'number', value: 999 } }, true],
    [{ field: 'Amount', operator: 'GreaterThan', value: { kind: 'number', value: 1000 } }, false],
    [{ field: 'Amount', operator: 'GreaterThanOrEqualTo', value: { kind: 'number', value: 1000 } }, true],
    [{ field: 'Amount', operator: 'LessThan', value: { kind: 'number', value: 1000.5 } }, true],
    [{ field: 'Amount', operator: 'LessThanOrEqualTo', value: { kind: 'number', value: 999 } }, false],
    [{ field: 'StageName', operator: 'NotEqualTo', value: { kind: 'string', value: 'Closed Won' } }, true],
    [{ field: 'CloseDate', operator: 'LessThan', value: { kind: 'date', value: '2026-04-01' } }, true],
    [{ field: 'IsWon', operator: 'EqualTo', value: { kind: 'boolean', value: false } }, true],
    [{ field: 'Description', operator: 'IsNull', value: { kind: 'boolean', value: true } }, true],
    [{ field: 'StageName', operator: 'IsNull', value: { kind: 'boolean', value: true } }, false],
    [{ field: 'Description', operator: 'EqualTo', value: { kind: 'string', value: 'x' } }, false],
    [{ field: 'Description', operator: 'NotEqualTo', value: { kind: 'string', value: 'x' } }, true],
  ] as const)('%j → %s', (filter, expected) => {
    expect(condition({ ...filter, value: { ...filter.value } })).toBe(expected);
  });

  it('evaluates custom logic with AND, OR, NOT and parentheses', () => {
    const tree = parseFilterLogic('1 AND (2 OR NOT 3)', 3);
    expect(evaluateLogic(tree, [true, false, false])).toBe(true);
    expect(evaluateLogic(tree, [true, false, true])).toBe(false);
    expect(evaluateLogic(tree, [false, true, true])).toBe(false);
    expect(evaluateLogic(parseFilterLogic('or', 2), [false, true])).toBe(true);
  });

  it('refuses logic that skips a condition, names a missing one or does not parse', () => {
    expect(() => parseFilterLogic('1 AND 2', 3)).toThrow(/Condition 3/);
    expect(() => parseFilterLogic('1 OR 4', 3)).toThrow(/condition 4/);
    expect(() => parseFilterLogic('1 AND (2 OR 3', 3)).toThrow(/Missing/);
  });
});
