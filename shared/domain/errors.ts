/**
 * One error class per failure. Each carries a message written for the caller (it ends up in a
 * SOAP fault or a JSON error body) and, where there is one, the underlying `cause`.
 * The mapping from class to HTTP status lives in one place per transport
 * (shared/middleware/soap-fault.ts for the outbound-message endpoint).
 */
export abstract class SyncError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request body is larger than the configured cap. */
export class PayloadTooLargeError extends SyncError {}

/** The SOAP envelope or the notifications inside it break Salesforce's outbound-message contract. */
export class InvalidOutboundMessageError extends SyncError {}

/** Unknown site or wrong webhook secret: deliberately one class, so both get the same answer. */
export class SiteNotFoundError extends SyncError {
  constructor(options?: { cause?: unknown }) {
    super('No outbound-message endpoint at this address', options);
  }
}

/** The message comes from another Salesforce organization than the one the site is connected to. */
export class OrganizationMismatchError extends SyncError {}

/** Some notifications could not be put on the sync queue; nothing may be acknowledged. */
export class EnqueueFailedError extends SyncError {
  constructor(
    message: string,
    readonly failedIds: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A configuration variable is missing or malformed (raised at cold start). */
export class ConfigurationError extends SyncError {}

/** A field-by-field validation failure of a request body or query. */
export class ValidationError extends SyncError {
  constructor(
    message: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No admin identity on the request. */
export class AuthenticationRequiredError extends SyncError {}

/** Credentials were sent but are not valid (a wrong bearer token): also a 401, with its own message. */
export class InvalidCredentialsError extends AuthenticationRequiredError {}

/** An identity that may not act on this site. */
export class ForbiddenError extends SyncError {}

/** The addressed record does not exist (for this site). */
export class NotFoundError extends SyncError {}

/** The request conflicts with the current state (e.g. push-back disabled, not connected). */
export class ConflictError extends SyncError {}

/** The OAuth callback's state is unknown, expired or already used. */
export class OAuthStateError extends SyncError {}

/** Salesforce refused the refresh token (invalid_grant): an admin must connect the site again. */
export class ReconnectNeededError extends SyncError {}

/** Salesforce answered with an error; `errorCode` is Salesforce's (e.g. INVALID_FIELD). */
export class SalesforceApiError extends SyncError {
  constructor(
    message: string,
    readonly errorCode: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
