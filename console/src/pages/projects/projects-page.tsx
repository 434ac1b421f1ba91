import { api, call } from '../../api/client';
import type { ProjectSummary } from '../../api/types';
import { type Directory, loadDirectory } from '../../lib/directory';
import { money } from '../../lib/money';
import { href } from '../../lib/route';
import { Loading, useLoad } from '../../ui/feedback';
import { formatDate } from '../../ui/format';
import { ListPageHeader, Pager } from '../../ui/list-page';
import { PageError } from '../../ui/page-error';
import { TableWrap } from '../../ui/table-wrap';
import { BudgetBar, ProjectStatusBadge } from './project-parts';

/** The site's projects, newest first, a page at a time: what Accepted quotes became. */
const PAGE_SIZE = 25;

export function ProjectsPage({ siteId, nextToken }: { siteId: string; nextToken?: string | undefined }) {
  const loaded = useLoad(async () => {
    const [page, directory] = await Promise.all([
      call(
        api.GET('/sites/{siteId}/projects', {
          params: { path: { siteId }, query: { limit: PAGE_SIZE, ...(nextToken ? { nextToken } : {}) } },
        }),
      ),
      loadDirectory(siteId),
    ]);
    return { page, directory };
  }, [siteId, nextToken]);
  return (
    <div class="page">
      <ListPageHeader
        title="Projects"
        lead="Accepted quotes being delivered: each quote line a task, its net amount the budget."
        loaded={loaded}
      />
      {loaded.state === 'loading' && <Loading what="projects" />}
      {loaded.state === 'failed' && <PageError error={loaded.error} siteId={siteId} />}
      {loaded.state === 'ready' && (
        <ProjectTable
          siteId={siteId}
          projects={loaded.data.page.projects}
          directory={loaded.data.directory}
          nextToken={loaded.data.page.nextToken}
          first={!nextToken}
        />
      )}
    </div>
  );
}

function ProjectTable({
  siteId,
  projects,
  directory,
  nextToken,
  first,
}: {
  siteId: string;
  projects: ProjectSummary[];
  directory: Directory;
  nextToken: string | undefined;
  first: boolean;
}) {
  if (projects.length === 0)
    return (
      <div class="card card-body">
        <p class="empty">
          No projects yet. An Accepted quote becomes one with <strong>Create project</strong> on its page,
          under <a href={href({ page: 'quotes', siteId })}>Quotes</a>.
        </p>
      </div>
    );
  return (
    <div class="card">
      <TableWrap label="Projects">
        <table class="projects-table">
          <caption class="visually-hidden">Projects</caption>
          <thead>
            <tr>
              <th scope="col" class="number">
                No.
              </th>
              <th scope="col">Name</th>
              <th scope="col">Company</th>
              <th scope="col">Status</th>
              <th scope="col">Planned</th>
              <th scope="col" class="number">
                Budget
              </th>
              <th scope="col">Budget used</th>
            </tr>
          </thead>
          <tbody>
            {projects.map((project) => (
              <tr key={project.projectId}>
                <td class="number">{project.number}</td>
                <td class="project-name">
                  <a href={href({ page: 'project', siteId, projectId: project.projectId })}>{project.name}</a>
                </td>
                <td>{(project.companyId && directory.companies.get(project.companyId)?.name) ?? '—'}</td>
                <td>
                  <ProjectStatusBadge status={project.status} />
                </td>
                <td class="nowrap">
                  {formatDate(project.plannedStart)} – {formatDate(project.plannedEnd)}
                </td>
                <td class="number">{money(project.totals.budget, project.currency)}</td>
                <td>
                  <BudgetBar
                    label={`Budget used, project ${project.number}`}
                    percent={project.totals.costUsedPercent}
                    over={project.totals.overBudget}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <Pager
        firstHref={first ? undefined : href({ page: 'projects', siteId })}
        nextHref={nextToken ? href({ page: 'projects', siteId, nextToken }) : undefined}
        count={projects.length}
        noun="project"
      />
    </div>
  );
}
