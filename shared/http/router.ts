import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { type Identity, requireRole } from '../domain/access';
import { AuthenticationRequiredError, NotFoundError, ValidationError } from '../domain/errors';
import { AUDIT_MESSAGE, type AuditFields, type Logger } from '../ports/logger';
import { callerIdentity } from './admin-identity';
import { type AdminRouteId, adminRouteList, adminRoutes } from './admin-routes';
import { MethodNotAllowedError } from './http-errors';
import { issuesOf, json, parseBody } from './json';
import { type AdminFunction, allowedMethods, isSiteRoute, type RouteSpec, routeKey } from './route-table';

/**
 * Routes admin API events by the route table. API Gateway (and the local gateway) matched the
 * route already and says which in `routeKey`; an event arriving through a catch-all route
 * (`ANY /sites/{proxy+}`, `ANY <path>`) is a path or method the table lacks: 404, or 405 with
 * `Allow`. The table is the single source for both, so @middy/http-router (a second copy of the
 * paths) is not used.
 */
type Infer<T> = T extends z.ZodType ? z.infer<T> : Record<string, never>;

export interface RouteRequest<R extends RouteSpec> {
  params: Infer<R['params']>;
  query: Infer<R['query']>;
  body: R['binaryBody'] extends object
    ? Uint8Array
    : R['bodyValidatedByUseCase'] extends true
      ? unknown
      : Infer<R['body']>;
  /** Present on every route but those with `auth: 'none'`. */
  identity: R['auth'] extends 'none' ? Identity | undefined : Identity;
  event: APIGatewayProxyEventV2;
}

/** What an implementation answers: a JSON body, or a ready body (PDF, redirect). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A body that is not JSON; base64 when binary. */
  raw?: { body: string; isBase64Encoded?: boolean };
}

type RoutesOf<F extends AdminFunction> = {
  [K in AdminRouteId]: (typeof adminRoutes)[K]['function'] extends F ? K : never;
}[AdminRouteId];

export type Implementations<F extends AdminFunction> = {
  [K in RoutesOf<F>]: (request: RouteRequest<(typeof adminRoutes)[K]>) => Promise<Reply>;
};

/** Runs an idempotent route once per key (see the port); absent, the header is ignored. */
export interface IdempotentRunner {
  run(
    input: { siteId: string; operationId: string; key: string; request: unknown; context: Context },
    work: () => Promise<Reply>,
  ): Promise<Reply & { replayed: boolean }>;
}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * The header is an sf-string in the IETF draft (`"8e03978e-…"`); a bare token is taken as well.
 * https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/
 */
function idempotencyKey(event: APIGatewayProxyEventV2): string | undefined {
  const raw = event.headers?.[IDEMPOTENCY_KEY_HEADER];
  if (raw === undefined) return undefined;
  const key = /^"(.*)"$/.exec(raw.trim())?.[1] ?? raw.trim();
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ValidationError('Invalid Idempotency-Key header', [
      { path: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' },
    ]);
  }
  return key;
}

