import { notFound, SalesforceApiError } from '../errors';
import { json, type SandboxResponse } from '../http';
import { normalizeId } from '../ids';
import type { RestContext, RestRequest } from './context';
import { renderRecord } from './render';
import { bodyObject, requireMethod } from './sobjects';

const MAX_RECORDS = 200;

interface SaveResult {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  /** Upserts only: whether the record was created (else updated). */
  created?: boolean;
}

class RolledBack extends Error {}

/**
 * sObject Collections: create, update, delete up to 200 records, and retrieve by ids. Errors in
 * results use `statusCode` (not `errorCode`), and with allOrNone every record rolls back.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm
 */
export function handleCollections(ctx: RestContext, req: RestRequest, parts: string[]): SandboxResponse {
  const [type, externalIdField] = parts;
  if (type !== undefined && externalIdField !== undefined) {
    // Upsert by external id: API 46.0 and later.
    if (Number(ctx.apiVersion) < 46 || parts.length !== 2) throw notFound();
    requireMethod(req, ['PATCH']);
    return upsert(ctx, req, type, externalIdField);
  }
  if (type !== undefined) {
    requireMethod(req, ['GET', 'POST']);
    return retrieve(ctx, req, type);
  }
  requireMethod(req, ['POST', 'PATCH', 'DELETE']);
  if (req.method === 'DELETE') {
    const ids = (req.query.get('ids') ?? '').split(',').filter((s) => s !== '');
    const allOrNone = req.query.get('allOrNone') === 'true';
    checkCount(ids.length);
    return json(
      200,
      run(ctx, allOrNone, ids, (id) => {
        const canonical = normalizeId(id);
        const type = canonical ? ctx.store.typeOf(canonical) : undefined;
        if (!canonical || !type) {
          if (canonical && ctx.store.isDeleted(canonical)) {
            throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
          }
          // A well-formed id that names no record is no malformed one.
          if (canonical) {
            throw new SalesforceApiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
          }
          throw new SalesforceApiError(400, 'MALFORMED_ID', `malformed id ${id}`);
        }
        ctx.store.remove(type, canonical, { userId: ctx.userId });
        return canonical;
      }),
    );
  }
  const body = bodyObject(req.body);
  const records = body.records;
  if (!Array.isArray(records)) throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'records is required');
  checkCount(records.length);
  const allOrNone = body.allOrNone === true;
  return json(
    200,
    run(ctx, allOrNone, records, (raw) => {
      const record = bodyObject(raw);
      const { attributes, id, Id, ...fields } = record;
      const sObjectType =
        attributes && typeof attributes === 'object' && 'type' in attributes
          ? String(attributes.type)
          : undefined;
      if (!sObjectType) {
        throw new SalesforceApiError(400, 'INVALID_TYPE', 'The sObject type is required in attributes');
      }
      if (req.method === 'POST') {
        if (id !== undefined || Id !== undefined) {
          throw new SalesforceApiError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call');
        }
        return ctx.store.create(sObjectType, fields, { userId: ctx.userId }).Id;
      }
      const recordId = typeof id === 'string' ? id : typeof Id === 'string' ? Id : undefined;
      if (!recordId)
        throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call');
      return ctx.store.update(sObjectType, recordId, fields, { userId: ctx.userId }).Id;
    }),
  );
}

function run<T>(
  ctx: RestContext,
  allOrNone: boolean,
  items: T[],
  op: (item: T) => string | { id: string; created: boolean },
): SaveResult[] {
  const results: SaveResult[] = [];
  const attempt = (): void => {
    for (const item of items) {
      try {
        const done = op(item);
        results.push(
          typeof done === 'string'
            ? { id: done, success: true, errors: [] }
            : { id: done.id, success: true, errors: [], created: done.created },
        );
      } catch (error) {
        if (!(error instanceof SalesforceApiError)) throw error;
        results.push({
          success: false,
          errors: [{ statusCode: error.errorCode, message: error.message, fields: error.fields }],
        });
      }
    }
    if (allOrNone && results.some((r) => !r.success)) throw new RolledBack();
  };
  if (!allOrNone) {
    attempt();
    return results;
  }
  try {
    ctx.store.transaction(attempt);
    return results;
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
    return results.map((r) =>
      r.success
        ? {
            success: false,
            errors: [
              {
                statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                message:
                  'Record rolled back because not all records were valid and the request was using AllOrNone header',
                fields: [],
              },
            ],
          }
        : r,
    );
  }
}

