import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { UserPool } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledgeOwnTableIndexes } from '../acknowledgements';
import {
  MAX_RECEIVE_COUNT,
  SYNC_QUEUE_VISIBILITY_SECONDS,
  SYNC_RUN_QUEUE_VISIBILITY_SECONDS,
} from '../config/timeouts';
import { HouseBucket } from '../constructs/house-bucket';
import { HouseFunction, type LogLevel } from '../constructs/house-function';
import { HouseQueue } from '../constructs/house-queue';
import { SignInPool } from '../constructs/sign-in-pool';
import {
  handlerEntry,
  presentTriggers,
  REPOSITORY_ROOT,
  type TriggerDefinition,
  triggerDefinitions,
} from '../handlers';
import { exportData, TABLE_INDEXES } from './data-contract';

export interface StatefulStackProps extends StackProps {
  /** Prefix of the named exports the service stack imports, e.g. `QuoteSync-dev`. */
  readonly exportPrefix: string;
  /** The prefix of the sign-in's Cognito domain. */
  readonly signInDomainPrefix: string;
  readonly logLevel: LogLevel;
  /** Where lambdas/ lives (the user pool's trigger). @default the repository root */
  readonly repositoryRoot?: string;
}

/**
 * Everything that holds data: the table, the bucket, the keys that encrypt them, and the sync
 * and sync-run queues with their DLQs (messages in flight are data too: replacing a queue drops them). Nothing
 * here depends on the functions, so the service stack can be torn down and rebuilt freely
 * while this stack keeps termination protection and retained resources.
 */
export class StatefulStack extends Stack {
  readonly dataKey: Key;
  readonly tokenKey: Key;
  readonly webhookKey: Key;
  readonly table: Table;
  readonly bucket: Bucket;
  readonly syncQueue: Queue;
  readonly syncDeadLetterQueue: Queue;
  readonly syncRunQueue: Queue;
  readonly syncRunDeadLetterQueue: Queue;
  readonly signIn: SignInPool;
  readonly userPool: UserPool;
  /** The base URL of the user pool's managed login (its Cognito domain). */
  readonly signInUrl: string;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    // Deliver server access logs through a bucket policy rather than the legacy ACL, which an
    // ObjectOwnership=BucketOwnerEnforced bucket does not accept. Set here, not in cdk.json, so
    // tests that build the stack without cdk.json get the same template.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    // One customer-managed key for the data at rest (table, bucket, queues): its key policy and
    // CloudTrail entries show every use, and disabling it cuts off all data at once. An AWS
    // managed key would do neither.
    this.dataKey = new Key(this, 'DataKey', {
      description: 'Encrypts the quote-sync table, bucket and queues',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Refresh tokens are envelope-encrypted by the code with a key of their own, so only the
    // functions that talk to Salesforce can read them even though others read the table.
    this.tokenKey = new Key(this, 'TokenKey', {
      description: 'Encrypts Salesforce refresh tokens stored in the quote-sync table',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Webhook secrets are HMACs of the site id under this key, computed inside KMS: the table
    // keeps only their hashes, and a deploy can derive a site's secret again. HMAC keys do not
    // rotate (rotation would change every site's secret); a new generation per site rotates one.
    this.webhookKey = new Key(this, 'WebhookKey', {
      description: 'Derives the per-site webhook secrets of the outbound-message URLs',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index,
        partitionKey: { name: `${index}pk`, type: AttributeType.STRING },
        sortKey: { name: `${index}sk`, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    this.bucket = new HouseBucket(this, 'Documents', { encryptionKey: this.dataKey }).bucket;

    const sync = new HouseQueue(this, 'Sync', {
      visibilityTimeout: Duration.seconds(SYNC_QUEUE_VISIBILITY_SECONDS),
      encryptionKey: this.dataKey,
      retentionPeriod: Duration.days(4),
      deadLetterRetentionPeriod: Duration.days(14),
      maxReceiveCount: MAX_RECEIVE_COUNT,
    });
    this.syncQueue = sync.queue;
    this.syncDeadLetterQueue = sync.deadLetterQueue;

    // Pages of "Synchronize now" runs: a page lost with a replaced queue would stall its run.
    const syncRun = new HouseQueue(this, 'SyncRun', {
      visibilityTimeout: Duration.seconds(SYNC_RUN_QUEUE_VISIBILITY_SECONDS),
      encryptionKey: this.dataKey,
      retentionPeriod: Duration.days(4),
      deadLetterRetentionPeriod: Duration.days(14),
      maxReceiveCount: MAX_RECEIVE_COUNT,
    });
    this.syncRunQueue = syncRun.queue;
    this.syncRunDeadLetterQueue = syncRun.deadLetterQueue;

    // The console's people; its trigger reads the site users of the table above.
    const root = props.repositoryRoot ?? REPOSITORY_ROOT;
    let claimsTrigger: HouseFunction | undefined;
    for (const name of presentTriggers(root)) {
      const definition: TriggerDefinition = triggerDefinitions[name];
      claimsTrigger = new HouseFunction(this, 'AddSiteClaimsFunction', {
        handlerName: name,
        entry: handlerEntry(name, root),
        projectRoot: root,
        description: definition.description,
        timeout: definition.timeout,
        memorySize: definition.memorySize,
        logLevel: props.logLevel,
        environment: definition.environment(this.table),
      });
      definition.wire(claimsTrigger, this.table);
      acknowledgeOwnTableIndexes(claimsTrigger, this, this.table);
    }
    this.signIn = new SignInPool(this, 'SignIn', {
      domainPrefix: props.signInDomainPrefix,
      ...(claimsTrigger ? { claimsTrigger } : {}),
    });
    this.userPool = this.signIn.userPool;
    this.signInUrl = this.signIn.domain.baseUrl();

    exportData(this, props.exportPrefix);
  }
}
