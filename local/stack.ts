import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  type SalesforceSandbox,
  type SandboxMetadataService,
  startSalesforceSandbox,
} from '@quote-sync/salesforce-sandbox';
import type { Context, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { gatewayRoutes } from '../infra/api-routes';
import { FUNCTION_TIMEOUT_SECONDS } from '../infra/config/timeouts';
import { CONSOLE_DIST } from '../infra/console-assets';
import { securityHeaders } from '../shared/http/security-headers';
import { consoleFiles } from './console-files';
import { provisionDemoSite } from './demo';
import { DEMO_PEOPLE, localPerson, passwordOf, provisionDemoPeople } from './demo-people';
import { awsEnvironmentFor, type Emulators, startEmulators } from './emulators';
import {
  type Gateway,
  type GatewayLimits,
  type HttpHandler,
  type Route,
  STARTUP_KEY_HEADER,
  startHttpGateway,
} from './http-gateway';
import { lambdaContext } from './lambda-context';
import { createLocalResources, type LocalResources } from './resources';
import { startSchedule } from './schedule';
import { LOCAL_CLIENT_ID, LocalSignIn, SIGN_IN_PATH, type SignedInPerson } from './sign-in';
import { type EventSource, type SqsHandler, startSqsEventSource } from './sqs-event-source';

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
  /** Port of the Salesforce sandbox (0 picks a free one). */
  sandboxPort: number;
  /** Provision and connect the demo site. Default true. */
  demo?: boolean;
  /** How long the sync worker's event source gathers a batch (Lambda's batching window). */
  workerBatchingWindowMs?: number;
  /** Parallel pollers of the sync queue (default 2); 1 keeps every batch whole, for counting. */
  workerConcurrency?: number;
  /**
   * How often every connected site is reconciled (infra: EventBridge Scheduler). Default
   * RECONCILE_INTERVAL_MINUTES, else 15 minutes, as the stage config's default.
   */
  reconcileIntervalMs?: number;
  /** The sync queue's visibility timeout (infra's by default); tests shorten it to see retries sooner. */
  syncQueueVisibilitySeconds?: number;
  log?: (line: Record<string, unknown>) => void;
  /** Called once the gateway listens, before the rest of start-up (its /health says `starting`). */
  onListening?: (url: string) => void;
  /** The console's built files, served at `/`. @default console/dist in the repository */
  consoleDir?: string;
  /** The gateway's limits on slow and oversized requests (API Gateway's by default). */
  gatewayLimits?: Partial<GatewayLimits>;
}

/** The console at the API's own URL, and who can sign in to it. */
export interface LocalConsole {
  url: string;
  people: Array<{ email: string; name: string; password: string; siteId: string; role: string }>;
}

export interface LocalStack {
  url: string;
  /** The emulators' endpoints (for the AWS CLI or a console of one's own). */
  endpoints: { dynamodb: string; sqsAndS3: string };
  resources: LocalResources;
  /** Queued messages and stored objects brought back from the last stop. */
  restored: { messages: number; objects: number };
  sandbox: SalesforceSandbox;
  demo?: Awaited<ReturnType<typeof provisionDemoSite>>;
  /** What provisioning the demo's people and second site did on this start. */
  people?: Awaited<ReturnType<typeof provisionDemoPeople>>;
  console: LocalConsole;
  /** Runs a reconciliation now (after one in progress), as the schedule would. */
  reconcile(): Promise<void>;
  /** Resolves when the schedule's reconciliation in progress, or else its next, has ended. */
  nextReconciliation(): Promise<void>;
  stop(): Promise<void>;
}

/** Handler modules read their configuration when first loaded, as on a Lambda cold start. */
function lazyHandler<T>(modulePath: string, exportName = 'handler'): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= (require(join(__dirname, '..', modulePath)) as Record<string, T>)[exportName];
    if (loaded === undefined) throw new Error(`${modulePath} exports no ${exportName}`);
    return loaded;
  };
}

/** The API routes, exactly as infra/ declares them on API Gateway (infra/api-routes.ts). */
export function localRoutes(): Route[] {
  const handlers = new Map<string, () => HttpHandler>();
  return gatewayRoutes().map((route) => {
    let handler = handlers.get(route.function);
    if (handler === undefined) {
      handler = lazyHandler<HttpHandler>(`lambdas/${route.function}/handler`);
      handlers.set(route.function, handler);
    }
    return {
      method: route.method,
      path: route.path,
      handler,
      timeoutMs: FUNCTION_TIMEOUT_SECONDS[route.function] * 1000,
      authorized: route.authorized,
      // Acknowledging needs only the table and the queue, which exist before the gateway listens.
      ...(route.function === 'ack-outbound-message' ? { servedWhileStarting: true } : {}),
    };
  });
}

