import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { quoteFontBundleFiles } from '../shared/adapters/pdf/quote-fonts';
import {
  acknowledgeBucketObjects,
  acknowledgeDataKeyActions,
  acknowledgeTableIndexes,
} from './acknowledgements';
import type { StageConfig } from './config/stages';
import { FUNCTION_TIMEOUT_SECONDS, MAX_RECEIVE_COUNT } from './config/timeouts';
import type { BundledFile, HouseFunction } from './constructs/house-function';
import type { DataExportNames } from './stacks/data-contract';

/** The repository root: the parent of infra/. */
export const REPOSITORY_ROOT = resolve(__dirname, '..');

export function handlerEntry(name: string, root: string = REPOSITORY_ROOT): string {
  return join(root, 'lambdas', name, 'handler.ts');
}

export const SYNC_WORKER_TIMEOUT = Duration.seconds(FUNCTION_TIMEOUT_SECONDS['sync-worker']);
export const SYNC_RUN_TIMEOUT = Duration.seconds(FUNCTION_TIMEOUT_SECONDS['run-sync-now']);

/** What a handler's wiring may use: the data resources, the stage and the APIs' base URLs. */
export interface HandlerContext {
  readonly config: StageConfig;
  /** Names of the stateful stack's exports, which appear in cdk-nag findings. */
  readonly dataExportNames: DataExportNames;
  readonly table: ITable;
  readonly bucket: IBucket;
  /** Encrypts the table, the bucket and the queues; quote PDFs are written with SSE-KMS under it. */
  readonly dataKey: IKey;
  /** Notifications for the sync worker. */
  readonly syncQueue: IQueue;
  /** Its DLQ: the worker moves what can never succeed there itself, with the reason. */
  readonly syncDeadLetterQueue: IQueue;
  /** Pages of "Synchronize now" runs, consumed and continued by run-sync-now. */
  readonly syncRunQueue: IQueue;
  readonly tokenKey: IKey;
  /** HMAC key from which webhook secrets are derived (admin API only). */
  readonly webhookKey: IKey;
  readonly salesforceClientSecret: ISecret;
  /** Base URL of the admin API (the console's origin), no trailing slash. */
  readonly publicBaseUrl: string;
  /** The console's sign-in: the user pool's domain and the console's app client. */
  readonly signIn: { readonly url: string; readonly clientId: string };
  /** Base URL Salesforce posts outbound messages to, no trailing slash. */
  readonly outboundBaseUrl: string;
}

export interface HandlerDefinition {
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: (context: HandlerContext) => Record<string, string>;
  /** See HouseFunctionProps.runtimeAwsSdk. */
  readonly runtimeAwsSdk?: boolean;
  /** See HouseFunctionProps.esModules. */
  readonly esModules?: boolean;
  /** See HouseFunctionProps.bundledFiles (evaluated at synth time, where node_modules is). */
  readonly bundledFiles?: () => BundledFile[];
  /**
   * Grants and event sources: everything this handler may touch, and nothing else. Its HTTP
   * routes come from infra/api-routes.ts.
   */
  readonly wire: (fn: HouseFunction, context: HandlerContext) => void;
}

/** The ack Lambda rejects larger bodies with 413; HTTP APIs themselves accept up to 10 MB. */
export const MAX_OUTBOUND_BODY_BYTES = 1_048_576;

const salesforceEnvironment = (context: HandlerContext): Record<string, string> => ({
  // KMS accepts a key ARN wherever it asks for a KeyId.
  TOKEN_KEY_ID: context.tokenKey.keyArn,
  SALESFORCE_LOGIN_URL: context.config.salesforceLoginUrl,
  SALESFORCE_CLIENT_ID: context.config.salesforceClientId,
  SALESFORCE_CLIENT_SECRET_NAME: context.config.salesforceClientSecretName,
});

/**
 * Exact actions rather than `grantEncryptDecrypt` (which adds `kms:ReEncrypt*` and
 * `kms:GenerateDataKey*`): refresh tokens are encrypted directly or under a data key, and the
 * worker must be able to store a rotated token in the same format the admin API wrote.
 */
