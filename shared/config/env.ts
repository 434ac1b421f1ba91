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

/** Where secrets are protected: KMS keys in AWS, a local key file in local mode (never both). */
const keysSchema = {
  /** KMS key (symmetric) for envelope encryption of refresh tokens. */
  TOKEN_KEY_ID: z.string().min(1).optional(),
  /** KMS key (HMAC_256) from which webhook secrets are derived. */
  WEBHOOK_KEY_ID: z.string().min(1).optional(),
  /** Local mode only: a 32-byte key file standing in for both KMS keys. */
  LOCAL_KEY_FILE: z.string().min(1).optional(),
};

/** Local mode: `{"production": url, "sandbox": url, "my-domain": url with {host}}`, JSON. */
const loginEndpointsSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z.strictObject({
      production: z.url().optional(),
      sandbox: z.url().optional(),
      'my-domain': z
        .string()
        .regex(/^https?:\/\//, 'must be a URL')
        .optional(),
    }),
  );

const salesforceAppSchema = {
  /**
   * The login of connections made before each site chose its own (production by default); the
   * login of new connections is the site's choice at Connect.
   */
  SALESFORCE_LOGIN_URL: z.url().default('https://login.salesforce.com'),
  /** Local mode only: every login choice served by the local Salesforce sandbox instead. */
  SALESFORCE_LOGIN_ENDPOINTS: loginEndpointsSchema.optional(),
  SALESFORCE_CLIENT_ID: z.string().min(1),
  /** Secrets Manager secret holding the connected app's consumer secret (AWS). */
  SALESFORCE_CLIENT_SECRET_NAME: z.string().min(1).optional(),
  /** The consumer secret itself: local mode only, where there is no Secrets Manager. */
  SALESFORCE_CLIENT_SECRET: z.string().min(1).optional(),
};

function requireOneOf(
  env: Record<string, unknown>,
  ctx: z.RefinementCtx,
  names: string[],
  alternative: string[],
) {
  if (names.every((n) => env[n] !== undefined) || alternative.every((n) => env[n] !== undefined)) return;
  ctx.addIssue({
    code: 'custom',
    path: [names[0] ?? ''],
    message: `set ${names.join(' and ')} (AWS) or ${alternative.join(' and ')} (local mode)`,
  });
}

/** Local mode talks to the local sandbox only: a login choice must never reach Salesforce itself. */
function requireLocalLogins(env: Record<string, unknown>, ctx: z.RefinementCtx) {
  const endpoints = env.SALESFORCE_LOGIN_ENDPOINTS as Record<string, string | undefined> | undefined;
  if (env.SALESFORCE_CLIENT_SECRET === undefined) return;
  const missing = ['production', 'sandbox', 'my-domain'].filter((kind) => !endpoints?.[kind]);
  if (missing.length === 0) return;
  ctx.addIssue({
    code: 'custom',
    path: ['SALESFORCE_LOGIN_ENDPOINTS'],
    message: `local mode (SALESFORCE_CLIENT_SECRET) maps every login to the local sandbox; missing: ${missing.join(', ')}`,
  });
}

export const adminConfigSchema = z
  .object({
    TABLE_NAME: z.string().min(1),
    /** The admin API's public base URL: the OAuth callback is built from it. */
    PUBLIC_BASE_URL: z.url(),
    /** Base URL of the outbound-message API (its own API in AWS); defaults to PUBLIC_BASE_URL. */
    OUTBOUND_BASE_URL: z.url().optional(),
    /** Local mode: the bearer token of an admin of every site. Unset in AWS (IAM or JWT instead). */
    ADMIN_TOKEN: z.string().min(16).optional(),
    /** The console's sign-in: Cognito's managed login (AWS) or the local sign-in (npm start). */
    SIGN_IN_PROVIDER: z.enum(['cognito', 'local']).default('cognito'),
    /** Base URL of its OAuth endpoints (`/oauth2/authorize`, `/oauth2/token`, `/logout`). */
    SIGN_IN_URL: z.url().optional(),
    /** The console's app client (public: PKCE, no secret). */
    SIGN_IN_CLIENT_ID: z.string().min(1).optional(),
    ...keysSchema,
    ...salesforceAppSchema,
  })
  .superRefine((env, ctx) => {
    requireOneOf(env, ctx, ['TOKEN_KEY_ID', 'WEBHOOK_KEY_ID'], ['LOCAL_KEY_FILE']);
    requireOneOf(env, ctx, ['SALESFORCE_CLIENT_SECRET_NAME'], ['SALESFORCE_CLIENT_SECRET']);
    requireLocalLogins(env, ctx);
  });

