import { createHash } from 'node:crypto';
import Big from 'big.js';
import * as z from 'zod';
import { ConflictError, ValidationError } from './errors';
import { itemSizeBytes } from './item-size';
import { canonicalDecimal, minorUnits, roundHalfUp, roundMoney, sumDecimals, toBig } from './money';
import {
  OPEN_STATUSES,
  PROJECT_STATUSES,
  PROJECT_TRANSITIONS,
  type ProjectStatus,
  QUOTE_STATUS_FOR_PROJECT,
} from './project-vocabulary';
import { decimalField, textField } from './quote-lines';
import { computeQuoteTotals } from './quote-totals';
import type { Quote } from './synced-records';

/**
 * Projects: what an accepted quote becomes, and how its delivery is tracked. A project has one
 * task per quote line, planned with the line's quantity, unit and net amount (its budget); time
 * entries record what was spent on a task, and the project keeps each task's actual quantity and
 * cost beside its plan. Money is exact decimal strings, as on quotes (money.ts).
 */
// The statuses and their moves live apart, so the console bundles them without zod.
export { OPEN_STATUSES, PROJECT_STATUSES, PROJECT_TRANSITIONS, type ProjectStatus, QUOTE_STATUS_FOR_PROJECT };

/** Who did something, as the caller's identity names them. */
export interface Actor {
  subject: string;
  name: string;
}

export interface ProjectTask {
  taskId: string;
  /** The position (0-based) of the quote line it was planned from. */
  quoteLine: number;
  name: string;
  unit?: string;
  plannedQuantity: string;
  /** The line's net amount (after discount, before VAT) in the project's currency. */
  budget: string;
  actualQuantity: string;
  actualCost: string;
  /** How many time entries were recorded against it. */
  entries: number;
}

export const COST_BASES = ['given', 'planned-rate'] as const;
export type CostBasis = (typeof COST_BASES)[number];

export interface TimeEntry {
  siteId: string;
  projectId: string;
  /** `te-` and the project's entry sequence number: unique and in recording order. */
  entryId: string;
  taskId: string;
  taskName: string;
  quantity: string;
  unit?: string;
  cost: string;
  /** The cost as given, or (left out) the quantity at the task's planned rate. */
  costBasis: CostBasis;
  note?: string;
  /** The day the work was done, YYYY-MM-DD. */
  date: string;
  recordedBy: Actor;
  recordedAt: string;
}

export interface Project {
  siteId: string;
  projectId: string;
  /** Per site, sequential, taken once at creation (a crash may leave a gap). */
  number: number;
  name: string;
  status: ProjectStatus;
  quoteId: string;
  quoteNumber: number;
  /** The opportunity the quote came from (18 characters). */
  opportunityId: string;
  companyId: string | null;
  personId: string | null;
  ownerUserId: string | null;
  currency: string;
  /** The quote's net total when the project was created. */
  budget: string;
  plannedStart: string;
  plannedEnd: string | null;
  tasks: ProjectTask[];
  /** Time entries recorded so far (the next one is entryCount + 1). */
  entryCount: number;
  /** Raised by every write: writes are conditional on the version they read. */
  version: number;
  createdBy: Actor;
  createdAt: string;
  updatedAt: string;
  /**
   * The latest time entry, kept on the project by the same write that adds it to the sums, until
   * its own item is written: so a crash between the two writes loses no entry (see the repository).
   */
  pendingEntry?: TimeEntry;
}

/** One project per quote: the id derives from the quote's, so a second create finds the first. */
export function projectIdFor(quoteId: string): string {
  const id = `prj-${quoteId}`;
  return id.length <= 64 ? id : `prj-${createHash('sha256').update(quoteId).digest('hex').slice(0, 40)}`;
}

/** An item must stay below DynamoDB's 400 KB whatever is recorded later: this much for the plan. */
export const PROJECT_ITEM_BUDGET_BYTES = 320 * 1024;
/**
 * What a project item may grow by after creation: per task, actual sums of up to 24 characters
 * each and an entry count; per project, one pending entry with a note of 1,000 characters.
 */
