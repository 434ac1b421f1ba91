import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { lambdaContext } from '../local/lambda-context';
import { createLocalResources } from '../local/resources';
import { DynamoDbSiteRepository } from '../shared/adapters/dynamodb/dynamodb-site-repository';
import { LocalKeyWebhookSecrets } from '../shared/adapters/keys/local-keys';
import { ACK_BODY } from '../shared/adapters/soap/soap-responses';
import { provisionSite } from '../shared/use-cases/provision-site';
import { httpApiEventFor } from './events';
import { countingProxy, round, summarize } from './support';

/**
 * The ack path for one 100-notification message, measured on the bundle as infra/ deploys it
 * (minified, the AWS SDK left to the runtime): warm latency including the enqueue to the local
 * SQS, the first call in a fresh Node process, SQS requests per message read on the wire, and
 * the bundle's size; the first call and size with the SDK bundled are printed for comparison.
 */
const NOTIFICATIONS = 100;
const WARM_RUNS = 300;
const COUNTED_RUNS = 20;
const COLD_RUNS = 7;

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;

export async function benchAckOutboundMessage(buildMessage: (n: number) => string) {
  const resources = await createLocalResources(`bench-${Date.now()}`);
  const sites = new DynamoDbSiteRepository(
    DynamoDBDocumentClient.from(new DynamoDBClient({})),
    resources.tableName,
  );
  const webhookSecrets = new LocalKeyWebhookSecrets(randomBytes(32));
  await provisionSite(
    { sites, webhookSecrets, now: () => new Date() },
    { siteId: 'bench', name: 'Bench', salesforce: { organizationId: '00D5g000004Ck1ZEAS' } },
  );
  const webhookSecret = await webhookSecrets.derive('bench', 1);
  const env = {
    TABLE_NAME: resources.tableName,
    SYNC_QUEUE_URL: resources.syncQueueUrl,
    POWERTOOLS_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'SILENT',
  };
  Object.assign(process.env, env);
  const event = httpApiEventFor('bench', webhookSecret, buildMessage(NOTIFICATIONS));

  // Inside the checkout, so the bundle resolves the AWS SDK from node_modules as the runtime would.
  const dir = join(__dirname, '..', '.local', 'bench');
  mkdirSync(dir, { recursive: true });
  // Two builds: the SDK left to the Lambda runtime, as infra/ deploys this function, and the
  // pinned SDK bundled in, as the other functions are deployed (for comparison).
  const bundleVariant = async (name: string, external: string[]) => {
    const file = join(dir, `handler-${name}.js`);
    const result = await build({
      entryPoints: [join(__dirname, '..', 'lambdas', 'ack-outbound-message', 'handler.ts')],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: file,
      external,
      metafile: true,
      logLevel: 'silent',
    });
    return {
      file,
      bytes: Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0),
      includesJsforce: Object.keys(result.metafile.inputs).some((input) =>
        input.includes('node_modules/jsforce'),
      ),
    };
  };
  const deployed = await bundleVariant('sdk-external', ['@aws-sdk/*']);
  const sdkBundled = await bundleVariant('sdk-bundled', []);
  const outfile = deployed.file;

  /** A fresh copy of the handler module, with the SDK clients it builds from the current environment. */
  const load = (): Handler => {
    delete require.cache[outfile];
    return (require(outfile) as { handler: Handler }).handler;
  };
  const call = async (handler: Handler) => {
    const result = await handler(event, lambdaContext('bench'));
    if (result.statusCode !== 200 || result.body !== ACK_BODY)
      throw new Error(`not acknowledged: ${result.body}`);
  };

  // Warm latency: one module instance, as in a warm Lambda container.
  const warmHandler = load();
  for (let i = 0; i < 20; i++) await call(warmHandler);
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const started = performance.now();
    await call(warmHandler);
    warm.push(performance.now() - started);
  }

  // Requests per message, counted by a proxy on the wire (kept out of the timed runs above).
  const proxy = await countingProxy(process.env.AWS_ENDPOINT_URL_SQS ?? '');
  process.env.SYNC_QUEUE_URL = proxy.viaProxy(resources.syncQueueUrl);
  const countedHandler = load();
  for (let i = 0; i < COUNTED_RUNS; i++) await call(countedHandler);
  const sqsRequestsPerMessage = proxy.count('SendMessageBatch') / COUNTED_RUNS;
  await proxy.close();
  process.env.SYNC_QUEUE_URL = resources.syncQueueUrl;

  // First call in a fresh process: module load and one invocation, timed inside that process.
  const eventFile = join(dir, 'event.json');
  writeFileSync(eventFile, JSON.stringify(event));
  const coldStart = async (file: string) => {
    const probe = `
      const t0 = performance.now();
      const { handler } = require(${JSON.stringify(file)});
      const loaded = performance.now() - t0;
      const event = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(eventFile)}, 'utf8'));
      handler(event, { getRemainingTimeInMillis: () => 10000, functionName: 'cold', awsRequestId: 'cold' })
        .then((r) => { if (r.statusCode !== 200) throw new Error(r.body); console.log(JSON.stringify([loaded, performance.now() - t0])); });`;
    const loads: number[] = [];
    const firstCalls: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      // Asynchronous: the emulators the child talks to are served from this machine's other process.
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', probe], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      const [loaded, total] = JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as [number, number];
      loads.push(loaded);
      firstCalls.push(total);
    }
    return {
      moduleLoadMedianMs: round(summarize(loads).median),
      firstCallMedianMs: round(summarize(firstCalls).median),
    };
  };
  const coldDeployed = await coldStart(deployed.file);
  const coldSdkBundled = await coldStart(sdkBundled.file);

  const warmStats = summarize(warm);
  return {
    notificationsPerMessage: NOTIFICATIONS,
    warmRuns: WARM_RUNS,
    warmMedianMs: round(warmStats.median),
    warmP99Ms: round(warmStats.p99),
    firstCallMedianMs: coldDeployed.firstCallMedianMs,
    moduleLoadMedianMs: coldDeployed.moduleLoadMedianMs,
    firstCallSdkBundledMedianMs: coldSdkBundled.firstCallMedianMs,
    coldRuns: COLD_RUNS,
    sqsRequestsPerMessage: round(sqsRequestsPerMessage, 3),
    sqsRequestsTarget: Math.ceil(NOTIFICATIONS / 10),
    bundleKiB: round(deployed.bytes / 1024, 1),
    bundleSdkBundledKiB: round(sdkBundled.bytes / 1024, 1),
    bundleIncludesJsforce: deployed.includesJsforce || sdkBundled.includesJsforce,
    targets: { warmMedianMs: 20, firstCallMs: 300, bundleKiB: 300 },
  };
}
