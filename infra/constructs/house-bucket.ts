import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface HouseBucketProps {
  readonly encryptionKey: IKey;
  /** Non-current object versions are kept this long, then expire. @default 90 days */
  readonly noncurrentVersionRetention?: Duration;
  /** @default 365 days */
  readonly accessLogRetention?: Duration;
}

const privateBucketDefaults = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  removalPolicy: RemovalPolicy.RETAIN,
};

/**
 * A private, versioned, KMS-encrypted bucket whose server access logs go to a companion bucket.
 */
export class HouseBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogsBucket: Bucket;

  constructor(scope: Construct, id: string, props: HouseBucketProps) {
    super(scope, id);
    // Server access logs can only be delivered to a target bucket encrypted with SSE-S3.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      ...privateBucketDefaults,
      encryption: BucketEncryption.S3_MANAGED,
      lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(365) }],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the server access log target of the data bucket; logging it would log the logs and the delivery is not needed for audit.',
    });

    this.bucket = new Bucket(this, 'Bucket', {
      ...privateBucketDefaults,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      // One data key per bucket instead of one KMS call per object.
      bucketKeyEnabled: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'data-bucket/',
      lifecycleRules: [
        {
          noncurrentVersionExpiration: props.noncurrentVersionRetention ?? Duration.days(90),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
  }
}
