import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from 'jsforce';
import { DEMO_STAGE } from '../../local/demo';
import { FLOW_API_NAME } from '../../shared/domain/salesforce-setup';
import { BANNER_END, type Banner, parseBanner } from '../support/banner';
import { eventually } from '../support/eventually';
import { type StartedStack, startStackProcess } from '../support/local-stack-process';

/**
 * A client that waits for `/health` to say ready can use everything the banner prints at once,
 * and before that sees no half-provisioned demo site; after a restart it never sees the status
 * of a connection or flow that is not true of the org the sandbox runs now.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'quote-sync-ready-'));
let stack: StartedStack | undefined;

afterEach(() => {
  if (stack && stack.child.exitCode === null) stack.kill();
});

interface Answer {
  health: { status: number; body: { status: string; step?: string } };
  demo: { status: number };
}

interface DemoStatus {
  connection: { status: string; organizationId?: string };
  stagesError?: string;
  stages: string[];
  settings: { opportunityToQuote: { stage: string | null } };
  setup: { flow: { version: number } | null; lastAttempt: { ok: boolean } | null };
}

/** Polls /health, and the demo site's status beside it, until /health answers 200. */
async function pollUntilReady(started: StartedStack): Promise<Answer[]> {
  const answers: Answer[] = [];
  const auth = { authorization: `Bearer ${started.adminToken}` };
  return eventually(
    async () => {
      // The demo site first: readiness may turn between the two requests, and a 503 from /health
      // asked second then means the site's 503 asked first was before it too.
      const demo = await fetch(`${started.url}/sites/demo/salesforce`, { headers: auth });
      const health = await fetch(`${started.url}/health`);
      await demo.body?.cancel();
      answers.push({
        health: { status: health.status, body: (await health.json()) as Answer['health']['body'] },
        demo: { status: demo.status },
      });
      return health.status === 200 && answers;
    },
    'GET /health to answer 200',
    45_000,
    25,
  );
}

async function sandboxLogin(banner: Banner): Promise<Connection> {
  const { loginUrl, clientId, clientSecret, username, password } = banner.sandbox;
  const conn = new Connection({ loginUrl, oauth2: { loginUrl, clientId, clientSecret }, version: '62.0' });
  await conn.login(username, password);
  return conn;
}

/** The start-up as a client sees it, and the demo site the moment /health says ok. */
async function startAndCheck(
  env: Record<string, string> = {},
): Promise<{ started: StartedStack; status: DemoStatus; answers: Answer[] }> {
  const started = await startStackProcess({ DATA_DIR: dataDir, ...env }, { until: 'listening' });
  stack = started;
  const answers = await pollUntilReady(started);
  const response = await fetch(`${started.url}/sites/demo/salesforce`, {
    headers: { authorization: `Bearer ${started.adminToken}` },
  });
  expect(response.status).toBe(200);
  const status = (await response.json()) as DemoStatus;

  // Until ready: 503 "starting" from /health, and the admin API waits too.
  for (const answer of answers.slice(0, -1)) {
    expect(answer.health).toEqual({ status: 503, body: { status: 'starting', step: expect.any(String) } });
    expect(answer.demo.status).toBe(503);
  }
  expect(answers.at(-1)?.health).toEqual({ status: 200, body: { status: 'ok' } });

  // Ready: the demo site is connected to the org the sandbox runs now, with a working token,
  // its stage saved, and the flow version it shows active in that org.
  const banner = parseBanner(
    await eventually(() => BANNER_END.test(started.output()) && started.output(), 'the banner', 20_000, 20),
  );
  expect(status.connection).toMatchObject({
    status: 'connected',
    organizationId: banner.sandbox.organizationId,
  });
  expect(status.stagesError).toBeUndefined();
  expect(status.stages).toContain(DEMO_STAGE);
  expect(status.settings.opportunityToQuote.stage).toBe(DEMO_STAGE);
  expect(status.setup.lastAttempt).toMatchObject({ ok: true });
  const conn = await sandboxLogin(banner);
  const definition = (await conn.metadata.read('FlowDefinition', FLOW_API_NAME)) as unknown as {
    activeVersionNumber: string;
  };
  expect(Number(definition.activeVersionNumber)).toBe(status.setup.flow?.version);
  return { started, status, answers };
}

test('health says starting with 503 until the demo site and its flow are there, also after a restart', async () => {
  const first = await startAndCheck();
  // The API listened before the demo site was provisioned, so there was a start-up to wait for.
  expect(first.answers.length).toBeGreaterThan(1);
  expect(await first.started.stop('SIGTERM')).toBe(0);

  // The second start logs JSON, as the functions do in AWS.
  const second = await startAndCheck({ LOG_FORMAT: 'json' });
  const logged = second.started
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(logged).toContainEqual(
    expect.objectContaining({ service: 'admin-api', level: 'INFO', message: expect.any(String) }),
  );
  expect(second.started.output()).not.toMatch(/^\d\d:\d\d:\d\d\.\d{3} (INFO|WARN)/m);
  expect(second.answers.length).toBeGreaterThan(1);
  expect(await second.started.stop('SIGTERM')).toBe(0);
}, 120_000);
