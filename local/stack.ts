import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbSiteRepository } from '../shared/adapters/dynamodb/dynamodb-site-repository';
import { provisionSite } from '../shared/use-cases/provision-site';
import { awsEnvironmentFor, type Emulators, startEmulators } from './emulators';
import { type Gateway, type HttpHandler, type Route, startHttpGateway } from './http-gateway';
import { createLocalResources, type LocalResources } from './resources';
import type { EventSource } from './sqs-event-source';

/**
 * The local stack: the same handlers the CDK app deploys, behind a local API Gateway, with the
 * AWS services emulated on 127.0.0.1. `npm start` runs it; end-to-end tests run it in-process.
 */
export interface LocalStackOptions {
  port: number;
  adminToken: string;
  /** Where DynamoDB keeps its data; undefined keeps everything in memory. */
  dataDir?: string;
  /** Name prefix of the table, queues and bucket. */
  prefix?: string;
  /** Use emulators that are already running (their endpoints are in the environment). */
  externalEmulators?: boolean;
  /** Organization the demo site is connected to. */
  demoOrganizationId: string;
  log?: (line: Record<string, unknown>) => void;
}

export interface LocalStack {
  url: string;
  resources: LocalResources;
  demo: { siteId: string; outboundUrl: string };
  stop(): Promise<void>;
}

export const DEMO_SITE_ID = 'demo';

/** Handler modules read their configuration when first loaded, as on a Lambda cold start. */
function lazyHandler<T>(modulePath: string, exportName = 'handler'): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= (require(join(__dirname, '..', modulePath)) as Record<string, T>)[exportName];
    if (loaded === undefined) throw new Error(`${modulePath} exports no ${exportName}`);
    return loaded;
  };
}

/** The API routes, as infra/ declares them on API Gateway. */
export function localRoutes(): Route[] {
  return [
    {
      method: 'POST',
      path: '/salesforce/outbound/{siteId}/{secret}',
      handler: lazyHandler<HttpHandler>('lambdas/ack-outbound-message/handler'),
      timeoutMs: 10_000,
    },
  ];
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  // Local runs use this machine's Node 20; the deployed functions run Node 24.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  let emulators: Emulators | undefined;
  if (!options.externalEmulators) {
    emulators = await startEmulators(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {});
    Object.assign(process.env, awsEnvironmentFor(emulators));
  }

  const resources = await createLocalResources(options.prefix ?? 'quote-sync');
  Object.assign(process.env, {
    TABLE_NAME: resources.tableName,
    SYNC_QUEUE_URL: resources.syncQueueUrl,
    BUCKET_NAME: resources.bucketName,
    ADMIN_TOKEN: options.adminToken,
  });

  const eventSources: EventSource[] = [];
  const gateway: Gateway = await startHttpGateway({
    port: options.port,
    routes: localRoutes(),
    local: { 'GET /health': () => ({ status: 'ok' }) },
    log,
  });

  // The demo site gets a fresh webhook secret on every start: only its hash is stored, so the
  // clear secret exists only in the URL printed now.
  const sites = new DynamoDbSiteRepository(
    DynamoDBDocumentClient.from(new DynamoDBClient({})),
    resources.tableName,
  );
  const demo = await provisionSite(
    { sites, now: () => new Date() },
    {
      siteId: DEMO_SITE_ID,
      name: 'Demo site',
      rotateSecret: true,
      salesforce: { organizationId: options.demoOrganizationId },
    },
  );

  return {
    url: gateway.url,
    resources,
    demo: {
      siteId: DEMO_SITE_ID,
      outboundUrl: `${gateway.url}/salesforce/outbound/${DEMO_SITE_ID}/${demo.webhookSecret ?? ''}`,
    },
    async stop() {
      await Promise.all(eventSources.map((source) => source.stop()));
      await gateway.stop();
      await emulators?.stop();
    },
  };
}
