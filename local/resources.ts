import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  MAX_RECEIVE_COUNT,
  SYNC_QUEUE_VISIBILITY_SECONDS,
  SYNC_RUN_QUEUE_VISIBILITY_SECONDS,
} from '../infra/config/timeouts';
import { tableDefinition } from '../shared/adapters/dynamodb/table';

/**
 * Creates (idempotently) what the CDK stack declares: the table, the sync queue with its DLQ
 * and redrive policy, and the documents bucket. Queue settings mirror infra/ so local retries
 * and dead-lettering behave like the deployed ones.
 */
export interface LocalResources {
  tableName: string;
  syncQueueUrl: string;
  deadLetterQueueUrl: string;
  /** Pages of "Synchronize now" runs, and their DLQ. */
  syncRunQueueUrl: string;
  syncRunDeadLetterQueueUrl: string;
  bucketName: string;
}

export async function createLocalResources(
  prefix: string,
  options: { visibilityTimeoutSeconds?: number } = {},
): Promise<LocalResources> {
  const dynamodb = new DynamoDBClient({});
  const sqs = new SQSClient({});
  const s3 = new S3Client({ forcePathStyle: true });
  const tableName = `${prefix}-table`;
  try {
    await dynamodb.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }

  const sync = await queueWithDeadLetters(
    sqs,
    `${prefix}-sync`,
    options.visibilityTimeoutSeconds ?? SYNC_QUEUE_VISIBILITY_SECONDS,
  );
  const runs = await queueWithDeadLetters(sqs, `${prefix}-sync-runs`, SYNC_RUN_QUEUE_VISIBILITY_SECONDS);

  const bucketName = `${prefix}-documents`;
  await s3.send(new CreateBucketCommand({ Bucket: bucketName })).catch((error: { name?: string }) => {
    if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
  });
  return {
    tableName,
    syncQueueUrl: sync.queueUrl,
    deadLetterQueueUrl: sync.deadLetterQueueUrl,
    syncRunQueueUrl: runs.queueUrl,
    syncRunDeadLetterQueueUrl: runs.deadLetterQueueUrl,
    bucketName,
  };
}

/** A queue and its DLQ, with infra/'s retention and redrive after 5 receives. */
async function queueWithDeadLetters(sqs: SQSClient, name: string, visibilityTimeoutSeconds: number) {
  const dlq = await sqs.send(
    new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: '1209600' } }),
  );
  const deadLetterQueueUrl = required(dlq.QueueUrl, 'DLQ URL');
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        MessageRetentionPeriod: '345600',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: required(Attributes?.QueueArn, 'DLQ ARN'),
          maxReceiveCount: MAX_RECEIVE_COUNT,
        }),
      },
    }),
  );
  return { queueUrl: required(queue.QueueUrl, 'queue URL'), deadLetterQueueUrl };
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new Error(`The emulator returned no ${what}`);
  return value;
}
