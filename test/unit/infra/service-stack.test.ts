import { Match } from 'aws-cdk-lib/assertions';
import { gatewayRoutes, OUTBOUND_ROUTE_PATH } from '../../../infra/api-routes';
import { handlerDefinitions, handlerNames, MAX_OUTBOUND_BODY_BYTES } from '../../../infra/handlers';
import { handlerFunction, handlerFunctions, resourcesOf, synthesizeAll } from './support';

const { service } = synthesizeAll();

const routeAuthorization = (template: typeof service): Map<string, unknown> => {
  const routes = new Map<string, unknown>();
  for (const route of Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'))) {
    routes.set(String(route.Properties?.RouteKey), route.Properties?.AuthorizationType);
  }
  return routes;
};

describe('service stack: functions', () => {
  it('builds every defined handler as Node.js 24 on ARM64 with its own timeout and memory', () => {
    const functions = handlerFunctions(service);
    expect([...functions.keys()].sort()).toEqual([...handlerNames].sort());
    for (const [name, fn] of functions) {
      const definition = handlerDefinitions[name as keyof typeof handlerDefinitions];
      expect(fn.properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: definition.timeout.toSeconds(),
        MemorySize: definition.memorySize,
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG', LogGroup: expect.anything() },
      });
    }
  });

  it('sizes each function as the handlers expect', () => {
    expect(handlerFunction(service, 'ack-outbound-message').properties).toMatchObject({
      Timeout: 10,
      MemorySize: 512,
    });
    expect(handlerFunction(service, 'sync-worker').properties).toMatchObject({
      Timeout: 60,
      MemorySize: 1024,
    });
    expect(handlerFunction(service, 'admin-api').properties).toMatchObject({ Timeout: 29, MemorySize: 1024 });
    expect(handlerFunction(service, 'quote-actions').properties).toMatchObject({
      Timeout: 29,
      MemorySize: 1024,
    });
    expect(handlerFunction(service, 'run-sync-now').properties).toMatchObject({
      Timeout: 120,
      MemorySize: 1024,
    });
  });

  it('writes to a log group with a retention', () => {
    service.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  // Which variables each function gets is checked against its handler's own config schema
  // (handler-environment.test.ts); here, that they name the stateful stack's exports.
  it("points each handler's variables at the stateful stack's exports", () => {
    const ack = handlerFunction(service, 'ack-outbound-message').properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(ack.Variables.MAX_OUTBOUND_BODY_BYTES).toBe(String(MAX_OUTBOUND_BODY_BYTES));
    expect(ack.Variables.POWERTOOLS_SERVICE_NAME).toBe('ack-outbound-message');
    expect(ack.Variables.SYNC_QUEUE_URL).toEqual({ 'Fn::ImportValue': 'QuoteSync-dev-SyncQueueUrl' });
    const worker = handlerFunction(service, 'sync-worker').properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(worker.Variables.TOKEN_KEY_ID).toEqual({ 'Fn::ImportValue': 'QuoteSync-dev-TokenKeyArn' });
    expect(worker.Variables.SALESFORCE_CLIENT_SECRET_NAME).toBe(
      'salesforce-quote-sync/dev/salesforce-client-secret',
    );
    const runner = handlerFunction(service, 'run-sync-now').properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(runner.Variables.SYNC_QUEUE_URL).toEqual({ 'Fn::ImportValue': 'QuoteSync-dev-SyncQueueUrl' });
    expect(runner.Variables.SYNC_RUN_QUEUE_URL).toEqual({
      'Fn::ImportValue': 'QuoteSync-dev-SyncRunQueueUrl',
    });
    expect(runner.Variables.TOKEN_KEY_ID).toEqual({ 'Fn::ImportValue': 'QuoteSync-dev-TokenKeyArn' });
    const actions = handlerFunction(service, 'quote-actions').properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(actions.Variables.SYNC_RUN_QUEUE_URL).toEqual({
      'Fn::ImportValue': 'QuoteSync-dev-SyncRunQueueUrl',
    });
    // The bucket's own key: objects are written with SSE-KMS under the key the bucket uses.
    expect(actions.Variables.DOCUMENTS_KEY_ID).toEqual({ 'Fn::ImportValue': 'QuoteSync-dev-DataKeyArn' });
  });

  it('feeds the worker from the sync queue in bounded, partially failing batches', () => {
    service.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    service.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: handlerFunction(service, 'sync-worker').logicalId },
      EventSourceArn: { 'Fn::ImportValue': 'QuoteSync-dev-SyncQueueArn' },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('feeds run-sync-now one page at a time from the sync-run queue, at most two at once', () => {
    const mappings = Object.values(resourcesOf(service, 'AWS::Lambda::EventSourceMapping')).filter(
      (mapping) =>
        JSON.stringify(mapping.Properties?.FunctionName) ===
        JSON.stringify({ Ref: handlerFunction(service, 'run-sync-now').logicalId }),
    );
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.Properties).toMatchObject({
      EventSourceArn: { 'Fn::ImportValue': 'QuoteSync-dev-SyncRunQueueArn' },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(mappings[0]?.Properties?.MaximumBatchingWindowInSeconds).toBeUndefined();
  });
});

describe('service stack: HTTP APIs', () => {
  /** Route key → the function its integration invokes. */
  const routeTargets = (template: typeof service): Map<string, string> => {
    const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Integration');
    const functionOf = new Map(
      [...handlerFunctions(template)].map(([name, fn]) => [fn.logicalId, name] as const),
    );
    const targets = new Map<string, string>();
    for (const route of Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'))) {
      const target = JSON.stringify(route.Properties?.Target);
      const integrationId = Object.keys(integrations).find((id) => target.includes(id)) ?? '';
      const uri = JSON.stringify(integrations[integrationId]?.Properties?.IntegrationUri);
      const fn = [...functionOf].find(([logicalId]) => uri.includes(logicalId))?.[1] ?? 'none';
      targets.set(String(route.Properties?.RouteKey), fn);
    }
    return targets;
  };

  it('declares exactly the routes of infra/api-routes.ts, each to its function', () => {
    const expected = new Map(
      gatewayRoutes().map((route) => [`${route.method} ${route.path}`, route.function]),
    );
    expect(Object.fromEntries(routeTargets(service))).toEqual(Object.fromEntries(expected));
  });

  it('sends Send to Salesforce, the PDF and starting a run to quote-actions, the rest to the admin API', () => {
    const targets = routeTargets(service);
    expect(targets.get('POST /sites/{siteId}/quotes/{quoteId}/send-to-salesforce')).toBe('quote-actions');
    expect(targets.get('POST /sites/{siteId}/salesforce/sync')).toBe('quote-actions');
    expect(targets.get('GET /sites/{siteId}/quotes/{quoteId}/pdf')).toBe('quote-actions');
    expect(targets.get('GET /sites/{siteId}/salesforce/sync/{runId}')).toBe('admin-api');
    expect(targets.get('PUT /sites/{siteId}/salesforce/settings')).toBe('admin-api');
    // A wrong method on a known path reaches the admin API, which answers 405.
    expect(targets.get('ANY /sites/{siteId}/quotes/{quoteId}/send-to-salesforce')).toBe('admin-api');
  });

  it('leaves only the outbound route, the OAuth callback, the OpenAPI document and the sign-in configuration open; every admin route needs a Cognito token', () => {
    const routes = routeAuthorization(service);
    const open = [...routes].filter(([, authorization]) => authorization === 'NONE').map(([key]) => key);
    expect(open.sort()).toEqual(
      [
        `POST ${OUTBOUND_ROUTE_PATH}`,
        'GET /salesforce/oauth/callback',
        'ANY /salesforce/oauth/callback',
        'GET /openapi.json',
        'ANY /openapi.json',
        'GET /auth/config',
        'ANY /auth/config',
      ].sort(),
    );
    const admin = [...routes].filter(([key]) => key.includes(' /sites') || key.endsWith(' /me'));
    expect(admin.length).toBeGreaterThan(20);
    for (const [, authorization] of admin) expect(authorization).toBe('JWT');
  });

  it("checks the console's Cognito access tokens: the user pool's issuer, the console's app client", () => {
    service.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    const [authorizer] = Object.values(resourcesOf(service, 'AWS::ApiGatewayV2::Authorizer'));
    const client = Object.keys(resourcesOf(service, 'AWS::Cognito::UserPoolClient'))[0] ?? '';
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: client }] },
    });
    expect(JSON.stringify(authorizer?.Properties?.JwtConfiguration)).toMatch(
      /https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/.*QuoteSync-dev-UserPoolArn/,
    );
    expect(routeAuthorization(service).get(`POST ${OUTBOUND_ROUTE_PATH}`)).toBe('NONE');
  });

  it('throttles the outbound stage and its route', () => {
    service.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      RouteSettings: {
        [`POST ${OUTBOUND_ROUTE_PATH}`]: {
          throttlingRateLimit: Match.anyValue(),
          throttlingBurstLimit: Match.anyValue(),
        },
      },
    });
  });

  it('logs access on both stages without the request path (it carries the webhook secret)', () => {
    const stages = Object.values(resourcesOf(service, 'AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(2);
    for (const stage of stages) {
      const settings = stage.Properties?.AccessLogSettings as { Format: string; DestinationArn: unknown };
      const fields = JSON.parse(settings.Format) as Record<string, string>;
      expect(fields).toMatchObject({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        ip: '$context.identity.sourceIp',
        latency: '$context.responseLatency',
      });
      expect(settings.Format).not.toMatch(/\$context\.(path|rawPath|requestOverride)|\$request\.path/);
    }
  });

  it('keeps the execute-api endpoint without a custom domain', () => {
    service.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    for (const api of Object.values(resourcesOf(service, 'AWS::ApiGatewayV2::Api'))) {
      expect(api.Properties?.DisableExecuteApiEndpoint).not.toBe(true);
    }
  });

  it('serves the outbound API on a mutual-TLS domain and disables its default endpoint when configured', () => {
    const withDomain = synthesizeAll({
      config: {
        domain: {
          name: 'hooks.example.com',
          certificateArn:
            'arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012',
          truststoreUri: 's3://example-truststores/salesforce/client-ca.pem',
        },
      },
    }).service;
    withDomain.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'hooks.example.com',
      DomainNameConfigurations: [Match.objectLike({ SecurityPolicy: 'TLS_1_2', EndpointType: 'REGIONAL' })],
      MutualTlsAuthentication: { TruststoreUri: 's3://example-truststores/salesforce/client-ca.pem' },
    });
    withDomain.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { Stage: '$default' });
    withDomain.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Description: 'Receives Salesforce outbound messages',
      DisableExecuteApiEndpoint: true,
    });
    // The admin API stays on its default endpoint: browsers reach the OAuth callback there.
    withDomain.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Description: Match.stringLikeRegexp('^Admin API'),
      DisableExecuteApiEndpoint: Match.absent(),
    });
    const admin = handlerFunction(withDomain, 'admin-api').properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(admin.Variables.OUTBOUND_BASE_URL).toBe('https://hooks.example.com');
  });
});

