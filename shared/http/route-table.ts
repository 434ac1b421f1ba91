import type * as z from 'zod';

/**
 * The shape of one HTTP route of the admin API. The table of them (admin-routes.ts) is the one
 * source for API Gateway's routes (infra/ and the local gateway), the handlers' router, the 405
 * answers and the OpenAPI document.
 */
export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/** The functions behind the admin API. */
export const ADMIN_FUNCTIONS = ['admin-api', 'quote-actions'] as const;
export type AdminFunction = (typeof ADMIN_FUNCTIONS)[number];

export const ROUTE_AUTH = ['site-admin', 'site-member', 'signed-in', 'none'] as const;
export type RouteAuth = (typeof ROUTE_AUTH)[number];

/** Routes of one site, whose `{siteId}` the caller must belong to. */
export const isSiteRoute = (route: Pick<RouteSpec, 'auth'>) =>
  route.auth === 'site-admin' || route.auth === 'site-member';

export interface ResponseSpec {
  description: string;
  /** The JSON body; absent for bodies that are not JSON (see `contentType`) or empty ones. */
  schema?: z.ZodType;
  /** Defaults to application/json when there is a schema. */
  contentType?: string;
  /** Response headers by name, with what they carry. */
  headers?: Record<string, string>;
}

export interface RouteSpec {
  /** Unique, camelCase: the OpenAPI operationId. */
  readonly operationId: string;
  readonly method: HttpMethod;
  /** API Gateway route syntax: `/sites/{siteId}/quotes/{quoteId}`. */
  readonly path: string;
  /** The function that serves the route. */
  readonly function: AdminFunction;
  /**
   * Who may call it: `site-admin`, an admin of `{siteId}`; `site-member`, an admin or a user of
   * it; `signed-in`, anyone signed in; `none`, no credentials at all (the route says why).
   * Operators pass every check (see shared/domain/access.ts).
   */
  readonly auth: RouteAuth;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /**
   * The body is handed to the use case as parsed JSON and validated there (its messages name
   * each line's field); `body` still documents it.
   */
  readonly bodyValidatedByUseCase?: boolean;
  /**
   * The body is not JSON but a file, handed to the implementation as its bytes (API Gateway
   * base64-encodes a body whose Content-Type is not text, `isBase64Encoded`); these media types
   * document it. The implementation checks the bytes themselves.
   */
  readonly binaryBody?: { readonly contentTypes: readonly string[]; readonly description: string };
  /** Honours an `Idempotency-Key` header: a retried request gets the first answer again. */
  readonly idempotent?: boolean;
  /** Success and documented refusals by status; problem answers are added for every route. */
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** Path segments of a route template, to match request paths against it. */
function segmentsOf(path: string): string[] {
  return path.split('/').slice(1);
}

/** Whether a (decoded) request path fits a route template; `{name}` takes one non-empty segment. */
export function pathMatches(template: string, path: string): boolean {
  const expected = segmentsOf(template);
  const actual = segmentsOf(path);
  if (expected.length !== actual.length) return false;
  return expected.every((segment, i) =>
    /^\{[A-Za-z0-9_]+\}$/.test(segment) ? (actual[i] ?? '') !== '' : segment === actual[i],
  );
}

/** The methods the table has for a path: what a 405 lists in `Allow`. */
export function allowedMethods(routes: readonly RouteSpec[], path: string): HttpMethod[] {
  return [...new Set(routes.filter((route) => pathMatches(route.path, path)).map((route) => route.method))];
}