function retrieve(ctx: RestContext, req: RestRequest, type: string): SandboxResponse {
  const def = ctx.store.requireObject(type);
  let ids: string[];
  let fields: string[];
  if (req.method === 'POST') {
    const body = bodyObject(req.body);
    ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
    fields = Array.isArray(body.fields) ? body.fields.map(String) : [];
  } else {
    ids = (req.query.get('ids') ?? '').split(',').filter((s) => s !== '');
    fields = (req.query.get('fields') ?? '').split(',').filter((s) => s !== '');
  }
  if (fields.length === 0)
    throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'fields parameter is required');
  checkCount(ids.length);
  for (const f of fields) {
    if (!ctx.store.schema.field(def.name, f)) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `No such column '${f}' on sobject of type ${def.name}`,
      );
    }
  }
  return json(
    200,
    ids.map((id) => {
      const canonical = normalizeId(id);
      const record = canonical ? ctx.store.row(canonical) : undefined;
      if (!record || ctx.store.typeOf(record.Id) !== def.name) return null;
      return renderRecord(ctx.store.schema, def.name, record, ctx.apiVersion, fields);
    }),
  );
}

/**
 * PATCH /composite/sobjects/{SObject}/{ExternalIdField}: each record is matched on the external
 * id field: none matches, it is created; one, it is updated; more, that record fails.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_upsert.htm
 */
function upsert(ctx: RestContext, req: RestRequest, type: string, fieldName: string): SandboxResponse {
  const def = ctx.store.requireObject(type);
  const field = ctx.store.schema.field(def.name, fieldName);
  if (!field) {
    throw new SalesforceApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
    );
  }
  if (!field.externalId) {
    throw new SalesforceApiError(
      400,
      'INVALID_FIELD',
      `Field name provided, ${field.name} is not an External ID or indexed field for ${def.name}`,
    );
  }
  const body = bodyObject(req.body);
  const records = body.records;
  if (!Array.isArray(records)) throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'records is required');
  checkCount(records.length);
  return json(
    200,
    run(ctx, body.allOrNone === true, records, (raw) => {
      const { attributes, id, Id, ...fields } = bodyObject(raw);
      const recordType =
        attributes && typeof attributes === 'object' && 'type' in attributes
          ? String(attributes.type)
          : undefined;
      if (!recordType)
        throw new SalesforceApiError(400, 'INVALID_TYPE', 'The sObject type is required in attributes');
      if (ctx.store.schema.object(recordType)?.name !== def.name) {
        throw new SalesforceApiError(
          400,
          'INVALID_TYPE',
          `The list can contain ${def.name} records only, not ${recordType}`,
        );
      }
      if (id !== undefined || Id !== undefined) {
        throw new SalesforceApiError(400, 'INVALID_FIELD', 'Upsert by an external id takes no record Id');
      }
      const key = Object.keys(fields).find((k) => k.toLowerCase() === field.name.toLowerCase());
      const value = key === undefined ? undefined : fields[key];
      if (value === undefined || value === null || value === '') {
        throw new SalesforceApiError(400, 'MISSING_ARGUMENT', `${field.name} not specified`, [field.name]);
      }
      const matches = ctx.store.all(def.name).filter((r) => r[field.name] === value);
      const [match, other] = matches;
      if (other) {
        throw new SalesforceApiError(
          400,
          'DUPLICATE_EXTERNAL_ID',
          `Duplicate external id specified: ${String(value)} (${matches.map((m) => m.Id).join(', ')})`,
          [field.name],
        );
      }
      if (match)
        return {
          id: ctx.store.update(def.name, match.Id, fields, { userId: ctx.userId }).Id,
          created: false,
        };
      return { id: ctx.store.create(def.name, fields, { userId: ctx.userId }).Id, created: true };
    }),
  );
}

function checkCount(n: number): void {
  if (n > MAX_RECORDS) {
    throw new SalesforceApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
    );
  }
}
