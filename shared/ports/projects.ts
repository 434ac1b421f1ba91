import type { Project, TimeEntry } from '../domain/projects';
import type { Page, PageRequest } from './synced-records';

/** What one change of a project writes: the project, and the time entry it recorded, if any. */
export interface ProjectChange {
  project: Project;
  entry?: TimeEntry;
}

export interface ProjectRepository {
  /** Strongly consistent; an entry a crash left half-written is completed first. */
  get(siteId: string, projectId: string): Promise<Project | undefined>;
  /** Creates the project; false when it already exists (an earlier or concurrent create won). */
  create(project: Project): Promise<boolean>;
  /**
   * Reads the project, lets `change` compute its next state (throwing to refuse), and writes
   * it conditionally on the version read; on a concurrent write it reads again and retries.
   * Throws NotFoundError when there is no such project.
   */
  update(
    siteId: string,
    projectId: string,
    change: (project: Project) => ProjectChange,
  ): Promise<ProjectChange>;
  /** Newest first by number. */
  list(siteId: string, page: PageRequest): Promise<Page<Project>>;
  listByOpportunity(siteId: string, opportunityId: string, page: PageRequest): Promise<Page<Project>>;
  /** Newest first (the order they were recorded in). */
  listEntries(siteId: string, projectId: string, page: PageRequest): Promise<Page<TimeEntry>>;
  getEntry(siteId: string, projectId: string, entryId: string): Promise<TimeEntry | undefined>;
}

export interface ProjectNumbers {
  /** The site's next project number (atomic; a number taken and not used is a gap). */
  next(siteId: string): Promise<number>;
}
