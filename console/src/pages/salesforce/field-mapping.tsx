import { useState } from 'preact/hooks';
import { SYNCED_OBJECTS } from '../../../../shared/domain/settings-vocabulary';
import type { ConditionOperator, CustomField, FieldMapping, SyncedObject } from '../../api/types';
import {
  CORE_FIELD_LABELS,
  CUSTOM_TYPE_LABELS,
  conditionValue,
  coreFieldsFor,
  customFieldsFor,
  defaultTargetOf,
  OBJECT_LABELS,
  OPERATOR_LABELS,
  operatorsFor,
  parseTarget,
  targetValue,
  valueKindOf,
} from '../../lib/mapping';
import { Outcome, useAction } from '../../ui/feedback';
import { Section } from '../../ui/form';
import { TableWrap } from '../../ui/table-wrap';
import { Tabs } from '../../ui/tabs';
import {
  type DescribedField,
  type DescribedObjects,
  type SettingsDraft,
  savedMessage,
  withMappings,
} from './settings-draft';

/**
 * Field mapping, one table per data type: every field of the Salesforce object (from describe),
 * whether it is mapped, to which Scoro field, and, on opportunities, the sync condition the
 * flow enforces.
 */
export function FieldMappingSection({
  draft,
  fields,
  readOnly,
  onSaved,
}: {
  draft: SettingsDraft;
  fields: DescribedObjects;
  readOnly?: boolean;
  onSaved: (flowVersion: number | null) => void;
}) {
  const [object, setObject] = useState<SyncedObject>('opportunity');
  const [filter, setFilter] = useState('');
  const save = useAction();
  const mappings = draft.value.fieldMappings[object];
  const needle = filter.trim().toLowerCase();
  const shown = fields[object].filter(
    (field) =>
      !needle || field.name.toLowerCase().includes(needle) || field.label.toLowerCase().includes(needle),
  );
  return (
    <Section
      id="field-mapping"
      title="Field mapping"
      description="Map more Salesforce fields to Scoro's core fields or to custom fields. On opportunities, a condition decides which opportunities sync: the flow in Salesforce checks it."
    >
      <Tabs
        label="Data type"
        selected={object}
        onSelect={setObject}
        tabs={SYNCED_OBJECTS.map((id) => ({
          id,
          label: `${OBJECT_LABELS[id].salesforce} → ${OBJECT_LABELS[id].scoro} (${draft.value.fieldMappings[id].length})`,
        }))}
      >
        <div class="table-tools">
          <label class="tools-label" for={`filter-${object}`}>
            Find a field
          </label>
          <input
            id={`filter-${object}`}
            type="search"
            value={filter}
            placeholder="Name or label"
            onInput={(event) => setFilter(event.currentTarget.value)}
          />
          <span class="muted">
            {shown.length} of {fields[object].length} fields
          </span>
        </div>
        <TableWrap label={`${OBJECT_LABELS[object].salesforce} fields`}>
          <table class="mapping-table">
            <caption class="visually-hidden">{OBJECT_LABELS[object].salesforce} fields</caption>
            <thead>
              <tr>
                <th scope="col">Sync</th>
                <th scope="col">Salesforce field</th>
                <th scope="col">Type</th>
                <th scope="col">Scoro field</th>
                {object === 'opportunity' && <th scope="col">Condition</th>}
                {object === 'opportunity' && <th scope="col">Value</th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((field) => (
                <MappingRow
                  key={field.name}
                  object={object}
                  field={field}
                  index={mappings.findIndex(
                    (m) => m.salesforceField.toLowerCase() === field.name.toLowerCase(),
                  )}
                  draft={draft}
                  readOnly={readOnly}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      </Tabs>
      {!readOnly && (
        <div class="actions">
          <button
            type="button"
            class="button primary"
            disabled={save.busy}
            onClick={() =>
              void save.run('Saving', draft.save, (result) => {
                onSaved(result.flowVersion);
                return savedMessage(result);
              })
            }
          >
            Save
          </button>
          {draft.dirty && save.status.state !== 'busy' && <span class="muted">Unsaved changes</span>}
          <Outcome status={save.status} />
        </div>
      )}
    </Section>
  );
}

function MappingRow({
  object,
  field,
  index,
  draft,
  readOnly,
}: {
  object: SyncedObject;
  field: DescribedField;
  /** The field's place among the object's mappings, -1 when it is not mapped. */
  index: number;
  draft: SettingsDraft;
  readOnly?: boolean | undefined;
}) {
  const mappings = draft.value.fieldMappings[object];
  const mapping = index >= 0 ? mappings[index] : undefined;
  const core = coreFieldsFor(object, field.type);
  const custom = customFieldsFor(object, field.type, draft.value.customFields);
  const byDefault = defaultTargetOf(object, field.name);
  const path = `fieldMappings.${object}.${index}`;
  const issue = (suffix: string) => (index >= 0 ? draft.issues.get(`${path}.${suffix}`) : undefined);
  const rowIssue =
    issue('salesforceField') ?? issue('target.field') ?? issue('target.key') ?? issue('target');
  const set = (next: FieldMapping | undefined) =>
    draft.update((s) => {
      const list = [...s.fieldMappings[object]];
      if (index >= 0 && next) list[index] = next;
      else if (index >= 0) list.splice(index, 1);
      else if (next) list.push(next);
      return withMappings(s, object, list);
    });
  const firstTarget = (): FieldMapping['target'] | undefined => {
    const preferred = byDefault && core.includes(byDefault) ? byDefault : core[0];
    if (preferred) return { kind: 'core', field: preferred };
    const first = custom[0];
    return first ? { kind: 'custom', key: first.key } : undefined;
  };
  const canMap = core.length > 0 || custom.length > 0;
  const label = `${field.label} (${field.name})`;
  const ids = `map-${object}-${field.name}`;
  return (
    <tr class={mapping ? 'is-on' : 'is-off'}>
      <td>
        <input
          type="checkbox"
          role="switch"
          aria-checked={Boolean(mapping)}
          aria-label={`Sync ${label}`}
          checked={Boolean(mapping)}
          disabled={readOnly || (!mapping && !canMap)}
          title={canMap ? undefined : 'No Scoro field fits this type; add a custom field of a fitting type'}
          onChange={(event) => {
            const target = firstTarget();
            set(event.currentTarget.checked && target ? { salesforceField: field.name, target } : undefined);
          }}
        />
      </td>
      <th scope="row" class="field-name">
        {field.label}
        <br />
        <code>{field.name}</code>
        {byDefault && !mapping && (
          <span class="hint">Fills {CORE_FIELD_LABELS[byDefault] ?? byDefault} by default</span>
        )}
        {rowIssue && (
          <p class="field-error" id={`${ids}-error`}>
            {rowIssue}
          </p>
        )}
      </th>
      <td>
        <span class="badge">{field.type}</span>
      </td>
      <td>
        {mapping ? (
          <select
            aria-label={`Scoro field for ${label}`}
            value={targetValue(mapping.target)}
            disabled={readOnly}
            aria-invalid={rowIssue ? 'true' : undefined}
            aria-describedby={rowIssue ? `${ids}-error` : undefined}
            onChange={(event) => {
              const target = parseTarget(event.currentTarget.value);
              if (target) set({ ...mapping, target });
            }}
          >
            <TargetOptions core={core} custom={custom} current={mapping.target} />
          </select>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      {object === 'opportunity' && (
        <ConditionCells
          field={field}
          label={label}
          mapping={mapping}
          readOnly={readOnly}
          operatorIssue={issue('condition.operator') ?? issue('condition')}
          valueIssue={issue('condition.value')}
          ids={ids}
          onChange={(condition) =>
            mapping && set(condition ? { ...mapping, condition } : withoutCondition(mapping))
          }
        />
      )}
    </tr>
  );
}

function withoutCondition(mapping: FieldMapping): FieldMapping {
  const { condition: _, ...rest } = mapping;
  return rest;
}

function TargetOptions({
  core,
  custom,
  current,
}: {
  core: string[];
  custom: CustomField[];
  current: FieldMapping['target'];
}) {
  // A stored target that no longer fits stays listed, so the select shows what is saved.
  const currentValue = targetValue(current);
  const listed = [...core.map((f) => `core:${f}`), ...custom.map((f) => `custom:${f.key}`)];
  return (
    <>
      {!listed.includes(currentValue) && (
        <option value={currentValue}>{current.kind === 'core' ? current.field : current.key}</option>
      )}
      {core.length > 0 && (
        <optgroup label="Core fields">
          {core.map((name) => (
            <option key={name} value={`core:${name}`}>
              {CORE_FIELD_LABELS[name] ?? name}
            </option>
          ))}
        </optgroup>
      )}
      {custom.length > 0 && (
        <optgroup label="Custom fields">
          {custom.map((field) => (
            <option key={field.key} value={`custom:${field.key}`}>
              {field.label} ({CUSTOM_TYPE_LABELS[field.type]})
            </option>
          ))}
        </optgroup>
      )}
    </>
  );
}

function ConditionCells({
  field,
  label,
  mapping,
  readOnly,
  operatorIssue,
  valueIssue,
  ids,
  onChange,
}: {
  field: DescribedField;
  label: string;
  mapping: FieldMapping | undefined;
  readOnly?: boolean | undefined;
  operatorIssue?: string | undefined;
  valueIssue?: string | undefined;
  ids: string;
  onChange: (condition: FieldMapping['condition']) => void;
}) {
  if (!mapping)
    return (
      <>
        <td>
          <span class="muted">—</span>
        </td>
        <td />
      </>
    );
  const operators = operatorsFor(field.type);
  const condition = mapping.condition;
  const kind = valueKindOf(field.type);
  const text = condition ? String(condition.value) : '';
  return (
    <>
      <td>
        <select
          aria-label={`Condition on ${label}`}
          value={condition?.operator ?? ''}
          disabled={readOnly}
          aria-invalid={operatorIssue ? 'true' : undefined}
          aria-describedby={operatorIssue ? `${ids}-operator-error` : undefined}
          onChange={(event) => {
            const operator = event.currentTarget.value as ConditionOperator | '';
            onChange(operator ? { operator, value: condition?.value ?? '' } : undefined);
          }}
        >
          <option value="">No condition</option>
          {operators.map((operator) => (
            <option key={operator} value={operator}>
              {OPERATOR_LABELS[operator]}
            </option>
          ))}
        </select>
        {operatorIssue && (
          <p class="field-error" id={`${ids}-operator-error`}>
            {operatorIssue}
          </p>
        )}
      </td>
      <td>
        {condition &&
          (kind === 'boolean' || field.picklistValues ? (
            <select
              aria-label={`Value for ${label}`}
              value={text}
              disabled={readOnly}
              aria-invalid={valueIssue ? 'true' : undefined}
              aria-describedby={valueIssue ? `${ids}-value-error` : undefined}
              onChange={(event) => onChange({ ...condition, value: event.currentTarget.value })}
            >
              <option value="">Choose</option>
              {(kind === 'boolean' ? ['true', 'false'] : (field.picklistValues ?? [])).map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          ) : (
            <input
              aria-label={`Value for ${label}`}
              {...(kind === 'date'
                ? { type: 'date' as const }
                : { type: 'text' as const, inputMode: kind === 'number' ? ('decimal' as const) : undefined })}
              value={text}
              disabled={readOnly}
              aria-invalid={valueIssue ? 'true' : undefined}
              aria-describedby={valueIssue ? `${ids}-value-error` : undefined}
              onInput={(event) =>
                onChange({ ...condition, value: conditionValue(field.type, event.currentTarget.value) })
              }
            />
          ))}
        {valueIssue && (
          <p class="field-error" id={`${ids}-value-error`}>
            {valueIssue}
          </p>
        )}
      </td>
    </>
  );
}
