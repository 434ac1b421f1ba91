import { api, call } from '../api/client';
import type { Company, Person } from '../api/types';

/**
 * The site's companies and persons by id, to name a quote's company and person. Read once per
 * site and page view, a page of 100 at a time.
 */
export interface Directory {
  companies: Map<string, Company>;
  persons: Map<string, Person>;
}

const MAX_PAGES = 20;

/** Every item of a paged listing, up to MAX_PAGES pages. */
async function allPages<T>(
  page: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string }>,
) {
  const items: T[] = [];
  let nextToken: string | undefined;
  for (let count = 0; count < MAX_PAGES; count++) {
    const answer = await page(nextToken);
    items.push(...answer.items);
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  return items;
}

export async function loadDirectory(siteId: string): Promise<Directory> {
  const path = { siteId };
  const query = (nextToken: string | undefined) => ({ limit: 100, ...(nextToken ? { nextToken } : {}) });
  const [companies, persons] = await Promise.all([
    allPages(async (nextToken) => {
      const answer = await call(
        api.GET('/sites/{siteId}/companies', { params: { path, query: query(nextToken) } }),
      );
      return { items: answer.companies, ...(answer.nextToken ? { nextToken: answer.nextToken } : {}) };
    }),
    allPages(async (nextToken) => {
      const answer = await call(
        api.GET('/sites/{siteId}/persons', { params: { path, query: query(nextToken) } }),
      );
      return { items: answer.persons, ...(answer.nextToken ? { nextToken: answer.nextToken } : {}) };
    }),
  ]);
  return {
    companies: new Map(companies.map((company) => [company.companyId, company])),
    persons: new Map(persons.map((person) => [person.personId, person])),
  };
}

export function personName(person: Person | undefined): string | undefined {
  if (!person) return undefined;
  return [person.firstName, person.lastName].filter(Boolean).join(' ');
}
