import type { SalesforceSandbox } from '@quote-sync/salesforce-sandbox';
import { loggedIn, OutboundEndpoint, startTestSandbox } from '@quote-sync/salesforce-sandbox/testing';
import type { Connection } from 'jsforce';
import { loadAdminApi } from '../../support/admin-api';
import { type HttpHandler, httpApiEvent, lambdaContext, loadHandler } from '../../support/api-gateway';
import { createQueue, createTable } from '../../support/aws';
import { buildOutboundMessage, opportunities } from '../../support/outbound-messages';
import { settingsAtStage } from '../../support/site-settings';

let sandbox: SalesforceSandbox;
let endpoint: OutboundEndpoint;
let api: ReturnType<typeof loadAdminApi>;
let tableName: string;
let admin: Connection;

const settings = (overrides: Record<string, unknown> = {}) =>
  settingsAtStage({ ownerUserId: 'owner-1', ...overrides });

async function flowVersions(): Promise<number> {
  const list = await admin.metadata.list([{ type: 'Flow' }]);
  return (Array.isArray(list) ? list : [list]).filter((f) => f?.fullName === 'Scoro_Opportunity_Flow')
    .length > 0
    ? Number(
        (
          (await admin.metadata.read('FlowDefinition', 'Scoro_Opportunity_Flow')) as {
            activeVersionNumber?: string;
          }
        ).activeVersionNumber,
      )
    : 0;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  endpoint = await new OutboundEndpoint().start();
  tableName = await createTable();
  api = loadAdminApi({
    tableName,
    sandbox,
    outboundBaseUrl: new URL(endpoint.url).origin,
  });
  admin = await loggedIn(sandbox);
  expect((await api.request('PUT', '/sites/acme', { body: { name: 'Acme' } })).statusCode).toBe(201);
  expect(
    (
      await api.request('POST', '/sites/acme/users', {
        body: { userId: 'owner-1', name: 'Olive Owner', email: 'olive@example.com' },
      })
    ).statusCode,
  ).toBe(201);
}, 30_000);

afterAll(async () => {
  await endpoint.stop();
  await sandbox.stop();
});

describe('the admin guard and validation', () => {
  test('no identity → 401 asking for the token; a wrong token → 401 saying it is not valid', async () => {
    const missing = await api.request('GET', '/sites/acme/users', { token: null });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers?.['www-authenticate']).toBe('Bearer');
    expect(missing.json()).toMatchObject({
      type: '/problems/authentication-required',
      detail: 'Authentication required: sign in, or send a bearer token (locally the ADMIN_TOKEN)',
    });

    const wrong = await api.request('GET', '/sites/acme/users', { token: 'not-the-admin-token-at-all' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers?.['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(wrong.json()).toMatchObject({
      type: '/problems/invalid-credentials',
      detail: 'Authentication failed: the bearer token is not valid',
    });

    const basic = await api.request('GET', '/sites/acme/users', {
      token: null,
      headers: { authorization: 'Basic YWRtaW46YWRtaW4=' },
    });
    expect(basic.statusCode).toBe(401);
    expect(basic.json().detail).toMatch(/not a bearer token/);
  });

  test('an identity for site A gets 403 on site B, and is served on A', async () => {
    const other = await api.request('GET', '/sites/acme/users', { token: null, jwtSites: ['globex'] });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({
      reason: 'not-a-member',
      detail: expect.stringMatching(/no access to site acme/),
    });
    const own = await api.request('GET', '/sites/acme/users', { token: null, jwtSites: ['acme'] });
    expect(own.statusCode).toBe(200);
    expect(own.json().users).toEqual([
      expect.objectContaining({ userId: 'owner-1', email: 'olive@example.com' }),
    ]);
  });

  test('a 400 names each invalid field by its path', async () => {
    const response = await api.request('PUT', '/sites/acme/salesforce/settings', {
      body: settings({
        accountToCompany: { enabled: false },
        opportunityToQuote: { enabled: true, stage: null },
        customFields: [{ key: 'tier', label: 'Tier', type: 'dropdown', appliesTo: 'opportunity' }],
      }),
    });
    expect(response.statusCode).toBe(400);
    const paths = (response.json().issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['accountToCompany.enabled', 'customFields.0.options']));
    // Cross-field rules are checked once every field has the right shape.
    const noStage = await api.request('PUT', '/sites/acme/salesforce/settings', {
      body: settings({ opportunityToQuote: { enabled: true, stage: null } }),
    });
    expect(noStage.statusCode).toBe(400);
    expect(noStage.json().issues).toEqual([
      {
        path: 'opportunityToQuote.stage',
        message: 'choose the stage at which an opportunity becomes a quote',
      },
    ]);
  });

  test('bad JSON and unknown users are refused with a reason', async () => {
    const badEmail = await api.request('POST', '/sites/acme/users', { body: { name: 'X', email: 'nope' } });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().issues).toEqual([expect.objectContaining({ path: 'email' })]);
    const unknownSite = await api.request('GET', '/sites/nobody/users');
    expect(unknownSite.statusCode).toBe(404);
  });
});

