import { ConflictError, ReconnectNeededError, RefreshTokenRefusedError, SalesforceApiError } from './errors';

/**
 * What a failure talking to Salesforce means for the notifications waiting on it:
 * - transient: 5xx, timeouts, network, locks — deferred with exponential backoff (deferral.ts);
 * - rate-limited: the org's daily API limit — deferred on the same schedule, from a longer first wait;
 * - reconnect: the refresh token is refused (the Salesforce adapter's RefreshTokenRefusedError),
 *   or the site is already marked for it — keep them until an admin reconnects;
 * - permanent: the request itself is wrong for this org (unknown field, deleted record) or the
 *   site is no longer connected — record the failure and stop retrying.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
export type SalesforceFailureKind = 'transient' | 'rate-limited' | 'reconnect' | 'permanent';

const PERMANENT_CODES: ReadonlySet<string> = new Set([
  'INVALID_FIELD',
  'INVALID_TYPE',
  'MALFORMED_QUERY',
  'INVALID_QUERY_FILTER_OPERATOR',
  'ENTITY_IS_DELETED',
  'NOT_FOUND',
  'INVALID_ID_FIELD',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'API_DISABLED_FOR_ORG',
]);

export function classifySalesforceFailure(error: unknown): SalesforceFailureKind {
  if (error instanceof ReconnectNeededError || error instanceof RefreshTokenRefusedError) return 'reconnect';
  if (error instanceof ConflictError) return 'permanent';
  if (error instanceof SalesforceApiError) {
    if (error.errorCode === 'REQUEST_LIMIT_EXCEEDED') return 'rate-limited';
    if (PERMANENT_CODES.has(error.errorCode)) return 'permanent';
  }
  return 'transient';
}
