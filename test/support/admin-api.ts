import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SalesforceSandbox } from '@quote-sync/salesforce-sandbox';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { gatewayRoutes } from '../../infra/api-routes';
import { FUNCTION_TIMEOUT_SECONDS } from '../../infra/config/timeouts';
import { routeMatcher } from '../../local/http-gateway';
import { adminRouteList } from '../../shared/http/admin-routes';
import { problemSchema } from '../../shared/http/admin-schemas';
import { routeKey } from '../../shared/http/route-table';
import { type HttpHandler, httpApiEvent, lambdaContext, loadHandler } from './api-gateway';

export type Structured = Exclude<APIGatewayProxyResultV2, string>;

/**
 * Every answer must fit what the route table (and so the OpenAPI document) says: a problem
 * fits the problem schema, a success the route's schema for its status. Unknown keys fail.
 */
function checkAgainstSchema(key: string, result: Structured): void {
  const contentType = String(result.headers?.['content-type'] ?? '');
  const route = adminRouteList.find((candidate) => routeKey(candidate) === key);
  const status = result.statusCode ?? 200;
  const schema = contentType.startsWith('application/problem+json')
    ? problemSchema
    : route?.responses[status]?.schema;
  if (route && !contentType.startsWith('application/problem+json') && !route.responses[status]) {
    throw new Error(`${key} answered ${status}, which the route table does not list`);
  }
  if (schema === undefined || !contentType.includes('json')) return;
  const parsed = schema.safeParse(JSON.parse(result.body ?? ''));
  if (!parsed.success) {
    throw new Error(`${key} answered ${status} outside its schema: ${JSON.stringify(parsed.error.issues)}`);
  }
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const PUBLIC_BASE_URL = 'http://127.0.0.1:3999';

/**
 * The admin API's functions (admin-api and quote-actions), configured for a table and a sandbox
 * org, called with the events API Gateway would build: each request goes to the function and
 * route that infra/api-routes.ts gives it.
 */
export function loadAdminApi(options: {
  tableName: string;
  sandbox: SalesforceSandbox;
  outboundBaseUrl?: string;
  /** Share the local key with other code under test (it must read what the admin API stored). */
  keyFile?: string;
  /** Queue and bucket; tests that do not use them get addresses nothing listens on. */
  syncRunQueueUrl?: string;
  /** Where a retried notification is queued. */
  syncQueueUrl?: string;
  bucketName?: string;
  /** More configuration (the sign-in's, the sync queue). */
  env?: Record<string, string>;
}) {
  const env = {
    TABLE_NAME: options.tableName,
    SYNC_RUN_QUEUE_URL: options.syncRunQueueUrl ?? 'http://127.0.0.1:9/000000000000/unused',
    SYNC_QUEUE_URL: options.syncQueueUrl ?? 'http://127.0.0.1:9/000000000000/unused',
    BUCKET_NAME: options.bucketName ?? 'unused',
    PUBLIC_BASE_URL,
    OUTBOUND_BASE_URL: options.outboundBaseUrl ?? PUBLIC_BASE_URL,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOCAL_KEY_FILE: options.keyFile ?? join(mkdtempSync(join(tmpdir(), 'keys-')), 'master.key'),
    SALESFORCE_LOGIN_URL: options.sandbox.loginUrl,
    SALESFORCE_CLIENT_ID: options.sandbox.clientId,
    SALESFORCE_CLIENT_SECRET: options.sandbox.clientSecret,
    SALESFORCE_LOGIN_ENDPOINTS: JSON.stringify(options.sandbox.loginEndpoints()),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...options.env,
  };
  const handlers = {
    'admin-api': loadHandler<{ handler: HttpHandler }>('lambdas/admin-api/handler', env).handler,
    'quote-actions': loadHandler<{ handler: HttpHandler }>('lambdas/quote-actions/handler', env).handler,
  };
  const match = routeMatcher(
    gatewayRoutes()
      .filter((route) => route.api === 'admin')
      .map((route) => ({
        method: route.method,
        path: route.path,
        handler: () => handlers[route.function as keyof typeof handlers],
        // The time the function has as deployed: its middy timeout answers just before it ends.
        timeoutMs: FUNCTION_TIMEOUT_SECONDS[route.function as keyof typeof handlers] * 1000,
      })),
  );

  async function request(
    method: string,
    pathWithQuery: string,
    init: {
      body?: unknown;
      /** A file as the body: API Gateway passes it base64-encoded (give its Content-Type in headers). */
      bytes?: Uint8Array;
      token?: string | null;
      /** A JWT authorizer's claims: `sites` entries (`acme`, `acme:user`), or all claims. */
      jwtSites?: string[];
      claims?: Record<string, string>;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Structured & { json: () => Record<string, unknown> }> {
    const url = new URL(pathWithQuery, PUBLIC_BASE_URL);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
    const token = init.token === undefined ? TEST_ADMIN_TOKEN : init.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const matched = match(method, url.pathname);
    if (!matched) throw new Error(`API Gateway has no route for ${method} ${url.pathname}`);
    const event = httpApiEvent({
      method,
      path: decodeURIComponent(url.pathname),
      routeKey: matched.route.routeKey,
      pathParameters: matched.params,
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.bytes !== undefined
        ? { body: Buffer.from(init.bytes).toString('base64'), isBase64Encoded: init.bytes.byteLength > 0 }
        : {}),
    });
    event.rawQueryString = url.search.slice(1);
    if (url.search) event.queryStringParameters = Object.fromEntries(url.searchParams);
    if (init.jwtSites || init.claims) {
      const claims = init.claims ?? { sub: 'user-1', sites: (init.jwtSites ?? []).join(' ') };
      Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes: [] } } });
    }
    const result = (await matched.route.handler()(event, {
      ...lambdaContext,
      getRemainingTimeInMillis: () => matched.route.timeoutMs ?? lambdaContext.getRemainingTimeInMillis(),
    })) as Structured;
    checkAgainstSchema(matched.route.routeKey, result);
    return { ...result, json: () => JSON.parse(result.body ?? '{}') as Record<string, unknown> };
  }

  /**
   * The admin's browser: connect → sandbox authorize (auto-approved) → our callback, which
   * answers JSON unless `callbackHeaders` ask for HTML as a browser's navigation does.
   */
  async function connect(siteId: string, login = '', callbackHeaders: Record<string, string> = {}) {
    const start = await request('GET', `/sites/${siteId}/salesforce/connect${login ? `?${login}` : ''}`);
    if (start.statusCode !== 302) throw new Error(`connect answered ${start.statusCode}: ${start.body}`);
    const authorize = await fetch(String(start.headers?.location), { redirect: 'manual' });
    const location = authorize.headers.get('location');
    if (!location) {
      throw new Error(`the login page did not redirect (${authorize.status}): ${await authorize.text()}`);
    }
    const callback = new URL(location);
    return request('GET', `${callback.pathname}${callback.search}`, {
      token: null,
      headers: callbackHeaders,
    });
  }

  return { request, connect };
}