const GROWTH_PER_TASK_BYTES = 2 * 24 + 8;
const GROWTH_PER_PROJECT_BYTES = 6 * 1024;

export function projectItemBytes(project: Project): number {
  return (
    itemSizeBytes(project as unknown as Record<string, unknown>) +
    project.tasks.length * GROWTH_PER_TASK_BYTES +
    GROWTH_PER_PROJECT_BYTES
  );
}

/**
 * The project an accepted quote becomes: named and numbered, with the quote's company, person,
 * owner and currency; its budget is the quote's net total; planned from today to the
 * opportunity's close date; one task per line with the line's quantity, unit and net amount.
 */
export function projectFromQuote(
  quote: Quote,
  context: { number: number; now: Date; by: Actor; defaultCurrency: string },
): Project {
  if (quote.status !== QUOTE_STATUS_FOR_PROJECT) {
    throw new ConflictError(
      `Quote ${quote.number} is ${quote.status}; only an Accepted quote becomes a project (set its status to Accepted first)`,
    );
  }
  if (quote.lines.length === 0) {
    throw new ConflictError(
      `Quote ${quote.number} has no lines; a project plans one task per line, so add its lines first`,
    );
  }
  const currency = quote.currency ?? context.defaultCurrency;
  const totals =
    quote.totals && quote.totals.currency === currency && quote.totals.lines.length === quote.lines.length
      ? quote.totals
      : computeQuoteTotals(quote.lines, currency);
  const at = context.now.toISOString();
  const zero = roundMoney(new Big(0), currency);
  const project: Project = {
    siteId: quote.siteId,
    projectId: projectIdFor(quote.quoteId),
    number: context.number,
    name: quote.title,
    status: 'Planned',
    quoteId: quote.quoteId,
    quoteNumber: quote.number,
    opportunityId: quote.salesforce.opportunityId,
    companyId: quote.companyId,
    personId: quote.personId,
    ownerUserId: quote.ownerUserId,
    currency,
    budget: totals.net,
    plannedStart: at.slice(0, 10),
    plannedEnd: quote.closeDate,
    tasks: quote.lines.map((line, index) => ({
      taskId: `t${index + 1}`,
      quoteLine: index,
      name: line.name,
      ...(line.unit ? { unit: line.unit } : {}),
      plannedQuantity: line.quantity,
      budget: totals.lines[index]?.net ?? zero,
      actualQuantity: '0',
      actualCost: zero,
      entries: 0,
    })),
    entryCount: 0,
    version: 1,
    createdBy: context.by,
    createdAt: at,
    updatedAt: at,
  };
  const bytes = projectItemBytes(project);
  if (bytes > PROJECT_ITEM_BUDGET_BYTES) {
    throw new ConflictError(
      `Quote ${quote.number}'s ${quote.lines.length} lines are too large for one project (${Math.ceil(bytes / 1024)} KiB of at most ${PROJECT_ITEM_BUDGET_BYTES / 1024} KiB): shorten the line names or split the quote`,
    );
  }
  return project;
}

const dateField = (field: string) =>
  z.iso.date({ error: `${field} must be a date like 2026-03-31` }).meta({ description: 'YYYY-MM-DD' });

/** POST …/projects/{projectId}/time-entries. */
export const timeEntryBodySchema = z.strictObject(
  {
    taskId: textField('taskId', 1, 64),
    quantity: decimalField('quantity', {
      decimals: 4,
      integerDigits: 9,
      min: { value: '0', exclusive: true },
    }),
    cost: decimalField('cost', { decimals: 4, integerDigits: 12, min: { value: '0', exclusive: false } })
      .optional()
      .meta({
        description:
          "What the work cost; left out, the quantity at the task's planned rate (budget ÷ planned quantity)",
      }),
    note: textField('note', 0, 1000).nullish(),
    date: dateField('date'),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : undefined,
  },
);
export type TimeEntryInput = z.output<typeof timeEntryBodySchema>;

