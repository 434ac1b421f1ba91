import type { MappedFields } from '../domain/field-mapping';
import { canonicalModstamp } from '../domain/sync-rules';
import { type Person, personIdFor, sameSyncedData, type UpsertOutcome } from '../domain/synced-records';
import type { PersonRepository } from '../ports/synced-records';

export interface UpsertPersonInput {
  siteId: string;
  /** The contact's 18-character id and its SystemModstamp as Salesforce wrote it. */
  contactId: string;
  contactModstamp: string | null;
  mapped: MappedFields;
  companyId: string | null;
  /** The person stored under the contact's own id, if read already. */
  existing: Person | undefined;
  now: Date;
}

/**
 * The person for a contact: the one created from this contact (its id derives from the
 * contact's), else the one linked to it, else one with the same e-mail that no contact claims
 * yet (so a person entered by hand is linked, but two contacts sharing an address stay two
 * persons), else a new one. Creation is conditional on the id, so concurrent workers create one.
 */
export async function upsertPerson(
  deps: { persons: PersonRepository },
  input: UpsertPersonInput,
): Promise<{ personId: string; outcome: UpsertOutcome }> {
  const { core, custom } = input.mapped;
  const now = input.now.toISOString();
  let target = input.existing ?? (await deps.persons.findByContactId(input.siteId, input.contactId));
  if (!target && core.email) {
    target = (await deps.persons.findByEmail(input.siteId, core.email)).find((p) => !p.salesforce);
  }
  const person: Person = {
    siteId: input.siteId,
    personId: target?.personId ?? personIdFor(input.contactId),
    firstName: core.firstName ?? null,
    lastName: core.lastName ?? target?.lastName ?? '(no name)',
    email: core.email ?? null,
    phone: core.phone ?? null,
    title: core.title ?? null,
    companyId: input.companyId,
    customFields: { ...target?.customFields, ...custom },
    salesforce: {
      id: input.contactId,
      systemModstamp: canonicalModstamp(input.contactModstamp) ?? now,
      lastSyncedAt: now,
    },
    createdAt: target?.createdAt ?? now,
    updatedAt: now,
  };
  if (target && sameSyncedData(target, person)) return { personId: person.personId, outcome: 'unchanged' };
  if (!target && (await deps.persons.create(person)))
    return { personId: person.personId, outcome: 'created' };
  const written = await deps.persons.putIfNotOlder(person);
  return { personId: person.personId, outcome: written ? 'updated' : 'unchanged' };
}
