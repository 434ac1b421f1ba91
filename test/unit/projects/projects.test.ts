import { ConflictError, ValidationError } from '../../../shared/domain/errors';
import { itemSizeBytes } from '../../../shared/domain/item-size';
import {
  applyTimeEntry,
  PROJECT_ITEM_BUDGET_BYTES,
  type Project,
  patchProject,
  projectFromQuote,
  projectIdFor,
  projectItemBytes,
  projectProgress,
  timeEntryBodySchema,
} from '../../../shared/domain/projects';
import { computeQuoteTotals, quoteLineSchema } from '../../../shared/domain/quote-lines';
import type { Quote } from '../../../shared/domain/synced-records';

const by = { subject: 'person-1', name: 'Pat Person' };
const now = new Date('2026-05-04T09:30:00.000Z');

function quote(overrides: Partial<Quote> = {}, rawLines: unknown[] = []): Quote {
  const lines = rawLines.map((line) => quoteLineSchema.parse(line));
  return {
    siteId: 'acme',
    quoteId: 'sf-006000000000001AAA',
    number: 12,
    title: 'Website relaunch',
    description: null,
    status: 'Accepted',
    companyId: 'sf-001000000000001AAA',
    personId: 'sf-003000000000001AAA',
    ownerUserId: 'owner-1',
    currency: 'EUR',
    opportunityAmount: null,
    closeDate: '2026-09-30',
    lines,
    totals: computeQuoteTotals(lines, 'EUR'),
    customFields: {},
    salesforce: {
      id: '006000000000001AAA',
      opportunityId: '006000000000001AAA',
      accountId: '001000000000001AAA',
      systemModstamp: '2026-05-01T00:00:00.000Z',
      lastSyncedAt: '2026-05-01T00:00:00.000Z',
      notificationId: '04l000000000001AAA',
    },
    createdAt: '2026-05-01T00:00:00.000Z',
    updatedAt: '2026-05-01T00:00:00.000Z',
    ...overrides,
  };
}

const lines = [
  { name: 'Design', quantity: 40, unit: 'h', unitPrice: '95.50', discountPercent: 10, vatPercent: 20 },
  { name: 'Hosting', quantity: 12, unit: 'month', unitPrice: '19.99' },
  { name: 'Licence', quantity: 3, unitPrice: '0.10' },
];

const fromQuote = (q: Quote) => projectFromQuote(q, { number: 3, now, by, defaultCurrency: 'EUR' });
const entry = (input: Record<string, unknown>) => timeEntryBodySchema.parse({ date: '2026-05-04', ...input });

describe('projectFromQuote', () => {
  test("one task per line, planned with the line's quantity, unit and net amount; budget the net total", () => {
    const project = fromQuote(quote({}, lines));
    expect(project).toMatchObject({
      projectId: 'prj-sf-006000000000001AAA',
      number: 3,
      name: 'Website relaunch',
      status: 'Planned',
      quoteId: 'sf-006000000000001AAA',
      quoteNumber: 12,
      opportunityId: '006000000000001AAA',
      companyId: 'sf-001000000000001AAA',
      personId: 'sf-003000000000001AAA',
      ownerUserId: 'owner-1',
      currency: 'EUR',
      // 40 × 95.50 × 0.9 = 3438.00; 12 × 19.99 = 239.88; 3 × 0.10 = 0.30 (VAT is not budget)
      budget: '3678.18',
      plannedStart: '2026-05-04',
      plannedEnd: '2026-09-30',
      entryCount: 0,
      createdBy: by,
    });
    expect(project.tasks).toEqual([
      {
        taskId: 't1',
        quoteLine: 0,
        name: 'Design',
        unit: 'h',
        plannedQuantity: '40',
        budget: '3438.00',
        actualQuantity: '0',
        actualCost: '0.00',
        entries: 0,
      },
      expect.objectContaining({ taskId: 't2', unit: 'month', plannedQuantity: '12', budget: '239.88' }),
      expect.objectContaining({ taskId: 't3', plannedQuantity: '3', budget: '0.30' }),
    ]);
    expect(project.tasks[2]).not.toHaveProperty('unit');
  });

  test('a quote that is not Accepted is refused, saying what it is and what to do', () => {
    expect(() => fromQuote(quote({ status: 'Sent' }, lines))).toThrow(ConflictError);
    expect(() => fromQuote(quote({ status: 'Sent' }, lines))).toThrow(
      /Quote 12 is Sent; only an Accepted quote becomes a project/,
    );
  });

  test('a quote without lines is refused', () => {
    expect(() => fromQuote(quote({}, []))).toThrow(/has no lines/);
  });

  test('the budget follows the currency: no minor units in JPY', () => {
    const jpy = quote({ currency: 'JPY', totals: null }, [{ name: 'Work', quantity: 3, unitPrice: '333.5' }]);
    const project = fromQuote(jpy);
    expect(project.budget).toBe('1001');
    expect(project.tasks[0]?.actualCost).toBe('0');
  });

  test('a plan too large for one DynamoDB item is refused before anything is written', () => {
    const long = Array.from({ length: 500 }, (_, i) => ({
      name: `${'業務'.repeat(98)}${i}`,
      quantity: 1,
      unitPrice: 1,
    }));
    expect(() => fromQuote(quote({}, long))).toThrow(/too large for one project/);
    const ordinary = Array.from({ length: 500 }, (_, i) => ({
      name: `Task ${i}`,
      quantity: 1,
      unitPrice: 1,
    }));
    expect(projectItemBytes(fromQuote(quote({}, ordinary)))).toBeLessThan(PROJECT_ITEM_BUDGET_BYTES);
  });

  test('the project id derives from the quote id and stays within 64 characters', () => {
    expect(projectIdFor('q-1')).toBe('prj-q-1');
    const long = projectIdFor('x'.repeat(64));
    expect(long).toMatch(/^prj-[0-9a-f]{40}$/);
    expect(projectIdFor('x'.repeat(64))).toBe(long);
  });
});

