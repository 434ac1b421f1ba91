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

export async function loadDirectory(siteId: string): Promise<Directory> {
  const path = { siteId };
  const companies = new Map<string, Company>();
  const persons = new Map<string, Person>();
  await Promise.all([
    (async () => {
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await call(
          api.GET('/sites/{siteId}/companies', { params: { path, query: { limit: 100, nextToken } } }),
        );
        for (const company of answer.companies) companies.set(company.companyId, company);
        nextToken = answer.nextToken;
        if (!nextToken) break;
      }
    })(),
    (async () => {
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await call(
          api.GET('/sites/{siteId}/persons', { params: { path, query: { limit: 100, nextToken } } }),
        );
        for (const person of answer.persons) persons.set(person.personId, person);
        nextToken = answer.nextToken;
        if (!nextToken) break;
      }
    })(),
  ]);
  return { companies, persons };
}

export function personName(person: Person | undefined): string | undefined {
  if (!person) return undefined;
  return [person.firstName, person.lastName].filter(Boolean).join(' ');
}