describe('the site profile', () => {
  test('is empty until saved, is replaced whole by PUT, and names each invalid field', async () => {
    const empty = await api.request('GET', '/sites/acme/profile');
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({
      siteId: 'acme',
      profile: { quoteValidityDays: 30 },
      updatedAt: null,
      logo: null,
    });

    const profile = {
      legalName: 'Acme Consulting Ltd',
      address: { street: '1 High Street', postalCode: 'N1 9GU', city: 'London', country: 'United Kingdom' },
      registrationNumber: '01234567',
      vatNumber: 'GB123456789',
      email: 'sales@acme.example',
      phone: '+44 20 7946 0000',
      paymentTerms: '30 days net.',
      quoteValidityDays: 45,
    };
    const saved = await api.request('PUT', '/sites/acme/profile', { body: profile });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ siteId: 'acme', profile, updatedAt: expect.any(String) });
    expect((await api.request('GET', '/sites/acme/profile')).json().profile).toEqual(profile);

    const replaced = await api.request('PUT', '/sites/acme/profile', { body: { legalName: 'Acme Ltd' } });
    expect(replaced.json().profile).toEqual({ legalName: 'Acme Ltd', quoteValidityDays: 30 });

    const bad = await api.request('PUT', '/sites/acme/profile', {
      body: { email: 'not-an-address', quoteValidityDays: 0, logo: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json().issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual(
      ['(body)', 'email', 'quoteValidityDays'].sort(),
    );
    expect((await api.request('GET', '/sites/nobody-here/profile')).statusCode).toBe(404);
  });
});

describe('connecting, settings and the Salesforce setup', () => {
  test('connect: OAuth with PKCE, the token stored encrypted, and nothing deployed before a stage is chosen', async () => {
    const callback = await api.connect('acme');
    expect(callback.statusCode).toBe(200);
    expect(callback.json()).toMatchObject({
      connected: true,
      siteId: 'acme',
      organizationId: sandbox.organizationId,
    });

    const status = (await api.request('GET', '/sites/acme/salesforce')).json();
    expect(status.connection).toMatchObject({ status: 'connected', organizationId: sandbox.organizationId });
    expect(status.stages).toContain('Proposal/Price Quote');
    expect(status.outboundMessageUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/salesforce\/outbound\/acme\/[A-Za-z0-9_-]{40,}$/,
    );
    expect(await flowVersions()).toBe(0);
  });

  test("the synced objects' fields come from the org's describe, for field mappings", async () => {
    const response = await api.request('GET', '/sites/acme/salesforce/fields');
    expect(response.statusCode).toBe(200);
    const fields = response.json() as Record<
      string,
      Array<{ name: string; type: string; picklistValues?: string[] }>
    >;
    expect(Object.keys(fields).sort()).toEqual(['account', 'contact', 'opportunity']);
    expect(fields.opportunity).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Amount', label: 'Amount', type: 'currency' }),
        expect.objectContaining({
          name: 'StageName',
          type: 'picklist',
          picklistValues: expect.arrayContaining(['Proposal/Price Quote']),
        }),
      ]),
    );
    expect(fields.account).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Industry' })]));
    expect(fields.contact).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Email', type: 'email' })]),
    );
  });

  test('a state works once', async () => {
    const start = await api.request('GET', '/sites/acme/salesforce/connect');
    const state = new URL(String(start.headers?.location)).searchParams.get('state');
    const first = await api.request('GET', `/salesforce/oauth/callback?state=${state}&code=bogus`, {
      token: null,
    });
    // Salesforce refuses the made-up code; the answer says so, in a shape a page can show.
    expect(first.statusCode).toBe(403);
    expect(first.json()).toMatchObject({
      connected: false,
      siteId: 'acme',
      refusal: {
        salesforce: { error: 'invalid_grant' },
        title: expect.any(String),
        steps: expect.any(Array),
      },
    });
    const replay = await api.request('GET', `/salesforce/oauth/callback?state=${state}&code=bogus`, {
      token: null,
    });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().detail).toMatch(/unknown, expired or already used/);
  });

  test('saving settings deploys the outbound message and the flow with the right content', async () => {
    const saved = await api.request('PUT', '/sites/acme/salesforce/settings', { body: settings() });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().setup).toMatchObject({ lastAttempt: { ok: true }, flow: { version: 1 } });

    const message = (await admin.metadata.read(
      'WorkflowOutboundMessage',
      'Opportunity.Scoro_integration',
    )) as unknown as Record<string, unknown>;
    const status = (await api.request('GET', '/sites/acme/salesforce')).json();
    // The save answers what is deployed as the status shows it: no fingerprint, nothing to map.
    expect(saved.json().setup).toEqual(status.setup);
    expect(JSON.stringify(saved.json())).not.toMatch(/fingerprint/);
    expect(message.name).toBe('Scoro integration');
    expect(message.endpointUrl).toBe(status.outboundMessageUrl);
    expect(message.fields).toEqual(
      expect.arrayContaining(['Id', 'Name', 'StageName', 'Amount', 'AccountId', 'SystemModstamp']),
    );

    const flow = (await admin.metadata.read('Flow', 'Scoro_Opportunity_Flow')) as unknown as {
      label: string;
      status: string;
      start: {
        recordTriggerType: string;
        triggerType: string;
        doesRequireRecordChangedToMeetCriteria: string;
        filters: unknown;
      };
      actionCalls: { actionName: string; actionType: string };
    };
    expect(flow.label).toBe('Scoro Opportunity Flow');
    expect(flow.status).toBe('Active');
    expect(flow.start).toMatchObject({
      recordTriggerType: 'CreateAndUpdate',
      triggerType: 'RecordAfterSave',
      doesRequireRecordChangedToMeetCriteria: 'true',
    });
    expect([flow.start.filters].flat()).toEqual([
      expect.objectContaining({
        field: 'StageName',
        operator: 'EqualTo',
        value: { stringValue: 'Proposal/Price Quote' },
      }),
    ]);
    expect([flow.actionCalls].flat()).toEqual([
      expect.objectContaining({ actionName: 'Opportunity.Scoro_integration', actionType: 'outboundMessage' }),
    ]);
  });

  test('an unchanged save deploys nothing; a stage change makes a new flow version', async () => {
    await api.request('PUT', '/sites/acme/salesforce/settings', { body: settings() });
    expect(await flowVersions()).toBe(1);
    const changed = await api.request('PUT', '/sites/acme/salesforce/settings', {
      body: settings({ opportunityToQuote: { enabled: true, stage: 'Negotiation/Review' } }),
    });
    expect(changed.json().setup).toMatchObject({ flow: { version: 2 }, lastAttempt: { ok: true } });
    expect(await flowVersions()).toBe(2);
  });

  test('the org is checked: unknown fields, unknown stages, a number operator on a text field, unknown owners', async () => {
    const response = await api.request('PUT', '/sites/acme/salesforce/settings', {
      body: settings({
        opportunityToQuote: { enabled: true, stage: 'Almost there' },
        ownerUserId: 'ghost',
        fieldMappings: {
          opportunity: [
            { salesforceField: 'Nope__c', target: { kind: 'core', field: 'description' } },
            {
              salesforceField: 'Name',
              target: { kind: 'core', field: 'title' },
              condition: { operator: 'gt', value: 5 },
            },
          ],
          account: [],
          contact: [],
        },
      }),
    });
    expect(response.statusCode).toBe(400);
    const issues = response.json().issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'ownerUserId',
        'opportunityToQuote.stage',
        'fieldMappings.opportunity.0.salesforceField',
        'fieldMappings.opportunity.1.condition.operator',
        'fieldMappings.opportunity.1.condition.value',
      ]),
    );
    expect(issues.find((i) => i.path === 'fieldMappings.opportunity.1.condition.operator')?.message).toMatch(
      /Name is a string field/,
    );
  });

  test('a condition Amount > 10000 makes the sandbox fire only for big opportunities', async () => {
    const saved = await api.request('PUT', '/sites/acme/salesforce/settings', {
      body: settings({
        fieldMappings: {
          opportunity: [
            {
              salesforceField: 'Amount',
              target: { kind: 'core', field: 'opportunityAmount' },
              condition: { operator: 'gt', value: 10000 },
            },
          ],
          account: [],
          contact: [],
        },
      }),
    });
    expect(saved.json().setup).toMatchObject({ lastAttempt: { ok: true }, flow: { version: 3 } });
    endpoint.received.length = 0;
    const small = await admin
      .sobject('Opportunity')
      .create({ Name: 'Small', StageName: 'Proposal/Price Quote', CloseDate: '2026-12-31', Amount: 5000 });
    const big = await admin
      .sobject('Opportunity')
      .create({ Name: 'Big', StageName: 'Proposal/Price Quote', CloseDate: '2026-12-31', Amount: 20000 });
    await sandbox.flushOutbound();
    const bodies = endpoint.received.map((r) => r.body).join('\n');
    expect(bodies).toContain(`<sf:Id>${big.id}</sf:Id>`);
    expect(bodies).not.toContain(`<sf:Id>${small.id}</sf:Id>`);
  });

  test('a Metadata API failure keeps the settings, shows the error and time, and can be retried', async () => {
    sandbox.addFaults({ rules: [{ match: { pathContains: '/services/Soap/m' }, action: 'status5xx' }] });
    const saved = await api.request('PUT', '/sites/acme/salesforce/settings', {
      body: settings({ opportunityToQuote: { enabled: true, stage: 'Closed Won' } }),
    });
    expect(saved.statusCode).toBe(200);
    const failed = (await api.request('GET', '/sites/acme/salesforce')).json() as {
      settings: { opportunityToQuote: { stage: string } };
      setup: { lastAttempt: { ok: boolean; error: string; at: string } };
    };
    expect(failed.settings.opportunityToQuote.stage).toBe('Closed Won');
    expect(failed.setup.lastAttempt).toMatchObject({ ok: false });
    expect(failed.setup.lastAttempt.error).toMatch(/Saving the (outbound message|flow) failed/);
    expect(Date.parse(failed.setup.lastAttempt.at)).not.toBeNaN();

    sandbox.clearFaults();
    const retried = await api.request('POST', '/sites/acme/salesforce/deploy');
    expect(retried.json().setup).toMatchObject({ lastAttempt: { ok: true }, flow: { version: 4 } });
    expect(retried.json().setup).toEqual((await api.request('GET', '/sites/acme/salesforce')).json().setup);
  });

  test('updates "while-at-stage" deploys a flow version that fires on every save at the stage; "on-entry" fires on entry only', async () => {
    const atStage = (updates: string) =>
      settings({ opportunityToQuote: { enabled: true, stage: 'Proposal/Price Quote', updates } });
    const saved = await api.request('PUT', '/sites/acme/salesforce/settings', {
      body: atStage('while-at-stage'),
    });
    expect(saved.json()).toMatchObject({
      settings: { opportunityToQuote: { updates: 'while-at-stage' } },
      setup: { lastAttempt: { ok: true }, flow: { version: 5 } },
    });
    const flow = (await admin.metadata.read('Flow', 'Scoro_Opportunity_Flow')) as unknown as {
      start: { doesRequireRecordChangedToMeetCriteria: string };
    };
    expect(flow.start.doesRequireRecordChangedToMeetCriteria).toBe('false');

    endpoint.received.length = 0;
    const created = await admin
      .sobject('Opportunity')
      .create({ Name: 'Edited at the stage', StageName: 'Proposal/Price Quote', CloseDate: '2026-12-31' });
    await sandbox.flushOutbound();
    await admin.update('Opportunity', { Id: String(created.id), Name: 'Edited at the stage, again' });
    await sandbox.flushOutbound();
    const sent = endpoint.received.map((r) => r.body).join('\n');
    expect(sent).toContain('<sf:Name>Edited at the stage</sf:Name>');
    expect(sent).toContain('<sf:Name>Edited at the stage, again</sf:Name>');

    const back = await api.request('PUT', '/sites/acme/salesforce/settings', { body: atStage('on-entry') });
    expect(back.json().setup).toMatchObject({ flow: { version: 6 } });
    endpoint.received.length = 0;
    await admin.update('Opportunity', { Id: String(created.id), Name: 'Edited once more' });
    await sandbox.flushOutbound();
    expect(endpoint.received).toHaveLength(0);

    const wrong = await api.request('PUT', '/sites/acme/salesforce/settings', { body: atStage('always') });
    expect(wrong.statusCode).toBe(400);
    expect(JSON.stringify(wrong.json())).toContain('opportunityToQuote.updates');
  });

  test('rotating the webhook secret redeploys the outbound message; both secrets work during the grace period', async () => {
    const before = (await api.request('GET', '/sites/acme/salesforce')).json() as {
      outboundMessageUrl: string;
    };
    const rotated = await api.request('POST', '/sites/acme/salesforce/rotate-secret');
    expect(rotated.statusCode).toBe(200);
    const body = rotated.json() as {
      outboundMessageUrl: string;
      previousSecretValidUntil: string;
      setup: { lastAttempt: { ok: boolean } };
    };
    expect(body.outboundMessageUrl).not.toBe(before.outboundMessageUrl);
    expect(body.setup.lastAttempt.ok).toBe(true);
    expect(Date.parse(body.previousSecretValidUntil) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const message = (await admin.metadata.read(
      'WorkflowOutboundMessage',
      'Opportunity.Scoro_integration',
    )) as unknown as {
      endpointUrl: string;
    };
    expect(message.endpointUrl).toBe(body.outboundMessageUrl);

    const { handler } = loadHandler<{ handler: HttpHandler }>('lambdas/ack-outbound-message/handler', {
      TABLE_NAME: tableName,
      SYNC_QUEUE_URL: await createQueue(),
    });
    const post = async (url: string) => {
      const [siteId = '', secret = ''] = new URL(url).pathname.split('/').slice(-2);
      const event = httpApiEvent({
        method: 'POST',
        routeKey: 'POST /salesforce/outbound/{siteId}/{secret}',
        path: new URL(url).pathname,
        pathParameters: { siteId, secret },
        body: buildOutboundMessage({
          organizationId: sandbox.organizationId,
          notifications: opportunities(1),
        }),
      });
      return ((await handler(event, lambdaContext)) as { statusCode: number }).statusCode;
    };
    expect(await post(body.outboundMessageUrl)).toBe(200);
    expect(await post(before.outboundMessageUrl)).toBe(200);
    expect(await post(before.outboundMessageUrl.replace(/[^/]+$/, 'not-the-secret'))).toBe(404);
  });

  test('disconnect removes both items, revokes the token and clears the connection', async () => {
    const response = await api.request('POST', '/sites/acme/salesforce/disconnect');
    expect(response.json()).toEqual({ removed: true, revoked: true });
    expect(await flowVersions()).toBe(0);
    const message = (await admin.metadata.read(
      'WorkflowOutboundMessage',
      'Opportunity.Scoro_integration',
    )) as unknown as { fullName?: string };
    expect(message.fullName).toBeUndefined();
    const status = (await api.request('GET', '/sites/acme/salesforce')).json();
    expect(status.connection).toEqual({ status: 'not-connected' });
    expect(sandbox.auth.refreshTokenCount()).toBe(0);
    const fields = await api.request('GET', '/sites/acme/salesforce/fields');
    expect(fields.statusCode).toBe(409);
    expect(fields.json().detail).toMatch(/not connected/i);
  });
});
