import type { SalesforceSandbox, SandboxMetadataService } from '@quote-sync/salesforce-sandbox';
import { loggedIn, OutboundEndpoint, startTestSandbox } from '@quote-sync/salesforce-sandbox/testing';
import { readMetadata } from '../../../shared/adapters/salesforce/jsforce-org';
import { loadAdminApi, PUBLIC_BASE_URL } from '../../support/admin-api';
import { createTable } from '../../support/aws';
import { settingsAtStage } from '../../support/site-settings';

/**
 * What a real org does differently from a developer org, end to end through the admin Lambda:
 * production orgs that save deployed flows inactive, refused activations, logins per site,
 * Salesforce's refusals of a Connect, editions that cannot run the integration, the API budget.
 */

let sandbox: SalesforceSandbox;
let endpoint: OutboundEndpoint;
let api: ReturnType<typeof loadAdminApi>;
let site = 0;

const settings = settingsAtStage;

/** A new site whose settings already name the stage, so that Connect deploys. */
async function newSite(): Promise<string> {
  site += 1;
  const siteId = `org-${site}`;
  expect((await api.request('PUT', `/sites/${siteId}`, { body: { name: siteId } })).statusCode).toBe(201);
  expect(
    (await api.request('PUT', `/sites/${siteId}/salesforce/settings`, { body: settings() })).statusCode,
  ).toBe(200);
  return siteId;
}

// biome-ignore lint/suspicious/noExplicitAny: the client checks every answer against its schema
const status = async (siteId: string): Promise<any> =>
  (await api.request('GET', `/sites/${siteId}/salesforce`)).json();
const metadata = () => sandbox.metadata as unknown as SandboxMetadataService;
const flowStatuses = () =>
  metadata()
    .listFlowVersions('Scoro_Opportunity_Flow')
    .map((v) => v.status);

beforeAll(async () => {
  sandbox = await startTestSandbox();
  endpoint = await new OutboundEndpoint().start();
  api = loadAdminApi({
    tableName: await createTable(),
    sandbox,
    outboundBaseUrl: new URL(endpoint.url).origin,
  });
}, 30_000);

afterAll(async () => {
  await endpoint.stop();
  await sandbox.stop();
});

beforeEach(() => sandbox.reset());

describe('a production org that saves deployed flows inactive', () => {
  test('connect → the flow lands inactive → the service activates it → the status shows it active', async () => {
    sandbox.setOrg({ kind: 'production', deployFlowsAsActive: false });
    const siteId = await newSite();
    sandbox.resetApiCalls();
    const connected = await api.connect(siteId);
    expect(connected.statusCode).toBe(200);
    expect(connected.json().org).toMatchObject({
      edition: 'Enterprise Edition',
      isSandbox: false,
      supported: true,
    });
    // One version saved (inactive, as production saves it) and then activated: no second save.
    expect(flowStatuses()).toEqual(['Active']);
    expect(sandbox.apiCalls().byKind.other).toBeGreaterThanOrEqual(3); // Tooling: read, activate, read back
    const { setup } = await status(siteId);
    expect(setup.flow).toMatchObject({ version: 1, activeVersion: 1, state: 'active' });
    expect(setup.lastAttempt).toMatchObject({ ok: true });
  });

  test('with "Deploy processes and flows as active" on, the save itself makes it active', async () => {
    sandbox.setOrg({ kind: 'production', deployFlowsAsActive: true });
    const siteId = await newSite();
    await api.connect(siteId);
    expect(flowStatuses()).toEqual(['Active']);
    expect((await status(siteId)).setup.flow).toMatchObject({ state: 'active', activeVersion: 1 });
  });

  test('a refused activation: the status says "saved but inactive", why, and what the admin must do; a retry activates without a new version', async () => {
    sandbox.setOrg({
      kind: 'production',
      flowActivationRefusal: {
        statusCode: 'INSUFFICIENT_ACCESS',
        message: 'insufficient access rights on object id',
      },
    });
    const siteId = await newSite();
    await api.connect(siteId);
    expect(flowStatuses()).toEqual(['Draft']);
    const { setup } = await status(siteId);
    expect(setup.flow).toMatchObject({
      version: 1,
      activeVersion: 0,
      state: 'saved-but-inactive',
      inactive: {
        errorCode: 'INSUFFICIENT_ACCESS',
        reason: expect.stringMatching(/^Flow saved but inactive: .*version 1.*insufficient access rights/),
        adminAction: expect.stringMatching(/Manage Flow/),
      },
    });
    expect(setup.lastAttempt).toMatchObject({
      ok: false,
      step: 'activate',
      error: expect.stringMatching(/inactive/),
    });

    // The admin fixed the permission; the retry activates the version already saved.
    sandbox.setOrg({ flowActivationRefusal: null });
    const retried = (await api.request('POST', `/sites/${siteId}/salesforce/deploy`)).json() as {
      setup: { flow: Record<string, unknown> };
    };
    expect(retried.setup.flow).toMatchObject({ version: 1, activeVersion: 1, state: 'active' });
    expect(retried.setup.flow.inactive).toBeUndefined();
    expect(flowStatuses()).toEqual(['Active']);
  });

  test('disconnect deactivates the flow before deleting it, as Salesforce requires', async () => {
    sandbox.setOrg({ kind: 'production' });
    const siteId = await newSite();
    await api.connect(siteId);
    expect(flowStatuses()).toEqual(['Active']);
    // The org refuses to delete the flow while a version is active, so only deactivating first works.
    const refused = await (await loggedIn(sandbox)).metadata.delete('Flow', 'Scoro_Opportunity_Flow');
    expect(refused).toMatchObject({
      success: false,
      errors: [
        { statusCode: 'DELETE_FAILED', message: expect.stringMatching(/while a version of it is active/) },
      ],
    });
    expect(flowStatuses()).toEqual(['Active']);
    sandbox.resetApiCalls();
    const disconnected = await api.request('POST', `/sites/${siteId}/salesforce/disconnect`);
    expect(disconnected.json()).toEqual({ removed: true, revoked: true });
    expect(flowStatuses()).toEqual([]);
    expect(metadata().outboundMessages()).toEqual([]);
    // Tooling: the definition read and its activeVersionNumber 0; Metadata API: the deletes.
    expect(sandbox.apiCalls().byKind).toMatchObject({ other: 2, metadata: expect.any(Number) });
  });
});

