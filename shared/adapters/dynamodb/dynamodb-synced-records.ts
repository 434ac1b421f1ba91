import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../domain/errors';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id';
import { type Activity, type LogFilter, searchableName } from '../../domain/sync-health';
import {
  type Company,
  type Person,
  type Quote,
  type QuoteSalesforceLink,
  type QuoteSyncedFields,
  type SyncLogEntry,
} from '../../domain/synced-records';
import type {
  ActivityLog,
  CompanyRepository,
  LoggedOpportunity,
  Page,
  PageRequest,
  PersonRepository,
  QuoteNumbers,
  QuoteRepository,
  SyncHealthLog,
} from '../../ports/synced-records';
import type { CarriedItems } from './carried-api-usage';
import { checkPutBudget, refusingOversize } from './item-budget';
import {
  activityPrefix,
  indexPartitions,
  itemKeys,
  QUOTE_NUMBER_PREFIX,
  quoteNumberSortKey,
  SORT_PREFIX,
  sitePartition,
  syncLogPrefix,
  syncLogTimeKey,
} from './keys';
import { quoteSends } from './quote-sends';
import { TABLE_KEYS } from './table';

/**
 * Quotes, companies, persons, the quote counter and the sync log in the one table (their keys:
 * ./keys.ts).
 *
 * No transactions (the local emulator has none): every write is one item, made safe by a
 * condition (attribute_not_exists for creation, the stored SystemModstamp for updates).
 */
const SYNC_LOG_TTL_SECONDS = 90 * 24 * 60 * 60;
/** BatchGetItem takes at most 100 keys, BatchWriteItem 25 items. */
const MAX_BATCH_GET = 100;
const MAX_BATCH_WRITE = 25;
const MAX_BATCH_ATTEMPTS = 8;

const KEY_ATTRIBUTES = ['pk', 'sk', 'entity', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'expiresAt'];

export function strip<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!KEY_ATTRIBUTES.includes(key)) out[key] = value;
  return out as T;
}

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one listing queries: the table or an index, one partition, and the items' sort-key prefix. */
export interface Listing {
  /** Absent: the table itself. */
  index?: typeof TABLE_KEYS.gsi1 | typeof TABLE_KEYS.gsi2;
  /** The partition queried (of the table, or of the index). */
  partition: string;
  /** The queried sort key (of the table, or of the index) begins with this. */
  prefix?: string;
  /** Every listed item's own sort key begins with this (QUOTE#, PERSON#, …). */
  itemPrefix: string;
  newestFirst?: boolean;
  /** Instead of `prefix`: the queried sort key lies between these, both included. */
  range?: { from: string; to: string };
  /** Only items whose attribute has this value (a filter after the key condition). */
  where?: { attribute: string; value: string };
}

/**
 * Pagination tokens are the last evaluated key, base64url JSON. A token is accepted only if it
 * is exactly a key this listing can return: the same attributes (the table's keys, plus the
 * index's for an index query), the same partition, sort keys with the listing's prefixes. So a
 * forged token, or another listing's or another site's, is a 400 and never reaches DynamoDB.
 */
