import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../src/server';
import { errorOf, http, loggedIn, startTestSandbox } from './sandbox-helpers';

describe('sandbox API limits and fault injection', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ apiDailyLimit: 1000 });
    conn = await loggedIn(sandbox);
  });
  afterAll(() => sandbox.stop());
  afterEach(() => {
    sandbox.clearFaults();
    sandbox.setApiUsage({ used: 0, limit: 1000 });
  });

  it('reports usage in Sforce-Limit-Info on every response, which jsforce exposes as limitInfo', async () => {
    await conn.query('SELECT Id FROM Account');
    const used = sandbox.apiCalls().used;
    expect(conn.limitInfo).toEqual({ apiUsage: { used, limit: 1000 } });
    const raw = await http(sandbox, '/services/data/v62.0/sobjects/Account/001000000000000AAA', {
      token: conn.accessToken ?? '',
    });
    expect(raw.status).toBe(404);
    expect(raw.headers.get('sforce-limit-info')).toBe(`api-usage=${used + 1}/1000`);
    const limits = await conn.limits();
    expect(limits.DailyApiRequests).toEqual({ Max: 1000, Remaining: 1000 - (used + 2) });
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily limit is used up', async () => {
    sandbox.setApiUsage({ used: 1000 });
    const error = await errorOf(conn.query('SELECT Id FROM Account'));
    expect(error.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(sandbox.apiCalls().used).toBe(1000);
    sandbox.setApiUsage({ used: 999 });
    await expect(conn.query('SELECT Id FROM Account LIMIT 1')).resolves.toMatchObject({ done: true });
  });

  it('counts API calls by kind through the control plane', async () => {
    await http(sandbox, '/_sandbox/api-calls', { method: 'DELETE' });
    await conn.query('SELECT Id FROM Account');
    await conn.describe('Account');
    await conn.sobject('Account').create({ Name: 'Counted' });
    const counters = await http(sandbox, '/_sandbox/api-calls');
    expect(counters.body).toEqual({ used: 3, limit: 1000, byKind: { query: 1, describe: 1, sobject: 1 } });
  });

  it('injects 5xx: jsforce retries an idempotent GET, but not a POST', async () => {
    sandbox.addFaults({ rules: [{ match: { kind: 'query' }, action: 'status5xx', status: 503, times: 1 }] });
    await expect(conn.query('SELECT Id FROM Account LIMIT 1')).resolves.toMatchObject({ done: true });
    expect(sandbox.faults.list().rules).toEqual([]);

    sandbox.addFaults({
      rules: [{ match: { kind: 'sobject', method: 'POST' }, action: 'status5xx', times: 1 }],
    });
    const failure = await errorOf(conn.sobject('Account').create({ Name: 'Not created' }));
    expect(failure.errorCode).toBe('UNKNOWN_EXCEPTION');
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Name = 'Not created'")).totalSize).toBe(0);
  });

  it('injects UNABLE_TO_LOCK_ROW on PATCH only', async () => {
    const [acme] = (
      await conn.query<{ Id: string }>("SELECT Id FROM Account WHERE Name = 'Acme Corporation'")
    ).records;
    const faults = await http(sandbox, '/_sandbox/faults', {
      method: 'POST',
      body: {
        rules: [
          {
            match: { method: 'PATCH', pathContains: '/sobjects/Account/' },
            action: 'unableToLockRow',
            times: 1,
          },
        ],
      },
    });
    expect(faults.status).toBe(200);
    await conn.sobject('Account').retrieve(acme?.Id ?? '');
    const locked = await errorOf(conn.sobject('Account').update({ Id: acme?.Id ?? '', Phone: '1' }));
    expect(locked.errorCode).toBe('UNABLE_TO_LOCK_ROW');
    await expect(conn.sobject('Account').update({ Id: acme?.Id ?? '', Phone: '2' })).resolves.toMatchObject({
      success: true,
    });
    expect((await http(sandbox, '/_sandbox/faults')).body).toEqual({ rules: [], delivery: [] });
  });

  it('injects REQUEST_LIMIT_EXCEEDED and latency by rule', async () => {
    sandbox.addFaults({
      rules: [
        { match: { kind: 'describe' }, action: 'latency', latencyMs: 20, times: 1 },
        { match: { kind: 'sobject', method: 'POST' }, action: 'requestLimitExceeded', times: 1 },
      ],
    });
    await expect(conn.describe('Contact')).resolves.toMatchObject({ name: 'Contact' });
    const limited = await errorOf(conn.sobject('Contact').create({ LastName: 'Limited' }));
    expect(limited.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
  });

  it('expires tokens by rule, and jsforce logs in again and retries', async () => {
    const before = sandbox.apiCalls().byKind.oauth ?? 0;
    const token = conn.accessToken;
    sandbox.addFaults({ rules: [{ match: { kind: 'query' }, action: 'expireTokens', times: 1 }] });
    await expect(conn.query('SELECT Id FROM Account LIMIT 1')).resolves.toMatchObject({ done: true });
    expect(conn.accessToken).not.toBe(token);
    expect((sandbox.apiCalls().byKind.oauth ?? 0) - before).toBe(1);
  });

  it('serves delivery fault rules to the outbound side; every rule that matches applies, a drop above all', () => {
    sandbox.addFaults({
      delivery: [
        { endpointContains: '/hook', action: 'duplicate', times: 2 },
        { endpointContains: '/hook', action: 'reorder', times: 1 },
      ],
    });
    expect(sandbox.faults.nextDelivery('http://127.0.0.1:1/other')).toEqual([]);
    expect(sandbox.faults.nextDelivery('http://127.0.0.1:1/hook')).toEqual(['duplicate', 'reorder']);
    sandbox.addFaults({ delivery: [{ action: 'drop', times: 1 }] });
    expect(sandbox.faults.nextDelivery('http://127.0.0.1:1/hook')).toEqual(['drop']);
    expect(sandbox.faults.nextDelivery('http://127.0.0.1:1/hook')).toEqual([]);
  });

  it('hits a share of requests per kind with `rate`, the same ones again with the same seed', async () => {
    const draw = () => {
      sandbox.clearFaults();
      sandbox.addFaults({ seed: 42, rules: [{ match: { kind: 'query' }, action: 'status5xx', rate: 0.2 }] });
      return Array.from(
        { length: 1000 },
        () =>
          sandbox.faults.takeRequestFaults({
            method: 'GET',
            path: '/services/data/v62.0/query',
            kind: 'query',
          }).length,
      );
    };
    const first = draw();
    const hits = first.filter((n) => n > 0).length;
    expect(hits).toBeGreaterThan(150);
    expect(hits).toBeLessThan(250);
    expect(draw()).toEqual(first);
    expect(sandbox.faults.takeRequestFaults({ method: 'GET', path: '/x', kind: 'sobject' })).toEqual([]);
  });

  it('applies a rule only in its window on the sandbox clock: an outage from, until', async () => {
    const now = sandbox.clock.now();
    const iso = (ms: number) => new Date(now + ms).toISOString();
    sandbox.addFaults({
      rules: [
        { action: 'status5xx', status: 503, window: { from: iso(60 * 60_000), until: iso(90 * 60_000) } },
      ],
    });
    await expect(conn.query('SELECT Id FROM Account LIMIT 1')).resolves.toMatchObject({ done: true });
    sandbox.advanceTime(70 * 60_000);
    expect((await errorOf(conn.query('SELECT Id FROM Account LIMIT 1'))).errorCode).toBe(
      'SERVER_UNAVAILABLE',
    );
    sandbox.advanceTime(30 * 60_000);
    await expect(conn.query('SELECT Id FROM Account LIMIT 1')).resolves.toMatchObject({ done: true });
    const bad = await http(sandbox, '/_sandbox/faults', {
      method: 'POST',
      body: { rules: [{ action: 'status5xx', window: { from: iso(2), until: iso(1) } }] },
    });
    expect(bad.status).toBe(400);
  });

  it('rejects malformed fault rules', async () => {
    const bad = await http(sandbox, '/_sandbox/faults', {
      method: 'POST',
      body: { rules: [{ action: 'explode' }] },
    });
    expect(bad.status).toBe(400);
  });
});

