import { useState } from 'preact/hooks';
import { OPEN_STATUSES } from '../../../../shared/domain/project-vocabulary';
import { api, call } from '../../api/client';
import type { Project, TimeEntry, TimeEntryInput } from '../../api/types';
import { money } from '../../lib/money';
import { ErrorText, issuesOf, Outcome, useAction } from '../../ui/feedback';
import { Field, Section } from '../../ui/form';
import { formatDate, formatDateTime } from '../../ui/format';
import { TableWrap } from '../../ui/table-wrap';
import { quantity } from './project-parts';

export const ENTRIES_PAGE_SIZE = 25;

/** Today in the browser's time zone, as a date input holds it (YYYY-MM-DD). */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

interface Draft {
  taskId: string;
  quantity: string;
  cost: string;
  date: string;
  note: string;
}

/** The POST body: what is typed goes as typed, so a wrong value is named by the API's own message. */
function bodyOf(draft: Draft): TimeEntryInput {
  const cost = draft.cost.trim();
  const note = draft.note.trim();
  return {
    taskId: draft.taskId,
    quantity: draft.quantity.trim(),
    date: draft.date,
    ...(cost ? { cost } : {}),
    ...(note ? { note } : {}),
  };
}

/** Work done on a task: its quantity, and its cost unless the task's planned rate prices it. */
export function RecordTimeForm({
  siteId,
  project,
  onRecorded,
}: {
  siteId: string;
  project: Project;
  onRecorded: (entry: TimeEntry, project: Project) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => ({
    taskId: project.tasks[0]?.taskId ?? '',
    quantity: '',
    cost: '',
    date: today(),
    note: '',
  }));
  const record = useAction();
  const issues = issuesOf(record.status);
  const input = (field: keyof Draft) => ({
    value: draft[field],
    onInput: (event: { currentTarget: { value: string } }) => {
      const next = event.currentTarget.value;
      setDraft((current) => ({ ...current, [field]: next }));
    },
  });
  const task = project.tasks.find((t) => t.taskId === draft.taskId);
  const open = OPEN_STATUSES.has(project.status);
  return (
    <Section
      id="record-time"
      title="Record time"
      description="Adds to the task's done quantity and spent amount. Recording time on a Planned project starts it."
    >
      {!open && (
        <p class="hint" id="record-time-closed">
          A {project.status} project takes no time entries: set its status to In progress to record time.
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void record.run(
            'Recording',
            () =>
              call(
                api.POST('/sites/{siteId}/projects/{projectId}/time-entries', {
                  params: { path: { siteId, projectId: project.projectId } },
                  body: bodyOf(draft),
                }),
              ),
            ({ entry, project: after }) => {
              onRecorded(entry, after);
              setDraft((current) => ({ ...current, quantity: '', cost: '', note: '' }));
              const used = after.tasks.find((t) => t.taskId === entry.taskId)?.costUsedPercent;
              return `Recorded ${quantity(entry.quantity, entry.unit)} on ${entry.taskName}${used === null || used === undefined ? '' : `: ${used}% of its budget used`}.`;
            },
          );
        }}
      >
        <fieldset class="plain" disabled={!open} aria-describedby={open ? undefined : 'record-time-closed'}>
          <Field label="Task" error={issues.get('taskId')}>
            {(props) => (
              <select {...props} {...input('taskId')}>
                {project.tasks.map((t) => (
                  <option key={t.taskId} value={t.taskId}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div class="time-entry-fields">
            <Field
              label="Quantity"
              hint={task?.unit ? `In ${task.unit}, as planned.` : undefined}
              error={issues.get('quantity')}
            >
              {(props) => <input {...props} type="text" inputMode="decimal" {...input('quantity')} />}
            </Field>
            <Field
              label={`Cost (${project.currency}, optional)`}
              hint="Empty: the quantity at the task's planned rate (budget ÷ planned quantity)."
              error={issues.get('cost')}
            >
              {(props) => <input {...props} type="text" inputMode="decimal" {...input('cost')} />}
            </Field>
            <Field label="Date" error={issues.get('date')}>
              {(props) => <input {...props} type="date" {...input('date')} />}
            </Field>
          </div>
          <Field label="Note (optional)" error={issues.get('note')}>
            {(props) => <textarea {...props} rows={2} {...input('note')} />}
          </Field>
          <div class="actions">
            <button type="submit" class="button primary" disabled={record.busy}>
              Record time
            </button>
            <Outcome status={record.status} />
          </div>
        </fieldset>
      </form>
    </Section>
  );
}

/** The project's time entries, newest first: those recorded here, then the API's pages. */
export function TimeEntryList({
  siteId,
  project,
  recorded,
  initial,
  nextToken,
}: {
  siteId: string;
  project: Project;
  recorded: TimeEntry[];
  initial: TimeEntry[];
  nextToken: string | undefined;
}) {
  const [older, setOlder] = useState<{ entries: TimeEntry[]; nextToken: string | undefined }>({
    entries: [],
    nextToken,
  });
  const more = useAction();
  const entries = [...recorded, ...initial, ...older.entries];
  return (
    <Section id="entries" title="Time entries" description="Newest first.">
      {entries.length === 0 ? (
        <p class="empty">No time recorded yet.</p>
      ) : (
        <TableWrap label="Time entries">
          <table class="entries-table">
            <caption class="visually-hidden">Time entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Task</th>
                <th scope="col" class="number">
                  Quantity
                </th>
                <th scope="col" class="number">
                  Cost
                </th>
                <th scope="col">Note</th>
                <th scope="col">Recorded</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.entryId}>
                  <td class="nowrap">{formatDate(entry.date)}</td>
                  <td>{entry.taskName}</td>
                  <td class="number">{quantity(entry.quantity, entry.unit)}</td>
                  <td class="number">
                    {money(entry.cost, project.currency)}
                    {entry.costBasis === 'planned-rate' && <span class="hint">at the planned rate</span>}
                  </td>
                  <td class="entry-note">{entry.note ?? '—'}</td>
                  <td>
                    {entry.recordedBy.name}
                    <span class="hint">{formatDateTime(entry.recordedAt)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {older.nextToken && (
        <div class="actions">
          <button
            type="button"
            class="button"
            disabled={more.busy}
            onClick={() =>
              void more.run('Loading older entries', async () => {
                const page = await call(
                  api.GET('/sites/{siteId}/projects/{projectId}/time-entries', {
                    params: {
                      path: { siteId, projectId: project.projectId },
                      query: { limit: ENTRIES_PAGE_SIZE, nextToken: older.nextToken },
                    },
                  }),
                );
                setOlder((current) => ({
                  entries: [...current.entries, ...page.entries],
                  nextToken: page.nextToken,
                }));
              })
            }
          >
            Show older entries
          </button>
          {more.status.state === 'failed' && <ErrorText error={more.status.error} />}
        </div>
      )}
    </Section>
  );
}
