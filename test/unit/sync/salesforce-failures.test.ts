import {
  ConflictError,
  ReconnectNeededError,
  RefreshTokenRefusedError,
  SalesforceApiError,
} from '../../../shared/domain/errors';
import { classifySalesforceFailure } from '../../../shared/domain/salesforce-failures';

const api = (code: string, message = code) => new SalesforceApiError(message, code, undefined);

describe('what a Salesforce failure means for the waiting notifications', () => {
  it.each([
    [api('SERVER_UNAVAILABLE'), 'transient'],
    [api('UNKNOWN_EXCEPTION'), 'transient'],
    [api('UNABLE_TO_LOCK_ROW'), 'transient'],
    [new Error('Request Timeout'), 'transient'],
    [api('REQUEST_LIMIT_EXCEEDED'), 'rate-limited'],
    [api('INVALID_FIELD'), 'permanent'],
    [api('ENTITY_IS_DELETED'), 'permanent'],
    [api('NOT_FOUND'), 'permanent'],
    [new ConflictError('Site demo is not connected to Salesforce'), 'permanent'],
    [new ReconnectNeededError('connect again'), 'reconnect'],
    [new RefreshTokenRefusedError('Reading accounts: Salesforce refused the refresh token'), 'reconnect'],
    // Only the adapter's typed error means a refusal, never the words of a message.
    [new Error('Unable to refresh session due to: invalid_grant: expired access/refresh token'), 'transient'],
  ] as const)('%s → %s', (error, kind) => {
    expect(classifySalesforceFailure(error)).toBe(kind);
  });
});
