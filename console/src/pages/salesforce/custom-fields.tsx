import { useState } from 'preact/hooks';
import { CUSTOM_FIELD_TYPES, SYNCED_OBJECTS } from '../../../../shared/domain/settings-vocabulary';
import type { CustomField, SyncedObject } from '../../api/types';
import { CUSTOM_TYPE_LABELS, keyFromLabel, OBJECT_LABELS } from '../../lib/mapping';
import { ConfirmDialog } from '../../ui/dialog';
import { Outcome, useAction } from '../../ui/feedback';
import { Field, Section } from '../../ui/form';
import { TableWrap } from '../../ui/table-wrap';
import { type SettingsDraft, savedMessage } from './settings-draft';

/** Custom fields of quotes, companies and persons (Text, Number, Checkbox, Drop-down list) that mappings fill. */
type Editing = { index: number; field: CustomField; optionsText: string } | undefined;

const blank = (): CustomField => ({ key: '', label: '', type: 'text', appliesTo: 'opportunity' });

export function CustomFieldsSection({
  draft,
  readOnly,
  onSaved,
}: {
  draft: SettingsDraft;
  readOnly?: boolean;
  onSaved: (flowVersion: number | null) => void;
}) {
  const fields = draft.value.customFields;
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<number>();
  const save = useAction();
  const saveAll = () =>
    void save.run('Saving', draft.save, (result) => {
      onSaved(result.flowVersion);
      return savedMessage(result);
    });
  const usedBy = (key: string) =>
    SYNCED_OBJECTS.flatMap((object) =>
      draft.value.fieldMappings[object]
        .filter((m) => m.target.kind === 'custom' && m.target.key === key)
        .map((m) => `${OBJECT_LABELS[object].salesforce}.${m.salesforceField}`),
    );
  const toDelete = deleting === undefined ? undefined : fields[deleting];
  return (
    <Section
      id="custom-fields"
      title="Custom fields"
      description="Fields of your own on quotes, companies and persons, for mapped Salesforce fields to fill."
      actions={
        !readOnly && (
          <button
            type="button"
            class="button"
            onClick={() => setEditing({ index: -1, field: blank(), optionsText: '' })}
          >
            Add custom field
          </button>
        )
      }
    >
      {fields.length === 0 ? (
        <p class="empty">No custom fields yet.</p>
      ) : (
        <TableWrap label="Custom fields">
          <table>
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Key</th>
                <th scope="col">Type</th>
                <th scope="col">On</th>
                <th scope="col">Options</th>
                {!readOnly && (
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {fields.map((field, index) => {
                const issue = ['key', 'label', 'type', 'options', 'appliesTo']
                  .map((name) => draft.issues.get(`customFields.${index}.${name}`))
                  .find(Boolean);
                return (
                  <tr key={field.key || index}>
                    <th scope="row">
                      {field.label}
                      {issue && <p class="field-error">{issue}</p>}
                    </th>
                    <td>
                      <code>{field.key}</code>
                    </td>
                    <td>{CUSTOM_TYPE_LABELS[field.type]}</td>
                    <td>{OBJECT_LABELS[field.appliesTo].scoro}</td>
                    <td>{field.options?.join(', ') ?? '—'}</td>
                    {!readOnly && (
                      <td class="row-actions">
                        <button
                          type="button"
                          class="button small"
                          aria-label={`Edit ${field.label}`}
                          onClick={() =>
                            setEditing({ index, field, optionsText: (field.options ?? []).join('\n') })
                          }
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          class="button small danger"
                          aria-label={`Delete ${field.label}`}
                          onClick={() => setDeleting(index)}
                        >
                          Delete
                        </button>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      {editing && (
        <CustomFieldForm
          editing={editing}
          taken={fields.filter((_, i) => i !== editing.index).map((f) => f.key)}
          onCancel={() => setEditing(undefined)}
          onDone={(field) => {
            draft.update((s) => {
              const list = [...s.customFields];
              if (editing.index >= 0) list[editing.index] = field;
              else list.push(field);
              return { ...s, customFields: list };
            });
            setEditing(undefined);
          }}
        />
      )}
      {!readOnly && (
        <div class="actions">
          <button type="button" class="button primary" disabled={save.busy} onClick={saveAll}>
            Save
          </button>
          {draft.dirty && save.status.state !== 'busy' && <span class="muted">Unsaved changes</span>}
          <Outcome status={save.status} />
        </div>
      )}
      <ConfirmDialog
        open={toDelete !== undefined}
        title={`Delete the custom field ${toDelete?.label ?? ''}?`}
        confirmLabel="Delete"
        danger
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => {
          const key = toDelete?.key;
          draft.update((s) => ({
            ...s,
            customFields: s.customFields.filter((_, i) => i !== deleting),
            fieldMappings: Object.fromEntries(
              SYNCED_OBJECTS.map((object) => [
                object,
                s.fieldMappings[object].filter((m) => !(m.target.kind === 'custom' && m.target.key === key)),
              ]),
            ) as typeof s.fieldMappings,
          }));
          setDeleting(undefined);
        }}
      >
        <p>Values already stored in this field are no longer shown. It is deleted when you Save.</p>
        {toDelete && usedBy(toDelete.key).length > 0 && (
          <p>Its mappings are removed too: {usedBy(toDelete.key).join(', ')}.</p>
        )}
      </ConfirmDialog>
    </Section>
  );
}

function CustomFieldForm({
  editing,
  taken,
  onCancel,
  onDone,
}: {
  editing: NonNullable<Editing>;
  taken: string[];
  onCancel: () => void;
  onDone: (field: CustomField) => void;
}) {
  const [field, setField] = useState(editing.field);
  const [optionsText, setOptionsText] = useState(editing.optionsText);
  const [keyTouched, setKeyTouched] = useState(editing.index >= 0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const isNew = editing.index < 0;
  return (
    <form
      class="subform"
      aria-label={isNew ? 'New custom field' : `Edit ${editing.field.label}`}
      onSubmit={(event) => {
        event.preventDefault();
        const options = optionsText
          .split('\n')
          .map((o) => o.trim())
          .filter(Boolean);
        const found: Record<string, string> = {};
        if (!field.label.trim()) found.label = 'Give the field a label.';
        if (!/^[a-z][a-z0-9_]{0,39}$/.test(field.key))
          found.key = '1-40 of a-z, 0-9 and _, starting with a letter.';
        else if (taken.includes(field.key)) found.key = 'Another custom field has this key.';
        if (field.type === 'dropdown' && options.length === 0)
          found.options = 'A drop-down list needs options.';
        setErrors(found);
        if (Object.keys(found).length > 0) return;
        const { options: _, ...rest } = field;
        onDone({ ...rest, label: field.label.trim(), ...(field.type === 'dropdown' ? { options } : {}) });
      }}
    >
      <h3>{isNew ? 'New custom field' : `Edit ${editing.field.label}`}</h3>
      <div class="form-grid">
        <Field label="Label" error={errors.label}>
          {(props) => (
            <input
              {...props}
              type="text"
              value={field.label}
              onInput={(event) => {
                const label = event.currentTarget.value;
                setField((f) => ({ ...f, label, ...(keyTouched ? {} : { key: keyFromLabel(label) }) }));
              }}
            />
          )}
        </Field>
        <Field label="Key" hint="How mappings and the API name it." error={errors.key}>
          {(props) => (
            <input
              {...props}
              type="text"
              value={field.key}
              disabled={!isNew}
              onInput={(event) => {
                setKeyTouched(true);
                const key = event.currentTarget.value;
                setField((f) => ({ ...f, key }));
              }}
            />
          )}
        </Field>
        <Field label="Type">
          {(props) => (
            <select
              {...props}
              value={field.type}
              onChange={(event) => {
                const type = event.currentTarget.value as CustomField['type'];
                setField((f) => ({ ...f, type }));
              }}
            >
              {CUSTOM_FIELD_TYPES.map((type) => (
                <option key={type} value={type}>
                  {CUSTOM_TYPE_LABELS[type]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Field of">
          {(props) => (
            <select
              {...props}
              value={field.appliesTo}
              disabled={!isNew}
              onChange={(event) => {
                const appliesTo = event.currentTarget.value as SyncedObject;
                setField((f) => ({ ...f, appliesTo }));
              }}
            >
              {SYNCED_OBJECTS.map((object) => (
                <option key={object} value={object}>
                  {OBJECT_LABELS[object].scoro} (from {OBJECT_LABELS[object].salesforce})
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {field.type === 'dropdown' && (
        <Field label="Options" hint="One per line." error={errors.options}>
          {(props) => (
            <textarea
              {...props}
              rows={4}
              value={optionsText}
              onInput={(event) => setOptionsText(event.currentTarget.value)}
            />
          )}
        </Field>
      )}
      <div class="actions">
        <button type="submit" class="button primary">
          {isNew ? 'Add' : 'Apply'}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
        <span class="muted">Then Save to keep it.</span>
      </div>
    </form>
  );
}
