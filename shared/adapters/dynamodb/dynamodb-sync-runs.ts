import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EMPTY_COUNTS, type SyncRun, type SyncRunCounts, withDerivedStatus } from '../../domain/sync-run';
import type { SyncRunRepository } from '../../ports/sync-runs';
import { itemKeys } from './keys';

/** How many error messages a run keeps (counts are kept in full). */
export const MAX_RUN_ERRORS = 20;
const COUNT_NAMES = Object.keys(EMPTY_COUNTS) as (keyof SyncRunCounts)[];

const runKey = itemKeys.syncRun;
const lockKey = itemKeys.syncRunLock;

/**
 * Runs are items with flat counters (atomic ADD from the worker and the page processor); the
 * site's run lock names the active run and is taken with a conditional write.
 */
export class DynamoDbSyncRunRepository implements SyncRunRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(siteId: string, runId: string): Promise<SyncRun | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: runKey(siteId, runId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const run = this.fromItem(siteId, runId, Item);
    // Read-repair: a run whose last outcome is in but whose completion write has not landed yet
    // (or never will, after a crash between the two writes) is completed here.
    if (await this.completeIfDone(run)) return this.get(siteId, runId);
    return run;
  }

  private fromItem(siteId: string, runId: string, item: Record<string, unknown>): SyncRun {
    const counts = Object.fromEntries(
      COUNT_NAMES.map((name) => [name, Number(item[name] ?? 0)]),
    ) as unknown as SyncRunCounts;
    return {
      siteId,
      runId,
      mode: item.mode as SyncRun['mode'],
      status: item.status as SyncRun['status'],
      startedAt: String(item.startedAt),
      ...(item.finishedAt ? { finishedAt: String(item.finishedAt) } : {}),
      queryDone: item.queryDone === true,
      pages: Number(item.pages ?? 0),
      counts,
      errors: (item.errors ?? []) as SyncRun['errors'],
    };
  }

  async startUnlessRunning(run: SyncRun, isFinished: (active: SyncRun) => boolean) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { Item: lock } = await this.db.send(
        new GetCommand({ TableName: this.table, Key: lockKey(run.siteId), ConsistentRead: true }),
      );
      const active = lock ? await this.get(run.siteId, String(lock.runId)) : undefined;
      if (active && !isFinished(active)) return { run: active, started: false };
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...lockKey(run.siteId),
              entity: 'sync-run-lock',
              runId: run.runId,
              takenAt: run.startedAt,
            },
            ConditionExpression: lock ? 'runId = :previous' : 'attribute_not_exists(pk)',
            ...(lock ? { ExpressionAttributeValues: { ':previous': lock.runId } } : {}),
          }),
        );
      } catch (error) {
        // Another request started a run first: read the lock again and return that run.
        if (error instanceof ConditionalCheckFailedException) continue;
        throw error;
      }
      const { counts, ...rest } = run;
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...runKey(run.siteId, run.runId), entity: 'sync-run', ...rest, ...counts },
        }),
      );
      return { run, started: true };
    }
    throw new Error(`Could not take the sync-run lock of site ${run.siteId}`);
  }

  async add(
    siteId: string,
    runId: string,
    counts: Partial<SyncRunCounts>,
    options: { queryDone?: boolean } = {},
  ) {
    await this.update(siteId, runId, counts, { ...options, page: false });
  }

  async addPage(siteId: string, runId: string, page: number, counts: Partial<SyncRunCounts>, last: boolean) {
    try {
      await this.update(siteId, runId, counts, { queryDone: last, page: true, expectedPages: page - 1 });
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async update(
    siteId: string,
    runId: string,
    counts: Partial<SyncRunCounts>,
    options: { queryDone?: boolean; page: boolean; expectedPages?: number },
  ) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds: string[] = [];
    for (const [name, value] of Object.entries(counts)) {
      if (!value) continue;
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      adds.push(`#${name} :${name}`);
    }
    if (options.page) {
      names['#pages'] = 'pages';
      values[':pages'] = 1;
      adds.push('#pages :pages');
    }
    const sets = options.queryDone ? ['queryDone = :true'] : [];
    if (options.queryDone) values[':true'] = true;
    if (adds.length === 0 && sets.length === 0) return;
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: runKey(siteId, runId),
        UpdateExpression: [
          sets.length ? `SET ${sets.join(', ')}` : '',
          adds.length ? `ADD ${adds.join(', ')}` : '',
        ]
          .join(' ')
          .trim(),
        ConditionExpression:
          options.expectedPages === undefined ? 'attribute_exists(pk)' : 'pages = :expectedPages',
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: {
          ...values,
          ...(options.expectedPages === undefined ? {} : { ':expectedPages': options.expectedPages }),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (Attributes) await this.completeIfDone(this.fromItem(siteId, runId, Attributes));
  }

  /**
   * The write that brings the last outcome (or the last page, when outcomes came first) marks
   * the run completed and stamps finishedAt; the condition lets only the first such write do it.
   */
  private async completeIfDone(run: SyncRun): Promise<boolean> {
    if (run.status !== 'running' || withDerivedStatus(run).status !== 'completed') return false;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: runKey(run.siteId, run.runId),
          UpdateExpression: 'SET #status = :completed, finishedAt = :at',
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':completed': 'completed',
            ':running': 'running',
            ':at': new Date().toISOString(),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return true;
  }

  async recordError(siteId: string, runId: string, message: string, fatal: boolean) {
    const at = new Date().toISOString();
    const status = fatal ? ', #status = :failed, finishedAt = :at' : '';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: runKey(siteId, runId),
          UpdateExpression: `SET errors = list_append(if_not_exists(errors, :none), :error)${status}`,
          // Keep a bounded sample: an item must stay under 400 KB whatever the run's size.
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(errors) OR size(errors) < :max)',
          ExpressionAttributeNames: fatal ? { '#status': 'status' } : undefined,
          ExpressionAttributeValues: {
            ':none': [],
            ':error': [{ at, message }],
            ':max': MAX_RUN_ERRORS,
            ...(fatal ? { ':failed': 'failed', ':at': at } : {}),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (fatal) {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: runKey(siteId, runId),
            UpdateExpression: 'SET #status = :failed, finishedAt = :at',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':failed': 'failed', ':at': at },
          }),
        );
      }
    }
  }
}
