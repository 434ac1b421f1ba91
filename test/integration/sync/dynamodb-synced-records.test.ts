import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDbCompanyRepository,
  DynamoDbPersonRepository,
  DynamoDbQuoteNumbers,
  DynamoDbQuoteRepository,
  DynamoDbSyncLog,
} from '../../../shared/adapters/dynamodb/dynamodb-synced-records';
import { indexPartitions, itemKeys } from '../../../shared/adapters/dynamodb/keys';
import { ValidationError } from '../../../shared/domain/errors';
import type { Company, Person, Quote } from '../../../shared/domain/synced-records';
import { createTable, dynamodb } from '../../support/aws';
import { sfId } from '../../support/outbound-messages';

const db = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
let table: string;
beforeAll(async () => {
  table = await createTable();
});

const T1 = '2026-11-20T10:00:00.000Z';
const T2 = '2026-11-21T10:00:00.000Z';

function quote(siteId: string, n: number, modstamp = T1): Quote {
  const opportunityId = sfId('006', n);
  return {
    siteId,
    quoteId: `sf-${opportunityId}`,
    number: n,
    title: 'First title',
    description: null,
    status: 'Scoping',
    companyId: null,
    personId: null,
    ownerUserId: 'owner',
    currency: 'EUR',
    opportunityAmount: '100',
    closeDate: '2026-12-31',
    lines: [],
    totals: null,
    customFields: { kept: 'by people' },
    salesforce: {
      id: opportunityId,
      opportunityId,
      accountId: null,
      systemModstamp: modstamp,
      lastSyncedAt: modstamp,
      notificationId: sfId('04l', n),
    },
    createdAt: modstamp,
    updatedAt: modstamp,
  };
}

const synced = {
  title: 'Second title',
  description: 'now with a description',
  currency: 'EUR',
  opportunityAmount: '250.5',
  closeDate: '2027-01-31',
  companyId: 'sf-company',
  personId: 'sf-person',
  customFields: { synced: 3 },
};

describe('quotes', () => {
  it('are created once; a second creation of the same id is refused', async () => {
    const quotes = new DynamoDbQuoteRepository(db, table);
    expect(await quotes.create(quote('site-a', 1))).toBe(true);
    expect(await quotes.create({ ...quote('site-a', 1), title: 'other' })).toBe(false);
    expect((await quotes.get('site-a', `sf-${sfId('006', 1)}`))?.title).toBe('First title');
  });

  it('take a newer sync in its synced fields only, and refuse an equal or older one', async () => {
    const quotes = new DynamoDbQuoteRepository(db, table);
    const q = quote('site-a', 2);
    await quotes.create({ ...q, status: 'Won', lines: [] });
    const link = { ...q.salesforce, systemModstamp: T2, lastSyncedAt: T2 };
    expect(await quotes.applySync('site-a', q.quoteId, synced, link)).toBe(true);
    expect(await quotes.applySync('site-a', q.quoteId, { ...synced, title: 'stale' }, link)).toBe(false);
    expect(
      await quotes.applySync(
        'site-a',
        q.quoteId,
        { ...synced, title: 'older' },
        { ...link, systemModstamp: T1 },
      ),
    ).toBe(false);
    const stored = await quotes.get('site-a', q.quoteId);
    expect(stored).toMatchObject({
      title: 'Second title',
      opportunityAmount: '250.5',
      status: 'Won',
      number: 2,
      ownerUserId: 'owner',
      customFields: { kept: 'by people', synced: 3 },
      salesforce: { systemModstamp: T2 },
    });
  });

  it('never update a quote that does not exist', async () => {
    const quotes = new DynamoDbQuoteRepository(db, table);
    const q = quote('site-a', 3);
    expect(await quotes.applySync('site-a', q.quoteId, synced, { ...q.salesforce, systemModstamp: T2 })).toBe(
      false,
    );
    expect(await quotes.get('site-a', q.quoteId)).toBeUndefined();
  });

  it('are listed per opportunity through the index, and per site', async () => {
    const quotes = new DynamoDbQuoteRepository(db, table);
    await quotes.create(quote('site-b', 4));
    const byOpportunity = await quotes.listByOpportunity('site-b', sfId('006', 4), { limit: 10 });
    expect(byOpportunity.items.map((q) => q.quoteId)).toEqual([`sf-${sfId('006', 4)}`]);
    expect((await quotes.listByOpportunity('site-a', sfId('006', 4), { limit: 10 })).items).toEqual([]);
    expect((await quotes.list('site-b', { limit: 10 })).items).toHaveLength(1);
  });
});

