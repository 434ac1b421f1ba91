import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface HouseQueueProps {
  /**
   * At least six times the consumer's timeout: a Lambda event source can hold a message for
   * the function's timeout plus its batching window, and retries need headroom.
   * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
   */
  readonly visibilityTimeout: Duration;
  /** Encrypts both queues with this customer-managed key. */
  readonly encryptionKey: IKey;
  /** @default 4 days (the SQS default) */
  readonly retentionPeriod?: Duration;
  /** @default 14 days (the SQS maximum) */
  readonly deadLetterRetentionPeriod?: Duration;
  /** @default 5 */
  readonly maxReceiveCount?: number;
}

/**
 * A standard queue with its dead-letter queue and the house defaults: KMS encryption, TLS-only
 * access (`aws:SecureTransport` deny), both retained, and a DLQ that keeps messages longer than
 * the source.
 */
export class HouseQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: HouseQueueProps) {
    super(scope, id);
    const retentionPeriod = props.retentionPeriod ?? Duration.days(4);
    const deadLetterRetentionPeriod = props.deadLetterRetentionPeriod ?? Duration.days(14);
    // A message keeps its original enqueue time when it moves to a standard DLQ, so a DLQ with
    // the same retention would drop old messages at once.
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    if (deadLetterRetentionPeriod.toSeconds() <= retentionPeriod.toSeconds()) {
      throw new Error(`${id}: the dead-letter queue must retain messages longer than the queue`);
    }
    const encryption = {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      // Fewer KMS calls (and cost) per message; five minutes is the SQS default made explicit.
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      // Messages in flight are data: a deleted or replaced queue would drop them (CDK's default
      // for queues is DESTROY, unlike tables and buckets).
      removalPolicy: RemovalPolicy.RETAIN,
    };

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      ...encryption,
      retentionPeriod: deadLetterRetentionPeriod,
    });
    this.queue = new Queue(this, 'Queue', {
      ...encryption,
      retentionPeriod,
      visibilityTimeout: props.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
  }
}
