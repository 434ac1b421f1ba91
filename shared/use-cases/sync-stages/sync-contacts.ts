import { mapFields } from '../../domain/field-mapping';
import type { Settings } from '../../domain/settings';
import { type ContactCandidate, ended } from '../../domain/sync-decision';
import { companyIdFor, type Person, personIdFor } from '../../domain/synced-records';
import type { Logger } from '../../ports/logger';
import type { CompanyRepository, PersonRepository } from '../../ports/synced-records';
import { upsertPerson } from '../upsert-person';
import { finish, type Pending } from './attempts';
import { storeFailure } from './defer-notifications';
import { issueText, type StageResult } from './write-synced-records';

export interface ContactItem extends Pending {
  candidate: ContactCandidate;
}

/**
 * Contacts queued by "Synchronize now" with Opportunity→Quote off: each becomes a person (the
 * one linked to the contact, else one with its e-mail, else a new one), linked to the
 * account's company when that company is already known. The notification carries the contact's
 * own fields, so no Salesforce call is needed. In the sync log, the contact's id stands where
 * an opportunity's would.
 */
export async function syncContacts(
  deps: {
    persons: PersonRepository;
    companies: Pick<CompanyRepository, 'getMany'>;
    logger: Logger;
    now: () => Date;
  },
  siteId: string,
  settings: Settings,
  items: readonly ContactItem[],
): Promise<StageResult> {
  const result: StageResult = { finished: [], deferred: [] };
  if (items.length === 0) return result;
  const now = deps.now();
  const accountIds = [
    ...new Set(items.flatMap((i) => (i.candidate.accountId ? [i.candidate.accountId] : []))),
  ];
  let existing: Map<string, Person>;
  let companies: Map<string, unknown>;
  try {
    [existing, companies] = await Promise.all([
      deps.persons.getMany(
        siteId,
        items.map((i) => personIdFor(i.candidate.contactId)),
      ),
      deps.companies.getMany(siteId, accountIds.map(companyIdFor)),
    ]);
  } catch (error) {
    const reason = storeFailure('reading the stored persons and companies', error);
    return { finished: [], deferred: items.map((item) => ({ item, reason })) };
  }
  for (const item of items) {
    const { contactId, accountId } = item.candidate;
    const mapped = mapFields('contact', settings, item.message.fields);
    if (mapped.issues.length > 0) {
      result.finished.push(finish(item, ended('failed', issueText('Contact', mapped)), deps.now));
      continue;
    }
    const companyId = accountId ? companyIdFor(accountId) : null;
    try {
      const { personId, outcome } = await upsertPerson(deps, {
        siteId,
        contactId,
        contactModstamp: item.message.fields.SystemModstamp ?? null,
        mapped,
        companyId: companyId && companies.has(companyId) ? companyId : null,
        existing: existing.get(personIdFor(contactId)),
        now,
      });
      result.finished.push(finish(item, ended(outcome, undefined, { personId }), deps.now));
    } catch (error) {
      deps.logger.warn('Writing a person failed', { siteId, contactId, error });
      result.deferred.push({ item, reason: storeFailure('storing the person', error) });
    }
  }
  return result;
}
