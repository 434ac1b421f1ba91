import { randomBytes } from 'node:crypto';
import { SalesforceApiError } from '../errors';
import { json, type SandboxResponse } from '../http';
import { type OutputRecord, runQuery } from '../soql/query';
import type { RestContext, RestRequest } from './context';

const DEFAULT_BATCH = 2000;
const MIN_BATCH = 200;
const MAX_CURSORS = 200;

interface Cursor {
  totalSize: number;
  records: OutputRecord[];
  /** The batch size the query asked for; queryMore keeps it unless it sends its own header. */
  batchSize: number;
  /** Where the next batches are: /query/… or, for a queryAll, /queryAll/…. */
  resource: 'query' | 'queryAll';
}

/**
 * Query locators: the rest of a result set, served by /query/{locator} in batches.
 * Locators look like Salesforce's, `01g…-2000` (cursor id, then the position of the next batch).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query_more_results.htm
 */
export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();

  open(cursor: Cursor): string {
    const id = `01g${randomBytes(8).toString('hex').slice(0, 15)}`;
    this.cursors.set(id, cursor);
    if (this.cursors.size > MAX_CURSORS) {
      const oldest = this.cursors.keys().next();
      if (!oldest.done) this.cursors.delete(oldest.value);
    }
    return id;
  }

  get(id: string): Cursor | undefined {
    return this.cursors.get(id);
  }

  clear(): void {
    this.cursors.clear();
  }
}

/**
 * `Sforce-Query-Options: batchSize=N`: between 200 and 2,000; Salesforce treats it as a hint.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
 */
export function batchSizeOf(headers: Record<string, string | undefined>, fallback = DEFAULT_BATCH): number {
  const option = headers['sforce-query-options'];
  const m = option ? /batchSize\s*=\s*(\d+)/i.exec(option) : null;
  if (!m?.[1]) return fallback;
  return Math.min(DEFAULT_BATCH, Math.max(MIN_BATCH, Number(m[1])));
}

export function handleQuery(ctx: RestContext, req: RestRequest): SandboxResponse {
  const soql = req.query.get('q');
  if (!soql) {
    throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  }
  // queryAll: the same query, with deleted records from the recycle bin (IsDeleted = true).
  const includeDeleted = /^\/queryAll\/?$/.test(req.path);
  const result = withQueryPosition(soql, () =>
    runQuery(ctx.store.schema, ctx.store, soql, {
      now: () => ctx.clock.now(),
      apiVersion: ctx.apiVersion,
      ...(includeDeleted ? { includeDeleted } : {}),
    }),
  );
  const batchSize = batchSizeOf(req.headers);
  const resource = includeDeleted ? 'queryAll' : 'query';
  return json(200, page(ctx, { ...result, batchSize, resource }, 0, batchSize, undefined));
}

export function handleQueryMore(ctx: RestContext, req: RestRequest, locator: string): SandboxResponse {
  const m = /^(01g[0-9a-zA-Z]+)-(\d+)$/.exec(locator);
  const cursor = m?.[1] ? ctx.cursors.get(m[1]) : undefined;
  if (!m?.[1] || !cursor) {
    throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  return json(200, page(ctx, cursor, Number(m[2]), batchSizeOf(req.headers, cursor.batchSize), m[1]));
}

function page(
  ctx: RestContext,
  result: Cursor,
  start: number,
  batchSize: number,
  cursorId: string | undefined,
): Record<string, unknown> {
  const records = result.records.slice(start, start + batchSize);
  const next = start + batchSize;
  if (next >= result.records.length) return { totalSize: result.totalSize, done: true, records };
  const id = cursorId ?? ctx.cursors.open(result);
  return {
    totalSize: result.totalSize,
    done: false,
    nextRecordsUrl: `/services/data/v${ctx.apiVersion}/${result.resource}/${id}-${next}`,
    records,
  };
}

const POSITIONED = new Set(['MALFORMED_QUERY', 'INVALID_FIELD', 'INVALID_TYPE']);

/**
 * Salesforce answers a query it cannot run with the query echoed, a caret under the offending
 * token and its position: "\nSELECT Nam FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such
 * column 'Nam' on entity 'Account'. …". The token is the one the message quotes.
 */
export function withQueryPosition<T>(soql: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof SalesforceApiError) || !POSITIONED.has(error.errorCode)) throw error;
    throw new SalesforceApiError(
      error.status,
      error.errorCode,
      positioned(soql, error.message),
      error.fields,
    );
  }
}

function positioned(soql: string, message: string): string {
  const token = /'([^']+)'/.exec(message)?.[1] ?? /unexpected token: (\S+)/.exec(message)?.[1];
  const escaped = token?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = escaped ? new RegExp(`(^|[^A-Za-z0-9_.])(${escaped})(?![A-Za-z0-9_])`, 'i').exec(soql) : null;
  const index = match ? match.index + (match[1]?.length ?? 0) : 0;
  const before = soql.slice(0, index).split('\n');
  const row = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  const line = soql.split('\n')[row - 1] ?? soql;
  return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${message}`;
}
