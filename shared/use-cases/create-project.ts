import type { Identity } from '../domain/access';
import { type Project, projectFromQuote, projectIdFor, projectProgress } from '../domain/projects';
import { DEFAULT_CURRENCY } from '../domain/quote-editing';
import type { ProjectNumbers, ProjectRepository } from '../ports/projects';
import type { QuoteEditor } from '../ports/quote-edits';
import type { ActivityLog } from '../ports/synced-records';
import { requireQuote } from './edit-quote';

export interface CreateProjectDeps {
  quotes: QuoteEditor;
  projects: ProjectRepository;
  projectNumbers: ProjectNumbers;
  /** A created project goes on the opportunity's timeline, with who created it. */
  activity: ActivityLog;
  now: () => Date;
}

/**
 * POST /sites/{siteId}/quotes/{quoteId}/project: the project an Accepted quote becomes. One per
 * quote (its id derives from the quote's): a second call, or one racing the first, answers the
 * project that exists, whatever the quote's status has become since.
 */
export async function createProjectFromQuote(
  deps: CreateProjectDeps,
  siteId: string,
  quoteId: string,
  identity: Identity,
): Promise<{ project: ReturnType<typeof projectProgress>; created: boolean }> {
  const quote = await requireQuote(deps.quotes, siteId, quoteId);
  const projectId = projectIdFor(quoteId);
  const existing = await deps.projects.get(siteId, projectId);
  if (existing) return { project: await linked(deps, existing, quote.projectId), created: false };

  // Refuses before a number is taken: a quote that is not Accepted, or has no lines.
  const draft = projectFromQuote(quote, {
    number: 0,
    now: deps.now(),
    by: { subject: identity.subject, name: identity.name },
    defaultCurrency: DEFAULT_CURRENCY,
  });
  const project: Project = { ...draft, number: await deps.projectNumbers.next(siteId) };
  if (await deps.projects.create(project)) {
    await deps.activity.record({
      siteId,
      opportunityId: quote.salesforce.opportunityId,
      at: project.createdAt,
      kind: 'project-created',
      quoteId,
      actor: identity.name,
      actorSubject: identity.subject,
      summary: `Project ${project.number} created from quote ${quote.number}, ${project.tasks.length} task${project.tasks.length === 1 ? '' : 's'}, budget ${project.budget} ${project.currency}`,
    });
    return { project: await linked(deps, project, quote.projectId), created: true };
  }
  // A concurrent create won: its project is the one (the number taken here stays a gap).
  const winner = await deps.projects.get(siteId, projectId);
  if (!winner) throw new Error(`Project ${projectId} was created and is gone`);
  return { project: await linked(deps, winner, quote.projectId), created: false };
}

/** The quote points at its project; written after the project, so a retry completes it. */
async function linked(deps: CreateProjectDeps, project: Project, quoteProjectId: string | undefined) {
  if (quoteProjectId !== project.projectId)
    await deps.quotes.recordProject(project.siteId, project.quoteId, project.projectId);
  return projectProgress(project);
}
