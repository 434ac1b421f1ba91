import * as z from 'zod';
import { ConfigurationError } from '../domain/errors';

/**
 * Parses configuration once, at cold start. A missing or malformed variable fails the cold
 * start with an error naming every such variable, instead of failing requests later.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return issue.code === 'invalid_type' && issue.input === undefined
        ? `${name} is not set`
        : `${name}: ${issue.message}`;
    });
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`, { cause: result.error });
  }
  return result.data;
}

export const ackConfigSchema = z.object({
  TABLE_NAME: z.string().min(1),
  SYNC_QUEUE_URL: z.url(),
  /** Salesforce sends at most 100 notifications; 1 MiB leaves room for wide records. */
  MAX_OUTBOUND_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
});

export type AckConfig = z.infer<typeof ackConfigSchema>;