const grantTokenKey = (fn: HouseFunction, context: HandlerContext): void => {
  context.tokenKey.grant(fn, 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey');
};

/**
 * One entry per folder in lambdas/. A handler without an entry here fails the infra tests, so
 * new code cannot ship without its infrastructure; an entry whose handler file does not exist
 * yet is skipped at synth time.
 */
export const handlerDefinitions = {
  'ack-outbound-message': {
    description: 'Acknowledges Salesforce outbound messages after queueing their notifications',
    timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['ack-outbound-message']),
    memorySize: 512,
    // Salesforce waits on this function, so its first call counts: the pinned SDK bundled from its
    // ES modules, only the commands it sends, loads with less work than the runtime's whole
    // clients (npm run bench -- ack measures the three builds).
    esModules: true,
    environment: (context) => ({
      TABLE_NAME: context.table.tableName,
      SYNC_QUEUE_URL: context.syncQueue.queueUrl,
      MAX_OUTBOUND_BODY_BYTES: String(MAX_OUTBOUND_BODY_BYTES),
    }),
    wire: (fn, context) => {
      context.table.grantReadData(fn);
      context.syncQueue.grantSendMessages(fn);
      acknowledgeTableIndexes(fn, context.dataExportNames);
      acknowledgeDataKeyActions(fn);
    },
  },
  'sync-worker': {
    description: 'Turns queued notifications into companies, persons and quotes',
    timeout: SYNC_WORKER_TIMEOUT,
    memorySize: 1024,
    environment: (context) => ({
      TABLE_NAME: context.table.tableName,
      SYNC_QUEUE_URL: context.syncQueue.queueUrl,
      SYNC_DEAD_LETTER_QUEUE_URL: context.syncDeadLetterQueue.queueUrl,
      MAX_RECEIVE_COUNT: String(MAX_RECEIVE_COUNT),
      ...salesforceEnvironment(context),
    }),
    wire: (fn, context) => {
      context.table.grantReadWriteData(fn);
      // Consume (receive, delete, change visibility) comes with the event source; sending is
      // for deferred copies, and for messages that can never succeed, moved with their reason.
      context.syncQueue.grantSendMessages(fn);
      context.syncDeadLetterQueue.grantSendMessages(fn);
      grantTokenKey(fn, context);
      context.salesforceClientSecret.grantRead(fn);
      acknowledgeTableIndexes(fn, context.dataExportNames);
      acknowledgeDataKeyActions(fn);
      fn.addEventSource(
        new SqsEventSource(context.syncQueue, {
          batchSize: 100,
          // A batch size above 10 requires a batching window.
          maxBatchingWindow: Duration.seconds(5),
          reportBatchItemFailures: true,
          // Bounds the load on each Salesforce org's API limit and on DynamoDB.
          maxConcurrency: 5,
        }),
      );
    },
  },
  'reconcile-sites': {
    description: 'Reconciliation: finds what the webhooks missed in each connected org and queues it',
    timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['reconcile-sites']),
    memorySize: 1024,
    environment: (context) => ({
      TABLE_NAME: context.table.tableName,
      SYNC_QUEUE_URL: context.syncQueue.queueUrl,
      ...salesforceEnvironment(context),
    }),
    wire: (fn, context) => {
      context.table.grantReadWriteData(fn);
      context.syncQueue.grantSendMessages(fn);
      grantTokenKey(fn, context);
      context.salesforceClientSecret.grantRead(fn);
      acknowledgeTableIndexes(fn, context.dataExportNames);
      acknowledgeDataKeyActions(fn);
      // One run at a time is enough: a run that is late or retried only repeats pages, which
      // the watermark and the worker's freshness checks make harmless.
      const role = new Role(fn, 'ScheduleRole', {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
        description: 'Lets the reconciliation schedule invoke its function, and nothing else',
      });
      const stack = Stack.of(fn);
      const functionId = stack.resolve(stack.getLogicalId(fn.node.defaultChild as CfnFunction));
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason:
          "The scheduler target's grant covers the function's versions and aliases (lambda:InvokeFunction on its ARN and ARN:*); it reaches no other function.",
      });
      new Schedule(fn, 'Schedule', {
        description: 'Reconciles every connected site with its Salesforce org',
        schedule: ScheduleExpression.rate(Duration.minutes(context.config.reconcileIntervalMinutes)),
        target: new LambdaInvoke(fn, { role, retryAttempts: 0 }),
      });
    },
  },
  'run-sync-now': {
    description: 'Synchronize now: queries one page of Salesforce records and queues them for the worker',
    timeout: SYNC_RUN_TIMEOUT,
    memorySize: 1024,
    environment: (context) => ({
      TABLE_NAME: context.table.tableName,
      SYNC_QUEUE_URL: context.syncQueue.queueUrl,
      SYNC_RUN_QUEUE_URL: context.syncRunQueue.queueUrl,
      ...salesforceEnvironment(context),
    }),
    wire: (fn, context) => {
      context.table.grantReadWriteData(fn);
      // Each page's records go to the worker's queue.
      context.syncQueue.grantSendMessages(fn);
      // Consume comes with the event source; sending hands the next page to this queue.
      context.syncRunQueue.grantSendMessages(fn);
      grantTokenKey(fn, context);
      context.salesforceClientSecret.grantRead(fn);
      acknowledgeTableIndexes(fn, context.dataExportNames);
      acknowledgeDataKeyActions(fn);
      fn.addEventSource(
        new SqsEventSource(context.syncRunQueue, {
          // One page per invocation: a page is already up to 2000 records.
          batchSize: 1,
          reportBatchItemFailures: true,
          // Bounds the load on each Salesforce org's API limit and on the sync queue (2 is the
          // lowest maximum concurrency SQS event sources accept).
          maxConcurrency: 2,
        }),
      );
    },
  },
  'admin-api': {
    description:
      'Admin API: sites, users, settings, the Salesforce connection and setup, quote edits and reads',
    timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['admin-api']),
    memorySize: 1024,
    environment: (context) => ({
      TABLE_NAME: context.table.tableName,
      PUBLIC_BASE_URL: context.publicBaseUrl,
      OUTBOUND_BASE_URL: context.outboundBaseUrl,
      SIGN_IN_PROVIDER: 'cognito',
      SIGN_IN_URL: context.signIn.url,
      SIGN_IN_CLIENT_ID: context.signIn.clientId,
      WEBHOOK_KEY_ID: context.webhookKey.keyArn,
      ...salesforceEnvironment(context),
    }),
    wire: (fn, context) => {
      context.table.grantReadWriteData(fn);
      grantTokenKey(fn, context);
      context.webhookKey.grant(fn, 'kms:GenerateMac');
      context.salesforceClientSecret.grantRead(fn);
      acknowledgeTableIndexes(fn, context.dataExportNames);
      acknowledgeDataKeyActions(fn);
    },
  },
  'quote-actions': {
    description:
      'Quote actions: Send to Salesforce with the quote PDF, starting Synchronize-now runs, retrying failed notifications',
    timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['quote-actions']),
    memorySize: 1024,
    // Quote PDFs are set in embedded fonts, read from files beside the bundle.
    bundledFiles: quoteFontBundleFiles,
    environment: (context) => ({
      TABLE_NAME: context.table.tableName,
      SYNC_RUN_QUEUE_URL: context.syncRunQueue.queueUrl,
      // A retried notification goes to the worker's queue.
      SYNC_QUEUE_URL: context.syncQueue.queueUrl,
      BUCKET_NAME: context.bucket.bucketName,
      // Quote PDFs are written with SSE-KMS under the bucket's own key (the data key).
      DOCUMENTS_KEY_ID: context.dataKey.keyArn,
      ...salesforceEnvironment(context),
    }),
    wire: (fn, context) => {
      context.table.grantReadWriteData(fn);
      // Starting a run queues its first page.
      context.syncRunQueue.grantSendMessages(fn);
      // Retrying a failed notification queues it for the worker.
      context.syncQueue.grantSendMessages(fn);
      // With the bucket's encryptionKey, this also grants kms:Decrypt and kms:GenerateDataKey*
      // on the data key, which SSE-KMS PutObject and GetObject under DOCUMENTS_KEY_ID need.
      context.bucket.grantReadWrite(fn);
      grantTokenKey(fn, context);
      context.salesforceClientSecret.grantRead(fn);
      acknowledgeTableIndexes(fn, context.dataExportNames);
      acknowledgeDataKeyActions(fn);
      acknowledgeBucketObjects(fn, context.dataExportNames);
    },
  },
} satisfies Record<string, HandlerDefinition>;

