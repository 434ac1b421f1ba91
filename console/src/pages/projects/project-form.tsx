import { useState } from 'preact/hooks';
import { PROJECT_TRANSITIONS } from '../../../../shared/domain/project-vocabulary';
import { api, call } from '../../api/client';
import type { Project, ProjectPatch } from '../../api/types';
import { issuesOf, Outcome, useAction } from '../../ui/feedback';
import { Field, Section } from '../../ui/form';

type Editable = 'name' | 'plannedStart' | 'plannedEnd' | 'status';

function savedValue(project: Project, field: Editable): string {
  return project[field] ?? '';
}

/**
 * Only the fields changed since the project was read: the status a time entry moved it to, or
 * dates another person changed, are not sent back. An emptied end date means no end date.
 */
function patchOf(project: Project, edits: Partial<Record<Editable, string>>): ProjectPatch {
  const patch: ProjectPatch = {};
  for (const [field, value] of Object.entries(edits) as Array<[Editable, string]>) {
    if (value === savedValue(project, field)) continue;
    if (field === 'plannedEnd') patch.plannedEnd = value === '' ? null : value;
    else if (field === 'status') patch.status = value as Project['status'];
    else patch[field] = value;
  }
  return patch;
}

/** The project's name, planned dates and status, saved with one PATCH of what changed. */
export function ProjectForm({
  siteId,
  project,
  onSaved,
}: {
  siteId: string;
  project: Project;
  onSaved: (project: Project) => void;
}) {
  // What the person typed, over the project as last read.
  const [edits, setEdits] = useState<Partial<Record<Editable, string>>>({});
  const save = useAction();
  const issues = issuesOf(save.status);
  const patch = patchOf(project, edits);
  const changed = Object.keys(patch).length > 0;
  const input = (field: Editable) => ({
    value: edits[field] ?? savedValue(project, field),
    onInput: (event: { currentTarget: { value: string } }) => {
      const next = event.currentTarget.value;
      setEdits((current) => ({ ...current, [field]: next }));
    },
  });
  const moves = PROJECT_TRANSITIONS[project.status];
  return (
    <Section
      id="edit"
      title="Name, dates and status"
      description="The plan's dates start as today and the opportunity's close date."
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save.run(
            'Saving',
            () =>
              call(
                api.PATCH('/sites/{siteId}/projects/{projectId}', {
                  params: { path: { siteId, projectId: project.projectId } },
                  body: patch,
                }),
              ),
            (saved) => {
              onSaved(saved);
              setEdits({});
              return 'Saved.';
            },
          );
        }}
      >
        <Field label="Name" error={issues.get('name')}>
          {(props) => <input {...props} type="text" {...input('name')} />}
        </Field>
        <div class="project-dates">
          <Field label="Planned start" error={issues.get('plannedStart')}>
            {(props) => <input {...props} type="date" {...input('plannedStart')} />}
          </Field>
          <Field label="Planned end" hint="Empty: no end date." error={issues.get('plannedEnd')}>
            {(props) => <input {...props} type="date" {...input('plannedEnd')} />}
          </Field>
        </div>
        <Field
          label="Status"
          hint={`From ${project.status}, a project may become ${moves.join(' or ')}.`}
          error={issues.get('status')}
        >
          {(props) => (
            <select {...props} {...input('status')}>
              {[project.status, ...moves].map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="button primary" disabled={save.busy || !changed}>
            Save
          </button>
          {changed && save.status.state !== 'busy' && <span class="muted">Unsaved changes</span>}
          <Outcome status={save.status} />
        </div>
      </form>
    </Section>
  );
}
