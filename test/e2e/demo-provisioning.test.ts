import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SandboxMetadataService } from '@quote-sync/salesforce-sandbox';
import { DEMO_SETTINGS, provisionDemoSite } from '../../local/demo';
import type { LocalStack } from '../../local/stack';
import { itemKeys } from '../../shared/adapters/dynamodb/keys';
import { LocalKeyCipher, loadOrCreateMasterKey } from '../../shared/adapters/keys/local-keys';
import { settingsSchema } from '../../shared/domain/settings';
import { adminClient } from '../support/admin-client';
import { documents } from '../support/aws';
import { startInProcessStack } from '../support/in-process-stack';

/**
 * Demo provisioning creates what is missing and nothing else: run after run it leaves an admin's
 * settings alone, and it connects again only a site that is not connected to the sandbox's org
 * with a working token.
 */
const ADMIN_TOKEN = 'demo-e2e-admin-token-0123456789';
let stack: LocalStack;
const { api } = adminClient(() => stack.url, ADMIN_TOKEN);
const provision = (organizationId = stack.sandbox.organizationId) =>
  provisionDemoSite(stack.url, ADMIN_TOKEN, { organizationId });

interface Status {
  connection: { status: string; organizationId?: string };
  settings: unknown;
  setup: { flow: { version: number } | null; lastAttempt: { ok: boolean } | null };
  apiUsage?: unknown;
}
const status = () => api<Status>('GET', '/sites/demo/salesforce');

/** Unlike the demo's in every part. */
const ADMIN_SETTINGS = {
  opportunityToQuote: { enabled: true, stage: 'Negotiation/Review' },
  accountToCompany: { enabled: true },
  contactToPerson: { enabled: false },
  fieldMappings: {
    opportunity: [
      {
        salesforceField: 'Probability',
        target: { kind: 'custom', key: 'win_chance' },
        condition: { operator: 'gte', value: 50 },
      },
    ],
    account: [{ salesforceField: 'Industry', target: { kind: 'core', field: 'industry' } }],
    contact: [],
  },
  customFields: [{ key: 'win_chance', label: 'Win chance', type: 'number', appliesTo: 'opportunity' }],
  pushBack: { enabled: false },
  ownerUserId: 'kim',
};
/** As the API answers them: with the defaults of keys the PUT left out. */
const STORED_ADMIN_SETTINGS = settingsSchema.parse(ADMIN_SETTINGS);

beforeAll(async () => {
  stack = await startInProcessStack('demo', {
    adminToken: ADMIN_TOKEN,
    demo: false,
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

test('a first run creates the site, its owner, the settings and the connection, then synchronizes', async () => {
  const demo = await provision();
  expect(demo.done).toEqual([
    'created the site',
    'added the user demo-owner',
    'saved the demo settings',
    'connected Salesforce',
  ]);
  expect(demo.initialSync?.status).toBe('completed');
  expect(demo.status).toMatchObject({
    connection: { status: 'connected', organizationId: stack.sandbox.organizationId },
    settings: DEMO_SETTINGS,
    setup: { flow: { version: 1 }, lastAttempt: { ok: true } },
  });
});

test('a run with everything in place changes nothing and starts no run', async () => {
  const demo = await provision();
  expect(demo.done).toEqual([]);
  expect(demo.initialSync).toBeUndefined();
});

test("the admin's settings and owner stay as the admin left them", async () => {
  await api('POST', '/sites/demo/users', { userId: 'kim', name: 'Kim Admin', email: 'kim@example.com' });
  await api('PUT', '/sites/demo/salesforce/settings', ADMIN_SETTINGS);
  const before = await status();

  const demo = await provision();
  expect(demo.done).toEqual([]);
  // Everything but the API usage, which every call to the org moves on.
  const { apiUsage: _before, ...unchanged } = before;
  const { apiUsage: _after, ...now } = await status();
  expect(now).toEqual(unchanged);
  expect(before.settings).toEqual(STORED_ADMIN_SETTINGS);
});

test('a site the admin disconnected is connected again, with the setup of its own settings', async () => {
  await api('POST', '/sites/demo/salesforce/disconnect');
  expect((await status()).connection.status).toBe('not-connected');

  const demo = await provision();
  expect(demo.done).toEqual(['connected Salesforce']);
  expect(demo.status).toMatchObject({
    connection: { status: 'connected' },
    settings: STORED_ADMIN_SETTINGS,
    setup: { flow: { version: expect.any(Number) }, lastAttempt: { ok: true } },
  });
  expect(demo.initialSync?.status).toBe('completed');
});

test('a connection whose token the org refuses, or to another org, is connected anew', async () => {
  const record = await documents.send(
    new GetCommand({
      TableName: stack.resources.tableName,
      Key: itemKeys.connection('demo'),
    }),
  );
  const cipher = new LocalKeyCipher(loadOrCreateMasterKey(String(process.env.LOCAL_KEY_FILE)));
  expect(stack.sandbox.auth.revoke(await cipher.decrypt(record.Item?.refreshToken, 'demo'))).toBe(true);
  stack.sandbox.expireAccessTokens();
  const refused = await provision();
  expect(refused.done).toEqual([expect.stringMatching(/^connected Salesforce again \(.*invalid_grant/)]);
  expect(refused.status.settings).toEqual(STORED_ADMIN_SETTINGS);

  const elsewhere = await provision('00D000000000001AAA');
  expect(elsewhere.done).toEqual([
    `connected Salesforce again (the connection was to ${stack.sandbox.organizationId}, not to the sandbox's org)`,
  ]);
  expect(elsewhere.status.settings).toEqual(STORED_ADMIN_SETTINGS);
});

test('a site whose settings were never saved (a first start stopped half-way) gets the demo settings', async () => {
  await documents.send(
    new DeleteCommand({ TableName: stack.resources.tableName, Key: itemKeys.settings('demo') }),
  );
  const demo = await provision();
  expect(demo.done).toEqual(['saved the demo settings']);
  expect(demo.status).toMatchObject({
    connection: { status: 'connected' },
    settings: DEMO_SETTINGS,
    setup: { flow: { version: expect.any(Number) }, lastAttempt: { ok: true } },
  });
});

test("an outbound message that posts to another API URL (a start on another PORT) is pointed at this start's", async () => {
  const messageUrls = () =>
    (stack.sandbox.metadata as SandboxMetadataService).outboundMessages().map((m) => m.endpointUrl);
  const current = await api<{ outboundMessageUrl: string }>('GET', '/sites/demo/salesforce');
  expect(messageUrls()).toEqual([current.outboundMessageUrl]);
  const moved = await provisionDemoSite(stack.url, ADMIN_TOKEN, {
    organizationId: stack.sandbox.organizationId,
    outboundMessageUrls: () => ['http://127.0.0.1:9/salesforce/outbound/demo/an-earlier-port'],
  });
  expect(moved.done).toEqual(["pointed the outbound message at this start's API URL"]);
  expect(messageUrls()).toEqual([current.outboundMessageUrl]);
  const inPlace = await provisionDemoSite(stack.url, ADMIN_TOKEN, {
    organizationId: stack.sandbox.organizationId,
    outboundMessageUrls: messageUrls,
  });
  expect(inPlace.done).toEqual([]);
});
