import { useState } from 'preact/hooks';
import { api, call } from '../../api/client';
import type { Project, TimeEntry } from '../../api/types';
import { type Directory, loadDirectory, personName } from '../../lib/directory';
import { money } from '../../lib/money';
import { href } from '../../lib/route';
import { useLoad } from '../../ui/feedback';
import { Section } from '../../ui/form';
import { formatDate, formatDateTime } from '../../ui/format';
import { UnloadedPage } from '../../ui/page-error';
import { ProjectForm } from './project-form';
import { BudgetBar, ProjectStatusBadge, quantity } from './project-parts';
import { TasksTable } from './tasks-table';
import { ENTRIES_PAGE_SIZE, RecordTimeForm, TimeEntryList } from './time-entries';

/**
 * One project: what it is and how far its budget is spent, its name, dates and status to edit,
 * planned against actual per task, the time recorded on it and a form to record more.
 */
export function ProjectPage({ siteId, projectId }: { siteId: string; projectId: string }) {
  const loaded = useLoad(async () => {
    const path = { siteId, projectId };
    const [project, entries, directory] = await Promise.all([
      call(api.GET('/sites/{siteId}/projects/{projectId}', { params: { path } })),
      call(
        api.GET('/sites/{siteId}/projects/{projectId}/time-entries', {
          params: { path, query: { limit: ENTRIES_PAGE_SIZE } },
        }),
      ),
      loadDirectory(siteId),
    ]);
    return { project, entries, directory };
  }, [siteId, projectId]);
  if (loaded.state !== 'ready')
    return <UnloadedPage title="Project" what="the project" loaded={loaded} siteId={siteId} />;
  return (
    <ProjectView
      siteId={siteId}
      initial={loaded.data.project}
      initialEntries={loaded.data.entries.entries}
      entriesNextToken={loaded.data.entries.nextToken}
      directory={loaded.data.directory}
    />
  );
}

function ProjectView({
  siteId,
  initial,
  initialEntries,
  entriesNextToken,
  directory,
}: {
  siteId: string;
  initial: Project;
  initialEntries: TimeEntry[];
  entriesNextToken: string | undefined;
  directory: Directory;
}) {
  const [project, setProject] = useState(initial);
  // Entries recorded on this page go first: the list is newest first, as the API answers it.
  const [recorded, setRecorded] = useState<TimeEntry[]>([]);
  return (
    <div class="page">
      <div class="page-header">
        <div>
          <p class="breadcrumb">
            <a href={href({ page: 'projects', siteId })}>Projects</a> / No. {project.number}
          </p>
          <h1 tabIndex={-1}>{project.name}</h1>
          <p class="lead">
            <ProjectStatusBadge status={project.status} /> From{' '}
            <a href={href({ page: 'quote', siteId, quoteId: project.quoteId })}>
              quote No. {project.quoteNumber}
            </a>
            , created {formatDateTime(project.createdAt)} by {project.createdBy.name}
          </p>
        </div>
      </div>
      <Overview project={project} directory={directory} />
      <ProjectForm siteId={siteId} project={project} onSaved={setProject} />
      <TasksTable project={project} />
      <RecordTimeForm
        siteId={siteId}
        project={project}
        onRecorded={(entry, after) => {
          setProject(after);
          setRecorded((current) => [entry, ...current]);
        }}
      />
      <TimeEntryList
        siteId={siteId}
        project={project}
        recorded={recorded}
        initial={initialEntries}
        nextToken={entriesNextToken}
      />
    </div>
  );
}

/** Who the project is for, when it runs, and its budget against what is spent so far. */
function Overview({ project, directory }: { project: Project; directory: Directory }) {
  const { totals, currency } = project;
  const company = project.companyId ? directory.companies.get(project.companyId) : undefined;
  const person = project.personId ? directory.persons.get(project.personId) : undefined;
  const overBy = totals.remainingBudget.startsWith('-') ? totals.remainingBudget.slice(1) : undefined;
  return (
    <Section id="overview" title="Overview">
      <dl class="facts">
        <dt>Company</dt>
        <dd>{company?.name ?? '—'}</dd>
        <dt>Person</dt>
        <dd>
          {personName(person) || '—'}
          {person?.email && <span class="muted"> ({person.email})</span>}
        </dd>
        <dt>Planned</dt>
        <dd>
          {formatDate(project.plannedStart)} –{' '}
          {project.plannedEnd ? formatDate(project.plannedEnd) : 'no end date'}
        </dd>
        <dt>Budget</dt>
        <dd>
          {money(totals.budget, currency)} <span class="muted">(the quote's net total)</span>
        </dd>
        <dt>Spent</dt>
        <dd data-total="spent">{money(totals.actualCost, currency)}</dd>
        <dt>{overBy ? 'Over budget by' : 'Remaining'}</dt>
        <dd>
          {overBy ? (
            <strong class="over-text">{money(overBy, currency)}</strong>
          ) : (
            money(totals.remainingBudget, currency)
          )}
        </dd>
        <dt>Budget used</dt>
        <dd>
          <BudgetBar
            label="Budget used, whole project"
            percent={totals.costUsedPercent}
            over={totals.overBudget}
          />
          {totals.tasksOverBudget > 0 && (
            <p class="hint">
              {totals.tasksOverBudget} task{totals.tasksOverBudget === 1 ? ' is' : 's are'} over budget.
            </p>
          )}
        </dd>
        {/* Quantities add up only when every task counts in the same unit. */}
        {totals.plannedQuantity !== null && (
          <>
            <dt>Done</dt>
            <dd>
              {totals.actualQuantity ?? '0'} of {quantity(totals.plannedQuantity, totals.unit)}
              {totals.quantityUsedPercent !== null && (
                <span class="muted"> ({totals.quantityUsedPercent}%)</span>
              )}
            </dd>
          </>
        )}
        <dt>Time entries</dt>
        <dd>{project.entryCount}</dd>
      </dl>
    </Section>
  );
}
