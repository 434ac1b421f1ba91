import { Validator } from '@seriousme/openapi-schema-validator';
import { Connection } from 'jsforce';
import { ACK_BODY } from '../../shared/adapters/soap/soap-responses';
import { adminRouteList } from '../../shared/http/admin-routes';
import { parseBanner } from '../support/banner';
import { eventually } from '../support/eventually';
import { signInLocally } from '../support/local-sign-in';
import { type StartedStack, startStackProcess } from '../support/local-stack-process';
import { buildOutboundMessage, opportunities } from '../support/outbound-messages';

/** `npm start` as a user runs it: its own process, its own emulators, sandbox and demo site. */
let stack: StartedStack;
let demo: {
  outboundMessageUrl: string;
  connection: { organizationId: string };
  setup: { flow: { version: number } };
};

beforeAll(async () => {
  stack = await startStackProcess();
  const response = await fetch(`${stack.url}/sites/demo/salesforce`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  demo = (await response.json()) as typeof demo;
}, 60_000);

async function admin(path: string): Promise<unknown> {
  const response = await fetch(`${stack.url}${path}`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  return response.json();
}

afterAll(async () => {
  if (stack.child.exitCode === null) stack.kill();
});

test('npm start runs on the same Node.js as the tests, and says which in its banner', () => {
  expect(parseBanner(stack.output()).runtime).toBe(`Node.js ${process.version} (${process.execPath})`);
});

test('npm start answers /health', async () => {
  const response = await fetch(`${stack.url}/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});

test('GET /openapi.json is a valid OpenAPI 3.1 document listing every admin route', async () => {
  const response = await fetch(`${stack.url}/openapi.json`);
  expect(response.status).toBe(200);
  const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
  expect((await new Validator().validate(document)).valid).toBe(true);
  for (const route of adminRouteList) {
    expect(document.paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
  }
});

test('through the gateway: a wrong method is 405 with Allow, a 400 is a problem, bad encoding is 400', async () => {
  const authorization = `Bearer ${stack.adminToken}`;
  const wrong = await fetch(`${stack.url}/sites/demo/salesforce/settings`, {
    method: 'DELETE',
    headers: { authorization },
  });
  expect(wrong.status).toBe(405);
  expect(wrong.headers.get('allow')).toBe('PUT');
  expect(wrong.headers.get('content-type')).toBe('application/problem+json');
  const invalid = await fetch(`${stack.url}/sites/demo/quotes?limit=1000`, { headers: { authorization } });
  expect(invalid.status).toBe(400);
  expect(invalid.headers.get('content-type')).toBe('application/problem+json');
  const problem = (await invalid.json()) as { requestId: string; issues: { path: string }[] };
  expect(problem.issues).toEqual([expect.objectContaining({ path: 'limit' })]);
  // The gateway's request id, as API Gateway returns it, is the one the problem carries.
  expect(invalid.headers.get('apigw-requestid')).toBe(problem.requestId);
  for (const path of ['/sites/%zz/quotes', '/sites/demo/quotes/%E0%A4%A']) {
    const malformed = await fetch(`${stack.url}${path}`, { headers: { authorization } });
    expect({ path, status: malformed.status }).toEqual({ path, status: 400 });
  }
});

test('the demo site is connected to the sandbox through OAuth, with its flow deployed', () => {
  expect(demo.connection.organizationId).toMatch(/^00D/);
  expect(demo.setup.flow.version).toBe(1);
  expect(demo.outboundMessageUrl).toMatch(
    new RegExp(`^${stack.url}/salesforce/outbound/demo/[A-Za-z0-9_-]{40,}$`),
  );
});

test('an outbound message to the demo site is acknowledged and its notification reaches the sync worker', async () => {
  const [notification] = opportunities(1);
  const response = await fetch(demo.outboundMessageUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    body: buildOutboundMessage({
      organizationId: demo.connection.organizationId,
      notifications: opportunities(1),
    }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
  expect(await response.text()).toBe(ACK_BODY);

  // The made-up account is not in the sandbox: the worker logs a permanent failure for it.
  const entries = await eventually(async () => {
    const log = (await admin(`/sites/demo/salesforce/log?opportunityId=${notification?.fields.Id}`)) as {
      entries: Array<{ outcome: string; errorCode?: string }>;
    };
    return log.entries.length > 0 ? log.entries : undefined;
  }, 'the failed entry of the made-up account');
  expect(entries).toEqual([expect.objectContaining({ outcome: 'failed', errorCode: 'ENTITY_IS_DELETED' })]);
});

test('an opportunity moved to the demo stage in the sandbox becomes one Scoping quote, even delivered twice', async () => {
  const { loginUrl, clientId, clientSecret, username, password } = parseBanner(stack.output()).sandbox;
  const conn = new Connection({ loginUrl, oauth2: { loginUrl, clientId, clientSecret }, version: '62.0' });
  await conn.login(username, password);
  const { records } = await conn.query<{ Id: string }>(
    "SELECT Id FROM Opportunity WHERE Name = 'Acme — warehouse rollout'",
  );
  const opportunityId = records[0]?.Id ?? '';
  const faults = await fetch(`${loginUrl}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ delivery: [{ action: 'duplicate', times: 1 }] }),
  });
  expect(faults.status).toBeLessThan(300);

  await conn.sobject('Opportunity').update({ Id: opportunityId, StageName: 'Proposal/Price Quote' });
  await fetch(`${loginUrl}/_sandbox/outbound/flush`, { method: 'POST' });

  const log = await eventually(async () => {
    const page = (await admin(`/sites/demo/salesforce/log?opportunityId=${opportunityId}`)) as {
      entries: Array<{ outcome: string }>;
    };
    return page.entries.length >= 2 ? page.entries : undefined;
  }, 'both deliveries in the log');
  expect(log.map((e) => e.outcome).sort()).toEqual(['created', 'unchanged']);
  const { quotes } = (await admin(`/sites/demo/quotes?opportunityId=${opportunityId}`)) as {
    quotes: Array<{ status: string; title: string; companyId: string | null; personId: string | null }>;
  };
  expect(quotes).toEqual([
    expect.objectContaining({
      status: 'Scoping',
      title: 'Acme — warehouse rollout',
      companyId: expect.stringMatching(/^sf-001/),
      personId: expect.stringMatching(/^sf-003/),
    }),
  ]);
});

