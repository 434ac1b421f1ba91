import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { SalesforceSandbox } from '../../local/salesforce-sandbox/server';
import { type HttpHandler, httpApiEvent, lambdaContext, loadHandler } from './api-gateway';

export type Structured = Exclude<APIGatewayProxyResultV2, string>;

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const PUBLIC_BASE_URL = 'http://127.0.0.1:3999';

/** The admin Lambda, configured for a table and a sandbox org, called with API Gateway events. */
export function loadAdminApi(options: {
  tableName: string;
  sandbox: SalesforceSandbox;
  outboundBaseUrl?: string;
  /** Share the local key with other code under test (it must read what the admin API stored). */
  keyFile?: string;
  /** Queues and bucket; tests that do not use them get addresses nothing listens on. */
  syncQueueUrl?: string;
  syncRunQueueUrl?: string;
  bucketName?: string;
}) {
  const { handler } = loadHandler<{ handler: HttpHandler }>('lambdas/admin-api/handler', {
    TABLE_NAME: options.tableName,
    SYNC_QUEUE_URL: options.syncQueueUrl ?? 'http://127.0.0.1:9/000000000000/unused',
    SYNC_RUN_QUEUE_URL: options.syncRunQueueUrl ?? 'http://127.0.0.1:9/000000000000/unused',
    BUCKET_NAME: options.bucketName ?? 'unused',
    PUBLIC_BASE_URL,
    OUTBOUND_BASE_URL: options.outboundBaseUrl ?? PUBLIC_BASE_URL,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOCAL_KEY_FILE: options.keyFile ?? join(mkdtempSync(join(tmpdir(), 'keys-')), 'master.key'),
    SALESFORCE_LOGIN_URL: options.sandbox.loginUrl,
    SALESFORCE_CLIENT_ID: options.sandbox.clientId,
    SALESFORCE_CLIENT_SECRET: options.sandbox.clientSecret,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });

  async function request(
    method: string,
    pathWithQuery: string,
    init: { body?: unknown; token?: string | null; jwtSites?: string[] } = {},
  ): Promise<Structured & { json: () => Record<string, unknown> }> {
    const url = new URL(pathWithQuery, PUBLIC_BASE_URL);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const token = init.token === undefined ? TEST_ADMIN_TOKEN : init.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const event = httpApiEvent({
      method,
      path: url.pathname,
      routeKey: url.pathname.startsWith('/sites') ? 'ANY /sites/{proxy+}' : `${method} ${url.pathname}`,
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    event.rawQueryString = url.search.slice(1);
    if (url.search) event.queryStringParameters = Object.fromEntries(url.searchParams);
    if (init.jwtSites) {
      Object.assign(event.requestContext, {
        authorizer: { jwt: { claims: { sub: 'user-1', sites: init.jwtSites.join(' ') }, scopes: [] } },
      });
    }
    const result = (await handler(event, lambdaContext)) as Structured;
    return { ...result, json: () => JSON.parse(result.body ?? '{}') as Record<string, unknown> };
  }

  /** The admin's browser: connect → sandbox authorize (auto-approved) → our callback. */
  async function connect(siteId: string) {
    const start = await request('GET', `/sites/${siteId}/salesforce/connect`);
    if (start.statusCode !== 302) throw new Error(`connect answered ${start.statusCode}: ${start.body}`);
    const authorize = await fetch(String(start.headers?.location), { redirect: 'manual' });
    const callback = new URL(authorize.headers.get('location') ?? '');
    return request('GET', `${callback.pathname}${callback.search}`, { token: null });
  }

  return { request, connect };
}
