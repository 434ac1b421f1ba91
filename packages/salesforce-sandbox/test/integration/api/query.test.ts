import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../src/server';
import { errorOf, http, loggedIn, startTestSandbox } from './sandbox-helpers';

interface OpportunityRow {
  Name: string;
  Account: { Name: string } | null;
  Owner: { Email: string };
  OpportunityContactRoles: {
    totalSize: number;
    done: boolean;
    records: Array<{ Role: string; Contact: { Email: string } }>;
  } | null;
}

describe('sandbox queries through jsforce', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    conn = await loggedIn(sandbox);
  });
  afterAll(() => sandbox.stop());

  it('queries parent paths and child subqueries of the demo org', async () => {
    const result = await conn.query<OpportunityRow>(
      `SELECT Name, Account.Name, Owner.Email,
              (SELECT Role, Contact.Email FROM OpportunityContactRoles ORDER BY IsPrimary DESC)
         FROM Opportunity WHERE Account.Name = 'Acme Corporation' ORDER BY Name`,
    );
    expect(result.done).toBe(true);
    expect(result.totalSize).toBe(2);
    const [renewal, rollout] = result.records;
    expect(renewal?.Account?.Name).toBe('Acme Corporation');
    expect(renewal?.Owner.Email).toBe(sandbox.username);
    expect(renewal?.OpportunityContactRoles?.records.map((r) => r.Role)).toEqual([
      'Decision Maker',
      'Economic Buyer',
    ]);
    expect(renewal?.OpportunityContactRoles?.records[0]?.Contact.Email).toBe('wile@acme.example.com');
    expect(rollout?.OpportunityContactRoles?.totalSize).toBe(1);
  });

  it('pages with nextRecordsUrl and queryMore, honouring Sforce-Query-Options batchSize', async () => {
    sandbox.seed({
      records: Array.from({ length: 450 }, (_, i) => ({
        sObjectType: 'Account',
        fields: { Name: `Paged ${String(i).padStart(3, '0')}`, AccountNumber: 'PAGED' },
      })),
    });
    const before = sandbox.apiCalls().byKind.queryMore ?? 0;
    const soql = "SELECT Name FROM Account WHERE AccountNumber = 'PAGED' ORDER BY Name";
    const first = await conn.query<{ Name: string }>(soql, {
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    });
    expect(first.done).toBe(false);
    expect(first.totalSize).toBe(450);
    expect(first.records).toHaveLength(200);
    // jsforce rebuilds the URL from the locator; the wire form is server-relative, as Salesforce sends it.
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g[0-9a-zA-Z]+-200$/);
    const raw = await http(sandbox, `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, {
      token: conn.accessToken ?? '',
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    });
    expect(raw.body).toMatchObject({
      done: false,
      totalSize: 450,
      nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01g[0-9a-zA-Z]+-200$/),
    });
    const second = await conn.queryMore<{ Name: string }>(first.nextRecordsUrl ?? '');
    expect(second.records[0]?.Name).toBe('Paged 200');
    expect(second.done).toBe(false);
    const third = await conn.queryMore<{ Name: string }>(second.nextRecordsUrl ?? '');
    expect(third.done).toBe(true);
    expect(third.records.map((r) => r.Name).at(-1)).toBe('Paged 449');
    expect((sandbox.apiCalls().byKind.queryMore ?? 0) - before).toBe(2);

    const all = await conn.query<{ Name: string }>(soql).run({ autoFetch: true, maxFetch: 1000 });
    expect(all.records ?? all).toHaveLength(450);
  });

  it('defaults to batches of 2000 records', async () => {
    sandbox.seed({
      records: Array.from({ length: 2001 }, (_, i) => ({
        sObjectType: 'Contact',
        fields: { LastName: `Bulk ${i}`, Department: 'BULK' },
      })),
    });
    const result = await conn.query("SELECT Id FROM Contact WHERE Department = 'BULK'");
    expect(result.records).toHaveLength(2000);
    expect(result.done).toBe(false);
    const rest = await conn.queryMore(result.nextRecordsUrl ?? '');
    expect(rest.records).toHaveLength(1);
    expect(rest.done).toBe(true);
  });

  it('counts with COUNT()', async () => {
    const result = await conn.query('SELECT COUNT() FROM Opportunity');
    expect(result.totalSize).toBe(4);
    expect(result.records).toEqual([]);
  });

  it('reports malformed SOQL and unknown fields with Salesforce error codes', async () => {
    const malformed = await errorOf(conn.query('SELECT Id FROM Opportunity WHERE'));
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    const unknown = await errorOf(conn.query('SELECT Id, Nope__c FROM Opportunity'));
    expect(unknown.errorCode).toBe('INVALID_FIELD');
    expect(unknown.message).toContain("No such column 'Nope__c' on entity 'Opportunity'");
    const type = await errorOf(conn.query('SELECT Id FROM Quote__c'));
    expect(type.errorCode).toBe('INVALID_TYPE');
    const locator = await errorOf(conn.queryMore('01gXXXXXXXXXXXX-2000'));
    expect(locator.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });
});