export type AdminConfig = z.infer<typeof adminConfigSchema>;

/** Send to Salesforce (with the PDF it sends) and starting Synchronize-now runs. */
export const quoteActionsConfigSchema = z
  .object({
    TABLE_NAME: z.string().min(1),
    /** Pages of "Synchronize now" runs: starting a run queues its first page. */
    SYNC_RUN_QUEUE_URL: z.url(),
    /** The worker's queue: a retried notification is queued there, as the webhook queues it. */
    SYNC_QUEUE_URL: z.url(),
    /** Quote PDFs. */
    BUCKET_NAME: z.string().min(1),
    /** KMS key the PDFs are encrypted with (SSE-KMS); without it, SSE-S3. */
    DOCUMENTS_KEY_ID: z.string().min(1).optional(),
    /** Set only against an emulator (locally), which wants path-style bucket addressing. */
    AWS_ENDPOINT_URL_S3: z.url().optional(),
    /** Local mode: the bearer token of an admin of every site. Unset in AWS (IAM or JWT instead). */
    ADMIN_TOKEN: z.string().min(16).optional(),
    TOKEN_KEY_ID: keysSchema.TOKEN_KEY_ID,
    LOCAL_KEY_FILE: keysSchema.LOCAL_KEY_FILE,
    ...salesforceAppSchema,
  })
  .superRefine((env, ctx) => {
    requireOneOf(env, ctx, ['TOKEN_KEY_ID'], ['LOCAL_KEY_FILE']);
    requireOneOf(env, ctx, ['SALESFORCE_CLIENT_SECRET_NAME'], ['SALESFORCE_CLIENT_SECRET']);
    requireLocalLogins(env, ctx);
  });

/** An API-usage reading above a site's budget older than this is read afresh before it holds anything back. */
const apiBudgetRecheckSeconds = z.coerce.number().int().min(0).max(86_400).default(300);