describe('a flow as Flow Builder writes it, checked by the sandbox against metadata-62.0.wsdl', () => {
  test('the Flow Builder elements are saved, and each condition value is in the element of its type', async () => {
    const siteId = await newSite();
    await api.connect(siteId);
    const saved = await api.request('PUT', `/sites/${siteId}/salesforce/settings`, {
      body: settings({
        customFields: [
          { key: 'close', label: 'Close', type: 'text', appliesTo: 'opportunity' },
          { key: 'modified', label: 'Modified', type: 'text', appliesTo: 'opportunity' },
          { key: 'private', label: 'Private', type: 'checkbox', appliesTo: 'opportunity' },
          { key: 'probability', label: 'Probability', type: 'number', appliesTo: 'opportunity' },
        ],
        fieldMappings: {
          opportunity: [
            {
              salesforceField: 'Amount',
              target: { kind: 'core', field: 'opportunityAmount' },
              condition: { operator: 'gte', value: 1000 },
            },
            {
              salesforceField: 'CloseDate',
              target: { kind: 'custom', key: 'close' },
              condition: { operator: 'gt', value: '2026-01-01' },
            },
            {
              salesforceField: 'LastModifiedDate',
              target: { kind: 'custom', key: 'modified' },
              condition: { operator: 'gt', value: '2026-01-01T09:00:00+02:00' },
            },
            {
              salesforceField: 'IsPrivate',
              target: { kind: 'custom', key: 'private' },
              condition: { operator: 'eq', value: 'false' },
            },
            {
              salesforceField: 'Probability',
              target: { kind: 'custom', key: 'probability' },
              condition: { operator: 'lte', value: 90 },
            },
          ],
          account: [],
          contact: [],
        },
      }),
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().setup).toMatchObject({
      lastAttempt: { ok: true },
      flow: { version: 2, state: 'active' },
    });
    const flow = (await (
      await loggedIn(sandbox)
    ).metadata.read('Flow', 'Scoro_Opportunity_Flow')) as unknown as {
      actionCalls: Array<{ flowTransactionModel: string }>;
      environments: string | string[];
      interviewLabel: string;
      processMetadataValues: Array<{ name: string; value: { stringValue: string } }>;
      start: { filters: Array<{ field: string; value: Record<string, unknown> }> };
    };
    expect(flow.actionCalls.map((a) => a.flowTransactionModel)).toEqual(['CurrentTransaction']);
    expect([flow.environments].flat()).toEqual(['Default']);
    expect(flow.interviewLabel).toBe('Scoro Opportunity Flow {!$Flow.CurrentDateTime}');
    expect(flow.processMetadataValues.map((v) => [v.name, v.value.stringValue])).toEqual([
      ['BuilderType', 'LightningFlowBuilder'],
      ['CanvasMode', 'AUTO_LAYOUT_CANVAS'],
      ['OriginBuilderType', 'LightningFlowBuilder'],
    ]);
    expect(Object.fromEntries(flow.start.filters.map((f) => [f.field, f.value]))).toEqual({
      StageName: { stringValue: 'Proposal/Price Quote' },
      Amount: { numberValue: 1000 },
      CloseDate: { dateValue: '2026-01-01' },
      LastModifiedDate: { dateTimeValue: '2026-01-01T07:00:00.000Z' },
      IsPrivate: { booleanValue: false },
      Probability: { numberValue: 90 },
    });
  });

  test('a date condition that is no date is a 400 naming it', async () => {
    const siteId = await newSite();
    await api.connect(siteId);
    const refused = await api.request('PUT', `/sites/${siteId}/salesforce/settings`, {
      body: settings({
        customFields: [{ key: 'close', label: 'Close', type: 'text', appliesTo: 'opportunity' }],
        fieldMappings: {
          opportunity: [
            {
              salesforceField: 'CloseDate',
              target: { kind: 'custom', key: 'close' },
              condition: { operator: 'gt', value: '2026-02-30' },
            },
          ],
          account: [],
          contact: [],
        },
      }),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual([
      {
        path: 'fieldMappings.opportunity.0.condition.value',
        message: 'CloseDate is a date field; give a date as YYYY-MM-DD',
      },
    ]);
  });
});

describe('jsforce edge: metadata.read of a component the org does not have', () => {
  test("a nil record (jsforce fills in empty defaults) and an empty result (jsforce 3.10 throws a TypeError) both read as 'not found'", async () => {
    const conn = await loggedIn(sandbox);
    expect(
      await conn.metadata.read('WorkflowOutboundMessage', 'Opportunity.Nothing_here'),
    ).not.toHaveProperty('fullName');
    expect(await readMetadata(conn, 'WorkflowOutboundMessage', 'Opportunity.Nothing_here')).toBeUndefined();
    // What jsforce 3.10.16 does with a readMetadata answer that holds no record at all.
    const empty = {
      metadata: {
        read: async () => {
          const { $: _attributes } = undefined as unknown as { $: unknown };
          return _attributes;
        },
      },
    } as unknown as Parameters<typeof readMetadata>[0];
    await expect(empty.metadata.read('Flow' as never, 'X')).rejects.toThrow(
      /Cannot destructure property '\$'/,
    );
    expect(await readMetadata(empty, 'Flow', 'X')).toBeUndefined();
  });
});

describe('logins per site', () => {
  test('a sandbox org signs in at test.salesforce.com; refreshes and the revocation go there too', async () => {
    sandbox.setOrg({ kind: 'sandbox' });
    const siteId = await newSite();
    // A sandbox user cannot sign in at login.salesforce.com: the login page stays.
    await expect(api.connect(siteId, 'login=production')).rejects.toThrow(
      /did not redirect.*check your username/s,
    );
    const connected = await api.connect(siteId, 'login=sandbox');
    expect(connected.statusCode).toBe(200);
    expect(connected.json().org).toMatchObject({ isSandbox: true });
    const first = await status(siteId);
    expect(first.connection).toMatchObject({
      status: 'connected',
      login: { kind: 'sandbox', url: 'https://test.salesforce.com' },
    });
    // An expired session is refreshed at the site's login host.
    sandbox.expireAccessTokens();
    expect((await status(siteId)).stages).toContain('Proposal/Price Quote');
    const tokensBefore = sandbox.auth.refreshTokenCount();
    expect((await api.request('POST', `/sites/${siteId}/salesforce/disconnect`)).json()).toMatchObject({
      revoked: true,
    });
    expect(sandbox.auth.refreshTokenCount()).toBe(tokensBefore - 1);
  });

  test("an org's My Domain signs it in; another My Domain does not", async () => {
    sandbox.setOrg({ kind: 'production' });
    const siteId = await newSite();
    await expect(
      api.connect(
        siteId,
        `login=my-domain&myDomain=${encodeURIComponent('https://someone-else.my.salesforce.com')}`,
      ),
    ).rejects.toThrow(/did not redirect/);
    const connected = await api.connect(
      siteId,
      `login=my-domain&myDomain=${encodeURIComponent('https://quote-sync-sandbox.my.salesforce.com')}`,
    );
    expect(connected.statusCode).toBe(200);
    expect((await status(siteId)).connection.login).toEqual({
      kind: 'my-domain',
      url: 'https://quote-sync-sandbox.my.salesforce.com',
    });
  });

  test('a URL that is no My Domain is a 400 naming myDomain', async () => {
    const siteId = await newSite();
    const refused = await api.request(
      'GET',
      `/sites/${siteId}/salesforce/connect?login=my-domain&myDomain=${encodeURIComponent('https://evil.example')}`,
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual([
      { path: 'myDomain', message: expect.stringMatching(/not a My Domain host/) },
    ]);
  });
});

describe("Salesforce's refusals of a Connect", () => {
  test.each([
    ['invalid_client', 'app must be installed into org', /not installed/, /Connected Apps OAuth Usage/],
    ['OAUTH_APP_BLOCKED', 'this app is blocked by admin', /blocked/, /unblock/],
    [
      'OAUTH_APP_ACCESS_DENIED',
      'user is not admin approved to access this app',
      /not approved/,
      /permission set/,
    ],
  ])('%s (%s) answers 403 with what the org admin must do', async (error, description, title, step) => {
    sandbox.setOrg({ authorizeRefusal: { error, error_description: description } });
    const siteId = await newSite();
    const answer = await api.connect(siteId);
    expect(answer.statusCode).toBe(403);
    const body = answer.json();
    expect(body).toMatchObject({
      connected: false,
      siteId,
      refusal: {
        salesforce: { error, description },
        title: expect.stringMatching(title),
        needsOrgAdmin: true,
      },
    });
    expect((body.refusal as { steps: string[] }).steps.join(' ')).toMatch(step);
    expect((await status(siteId)).connection).toEqual({ status: 'not-connected' });
  });
});

describe("the callback in the admin's browser", () => {
  /** What Chromium sends when it follows Salesforce's redirect. */
  const navigation = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

  test("lands on the console's page of the site, which shows the refusal to admins until a Connect succeeds", async () => {
    sandbox.setOrg({
      authorizeRefusal: { error: 'OAUTH_APP_BLOCKED', error_description: 'this app is blocked by admin' },
    });
    const siteId = await newSite();
    const refused = await api.connect(siteId, '', navigation);
    expect(refused.statusCode).toBe(303);
    expect(refused.headers?.location).toBe(`${PUBLIC_BASE_URL}/#/sites/${siteId}/salesforce?connect=refused`);
    const shown = await status(siteId);
    expect(shown.connectRefusal).toMatchObject({
      at: expect.any(String),
      salesforce: { error: 'OAUTH_APP_BLOCKED', description: 'this app is blocked by admin' },
      title: expect.stringMatching(/blocked/),
      needsOrgAdmin: true,
    });
    // A user of the site cannot connect, so is not shown why a Connect failed.
    const asUser = await api.request('GET', `/sites/${siteId}/salesforce`, { jwtSites: [`${siteId}:user`] });
    expect(asUser.json().connectRefusal).toBeUndefined();

    sandbox.setOrg({ authorizeRefusal: null });
    const connected = await api.connect(siteId, '', navigation);
    expect(connected.statusCode).toBe(303);
    expect(connected.headers?.location).toBe(
      `${PUBLIC_BASE_URL}/#/sites/${siteId}/salesforce?connect=connected`,
    );
    const after = await status(siteId);
    expect(after.connectRefusal).toBeUndefined();
    expect(after.connection).toMatchObject({ status: 'connected', login: { kind: 'production' } });
  });

  test('a reconnection at another login host is reached with the new connection, not the session a warm function kept', async () => {
    const siteId = await newSite();
    expect((await api.connect(siteId)).statusCode).toBe(200);
    // The warm function now holds a session of that connection (production login host).
    expect((await status(siteId)).connection.org).toMatchObject({ isSandbox: false });
    expect((await api.request('POST', `/sites/${siteId}/salesforce/disconnect`)).statusCode).toBe(200);
    sandbox.setOrg({ kind: 'sandbox' });
    const again = await api.connect(siteId, 'login=sandbox');
    expect(again.statusCode).toBe(200);
    // The org check ran against the sandbox org through test.salesforce.com.
    expect(again.json().org).toMatchObject({ isSandbox: true, supported: true });
    expect((await status(siteId)).connection).toMatchObject({
      status: 'connected',
      login: { kind: 'sandbox' },
      org: { isSandbox: true },
    });
  });

  test('an unknown or used state sends the browser to the site list, which says so', async () => {
    const answer = await api.request('GET', '/salesforce/oauth/callback?state=acme.nope&code=x', {
      token: null,
      headers: navigation,
    });
    expect(answer.statusCode).toBe(303);
    expect(answer.headers?.location).toBe(`${PUBLIC_BASE_URL}/#/sites?connect=expired`);
    // curl and scripts still get the problem details.
    const json = await api.request('GET', '/salesforce/oauth/callback?state=acme.nope&code=x', {
      token: null,
    });
    expect(json.statusCode).toBe(400);
  });
});

describe('editions that cannot run the integration', () => {
  test('an org without API access gets a status naming what it lacks, and nothing is deployed; once it has the API, a retry deploys', async () => {
    sandbox.setOrg({ kind: 'production', edition: 'Professional Edition', apiEnabled: false });
    const siteId = await newSite();
    const connected = await api.connect(siteId);
    expect(connected.statusCode).toBe(200);
    const { connection, setup } = await status(siteId);
    expect(connection.status).toBe('unsupported-org');
    expect(connection.org).toMatchObject({ supported: false, edition: null });
    expect(connection.org.summary).toMatch(
      /cannot run the integration: the org has no API access \(API_DISABLED_FOR_ORG/,
    );
    expect(setup).toMatchObject({ flow: null, lastAttempt: { ok: false, step: 'check-org' } });
    expect(flowStatuses()).toEqual([]);

    sandbox.setOrg({ apiEnabled: true });
    const retried = await api.request('POST', `/sites/${siteId}/salesforce/deploy`);
    expect(retried.json().setup).toMatchObject({ lastAttempt: { ok: true }, flow: { state: 'active' } });
    expect((await status(siteId)).connection).toMatchObject({
      status: 'connected',
      org: { edition: 'Professional Edition', supported: true },
    });
  });

  test('an org whose Metadata API is off: the status names it, and nothing is deployed', async () => {
    sandbox.setOrg({ kind: 'production', edition: 'Professional Edition', metadataApiEnabled: false });
    const siteId = await newSite();
    await api.connect(siteId);
    const { connection, setup } = await status(siteId);
    expect(connection).toMatchObject({
      status: 'unsupported-org',
      org: { edition: 'Professional Edition', supported: false },
    });
    expect(connection.org.summary).toMatch(
      /^Professional Edition cannot run the integration: the org has no Metadata API \(API_DISABLED_FOR_ORG/,
    );
    expect(setup).toMatchObject({ flow: null, lastAttempt: { ok: false, step: 'check-org' } });
    expect(flowStatuses()).toEqual([]);
    expect(metadata().outboundMessages()).toEqual([]);
  });

  test('an edition without flows that send outbound messages is named', async () => {
    sandbox.setOrg({ kind: 'production', edition: 'Contact Manager Edition' });
    const siteId = await newSite();
    await api.connect(siteId);
    const { connection } = await status(siteId);
    expect(connection.status).toBe('unsupported-org');
    expect(connection.org.summary).toMatch(/^Contact Manager Edition cannot run the integration/);
  });
});

describe('the API budget', () => {
  test("the status shows the org's usage and today's calls; Synchronize now refuses above the budget with used and limit", async () => {
    const siteId = await newSite();
    await api.connect(siteId);
    sandbox.setApiUsage({ used: 12_750, limit: 15_000 });
    const { apiUsage } = await status(siteId);
    expect(apiUsage).toMatchObject({
      limit: 15_000,
      maxSharePercent: 80,
      withinBudget: false,
      callsToday: expect.any(Number),
    });
    expect(apiUsage.used).toBeGreaterThanOrEqual(12_750);
    expect(apiUsage.callsToday).toBeGreaterThan(5);
    const { callsToday } = (await status(siteId)).apiUsage;
    const refused = await api.request('POST', `/sites/${siteId}/salesforce/sync`);
    expect(refused.statusCode).toBe(409);
    // The refusal's one call (the limits resource) counts, and so does the status read before it.
    expect((await status(siteId)).apiUsage.callsToday).toBe(callsToday + 2);
    expect(refused.json()).toMatchObject({
      type: '/problems/api-budget-exceeded',
      apiUsage: { limit: 15_000, maxSharePercent: 80 },
      detail: expect.stringMatching(/above this site's budget of 80%/),
    });
  });
});
