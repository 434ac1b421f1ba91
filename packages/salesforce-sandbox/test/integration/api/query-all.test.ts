import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../src/server';
import { http, loggedIn, startTestSandbox } from './sandbox-helpers';

/**
 * queryAll and the recycle bin, as Salesforce has them: a deleted record is in the recycle bin
 * for 15 days, query no longer sees it, queryAll does, with IsDeleted = true and its deletion as
 * its last modification.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_queryall.htm
 */
describe('queryAll and IsDeleted', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    conn = await loggedIn(sandbox);
  });
  afterAll(() => sandbox.stop());

  /** jsforce sends a query with scanAll to /queryAll. */
  const queryAll = <T extends Record<string, unknown>>(c: Connection, soql: string) =>
    c.query<T>(soql, { scanAll: true });

  const create = async (Name: string) =>
    String(
      (await conn.sobject('Opportunity').create({ Name, StageName: 'Prospecting', CloseDate: '2027-01-31' }))
        .id,
    );

  it('a deleted record leaves query, and queryAll returns it with IsDeleted true and a new SystemModstamp', async () => {
    const id = await create('Deleted soon');
    const before = (
      await conn.query<{ SystemModstamp: string }>(
        `SELECT SystemModstamp FROM Opportunity WHERE Id = '${id}'`,
      )
    ).records[0]?.SystemModstamp;
    sandbox.advanceTime(60_000);
    await conn.sobject('Opportunity').destroy(id);

    expect((await conn.query(`SELECT Id FROM Opportunity WHERE Id = '${id}'`)).totalSize).toBe(0);
    const all = await queryAll<{ Id: string; IsDeleted: boolean; SystemModstamp: string }>(
      conn,
      `SELECT Id, IsDeleted, SystemModstamp FROM Opportunity WHERE Id = '${id}'`,
    );
    expect(all.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
    expect(Date.parse(all.records[0]?.SystemModstamp ?? '')).toBeGreaterThan(Date.parse(before ?? ''));

    const deletedOnly = await queryAll(conn, `SELECT Id FROM Opportunity WHERE IsDeleted = true`);
    expect(deletedOnly.records.map((r) => r.Id)).toContain(id);
    const live = await queryAll(conn, `SELECT Id FROM Opportunity WHERE IsDeleted = false`);
    expect(live.records.map((r) => r.Id)).not.toContain(id);
    expect(live.totalSize).toBe((await conn.query('SELECT Id FROM Opportunity')).totalSize);
  });

  it('records deleted with their parent are in the recycle bin too', async () => {
    const account = String((await conn.sobject('Account').create({ Name: 'Gone Ltd' })).id);
    const contact = String(
      (await conn.sobject('Contact').create({ LastName: 'Gone', AccountId: account })).id,
    );
    await conn.sobject('Account').destroy(account);
    const all = await queryAll(conn, `SELECT Id, IsDeleted FROM Contact WHERE Id = '${contact}'`);
    expect(all.records).toEqual([expect.objectContaining({ Id: contact, IsDeleted: true })]);
  });

  it('the recycle bin keeps them 15 days', async () => {
    const id = await create('Emptied from the bin');
    await conn.sobject('Opportunity').destroy(id);
    sandbox.advanceTime(14 * 24 * 3_600_000);
    const relogged = await loggedIn(sandbox);
    expect((await queryAll(relogged, `SELECT Id FROM Opportunity WHERE Id = '${id}'`)).totalSize).toBe(1);
    sandbox.advanceTime(2 * 24 * 3_600_000);
    const again = await loggedIn(sandbox);
    expect((await queryAll(again, `SELECT Id FROM Opportunity WHERE Id = '${id}'`)).totalSize).toBe(0);
  });

  it('pages a queryAll through /queryAll locators', async () => {
    const fresh = await loggedIn(sandbox);
    const ids = Array.from(
      { length: 210 },
      (_, i) =>
        sandbox.store.create(
          'Contact',
          { LastName: `Paged ${i}`, Department: 'Paged' },
          { userId: sandbox.adminUserId },
        ).Id,
    );
    for (const id of ids.slice(0, 5)) sandbox.store.remove('Contact', id, { userId: sandbox.adminUserId });
    const first = await http(
      sandbox,
      "/services/data/v62.0/queryAll?q=SELECT+Id,IsDeleted+FROM+Contact+WHERE+Department='Paged'",
      {
        token: fresh.accessToken ?? '',
        headers: { 'Sforce-Query-Options': 'batchSize=200' },
      },
    );
    const body = first.body as { totalSize: number; done: boolean; nextRecordsUrl: string };
    expect(body).toMatchObject({
      totalSize: 210,
      done: false,
      nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v62\.0\/queryAll\/01g/),
    });
    const rest = await http(sandbox, body.nextRecordsUrl, { token: fresh.accessToken ?? '' });
    expect(rest.body).toMatchObject({ done: true, records: expect.any(Array) });
    expect((rest.body as { records: unknown[] }).records).toHaveLength(10);
  });
});
