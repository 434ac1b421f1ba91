import {
  recentlySyncedCompanies,
  recentlySyncedPersons,
} from '../../../shared/adapters/dynamodb/recently-synced';
import type { Company, Person } from '../../../shared/domain/synced-records';
import { companyIdFor } from '../../../shared/domain/synced-records';
import type { CompanyRepository, PersonRepository } from '../../../shared/ports/synced-records';
import { upsertCompany } from '../../../shared/use-cases/upsert-company';

/** A table of companies that, like DynamoDB's NOT_OLDER condition, refuses an older SystemModstamp. */
class CompanyTable implements CompanyRepository {
  readonly items = new Map<string, Company>();
  reads: string[][] = [];
  async getMany(siteId: string, ids: readonly string[]) {
    this.reads.push([...ids]);
    return new Map(
      ids.flatMap((id) => {
        const item = this.items.get(`${siteId}/${id}`);
        return item ? [[id, item] as const] : [];
      }),
    );
  }
  async putIfNotOlder(company: Company) {
    const stored = this.items.get(`${company.siteId}/${company.companyId}`);
    if (stored && stored.salesforce.systemModstamp > company.salesforce.systemModstamp) return false;
    this.items.set(`${company.siteId}/${company.companyId}`, company);
    return true;
  }
  async list() {
    return { items: [...this.items.values()] };
  }
}

const ACCOUNT = '001000000000001AAA';
const account = (name: string, modstamp: string) => ({
  siteId: 'acme',
  accountId: ACCOUNT,
  accountModstamp: modstamp,
  mapped: { core: { name }, custom: {}, issues: [] },
  now: new Date('2026-12-02T00:00:00Z'),
});

/** One worker's pass over an account, as the sync does it: read (through the copies kept), then upsert. */
async function sync(companies: CompanyRepository, name: string, modstamp: string) {
  const existing = (await companies.getMany('acme', [companyIdFor(ACCOUNT)])).get(companyIdFor(ACCOUNT));
  return upsertCompany({ companies }, { ...account(name, modstamp), existing });
}

