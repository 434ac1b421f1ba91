import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { BUNDLE_SETTINGS } from '../infra/constructs/house-function';
import { type HandlerDefinition, handlerDefinitions } from '../infra/handlers';
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
 * (minified, the pinned AWS SDK bundled from its ES modules): warm latency including the enqueue
 * to the local SQS, the first call in a fresh Node process, SQS requests per message read on the
 * wire, and the bundle's size. Two other builds are measured for comparison: the runtime's SDK
 * left out of the bundle (as this function was deployed before), and the SDK bundled from its
 * CommonJS files (as the other functions are). A first call is timed on the wall clock and in CPU
 * time (`process.cpuUsage`): on a shared machine the wall clock also counts the time other
 * processes held the cores, the CPU time only what this process computed.
 */
const NOTIFICATIONS = 100;
const WARM_RUNS = 300;
const COUNTED_RUNS = 20;
const COLD_RUNS = 3;
const COLD_ROUNDS = 5;

interface Cold {
  loads: number[];
  firstCalls: number[];
  loadCpu: number[];
  firstCallCpu: number[];
}

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
  const bundleVariant = async (
    name: string,
    { external = [], esModules = false }: { external?: string[]; esModules?: boolean },
  ) => {
    const file = join(dir, `handler-${name}.js`);
    const result = await build({
      entryPoints: [join(__dirname, '..', 'lambdas', 'ack-outbound-message', 'handler.ts')],
      bundle: true,
      minify: true,
      platform: 'node',
      target: BUNDLE_SETTINGS.target,
      format: 'cjs',
      outfile: file,
      external,
      ...(esModules ? { mainFields: ['module', 'main'] } : {}),
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
  const definition = handlerDefinitions['ack-outbound-message'] as HandlerDefinition;
  const deployed = await bundleVariant('deployed', {
    external: definition.runtimeAwsSdk ? ['@aws-sdk/*'] : [],
    esModules: definition.esModules ?? false,
  });
  const runtimeSdk = await bundleVariant('sdk-external', { external: ['@aws-sdk/*'] });
  const sdkBundled = await bundleVariant('sdk-bundled-cjs', {});
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
  const coldStart = async (file: string): Promise<Cold> => {
    const probe = `
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const { handler } = require(${JSON.stringify(file)});
      const loaded = performance.now() - t0;
      const cpuMs = () => { const d = process.cpuUsage(cpu0); return (d.user + d.system) / 1000; };
      const loadedCpu = cpuMs();
      const event = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(eventFile)}, 'utf8'));
      handler(event, { getRemainingTimeInMillis: () => 10000, functionName: 'cold', awsRequestId: 'cold' })
        .then((r) => { if (r.statusCode !== 200) throw new Error(r.body); console.log(JSON.stringify([loaded, performance.now() - t0, loadedCpu, cpuMs()])); });`;
    const loads: number[] = [];
    const firstCalls: number[] = [];
    const loadCpu: number[] = [];
    const firstCallCpu: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      // Asynchronous: the emulators the child talks to are served from this machine's other process.
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', probe], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      const [loaded, total, loadedCpu, totalCpu] = JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as [
        number,
        number,
        number,
        number,
      ];
      loads.push(loaded);
      firstCalls.push(total);
      loadCpu.push(loadedCpu);
      firstCallCpu.push(totalCpu);
    }
    return { loads, firstCalls, loadCpu, firstCallCpu };
  };
  const merge = (runs: Cold[]) => {
    const median = (pick: (cold: Cold) => number[]) => round(summarize(runs.flatMap(pick)).median);
    return {
      moduleLoadMedianMs: median((cold) => cold.loads),
      firstCallMedianMs: median((cold) => cold.firstCalls),
      moduleLoadCpuMedianMs: median((cold) => cold.loadCpu),
      firstCallCpuMedianMs: median((cold) => cold.firstCallCpu),
    };
  };
  // Interleaved, so the three builds meet the same machine load.
  const colds = { deployed: [] as Cold[], runtimeSdk: [] as Cold[], sdkBundled: [] as Cold[] };
  for (let pass = 0; pass < COLD_ROUNDS; pass++) {
    colds.deployed.push(await coldStart(deployed.file));
    colds.runtimeSdk.push(await coldStart(runtimeSdk.file));
    colds.sdkBundled.push(await coldStart(sdkBundled.file));
  }
  const coldDeployed = merge(colds.deployed);
  const coldRuntimeSdk = merge(colds.runtimeSdk);
  const coldSdkBundled = merge(colds.sdkBundled);

  const warmStats = summarize(warm);
  return {
    notificationsPerMessage: NOTIFICATIONS,
    warmRuns: WARM_RUNS,
    warmMedianMs: round(warmStats.median),
    warmP99Ms: round(warmStats.p99),
    firstCallMedianMs: coldDeployed.firstCallMedianMs,
    moduleLoadMedianMs: coldDeployed.moduleLoadMedianMs,
    firstCallCpuMedianMs: coldDeployed.firstCallCpuMedianMs,
    moduleLoadCpuMedianMs: coldDeployed.moduleLoadCpuMedianMs,
    runtimeSdk: { ...coldRuntimeSdk, bundleKiB: round(runtimeSdk.bytes / 1024, 1) },
    sdkBundledCommonJs: { ...coldSdkBundled, bundleKiB: round(sdkBundled.bytes / 1024, 1) },
    firstCallCpuRatioToRuntimeSdk: round(
      coldDeployed.firstCallCpuMedianMs / coldRuntimeSdk.firstCallCpuMedianMs,
      2,
    ),
    coldRuns: COLD_RUNS * COLD_ROUNDS,
    loadAverage: loadavg().map((value) => round(value, 1)),
    sqsRequestsPerMessage: round(sqsRequestsPerMessage, 3),
    sqsRequestsTarget: Math.ceil(NOTIFICATIONS / 10),
    bundleKiB: round(deployed.bytes / 1024, 1),
    bundleIncludesJsforce:
      deployed.includesJsforce || runtimeSdk.includesJsforce || sdkBundled.includesJsforce,
    targets: { warmMedianMs: 20, firstCallMs: 220 },
  };
}
