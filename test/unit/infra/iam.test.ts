import type { Template } from 'aws-cdk-lib/assertions';
import { handlerFunction, resourcesOf, type Synthesized, synthesizeAll } from './support';

interface Statement {
  Effect: string;
  Action?: string | string[];
  Resource?: unknown;
}

const variants: [string, Synthesized][] = [
  ['defaults', synthesizeAll()],
  [
    'custom domains, a web ACL and a sign-in prefix',
    synthesizeAll({
      config: {
        domain: {
          name: 'hooks.example.com',
          certificateArn:
            'arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012',
          truststoreUri: 's3://example-truststores/client-ca.pem',
        },
        console: {
          domainName: 'console.example.com',
          certificateArn:
            'arn:aws:acm:us-east-1:111111111111:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012',
          webAclArn: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/quote-sync/0f1e2d3c',
        },
        signIn: { domainPrefix: 'acme-quote-sync' },
      },
    }),
  ],
];

/**
 * Identity policies and the resource policies of queues, buckets and topics. Key policies are
 * left out on purpose: in a key policy `"Resource": "*"` is the only form and means "this key".
 */
function policyStatements(template: Template): { source: string; statement: Statement }[] {
  const found: { source: string; statement: Statement }[] = [];
  const add = (source: string, document: unknown) => {
    const statements = (document as { Statement?: Statement[] } | undefined)?.Statement ?? [];
    for (const statement of statements) found.push({ source, statement });
  };
  for (const type of [
    'AWS::IAM::Policy',
    'AWS::SQS::QueuePolicy',
    'AWS::S3::BucketPolicy',
    'AWS::SNS::TopicPolicy',
  ]) {
    for (const [id, resource] of Object.entries(resourcesOf(template, type))) {
      add(`${type} ${id}`, resource.Properties?.PolicyDocument);
    }
  }
  for (const [id, role] of Object.entries(resourcesOf(template, 'AWS::IAM::Role'))) {
    for (const policy of (role.Properties?.Policies ?? []) as { PolicyDocument: unknown }[]) {
      add(`AWS::IAM::Role ${id}`, policy.PolicyDocument);
    }
  }
  return found;
}

const policyOf = (template: Template, roleLogicalId: string): Statement[] => {
  const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties?.Roles).includes(roleLogicalId),
  );
  return policies.flatMap(
    (policy) =>
      (policy.Properties?.PolicyDocument as { Statement?: Statement[] } | undefined)?.Statement ?? [],
  );
};

const roleOf = (template: Template, name: Parameters<typeof handlerFunction>[1]): string => {
  const role = handlerFunction(template, name).properties.Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
};

const actions = (statements: Statement[]): string[] =>
  statements.flatMap((statement) =>
    Array.isArray(statement.Action) ? statement.Action : [statement.Action ?? ''],
  );

