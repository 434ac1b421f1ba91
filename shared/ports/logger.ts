/** The slice of a structured logger the use cases need (Powertools' Logger satisfies it). */
export interface Logger {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  /** Pass errors as `{ error }` so they are serialised with name, message, stack and cause. */
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/**
 * Admin changes are logged as audit events: this message, the ids the change is about, and
 * `audit: { actor, action, status }` (who, what; the line's timestamp is when). Never a body,
 * so never a setting's value, a token or a secret.
 */
export const AUDIT_MESSAGE = 'Admin change';

export interface AuditFields {
  actor: string;
  action: string;
  status: number;
}