test('a hostile message gets its 4xx fault through the gateway', async () => {
  const response = await fetch(demo.outboundMessageUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>',
  });
  expect(response.status).toBe(400);
  expect(await response.text()).toContain('DOCTYPE');
});

test("the console's URL is the API's own, with its security headers", async () => {
  // The banner's row, not the build's own line ("console built into …") of a fresh checkout.
  expect(parseBanner(stack.output()).consoleUrl).toBe(`${stack.url}/`);
  const page = await fetch(`${stack.url}/`);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'.*object-src 'none'/);
  expect(page.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  expect(page.headers.get('x-content-type-options')).toBe('nosniff');
});

test("the demo's people sign in with the banner's passwords: the user is refused admin work, the second site's admin the demo site", async () => {
  const { people } = parseBanner(stack.output(), stack.adminToken);
  expect(people.map(({ email, role, siteId }) => `${email} ${role} ${siteId}`)).toEqual([
    'dana@example.com admin demo',
    'uma@example.com user demo',
    'olga@example.com admin second',
  ]);
  const as = async (email: string) => {
    const person = people.find((candidate) => candidate.email === email);
    if (!person) throw new Error(`${email} is not in the banner`);
    const { access_token } = await signInLocally(stack.url, person);
    return (path: string, init: RequestInit = {}) =>
      fetch(`${stack.url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${access_token}`,
          'content-type': 'application/json',
          ...init.headers,
        },
      });
  };
  const dana = await as('dana@example.com');
  expect(await (await dana('/me')).json()).toMatchObject({
    name: 'Dana Delivery',
    operator: false,
    sites: [{ siteId: 'demo', name: 'Demo site', role: 'admin', pushBack: true }],
  });
  expect((await dana('/sites/second')).status).toBe(403);

  const uma = await as('uma@example.com');
  expect((await uma('/sites/demo/quotes')).status).toBe(200);
  const refused = await uma('/sites/demo/salesforce/sync', { method: 'POST' });
  expect(refused.status).toBe(403);
  expect(await refused.json()).toMatchObject({ reason: 'admin-role-required' });

  const olga = await as('olga@example.com');
  expect(await (await olga('/me')).json()).toMatchObject({ sites: [{ siteId: 'second', role: 'admin' }] });
  const other = await olga('/sites/demo/quotes');
  expect(other.status).toBe(403);
  expect(await other.json()).toMatchObject({ reason: 'not-a-member' });
});

test('the log is one short line per event, naming its ids', () => {
  const lines = stack.output().split('\n');
  const audit = lines.find((line) => /admin-api\s+Admin change .*action=putSite/.test(line));
  expect(audit).toMatch(
    /^\d\d:\d\d:\d\d\.\d{3} INFO {2}admin-api {12}Admin change {2}request=\w{8} site=demo actor=local-operator action=putSite status=201$/,
  );
  expect(lines).toContainEqual(
    expect.stringMatching(/sync-worker\s+Notification created .*opportunity=006\w{15} quote=sf-006/),
  );
  expect(stack.output()).not.toContain('{"level"');
  for (const line of lines.filter((l) => /^\d\d:\d\d:\d\d\.\d{3} /.test(l)))
    expect(line.length).toBeLessThan(400);
});

test("neither the webhook secret nor an admin token of the user's own appears in the output", () => {
  const secret = demo.outboundMessageUrl.split('/').pop() ?? '';
  expect(secret.length).toBeGreaterThan(20);
  expect(stack.output()).not.toContain(secret);
  expect(stack.output()).not.toContain(stack.adminToken);
});

test('SIGTERM stops every part and the ports are released', async () => {
  expect(await stack.stop('SIGTERM')).toBe(0);
  await expect(fetch(`${stack.url}/health`)).rejects.toThrow();
});
