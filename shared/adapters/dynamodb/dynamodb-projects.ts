import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { Project, TimeEntry } from '../../domain/projects';
import { toId18 } from '../../domain/salesforce-id';
import type { ProjectChange, ProjectRepository } from '../../ports/projects';
import type { PageRequest } from '../../ports/synced-records';
import { Items, strip } from './dynamodb-synced-records';
import {
  indexPartitions,
  itemKeys,
  PROJECT_NUMBER_PREFIX,
  projectNumberSortKey,
  SORT_PREFIX,
  sitePartition,
  timeEntryPrefix,
} from './keys';
import { TABLE_KEYS } from './table';

/**
 * Projects and their time entries in the one table (their keys: keys.ts).
 *
 * A project holds its tasks and their actual sums in its own item (its plan is size-checked at
 * creation, see projectFromQuote); time entries, which are unbounded, are items of their own.
 * Every change of a project is a put conditional on the version it read, retried on a
 * concurrent write (no transactions: the local emulator has none). The write that adds an
 * entry to the sums also keeps the entry on the project (`pendingEntry`); the entry's own item
 * is written next and the marker removed. If a crash comes between, the next read or change of
 * the project writes the entry from the marker, so the sums never count an entry that is lost.
 */
/**
 * Concurrent changes of one project each win a round in turn: enough rounds for a team
 * recording time at once, with exponential backoff and full jitter between them
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */
const MAX_ATTEMPTS = 30;
const BACKOFF_BASE_MS = 5;
const BACKOFF_CAP_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DynamoDbProjectRepository implements ProjectRepository {
  private readonly items: Items;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.items = new Items(db, table);
  }

  private item(project: Project) {
    return {
      ...itemKeys.project(project.siteId, project.projectId),
      entity: 'project',
      gsi1pk: indexPartitions.opportunityQuotes(project.siteId, toId18(project.opportunityId)),
      gsi1sk: `${SORT_PREFIX.project}${project.projectId}`,
      gsi2pk: indexPartitions.projectList(project.siteId),
      gsi2sk: projectNumberSortKey(project.number),
      ...project,
    };
  }

  private async read(siteId: string, projectId: string): Promise<Project | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: itemKeys.project(siteId, projectId),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const { pendingEntry, ...project } = strip<Project>(Item);
    if (pendingEntry) await this.finishEntry(pendingEntry);
    return project;
  }

  /** Writes the entry's item (unless written already) and drops the project's marker of it. */
  private async finishEntry(entry: TimeEntry): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...itemKeys.timeEntry(entry.siteId, entry.projectId, entry.entryId),
            entity: 'time-entry',
            ...entry,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: itemKeys.project(entry.siteId, entry.projectId),
          UpdateExpression: 'REMOVE pendingEntry',
          ConditionExpression: 'pendingEntry.entryId = :id',
          ExpressionAttributeValues: { ':id': entry.entryId },
        }),
      );
    } catch (error) {
      // A later change already replaced the marker (after writing this entry too).
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  get(siteId: string, projectId: string) {
    return this.read(siteId, projectId);
  }

  create(project: Project) {
    return this.items.conditionalPut(this.item(project), 'attribute_not_exists(pk)');
  }

  async update(
    siteId: string,
    projectId: string,
    change: (project: Project) => ProjectChange,
  ): Promise<ProjectChange> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(siteId, projectId);
      if (!current) throw new NotFoundError(`Site ${siteId} has no project ${projectId}`);
      const next = change(current);
      const project = { ...next.project, version: current.version + 1 };
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...this.item(project), ...(next.entry ? { pendingEntry: next.entry } : {}) },
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': current.version },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        if (attempt >= MAX_ATTEMPTS) {
          throw new ConflictError(`Project ${current.number} is being changed by others; try again`, {
            cause: error,
          });
        }
        // Someone else wrote in between: read their version and apply the change to it.
        await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
        continue;
      }
      if (next.entry) await this.finishEntry(next.entry);
      return { project, ...(next.entry ? { entry: next.entry } : {}) };
    }
  }

  list(siteId: string, page: PageRequest) {
    return this.items.page<Project>(
      siteId,
      {
        index: TABLE_KEYS.gsi2,
        partition: indexPartitions.projectList(siteId),
        prefix: PROJECT_NUMBER_PREFIX,
        itemPrefix: SORT_PREFIX.project,
        newestFirst: true,
      },
      page,
    );
  }

  listByOpportunity(siteId: string, opportunityId: string, page: PageRequest) {
    return this.items.page<Project>(
      siteId,
      {
        index: TABLE_KEYS.gsi1,
        partition: indexPartitions.opportunityQuotes(siteId, toId18(opportunityId)),
        prefix: SORT_PREFIX.project,
        itemPrefix: SORT_PREFIX.project,
      },
      page,
    );
  }

  async getEntry(siteId: string, projectId: string, entryId: string) {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: itemKeys.timeEntry(siteId, projectId, entryId),
      }),
    );
    return Item ? strip<TimeEntry>(Item) : undefined;
  }

  listEntries(siteId: string, projectId: string, page: PageRequest) {
    return this.items.page<TimeEntry>(
      siteId,
      {
        partition: sitePartition(siteId),
        prefix: timeEntryPrefix(projectId),
        itemPrefix: timeEntryPrefix(projectId),
        newestFirst: true,
      },
      page,
    );
  }
}
