import type { Company, Person } from '../../domain/synced-records';
import type { CompanyRepository, PersonRepository } from '../../ports/synced-records';
import { decorate } from '../decorate';

/**
 * Companies and persons as this warm worker last read or wrote them, kept for `ttlMs`, so an
 * opportunity whose account and contact the worker has seen lately spends no read on them (at a
 * batch of one, that read is one of its four DynamoDB requests).
 *
 * A kept copy may be older than the table, as the eventually consistent read it replaces may
 * be: only the worker writes these items, and only forward (`putIfNotOlder` refuses an older
 * SystemModstamp). So a stale copy can make the worker skip as unchanged data no newer than what
 * is stored (nothing to write) or attempt a write the table then refuses; it never makes newer
 * data lose. A refused write drops the copy, so the next batch reads the table again.
 */
export interface RecentlySyncedOptions {
  ttlMs: number;
  /** Items kept per repository; the least recently used go first. */
  maxItems?: number;
  now?: () => number;
}

class RecentItems<T> {
  private readonly items = new Map<string, { at: number; item: T }>();

  constructor(private readonly options: RecentlySyncedOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  get(key: string): T | undefined {
    const kept = this.items.get(key);
    if (!kept) return undefined;
    this.items.delete(key);
    if (this.now() - kept.at >= this.options.ttlMs) return undefined;
    // Map order is the eviction order: a hit moves the item to the end.
    this.items.set(key, kept);
    return kept.item;
  }

  set(key: string, item: T): void {
    if (this.options.ttlMs <= 0) return;
    this.items.delete(key);
    this.items.set(key, { at: this.now(), item });
    const max = this.options.maxItems ?? 5_000;
    for (const oldest of this.items.keys()) {
      if (this.items.size <= max) break;
      this.items.delete(oldest);
    }
  }

  delete(key: string): void {
    this.items.delete(key);
  }
}

/** getMany through the kept items: only the ids not kept (or kept too long) are read. */
async function readThrough<T>(
  kept: RecentItems<T>,
  siteId: string,
  ids: readonly string[],
  read: (missing: string[]) => Promise<Map<string, T>>,
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const item = kept.get(`${siteId}\u0000${id}`);
    if (item) found.set(id, item);
    else missing.push(id);
  }
  if (missing.length === 0) return found;
  for (const [id, item] of await read(missing)) {
    kept.set(`${siteId}\u0000${id}`, item);
    found.set(id, item);
  }
  return found;
}

/** After a write: keep what the table now holds, or drop the copy when the table refused it. */
function keepWritten<T extends { siteId: string }>(kept: RecentItems<T>, id: (item: T) => string) {
  return (item: T, written: boolean): boolean => {
    const key = `${item.siteId}\u0000${id(item)}`;
    if (written) kept.set(key, item);
    else kept.delete(key);
    return written;
  };
}

export function recentlySyncedCompanies(
  companies: CompanyRepository,
  options: RecentlySyncedOptions,
): CompanyRepository {
  const kept = new RecentItems<Company>(options);
  const remember = keepWritten(kept, (company) => company.companyId);
  return decorate(companies, {
    getMany: (siteId, companyIds) =>
      readThrough(kept, siteId, companyIds, (missing) => companies.getMany(siteId, missing)),
    putIfNotOlder: async (company) => remember(company, await companies.putIfNotOlder(company)),
  });
}

export function recentlySyncedPersons(
  persons: PersonRepository,
  options: RecentlySyncedOptions,
): PersonRepository {
  const kept = new RecentItems<Person>(options);
  const remember = keepWritten(kept, (person) => person.personId);
  return decorate(persons, {
    getMany: (siteId, personIds) =>
      readThrough(kept, siteId, personIds, (missing) => persons.getMany(siteId, missing)),
    create: async (person) => remember(person, await persons.create(person)),
    putIfNotOlder: async (person) => remember(person, await persons.putIfNotOlder(person)),
  });
}
