import { z } from 'zod';

/**
 * Per-stage deployment settings, validated when the CDK app is synthesized so a typo fails
 * `cdk synth` with the field's name instead of failing a CloudFormation deployment later.
 */
const https = z.url({ protocol: /^https$/, error: 'must be an https:// URL' });

const domainSchema = z.strictObject({
  /** The custom domain that serves the outbound-message API with mutual TLS. */
  name: z
    .string()
    .regex(
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
      'must be a lower-case DNS name',
    ),
  /** A regional ACM certificate (same region as the stack) for the domain. */
  certificateArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/,
      'must be an ACM certificate ARN',
    ),
  /** The PEM bundle of CAs trusted for client certificates, e.g. s3://my-truststores/salesforce.pem. */
  truststoreUri: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/, 'must be s3://bucket/key'),
  /** Pin a truststore object version (the bucket must be versioned); the latest version otherwise. */
  truststoreVersion: z.string().min(1).optional(),
});

const signInSchema = z.strictObject({
  /**
   * The prefix of the user pool's Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`),
   * unique within the region. @default quote-sync-<stage>-<account>
   */
  domainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be 1-63 lower-case letters, digits or dashes')
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'must not contain aws, amazon or cognito'),
});

const consoleSchema = z.strictObject({
  /** The console's own domain name (a DNS record pointing at the distribution is yours to add). */
  domainName: z
    .string()
    .regex(
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
      'must be a lower-case DNS name',
    ),
  /** An ACM certificate for it in us-east-1 (CloudFront takes certificates from there only). */
  certificateArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/,
      'must be an ACM certificate ARN in us-east-1',
    ),
  /** A WAF web ACL (scope CLOUDFRONT, made in us-east-1) to put in front of the console and its API. */
  webAclArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/,
      'must be a global (CLOUDFRONT) WAF web ACL ARN',
    )
    .optional(),
});

export const stageConfigSchema = z.strictObject({
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'),
  /** https://login.salesforce.com for production orgs, https://test.salesforce.com for sandboxes. */
  salesforceLoginUrl: https,
  /** The connected app's consumer key; not a secret. */
  salesforceClientId: z.string().min(1, 'must not be empty'),
  /** Name of the Secrets Manager secret holding the connected app's consumer secret (created by hand). */
  salesforceClientSecretName: z
    .string()
    .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a Secrets Manager secret name'),
  alarmEmail: z.email({ error: 'must be an e-mail address' }),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /** How often every connected site is reconciled with its org (EventBridge Scheduler). */
  reconcileIntervalMinutes: z.number().int().min(5).max(1440).default(15),
  domain: domainSchema.optional(),
  signIn: signInSchema.optional(),
  console: consoleSchema.optional(),
});

export type StageConfig = z.infer<typeof stageConfigSchema>;
export type StageConfigInput = z.input<typeof stageConfigSchema>;

/**
 * The stages this repository deploys. `dev` carries placeholder values that are valid in shape
 * so `npm run synth` works on a fresh clone without credentials; replace them before deploying.
 */
export const stages: Record<string, StageConfigInput> = {
  dev: {
    account: '111111111111',
    region: 'eu-west-1',
    salesforceLoginUrl: 'https://test.salesforce.com',
    salesforceClientId: 'placeholder-connected-app-consumer-key',
    salesforceClientSecretName: 'salesforce-quote-sync/dev/salesforce-client-secret',
    alarmEmail: 'alerts@example.com',
    logLevel: 'DEBUG',
  },
};

export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';
}

/** Validates one stage's settings; the message names every bad field. */
export function parseStageConfig(stageName: string, input: unknown): StageConfig {
  const result = stageConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`,
    );
    throw new StageConfigError(`Stage '${stageName}' has an invalid configuration: ${problems.join('; ')}`, {
      cause: result.error,
    });
  }
  return result.data;
}

export interface StageSelection {
  /** From `-c stage=…`; `dev` when absent. */
  readonly stage?: unknown;
  /** From `-c region=…`; overrides the stage's region (the deploy workflow's input). */
  readonly region?: unknown;
}

/** Resolves the stage chosen on the command line, e.g. `cdk synth -c stage=dev -c region=eu-central-1`. */
export function resolveStage(
  selection: StageSelection,
  known: Record<string, StageConfigInput> = stages,
): { name: string; config: StageConfig } {
  const name = selection.stage === undefined ? 'dev' : selection.stage;
  if (typeof name !== 'string' || !/^[a-z][a-z0-9-]{0,15}$/.test(name)) {
    throw new StageConfigError(
      `Context 'stage' must be a short lower-case name, got ${JSON.stringify(name)}`,
    );
  }
  const input = known[name];
  if (input === undefined) {
    throw new StageConfigError(
      `Unknown stage '${name}'. Known stages: ${Object.keys(known).join(', ')} (infra/config/stages.ts)`,
    );
  }
  const withRegion = selection.region === undefined ? input : { ...input, region: selection.region };
  return { name, config: parseStageConfig(name, withRegion) };
}
