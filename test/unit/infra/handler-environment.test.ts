import { readFileSync } from 'node:fs';
import type { Template } from 'aws-cdk-lib/assertions';
import * as z from 'zod';
import { handlerEntry, handlerNames, triggerNames } from '../../../infra/handlers';
import * as configSchemas from '../../../shared/config/env';
import { parseConfig } from '../../../shared/config/env';
import { handlerFunctions, synthesizeAll } from './support';

/**
 * Each function's synthesized environment, as CloudFormation would hand it over, goes through the
 * config schema that function's own handler parses at cold start: every variable the handler needs
 * is there and valid, and no variable is set that the handler does not read. The schema is the
 * only list of a function's variables; infra and this test keep no copy of it.
 */
const { stateful, service } = synthesizeAll();

/** Read by the Lambda runtime (NODE_OPTIONS) and by Powertools itself, not by our handlers. */
const RUNTIME_VARIABLES = new Set(['NODE_OPTIONS', 'LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME']);

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
const statefulResources = stateful.toJSON().Resources as Resources;
const serviceResources = service.toJSON().Resources as Resources;
const exportsByName = new Map(
  Object.values(
    (stateful.toJSON().Outputs ?? {}) as Record<string, { Value: unknown; Export?: { Name: string } }>,
  )
    .filter((output) => output.Export)
    .map((output) => [output.Export?.Name ?? '', output.Value]),
);

/** What `Ref` and `Fn::GetAtt` give for a resource, shaped as AWS shapes them. */
function attribute(resources: Resources, logicalId: string, name: 'Ref' | string): string {
  const type = resources[logicalId]?.Type;
  const id = logicalId.toLowerCase();
  switch (`${type} ${name}`) {
    case 'AWS::SQS::Queue Ref':
    case 'AWS::SQS::Queue QueueUrl':
      return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${id}`;
    case 'AWS::SQS::Queue Arn':
      return `arn:aws:sqs:${REGION}:${ACCOUNT}:${id}`;
    case 'AWS::DynamoDB::Table Ref':
    case 'AWS::DynamoDB::GlobalTable Ref':
      return id;
    case 'AWS::DynamoDB::Table Arn':
    case 'AWS::DynamoDB::GlobalTable Arn':
      return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${id}`;
    case 'AWS::KMS::Key Ref':
      return id;
    case 'AWS::KMS::Key Arn':
      return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
    case 'AWS::S3::Bucket Ref':
      return id;
    case 'AWS::S3::Bucket Arn':
      return `arn:aws:s3:::${id}`;
    case 'AWS::ApiGatewayV2::Api ApiEndpoint':
      return `https://${id}.execute-api.${REGION}.amazonaws.com`;
    case 'AWS::CloudFront::Distribution DomainName':
      return `${id}.cloudfront.net`;
    case 'AWS::Cognito::UserPoolDomain Ref':
    case 'AWS::Cognito::UserPoolClient Ref':
      return id;
    default:
      throw new Error(`the test cannot resolve ${name} of ${logicalId} (${type}); teach it this attribute`);
  }
}

/** Evaluates the intrinsic functions a function's environment uses, in the given stack. */
function resolve(value: unknown, resources: Resources): string {
  if (typeof value === 'string') return value;
  const [[fn, args] = []] = Object.entries(value as Record<string, unknown>);
  switch (fn) {
    case 'Ref': {
      const name = args as string;
      if (name === 'AWS::Region') return REGION;
      if (name === 'AWS::AccountId') return ACCOUNT;
      if (name === 'AWS::URLSuffix') return 'amazonaws.com';
      if (name === 'AWS::Partition') return 'aws';
      return attribute(resources, name, 'Ref');
    }
    case 'Fn::GetAtt': {
      const [logicalId, name] = args as [string, string];
      return attribute(resources, logicalId, name);
    }
    case 'Fn::ImportValue': {
      const exported = exportsByName.get(resolve(args, resources));
      if (exported === undefined) throw new Error(`no export named ${JSON.stringify(args)}`);
      return resolve(exported, statefulResources);
    }
    case 'Fn::Join': {
      const [separator, parts] = args as [string, unknown[]];
      return parts.map((part) => resolve(part, resources)).join(separator);
    }
    case 'Fn::Split': {
      const [separator, source] = args as [string, unknown];
      return JSON.stringify(resolve(source, resources).split(separator));
    }
    case 'Fn::Select': {
      const [index, list] = args as [number, unknown];
      const items = JSON.parse(resolve(list, resources)) as string[];
      const item = items[index];
      if (item === undefined) throw new Error(`Fn::Select ${index} of ${items.length} items`);
      return item;
    }
    default:
      throw new Error(`the test cannot resolve ${JSON.stringify(value)}`);
  }
}

function synthesizedEnvironment(
  template: Template,
  resources: Resources,
  name: string,
): Record<string, string> {
  const fn = handlerFunctions(template).get(name);
  if (fn === undefined) throw new Error(`no function for ${name}`);
  const variables = (fn.properties.Environment as { Variables: Record<string, unknown> }).Variables;
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [key, resolve(value, resources)]),
  );
}

/** The schema the handler parses its configuration with: `parseConfig(<schema>)` in its own file. */
function handlerSchema(name: string): z.ZodObject {
  const source = readFileSync(handlerEntry(name), 'utf8');
  const schemaName = /parseConfig\((\w+)\)/.exec(source)?.[1];
  if (!schemaName) throw new Error(`lambdas/${name}/handler.ts parses no configuration with parseConfig`);
  const schema = (configSchemas as Record<string, unknown>)[schemaName];
  if (!(schema instanceof z.ZodObject))
    throw new Error(`${schemaName} is no object schema of shared/config/env.ts`);
  return schema;
}

// The service stack's functions, and the user pool's trigger in the stateful stack.
const functions: Array<[string, Template, Resources]> = [
  ...handlerNames.map((name): [string, Template, Resources] => [name, service, serviceResources]),
  ...triggerNames.map((name): [string, Template, Resources] => [name, stateful, statefulResources]),
];

describe.each(functions)('%s', (name, template, resources) => {
  const environment = synthesizedEnvironment(template, resources, name);
  const schema = handlerSchema(name);

  it('gets an environment its handler accepts at cold start', () => {
    expect(() => parseConfig(schema, environment)).not.toThrow();
  });

  it('gets no variable its handler does not read', () => {
    const read = new Set(Object.keys(schema.shape));
    expect(Object.keys(environment).filter((key) => !RUNTIME_VARIABLES.has(key) && !read.has(key))).toEqual(
      [],
    );
  });

  it('would fail its cold start, naming the variable, without any variable it was given', () => {
    const needed = Object.keys(environment).filter(
      (key) => !RUNTIME_VARIABLES.has(key) && !(schema.shape[key] as z.ZodType).safeParse(undefined).success,
    );
    expect(needed.length).toBeGreaterThan(0);
    for (const key of needed) {
      const { [key]: _, ...without } = environment;
      expect(() => parseConfig(schema, without)).toThrow(key);
    }
  });
});
