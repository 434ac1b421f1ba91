import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import dynalite from 'dynalite';

/**
 * The AWS services of the local stack, each a real HTTP server on 127.0.0.1 that the real
 * AWS SDK v3 clients talk to: dynalite (DynamoDB) and fauxqs (SQS and S3).
 */
export interface Emulators {
  dynamodbEndpoint: string;
  /** fauxqs serves SQS and S3 on one port. */
  sqsEndpoint: string;
  s3Endpoint: string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Folder for DynamoDB data; in memory when undefined. */
  dataDir?: string;
  dynamodbPort?: number;
  awsPort?: number;
}

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const dynamo = dynalite({
    ...(options.dataDir ? { path: options.dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(options.dynamodbPort ?? 0, '127.0.0.1', () => resolve());
  });
  const dynamoPort = (dynamo.address() as AddressInfo).port;

  const aws = await buildFauxqs();
  await aws.listen({ port: options.awsPort ?? 0, host: '127.0.0.1' });
  const awsPort = (aws.server.address() as AddressInfo).port;

  return {
    dynamodbEndpoint: `http://127.0.0.1:${dynamoPort}`,
    sqsEndpoint: `http://127.0.0.1:${awsPort}`,
    s3Endpoint: `http://127.0.0.1:${awsPort}`,
    async stop() {
      await aws.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}

/**
 * Points every AWS SDK client created afterwards in this process at the emulators, through the
 * SDK's own service-specific endpoint variables: the production code paths stay unchanged.
 */
export function awsEnvironmentFor(emulators: Emulators): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint,
    AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
    // Local runs use this machine's Node 20; the deployed functions run Node 24.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * fauxqs ships ESM only: native dynamic imports keep this module loadable from CommonJS.
 * We listen ourselves because its start helper binds 0.0.0.0. Its SQS store is built here with
 * no host so that queue URLs carry the request's host (127.0.0.1:port): by default they name
 * sqs.<region>.localhost, which does not resolve, and the SDK sends to the queue URL's host.
 * The stores are not in the package's exports, hence the file URLs.
 */
async function buildFauxqs() {
  const root = require.resolve
    .paths('fauxqs')
    ?.map((dir) => join(dir, 'fauxqs', 'dist'))
    .find((dir) => existsSync(join(dir, 'app.js')));
  if (root === undefined) throw new Error('fauxqs is not installed');
  const load = (file: string) => import(pathToFileURL(join(root, file)).href);
  const [{ buildApp }, { SqsStore }, { SnsStore }, { S3Store }] = await Promise.all([
    import('fauxqs'),
    load('sqs/sqsStore.js'),
    load('sns/snsStore.js'),
    load('s3/s3Store.js'),
  ]);
  const sqsStore = new SqsStore();
  sqsStore.host = undefined;
  return buildApp({ logger: false, stores: { sqsStore, snsStore: new SnsStore(), s3Store: new S3Store() } });
}