/** PATCH …/projects/{projectId}. */
export const projectPatchSchema = z
  .strictObject({
    name: textField('name', 1, 255).optional(),
    plannedStart: dateField('plannedStart').optional(),
    plannedEnd: dateField('plannedEnd').nullable().optional(),
    status: z.enum(PROJECT_STATUSES).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'give at least one field to change' });
export type ProjectPatch = z.infer<typeof projectPatchSchema>;

/**
 * A time entry added to its task's actual quantity and cost (and to the project's count).
 * Recording time on a Planned project starts it; a completed or cancelled one takes none.
 */
export function applyTimeEntry(
  project: Project,
  input: TimeEntryInput,
  context: { now: Date; by: Actor },
): { project: Project; entry: TimeEntry } {
  if (!OPEN_STATUSES.has(project.status)) {
    throw new ConflictError(
      `Project ${project.number} is ${project.status}, so it takes no time entries; set its status to In progress to record time`,
    );
  }
  const task = project.tasks.find((t) => t.taskId === input.taskId);
  if (!task) {
    throw new ValidationError(`Project ${project.number} has no task ${input.taskId}`, [
      {
        path: 'taskId',
        message: `no task ${input.taskId} in project ${project.number}; one of ${project.tasks.map((t) => t.taskId).join(', ')}`,
      },
    ]);
  }
  const decimals = minorUnits(project.currency);
  if (input.cost !== undefined && (input.cost.split('.')[1]?.length ?? 0) > decimals) {
    throw new ValidationError('Invalid cost', [
      {
        path: 'cost',
        message: `cost must have at most ${decimals} decimal${decimals === 1 ? '' : 's'} in ${project.currency} (got ${input.cost})`,
      },
    ]);
  }
  const quantity = toBig(input.quantity);
  const planned = toBig(task.plannedQuantity);
  const cost =
    input.cost !== undefined
      ? roundMoney(toBig(input.cost), project.currency)
      : roundMoney(
          planned.gt(0) ? quantity.times(toBig(task.budget)).div(planned) : new Big(0),
          project.currency,
        );
  const at = context.now.toISOString();
  const sequence = project.entryCount + 1;
  const entry: TimeEntry = {
    siteId: project.siteId,
    projectId: project.projectId,
    entryId: `te-${String(sequence).padStart(9, '0')}`,
    taskId: task.taskId,
    taskName: task.name,
    quantity: input.quantity,
    ...(task.unit ? { unit: task.unit } : {}),
    cost,
    costBasis: input.cost !== undefined ? 'given' : 'planned-rate',
    ...(input.note ? { note: input.note } : {}),
    date: input.date,
    recordedBy: context.by,
    recordedAt: at,
  };
  return {
    entry,
    project: {
      ...project,
      status: project.status === 'Planned' ? 'In progress' : project.status,
      tasks: project.tasks.map((t) =>
        t === task
          ? {
              ...t,
              actualQuantity: canonicalDecimal(toBig(t.actualQuantity).plus(quantity)),
              actualCost: roundMoney(toBig(t.actualCost).plus(toBig(cost)), project.currency),
              entries: t.entries + 1,
            }
          : t,
      ),
      entryCount: sequence,
      updatedAt: at,
    },
  };
}

/** A PATCH: the name, the planned dates (the end not before the start) and the status. */
export function patchProject(project: Project, patch: ProjectPatch, now: Date): Project {
  if (patch.status !== undefined && patch.status !== project.status) {
    const allowed = PROJECT_TRANSITIONS[project.status];
    if (!allowed.includes(patch.status)) {
      throw new ConflictError(
        `Project ${project.number} is ${project.status}; it may become ${allowed.join(' or ')}, not ${patch.status}`,
      );
    }
  }
  const next: Project = {
    ...project,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.plannedStart !== undefined ? { plannedStart: patch.plannedStart } : {}),
    ...(patch.plannedEnd !== undefined ? { plannedEnd: patch.plannedEnd } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
    updatedAt: now.toISOString(),
  };
  const datesPatched = patch.plannedStart !== undefined || patch.plannedEnd !== undefined;
  if (datesPatched && next.plannedEnd !== null && next.plannedEnd < next.plannedStart) {
    const path = patch.plannedEnd !== undefined ? 'plannedEnd' : 'plannedStart';
    throw new ValidationError('The planned end is before the planned start', [
      {
        path,
        message: `the planned end (${next.plannedEnd}) must not be before the planned start (${next.plannedStart})`,
      },
    ]);
  }
  return next;
}