describe('companies a warm worker has seen', () => {
  it('are read from the table once, then served from what the worker read or wrote', async () => {
    const table = new CompanyTable();
    const companies = recentlySyncedCompanies(table, { ttlMs: 60_000 });
    expect((await sync(companies, 'Acme', '2026-12-01T10:00:00.000Z')).outcome).toBe('created');
    expect((await sync(companies, 'Acme', '2026-12-01T10:00:00.000Z')).outcome).toBe('unchanged');
    expect((await sync(companies, 'Acme Ltd', '2026-12-01T11:00:00.000Z')).outcome).toBe('updated');
    // The first read found nothing; everything after it came from the kept copy.
    expect(table.reads).toEqual([[companyIdFor(ACCOUNT)]]);
    expect(table.items.get(`acme/${companyIdFor(ACCOUNT)}`)?.name).toBe('Acme Ltd');
  });

  it('are read again once kept longer than the time allowed, and never kept with a time of 0', async () => {
    let now = 0;
    const table = new CompanyTable();
    const companies = recentlySyncedCompanies(table, { ttlMs: 1_000, now: () => now });
    await sync(companies, 'Acme', '2026-12-01T10:00:00.000Z');
    now = 999;
    await companies.getMany('acme', [companyIdFor(ACCOUNT)]);
    expect(table.reads).toHaveLength(1);
    now = 1_000;
    await companies.getMany('acme', [companyIdFor(ACCOUNT)]);
    expect(table.reads).toHaveLength(2);

    const uncached = recentlySyncedCompanies(table, { ttlMs: 0 });
    await uncached.getMany('acme', [companyIdFor(ACCOUNT)]);
    await uncached.getMany('acme', [companyIdFor(ACCOUNT)]);
    expect(table.reads).toHaveLength(4);
  });

  it("keep each site's items apart, read only the ids not kept, and drop the least recently used", async () => {
    const table = new CompanyTable();
    const companies = recentlySyncedCompanies(table, { ttlMs: 60_000, maxItems: 2 });
    const company = (siteId: string, companyId: string): Company => ({
      siteId,
      companyId,
      name: companyId,
      phone: null,
      website: null,
      industry: null,
      billingAddress: { street: null, city: null, postalCode: null, state: null, country: null },
      customFields: {},
      salesforce: { id: companyId, systemModstamp: '2026-12-01T10:00:00.000Z', lastSyncedAt: '' },
      createdAt: '',
      updatedAt: '',
    });
    await companies.putIfNotOlder(company('acme', 'a'));
    await companies.putIfNotOlder(company('acme', 'b'));
    await companies.putIfNotOlder(company('other', 'a'));
    table.reads = [];
    const found = await companies.getMany('acme', ['a', 'b']);
    // ('acme', 'a') was the least recently used of three when only two are kept.
    expect(table.reads).toEqual([['a']]);
    expect([...found.keys()].sort()).toEqual(['a', 'b']);
    expect((await companies.getMany('other', ['a'])).get('a')?.siteId).toBe('other');
  });

  it('never let a stale copy win over what another worker stored since', async () => {
    const table = new CompanyTable();
    const workerA = recentlySyncedCompanies(table, { ttlMs: 60_000 });
    const workerB = recentlySyncedCompanies(table, { ttlMs: 60_000 });
    await sync(workerA, 'Acme', '2026-12-01T10:00:00.000Z');
    await sync(workerB, 'Acme Ltd', '2026-12-01T11:00:00.000Z');
    // A delivery of the data A kept, late: older than the table, so nothing is written.
    expect((await sync(workerA, 'Acme', '2026-12-01T10:00:00.000Z')).outcome).toBe('unchanged');
    expect(table.items.get(`acme/${companyIdFor(ACCOUNT)}`)?.name).toBe('Acme Ltd');
    // Data older than the table that differs from A's copy: the table refuses it, and A drops its copy.
    expect((await sync(workerA, 'Acme GmbH', '2026-12-01T10:30:00.000Z')).outcome).toBe('unchanged');
    expect(table.items.get(`acme/${companyIdFor(ACCOUNT)}`)?.name).toBe('Acme Ltd');
    const readsBefore = table.reads.length;
    await workerA.getMany('acme', [companyIdFor(ACCOUNT)]);
    expect(table.reads.length).toBe(readsBefore + 1);
    // The account named as A first saw it, but saved later in Salesforce: newer, so it is written.
    expect((await sync(workerA, 'Acme', '2026-12-01T12:00:00.000Z')).outcome).toBe('updated');
    expect(table.items.get(`acme/${companyIdFor(ACCOUNT)}`)?.name).toBe('Acme');
  });
});

describe('persons a warm worker has seen', () => {
  it('are kept when created or written, and dropped when the table refused the write', async () => {
    const stored = new Map<string, Person>();
    let reads = 0;
    const table: PersonRepository = {
      getMany: async (_siteId, ids) => {
        reads++;
        return new Map(
          ids.flatMap((id) => (stored.has(id) ? [[id, stored.get(id) as Person] as const] : [])),
        );
      },
      findByContactId: async () => undefined,
      findByEmail: async () => [],
      create: async (person) => {
        if (stored.has(person.personId)) return false;
        stored.set(person.personId, person);
        return true;
      },
      putIfNotOlder: async () => false,
      list: async () => ({ items: [] }),
    };
    const persons = recentlySyncedPersons(table, { ttlMs: 60_000 });
    const person: Person = {
      siteId: 'acme',
      personId: 'sf-003000000000001AAA',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: null,
      phone: null,
      title: null,
      companyId: null,
      customFields: {},
      createdAt: '',
      updatedAt: '',
    };
    expect(await persons.create(person)).toBe(true);
    expect((await persons.getMany('acme', [person.personId])).get(person.personId)).toBe(person);
    expect(reads).toBe(0);
    expect(await persons.putIfNotOlder({ ...person, lastName: 'King' })).toBe(false);
    await persons.getMany('acme', [person.personId]);
    expect(reads).toBe(1);
  });
});
