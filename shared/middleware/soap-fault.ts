import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { SOAP_CONTENT_TYPE, soapFault } from '../adapters/soap/soap-responses';
import {
  EnqueueFailedError,
  InvalidOutboundMessageError,
  OrganizationMismatchError,
  PayloadTooLargeError,
  SiteNotFoundError,
  UnsupportedMediaTypeError,
} from '../domain/errors';
import type { Logger } from '../ports/logger';

/** The one place where errors of the outbound-message endpoint become HTTP statuses. */
const STATUS_BY_ERROR: ReadonlyArray<[abstract new (...args: never[]) => Error, number]> = [
  [InvalidOutboundMessageError, 400],
  [SiteNotFoundError, 404],
  [OrganizationMismatchError, 403],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
  [EnqueueFailedError, 500],
];

/**
 * Turns any error into a SOAP 1.1 fault. Salesforce retries on every non-Ack answer, so a
 * fault is never an acknowledgement; 4xx say what the sender must change, 5xx that we failed.
 * Unexpected errors get a generic message: internals stay in our logs.
 */
export function soapFaultHandler(logger: Logger): MiddlewareObj<unknown, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const error = request.error;
      const status = STATUS_BY_ERROR.find(([type]) => error instanceof type)?.[1] ?? 500;
      const known = status !== 500 || error instanceof EnqueueFailedError;
      const message = known && error ? error.message : 'Internal error; the message was not acknowledged';
      if (status >= 500) logger.error('Outbound message not acknowledged', { error });
      else logger.warn('Outbound message refused', { status, reason: message });
      request.response = {
        statusCode: status,
        headers: { 'content-type': SOAP_CONTENT_TYPE },
        body: soapFault(status >= 500 ? 'Server' : 'Client', message),
      };
    },
  };
}