/** actual ÷ planned in percent, one decimal, half up; null when nothing was planned. */
function percentUsed(actual: string, planned: string): string | null {
  const plan = toBig(planned);
  if (plan.eq(0)) return null;
  return canonicalDecimal(roundHalfUp(toBig(actual).times(100).div(plan), 1));
}

export interface TaskProgress extends ProjectTask {
  quantityUsedPercent: string | null;
  costUsedPercent: string | null;
  remainingBudget: string;
  /** More was done than planned. */
  overQuantity: boolean;
  /** More was spent than budgeted. */
  overBudget: boolean;
}

export interface ProjectTotals {
  budget: string;
  actualCost: string;
  remainingBudget: string;
  costUsedPercent: string | null;
  overBudget: boolean;
  /** Quantities add up only when every task has the same unit: null otherwise. */
  unit: string | null;
  plannedQuantity: string | null;
  actualQuantity: string | null;
  quantityUsedPercent: string | null;
  tasksOverBudget: number;
}

export type ProjectView = Omit<Project, 'tasks' | 'pendingEntry' | 'version'> & {
  tasks: TaskProgress[];
  totals: ProjectTotals;
};

/** Planned against actual, per task and in total. */
export function projectProgress(project: Project): ProjectView {
  const { pendingEntry: _pending, version: _version, ...rest } = project;
  const tasks = project.tasks.map(
    (task): TaskProgress => ({
      ...task,
      quantityUsedPercent: percentUsed(task.actualQuantity, task.plannedQuantity),
      costUsedPercent: percentUsed(task.actualCost, task.budget),
      remainingBudget: roundMoney(toBig(task.budget).minus(toBig(task.actualCost)), project.currency),
      overQuantity: toBig(task.actualQuantity).gt(toBig(task.plannedQuantity)),
      overBudget: toBig(task.actualCost).gt(toBig(task.budget)),
    }),
  );
  const units = new Set(project.tasks.map((t) => t.unit ?? ''));
  const sameUnit = units.size === 1;
  const actualCost = roundMoney(sumDecimals(project.tasks.map((t) => t.actualCost)), project.currency);
  const plannedQuantity = canonicalDecimal(sumDecimals(project.tasks.map((t) => t.plannedQuantity)));
  const actualQuantity = canonicalDecimal(sumDecimals(project.tasks.map((t) => t.actualQuantity)));
  return {
    ...rest,
    tasks,
    totals: {
      budget: project.budget,
      actualCost,
      remainingBudget: roundMoney(toBig(project.budget).minus(toBig(actualCost)), project.currency),
      costUsedPercent: percentUsed(actualCost, project.budget),
      overBudget: toBig(actualCost).gt(toBig(project.budget)),
      unit: sameUnit ? [...units][0] || null : null,
      plannedQuantity: sameUnit ? plannedQuantity : null,
      actualQuantity: sameUnit ? actualQuantity : null,
      quantityUsedPercent: sameUnit ? percentUsed(actualQuantity, plannedQuantity) : null,
      tasksOverBudget: tasks.filter((t) => t.overBudget).length,
    },
  };
}

/** A project in a listing: its totals, without the tasks. */
export function projectSummary(project: Project) {
  const { tasks, ...view } = projectProgress(project);
  return { ...view, taskCount: tasks.length };
}
export type ProjectSummary = ReturnType<typeof projectSummary>;