describe('sandbox control plane', () => {
  let sandbox: SalesforceSandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.stop());

  it('seeds custom fields and records, and resets to the demo org', async () => {
    const seeded = await http(sandbox, '/_sandbox/seed', {
      method: 'POST',
      body: {
        customFields: [{ sObjectType: 'Account', name: 'Scoro_Company_Id__c', type: 'int' }],
        records: [
          { sObjectType: 'Account', ref: 'seeded', fields: { Name: 'Seeded Ltd', Scoro_Company_Id__c: 7 } },
          { sObjectType: 'Contact', fields: { LastName: 'Seeded', AccountId: '@{seeded}' } },
        ],
      },
    });
    expect(seeded.status).toBe(200);
    const ids = (seeded.body as { ids: Record<string, string> }).ids;
    expect(ids.seeded).toMatch(/^001/);
    const conn = await loggedIn(sandbox);
    const found = await conn.query(
      'SELECT Name, Scoro_Company_Id__c, (SELECT LastName FROM Contacts) FROM Account WHERE Scoro_Company_Id__c = 7',
    );
    expect(found.records[0]).toMatchObject({ Name: 'Seeded Ltd', Contacts: { totalSize: 1 } });

    const bad = await http(sandbox, '/_sandbox/seed', {
      method: 'POST',
      body: {
        records: [
          { sObjectType: 'Account', fields: { Name: 'Half' } },
          { sObjectType: 'Contact', fields: {} },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Name = 'Half'")).totalSize).toBe(0);

    expect((await http(sandbox, '/_sandbox/reset', { method: 'POST', body: {} })).status).toBe(200);
    const afterReset = await errorOf(conn.query('SELECT Scoro_Company_Id__c FROM Account'));
    expect(afterReset.errorCode).toBe('INVALID_FIELD');
    expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(3);
    expect(sandbox.store.get('Organization', sandbox.organizationId)).toBeDefined();
  });

  it('sets the time scale and advances sandbox time', async () => {
    const scaled = await http(sandbox, '/_sandbox/time-scale', { method: 'POST', body: { scale: 3600 } });
    expect(scaled.body).toMatchObject({ scale: 3600 });
    expect(sandbox.clock.scale).toBe(3600);
    const before = sandbox.clock.now();
    await http(sandbox, '/_sandbox/time-advance', { method: 'POST', body: { ms: 86_400_000 } });
    expect(sandbox.clock.now() - before).toBeGreaterThanOrEqual(86_400_000);
    await http(sandbox, '/_sandbox/time-scale', { method: 'POST', body: { scale: 1 } });
    expect((await http(sandbox, '/_sandbox/time-scale', { method: 'POST', body: { scale: 0 } })).status).toBe(
      400,
    );
  });

  it('serves the outbound delivery log from the automation', async () => {
    const outbound = await http(sandbox, '/_sandbox/outbound');
    expect(outbound.status).toBe(200);
    expect(outbound.body).toEqual({ deliveries: [], sentBodies: [] });
    expect((await http(sandbox, '/_sandbox/outbound/flush', { method: 'POST' })).status).toBe(200);
  });

  it('routes the Metadata API to the metadata service', async () => {
    const conn = await loggedIn(sandbox);
    const list = await conn.metadata.list([{ type: 'Flow' }]);
    expect(Array.isArray(list) ? list : [list]).toEqual(expect.any(Array));
    expect(sandbox.apiCalls().byKind.metadata).toBeGreaterThanOrEqual(1);
  });
});

describe('the daily API limit', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;

  // Its own org: these tests move the sandbox clock by days.
  beforeAll(async () => {
    sandbox = await startTestSandbox({ apiDailyLimit: 1000 });
    conn = await loggedIn(sandbox);
  });
  afterAll(() => sandbox.stop());
  afterEach(() => sandbox.setApiUsage({ used: 0, limit: 1000 }));

  it('sets the daily limit and the usage through the control plane; a body it cannot use is a 400', async () => {
    const set = await http(sandbox, '/_sandbox/api-limit', {
      method: 'POST',
      body: { used: 4250, limit: 5000 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ used: 4250, limit: 5000 });
    await conn.query('SELECT Id FROM Account LIMIT 1');
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 4251, limit: 5000 } });
    expect((await conn.limits()).DailyApiRequests).toEqual({ Max: 5000, Remaining: 5000 - 4252 });
    for (const body of [{ limit: 0 }, { used: -1 }, { limit: '5000' }, { max: 10 }]) {
      expect((await http(sandbox, '/_sandbox/api-limit', { method: 'POST', body })).status).toBe(400);
    }
    expect(sandbox.apiCalls()).toMatchObject({ limit: 5000 });
  });

  // Hours pass on the sandbox clock, so each step signs in afresh (sessions expire); sign-ins do not count.
  it('counts a rolling 24 hours, as Salesforce does: a call stops counting a day after it was made', async () => {
    sandbox.setApiUsage({ used: 900 });
    sandbox.advanceTime(12 * 3_600_000);
    const later = await loggedIn(sandbox);
    for (let i = 0; i < 3; i++) await later.query('SELECT Id FROM Account LIMIT 1');
    expect(sandbox.apiCalls().used).toBe(903);
    // A day after the 900: only the three made since still count.
    sandbox.advanceTime(12 * 3_600_000 + 60_000);
    expect(sandbox.apiCalls().used).toBe(3);
    const dayAfter = await loggedIn(sandbox);
    await dayAfter.query('SELECT Id FROM Account LIMIT 1');
    expect(dayAfter.limitInfo).toEqual({ apiUsage: { used: 4, limit: 1000 } });
    sandbox.advanceTime(12 * 3_600_000);
    expect(sandbox.apiCalls().used).toBe(1);
  });

  it('at the limit, calls are refused until the usage of the last 24 hours drops below it', async () => {
    sandbox.setApiUsage({ used: 1000 });
    await expect(errorOf(conn.query('SELECT Id FROM Account'))).resolves.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
    });
    sandbox.advanceTime(23 * 3_600_000);
    await expect(errorOf((await loggedIn(sandbox)).query('SELECT Id FROM Account'))).resolves.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
    });
    sandbox.advanceTime(3_600_000 + 60_000);
    await expect((await loggedIn(sandbox)).query('SELECT Id FROM Account LIMIT 1')).resolves.toMatchObject({
      done: true,
    });
  });
});