export const workerConfigSchema = z
  .object({
    TABLE_NAME: z.string().min(1),
    /** The queue the worker consumes; deferred notifications are queued here again. */
    SYNC_QUEUE_URL: z.url(),
    /** Its DLQ: what can never succeed is moved there with its reason (else SQS's redrive moves it). */
    SYNC_DEAD_LETTER_QUEUE_URL: z.url().optional(),
    /** The sync queue's maxReceiveCount: the receive on which a message is moved to the DLQ. */
    MAX_RECEIVE_COUNT: z.coerce.number().int().min(1).max(1000).default(5),
    TOKEN_KEY_ID: keysSchema.TOKEN_KEY_ID,
    LOCAL_KEY_FILE: keysSchema.LOCAL_KEY_FILE,
    ...salesforceAppSchema,
    /** How long a warm worker reuses a site's settings (0: read them for every batch). */
    SETTINGS_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
    /** How long a warm worker reuses a site's API usage for the budget check, between its own records (0: read it for every batch). */
    API_USAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
    /** How long a warm worker keeps the companies and persons it read or wrote (0: read them for every batch). */
    SYNCED_RECORDS_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
    /** jsforce's request timeout: well under the function's 60 s, so a slow org fails the call, not the batch. */
    SALESFORCE_TIMEOUT_MS: z.coerce.number().int().min(100).max(50_000).default(20_000),
    /** First wait after a transient Salesforce or store failure, doubled per attempt (with jitter). */
    TRANSIENT_BACKOFF_SECONDS: z.coerce.number().int().min(0).max(43_200).default(30),
    /** First wait after REQUEST_LIMIT_EXCEEDED, doubled per attempt (with jitter). */
    RATE_LIMIT_BACKOFF_SECONDS: z.coerce.number().int().min(0).max(43_200).default(300),
    /** The longest single wait of a deferred notification, before jitter. */
    MAX_BACKOFF_SECONDS: z.coerce.number().int().min(1).max(43_200).default(900),
    /** Receives a deferred notification is held back by visibility before it is queued afresh. */
    HOLD_BACK_RECEIVES: z.coerce.number().int().min(1).max(4).default(3),
    /** Delay of each fresh copy while a site waits to be reconnected (SQS allows at most 900 s). */
    REQUEUE_DELAY_SECONDS: z.coerce.number().int().min(0).max(900).default(900),
    /** How long notifications wait for a site to be reconnected before they are given up. */
    MAX_RECONNECT_WAIT_HOURS: z.coerce
      .number()
      .positive()
      .default(14 * 24),
    /** How long notifications wait out outages and limits before they are given up. */
    MAX_RETRY_WAIT_HOURS: z.coerce
      .number()
      .positive()
      .default(4 * 24),
    API_BUDGET_RECHECK_SECONDS: apiBudgetRecheckSeconds,
  })
  .superRefine((env, ctx) => {
    requireOneOf(env, ctx, ['TOKEN_KEY_ID'], ['LOCAL_KEY_FILE']);
    requireOneOf(env, ctx, ['SALESFORCE_CLIENT_SECRET_NAME'], ['SALESFORCE_CLIENT_SECRET']);
    requireLocalLogins(env, ctx);
  });

export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export const reconcileConfigSchema = z
  .object({
    TABLE_NAME: z.string().min(1),
    /** Where what the webhooks missed goes: the worker's queue. */
    SYNC_QUEUE_URL: z.url(),
    TOKEN_KEY_ID: keysSchema.TOKEN_KEY_ID,
    LOCAL_KEY_FILE: keysSchema.LOCAL_KEY_FILE,
    ...salesforceAppSchema,
    API_BUDGET_RECHECK_SECONDS: apiBudgetRecheckSeconds,
  })
  .superRefine((env, ctx) => {
    requireOneOf(env, ctx, ['TOKEN_KEY_ID'], ['LOCAL_KEY_FILE']);
    requireOneOf(env, ctx, ['SALESFORCE_CLIENT_SECRET_NAME'], ['SALESFORCE_CLIENT_SECRET']);
    requireLocalLogins(env, ctx);
  });

export const syncRunConfigSchema = z
  .object({
    TABLE_NAME: z.string().min(1),
    /** Where each page's notifications go: the worker's queue. */
    SYNC_QUEUE_URL: z.url(),
    /** The queue of run pages this function consumes and continues. */
    SYNC_RUN_QUEUE_URL: z.url(),
    TOKEN_KEY_ID: keysSchema.TOKEN_KEY_ID,
    LOCAL_KEY_FILE: keysSchema.LOCAL_KEY_FILE,
    ...salesforceAppSchema,
  })
  .superRefine((env, ctx) => {
    requireOneOf(env, ctx, ['TOKEN_KEY_ID'], ['LOCAL_KEY_FILE']);
    requireOneOf(env, ctx, ['SALESFORCE_CLIENT_SECRET_NAME'], ['SALESFORCE_CLIENT_SECRET']);
    requireLocalLogins(env, ctx);
  });

/** The sign-in's claims step (Cognito's pre-token-generation trigger): it reads the site users. */
export const signInClaimsConfigSchema = z.object({ TABLE_NAME: z.string().min(1) });
