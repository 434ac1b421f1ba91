import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CfnStage,
  type DomainMappingOptions,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  SecurityPolicy,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import {
  CfnManagedLoginBranding,
  OAuthScope,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/adapters/metrics/powertools-metrics';
import { gatewayRoutes, OUTBOUND_ROUTE_PATH } from '../api-routes';
import type { StageConfig } from '../config/stages';
import { CONSOLE_DIST } from '../console-assets';
import { AlarmTopic, FIVE_MINUTES, ONE_MINUTE } from '../constructs/alarm-topic';
import { ConsoleSite } from '../constructs/console-site';
import { HouseFunction } from '../constructs/house-function';
import {
  type HandlerContext,
  type HandlerDefinition,
  type HandlerName,
  handlerDefinitions,
  handlerEntry,
  presentHandlers,
  REPOSITORY_ROOT,
} from '../handlers';
import { type DataReferences, ImportedData } from './data-contract';

export interface ServiceStackProps extends StackProps {
  readonly config: StageConfig;
  /** Prefix of the stateful stack's named exports, e.g. `QuoteSync-dev`. */
  readonly dataExportPrefix: string;
  /** Where lambdas/ lives; tests point it elsewhere. @default the repository root */
  readonly repositoryRoot?: string;
}

/**
 * The access log line. It names the route template and never `$context.path`: the outbound
 * path carries the site's webhook secret.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  caller: '$context.identity.userArn',
} as const;

/**
 * Salesforce sends at most 100 notifications per message and retries with back-off, so a few
 * requests per second per org is normal; these limits protect the queue and the table from a
 * flood on the open route. HTTP APIs accept bodies up to 10 MB; the ack Lambda caps them at
 * 1 MiB (MAX_OUTBOUND_BODY_BYTES) and answers 413 above that.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 */
export const OUTBOUND_THROTTLE: Required<ThrottleSettings> = { rateLimit: 50, burstLimit: 100 };
export const ADMIN_THROTTLE: Required<ThrottleSettings> = { rateLimit: 20, burstLimit: 40 };

/**
 * Everything that can be rebuilt from code: the functions, the two HTTP APIs, the alarms.
 */
export class ServiceStack extends Stack {
  readonly functions = new Map<HandlerName, HouseFunction>();
  readonly outboundApi: HttpApi;
  readonly adminApi: HttpApi;
  readonly alarms: AlarmTopic;
  readonly data: DataReferences;
  readonly console: ConsoleSite;
  readonly consoleClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config } = props;
    const data = new ImportedData(this, 'Data', props.dataExportPrefix);
    this.data = data;
    const root = props.repositoryRoot ?? REPOSITORY_ROOT;

    // The outbound API is its own API so that mutual TLS and the disabled execute-api endpoint
    // apply to Salesforce's route only; the OAuth callback must stay reachable from a browser.
    const domain = config.domain;
    this.outboundApi = new HttpApi(this, 'OutboundApi', {
      description: 'Receives Salesforce outbound messages',
      createDefaultStage: false,
      disableExecuteApiEndpoint: domain !== undefined,
    });
    const outboundDomain =
      domain === undefined
        ? undefined
        : new DomainName(this, 'OutboundDomain', {
            domainName: domain.name,
            certificate: Certificate.fromCertificateArn(this, 'OutboundCertificate', domain.certificateArn),
            securityPolicy: SecurityPolicy.TLS_1_2,
            mtls: {
              bucket: Bucket.fromBucketName(this, 'Truststore', truststoreBucket(domain.truststoreUri)),
              key: truststoreKey(domain.truststoreUri),
              ...(domain.truststoreVersion === undefined ? {} : { version: domain.truststoreVersion }),
            },
          });
    const outboundStage = this.addLoggedStage(
      'OutboundStage',
      this.outboundApi,
      OUTBOUND_THROTTLE,
      outboundDomain === undefined ? undefined : { domainName: outboundDomain },
    );
    // Route-level limits on the open route, in addition to the stage default.
    const outboundCfnStage = outboundStage.node.defaultChild as CfnStage;
    outboundCfnStage.routeSettings = {
      [`POST ${OUTBOUND_ROUTE_PATH}`]: {
        throttlingRateLimit: OUTBOUND_THROTTLE.rateLimit,
        throttlingBurstLimit: OUTBOUND_THROTTLE.burstLimit,
      },
    };

    this.adminApi = new HttpApi(this, 'AdminApi', {
      description: 'Admin API of salesforce-quote-sync and the Salesforce OAuth callback',
      createDefaultStage: false,
    });
    this.addLoggedStage('AdminStage', this.adminApi, ADMIN_THROTTLE);

    // The console and the admin API on one origin; its URL is the API's public base URL, so the
    // Salesforce OAuth callback lands on the console's origin too.
    this.console = new ConsoleSite(this, 'Console', {
      api: this.adminApi,
      signInUrl: data.signInUrl,
      distDir: join(root, CONSOLE_DIST),
      ...(config.console ? { domain: config.console } : {}),
      ...(config.console?.webAclArn ? { webAclArn: config.console.webAclArn } : {}),
    });
    // The console's app client: a public client (PKCE, no secret), authorization code only.
    this.consoleClient = data.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'console',
      generateSecret: false,
      // No API sign-in flow (password, SRP, custom): managed login only, plus refreshing its
      // tokens. A named flow set to false makes CDK write ALLOW_REFRESH_TOKEN_AUTH alone, where
      // an empty object would leave Cognito's defaults (SRP and custom auth) on.
      authFlows: { userSrp: false },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${this.console.url}/`],
        logoutUrls: [`${this.console.url}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // Managed login's pages for this client, in Cognito's own style.
    new CfnManagedLoginBranding(this, 'ManagedLoginBranding', {
      userPoolId: data.userPool.userPoolId,
      clientId: this.consoleClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    // API Gateway checks the access token (issuer, client, expiry) and hands its claims on.
    const adminAuthorizer: IHttpRouteAuthorizer = new HttpUserPoolAuthorizer(
      'ConsoleAuthorizer',
      data.userPool,
      { userPoolClients: [this.consoleClient], userPoolRegion: this.region },
    );

    const context: HandlerContext = {
      config,
      dataExportNames: data.exportNames,
      table: data.table,
      bucket: data.bucket,
      dataKey: data.dataKey,
      syncQueue: data.syncQueue,
      syncDeadLetterQueue: data.syncDeadLetterQueue,
      syncRunQueue: data.syncRunQueue,
      tokenKey: data.tokenKey,
      webhookKey: data.webhookKey,
      salesforceClientSecret: Secret.fromSecretNameV2(
        this,
        'SalesforceClientSecret',
        config.salesforceClientSecretName,
      ),
      publicBaseUrl: this.console.url,
      signIn: { url: data.signInUrl, clientId: this.consoleClient.userPoolClientId },
      outboundBaseUrl: domain === undefined ? this.outboundApi.apiEndpoint : `https://${domain.name}`,
    };

    for (const name of presentHandlers(root)) {
      const definition: HandlerDefinition = handlerDefinitions[name];
      const fn = new HouseFunction(this, `${pascalCase(name)}Function`, {
        handlerName: name,
        entry: handlerEntry(name, root),
        projectRoot: root,
        description: definition.description,
        timeout: definition.timeout,
        memorySize: definition.memorySize,
        logLevel: config.logLevel,
        environment: definition.environment(context),
        runtimeAwsSdk: definition.runtimeAwsSdk ?? false,
        esModules: definition.esModules ?? false,
        ...(definition.bundledFiles ? { bundledFiles: definition.bundledFiles() } : {}),
      });
      definition.wire(fn, context);
      this.functions.set(name, fn);
    }
    this.addRoutes(adminAuthorizer);

    this.alarms = new AlarmTopic(this, 'Alarms', { email: config.alarmEmail });
    this.addAlarms(data);

    new CfnOutput(this, 'OutboundBaseUrl', { value: context.outboundBaseUrl });
    new CfnOutput(this, 'ConsoleUrl', { value: `${context.publicBaseUrl}/` });
    new CfnOutput(this, 'AdminApiUrl', { value: context.publicBaseUrl });
    new CfnOutput(this, 'ConsoleClientId', { value: this.consoleClient.userPoolClientId });
  }

  /** The routes of infra/api-routes.ts, each to its function (the local gateway serves the same). */
  private addRoutes(adminAuthorizer: IHttpRouteAuthorizer): void {
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of gatewayRoutes()) {
      const fn = this.functions.get(route.function);
      if (fn === undefined) continue;
      let integration = integrations.get(route.function);
      if (integration === undefined) {
        integration = new HttpLambdaIntegration(`${pascalCase(route.function)}Integration`, fn);
        integrations.set(route.function, integration);
      }
      const [created] = (route.api === 'outbound' ? this.outboundApi : this.adminApi).addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration,
        authorizer: route.authorized ? adminAuthorizer : new HttpNoneAuthorizer(),
      });
      if (created !== undefined && !route.authorized) {
        Validations.of(created).acknowledge({ id: 'AwsSolutions-APIG4', reason: route.openBecause ?? '' });
      }
    }
  }

  private addLoggedStage(
    id: string,
    api: HttpApi,
    throttle: ThrottleSettings,
    domainMapping?: DomainMappingOptions,
  ): HttpStage {
    const logGroup = new LogGroup(this, `${id}AccessLogs`, { retention: RetentionDays.THREE_MONTHS });
    return new HttpStage(this, id, {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      ...(domainMapping === undefined ? {} : { domainMapping }),
      accessLogSettings: {
        destination: new LogGroupLogDestination(logGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
  }

  private addAlarms(data: DataReferences): void {
    const { alarms } = this;
    alarms.addAlarm('SyncDeadLetterQueueNotEmpty', {
      description: 'Sync messages failed 5 times and wait in the DLQ: inspect, fix, then redrive them.',
      metric: data.syncDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: ONE_MINUTE,
        statistic: Stats.MAXIMUM,
      }),
      threshold: 1,
    });
    alarms.addAlarm('SyncRunDeadLetterQueueNotEmpty', {
      description:
        'A "Synchronize now" page failed 5 times and waits in the DLQ: its run has stalled; inspect, fix, then redrive it.',
      metric: data.syncRunDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: ONE_MINUTE,
        statistic: Stats.MAXIMUM,
      }),
      threshold: 1,
    });
    alarms.addAlarm('SyncQueueOldestMessageAge', {
      description:
        'The oldest sync message has waited over 15 minutes: the worker is failing, throttled, or a site needs reconnecting.',
      metric: data.syncQueue.metricApproximateAgeOfOldestMessage({
        period: FIVE_MINUTES,
        statistic: Stats.MAXIMUM,
      }),
      threshold: 15 * 60,
    });
    alarms.addAlarm('OutboundApi5xx', {
      description:
        'The outbound-message endpoint answered 5xx: Salesforce will retry, but notifications are not being queued.',
      metric: this.outboundApi.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      threshold: 1,
    });
    for (const [name, fn] of this.functions) {
      alarms.addAlarm(`${pascalCase(name)}Errors`, {
        description: `The ${name} function failed (uncaught errors or timeouts).`,
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: 1,
      });
    }
    const worker = this.functions.get('sync-worker');
    if (worker !== undefined) {
      // The worker's EMF metrics (shared/adapters/metrics): failed for good, not deferrals.
      const workerMetric = (metricName: string) =>
        new Metric({
          namespace: METRICS_NAMESPACE,
          metricName,
          dimensionsMap: { service: 'sync-worker' },
          statistic: Stats.SUM,
          period: FIVE_MINUTES,
        });
      alarms.addAlarm('SyncFailedOutcomeRate', {
        description:
          'Over 5% of the notifications synced in each of the last 15 minutes failed for good: the sync log (GET /sites/{siteId}/salesforce/log) says why.',
        metric: new MathExpression({
          expression: 'IF(notifications > 0, 100 * failed / notifications, 0)',
          usingMetrics: {
            failed: workerMetric('SyncFailed'),
            notifications: workerMetric('SyncNotifications'),
          },
          label: 'Failed outcomes (%)',
          period: FIVE_MINUTES,
        }),
        threshold: 5,
        evaluationPeriods: 3,
      });
      alarms.addAlarm('SyncWorkerThrottles', {
        description: 'The sync worker was throttled: the account or its reserved concurrency is exhausted.',
        metric: worker.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: 1,
      });
    }
  }
}

function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}

function truststoreBucket(uri: string): string {
  return uri.slice('s3://'.length).split('/', 1)[0] ?? '';
}

function truststoreKey(uri: string): string {
  return uri.slice('s3://'.length).split('/').slice(1).join('/');
}
