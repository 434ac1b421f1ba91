import { Fn, type Stack } from 'aws-cdk-lib';
import { type IUserPool, UserPool } from 'aws-cdk-lib/aws-cognito';
import { type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { type IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * The stateful stack hands its resources to the service stack through CloudFormation exports
 * with fixed, readable names, instead of the generated ones CDK makes for direct references.
 * The names are the contract between the two stacks: an export in use cannot be removed or
 * changed, which protects the data while the service depends on it, and the IAM findings that
 * cdk-nag reports against these references have names we can acknowledge one by one.
 */
export function dataExportNames(prefix: string) {
  return {
    tableArn: `${prefix}-TableArn`,
    bucketArn: `${prefix}-BucketArn`,
    bucketName: `${prefix}-BucketName`,
    dataKeyArn: `${prefix}-DataKeyArn`,
    tokenKeyArn: `${prefix}-TokenKeyArn`,
    webhookKeyArn: `${prefix}-WebhookKeyArn`,
    syncQueueArn: `${prefix}-SyncQueueArn`,
    syncQueueUrl: `${prefix}-SyncQueueUrl`,
    syncDeadLetterQueueArn: `${prefix}-SyncDeadLetterQueueArn`,
    syncDeadLetterQueueUrl: `${prefix}-SyncDeadLetterQueueUrl`,
    syncRunQueueArn: `${prefix}-SyncRunQueueArn`,
    syncRunQueueUrl: `${prefix}-SyncRunQueueUrl`,
    syncRunDeadLetterQueueArn: `${prefix}-SyncRunDeadLetterQueueArn`,
    userPoolArn: `${prefix}-UserPoolArn`,
    signInUrl: `${prefix}-SignInUrl`,
  };
}

export type DataExportNames = ReturnType<typeof dataExportNames>;

export const TABLE_INDEXES = ['gsi1', 'gsi2'] as const;

/** The stack that owns the data, as exportData reads it (a shape, so this module imports no stack). */
export type ExportingStack = Stack & Omit<DataReferences, 'exportNames'>;

export function exportData(stack: ExportingStack, prefix: string): void {
  const names = dataExportNames(prefix);
  const values: Record<keyof DataExportNames, string> = {
    tableArn: stack.table.tableArn,
    bucketArn: stack.bucket.bucketArn,
    bucketName: stack.bucket.bucketName,
    dataKeyArn: stack.dataKey.keyArn,
    tokenKeyArn: stack.tokenKey.keyArn,
    webhookKeyArn: stack.webhookKey.keyArn,
    syncQueueArn: stack.syncQueue.queueArn,
    syncQueueUrl: stack.syncQueue.queueUrl,
    syncDeadLetterQueueArn: stack.syncDeadLetterQueue.queueArn,
    syncDeadLetterQueueUrl: stack.syncDeadLetterQueue.queueUrl,
    syncRunQueueArn: stack.syncRunQueue.queueArn,
    syncRunQueueUrl: stack.syncRunQueue.queueUrl,
    syncRunDeadLetterQueueArn: stack.syncRunDeadLetterQueue.queueArn,
    userPoolArn: stack.userPool.userPoolArn,
    signInUrl: stack.signInUrl,
  };
  for (const key of Object.keys(names) as (keyof DataExportNames)[]) {
    stack.exportValue(values[key], { name: names[key], description: `salesforce-quote-sync ${key}` });
  }
}

export interface DataReferences {
  readonly exportNames: DataExportNames;
  readonly table: ITable;
  readonly bucket: IBucket;
  readonly dataKey: IKey;
  readonly tokenKey: IKey;
  readonly webhookKey: IKey;
  readonly syncQueue: IQueue;
  readonly syncDeadLetterQueue: IQueue;
  readonly syncRunQueue: IQueue;
  readonly syncRunDeadLetterQueue: IQueue;
  readonly userPool: IUserPool;
  /** The base URL of the user pool's managed login (the Cognito domain). */
  readonly signInUrl: string;
}

/** The stateful resources, as seen from another stack through the named exports. */
export class ImportedData extends Construct implements DataReferences {
  readonly exportNames: DataExportNames;
  readonly table: ITable;
  readonly bucket: IBucket;
  readonly dataKey: IKey;
  readonly tokenKey: IKey;
  readonly webhookKey: IKey;
  readonly syncQueue: IQueue;
  readonly syncDeadLetterQueue: IQueue;
  readonly syncRunQueue: IQueue;
  readonly syncRunDeadLetterQueue: IQueue;
  readonly userPool: IUserPool;
  readonly signInUrl: string;

  constructor(scope: Stack, id: string, prefix: string) {
    super(scope, id);
    const names = dataExportNames(prefix);
    this.exportNames = names;
    this.dataKey = Key.fromKeyArn(this, 'DataKey', Fn.importValue(names.dataKeyArn));
    this.tokenKey = Key.fromKeyArn(this, 'TokenKey', Fn.importValue(names.tokenKeyArn));
    this.webhookKey = Key.fromKeyArn(this, 'WebhookKey', Fn.importValue(names.webhookKeyArn));
    this.table = Table.fromTableAttributes(this, 'Table', {
      tableArn: Fn.importValue(names.tableArn),
      encryptionKey: this.dataKey,
      globalIndexes: [...TABLE_INDEXES],
    });
    this.bucket = Bucket.fromBucketAttributes(this, 'Bucket', {
      bucketArn: Fn.importValue(names.bucketArn),
      bucketName: Fn.importValue(names.bucketName),
      encryptionKey: this.dataKey,
    });
    this.syncQueue = Queue.fromQueueAttributes(this, 'SyncQueue', {
      queueArn: Fn.importValue(names.syncQueueArn),
      queueUrl: Fn.importValue(names.syncQueueUrl),
      keyArn: Fn.importValue(names.dataKeyArn),
    });
    this.syncDeadLetterQueue = Queue.fromQueueAttributes(this, 'SyncDeadLetterQueue', {
      queueArn: Fn.importValue(names.syncDeadLetterQueueArn),
      queueUrl: Fn.importValue(names.syncDeadLetterQueueUrl),
      keyArn: Fn.importValue(names.dataKeyArn),
    });
    this.syncRunQueue = Queue.fromQueueAttributes(this, 'SyncRunQueue', {
      queueArn: Fn.importValue(names.syncRunQueueArn),
      queueUrl: Fn.importValue(names.syncRunQueueUrl),
      keyArn: Fn.importValue(names.dataKeyArn),
    });
    this.syncRunDeadLetterQueue = Queue.fromQueueAttributes(this, 'SyncRunDeadLetterQueue', {
      queueArn: Fn.importValue(names.syncRunDeadLetterQueueArn),
      keyArn: Fn.importValue(names.dataKeyArn),
    });
    this.userPool = UserPool.fromUserPoolArn(this, 'UserPool', Fn.importValue(names.userPoolArn));
    this.signInUrl = Fn.importValue(names.signInUrl);
  }
}
