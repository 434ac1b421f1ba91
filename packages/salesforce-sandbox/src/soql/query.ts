import {
  type FieldType,
  type OrderByClause,
  parseQuery,
  type Query,
  type QueryBase,
  type Subquery,
} from '@jetstreamapp/soql-parser-js';
import type { SObjectRecord } from '../contracts';
import { invalidType, malformedQuery, SalesforceApiError } from '../errors';
import type { Schema } from '../schema';
import { compileWhere, type Predicate } from './condition';
import { parentRecord, type RecordSource, type ResolvedPath, resolvePath } from './paths';

export type OutputRecord = Record<string, unknown>;

export interface QueryResult {
  totalSize: number;
  records: OutputRecord[];
}

export interface QueryOptions {
  now: () => number;
  /** Used in `attributes.url`, e.g. `62.0`. */
  apiVersion: string;
  /** Tooling API records live under /tooling/sobjects. */
  tooling?: boolean;
  /** queryAll: deleted records in the recycle bin count too. */
  includeDeleted?: boolean;
}

/** One item of the SELECT list, compiled. */
type Selection =
  | { kind: 'field'; path: ResolvedPath }
  | { kind: 'subquery'; relationshipName: string; plan: Plan; parentField: string };

interface Plan {
  objectName: string;
  selections: Selection[];
  where: Predicate;
  order: Array<{ path: ResolvedPath; desc: boolean; nullsFirst: boolean }>;
  limit?: number;
  offset?: number;
  countOnly: boolean;
}

/**
 * Parses SOQL with @jetstreamapp/soql-parser-js and evaluates the subset a sync needs.
 * Anything the parser accepts but this engine does not evaluate is a MALFORMED_QUERY, so callers
 * never get silently wrong answers.
 */
export function runQuery(
  schema: Schema,
  source: RecordSource,
  soql: string,
  options: QueryOptions,
): QueryResult {
  let parsed: Query;
  try {
    parsed = parseQuery(soql);
  } catch (error) {
    throw malformedQuery(error instanceof Error ? firstLine(error.message) : 'malformed query');
  }
  const objectName = parsed.sObject;
  if (!objectName) throw malformedQuery('unexpected token: FROM');
  const object = schema.object(objectName);
  if (!object) throw invalidType(objectName);
  const plan = compile(schema, source, object.name, parsed, options);
  if (object.name === 'ContentDocumentLink') requireLinkFilter(parsed);
  const rows = select(
    source,
    plan,
    source.rows(object.name, options.includeDeleted ? { includeDeleted: true } : {}),
  );
  if (plan.countOnly) return { totalSize: rows.length, records: [] };
  return { totalSize: rows.length, records: rows.map((r) => render(source, plan, r, options)) };
}

function compile(
  schema: Schema,
  source: RecordSource,
  objectName: string,
  q: QueryBase,
  options: QueryOptions,
  isSubquery = false,
): Plan {
  rejectUnsupported(q);
  const fields = q.fields ?? [];
  if (fields.length === 0) throw malformedQuery('unexpected token: FROM');
  let countOnly = false;
  const selections: Selection[] = [];
  for (const field of fields) {
    const compiled = compileField(schema, source, objectName, field, options, isSubquery);
    if (compiled === 'count') countOnly = true;
    else selections.push(compiled);
  }
  if (countOnly && selections.length > 0) {
    throw malformedQuery('COUNT() must be the only element in the SELECT list');
  }
  if (countOnly && q.orderBy) throw malformedQuery('ORDER BY is not allowed with COUNT()');
  if (q.offset !== undefined && q.offset > 2000) {
    throw new SalesforceApiError(400, 'NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');
  }
  const orderBy: OrderByClause[] = q.orderBy ? (Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy]) : [];
  const order = orderBy.map((o) => {
    if (!('field' in o)) throw malformedQuery('ORDER BY functions are not supported by this sandbox');
    const desc = o.order === 'DESC';
    // Salesforce sorts nulls first ascending and last descending unless told otherwise.
    const nullsFirst = o.nulls ? o.nulls === 'FIRST' : !desc;
    return { path: resolvePath(schema, objectName, o.field), desc, nullsFirst };
  });
  const plan: Plan = {
    objectName,
    selections,
    where: compileWhere(schema, source, objectName, q.where, options.now),
    order,
    countOnly,
  };
  if (q.limit !== undefined) plan.limit = q.limit;
  if (q.offset !== undefined) plan.offset = q.offset;
  return plan;
}