function parsePart<S extends z.ZodType | undefined>(
  schema: S,
  value: unknown,
  what: string,
): Infer<S> | Record<string, never> {
  if (schema === undefined) return {};
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = issuesOf(result.error);
    throw new ValidationError(
      `Invalid ${what}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      issues,
      {
        cause: result.error,
      },
    );
  }
  return result.data as Infer<S>;
}

/** The bytes of a request body as API Gateway passed them: base64 when binary, else text. */
export function bodyBytes(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Uint8Array {
  return event.isBase64Encoded
    ? new Uint8Array(Buffer.from(event.body ?? '', 'base64'))
    : new Uint8Array(Buffer.from(event.body ?? '', 'utf8'));
}

function toResult(reply: Reply): APIGatewayProxyStructuredResultV2 {
  if (reply.status === 204)
    return { statusCode: 204, headers: { 'cache-control': 'no-store', ...reply.headers } };
  if (reply.raw) {
    return {
      statusCode: reply.status,
      headers: { 'cache-control': 'no-store', ...reply.headers },
      body: reply.raw.body,
      ...(reply.raw.isBase64Encoded ? { isBase64Encoded: true } : {}),
    };
  }
  return json(reply.status, reply.body ?? {}, reply.headers);
}

export function adminRouter<F extends AdminFunction>(options: {
  function: F;
  implementations: Implementations<F>;
  adminToken?: string | undefined;
  /** For audit events; the site and request ids come from the function's log context. */
  logger: Pick<Logger, 'info'>;
  idempotency?: IdempotentRunner;
}) {
  const served = new Map<string, [RouteSpec, (request: never) => Promise<Reply>]>();
  for (const [id, route] of Object.entries(adminRoutes) as [AdminRouteId, RouteSpec][]) {
    if (route.function !== options.function) continue;
    const implementation = (options.implementations as Record<string, (request: never) => Promise<Reply>>)[
      id
    ];
    if (implementation) served.set(routeKey(route), [route, implementation]);
  }

  return async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const found = served.get(event.routeKey);
    if (found === undefined) {
      const method = event.requestContext.http.method;
      const allow = allowedMethods(adminRouteList, event.rawPath);
      if (allow.length > 0 && !allow.includes(method as never))
        throw new MethodNotAllowedError(method, allow);
      throw new NotFoundError(`No route ${method} ${event.rawPath}`);
    }
    const [route, implementation] = found;
    // 401 before 400 before 403: who is asking, whether the path is valid, whether they may.
    // Open routes take no credentials, so a token sent along (the console's) is not checked there.
    const identity = route.auth === 'none' ? undefined : callerIdentity(event, options.adminToken);
    if (route.auth !== 'none' && identity === undefined)
      throw new AuthenticationRequiredError(
        'Authentication required: sign in, or send a bearer token (locally the ADMIN_TOKEN)',
      );
    const params = parsePart(route.params, event.pathParameters ?? {}, 'path');
    const siteId = String((params as { siteId?: string }).siteId ?? '');
    if (identity && isSiteRoute(route))
      requireRole(identity, siteId, route.auth === 'site-admin' ? 'admin' : 'user');
    const query = parsePart(route.query, event.queryStringParameters ?? {}, 'query');
    const body = route.binaryBody
      ? bodyBytes(event)
      : route.body === undefined
        ? undefined
        : parseBody(event, route.bodyValidatedByUseCase ? undefined : route.body);
    const request = { params, query, body, identity, event } as never;
    const key = route.idempotent && options.idempotency ? idempotencyKey(event) : undefined;
    if (key === undefined || options.idempotency === undefined) {
      const reply = await implementation(request);
      audit(options.logger, route, identity, params, reply);
      return toResult(reply);
    }
    const reply = await options.idempotency.run(
      {
        siteId,
        operationId: route.operationId,
        key,
        request: { params, query, body: body ?? null },
        context,
      },
      () => implementation(request),
    );
    if (!reply.replayed) audit(options.logger, route, identity, params, reply);
    return toResult({
      ...reply,
      headers: { ...reply.headers, ...(reply.replayed ? { 'idempotent-replayed': 'true' } : {}) },
    });
  };
}

/**
 * A change made through the API, as an audit event: who (the caller's subject), what (the
 * operation, the ids in its path), when (the line's timestamp), and the status it got. Reads are
 * not audited; bodies never are, so no setting, token or secret reaches the log.
 */
function audit(
  logger: Pick<Logger, 'info'>,
  route: RouteSpec,
  identity: Identity | undefined,
  params: unknown,
  reply: Reply,
): void {
  if (route.method === 'GET' || reply.status >= 400) return;
  logger.info(AUDIT_MESSAGE, {
    ...(params as Record<string, string>),
    audit: {
      actor: identity?.subject ?? 'anonymous',
      action: route.operationId,
      status: reply.status,
    } satisfies AuditFields,
  });
}
