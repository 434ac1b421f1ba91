import { QuoteSyncError } from '../domain/errors';
import type { HttpMethod } from './route-table';

/** A known path asked with a method it does not have. */
export class MethodNotAllowedError extends QuoteSyncError {
  constructor(
    readonly method: string,
    readonly allow: readonly HttpMethod[],
  ) {
    super(`${method} is not allowed here; use ${allow.join(' or ')}`);
  }
}

/** A request with this Idempotency-Key is still being answered. */
export class IdempotencyKeyInUseError extends QuoteSyncError {}

/** The Idempotency-Key was used before for a different request. */
export class IdempotencyKeyReusedError extends QuoteSyncError {}
