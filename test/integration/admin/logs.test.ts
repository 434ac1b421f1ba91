import type { SalesforceSandbox } from '@quote-sync/salesforce-sandbox';
import { startTestSandbox } from '@quote-sync/salesforce-sandbox/testing';
import { AUDIT_MESSAGE } from '../../../shared/ports/logger';
import { loadAdminApi, TEST_ADMIN_TOKEN } from '../../support/admin-api';
import { createTable } from '../../support/aws';
import { settingsAtStage } from '../../support/site-settings';

/**
 * The admin API's log as an operator reads it: each line carries the request's own ids and no
 * other request's, every admin change is an audit event (who, what, when), and no secret is in
 * any line.
 */
let sandbox: SalesforceSandbox;
let api: ReturnType<typeof loadAdminApi>;
const lines: Array<Record<string, unknown>> = [];
const written: string[] = [];

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const write = process.stdout.write.bind(process.stdout);
  jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: never[]) => {
    const text = String(chunk);
    written.push(text);
    if (text.startsWith('{')) {
      try {
        lines.push(JSON.parse(text) as Record<string, unknown>);
        return true;
      } catch {
        // not a log line
      }
    }
    return write(chunk as string, ...rest);
  }) as typeof process.stdout.write);
  api = loadAdminApi({ tableName: await createTable(), sandbox, env: { POWERTOOLS_LOG_LEVEL: 'INFO' } });
}, 30_000);

afterAll(async () => {
  jest.restoreAllMocks();
  await sandbox.stop();
});

const settings = settingsAtStage({ contactToPerson: { enabled: false }, pushBack: { enabled: true } });

test("a refused request in a warm function is logged under its own site and request, not the last one's", async () => {
  expect((await api.request('PUT', '/sites/site-x', { body: { name: 'X' } })).statusCode).toBe(201);
  lines.length = 0;
  const refused = await api.request('GET', '/sites/site-y/salesforce', { token: null });
  expect(refused.statusCode).toBe(401);
  const line = lines.find((l) => l.message === 'Admin request refused');
  expect(line).toMatchObject({ siteId: 'site-y', requestId: refused.json().requestId, status: 401 });
  expect(JSON.stringify(lines)).not.toContain('site-x');
});

test('admin changes are audit events: who, what, on which site, with what result; reads are not', async () => {
  lines.length = 0;
  await api.request('PUT', '/sites/site-x', { body: { name: 'X renamed' } });
  await api.request('GET', '/sites/site-x');
  await api.request('PUT', '/sites/site-x/salesforce/settings', { body: settings });
  const audits = lines.filter((l) => l.message === AUDIT_MESSAGE);
  expect(audits).toEqual([
    expect.objectContaining({
      siteId: 'site-x',
      requestId: expect.any(String),
      audit: { actor: 'local-operator', action: 'putSite', status: 200 },
    }),
    expect.objectContaining({
      siteId: 'site-x',
      audit: { actor: 'local-operator', action: 'saveSalesforceSettings', status: 200 },
    }),
  ]);
  expect(audits[0]).toHaveProperty('timestamp');
  expect(lines).toContainEqual(
    expect.objectContaining({
      message: 'Settings saved',
      siteId: 'site-x',
      changed: expect.arrayContaining(['opportunityToQuote.stage', 'pushBack.enabled']),
    }),
  );
  // Bodies are not logged: not the site's new name, nor any setting's value.
  expect(JSON.stringify(audits)).not.toContain('X renamed');
  expect(JSON.stringify(audits)).not.toContain('Proposal/Price Quote');
});

test('connecting, deploying, rotating the secret and disconnecting are logged, and no secret is', async () => {
  lines.length = 0;
  await api.request('PUT', '/sites/site-x/salesforce/settings', {
    body: { ...settings, ownerUserId: null },
  });
  const connected = await api.connect('site-x');
  expect(connected.statusCode).toBe(200);
  const rotated = await api.request('POST', '/sites/site-x/salesforce/rotate-secret');
  expect(rotated.statusCode).toBe(200);
  const status = (await api.request('GET', '/sites/site-x/salesforce')).json() as {
    outboundMessageUrl: string;
  };
  expect((await api.request('POST', '/sites/site-x/salesforce/disconnect')).statusCode).toBe(200);

  expect(lines).toContainEqual(
    expect.objectContaining({
      message: AUDIT_MESSAGE,
      siteId: 'site-x',
      organizationId: sandbox.organizationId,
      audit: { actor: `salesforce:${sandbox.username}`, action: 'completeSalesforceConnect', status: 200 },
    }),
  );
  expect(lines).toContainEqual(
    expect.objectContaining({ message: 'Salesforce setup deployed', siteId: 'site-x', flowVersion: 1 }),
  );
  expect(lines).toContainEqual(
    expect.objectContaining({
      message: AUDIT_MESSAGE,
      audit: expect.objectContaining({ action: 'rotateWebhookSecret' }),
    }),
  );
  expect(lines).toContainEqual(
    expect.objectContaining({ message: 'Salesforce disconnected', siteId: 'site-x', revoked: true }),
  );
  const everything = written.join('');
  const secret = status.outboundMessageUrl.split('/').pop() ?? '';
  expect(secret.length).toBeGreaterThan(20);
  expect(everything).not.toContain(secret);
  expect(everything).not.toContain(TEST_ADMIN_TOKEN);
});
