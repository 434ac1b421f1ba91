import { SalesforceApiError } from '../../../src/errors';
import { IdGenerator } from '../../../src/ids';
import { applySeed } from '../../../src/seed';
import { runQuery } from '../../../src/soql/query';
import { MemoryStore } from '../../../src/store';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

function buildStore(): { store: MemoryStore; ids: Record<string, string> } {
  const idGen = new IdGenerator();
  const store = new MemoryStore({ now: () => NOW, organizationId: idGen.next('00D'), ids: idGen });
  const user = store.create(
    'User',
    { Username: 'u@example.com', LastName: 'Admin', Email: 'u@example.com' },
    { userId: '005000000000000AAA', system: true },
  );
  const { ids } = applySeed(
    store,
    {
      customFields: [{ sObjectType: 'Opportunity', name: 'Scoro_Quote_Id__c', type: 'string', length: 40 }],
      records: [
        { sObjectType: 'Account', ref: 'a', fields: { Name: 'Alpha', Industry: 'Banking' } },
        { sObjectType: 'Account', ref: 'b', fields: { Name: 'beta', Industry: null } },
        { sObjectType: 'Account', ref: 'c', fields: { Name: "O'Hara & Sons" } },
        {
          sObjectType: 'Contact',
          ref: 'ca',
          fields: { AccountId: '@{a}', FirstName: 'Ann', LastName: 'Alpha', Email: 'ann@alpha.example' },
        },
        { sObjectType: 'Contact', ref: 'cb', fields: { AccountId: '@{a}', LastName: 'Bert' } },
        {
          sObjectType: 'Opportunity',
          ref: 'o1',
          fields: {
            AccountId: '@{a}',
            Name: 'Big deal',
            StageName: 'Prospecting',
            CloseDate: '2026-11-25',
            Amount: 1000,
            Scoro_Quote_Id__c: 'Q-1',
          },
        },
        {
          sObjectType: 'Opportunity',
          ref: 'o2',
          fields: {
            AccountId: '@{b}',
            Name: 'Small deal',
            StageName: 'Closed Won',
            CloseDate: '2026-01-10',
            Amount: 10,
          },
        },
        {
          sObjectType: 'Opportunity',
          ref: 'o3',
          fields: {
            Name: 'No account',
            StageName: 'Qualification',
            CloseDate: '2027-03-01',
            CreatedDate: '2026-11-01T08:00:00.000+0000',
          },
        },
        {
          sObjectType: 'OpportunityContactRole',
          fields: { OpportunityId: '@{o1}', ContactId: '@{ca}', Role: 'Decision Maker', IsPrimary: true },
        },
        {
          sObjectType: 'OpportunityContactRole',
          fields: { OpportunityId: '@{o1}', ContactId: '@{cb}', Role: 'Influencer' },
        },
      ],
    },
    user.Id,
  );
  return { store, ids };
}

const { store, ids } = buildStore();
const q = (soql: string) => runQuery(store.schema, store, soql, { now: () => NOW, apiVersion: '62.0' });
const names = (soql: string) => q(soql).records.map((r) => r.Name);

function queryError(soql: string): SalesforceApiError {
  try {
    q(soql);
  } catch (error) {
    if (error instanceof SalesforceApiError) return error;
    throw error;
  }
  throw new Error(`expected ${soql} to fail`);
}

