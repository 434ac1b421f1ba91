import type { RequestKind } from '../api-usage';
import { notFound } from '../errors';
import { json, type SandboxResponse } from '../http';
import { handleCollections } from './collections';
import { handleComposite } from './composite';
import type { RestContext, RestRequest } from './context';
import { handleQuery, handleQueryMore } from './query';
import { handleSObjects, requireMethod } from './sobjects';

/** API versions this org answers; Salesforce retired 21.0 through 30.0 in 2025. */
export const API_VERSIONS: readonly string[] = Array.from({ length: 36 }, (_, i) => `${31 + i}.0`);

export function isSupportedVersion(version: string): boolean {
  return API_VERSIONS.includes(version);
}

export function versionsBody(): unknown {
  return API_VERSIONS.map((version) => ({
    label: `v${version}`,
    url: `/services/data/v${version}`,
    version,
  }));
}

/** What a path under /services/data/vNN.N is, for API-call counters and fault rules. */
export function classify(method: string, path: string): RequestKind {
  if (path === '/query' || path === '/query/' || path === '/queryAll' || path === '/queryAll/')
    return 'query';
  if (/^\/query(All)?\/./.test(path)) return 'queryMore';
  if (path === '/composite' || path === '/composite/') return 'composite';
  if (path.startsWith('/composite/sobjects')) return 'collections';
  if (path === '/limits') return 'limits';
  if (path === '/sobjects' || /^\/sobjects\/[^/]+(\/describe)?\/?$/.test(path)) {
    return method === 'POST' && !path.endsWith('/describe') && path !== '/sobjects' ? 'sobject' : 'describe';
  }
  if (path.startsWith('/sobjects/')) return 'sobject';
  return 'other';
}

/** Routes one REST call (top level or composite subrequest) after authentication and counting. */
export function dispatchRest(ctx: RestContext, req: RestRequest): SandboxResponse {
  const parts = req.path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  const [head, ...rest] = parts;
  switch (head) {
    case undefined:
      requireMethod(req, ['GET']);
      return json(200, resourcesBody(ctx));
    case 'query':
    case 'queryAll':
      requireMethod(req, ['GET']);
      return rest[0] ? handleQueryMore(ctx, req, rest[0]) : handleQuery(ctx, req);
    case 'sobjects':
      return handleSObjects(ctx, req, rest);
    case 'composite':
      if (rest[0] === 'sobjects') return handleCollections(ctx, req, rest.slice(1));
      if (rest.length === 0) return handleComposite(ctx, req, dispatchRest);
      throw notFound();
    default:
      throw notFound();
  }
}

/**
 * The resources of this version, as GET /services/data/vNN.N/ lists them: relative paths, except
 * `identity`, which Salesforce gives as an absolute URL (jsforce's identity() follows it as is).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_discoveryresource.htm
 */
function resourcesBody(ctx: RestContext): Record<string, string> {
  const base = `/services/data/v${ctx.apiVersion}`;
  return {
    tooling: `${base}/tooling`,
    metadata: `${base}/metadata`,
    sobjects: `${base}/sobjects`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    composite: `${base}/composite`,
    limits: `${base}/limits`,
    identity: `${ctx.instanceUrl}/id/${ctx.store.organizationId}/${ctx.userId}`,
  };
}
