import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import {
  AuthenticationRequiredError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  OAuthStateError,
  ReconnectNeededError,
  SalesforceApiError,
  SyncError,
  ValidationError,
} from '../domain/errors';
import { json } from '../http/json';
import type { Logger } from '../ports/logger';

/** The one place where the admin API's errors become HTTP statuses. */
const STATUS_BY_ERROR: ReadonlyArray<[abstract new (...args: never[]) => Error, number]> = [
  [ValidationError, 400],
  [OAuthStateError, 400],
  [AuthenticationRequiredError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [ReconnectNeededError, 409],
  // Salesforce failed us: a bad gateway, with Salesforce's own message and code.
  [SalesforceApiError, 502],
];

export function jsonErrorHandler(logger: Logger): MiddlewareObj<unknown, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const error = request.error;
      const status = STATUS_BY_ERROR.find(([type]) => error instanceof type)?.[1];
      // http-router's own 404/405 carry a statusCode.
      const routerStatus = (error as { statusCode?: number } | null)?.statusCode;
      if (status === undefined && routerStatus && routerStatus < 500) {
        request.response = json(routerStatus, { error: 'NotFound', message: 'No such route' });
        return;
      }
      if (status === undefined || !(error instanceof SyncError)) {
        logger.error('Admin request failed', { error });
        request.response = json(500, {
          error: 'InternalError',
          message: 'Internal error; see the service logs',
        });
        return;
      }
      if (status >= 500) logger.error('Admin request failed', { error });
      else logger.info('Admin request refused', { status, reason: error.message });
      request.response = json(status, {
        error: error.name,
        message: error.message,
        ...(error instanceof ValidationError ? { issues: error.issues } : {}),
        ...(error instanceof SalesforceApiError ? { salesforceErrorCode: error.errorCode } : {}),
      });
    },
  };
}
