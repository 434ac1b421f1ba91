import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MAX_RECEIVE_COUNT } from '../infra/config/timeouts';
import { DEMO_SITE_ID, DEMO_STAGE } from '../local/demo';
import { type LocalStack, startLocalStack } from '../local/stack';
import { DynamoDbQuoteRepository } from '../shared/adapters/dynamodb/dynamodb-synced-records';
import { toId18 } from '../shared/domain/salesforce-id';
import { canonicalModstamp } from '../shared/domain/sync-rules';
import type { Quote } from '../shared/domain/synced-records';

/**
 * The soak: the real path (sandbox flow → SOAP → ack → SQS → worker → table) under every fault at
 * once, and reconciliation catching what is lost. N opportunities reach the stage (some created
 * at it), a fifth are edited again there (updates "while-at-stage"), while Salesforce's REST API
 * fails 20% of queries (503), refuses 5% (REQUEST_LIMIT_EXCEEDED) and 3% (UNABLE_TO_LOCK_ROW),
 * expires access tokens, and is down for 30 minutes of sandbox time, and the outbound side
 * duplicates 10% of deliveries, delivers 30% late with their older data and loses 5% for good.
 * A few poison messages are planted on the queue; they, and only they, must end in the DLQ.
 */
export interface SoakOptions {
  n: number;
  /** Sandbox seconds per real second (the outage lasts 30 sandbox minutes). */
  timeScale?: number;
  /** Use emulators already running (the test suite's); else the soak starts its own. */
  externalEmulators?: boolean;
  timeoutMs?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface SoakReport {
  n: number;
  quotes: number;
  missing: number;
  duplicates: number;
  stale: number;
  dlq: { depth: number; reasons: Record<string, number>; unplanted: number };
  apiCallsPerOpportunity: number;
  settleSeconds: number;
  peakRssMiB: number;
  /** Outbound deliveries, and how many requests or deliveries each fault hit. */
  faults: { deliveries: number; hits: Record<string, number> };
  ok: boolean;
}

const ADMIN_TOKEN = 'soak-admin-token-0123456789abcdef';
export const PLANTED_POISON = [
  'not json at all',
  '{"kind":"nonsense"}',
  '{"kind":"notification","version":2}',
];

const SETTINGS = {
  opportunityToQuote: { enabled: true, stage: DEMO_STAGE, updates: 'while-at-stage' },
  accountToCompany: { enabled: true },
  contactToPerson: { enabled: true },
  fieldMappings: { opportunity: [], account: [], contact: [] },
  customFields: [],
  pushBack: { enabled: true },
  ownerUserId: 'demo-owner',
};

/** The sync queue's visibility timeout in the soak (its redrive's count is infra's, MAX_RECEIVE_COUNT). */
const VISIBILITY_SECONDS = 15;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const timeScale = options.timeScale ?? 60;
  const seed = options.seed ?? 20261201;
  let random = seed >>> 0;
  const draw = () => {
    random = (Math.imul(random ^ (random >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    return random / 4_294_967_296;
  };
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  sampler.unref();

  // Read by the handlers at their cold start: short waits, so hours of backoff take seconds.
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    SALESFORCE_TIMEOUT_MS: '3000',
    TRANSIENT_BACKOFF_SECONDS: '1',
    RATE_LIMIT_BACKOFF_SECONDS: '2',
    MAX_BACKOFF_SECONDS: '4',
    HOLD_BACK_RECEIVES: '2',
    REQUEUE_DELAY_SECONDS: '1',
  });
  const stack: LocalStack = await startLocalStack({
    externalEmulators: options.externalEmulators ?? false,
    port: 0,
    sandboxPort: 0,
    prefix: `soak-${randomUUID().slice(0, 8)}`,
    adminToken: ADMIN_TOKEN,
    workerBatchingWindowMs: 500,
    workerConcurrency: 2,
    // Short, so the planted poison reaches the DLQ within a minute, and still longer than any
    // batch can take (Salesforce calls time out after 3 s): no message is received twice at once.
    syncQueueVisibilitySeconds: VISIBILITY_SECONDS,
    reconcileIntervalMs: 3_000,
  });
  try {
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${stack.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (response.status >= 400)
        throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<unknown>;
    };
    await api('PUT', `/sites/${DEMO_SITE_ID}/salesforce/settings`, SETTINGS);
    const { sandbox } = stack;
    const userId = sandbox.adminUserId;
    sandbox.setTimeScale(timeScale);
    // Let the initial demo work settle before counting.
    await stack.reconcile();
    const callsBefore = sandbox.apiCalls().used;

    const now = sandbox.clock.now();
    const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    sandbox.addFaults({
      seed,
      rules: [
        { match: { kind: 'query' }, action: 'status5xx', status: 503, rate: 0.2 },
        { match: { kind: 'query' }, action: 'requestLimitExceeded', rate: 0.05 },
        { match: { kind: 'query' }, action: 'unableToLockRow', rate: 0.03 },
        { match: { kind: 'query' }, action: 'expireTokens', rate: 0.02 },
        // Salesforce down for 30 minutes of its own time, whatever is asked of it.
        { action: 'status5xx', status: 503, window: { from: at(2), until: at(32) } },
      ],
      delivery: [
        // The first delivery is lost for good whatever the draws: reconciliation always has work.
        { action: 'drop', times: 1 },
        { action: 'drop', rate: 0.05 },
        { action: 'duplicate', rate: 0.1 },
        { action: 'reorder', rate: 0.3 },
      ],
    });

    // Every delivery fault as it happens (a spent rule leaves the sandbox's list, and its count with it).
    const deliveryFaults: Record<string, number> = {};
    const nextDelivery = sandbox.faults.nextDelivery.bind(sandbox.faults);
    sandbox.faults.nextDelivery = (endpointUrl: string) => {
      const faults = nextDelivery(endpointUrl);
      for (const fault of faults)
        deliveryFaults[`delivery ${fault}`] = (deliveryFaults[`delivery ${fault}`] ?? 0) + 1;
      return faults;
    };

    const sqs = new SQSClient({});
    const plantedAt = Date.now();
    for (const body of PLANTED_POISON) {
      await sqs.send(new SendMessageCommand({ QueueUrl: stack.resources.syncQueueUrl, MessageBody: body }));
    }

    // The load: accounts, then opportunities in waves, a tenth created at the stage.
    const accounts = Array.from(
      { length: Math.max(1, Math.ceil(options.n / 20)) },
      (_, i) => sandbox.store.create('Account', { Name: `Soak account ${i}` }, { userId }).Id,
    );
    const ids: string[] = [];
    const started = Date.now();
    // In waves of two, so that most waves are outbound messages of their own and delivery faults
    // have many to hit (the sandbox, like Salesforce, batches what arrives together).
    for (let i = 0; i < options.n; i++) {
      const atStage = draw() < 0.1;
      const id = sandbox.store.create(
        'Opportunity',
        {
          Name: `Soak ${i}`,
          AccountId: accounts[i % accounts.length],
          StageName: atStage ? DEMO_STAGE : 'Qualification',
          CloseDate: '2027-06-30',
          Amount: 1000 + i,
        },
        { userId },
      ).Id;
      if (!atStage) sandbox.store.update('Opportunity', id, { StageName: DEMO_STAGE }, { userId });
      ids.push(id);
      if (i % 2 === 1) await sleep(25);
    }
    log(`${options.n} opportunities at the stage in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // A fifth edited again at the stage, a little later.
    await sleep(500);
    const edited = ids.filter(() => draw() < 0.2);
    for (const [i, id] of edited.entries()) {
      sandbox.store.update('Opportunity', id, { Name: `Soak ${id} edited`, Amount: 5000 + i }, { userId });
      if (i % 2 === 1) await sleep(25);
    }
    log(`${edited.length} edited again at the stage`);

    const quotes = new DynamoDbQuoteRepository(
      DynamoDBDocumentClient.from(new DynamoDBClient({})),
      stack.resources.tableName,
    );
    const expected = () =>
      new Map(
        ids.map((id) => {
          const record = sandbox.store.get('Opportunity', id);
          return [
            toId18(id),
            { name: String(record?.Name), modstamp: canonicalModstamp(String(record?.SystemModstamp)) },
          ];
        }),
      );
    const check = async () => {
      const want = expected();
      const stored = new Map<string, Quote>();
      const all = [...want.keys()];
      for (let i = 0; i < all.length; i += 100) {
        const found = await quotes.getMany(
          DEMO_SITE_ID,
          all.slice(i, i + 100).map((id) => `sf-${id}`),
        );
        for (const quote of found.values()) stored.set(quote.salesforce.opportunityId, quote);
      }
      let missing = 0;
      let stale = 0;
      for (const [id, { name, modstamp }] of want) {
        const quote = stored.get(id);
        if (!quote) missing++;
        else if (quote.salesforce.systemModstamp !== modstamp || quote.title !== name) stale++;
      }
      return { missing, stale, quotes: stored.size };
    };

    const loadDone = Date.now();
    const deadline = loadDone + (options.timeoutMs ?? 15 * 60_000);
    let state = await check();
    let lastLog = 0;
    while ((state.missing > 0 || state.stale > 0) && Date.now() < deadline) {
      await sleep(2_000);
      state = await check();
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(
          `settling: ${state.quotes} quotes, ${state.missing} missing, ${state.stale} stale, sandbox at ${new Date(sandbox.clock.now()).toISOString()}`,
        );
      }
    }
    const settleSeconds = (Date.now() - loadDone) / 1000;
    const hits = sandbox.faults.list() as {
      rules: Array<{ action: string; hits: number; window?: unknown }>;
    };
    sandbox.clearFaults();

    // The planted poison reaches the DLQ on its fifth receive, one visibility timeout apart: wait
    // for that (counting, not receiving), with a minute to spare, then read the DLQ once.
    const dlqDeadline =
      Math.max(Date.now(), plantedAt + MAX_RECEIVE_COUNT * VISIBILITY_SECONDS * 1000) + 60_000;
    while (
      (await deadLetterDepth(sqs, stack.resources.deadLetterQueueUrl)) < PLANTED_POISON.length &&
      Date.now() < dlqDeadline
    ) {
      await sleep(2_000);
    }
    const dlq = await readDeadLetters(sqs, stack.resources.deadLetterQueueUrl);
    const unplanted = dlq.bodies.filter((b) => !PLANTED_POISON.includes(b)).length;

    // Duplicates: quotes per opportunity across the whole site's listing.
    const perOpportunity = new Map<string, number>();
    let nextToken: string | undefined;
    do {
      const listed = await quotes.list(DEMO_SITE_ID, { limit: 100, ...(nextToken ? { nextToken } : {}) });
      for (const quote of listed.items) {
        perOpportunity.set(
          quote.salesforce.opportunityId,
          (perOpportunity.get(quote.salesforce.opportunityId) ?? 0) + 1,
        );
      }
      nextToken = listed.nextToken;
    } while (nextToken);
    const duplicates = [...perOpportunity.values()].filter((count) => count > 1).length;

    const deliveries = sandbox.outbound()?.deliveries.length ?? 0;
    const report: SoakReport = {
      n: options.n,
      quotes: state.quotes,
      missing: state.missing,
      duplicates,
      stale: state.stale,
      dlq: { depth: dlq.bodies.length, reasons: dlq.reasons, unplanted },
      apiCallsPerOpportunity: (sandbox.apiCalls().used - callsBefore) / options.n,
      settleSeconds,
      peakRssMiB: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 1024 / 1024),
      faults: {
        deliveries,
        hits: {
          ...Object.fromEntries(hits.rules.map((r) => [r.window ? 'outage (503)' : r.action, r.hits])),
          ...deliveryFaults,
        },
      },
      ok: false,
    };
    report.ok =
      report.missing === 0 &&
      report.duplicates === 0 &&
      report.stale === 0 &&
      report.dlq.unplanted === 0 &&
      report.dlq.depth === PLANTED_POISON.length;
    return report;
  } finally {
    clearInterval(sampler);
    await stack.stop();
  }
}

/** Messages on the DLQ, visible or not. */
async function deadLetterDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** Every message on the DLQ (received with a long visibility, so each is read once), by body and reason. */
async function readDeadLetters(sqs: SQSClient, queueUrl: string) {
  const bodies: string[] = [];
  const reasons: Record<string, number> = {};
  if ((await deadLetterDepth(sqs, queueUrl)) === 0) return { bodies, reasons };
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 300,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      bodies.push(message.Body ?? '');
      const reason =
        message.MessageAttributes?.reason?.StringValue ?? '(none: moved by SQS after maxReceiveCount)';
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
  }
  return { bodies, reasons };
}