const siteClaimsTrigger = lazyHandler<
  (event: PreTokenGenerationV2TriggerEvent, context: Context) => Promise<PreTokenGenerationV2TriggerEvent>
>('lambdas/add-site-claims/handler');

/** Runs the pre-token-generation trigger as Cognito would, and answers the claims it adds to the access token. */
export async function addSiteClaims(person: SignedInPerson): Promise<Record<string, string>> {
  const event: PreTokenGenerationV2TriggerEvent = {
    version: '2',
    triggerSource: person.trigger,
    region: 'local',
    userPoolId: 'local',
    userName: person.sub,
    callerContext: { awsSdkVersion: 'local', clientId: LOCAL_CLIENT_ID },
    request: {
      userAttributes: {
        sub: person.sub,
        email: person.email,
        email_verified: String(person.emailVerified),
        name: person.name,
      },
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] },
      scopes: ['openid', 'email', 'profile'],
    },
    response: { claimsAndScopeOverrideDetails: {} },
  } as PreTokenGenerationV2TriggerEvent;
  const answered = await siteClaimsTrigger()(event, lambdaContext('add-site-claims', 5_000));
  return { ...answered.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride };
}

/** Where the stack is in its life; `GET /health` reports it. */
export type StackState = 'starting' | 'ready' | 'stopping' | 'stopped';

/** A stack not yet started: `stop()` may come at any time, during start-up too. */
export interface LocalStackControl {
  readonly state: StackState;
  /** Resolves once every part is up and the demo site is provisioned. */
  start(): Promise<LocalStack>;
  /** Stops what has started, in reverse order, each part within its budget; saves what persists. */
  stop(): Promise<void>;
}

/** Thrown by `start()` when `stop()` came first. */
export class StartAbortedError extends Error {
  constructor() {
    super('the local stack was stopped while starting');
    this.name = 'StartAbortedError';
  }
}

/** How long one part may take to stop before the next one is stopped anyway. */
const PART_STOP_BUDGET_MS = 1_500;
/** How long the SQS event sources wait for the batches being handled. */
const DRAIN_BUDGET_MS = 2_000;

