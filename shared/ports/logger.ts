/** The slice of a structured logger the use cases need (Powertools' Logger satisfies it). */
export interface Logger {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  /** Pass errors as `{ error }` so they are serialised with name, message, stack and cause. */
  error(message: string, ...extra: Record<string, unknown>[]): void;
}
