import type * as z from 'zod';
import type { Identity } from '../domain/access';
import { NotFoundError } from '../domain/errors';
import {
  applyTimeEntry,
  type ProjectPatch,
  patchProject as patched,
  projectProgress,
  projectSummary,
  type TimeEntryInput,
} from '../domain/projects';
import type { ProjectRepository } from '../ports/projects';
import type { SiteRepository } from '../ports/site-repository';
import type { listProjectsQuerySchema, pageQuerySchema } from './list-quotes';
import { requireSite } from './require-site';

export interface ProjectDeps {
  sites: SiteRepository;
  projects: ProjectRepository;
  now: () => Date;
}

const pageOf = (query: z.infer<typeof pageQuerySchema>) => ({
  limit: query.limit,
  ...(query.nextToken ? { nextToken: query.nextToken } : {}),
});

async function requireProject(deps: ProjectDeps, siteId: string, projectId: string) {
  const project = await deps.projects.get(siteId, projectId);
  if (!project) throw new NotFoundError(`Site ${siteId} has no project ${projectId}`);
  return project;
}

/** GET /sites/{siteId}/projects/{projectId}: planned against actual, per task and in total. */
export async function getProject(deps: ProjectDeps, siteId: string, projectId: string) {
  return projectProgress(await requireProject(deps, siteId, projectId));
}

/** GET /sites/{siteId}/projects: newest first, or those of one opportunity. */
export async function listProjects(
  deps: ProjectDeps,
  siteId: string,
  query: z.infer<typeof listProjectsQuerySchema>,
) {
  await requireSite(deps.sites, siteId);
  const { items, nextToken } = query.opportunityId
    ? await deps.projects.listByOpportunity(siteId, query.opportunityId, pageOf(query))
    : await deps.projects.list(siteId, pageOf(query));
  return { projects: items.map(projectSummary), ...(nextToken ? { nextToken } : {}) };
}

/** PATCH /sites/{siteId}/projects/{projectId}: name, planned dates, status. */
export async function patchProject(
  deps: ProjectDeps,
  siteId: string,
  projectId: string,
  patch: ProjectPatch,
) {
  const { project } = await deps.projects.update(siteId, projectId, (current) => ({
    project: patched(current, patch, deps.now()),
  }));
  return projectProgress(project);
}

/** POST /sites/{siteId}/projects/{projectId}/time-entries: the entry, and the project after it. */
export async function recordTimeEntry(
  deps: ProjectDeps,
  siteId: string,
  projectId: string,
  input: TimeEntryInput,
  identity: Identity,
) {
  const by = { subject: identity.subject, name: identity.name };
  const { project, entry } = await deps.projects.update(siteId, projectId, (current) =>
    applyTimeEntry(current, input, { now: deps.now(), by }),
  );
  if (!entry) throw new Error('A time entry was recorded without its entry');
  return { entry, project: projectProgress(project) };
}

/** GET /sites/{siteId}/projects/{projectId}/time-entries: newest first. */
export async function listTimeEntries(
  deps: ProjectDeps,
  siteId: string,
  projectId: string,
  query: z.infer<typeof pageQuerySchema>,
) {
  await requireProject(deps, siteId, projectId);
  const { items, nextToken } = await deps.projects.listEntries(siteId, projectId, pageOf(query));
  return { entries: items, ...(nextToken ? { nextToken } : {}) };
}

/** GET /sites/{siteId}/projects/{projectId}/time-entries/{entryId}. */
export async function getTimeEntry(deps: ProjectDeps, siteId: string, projectId: string, entryId: string) {
  // Through the project: an entry a crash left on it is written before it is looked for.
  await requireProject(deps, siteId, projectId);
  const entry = await deps.projects.getEntry(siteId, projectId, entryId);
  if (!entry) throw new NotFoundError(`Project ${projectId} has no time entry ${entryId}`);
  return entry;
}