describe('SOQL evaluator', () => {
  it('selects fields with canonical names and attributes, whatever the case in the query', () => {
    const result = q(`select id, name from account where name = 'ALPHA'`);
    expect(result.totalSize).toBe(1);
    expect(result.records[0]).toEqual({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ids.a}` },
      Id: ids.a,
      Name: 'Alpha',
    });
  });

  it('follows parent paths and returns null for an empty lookup', () => {
    const records = q('SELECT Name, Account.Name, Owner.Email FROM Opportunity ORDER BY Name').records;
    expect(records.map((r) => r.Account)).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ids.a}` },
        Name: 'Alpha',
      },
      null,
      {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ids.b}` },
        Name: 'beta',
      },
    ]);
    expect(records[0]?.Owner).toMatchObject({ Email: 'u@example.com' });
  });

  it('returns child subqueries as query results, or null without children', () => {
    const records = q(
      'SELECT Name, (SELECT Contact.Email, Role FROM OpportunityContactRoles WHERE IsPrimary = true) FROM Opportunity ORDER BY Name',
    ).records;
    expect(records[0]?.OpportunityContactRoles).toEqual({
      totalSize: 1,
      done: true,
      records: [
        expect.objectContaining({
          Contact: expect.objectContaining({ Email: 'ann@alpha.example' }),
          Role: 'Decision Maker',
        }),
      ],
    });
    expect(records[1]?.OpportunityContactRoles).toBeNull();
  });

  it('counts with COUNT()', () => {
    expect(q('SELECT COUNT() FROM Opportunity WHERE Amount > 5')).toEqual({ totalSize: 2, records: [] });
  });

  it('evaluates comparison operators, IN, NOT IN and null', () => {
    expect(names('SELECT Name FROM Opportunity WHERE Amount >= 10 ORDER BY Name')).toEqual([
      'Big deal',
      'Small deal',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE Amount < 1000')).toEqual(['Small deal']);
    expect(names('SELECT Name FROM Opportunity WHERE Amount = null')).toEqual(['No account']);
    expect(names('SELECT Name FROM Opportunity WHERE Amount != null ORDER BY Name')).toEqual([
      'Big deal',
      'Small deal',
    ]);
    expect(
      names(`SELECT Name FROM Opportunity WHERE StageName IN ('Prospecting', 'Qualification') ORDER BY Name`),
    ).toEqual(['Big deal', 'No account']);
    expect(
      names(`SELECT Name FROM Opportunity WHERE StageName NOT IN ('Prospecting', 'Qualification')`),
    ).toEqual(['Small deal']);
    expect(names(`SELECT Name FROM Opportunity WHERE Id = '${ids.o1?.slice(0, 15)}'`)).toEqual(['Big deal']);
    expect(names(`SELECT Name FROM Opportunity WHERE Scoro_Quote_Id__c = 'Q-1'`)).toEqual(['Big deal']);
    expect(names('SELECT Name FROM Opportunity WHERE IsWon = true')).toEqual(['Small deal']);
  });

  it('honours AND, OR, NOT and parentheses', () => {
    expect(
      names(
        `SELECT Name FROM Opportunity WHERE (Amount > 500 OR Amount = null) AND NOT StageName = 'Qualification'`,
      ),
    ).toEqual(['Big deal']);
    expect(names(`SELECT Name FROM Opportunity WHERE NOT (Amount > 500 OR Amount = null)`)).toEqual([
      'Small deal',
    ]);
    expect(
      names(
        `SELECT Name FROM Account WHERE Industry = 'Banking' OR (Name LIKE 'b%' AND Industry = null) ORDER BY Name`,
      ),
    ).toEqual(['Alpha', 'beta']);
  });

  it('matches LIKE case-insensitively with escapes', () => {
    expect(names(`SELECT Name FROM Account WHERE Name LIKE '%A%' ORDER BY Name`)).toEqual([
      'Alpha',
      'beta',
      "O'Hara & Sons",
    ]);
    expect(names(`SELECT Name FROM Account WHERE Name LIKE 'o\\'hara%'`)).toEqual(["O'Hara & Sons"]);
    expect(names(`SELECT Name FROM Account WHERE Name LIKE '_eta'`)).toEqual(['beta']);
  });

  it('compares dates, datetimes and date literals', () => {
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate = TODAY')).toEqual(['Big deal']);
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate > 2026-06-01 ORDER BY CloseDate')).toEqual([
      'Big deal',
      'No account',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE CreatedDate < 2026-11-02T00:00:00Z')).toEqual([
      'No account',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE CreatedDate = LAST_N_DAYS:7 ORDER BY Name')).toEqual([
      'Big deal',
      'Small deal',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate < THIS_YEAR')).toEqual([]);
  });

  it('orders ascending with nulls first, descending with nulls last, unless told', () => {
    expect(names('SELECT Name FROM Opportunity ORDER BY Amount')).toEqual([
      'No account',
      'Small deal',
      'Big deal',
    ]);
    expect(names('SELECT Name FROM Opportunity ORDER BY Amount DESC')).toEqual([
      'Big deal',
      'Small deal',
      'No account',
    ]);
    expect(names('SELECT Name FROM Opportunity ORDER BY Amount ASC NULLS LAST')).toEqual([
      'Small deal',
      'Big deal',
      'No account',
    ]);
    expect(names('SELECT Name FROM Account ORDER BY Name DESC')).toEqual(["O'Hara & Sons", 'beta', 'Alpha']);
    expect(names('SELECT Name FROM Opportunity ORDER BY Account.Name NULLS LAST')).toEqual([
      'Big deal',
      'Small deal',
      'No account',
    ]);
  });

  it('applies LIMIT and OFFSET after ordering', () => {
    expect(names('SELECT Name FROM Account ORDER BY Name LIMIT 2')).toEqual(['Alpha', 'beta']);
    expect(names('SELECT Name FROM Account ORDER BY Name LIMIT 1 OFFSET 1')).toEqual(['beta']);
    expect(q('SELECT Name FROM Account ORDER BY Name LIMIT 1 OFFSET 1').totalSize).toBe(1);
  });

  it('answers unknown fields, relationships and objects as Salesforce does', () => {
    expect(queryError('SELECT Nope FROM Account')).toMatchObject({ errorCode: 'INVALID_FIELD', status: 400 });
    expect(queryError('SELECT Owner.Nope FROM Account').message).toContain(
      "No such column 'Nope' on entity 'User'",
    );
    expect(queryError('SELECT Parent.Name FROM Contact').message).toContain(
      "Didn't understand relationship 'Parent'",
    );
    expect(queryError('SELECT Id FROM Nothing')).toMatchObject({ errorCode: 'INVALID_TYPE' });
    expect(queryError('SELECT Id, (SELECT Id FROM Nothings) FROM Account')).toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
    expect(queryError("SELECT Id FROM Account WHERE Nope = 'x'")).toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
  });

  it('rejects literals of the wrong type for the field', () => {
    expect(queryError("SELECT Id FROM Opportunity WHERE Amount = '10'").message).toContain(
      'must be of type double',
    );
    expect(queryError('SELECT Id FROM Opportunity WHERE Name = 10').message).toContain(
      'must be of type string',
    );
    expect(queryError("SELECT Id FROM Opportunity WHERE CloseDate = '2026-01-01'").message).toContain(
      'must be of type date',
    );
    expect(queryError("SELECT Id FROM Opportunity WHERE Id = 'abc'")).toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
    });
  });

  it('is a MALFORMED_QUERY for bad syntax and for what this sandbox does not evaluate', () => {
    for (const soql of [
      'SELECT FROM Account',
      'SELECT Id FROM Account WHERE',
      'SELECT Id FROM Account WHERE Name = 1 AND Id = null OR Name = null',
      'SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry',
      'SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact)',
      'SELECT Id, COUNT() FROM Account',
      'SELECT Id FROM Account FOR UPDATE',
      'SELECT FIELDS(ALL) FROM Account LIMIT 1',
    ]) {
      expect(queryError(soql).errorCode).toBe('MALFORMED_QUERY');
    }
  });

  it('requires a filter on ContentDocumentLink, as Salesforce does', () => {
    expect(queryError('SELECT Id FROM ContentDocumentLink').errorCode).toBe('MALFORMED_QUERY');
    expect(q(`SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '${ids.o1}'`).totalSize).toBe(0);
  });
});