describe('the quote listing', () => {
  it('is newest first by quote number, and pages stay stable while quotes are added', async () => {
    const quotes = new DynamoDbQuoteRepository(db, table);
    // Ids in another order than the numbers, so only the number can give this order.
    const numbers = [5, 2, 7, 1, 6, 3, 4];
    for (const [i, number] of numbers.entries()) await quotes.create({ ...quote('site-c', 100 + i), number });

    const first = await quotes.list('site-c', { limit: 3 });
    expect(first.items.map((q) => q.number)).toEqual([7, 6, 5]);
    // A quote created between two pages is not seen on later pages and shifts nothing.
    await quotes.create({ ...quote('site-c', 200), number: 8 });
    const second = await quotes.list('site-c', { limit: 3, nextToken: first.nextToken });
    expect(second.items.map((q) => q.number)).toEqual([4, 3, 2]);
    const third = await quotes.list('site-c', { limit: 3, nextToken: second.nextToken });
    expect(third.items.map((q) => q.number)).toEqual([1]);
    expect(third.nextToken).toBeUndefined();
    expect((await quotes.list('site-c', { limit: 1 })).items.map((q) => q.number)).toEqual([8]);
    // Listed items are quotes as stored, without the table's key attributes.
    expect(Object.keys(first.items[0] ?? {})).not.toContain('gsi2pk');
  });

  it('lists quotes stored before the listing keys existed, adding the keys once', async () => {
    const legacy = quote('site-d', 300);
    await db.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...itemKeys.quote('site-d', legacy.quoteId),
          entity: 'quote',
          gsi1pk: indexPartitions.opportunityQuotes('site-d', legacy.salesforce.opportunityId),
          gsi1sk: itemKeys.quote('site-d', legacy.quoteId).sk,
          ...legacy,
          number: 1,
        },
      }),
    );
    const quotes = new DynamoDbQuoteRepository(db, table);
    await quotes.create({ ...quote('site-d', 301), number: 2 });
    expect((await quotes.list('site-d', { limit: 10 })).items.map((q) => q.number)).toEqual([2, 1]);
    const { Item } = await db.send(
      new GetCommand({ TableName: table, Key: itemKeys.quoteListMigration('site-d') }),
    );
    expect(Item).toMatchObject({ doneAt: expect.any(String) });
  });
});

describe('quote numbers', () => {
  it('are sequential per site, with no two the same under concurrency', async () => {
    const numbers = new DynamoDbQuoteNumbers(db, table);
    const taken = await Promise.all(Array.from({ length: 20 }, () => numbers.next('site-numbers')));
    expect([...taken].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await numbers.next('site-other')).toBe(1);
  });
});

function company(siteId: string, n: number, modstamp: string, name: string): Company {
  const accountId = sfId('001', n);
  return {
    siteId,
    companyId: `sf-${accountId}`,
    name,
    phone: null,
    website: null,
    industry: null,
    billingAddress: { street: null, city: null, postalCode: null, state: null, country: null },
    customFields: {},
    salesforce: { id: accountId, systemModstamp: modstamp, lastSyncedAt: modstamp },
    createdAt: modstamp,
    updatedAt: modstamp,
  };
}

