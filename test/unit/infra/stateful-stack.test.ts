import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { SYNC_RUN_TIMEOUT, SYNC_WORKER_TIMEOUT } from '../../../infra/handlers';
import { resourcesOf, synthesizeAll } from './support';

const { stateful, infra } = synthesizeAll();

describe('stateful stack: table', () => {
  it('is one on-demand table with pk/sk, gsi1, gsi2 and the expiresAt TTL', () => {
    stateful.resourceCountIs('AWS::DynamoDB::Table', 1);
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith(
        ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
      ),
      GlobalSecondaryIndexes: ['gsi1', 'gsi2'].map((index) => ({
        IndexName: index,
        KeySchema: [
          { AttributeName: `${index}pk`, KeyType: 'HASH' },
          { AttributeName: `${index}sk`, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('has point-in-time recovery, deletion protection and customer-managed encryption', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [stateful_logicalId('DataKey'), 'Arn'] },
      },
    });
    stateful.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('stateful stack: keys', () => {
  it('rotates both encryption keys and retains every key', () => {
    const keys = resourcesOf(stateful, 'AWS::KMS::Key');
    expect(Object.keys(keys)).toHaveLength(3);
    const encryption = Object.values(keys).filter((key) => key.Properties?.KeySpec === undefined);
    expect(encryption).toHaveLength(2);
    for (const key of encryption) {
      expect(key.Properties?.EnableKeyRotation).toBe(true);
    }
    stateful.allResources('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });

  it('derives webhook secrets with an HMAC key that only generates and verifies MACs', () => {
    stateful.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  });
});

describe('stateful stack: buckets', () => {
  it('blocks public access, enforces TLS and owner-enforced objects on every bucket', () => {
    const buckets = resourcesOf(stateful, 'AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(2);
    stateful.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    for (const logicalId of Object.keys(buckets)) {
      stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('keeps documents versioned, KMS-encrypted with the data key, and logs access', () => {
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [stateful_logicalId('DataKey'), 'Arn'] },
            },
          },
        ],
      },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'data-bucket/' },
    });
  });
});

describe('stateful stack: queues', () => {
  const queues = resourcesOf(stateful, 'AWS::SQS::Queue');

  it('is the sync queue and the sync-run queue, each with its DLQ', () => {
    expect(Object.keys(queues).sort()).toEqual(
      [
        logicalIdOf(infra.stateful.syncQueue),
        logicalIdOf(infra.stateful.syncDeadLetterQueue),
        logicalIdOf(infra.stateful.syncRunQueue),
        logicalIdOf(infra.stateful.syncRunDeadLetterQueue),
      ].sort(),
    );
  });

  it('encrypts every queue with the data key', () => {
    stateful.allResourcesProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [stateful_logicalId('DataKey'), 'Arn'] },
    });
  });
});

describe.each([
  ['sync', () => infra.stateful.syncQueue, () => infra.stateful.syncDeadLetterQueue, SYNC_WORKER_TIMEOUT],
  [
    'sync-run',
    () => infra.stateful.syncRunQueue,
    () => infra.stateful.syncRunDeadLetterQueue,
    SYNC_RUN_TIMEOUT,
  ],
] as const)('stateful stack: %s queue', (_name, queue, deadLetterQueue, consumerTimeout) => {
  const queues = resourcesOf(stateful, 'AWS::SQS::Queue');
  const sourceId = logicalIdOf(queue());
  const deadLetterId = logicalIdOf(deadLetterQueue());
  const source = queues[sourceId];
  const deadLetter = queues[deadLetterId];

  it('has a DLQ with maxReceiveCount 5', () => {
    expect(source?.Properties?.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(deadLetter?.Properties?.RedrivePolicy).toBeUndefined();
  });

  it("hides a message for at least six times its consumer's timeout", () => {
    const visibility = Number(source?.Properties?.VisibilityTimeout);
    expect(visibility).toBeGreaterThanOrEqual(6 * consumerTimeout.toSeconds());
  });

  it('keeps dead letters longer than the queue keeps messages', () => {
    const queueRetention = Number(source?.Properties?.MessageRetentionPeriod);
    const deadLetterRetention = Number(deadLetter?.Properties?.MessageRetentionPeriod);
    expect(queueRetention).toBeGreaterThan(0);
    expect(deadLetterRetention).toBeGreaterThan(queueRetention);
  });

  it('retains both queues and denies plain HTTP on each', () => {
    for (const logicalId of [sourceId, deadLetterId]) {
      expect(queues[logicalId]).toBeDefined();
      stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
    const retained = stateful.findResources('AWS::SQS::Queue', { DeletionPolicy: 'Retain' });
    expect(Object.keys(retained)).toEqual(expect.arrayContaining([sourceId, deadLetterId]));
  });
});

describe('stateful stack: protection and contract', () => {
  it('has termination protection', () => {
    expect(infra.stateful.terminationProtection).toBe(true);
  });

  it('exports its resources under fixed names for the service stack', () => {
    const outputs = stateful.findOutputs('*');
    const exportNames = Object.values(outputs).map((output) => (output.Export as { Name: string }).Name);
    expect(exportNames.sort()).toEqual(
      [
        'BucketArn',
        'BucketName',
        'DataKeyArn',
        'SignInUrl',
        'SyncDeadLetterQueueArn',
        'SyncDeadLetterQueueUrl',
        'SyncQueueArn',
        'SyncQueueUrl',
        'SyncRunDeadLetterQueueArn',
        'SyncRunQueueArn',
        'SyncRunQueueUrl',
        'TableArn',
        'TokenKeyArn',
        'UserPoolArn',
        'WebhookKeyArn',
      ].map((name) => `QuoteSync-dev-${name}`),
    );
  });
});

function stateful_logicalId(constructId: string): string {
  const child = infra.stateful.node.findChild(constructId).node.defaultChild;
  if (child === undefined) throw new Error(`no ${constructId}`);
  return infra.stateful.getLogicalId(child as import('aws-cdk-lib').CfnElement);
}

function logicalIdOf(queue: Queue): string {
  return infra.stateful.getLogicalId(queue.node.defaultChild as CfnElement);
}
