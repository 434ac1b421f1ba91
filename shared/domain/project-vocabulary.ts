/**
 * The words of projects: their statuses and the moves between them. Plain constants without
 * zod, so the console offers exactly the moves projects.ts allows without bundling the schema.
 */
export const PROJECT_STATUSES = ['Planned', 'In progress', 'Completed', 'Cancelled'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/**
 * Where a status may go. Work starts (Planned → In progress) and ends (Completed), or is called
 * off (Cancelled) before it ends; a completed project may be reopened and a cancelled one planned
 * again. Anything else (Planned straight to Completed, a cancelled project completed) is refused.
 */
export const PROJECT_TRANSITIONS: Readonly<Record<ProjectStatus, readonly ProjectStatus[]>> = {
  Planned: ['In progress', 'Cancelled'],
  'In progress': ['Completed', 'Cancelled'],
  Completed: ['In progress'],
  Cancelled: ['Planned'],
};

/** Statuses in which time may be recorded; recording time on a Planned project starts it. */
export const OPEN_STATUSES: ReadonlySet<ProjectStatus> = new Set(['Planned', 'In progress']);

/** The quote status a project is created from. */
export const QUOTE_STATUS_FOR_PROJECT = 'Accepted';
