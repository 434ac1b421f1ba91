/**
 * One error class per failure, all of them this product's errors (`QuoteSyncError`): an error of
 * another class is a bug or a library's, and its message is never shown to a caller. Each carries
 * a message written for the caller (it ends up in a SOAP fault or a problem-details body) and,
 * where there is one, the underlying `cause`.
 * The mapping from class to HTTP status lives in one place per transport
 * (shared/middleware/soap-fault.ts for the outbound-message endpoint,
 * shared/middleware/problem-details.ts for the admin API).
 */
export abstract class QuoteSyncError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request body is larger than the configured cap. */
export class PayloadTooLargeError extends QuoteSyncError {}

/** The body comes in a media type, charset or content coding the endpoint does not read. */
export class UnsupportedMediaTypeError extends QuoteSyncError {}

/** The SOAP envelope or the notifications inside it break Salesforce's outbound-message contract. */
export class InvalidOutboundMessageError extends QuoteSyncError {}

/** Unknown site or wrong webhook secret: deliberately one class, so both get the same answer. */
export class SiteNotFoundError extends QuoteSyncError {
  constructor(options?: { cause?: unknown }) {
    super('No outbound-message endpoint at this address', options);
  }
}

/** The message comes from another Salesforce organization than the one the site is connected to. */
export class OrganizationMismatchError extends QuoteSyncError {}

/** Some notifications could not be put on the sync queue; nothing may be acknowledged. */
export class EnqueueFailedError extends QuoteSyncError {
  constructor(
    message: string,
    readonly failedIds: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A configuration variable is missing or malformed (raised at cold start). */
export class ConfigurationError extends QuoteSyncError {}

/** A field-by-field validation failure of a request body or query. */
export class ValidationError extends QuoteSyncError {
  constructor(
    message: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An uploaded image that is neither an intact PNG nor an intact JPEG: a 400 naming what it is. */
export class UnsupportedImageError extends ValidationError {
  constructor(
    /** What the bytes are, as the message says it ("a GIF image"). */
    readonly found: string,
    options?: { cause?: unknown },
  ) {
    const message = `The logo must be a PNG or JPEG image; this is ${found}`;
    super(message, [{ path: '(body)', message }], options);
  }
}

/** No admin identity on the request. */
export class AuthenticationRequiredError extends QuoteSyncError {}

/** Credentials were sent but are not valid (a wrong bearer token): also a 401, with its own message. */
export class InvalidCredentialsError extends AuthenticationRequiredError {}

/** An identity that may not act on this site. */
export class ForbiddenError extends QuoteSyncError {}

/** The addressed record does not exist (for this site). */
export class NotFoundError extends QuoteSyncError {}

/** The request conflicts with the current state (e.g. push-back disabled, not connected). */
export class ConflictError extends QuoteSyncError {}

/** The org is above the site's API budget: this service spends no more calls until it falls. */
export class ApiBudgetExceededError extends ConflictError {
  readonly usage: { used: number; limit: number; sharePercent: number; maxSharePercent: number };

  constructor(
    usage: { used: number; limit: number; sharePercent: number; maxSharePercent: number },
    what: string,
  ) {
    super(
      `The org has used ${usage.used} of its ${usage.limit} daily API requests (${usage.sharePercent}%), above this site's budget of ${usage.maxSharePercent}%: ${what}. Salesforce counts the last 24 hours, so this clears as the usage falls; or raise apiBudget.maxSharePercent in the settings`,
    );
    const { used, limit, sharePercent, maxSharePercent } = usage;
    this.usage = { used, limit, sharePercent, maxSharePercent };
  }
}

/** The OAuth callback's state is unknown, expired or already used. */
export class OAuthStateError extends QuoteSyncError {}

/** The site is marked for reconnection (its refresh token was refused): an admin must connect it again. */
export class ReconnectNeededError extends QuoteSyncError {}

/**
 * Salesforce refused the site's refresh token just now (OAuth `invalid_grant`: revoked, expired,
 * or replaced by a rotation). Whoever sees it first marks the site for reconnection.
 */
export class RefreshTokenRefusedError extends QuoteSyncError {}

/** Salesforce's token endpoint refused an authorization code: `error` is its OAuth error code. */
export class AuthorizationRefusedError extends QuoteSyncError {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `Salesforce refused the authorization code: ${error}${description ? `: ${description}` : ''}`,
      options,
    );
  }
}

/** Salesforce answered with an error; `errorCode` is Salesforce's (e.g. INVALID_FIELD). */
export class SalesforceApiError extends QuoteSyncError {
  constructor(
    message: string,
    readonly errorCode: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