export type HandlerName = keyof typeof handlerDefinitions;

/** A function the stateful stack runs for a resource of its own (the user pool's trigger). */
export interface TriggerDefinition {
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: (table: ITable) => Record<string, string>;
  readonly wire: (fn: HouseFunction, table: ITable) => void;
}

/**
 * Functions that belong to a stateful resource: Cognito calls the pre-token-generation trigger
 * at every sign-in, and a pool's triggers must be in its own stack (the service stack depends on
 * that one, never the other way round).
 */
export const triggerDefinitions = {
  'add-site-claims': {
    description: "Cognito pre-token-generation trigger: the person's role per site in the sites claim",
    // Cognito waits 5 s for a trigger; one index query is milliseconds.
    timeout: Duration.seconds(5),
    memorySize: 512,
    environment: (table) => ({ TABLE_NAME: table.tableName }),
    wire: (fn, table) => {
      table.grantReadData(fn);
    },
  },
} satisfies Record<string, TriggerDefinition>;

export type TriggerName = keyof typeof triggerDefinitions;
export const triggerNames = Object.keys(triggerDefinitions) as TriggerName[];

/** The triggers whose `lambdas/<name>/handler.ts` exists now. */
export function presentTriggers(root: string = REPOSITORY_ROOT): TriggerName[] {
  return triggerNames.filter((name) => existsSync(handlerEntry(name, root)));
}

export const handlerNames = Object.keys(handlerDefinitions) as HandlerName[];

/** The defined handlers whose `lambdas/<name>/handler.ts` exists now. */
export function presentHandlers(root: string = REPOSITORY_ROOT): HandlerName[] {
  return handlerNames.filter((name) => existsSync(handlerEntry(name, root)));
}
