import { SalesforceApiError } from '../errors';
import { json, noContent, type SandboxResponse } from '../http';
import { recordUrl } from '../soql/query';
import type { RestContext, RestRequest } from './context';
import { describeGlobal, describeSObject, objectBasicInfo } from './describe';
import { renderRecord } from './render';

/**
 * /sobjects, /sobjects/{type}, /sobjects/{type}/describe, /sobjects/{type}/{id}[/{blobField}].
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_retrieve.htm
 */
export function handleSObjects(ctx: RestContext, req: RestRequest, parts: string[]): SandboxResponse {
  const { store } = ctx;
  const [type, second, third] = parts;
  if (!type) {
    requireMethod(req, ['GET']);
    return json(200, describeGlobal(store.schema, ctx.apiVersion));
  }
  const def = store.requireObject(type);
  if (second === undefined) {
    requireMethod(req, ['GET', 'POST']);
    if (req.method === 'GET') return json(200, objectBasicInfo(store.schema, def.name, ctx.apiVersion));
    const created = store.create(def.name, bodyObject(req.body), { userId: ctx.userId });
    return json(
      201,
      { id: created.Id, success: true, errors: [] },
      { Location: recordUrl(ctx.apiVersion, def.name, created.Id) },
    );
  }
  if (second === 'describe' && third === undefined) {
    requireMethod(req, ['GET']);
    return json(200, describeSObject(store.schema, def.name, ctx.apiVersion));
  }
  if (third !== undefined) {
    requireMethod(req, ['GET']);
    const record = store.requireRecord(def.name, second);
    const field = store.schema.field(def.name, third);
    if (field?.type !== 'base64')
      throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const data = record[field.name];
    return {
      status: 200,
      headers: { 'Content-Type': 'application/octetstream' },
      body: typeof data === 'string' ? Buffer.from(data, 'base64') : Buffer.alloc(0),
    };
  }
  requireMethod(req, ['GET', 'PATCH', 'DELETE']);
  if (req.method === 'GET') {
    const record = store.requireRecord(def.name, second);
    const fieldsParam = req.query.get('fields');
    let fields: string[] | undefined;
    if (fieldsParam) {
      fields = fieldsParam.split(',').map((f) => f.trim());
      for (const f of fields) {
        if (!store.schema.field(def.name, f)) {
          throw new SalesforceApiError(
            400,
            'INVALID_FIELD',
            `No such column '${f}' on sobject of type ${def.name}`,
          );
        }
      }
      if (!fields.some((f) => f.toLowerCase() === 'id')) fields.push('Id');
    }
    return json(200, renderRecord(store.schema, def.name, record, ctx.apiVersion, fields));
  }
  if (req.method === 'PATCH') {
    store.update(def.name, second, bodyObject(req.body), { userId: ctx.userId });
    return noContent();
  }
  store.remove(def.name, second, { userId: ctx.userId });
  return noContent();
}

export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

export function requireMethod(req: RestRequest, allowed: string[]): void {
  if (!allowed.includes(req.method)) {
    throw new SalesforceApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${req.method}' not allowed. Allowed are ${allowed.join(',')}`,
    );
  }
}