function compileField(
  schema: Schema,
  source: RecordSource,
  objectName: string,
  field: FieldType,
  options: QueryOptions,
  isSubquery: boolean,
): Selection | 'count' {
  switch (field.type) {
    case 'Field':
      if (field.alias || ('objectPrefix' in field && field.objectPrefix)) {
        throw malformedQuery('Aliases are not supported by this sandbox');
      }
      return { kind: 'field', path: resolvePath(schema, objectName, field.field) };
    case 'FieldRelationship':
      if ('objectPrefix' in field && field.objectPrefix)
        throw malformedQuery('Aliases are not supported by this sandbox');
      return {
        kind: 'field',
        path: resolvePath(schema, objectName, [...field.relationships, field.field].join('.')),
      };
    case 'FieldFunctionExpression':
      if (field.functionName.toUpperCase() === 'COUNT' && field.parameters.length === 0 && !isSubquery)
        return 'count';
      throw malformedQuery(`${field.rawValue ?? field.functionName} is not supported by this sandbox`);
    case 'FieldSubquery': {
      if (isSubquery) throw malformedQuery('Nesting of semi join sub-selects is not supported');
      return compileSubquery(schema, source, objectName, field.subquery, options);
    }
    default:
      throw malformedQuery('TYPEOF is not supported by this sandbox');
  }
}

