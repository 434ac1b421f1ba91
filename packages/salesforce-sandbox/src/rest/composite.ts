import { SalesforceApiError } from '../errors';
import type { SandboxResponse } from '../http';
import { json } from '../http';
import type { RestContext, RestRequest } from './context';
import { bodyObject, requireMethod } from './sobjects';

const MAX_SUBREQUESTS = 25;
const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

interface SubrequestResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

class Halt extends Error {}

type Dispatch = (ctx: RestContext, req: RestRequest) => SandboxResponse;

/**
 * POST /composite: up to 25 subrequests in order, later ones referring to earlier results with
 * `@{referenceId.path}`. With allOrNone, one failure rolls back all and every other subrequest
 * reports PROCESSING_HALTED. The whole request is one API call.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm
 */
export function handleComposite(ctx: RestContext, req: RestRequest, dispatch: Dispatch): SandboxResponse {
  requireMethod(req, ['POST']);
  const body = bodyObject(req.body);
  const subrequests = body.compositeRequest;
  if (!Array.isArray(subrequests) || subrequests.length === 0) {
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'compositeRequest is required');
  }
  if (subrequests.length > MAX_SUBREQUESTS) {
    throw new SalesforceApiError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded: maximum ${MAX_SUBREQUESTS} subrequests`,
    );
  }
  const parsed = subrequests.map((s, i) => parseSubrequest(s, i));
  const seen = new Set<string>();
  for (const s of parsed) {
    if (seen.has(s.referenceId)) {
      throw new SalesforceApiError(
        400,
        'INVALID_INPUT',
        `Duplicate referenceId provided in the request: ${s.referenceId}`,
      );
    }
    seen.add(s.referenceId);
  }
  const allOrNone = body.allOrNone === true;
  const results: SubrequestResult[] = [];
  const outputs = new Map<string, unknown>();
  const failed = new Set<string>();

  const runAll = (): void => {
    for (const s of parsed) {
      const result = runOne(ctx, s, outputs, failed, dispatch);
      results.push(result);
      if (result.httpStatusCode >= 400) {
        failed.add(s.referenceId);
        if (allOrNone) throw new Halt();
      } else {
        outputs.set(s.referenceId, result.body);
      }
    }
  };

  if (!allOrNone) {
    runAll();
    return json(200, { compositeResponse: results });
  }
  try {
    ctx.store.transaction(runAll);
    return json(200, { compositeResponse: results });
  } catch (error) {
    if (!(error instanceof Halt)) throw error;
    const failedRef = results.at(-1)?.referenceId;
    const halted = parsed.map((s) => {
      const done = results.find((r) => r.referenceId === s.referenceId);
      if (done && s.referenceId === failedRef) return done;
      return {
        body: [
          {
            errorCode: 'PROCESSING_HALTED',
            message:
              'The transaction was rolled back since another operation in the same transaction failed.',
          },
        ],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId: s.referenceId,
      };
    });
    return json(200, { compositeResponse: halted });
  }
}

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body: unknown;
  httpHeaders: Record<string, string>;
}

function parseSubrequest(raw: unknown, index: number): Subrequest {
  const s = bodyObject(raw);
  const { method, url, referenceId, body, httpHeaders } = s;
  if (typeof method !== 'string' || typeof url !== 'string' || typeof referenceId !== 'string') {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `Subrequest ${index} needs method, url and referenceId`,
    );
  }
  if (!/^[A-Za-z0-9_]+$/.test(referenceId)) {
    throw new SalesforceApiError(400, 'INVALID_INPUT', `Invalid referenceId: ${referenceId}`);
  }
  const headers: Record<string, string> = {};
  if (httpHeaders && typeof httpHeaders === 'object') {
    for (const [k, v] of Object.entries(httpHeaders)) headers[k.toLowerCase()] = String(v);
  }
  return { method: method.toUpperCase(), url, referenceId, body, httpHeaders: headers };
}

function runOne(
  ctx: RestContext,
  s: Subrequest,
  outputs: Map<string, unknown>,
  failed: Set<string>,
  dispatch: Dispatch,
): SubrequestResult {
  try {
    const url = resolveReferences(s.url, outputs, failed, true);
    const body = s.body === undefined ? undefined : resolveDeep(s.body, outputs, failed);
    const m = /^\/services\/data\/v(\d+\.\d)(\/[^?]*)(?:\?(.*))?$/.exec(String(url));
    if (!m?.[1] || !m[2]) {
      throw new SalesforceApiError(
        400,
        'INVALID_INPUT',
        `The URL ${s.url} is not supported in a composite request`,
      );
    }
    const path = m[2];
    if (!/^\/(sobjects|query|composite\/sobjects)(\/|$)/.test(path)) {
      throw new SalesforceApiError(
        400,
        'INVALID_INPUT',
        `The URL ${s.url} is not supported in a composite request`,
      );
    }
    const sub = dispatch(
      { ...ctx, apiVersion: m[1] },
      { method: s.method, path, query: new URLSearchParams(m[3] ?? ''), headers: s.httpHeaders, body },
    );
    const headers: Record<string, string> = {};
    if (sub.headers.Location) headers.Location = sub.headers.Location;
    const text = typeof sub.body === 'string' ? sub.body : sub.body.toString('utf8');
    return {
      body: text === '' ? null : JSON.parse(text),
      httpHeaders: headers,
      httpStatusCode: sub.status,
      referenceId: s.referenceId,
    };
  } catch (error) {
    if (!(error instanceof SalesforceApiError)) throw error;
    return {
      body: error.toBody(),
      httpHeaders: {},
      httpStatusCode: error.status,
      referenceId: s.referenceId,
    };
  }
}

function resolveDeep(value: unknown, outputs: Map<string, unknown>, failed: Set<string>): unknown {
  if (typeof value === 'string') return resolveReferences(value, outputs, failed, false);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, outputs, failed));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, outputs, failed)]));
  }
  return value;
}

/** Replaces `@{ref.path}`; a string that is only a reference keeps the referenced value's type. */
function resolveReferences(
  text: string,
  outputs: Map<string, unknown>,
  failed: Set<string>,
  inUrl: boolean,
): unknown {
  const whole = /^@\{[^}]+\}$/.test(text);
  let single: unknown;
  const replaced = text.replace(REFERENCE, (expr: string, ref: string, path: string) => {
    const value = lookup(expr, ref, path, outputs, failed);
    single = value;
    return inUrl ? encodeURIComponent(String(value)) : String(value);
  });
  return whole && !inUrl ? single : replaced;
}

function lookup(
  expr: string,
  ref: string,
  path: string,
  outputs: Map<string, unknown>,
  failed: Set<string>,
): unknown {
  const halted = (why: string): SalesforceApiError =>
    new SalesforceApiError(400, 'PROCESSING_HALTED', `Invalid reference specified. ${why}`);
  if (failed.has(ref)) {
    throw halted(
      `No value for ${expr.slice(2, -1)} found in ${ref}. Provided referenceId ('${ref}') refers to a subrequest which was not successful.`,
    );
  }
  if (!outputs.has(ref))
    throw halted(`Provided referenceId ('${ref}') is not defined in an earlier subrequest.`);
  let current: unknown = outputs.get(ref);
  for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step.slice(1);
    if (current === null || typeof current !== 'object') {
      current = undefined;
      break;
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  if (current === undefined || current === null)
    throw halted(`No value for ${expr.slice(2, -1)} found in ${ref}.`);
  return current;
}