function encodeToken(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

function decodeToken(siteId: string, listing: Listing, token: string | undefined) {
  if (token === undefined) return undefined;
  const invalid = (cause?: unknown) =>
    new ValidationError(
      'Invalid nextToken',
      [{ path: 'nextToken', message: 'is not a token from this listing' }],
      cause === undefined ? undefined : { cause },
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalid(error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const key = parsed as Record<string, unknown>;
  const expected: Record<string, (value: string) => boolean> = {
    [TABLE_KEYS.partitionKey]: (value) => value === sitePartition(siteId),
    [TABLE_KEYS.sortKey]: (value) => value.startsWith(listing.itemPrefix),
  };
  const { index } = listing;
  if (index) {
    expected[index.partitionKey] = (value) => value === listing.partition;
    expected[index.sortKey] = (value) => value.startsWith(listing.prefix ?? '');
  } else {
    expected[TABLE_KEYS.partitionKey] = (value) =>
      value === listing.partition && value === sitePartition(siteId);
  }
  const names = Object.keys(key);
  if (names.length !== Object.keys(expected).length) throw invalid();
  for (const name of names) {
    const value = key[name];
    if (typeof value !== 'string' || !expected[name]?.(value)) throw invalid();
  }
  return key as Record<string, string>;
}

interface PendingRead {
  keys: Array<{ pk: string; sk: string }>;
  resolve: (items: Record<string, unknown>[]) => void;
  reject: (error: unknown) => void;
}

/** Reads waiting for this turn's BatchGetItem, per client, consistency and table. */
const coalescedReads = new WeakMap<DynamoDBDocumentClient, Map<string, PendingRead[]>>();

/** Reads, pages and conditional puts shared by the table's repositories. */
export class Items {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /**
   * Reads items by key. Reads asked for in the same turn of the event loop (the worker asks for
   * the batch's companies and persons together) share BatchGetItem calls: one request per 100
   * keys of all of them, instead of one per repository.
   */
  batchGet(keys: Array<{ pk: string; sk: string }>, consistent: boolean): Promise<Record<string, unknown>[]> {
    let byTable = coalescedReads.get(this.db);
    if (!byTable) {
      byTable = new Map();
      coalescedReads.set(this.db, byTable);
    }
    const queueKey = `${consistent}|${this.table}`;
    let queue = byTable.get(queueKey);
    if (!queue) {
      const created: PendingRead[] = [];
      queue = created;
      byTable.set(queueKey, created);
      queueMicrotask(() => {
        byTable.delete(queueKey);
        void this.readTogether(created, consistent);
      });
    }
    return new Promise((resolve, reject) => queue.push({ keys, resolve, reject }));
  }

  private async readTogether(reads: PendingRead[], consistent: boolean): Promise<void> {
    const id = (key: { pk: unknown; sk: unknown }) => `${String(key.pk)}\u0000${String(key.sk)}`;
    const unique = new Map<string, { pk: string; sk: string }>();
    for (const read of reads) for (const key of read.keys) unique.set(id(key), key);
    try {
      const found = new Map<string, Record<string, unknown>>();
      const keys = [...unique.values()];
      for (let i = 0; i < keys.length; i += MAX_BATCH_GET) {
        let pending: Array<Record<string, unknown>> = keys.slice(i, i + MAX_BATCH_GET);
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error('DynamoDB left keys unprocessed after retries');
          if (attempt > 0) await sleep(25 * 2 ** attempt);
          const result = await this.db.send(
            new BatchGetCommand({
              RequestItems: { [this.table]: { Keys: pending, ConsistentRead: consistent } },
            }),
          );
          for (const item of result.Responses?.[this.table] ?? []) found.set(id(item as never), item);
          pending = result.UnprocessedKeys?.[this.table]?.Keys ?? [];
        }
      }
      for (const read of reads) {
        read.resolve(
          read.keys.flatMap((key) => {
            const item = found.get(id(key));
            return item ? [item] : [];
          }),
        );
      }
    } catch (error) {
      for (const read of reads) read.reject(error);
    }
  }

  async batchPut(items: Array<Record<string, unknown>>): Promise<void> {
    for (const item of items) checkPutBudget(item);
    for (let i = 0; i < items.length; i += MAX_BATCH_WRITE) {
      let pending = items.slice(i, i + MAX_BATCH_WRITE).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error('DynamoDB left items unprocessed after retries');
        if (attempt > 0) await sleep(25 * 2 ** attempt);
        const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
        pending = (result.UnprocessedItems?.[this.table] ?? []).flatMap((r) =>
          r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
        );
      }
    }
  }

  async page<T>(siteId: string, listing: Listing, request: PageRequest): Promise<Page<T>> {
    const partitionKey = listing.index?.partitionKey ?? TABLE_KEYS.partitionKey;
    const sortKey = listing.index?.sortKey ?? TABLE_KEYS.sortKey;
    const { range, where } = listing;
    const sortCondition = range
      ? ' AND #sk BETWEEN :from AND :to'
      : listing.prefix
        ? ' AND begins_with(#sk, :prefix)'
        : '';
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        ...(listing.index ? { IndexName: listing.index.name } : {}),
        KeyConditionExpression: `#pk = :pk${sortCondition}`,
        ...(where ? { FilterExpression: '#where = :where' } : {}),
        ExpressionAttributeNames: {
          '#pk': partitionKey,
          ...(sortCondition ? { '#sk': sortKey } : {}),
          ...(where ? { '#where': where.attribute } : {}),
        },
        ExpressionAttributeValues: {
          ':pk': listing.partition,
          ...(range ? { ':from': range.from, ':to': range.to } : {}),
          ...(!range && listing.prefix ? { ':prefix': listing.prefix } : {}),
          ...(where ? { ':where': where.value } : {}),
        },
        ...(listing.newestFirst ? { ScanIndexForward: false } : {}),
        Limit: request.limit,
        ExclusiveStartKey: decodeToken(siteId, listing, request.nextToken),
      }),
    );
    const nextToken = encodeToken(result.LastEvaluatedKey);
    return {
      items: (result.Items ?? []).map((item) => strip<T>(item)),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  /** A put that succeeds only if the condition holds; false on a failed condition. */
  async conditionalPut(
    item: Record<string, unknown>,
    condition: string,
    values?: Record<string, unknown>,
  ): Promise<boolean> {
    checkPutBudget(item);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: condition,
          ...(values ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/** The site's quotes by number. */
function quoteListKeys(siteId: string, number: number) {
  return { gsi2pk: indexPartitions.quoteList(siteId), gsi2sk: quoteNumberSortKey(number) };
}

export class DynamoDbQuoteRepository implements QuoteRepository {
  private readonly items: Items;
  /** Sites whose quotes are known to carry their listing keys (see ensureListKeys). */
  private readonly listKeysChecked = new Set<string>();

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.items = new Items(db, table);
  }

  private item(quote: Quote) {
    return {
      ...itemKeys.quote(quote.siteId, quote.quoteId),
      entity: 'quote',
      gsi1pk: indexPartitions.opportunityQuotes(quote.siteId, quote.salesforce.opportunityId),
      gsi1sk: itemKeys.quote(quote.siteId, quote.quoteId).sk,
      ...quoteListKeys(quote.siteId, quote.number),
      ...quote,
    };
  }

  async getMany(siteId: string, quoteIds: readonly string[]) {
    const keys = [...new Set(quoteIds)].map((id) => itemKeys.quote(siteId, id));
    const found = await this.items.batchGet(keys, true);
    return new Map(found.map((item) => strip<Quote>(item)).map((quote) => [quote.quoteId, quote]));
  }

  async get(siteId: string, quoteId: string) {
    const { Item } = await this.items.db.send(
      new GetCommand({ TableName: this.items.table, Key: itemKeys.quote(siteId, quoteId) }),
    );
    if (!Item) return undefined;
    return this.withSends(siteId, strip<Quote>(Item), Item);
  }

  /** A quote as people read it: with its sends, which are items of their own. */
  private async withSends(siteId: string, quote: Quote, item: Record<string, unknown>) {
    const sends = await quoteSends(this.items.db, this.items.table, siteId, quote.quoteId, item);
    return sends.length > 0 ? { ...quote, sends } : quote;
  }

  create(quote: Quote) {
    return this.items.conditionalPut(this.item(quote), 'attribute_not_exists(pk)');
  }

  async applySync(siteId: string, quoteId: string, fields: QuoteSyncedFields, link: QuoteSalesforceLink) {
    const names: Record<string, string> = { '#sf': 'salesforce', '#modstamp': 'systemModstamp' };
    const values: Record<string, unknown> = {
      ':sf': link,
      ':modstamp': link.systemModstamp,
      ':now': link.lastSyncedAt,
    };
    const sets = ['#sf = :sf', 'updatedAt = :now'];
    const core: Array<keyof Omit<QuoteSyncedFields, 'customFields'>> = [
      'title',
      'description',
      'currency',
      'opportunityAmount',
      'closeDate',
      'companyId',
      'personId',
    ];
    for (const field of core) {
      names[`#${field}`] = field;
      values[`:${field}`] = fields[field];
      sets.push(`#${field} = :${field}`);
    }
    if (fields.productsChanged !== undefined) {
      values[':productsChanged'] = fields.productsChanged;
      sets.push('productsChanged = :productsChanged');
    }
    // Custom fields one by one, so values set on the quote by people for other fields stay.
    Object.entries(fields.customFields).forEach(([key, value], i) => {
      names['#custom'] = 'customFields';
      names[`#c${i}`] = key;
      values[`:c${i}`] = value;
      sets.push(`#custom.#c${i} = :c${i}`);
    });
    try {
      await refusingOversize(`the quote ${quoteId}`, { ...fields, salesforce: link }, () =>
        this.items.db.send(
          new UpdateCommand({
            TableName: this.items.table,
            Key: itemKeys.quote(siteId, quoteId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk) AND #sf.#modstamp < :modstamp',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async markDeletedInSalesforce(siteId: string, quoteId: string, deletedAt: string) {
    try {
      await this.items.db.send(
        new UpdateCommand({
          TableName: this.items.table,
          Key: itemKeys.quote(siteId, quoteId),
          UpdateExpression: 'SET #sf.#deletedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#sf.#deletedAt)',
          ExpressionAttributeNames: { '#sf': 'salesforce', '#deletedAt': 'deletedAt' },
          ExpressionAttributeValues: { ':at': deletedAt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Newest first by number; the number never changes, so pages are stable while quotes are added. */
  async list(siteId: string, page: PageRequest) {
    if (page.nextToken === undefined) await this.ensureListKeys(siteId);
    return this.items.page<Quote>(
      siteId,
      {
        index: TABLE_KEYS.gsi2,
        partition: indexPartitions.quoteList(siteId),
        prefix: QUOTE_NUMBER_PREFIX,
        itemPrefix: SORT_PREFIX.quote,
        newestFirst: true,
      },
      page,
    );
  }

  /**
   * Quotes stored before the listing keys existed lack them: once per site (a marker item says
   * it is done, and a container remembers it), they are added to every quote that has none.
   */
  private async ensureListKeys(siteId: string): Promise<void> {
    if (this.listKeysChecked.has(siteId)) return;
    const { db, table } = this.items;
    const marker = itemKeys.quoteListMigration(siteId);
    const { Item } = await db.send(new GetCommand({ TableName: table, Key: marker }));
    if (!Item) {
      let start: Record<string, unknown> | undefined;
      do {
        const result = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            FilterExpression: 'attribute_not_exists(gsi2pk)',
            ProjectionExpression: 'sk, #number',
            ExpressionAttributeNames: { '#number': 'number' },
            ExpressionAttributeValues: { ':pk': sitePartition(siteId), ':prefix': SORT_PREFIX.quote },
            ExclusiveStartKey: start,
          }),
        );
        for (const quote of result.Items ?? []) {
          const keys = quoteListKeys(siteId, Number(quote.number));
          await db.send(
            new UpdateCommand({
              TableName: table,
              Key: { pk: sitePartition(siteId), sk: quote.sk },
              UpdateExpression: 'SET gsi2pk = :g2pk, gsi2sk = :g2sk',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':g2pk': keys.gsi2pk, ':g2sk': keys.gsi2sk },
            }),
          );
        }
        start = result.LastEvaluatedKey;
      } while (start);
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { ...marker, entity: 'migration', doneAt: new Date().toISOString() },
        }),
      );
    }
    this.listKeysChecked.add(siteId);
  }

  async listByOpportunity(siteId: string, opportunityId: string, page: PageRequest) {
    const listed = await this.items.page<Quote>(
      siteId,
      {
        index: TABLE_KEYS.gsi1,
        partition: indexPartitions.opportunityQuotes(siteId, toId18(opportunityId)),
        prefix: SORT_PREFIX.quote,
        itemPrefix: SORT_PREFIX.quote,
      },
      page,
    );
    // An opportunity has one quote or very few: each with its sends, for the timeline.
    const items = await Promise.all(
      listed.items.map((quote) => this.withSends(siteId, quote, quote as unknown as Record<string, unknown>)),
    );
    return { ...listed, items };
  }
}

/** A site's sequence of numbers: quotes by default, projects with `counter: 'project'`. */
export class DynamoDbQuoteNumbers implements QuoteNumbers {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly counter: 'quote' | 'project' = 'quote',
  ) {}

  async next(siteId: string) {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.counter === 'quote' ? itemKeys.quoteCounter(siteId) : itemKeys.projectCounter(siteId),
        UpdateExpression: 'ADD #value :one SET entity = :entity',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1, ':entity': 'counter' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const value = Attributes?.value;
    if (typeof value !== 'number') throw new Error(`The ${this.counter} counter returned no number`);
    return value;
  }
}

/** Writes unless the stored record carries a newer SystemModstamp (equal rewrites the same data). */
const NOT_OLDER =
  'attribute_not_exists(pk) OR attribute_not_exists(salesforce) OR salesforce.systemModstamp <= :modstamp';

export class DynamoDbCompanyRepository implements CompanyRepository {
  private readonly items: Items;

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.items = new Items(db, table);
  }

  async getMany(siteId: string, companyIds: readonly string[]) {
    const keys = [...new Set(companyIds)].map((id) => itemKeys.company(siteId, id));
    const found = await this.items.batchGet(keys, false);
    return new Map(found.map((item) => strip<Company>(item)).map((c) => [c.companyId, c]));
  }

  putIfNotOlder(company: Company) {
    return this.items.conditionalPut(
      {
        ...itemKeys.company(company.siteId, company.companyId),
        entity: 'company',
        gsi1pk: indexPartitions.accountCompany(company.siteId, company.salesforce.id),
        gsi1sk: itemKeys.company(company.siteId, company.companyId).sk,
        ...company,
      },
      NOT_OLDER,
      { ':modstamp': company.salesforce.systemModstamp },
    );
  }

  list(siteId: string, page: PageRequest) {
    return this.items.page<Company>(
      siteId,
      { partition: sitePartition(siteId), prefix: SORT_PREFIX.company, itemPrefix: SORT_PREFIX.company },
      page,
    );
  }
}

export class DynamoDbPersonRepository implements PersonRepository {
  private readonly items: Items;

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.items = new Items(db, table);
  }

  private item(person: Person) {
    return {
      ...itemKeys.person(person.siteId, person.personId),
      entity: 'person',
      ...(person.salesforce
        ? {
            gsi1pk: indexPartitions.contactPerson(person.siteId, person.salesforce.id),
            gsi1sk: itemKeys.person(person.siteId, person.personId).sk,
          }
        : {}),
      ...(person.email
        ? {
            gsi2pk: indexPartitions.emailPersons(person.siteId, person.email),
            gsi2sk: itemKeys.person(person.siteId, person.personId).sk,
          }
        : {}),
      ...person,
    };
  }

  async getMany(siteId: string, personIds: readonly string[]) {
    const keys = [...new Set(personIds)].map((id) => itemKeys.person(siteId, id));
    const found = await this.items.batchGet(keys, false);
    return new Map(found.map((item) => strip<Person>(item)).map((p) => [p.personId, p]));
  }

  async findByContactId(siteId: string, contactId: string) {
    const { items } = await this.items.page<Person>(
      siteId,
      {
        index: TABLE_KEYS.gsi1,
        partition: indexPartitions.contactPerson(siteId, toId18(contactId)),
        itemPrefix: SORT_PREFIX.person,
      },
      { limit: 1 },
    );
    return items[0];
  }

  async findByEmail(siteId: string, email: string) {
    const { items } = await this.items.page<Person>(
      siteId,
      {
        index: TABLE_KEYS.gsi2,
        partition: indexPartitions.emailPersons(siteId, email),
        itemPrefix: SORT_PREFIX.person,
      },
      { limit: 10 },
    );
    return items;
  }

  create(person: Person) {
    return this.items.conditionalPut(this.item(person), 'attribute_not_exists(pk)');
  }

  putIfNotOlder(person: Person) {
    return this.items.conditionalPut(this.item(person), NOT_OLDER, {
      ':modstamp': person.salesforce?.systemModstamp ?? '',
    });
  }

  list(siteId: string, page: PageRequest) {
    return this.items.page<Person>(
      siteId,
      { partition: sitePartition(siteId), prefix: SORT_PREFIX.person, itemPrefix: SORT_PREFIX.person },
      page,
    );
  }
}

/** Upper bound of a range over keys that continue with `#…` after a timestamp. */
const AFTER = '~';

/**
 * The sync log. Each attempt is one item under its opportunity (the table: SYNCLOG#<opp>#<at>#…),
 * listed across the site by time (gsi2: SITE#<site>#SYNCLOG) and by outcome (gsi1:
 * SITE#<site>#SYNCLOG#<outcome>), both keyed <processedAt>#<opp>#<attempt> so a time range is a
 * key condition. Every opportunity logged is also filed under its name (SYNCOPP#<opp>, on gsi1
 * as SITE#<site>#OPPNAME / <searchable name>#<opp>), for the search; it expires with its log.
 */
export class DynamoDbSyncLog implements SyncHealthLog {
  private readonly items: Items;

  constructor(
    db: DynamoDBDocumentClient,
    table: string,
    /** Items put with each site's entries (the sync worker's API usage), at no request of their own. */
    private readonly carry?: CarriedItems,
  ) {
    this.items = new Items(db, table);
  }

  async append(entries: readonly SyncLogEntry[]) {
    const named = new Map<string, SyncLogEntry>();
    const attempts = entries.map((entry) => {
      // A record id that is no Salesforce id is logged too (the entry says so), under a fixed key.
      const opportunity = isSalesforceId(entry.opportunityId) ? toId18(entry.opportunityId) : 'NOT-AN-ID';
      // Two deliveries of one notification may end in the same millisecond: the message tells them apart.
      const attempt = `${entry.notificationId}${entry.messageId ? `#${entry.messageId}` : ''}`;
      const previous = named.get(opportunity);
      if (
        entry.opportunityName &&
        opportunity !== 'NOT-AN-ID' &&
        (!previous || previous.processedAt < entry.processedAt)
      )
        named.set(opportunity, entry);
      const at = syncLogTimeKey(entry.processedAt, opportunity, attempt);
      return {
        ...itemKeys.syncLog(entry.siteId, opportunity, entry.processedAt, attempt),
        entity: 'sync-log',
        gsi1pk: indexPartitions.syncLogByOutcome(entry.siteId, entry.outcome),
        gsi1sk: at,
        gsi2pk: indexPartitions.syncLog(entry.siteId),
        gsi2sk: at,
        expiresAt: expiryOf(entry.processedAt),
        ...entry,
      };
    });
    // One item per opportunity in a batch (BatchWriteItem refuses a key twice): its latest name.
    const directory = [...named].map(([opportunityId, entry]) => ({
      ...itemKeys.loggedOpportunity(entry.siteId, opportunityId),
      entity: 'logged-opportunity',
      gsi1pk: indexPartitions.opportunityNames(entry.siteId),
      gsi1sk: `${searchableName(entry.opportunityName ?? '')}#${opportunityId}`,
      expiresAt: expiryOf(entry.processedAt),
      opportunityId,
      name: entry.opportunityName,
      lastProcessedAt: entry.processedAt,
    }));
    const { carry } = this;
    const boards = carry ? [...new Set(entries.map((e) => e.siteId))].map((s) => carry.boardFor(s)) : [];
    await this.items.batchPut([...attempts, ...directory, ...boards.flatMap((b) => b.items)]);
    for (const board of boards) board.stored();
  }

  listByOpportunity(siteId: string, opportunityId: string, page: PageRequest, filter: LogFilter = {}) {
    const base = syncLogPrefix(toId18(opportunityId));
    return this.items.page<SyncLogEntry>(
      siteId,
      {
        partition: sitePartition(siteId),
        prefix: base,
        itemPrefix: base,
        newestFirst: true,
        range: { from: `${base}${filter.from ?? ''}`, to: `${base}${filter.to ?? ''}${AFTER}` },
        ...(filter.outcome ? { where: { attribute: 'outcome', value: filter.outcome } } : {}),
      },
      page,
    );
  }

  list(siteId: string, page: PageRequest, filter: LogFilter = {}) {
    const range =
      filter.from || filter.to ? { from: filter.from ?? '0', to: `${filter.to ?? '9'}${AFTER}` } : undefined;
    return this.items.page<SyncLogEntry>(
      siteId,
      {
        ...(filter.outcome
          ? { index: TABLE_KEYS.gsi1, partition: indexPartitions.syncLogByOutcome(siteId, filter.outcome) }
          : { index: TABLE_KEYS.gsi2, partition: indexPartitions.syncLog(siteId) }),
        itemPrefix: SORT_PREFIX.syncLog,
        newestFirst: true,
        ...(range ? { range } : {}),
      },
      page,
    );
  }

  async get(siteId: string, entryKey: string) {
    const { Item } = await this.items.db.send(
      new GetCommand({ TableName: this.items.table, Key: itemKeys.syncLogEntry(siteId, entryKey) }),
    );
    return Item ? strip<SyncLogEntry>(Item) : undefined;
  }

  async findOpportunities(siteId: string, namePrefix: string, limit: number) {
    const { items } = await this.items.page<LoggedOpportunity>(
      siteId,
      {
        index: TABLE_KEYS.gsi1,
        partition: indexPartitions.opportunityNames(siteId),
        prefix: searchableName(namePrefix),
        itemPrefix: SORT_PREFIX.loggedOpportunity,
      },
      { limit },
    );
    return items;
  }

  async opportunity(siteId: string, opportunityId: string) {
    const { Item } = await this.items.db.send(
      new GetCommand({
        TableName: this.items.table,
        Key: itemKeys.loggedOpportunity(siteId, toId18(opportunityId)),
      }),
    );
    return Item ? strip<LoggedOpportunity>(Item) : undefined;
  }
}

const expiryOf = (processedAt: string) => Math.floor(Date.parse(processedAt) / 1000) + SYNC_LOG_TTL_SECONDS;

/** What people did to an opportunity's quote: ACTIVITY#<opp>#<at>#<random>, kept as long as the log. */
export class DynamoDbActivityLog implements ActivityLog {
  private readonly items: Items;

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.items = new Items(db, table);
  }

  async record(activity: Activity) {
    await this.items.db.send(
      new PutCommand({
        TableName: this.items.table,
        Item: {
          ...itemKeys.activity(
            activity.siteId,
            toId18(activity.opportunityId),
            activity.at,
            randomUUID().slice(0, 8),
          ),
          entity: 'activity',
          expiresAt: expiryOf(activity.at),
          ...activity,
        },
      }),
    );
  }

  async listByOpportunity(siteId: string, opportunityId: string, limit: number) {
    const prefix = activityPrefix(toId18(opportunityId));
    const { items } = await this.items.page<Activity>(
      siteId,
      { partition: sitePartition(siteId), prefix, itemPrefix: prefix, newestFirst: true },
      { limit },
    );
    return items;
  }
}
