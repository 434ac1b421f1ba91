import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  readonly email: string;
}

export interface HouseAlarmProps {
  readonly description: string;
  readonly metric: IMetric;
  /** The alarm fires when the metric is at or above this value. */
  readonly threshold: number;
  /** @default 1 */
  readonly evaluationPeriods?: number;
}

/**
 * An encrypted SNS topic with an e-mail subscription, and the alarms that notify it.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    // CloudWatch cannot publish to a topic encrypted with the AWS managed aws/sns key, so the
    // topic gets its own key that lets the CloudWatch service use it, for this account only.
    // https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
    const key = new Key(this, 'Key', {
      description: 'Encrypts the quote-sync alarm topic',
      enableKeyRotation: true,
      // It protects only transient notifications; a retained key would outlive the topic.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.topic = new Topic(this, 'Topic', { masterKey: key, enforceSSL: true });
    key.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': this.topic.env.account },
      }),
      'kms:Decrypt',
      'kms:GenerateDataKey',
    );
    this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  /** A one-minute alarm that notifies the topic on ALARM and on OK. */
  addAlarm(id: string, props: HouseAlarmProps): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      // No data means no traffic, not a failure.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}

export const ONE_MINUTE = Duration.minutes(1);
export const FIVE_MINUTES = Duration.minutes(5);