describe('companies', () => {
  it('are never overwritten by older account data', async () => {
    const companies = new DynamoDbCompanyRepository(db, table);
    expect(await companies.putIfNotOlder(company('site-c', 1, T2, 'Newer'))).toBe(true);
    expect(await companies.putIfNotOlder(company('site-c', 1, T1, 'Older'))).toBe(false);
    const stored = await companies.getMany('site-c', [`sf-${sfId('001', 1)}`]);
    expect(stored.get(`sf-${sfId('001', 1)}`)?.name).toBe('Newer');
  });

  it('page with a nextToken that works only for its own site', async () => {
    const companies = new DynamoDbCompanyRepository(db, table);
    for (const n of [2, 3, 4]) await companies.putIfNotOlder(company('site-d', n, T1, `Company ${n}`));
    const first = await companies.list('site-d', { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextToken).toBeDefined();
    const second = await companies.list('site-d', { limit: 2, nextToken: first.nextToken });
    expect([...first.items, ...second.items].map((c) => c.name).sort()).toEqual([
      'Company 2',
      'Company 3',
      'Company 4',
    ]);
    await expect(companies.list('site-c', { limit: 2, nextToken: first.nextToken })).rejects.toThrow(
      ValidationError,
    );
    await expect(companies.list('site-d', { limit: 2, nextToken: 'not-a-token' })).rejects.toThrow(
      ValidationError,
    );
  });
});

describe('persons', () => {
  it('are found by contact id and by e-mail without regard to case', async () => {
    const persons = new DynamoDbPersonRepository(db, table);
    const contactId = sfId('003', 1);
    const person: Person = {
      siteId: 'site-e',
      personId: `sf-${contactId}`,
      firstName: 'Wile',
      lastName: 'Coyote',
      email: 'Wile@Acme.example.com',
      phone: null,
      title: null,
      companyId: null,
      customFields: {},
      salesforce: { id: contactId, systemModstamp: T1, lastSyncedAt: T1 },
      createdAt: T1,
      updatedAt: T1,
    };
    expect(await persons.create(person)).toBe(true);
    expect(await persons.create(person)).toBe(false);
    expect((await persons.findByContactId('site-e', contactId))?.personId).toBe(person.personId);
    expect((await persons.findByEmail('site-e', 'wile@acme.EXAMPLE.com')).map((p) => p.personId)).toEqual([
      person.personId,
    ]);
    expect(await persons.findByEmail('site-f', 'wile@acme.example.com')).toEqual([]);
  });
});

describe('the sync log', () => {
  it("lists an opportunity's outcomes newest first", async () => {
    const log = new DynamoDbSyncLog(db, table);
    const opportunityId = sfId('006', 50);
    const entry = (processedAt: string, outcome: 'created' | 'unchanged') => ({
      siteId: 'site-g',
      opportunityId,
      notificationId: sfId('04l', 1),
      source: 'outbound-message',
      outcome,
      receivedAt: T1,
      processedAt,
    });
    await log.append([
      entry('2026-11-20T10:00:01.000Z', 'created'),
      entry('2026-11-20T10:00:02.000Z', 'unchanged'),
    ]);
    const { items } = await log.listByOpportunity('site-g', opportunityId, { limit: 10 });
    expect(items.map((e) => e.outcome)).toEqual(['unchanged', 'created']);
    expect((await log.list('site-g', { limit: 10 })).items).toHaveLength(2);
  });
});

describe('reads asked for together', () => {
  it('share one BatchGetItem across repositories, each answered with its own items', async () => {
    const counting = DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const companies = new DynamoDbCompanyRepository(counting, table);
    const persons = new DynamoDbPersonRepository(counting, table);
    await companies.putIfNotOlder(company('site-t', 7, T1, 'Together'));
    const send = jest.spyOn(counting, 'send');
    const [foundCompanies, foundPersons] = await Promise.all([
      companies.getMany('site-t', [`sf-${sfId('001', 7)}`, 'sf-missing']),
      persons.getMany('site-t', ['sf-nobody']),
    ]);
    expect(send).toHaveBeenCalledTimes(1);
    expect([...foundCompanies.values()].map((c) => c.name)).toEqual(['Together']);
    expect(foundPersons.size).toBe(0);
    send.mockRestore();
  });
});