describe.each(variants)('IAM (%s)', (_name, synthesized) => {
  const templates = { stateful: synthesized.stateful, service: synthesized.service };

  it('has no statement whose resource is "*"', () => {
    for (const template of Object.values(templates)) {
      const statements = policyStatements(template);
      expect(statements.length).toBeGreaterThan(0);
      for (const { source, statement } of statements) {
        const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        expect({ source, resources }).toEqual({
          source,
          resources: resources.filter((resource) => resource !== '*'),
        });
      }
    }
  });

  it('gives function roles no managed policies (no AWSLambdaBasicExecutionRole)', () => {
    for (const role of Object.values(resourcesOf(templates.service, 'AWS::IAM::Role'))) {
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('lets only the functions that call Salesforce use the refresh-token key, with exact actions', () => {
    const tokenKeyStatements = (name: Parameters<typeof handlerFunction>[1]) =>
      policyOf(templates.service, roleOf(templates.service, name)).filter((statement) =>
        JSON.stringify(statement.Resource).includes('TokenKeyArn'),
      );
    expect(tokenKeyStatements('ack-outbound-message')).toEqual([]);
    for (const name of ['sync-worker', 'admin-api', 'quote-actions', 'run-sync-now'] as const) {
      expect(actions(tokenKeyStatements(name)).sort()).toEqual([
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:GenerateDataKey',
      ]);
    }
  });

  it('lets only the admin API derive webhook secrets, and only with kms:GenerateMac', () => {
    const webhookStatements = (name: Parameters<typeof handlerFunction>[1]) =>
      policyOf(templates.service, roleOf(templates.service, name)).filter((statement) =>
        JSON.stringify(statement.Resource).includes('WebhookKeyArn'),
      );
    expect(webhookStatements('ack-outbound-message')).toEqual([]);
    expect(webhookStatements('sync-worker')).toEqual([]);
    expect(webhookStatements('run-sync-now')).toEqual([]);
    expect(webhookStatements('quote-actions')).toEqual([]);
    expect(webhookStatements('admin-api').map((statement) => statement.Action)).toEqual(['kms:GenerateMac']);
  });

  it('keeps the ack function read-only on the table and send-only on the queue', () => {
    const granted = actions(policyOf(templates.service, roleOf(templates.service, 'ack-outbound-message')));
    expect(granted).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'sqs:SendMessage']));
    for (const action of granted) {
      expect(action).not.toMatch(
        /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$|^s3:|^secretsmanager:|^sqs:(ReceiveMessage|DeleteMessage)$/,
      );
    }
  });

  /**
   * Each role as "service → the resources its actions reach": an import's name without the
   * stack prefix, or the Salesforce client secret. A new grant changes this map and fails here.
   */
  const reach = (name: Parameters<typeof handlerFunction>[1]): Record<string, string[]> => {
    const found: Record<string, Set<string>> = {};
    for (const statement of policyOf(templates.service, roleOf(templates.service, name))) {
      const resource = JSON.stringify(statement.Resource);
      const labels = [...resource.matchAll(/"QuoteSync-dev-([A-Za-z]+?)(Arn)?"/g)].map((m) => m[1] ?? '');
      if (resource.includes('salesforce-client-secret')) labels.push('SalesforceClientSecret');
      if (/LogGroup/.test(resource)) labels.push('OwnLogGroup');
      for (const action of actions([statement])) {
        const service = action.split(':')[0] ?? '';
        found[service] ??= new Set();
        for (const label of labels) found[service].add(label);
      }
    }
    return Object.fromEntries(Object.entries(found).map(([service, set]) => [service, [...set].sort()]));
  };

  it('gives each function a role that reaches only its own resources', () => {
    expect(reach('ack-outbound-message')).toEqual({
      dynamodb: ['Table'],
      kms: ['DataKey'],
      logs: ['OwnLogGroup'],
      sqs: ['SyncQueue'],
    });
    expect(reach('sync-worker')).toEqual({
      dynamodb: ['Table'],
      kms: ['DataKey', 'TokenKey'],
      logs: ['OwnLogGroup'],
      secretsmanager: ['SalesforceClientSecret'],
      // Deferred copies go to the sync queue; what can never succeed to its DLQ, with the reason.
      sqs: ['SyncDeadLetterQueue', 'SyncQueue'],
    });
    expect(reach('run-sync-now')).toEqual({
      dynamodb: ['Table'],
      kms: ['DataKey', 'TokenKey'],
      logs: ['OwnLogGroup'],
      secretsmanager: ['SalesforceClientSecret'],
      sqs: ['SyncQueue', 'SyncRunQueue'],
    });
    // Settings, connect and setup deploys: no queue, no bucket, but the webhook key.
    expect(reach('admin-api')).toEqual({
      dynamodb: ['Table'],
      kms: ['DataKey', 'TokenKey', 'WebhookKey'],
      logs: ['OwnLogGroup'],
      secretsmanager: ['SalesforceClientSecret'],
    });
    // Send to Salesforce, starting runs and retrying notifications: the bucket, the sync-run
    // queue and the sync queue (to send), no webhook key.
    expect(reach('quote-actions')).toEqual({
      dynamodb: ['Table'],
      kms: ['DataKey', 'TokenKey'],
      logs: ['OwnLogGroup'],
      s3: ['Bucket'],
      secretsmanager: ['SalesforceClientSecret'],
      sqs: ['SyncQueue', 'SyncRunQueue'],
    });
  });

  it('lets only the worker and the page processor consume their queues', () => {
    const of = (name: Parameters<typeof handlerFunction>[1]) =>
      actions(policyOf(templates.service, roleOf(templates.service, name)));
    expect(of('sync-worker')).toEqual(
      expect.arrayContaining([
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:SendMessage',
      ]),
    );
    expect(of('quote-actions')).not.toContain('sqs:ReceiveMessage');
    expect(of('admin-api').some((action) => action.startsWith('sqs:'))).toBe(false);
  });

  const grantedTo = (name: Parameters<typeof handlerFunction>[1]): string[] =>
    actions(policyOf(templates.service, roleOf(templates.service, name)));

  /** Actions of the statements whose only resource is the named import. */
  const actionsOn = (name: Parameters<typeof handlerFunction>[1], exportName: string): string[] =>
    actions(
      policyOf(templates.service, roleOf(templates.service, name)).filter(
        (statement) =>
          JSON.stringify(statement.Resource) === JSON.stringify({ 'Fn::ImportValue': exportName }),
      ),
    );

  it('lets run-sync-now consume and continue the sync-run queue and send to the sync queue', () => {
    expect(actionsOn('run-sync-now', 'QuoteSync-dev-SyncRunQueueArn')).toEqual(
      expect.arrayContaining([
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:SendMessage',
      ]),
    );
    const toSync = actionsOn('run-sync-now', 'QuoteSync-dev-SyncQueueArn');
    expect(toSync).toContain('sqs:SendMessage');
    expect(toSync).not.toContain('sqs:ReceiveMessage');
    expect(grantedTo('run-sync-now')).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue']));
  });

  it('lets quote-actions only send to the sync-run and sync queues, and no other API function touch the sync-run queue', () => {
    const toRuns = actionsOn('quote-actions', 'QuoteSync-dev-SyncRunQueueArn');
    expect(toRuns).toContain('sqs:SendMessage');
    expect(toRuns).not.toContain('sqs:ReceiveMessage');
    const toSync = actionsOn('quote-actions', 'QuoteSync-dev-SyncQueueArn');
    expect(toSync).toContain('sqs:SendMessage');
    expect(toSync).not.toContain('sqs:ReceiveMessage');
    expect(actionsOn('admin-api', 'QuoteSync-dev-SyncRunQueueArn')).toEqual([]);
    expect(actionsOn('sync-worker', 'QuoteSync-dev-SyncRunQueueArn')).toEqual([]);
    expect(actionsOn('ack-outbound-message', 'QuoteSync-dev-SyncRunQueueArn')).toEqual([]);
  });

  it('lets quote-actions write SSE-KMS objects under the data key (DOCUMENTS_KEY_ID)', () => {
    const onDataKey = actionsOn('quote-actions', 'QuoteSync-dev-DataKeyArn');
    expect(onDataKey).toEqual(expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']));
  });
});