describe('time entries', () => {
  const planned = () => fromQuote(quote({}, lines));

  test("adds to the task's actual quantity and cost; without a cost, the planned rate prices it", () => {
    const { project, entry: recorded } = applyTimeEntry(planned(), entry({ taskId: 't1', quantity: 10 }), {
      now,
      by,
    });
    // 3438.00 budget for 40 h: 85.95 per hour
    expect(recorded).toMatchObject({
      entryId: 'te-000000001',
      taskId: 't1',
      taskName: 'Design',
      quantity: '10',
      unit: 'h',
      cost: '859.50',
      costBasis: 'planned-rate',
      recordedBy: by,
    });
    expect(project.tasks[0]).toMatchObject({ actualQuantity: '10', actualCost: '859.50', entries: 1 });
    expect(project.entryCount).toBe(1);
    expect(project.status).toBe('In progress');
  });

  test('exact decimals: many small entries sum without drift', () => {
    let project = planned();
    for (let i = 0; i < 30; i++) {
      project = applyTimeEntry(project, entry({ taskId: 't3', quantity: '0.1', cost: '0.01' }), {
        now,
        by,
      }).project;
    }
    expect(project.tasks[2]).toMatchObject({ actualQuantity: '3', actualCost: '0.30', entries: 30 });
    expect(projectProgress(project).tasks[2]).toMatchObject({
      quantityUsedPercent: '100',
      costUsedPercent: '100',
      overBudget: false,
      remainingBudget: '0.00',
    });
  });

  test('a cost with more decimals than the currency has is refused, naming cost', () => {
    const attempt = () =>
      applyTimeEntry(planned(), entry({ taskId: 't1', quantity: 1, cost: '1.005' }), { now, by });
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).issues[0]?.path).toBe('cost');
    }
  });

  test('an unknown task is a 400 naming taskId', () => {
    try {
      applyTimeEntry(planned(), entry({ taskId: 't9', quantity: 1 }), { now, by });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        { path: 'taskId', message: expect.stringMatching(/no task t9 .*one of t1, t2, t3/) },
      ]);
    }
  });

  test('a completed or cancelled project takes no time', () => {
    for (const status of ['Completed', 'Cancelled'] as const) {
      const project: Project = { ...planned(), status };
      expect(() => applyTimeEntry(project, entry({ taskId: 't1', quantity: 1 }), { now, by })).toThrow(
        new RegExp(`is ${status}, so it takes no time entries`),
      );
    }
  });

  test('the body: quantity above zero, a real date, no unknown fields', () => {
    const problems = (input: unknown) => {
      const result = timeEntryBodySchema.safeParse(input);
      return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
    };
    expect(problems({ taskId: 't1', quantity: 0, date: '2026-05-04' })).toEqual(['quantity']);
    expect(problems({ taskId: 't1', quantity: 1, date: '2026-02-30' })).toEqual(['date']);
    expect(problems({ taskId: 't1', quantity: 1, date: '2026-05-04', hours: 2 })).toEqual(['']);
    expect(problems({ quantity: 1, date: '2026-05-04' })).toEqual(['taskId']);
    expect(problems({ taskId: 't1', quantity: 1, cost: -1, date: '2026-05-04' })).toEqual(['cost']);
  });
});

