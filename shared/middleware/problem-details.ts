import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { AccessDeniedError } from '../domain/access';
import {
  ApiBudgetExceededError,
  AuthenticationRequiredError,
  ConflictError,
  ForbiddenError,
  InvalidCredentialsError,
  NotFoundError,
  OAuthStateError,
  PayloadTooLargeError,
  QuoteSyncError,
  ReconnectNeededError,
  RefreshTokenRefusedError,
  SalesforceApiError,
  UnsupportedImageError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors';
import {
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  MethodNotAllowedError,
} from '../http/http-errors';
import type { Logger } from '../ports/logger';

/**
 * The one place where the admin API's errors become answers: RFC 9457 problem details
 * (`application/problem+json`). `type` names the kind of problem (a relative URI reference,
 * the same on every deployment), `instance` the request path, and `requestId` the gateway's
 * request id, which also keys the access log and every log line of the request.
 * https://www.rfc-editor.org/rfc/rfc9457
 */
const PROBLEMS: ReadonlyArray<[abstract new (...args: never[]) => Error, number, string, string]> = [
  // Before its base class: the first match wins.
  [UnsupportedImageError, 400, 'unsupported-image', 'The image is not a PNG or JPEG'],
  [ValidationError, 400, 'validation-error', 'The request is not valid'],
  [OAuthStateError, 400, 'oauth-state-error', 'The Salesforce sign-in cannot be completed'],
  // Before its base class: the first match wins.
  [InvalidCredentialsError, 401, 'invalid-credentials', 'The credentials are not valid'],
  [AuthenticationRequiredError, 401, 'authentication-required', 'Authentication required'],
  [ForbiddenError, 403, 'forbidden', 'Not allowed'],
  [NotFoundError, 404, 'not-found', 'Not found'],
  [MethodNotAllowedError, 405, 'method-not-allowed', 'Method not allowed'],
  [UnsupportedMediaTypeError, 415, 'unsupported-media-type', 'The body is not in a type this API reads'],
  // Before its base class, ConflictError: the first match wins.
  [ApiBudgetExceededError, 409, 'api-budget-exceeded', "Above the site's share of the org's API limit"],
  [ConflictError, 409, 'conflict', 'Conflict with the current state'],
  [PayloadTooLargeError, 413, 'payload-too-large', 'The request body is too large'],
  [ReconnectNeededError, 409, 'reconnect-needed', 'Salesforce must be connected again'],
  [RefreshTokenRefusedError, 409, 'reconnect-needed', 'Salesforce must be connected again'],
  [IdempotencyKeyInUseError, 409, 'idempotency-key-in-use', 'The same request is still in progress'],
  [
    IdempotencyKeyReusedError,
    422,
    'idempotency-key-reused',
    'The Idempotency-Key was used for another request',
  ],
  // Salesforce failed us: a bad gateway, with Salesforce's own message and code.
  [SalesforceApiError, 502, 'salesforce-error', 'Salesforce refused the request'],
];

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const problemType = (slug: string) => `/problems/${slug}`;

export function problemResponse(
  event: Pick<APIGatewayProxyEventV2, 'rawPath' | 'requestContext'>,
  problem: { status: number; slug: string; title: string; detail: string; extra?: Record<string, unknown> },
  headers: Record<string, string> = {},
) {
  return {
    statusCode: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
    body: JSON.stringify({
      type: problemType(problem.slug),
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance: event.rawPath,
      requestId: event.requestContext?.requestId ?? 'unknown',
      ...problem.extra,
    }),
  };
}

export function problemDetailsHandler(
  logger: Logger,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const { error, event } = request;
      const known = PROBLEMS.find(([type]) => error instanceof type);
      if (known === undefined || !(error instanceof QuoteSyncError)) {
        logger.error('Admin request failed', { error });
        const requestId = event.requestContext?.requestId ?? 'unknown';
        request.response = problemResponse(event, {
          status: 500,
          slug: 'internal-error',
          title: 'Internal error',
          detail: `Something failed on our side; quote request id ${requestId} when you report it`,
        });
        return;
      }
      const [, status, slug, title] = known;
      if (status >= 500) logger.error('Admin request failed', { error });
      else logger.info('Admin request refused', { status, reason: error.message });
      request.response = problemResponse(
        event,
        {
          status,
          slug,
          title,
          detail: error.message,
          extra: {
            ...(error instanceof ValidationError ? { issues: error.issues } : {}),
            ...(error instanceof SalesforceApiError ? { salesforceErrorCode: error.errorCode } : {}),
            ...(error instanceof AccessDeniedError ? { reason: error.reason } : {}),
            ...(error instanceof ApiBudgetExceededError ? { apiUsage: error.usage } : {}),
          },
        },
        error instanceof MethodNotAllowedError
          ? { allow: error.allow.join(', ') }
          : error instanceof AuthenticationRequiredError
            ? // RFC 6750 §3: a 401 names the scheme, and invalid_token when a token was refused.
              {
                'www-authenticate':
                  error instanceof InvalidCredentialsError ? 'Bearer error="invalid_token"' : 'Bearer',
              }
            : {},
      );
    },
  };
}