function compileSubquery(
  schema: Schema,
  source: RecordSource,
  objectName: string,
  sub: Subquery,
  options: QueryOptions,
): Selection {
  const rel = schema.childRelationship(objectName, sub.relationshipName);
  if (!rel) {
    throw new SalesforceApiError(
      400,
      'INVALID_TYPE',
      `Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const plan = compile(schema, source, rel.childSObject, sub, options, true);
  return { kind: 'subquery', relationshipName: rel.relationshipName, plan, parentField: rel.field };
}

function rejectUnsupported(q: QueryBase): void {
  const unsupported: Array<[unknown, string]> = [
    [q.groupBy, 'GROUP BY'],
    [q.having, 'HAVING'],
    [q.withDataCategory, 'WITH DATA CATEGORY'],
    [q.withSecurityEnforced, 'WITH SECURITY_ENFORCED'],
    [q.withAccessLevel, 'WITH USER_MODE/SYSTEM_MODE'],
    [q.for, 'FOR'],
    [q.update, 'UPDATE'],
    [q.usingScope, 'USING SCOPE'],
    [q.sObjectAlias, 'object aliases'],
  ];
  for (const [value, name] of unsupported) {
    if (value !== undefined && value !== false)
      throw malformedQuery(`${name} is not supported by this sandbox`);
  }
}

/**
 * Salesforce refuses unfiltered ContentDocumentLink queries.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentdocumentlink.htm
 */
function requireLinkFilter(q: Query): void {
  const text = JSON.stringify(q.where ?? {});
  const ok = /"field":"(ContentDocumentId|LinkedEntityId)","operator":"(=|IN)"/i.test(text);
  if (!ok) {
    throw malformedQuery(
      "Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.",
    );
  }
}

function select(source: RecordSource, plan: Plan, rows: readonly SObjectRecord[]): SObjectRecord[] {
  let out = rows.filter((r) => plan.where(r));
  if (plan.order.length > 0) {
    const keyed = out.map((r) => ({ r, keys: plan.order.map((o) => sortKey(source, r, o.path)) }));
    keyed.sort((a, b) => {
      for (let i = 0; i < plan.order.length; i += 1) {
        const o = plan.order[i];
        if (!o) continue;
        const c = compareKeys(a.keys[i], b.keys[i], o.desc, o.nullsFirst);
        if (c !== 0) return c;
      }
      return 0;
    });
    out = keyed.map((k) => k.r);
  }
  const start = plan.offset ?? 0;
  const end = plan.limit !== undefined ? start + plan.limit : undefined;
  return out.slice(start, end);
}

function sortKey(
  source: RecordSource,
  r: SObjectRecord,
  path: ResolvedPath,
): string | number | boolean | null {
  const target = parentRecord(source, r, path.relationships);
  const v = target?.[path.field.name];
  if (v === null || v === undefined) return null;
  if (typeof v === 'string')
    return path.field.type === 'datetime' ? Date.parse(v.replace('+0000', 'Z')) : v.toLowerCase();
  return typeof v === 'number' || typeof v === 'boolean' ? v : null;
}

function compareKeys(
  a: string | number | boolean | null | undefined,
  b: string | number | boolean | null | undefined,
  desc: boolean,
  nullsFirst: boolean,
): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) {
    if (an && bn) return 0;
    return an === nullsFirst ? -1 : 1;
  }
  const c = a < b ? -1 : a > b ? 1 : 0;
  return desc ? -c : c;
}

export function recordUrl(apiVersion: string, type: string, id: string, tooling = false): string {
  return `/services/data/v${apiVersion}/${tooling ? 'tooling/' : ''}sobjects/${type}/${id}`;
}

function render(
  source: RecordSource,
  plan: Plan,
  record: SObjectRecord,
  options: QueryOptions,
): OutputRecord {
  const out: OutputRecord = {
    attributes: {
      type: plan.objectName,
      url: recordUrl(options.apiVersion, plan.objectName, record.Id, options.tooling),
    },
  };
  for (const s of plan.selections) {
    if (s.kind === 'subquery') {
      const children = select(
        source,
        s.plan,
        source.rows(s.plan.objectName).filter((c) => c[s.parentField] === record.Id),
      );
      out[s.relationshipName] =
        children.length === 0
          ? null
          : {
              totalSize: children.length,
              done: true,
              records: children.map((c) => render(source, s.plan, c, options)),
            };
      continue;
    }
    let target: OutputRecord = out;
    let current: SObjectRecord | undefined = record;
    let broken = false;
    for (const rel of s.path.relationships) {
      const id: unknown = current?.[rel.via.name];
      current = typeof id === 'string' ? source.row(id) : undefined;
      if (!current) {
        if (!(rel.name in target)) target[rel.name] = null;
        broken = true;
        break;
      }
      const existing = target[rel.name];
      if (existing && typeof existing === 'object') {
        target = existing as OutputRecord;
      } else {
        const type = source.typeOf(current.Id) ?? rel.targetTypes[0] ?? '';
        const nested: OutputRecord = {
          attributes: { type, url: recordUrl(options.apiVersion, type, current.Id, options.tooling) },
        };
        target[rel.name] = nested;
        target = nested;
      }
    }
    if (broken || !current) continue;
    target[s.path.field.name] = outputValue(
      options.apiVersion,
      source.typeOf(current.Id) ?? '',
      current,
      s.path.field.name,
      s.path.field.type,
    );
  }
  return out;
}

/** Base64 fields come back as the URL of the blob, as Salesforce returns them in JSON. */
export function outputValue(
  apiVersion: string,
  type: string,
  record: SObjectRecord,
  name: string,
  fieldType: string,
): unknown {
  const v = record[name] ?? null;
  if (fieldType === 'base64' && v !== null) return `${recordUrl(apiVersion, type, record.Id)}/${name}`;
  return v;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
