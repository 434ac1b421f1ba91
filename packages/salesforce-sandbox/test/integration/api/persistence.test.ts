import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, OAuth2 } from 'jsforce';
import type { SalesforceSandbox } from '../../../src/server';
import { OutboundEndpoint } from '../../../src/testing';
import { outboundMessage, scoroFlow } from '../metadata/harness';
import { API_VERSION, errorOf, http, loggedIn, startTestSandbox } from './sandbox-helpers';

/**
 * An org that persists in a folder: a restart continues it (records, metadata, sessions,
 * settings, usage, the id sequence and what was not yet delivered); without a folder it is gone.
 */
const REDIRECT_URI = 'http://127.0.0.1:49152/oauth/callback';
const folders: string[] = [];
const running: SalesforceSandbox[] = [];

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-org-'));
  folders.push(dir);
  return dir;
}

async function start(dataDir: string | undefined, port = 0): Promise<SalesforceSandbox> {
  const sandbox = await startTestSandbox({ port, ...(dataDir ? { dataDir } : {}) });
  running.push(sandbox);
  return sandbox;
}

async function stop(sandbox: SalesforceSandbox): Promise<void> {
  running.splice(running.indexOf(sandbox), 1);
  await sandbox.stop();
}

afterAll(async () => {
  for (const sandbox of running.splice(0)) await sandbox.stop();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** The web-server flow with PKCE, as the service connects: a connection with a refresh token. */
async function connectWithRefreshToken(sandbox: SalesforceSandbox): Promise<Connection> {
  const oauth2 = new OAuth2({
    loginUrl: sandbox.loginUrl,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    redirectUri: REDIRECT_URI,
    useVerifier: true,
  });
  const response = await fetch(oauth2.getAuthorizationUrl({ state: 's', scope: 'api refresh_token' }), {
    redirect: 'manual',
  });
  const code = new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const conn = new Connection({ oauth2, version: API_VERSION });
  await conn.authorize(code);
  return conn;
}

const idsOf = (sandbox: SalesforceSandbox, ...types: string[]) =>
  types.flatMap((type) => sandbox.store.all(type).map((record) => record.Id));

test('a restart with the same folder continues the org: data, metadata, sessions, settings, usage, ids', async () => {
  const dataDir = folder();
  const endpoint = await new OutboundEndpoint().start();
  try {
    const first = await start(dataDir);
    const port = Number(new URL(first.url).port);
    const conn = await connectWithRefreshToken(first);
    first.seed({ customFields: [{ sObjectType: 'Account', name: 'Tier__c', type: 'string' }] });
    const account = await conn.sobject('Account').create({ Name: 'Łódź Before', Tier__c: 'Gold' });
    const gone = await conn.sobject('Account').create({ Name: 'Deleted before the restart' });
    await conn.sobject('Account').destroy(String(gone.id));
    const opportunity = await conn.sobject('Opportunity').create({
      Name: 'Before the restart',
      StageName: 'Prospecting',
      CloseDate: '2027-01-31',
      AccountId: account.id,
    });
    expect(
      (
        await conn.metadata.upsert('WorkflowOutboundMessage', {
          ...outboundMessage(endpoint.url),
          integrationUser: first.username,
        })
      ).success,
    ).toBe(true);
    expect((await conn.metadata.upsert('Flow', scoroFlow())).success).toBe(true);
    expect((await conn.metadata.upsert('Flow', scoroFlow())).success).toBe(true);
    // A notification the endpoint refuses stays queued for retries, across the restart.
    endpoint.fallback = 'nack';
    await conn.sobject('Opportunity').update({ Id: String(opportunity.id), StageName: 'Closed Won' });
    await first.flushOutbound();
    expect(endpoint.received).toHaveLength(1);
    first.setOrg({ edition: 'Unlimited Edition' });
    const before = {
      organizationId: first.organizationId,
      adminUserId: first.adminUserId,
      ids: idsOf(first, 'Organization', 'User', 'Account', 'Opportunity', 'ContentVersion'),
      accounts: first.store.all('Account').length,
      used: first.apiCalls().used,
      now: first.clock.now(),
      accessToken: conn.accessToken ?? '',
      refreshToken: conn.refreshToken ?? '',
    };
    await stop(first);
    // The tokens are kept by their hashes only.
    const saved = readFileSync(join(dataDir, 'org.json'), 'utf8');
    expect(saved).not.toContain(before.refreshToken);
    expect(saved).not.toContain(before.accessToken);

    const second = await start(dataDir, port);
    expect(second.persistence).toMatchObject({ restored: true });
    expect(second.organizationId).toBe(before.organizationId);
    expect(second.adminUserId).toBe(before.adminUserId);
    expect(second.org().edition).toBe('Unlimited Edition');
    expect(second.apiCalls().used).toBeGreaterThanOrEqual(before.used);
    expect(second.clock.now()).toBeGreaterThanOrEqual(before.now);
    // The demo data is not loaded into a restored org a second time.
    expect(second.store.all('Account')).toHaveLength(before.accounts);

    // The service's connection goes on: its access token still works, and so does its refresh token.
    const again = new Connection({
      instanceUrl: second.url,
      accessToken: before.accessToken,
      version: API_VERSION,
    });
    expect(await again.sobject('Account').retrieve(String(account.id))).toMatchObject({
      Name: 'Łódź Before',
      Tier__c: 'Gold',
    });
    second.expireAccessTokens();
    const refreshed = new Connection({
      oauth2: conn.oauth2,
      instanceUrl: second.url,
      accessToken: 'expired',
      refreshToken: before.refreshToken,
      version: API_VERSION,
    });
    expect(
      (await refreshed.query(`SELECT Id, Account.Name FROM Opportunity WHERE Id = '${opportunity.id}'`))
        .records[0],
    ).toMatchObject({
      Account: { Name: 'Łódź Before' },
    });
    // The recycle bin too.
    expect((await errorOf(refreshed.sobject('Account').retrieve(String(gone.id)))).errorCode).toBe(
      'ENTITY_IS_DELETED',
    );
    const binned = await refreshed.query(`SELECT Id, IsDeleted FROM Account WHERE Id = '${gone.id}'`, {
      scanAll: true,
    });
    expect(binned.records).toEqual([expect.objectContaining({ IsDeleted: true })]);

    // New records never take an id the org gave before.
    const newAccount = await refreshed.sobject('Account').create({ Name: 'After the restart' });
    const newOpportunity = await refreshed.sobject('Opportunity').create({
      Name: 'After the restart',
      StageName: 'Prospecting',
      CloseDate: '2027-02-28',
      AccountId: newAccount.id,
    });
    expect(before.ids).not.toContain(newAccount.id);
    expect(before.ids).not.toContain(newOpportunity.id);
    const all = idsOf(second, 'Organization', 'User', 'Account', 'Opportunity', 'ContentVersion');
    expect(new Set(all).size).toBe(all.length);

    // The flow and its versions are there, and it still fires; the next save is version 3.
    const tooling = await http(
      second,
      `/services/data/v${API_VERSION}/tooling/query?q=${encodeURIComponent("SELECT Id, VersionNumber, Status FROM Flow WHERE Definition.DeveloperName = 'Scoro_Opportunity_Flow'")}`,
      { token: refreshed.accessToken ?? '' },
    );
    expect(tooling.status).toBe(200);
    const versions = (
      tooling.body as { records: Array<{ Id: string; VersionNumber: number; Status: string }> }
    ).records;
    expect(versions.map((v) => [v.VersionNumber, v.Status])).toEqual([
      [1, 'Obsolete'],
      [2, 'Active'],
    ]);
    expect((await refreshed.metadata.upsert('Flow', scoroFlow())).success).toBe(true);
    const third = await refreshed.metadata.read('Flow', 'Scoro_Opportunity_Flow');
    expect(third).toMatchObject({ fullName: 'Scoro_Opportunity_Flow' });
    const versionIds = versions.map((v) => v.Id);
    const listed = await refreshed.metadata.list([{ type: 'Flow' }]);
    const latestId = (Array.isArray(listed) ? listed : [listed])[0]?.id;
    expect(versionIds).not.toContain(latestId);

    // What was refused before the stop is delivered now, with the record's data of now.
    endpoint.fallback = 'ack';
    await second.flushOutbound();
    const delivered = endpoint.received.slice(1).map((post) => post.body);
    expect(delivered.some((body) => body.includes(`<sf:Id>${opportunity.id}</sf:Id>`))).toBe(true);
    await refreshed.sobject('Opportunity').update({ Id: String(newOpportunity.id), StageName: 'Closed Won' });
    await second.flushOutbound();
    expect(endpoint.received.some((post) => post.body.includes(`<sf:Id>${newOpportunity.id}</sf:Id>`))).toBe(
      true,
    );
    const notificationIds = endpoint.received.flatMap((post) =>
      [...post.body.matchAll(/<Notification>\s*<Id>([^<]+)<\/Id>/g)].map((m) => m[1]),
    );
    // The refused attempt and its retry after the restart carry one notification; the new one is new.
    expect(notificationIds).toHaveLength(3);
    expect(new Set(notificationIds).size).toBe(2);
    await stop(second);
  } finally {
    await endpoint.stop();
  }
});

test('a crash loses at most the last changes, never an id: the next start continues after the reserved ids', async () => {
  const dataDir = folder();
  const first = await start(dataDir);
  const conn = await loggedIn(first);
  const created = [];
  for (let i = 0; i < 5; i += 1)
    created.push((await conn.sobject('Account').create({ Name: `Crash ${i}` })).id);
  // What a kill -9 leaves: the files as they are now, without the save at stop.
  const crashed = folder();
  cpSync(dataDir, crashed, { recursive: true });
  await stop(first);

  const second = await start(crashed);
  const after = await (await loggedIn(second)).sobject('Account').create({ Name: 'After the crash' });
  expect(created).not.toContain(after.id);
  expect(idsOf(second, 'Account')).toContain(after.id);
  await stop(second);
});

test('without a folder the org is in memory only: a restart is a new org that writes nothing', async () => {
  const first = await start(undefined);
  expect(first.persistence).toBeUndefined();
  const conn = await loggedIn(first);
  const account = await conn.sobject('Account').create({ Name: 'Forgotten' });
  await stop(first);
  const second = await start(undefined);
  expect(second.store.all('Account').some((a) => a.Id === account.id)).toBe(false);
  await stop(second);
});

test('an unreadable org file is set aside, never deleted, and the start makes a new org', async () => {
  const dataDir = folder();
  writeFileSync(join(dataDir, 'org.json'), '{"format": 1, "half a file');
  const sandbox = await start(dataDir);
  expect(sandbox.persistence?.restored).toBe(false);
  expect(sandbox.persistence?.setAside?.file).toMatch(/org\.json\.unreadable-/);
  expect(readdirSync(dataDir).some((name) => name.startsWith('org.json.unreadable-'))).toBe(true);
  expect(existsSync(join(dataDir, 'org.json'))).toBe(true);
  expect(sandbox.store.all('Account').length).toBeGreaterThan(0);
  await stop(sandbox);
});