describe('service stack: operations', () => {
  const alarms = Object.values(resourcesOf(service, 'AWS::CloudWatch::Alarm'));
  const topics = Object.keys(resourcesOf(service, 'AWS::SNS::Topic'));

  it('has one encrypted alarm topic with the stage e-mail subscribed', () => {
    expect(topics).toHaveLength(1);
    service.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    service.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'alerts@example.com',
      TopicArn: { Ref: topics[0] },
    });
  });

  it('lets CloudWatch (this account only) use the topic key', () => {
    service.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          }),
        ]),
      },
    });
  });

  const alarmOn = (metricName: string, namespace: string) =>
    alarms.filter(
      (alarm) => alarm.Properties?.MetricName === metricName && alarm.Properties?.Namespace === namespace,
    );

  it('alarms on DLQ depth, oldest message age, outbound 5xx, function errors and worker throttles', () => {
    expect(alarmOn('ApproximateNumberOfMessagesVisible', 'AWS/SQS')).toHaveLength(2);
    expect(alarmOn('ApproximateAgeOfOldestMessage', 'AWS/SQS')).toHaveLength(1);
    expect(alarmOn('5xx', 'AWS/ApiGateway')).toHaveLength(1);
    expect(alarmOn('Errors', 'AWS/Lambda')).toHaveLength(handlerNames.length);
    expect(alarmOn('Throttles', 'AWS/Lambda')).toHaveLength(1);
    const deadLetters = alarmOn('ApproximateNumberOfMessagesVisible', 'AWS/SQS');
    for (const alarm of deadLetters) {
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Statistic: 'Maximum',
      });
    }
    // One alarm per DLQ: the queue name is taken from each DLQ's imported ARN.
    const watched = deadLetters.map((alarm) => JSON.stringify(alarm.Properties?.Dimensions));
    expect(
      watched.filter((dimensions) => dimensions.includes('QuoteSync-dev-SyncDeadLetterQueueArn')),
    ).toHaveLength(1);
    expect(
      watched.filter((dimensions) => dimensions.includes('QuoteSync-dev-SyncRunDeadLetterQueueArn')),
    ).toHaveLength(1);
    const errors = alarmOn('Errors', 'AWS/Lambda').map((alarm) =>
      JSON.stringify(alarm.Properties?.Dimensions),
    );
    for (const name of handlerNames) {
      const { logicalId } = handlerFunction(service, name);
      expect(errors.filter((dimensions) => dimensions.includes(`"${logicalId}"`))).toHaveLength(1);
    }
  });

  it("alarms on the worker's failed-outcome rate from its EMF metrics, deferrals excluded", () => {
    const rate = alarms.filter((alarm) => Array.isArray(alarm.Properties?.Metrics));
    expect(rate).toHaveLength(1);
    const properties = rate[0]?.Properties as {
      Threshold: number;
      EvaluationPeriods: number;
      Metrics: { Id: string; Expression?: string; MetricStat?: { Metric: Record<string, unknown> } }[];
    };
    expect(properties).toMatchObject({ Threshold: 5, EvaluationPeriods: 3 });
    expect(properties.Metrics.find((m) => m.Expression)?.Expression).toBe(
      'IF(notifications > 0, 100 * failed / notifications, 0)',
    );
    const used = properties.Metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat?.Metric);
    expect(used).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Namespace: 'QuoteSync', MetricName: 'SyncFailed' }),
        expect.objectContaining({ Namespace: 'QuoteSync', MetricName: 'SyncNotifications' }),
      ]),
    );
    for (const metric of used) {
      expect(metric?.Dimensions).toEqual([{ Name: 'service', Value: 'sync-worker' }]);
    }
  });

  it('sends every alarm and its recovery to the topic', () => {
    expect(alarms.length).toBeGreaterThanOrEqual(5);
    for (const alarm of alarms) {
      expect(alarm.Properties?.AlarmActions).toEqual([{ Ref: topics[0] }]);
      expect(alarm.Properties?.OKActions).toEqual([{ Ref: topics[0] }]);
    }
  });
});