function within<T>(work: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<'timed out'>((resolve) => {
      timer = setTimeout(() => resolve('timed out'), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The parts started so far, stopped in reverse order; a part started after the stop is stopped at once. */
class StartedParts {
  private readonly parts: Array<{ name: string; stop: () => Promise<void> }> = [];
  private closed = false;

  constructor(private readonly log: (line: Record<string, unknown>) => void) {}

  add(name: string, stop: () => Promise<void>): void {
    if (this.closed) void this.stopOne({ name, stop });
    else this.parts.push({ name, stop });
  }

  async stopAll(): Promise<void> {
    this.closed = true;
    for (const part of this.parts.splice(0).reverse()) await this.stopOne(part);
  }

  private async stopOne(part: { name: string; stop: () => Promise<void> }): Promise<void> {
    const budget = part.name === 'event sources' ? DRAIN_BUDGET_MS + 500 : PART_STOP_BUDGET_MS;
    try {
      if ((await within(part.stop(), budget)) === 'timed out')
        this.log({ level: 'WARN', message: `${part.name} did not stop within ${budget} ms; left behind` });
    } catch (error) {
      this.log({ level: 'WARN', message: `${part.name} failed to stop`, error: String(error) });
    }
  }
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  return localStack(options).start();
}

export function localStack(options: LocalStackOptions): LocalStackControl {
  const log = options.log ?? (() => undefined);
  const parts = new StartedParts(log);
  const abort = new AbortController();
  let state: StackState = 'starting';
  let step = 'emulators';
  /** Lets the start-up's own admin calls through while everyone else is told to wait. */
  const startupKey = randomBytes(24).toString('base64url');
  let starting: Promise<LocalStack> | undefined;
  let stopping: Promise<void> | undefined;

  /** Between start-up steps: a stop that came meanwhile ends the start-up here. */
  const checkpoint = () => {
    if (abort.signal.aborted) throw new StartAbortedError();
  };

  async function start(): Promise<LocalStack> {
    // In memory the key file lives as long as the stack: its folder is the last thing removed.
    let keysDir = options.dataDir;
    if (keysDir === undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'quote-sync-keys-'));
      parts.add('key folder', async () => rmSync(dir, { recursive: true, force: true }));
      keysDir = dir;
    }
    let emulators: Emulators | undefined;
    if (!options.externalEmulators) {
      emulators = await startEmulators(
        options.dataDir
          ? {
              dataDir: join(options.dataDir, 'dynamodb'),
              snapshotFile: join(options.dataDir, 'queues-and-objects.json'),
            }
          : {},
      );
      const started = emulators;
      parts.add('emulators', () => started.stop());
      Object.assign(process.env, awsEnvironmentFor(emulators));
    }
    checkpoint();

    const resources = await createLocalResources(
      options.prefix ?? 'quote-sync',
      options.syncQueueVisibilitySeconds
        ? { visibilityTimeoutSeconds: options.syncQueueVisibilitySeconds }
        : {},
    );
    checkpoint();
    // Messages queued and PDFs stored before the last stop come back once their queues exist.
    const restored = emulators?.restoreSnapshot() ?? { messages: 0, objects: 0 };
    step = 'Salesforce sandbox';
    // The org persists beside the table, so the two never disagree about which records exist.
    const sandbox = await startSalesforceSandbox({
      port: options.sandboxPort,
      ...(options.dataDir ? { dataDir: join(options.dataDir, 'salesforce-sandbox') } : {}),
    });
    parts.add('Salesforce sandbox', () => sandbox.stop());
    checkpoint();

    step = 'gateway';
    // The sign-in needs the gateway's URL, known once it listens; it serves nothing before.
    let signIn: LocalSignIn | undefined;
    const gateway: Gateway = await startHttpGateway({
      port: options.port,
      routes: localRoutes(),
      verifyJwt: async (token) => signIn?.verify(token),
      mounts: [async (request) => signIn?.handle(request)],
      fallback: consoleFiles(options.consoleDir ?? join(__dirname, '..', CONSOLE_DIST)),
      responseHeaders: securityHeaders(),
      readiness: () =>
        state === 'starting'
          ? { status: 'starting', step }
          : { status: state === 'ready' ? 'ok' : 'stopping' },
      startupKey,
      log,
      ...(options.gatewayLimits ? { limits: options.gatewayLimits } : {}),
    });
    parts.add('gateway', () => gateway.stop());
    checkpoint();
    const consoleUrl = `${gateway.url}/`;
    signIn = new LocalSignIn({
      baseUrl: gateway.url,
      consoleUrl,
      person: (email) => localPerson(email, options.adminToken),
      // The very trigger Cognito runs in AWS, called with the event Cognito would send it.
      claims: (person) => addSiteClaims(person),
    });
    options.onListening?.(gateway.url);
    // Handlers load lazily, so this configuration is in place before their cold start.
    Object.assign(process.env, {
      TABLE_NAME: resources.tableName,
      SYNC_QUEUE_URL: resources.syncQueueUrl,
      SYNC_DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
      SYNC_RUN_QUEUE_URL: resources.syncRunQueueUrl,
      BUCKET_NAME: resources.bucketName,
      ADMIN_TOKEN: options.adminToken,
      PUBLIC_BASE_URL: gateway.url,
      SALESFORCE_LOGIN_URL: sandbox.loginUrl,
      SALESFORCE_CLIENT_ID: sandbox.clientId,
      SALESFORCE_CLIENT_SECRET: sandbox.clientSecret,
      SIGN_IN_PROVIDER: 'local',
      SIGN_IN_URL: `${gateway.url}${SIGN_IN_PATH}`,
      SIGN_IN_CLIENT_ID: signIn.clientId,
      SALESFORCE_LOGIN_ENDPOINTS: JSON.stringify(sandbox.loginEndpoints()),
      LOCAL_KEY_FILE: join(keysDir, 'keys', 'master.key'),
      // A settings change applies to the next batch at once (deployed, a warm worker waits up to 10 s).
      SETTINGS_CACHE_SECONDS: process.env.SETTINGS_CACHE_SECONDS ?? '0',
      // Likewise an API usage an e2e test sets in the sandbox (deployed, a warm worker reuses it 10 s).
      API_USAGE_CACHE_SECONDS: process.env.API_USAGE_CACHE_SECONDS ?? '0',
      // EMF metric lines would drown the readable log; POWERTOOLS_METRICS_DISABLED=false shows them.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    });

    step = 'SQS event sources';
    // Stopped first, while everything they call is still up.
    const eventSources: EventSource[] = [];
    parts.add('event sources', async () => {
      await Promise.all(eventSources.map((source) => source.stop(DRAIN_BUDGET_MS)));
    });
    // The worker as infra/ wires it: batches of up to 100 within a short window, partial batch
    // responses, a few concurrent pollers (the mapping's maximum concurrency is 5).
    eventSources.push(
      await startSqsEventSource({
        sqs: new SQSClient({}),
        queueUrl: resources.syncQueueUrl,
        handler: lazyHandler<SqsHandler>('lambdas/sync-worker/handler'),
        name: 'sync-worker',
        batchSize: 100,
        maxBatchingWindowMs: options.workerBatchingWindowMs ?? 300,
        concurrency: options.workerConcurrency ?? 2,
        timeoutMs: FUNCTION_TIMEOUT_SECONDS['sync-worker'] * 1000,
        log,
      }),
    );

    // Synchronize-now pages, one at a time per poller, as infra/ wires them.
    eventSources.push(
      await startSqsEventSource({
        sqs: new SQSClient({}),
        queueUrl: resources.syncRunQueueUrl,
        handler: lazyHandler<SqsHandler>('lambdas/run-sync-now/handler'),
        name: 'run-sync-now',
        batchSize: 1,
        maxBatchingWindowMs: 0,
        concurrency: 1,
        timeoutMs: FUNCTION_TIMEOUT_SECONDS['run-sync-now'] * 1000,
        log,
      }),
    );
    // Reconciliation, as the deployed schedule runs it.
    const reconciliation = startSchedule({
      name: 'reconcile-sites',
      intervalMs:
        options.reconcileIntervalMs ?? Number(process.env.RECONCILE_INTERVAL_MINUTES ?? 15) * 60_000,
      timeoutMs: FUNCTION_TIMEOUT_SECONDS['reconcile-sites'] * 1000,
      handler: lazyHandler('lambdas/reconcile-sites/handler'),
      log,
    });
    parts.add('reconciliation schedule', () => reconciliation.stop());
    checkpoint();

    // Creates only what is missing: a restart keeps what an admin changed.
    step = 'demo site';
    const demo =
      options.demo === false
        ? undefined
        : await provisionDemoSite(gateway.url, options.adminToken, {
            organizationId: sandbox.organizationId,
            outboundMessageUrls: () =>
              (sandbox.metadata as SandboxMetadataService | undefined)
                ?.outboundMessages()
                .map((message) => message.endpointUrl) ?? [],
            signal: abort.signal,
            headers: { [STARTUP_KEY_HEADER]: startupKey },
          });
    checkpoint();
    const people =
      options.demo === false
        ? undefined
        : await provisionDemoPeople(gateway.url, options.adminToken, {
            signal: abort.signal,
            headers: { [STARTUP_KEY_HEADER]: startupKey },
          });
    checkpoint();
    state = 'ready';

    return {
      url: gateway.url,
      endpoints: {
        dynamodb: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '',
        sqsAndS3: process.env.AWS_ENDPOINT_URL_SQS ?? '',
      },
      resources,
      restored,
      sandbox,
      ...(demo ? { demo } : {}),
      ...(people ? { people } : {}),
      console: {
        url: consoleUrl,
        people: DEMO_PEOPLE.map((person) => ({
          email: person.email,
          name: person.name,
          password: passwordOf(person, options.adminToken),
          siteId: person.siteId,
          role: person.role,
        })),
      },
      reconcile: () => reconciliation.runNow(),
      nextReconciliation: () => reconciliation.nextRunEnd(),
      stop,
    };
  }

  function stop(): Promise<void> {
    stopping ??= (async () => {
      state = 'stopping';
      abort.abort();
      // A start-up step in progress ends at its next checkpoint; parts it starts later stop at once.
      if (starting)
        await within(
          starting.catch(() => undefined),
          PART_STOP_BUDGET_MS,
        );
      await parts.stopAll();
      state = 'stopped';
    })();
    return stopping;
  }

  return {
    get state() {
      return state;
    },
    start() {
      starting ??= start().catch(async (error: unknown) => {
        if (abort.signal.aborted) throw new StartAbortedError();
        // A failed start-up leaves nothing running behind it.
        state = 'stopping';
        await parts.stopAll();
        state = 'stopped';
        throw error;
      });
      return starting;
    },
    stop,
  };
}