describe('progress', () => {
  test('percent used and over-budget flags per task and in total; quantities add up only in one unit', () => {
    let project = fromQuote(quote({}, lines));
    project = applyTimeEntry(project, entry({ taskId: 't1', quantity: 44, cost: '3500' }), {
      now,
      by,
    }).project;
    project = applyTimeEntry(project, entry({ taskId: 't2', quantity: 3 }), { now, by }).project;
    const view = projectProgress(project);
    expect(view.tasks[0]).toMatchObject({
      actualQuantity: '44',
      quantityUsedPercent: '110',
      overQuantity: true,
      actualCost: '3500.00',
      costUsedPercent: '101.8',
      overBudget: true,
      remainingBudget: '-62.00',
    });
    expect(view.tasks[1]).toMatchObject({ costUsedPercent: '25', overBudget: false, actualCost: '59.97' });
    expect(view.totals).toEqual({
      budget: '3678.18',
      actualCost: '3559.97',
      remainingBudget: '118.21',
      costUsedPercent: '96.8',
      overBudget: false,
      unit: null,
      plannedQuantity: null,
      actualQuantity: null,
      quantityUsedPercent: null,
      tasksOverBudget: 1,
    });
    expect(view).not.toHaveProperty('version');
    const hours = fromQuote(
      quote({}, [
        { name: 'A', quantity: 10, unit: 'h', unitPrice: 1 },
        { name: 'B', quantity: 30, unit: 'h', unitPrice: 1 },
      ]),
    );
    const done = applyTimeEntry(hours, entry({ taskId: 't2', quantity: 10 }), { now, by }).project;
    expect(projectProgress(done).totals).toMatchObject({
      unit: 'h',
      plannedQuantity: '40',
      actualQuantity: '10',
      quantityUsedPercent: '25',
    });
  });

  test('a task planned at zero has no percent, and is over budget once anything is spent', () => {
    const free = fromQuote(quote({}, [{ name: 'Goodwill', quantity: 1, unitPrice: 0 }]));
    const view = projectProgress(
      applyTimeEntry(free, entry({ taskId: 't1', quantity: 1, cost: 5 }), { now, by }).project,
    );
    expect(view.tasks[0]).toMatchObject({ costUsedPercent: null, overBudget: true });
    expect(view.totals.costUsedPercent).toBeNull();
  });
});

describe('patchProject', () => {
  const planned = () => fromQuote(quote({}, lines));

  test('sensible transitions only', () => {
    const started = patchProject(planned(), { status: 'In progress' }, now);
    expect(patchProject(started, { status: 'Completed' }, now).status).toBe('Completed');
    expect(() => patchProject(planned(), { status: 'Completed' }, now)).toThrow(
      'Project 3 is Planned; it may become In progress or Cancelled, not Completed',
    );
    const cancelled = patchProject(planned(), { status: 'Cancelled' }, now);
    expect(() => patchProject(cancelled, { status: 'In progress' }, now)).toThrow(ConflictError);
    expect(patchProject(cancelled, { status: 'Planned' }, now).status).toBe('Planned');
    // The same status again is no move at all.
    expect(patchProject(planned(), { status: 'Planned' }, now).status).toBe('Planned');
  });

  test('dates: the end not before the start, naming the field that was sent', () => {
    expect(patchProject(planned(), { plannedEnd: '2026-12-31' }, now).plannedEnd).toBe('2026-12-31');
    expect(patchProject(planned(), { plannedEnd: null }, now).plannedEnd).toBeNull();
    for (const [patch, path] of [
      [{ plannedEnd: '2026-05-01' }, 'plannedEnd'],
      [{ plannedStart: '2026-10-01' }, 'plannedStart'],
    ] as const) {
      try {
        patchProject(planned(), patch, now);
        throw new Error('accepted');
      } catch (error) {
        expect((error as ValidationError).issues?.[0]?.path).toBe(path);
      }
    }
  });
});

describe('itemSizeBytes', () => {
  test("counts names and values as DynamoDB's guide does", () => {
    // "pk" (2) + "SITE#a" (6); "n" (1) + 3 significant digits (2 + 1); "ok" (2) + 1
    expect(itemSizeBytes({ pk: 'SITE#a', n: 123, ok: true })).toBe(8 + 4 + 3);
    // "l" (1) + 3 + 2 × (1 + 1 byte for "x")
    expect(itemSizeBytes({ l: ['x', 'y'] })).toBe(1 + 3 + 4);
    expect(itemSizeBytes({ s: 'Łódź' })).toBe(1 + 7);
    expect(itemSizeBytes({ gone: undefined })).toBe(0);
  });
});
