import type { DeferralReason } from '../../domain/deferral';
import { type MappedFields, mapFields } from '../../domain/field-mapping';
import { ItemTooLargeError } from '../../domain/item-size';
import type { OpportunityProduct } from '../../domain/opportunity-products';
import { isSalesforceId } from '../../domain/salesforce-id';
import type { Settings } from '../../domain/settings';
import { type Ending, ended, type OpportunityCandidate } from '../../domain/sync-decision';
import { type Company, companyIdFor, personIdFor, type Quote } from '../../domain/synced-records';
import type { Logger } from '../../ports/logger';
import type { AccountsAndContacts } from '../../ports/salesforce';
import type {
  CompanyRepository,
  PersonRepository,
  QuoteNumbers,
  QuoteRepository,
} from '../../ports/synced-records';
import { upsertCompany } from '../upsert-company';
import { upsertPerson } from '../upsert-person';
import { upsertQuote } from '../upsert-quote';
import { errorText, type Finished, finish, type Pending } from './attempts';
import { type Deferral, storeFailure } from './defer-notifications';

export interface WriteDeps {
  quotes: QuoteRepository;
  quoteNumbers: QuoteNumbers;
  companies: CompanyRepository;
  persons: PersonRepository;
  logger: Logger;
  now: () => Date;
}

export interface OpportunityItem extends Pending {
  candidate: OpportunityCandidate;
  /** The stored quote, read consistently by the freshness check. */
  existing: Quote | undefined;
}

export interface StageResult {
  finished: Finished[];
  /** Writes that failed in a way a later attempt may not: tried again through the deferral stage. */
  deferred: Deferral[];
}

/** One notification's way through the writes: where it stopped, or what it carries on with. */
type Step<T> =
  | { ok: true; value: T }
  | { ok: false; ending: Ending }
  | { ok: false; deferral: DeferralReason };

export const issueText = (object: string, mapped: MappedFields) =>
  `${object} fields do not fit: ${mapped.issues.map((i) => i.message).join('; ')}`;

/**
 * The write stage: company → person → quote for each opportunity, with the data the fetch
 * stage read. A company or person shared by several opportunities is written once. The quote
 * is written last and conditionally on its SystemModstamp, so it marks the notification as
 * applied and a crash in between leaves nothing a retry would not redo the same way. Each
 * notification ends on its own: a failure of one (a value that does not fit, a failed write,
 * an error nobody foresaw) ends that one alone.
 */
export async function writeSyncedRecords(
  deps: WriteDeps,
  input: { siteId: string; settings: Settings; items: readonly OpportunityItem[]; data: AccountsAndContacts },
): Promise<StageResult> {
  const { siteId, settings, items, data } = input;
  const now = deps.now();
  const companies = createCompanyWriter(deps, siteId, settings, items, data, now);
  const persons = createPersonWriter(deps, siteId, settings, items, data, now);
  const result: StageResult = { finished: [], deferred: [] };

  await Promise.all(
    items.map(async (item) => {
      const step = await (async (): Promise<Step<Ending>> => {
        const { accountId } = item.candidate;
        const company: Step<string | null> = accountId
          ? await companies(accountId)
          : { ok: true, value: null };
        if (!company.ok) return company;
        const person = await persons(item);
        if (!person.ok) return person;
        const products = settings.opportunityToQuote.importProducts
          ? data.opportunities?.get(item.candidate.opportunityId)?.products
          : undefined;
        return writeQuote(deps, siteId, settings, item, company.value, person.value, products, now);
      })().catch((error: unknown): Step<Ending> => {
        deps.logger.error('Syncing a notification failed unexpectedly', { siteId, error });
        return {
          ok: false,
          ending: {
            outcome: 'failed',
            disposition: 'retry',
            reason: `unexpected error: ${errorText(error)}`,
          },
        };
      });
      if (step.ok) result.finished.push(finish(item, step.value, deps.now, item.candidate.modstamp));
      else if ('ending' in step)
        result.finished.push(finish(item, step.ending, deps.now, item.candidate.modstamp));
      else result.deferred.push({ item, reason: step.deferral });
    }),
  );
  return result;
}

/** Companies, one per account however many opportunities share it. */
function createCompanyWriter(
  deps: WriteDeps,
  siteId: string,
  settings: Settings,
  items: readonly OpportunityItem[],
  data: AccountsAndContacts,
  now: Date,
): (accountId: string) => Promise<Step<string>> {
  const accountIds = [
    ...new Set(items.flatMap((i) => (i.candidate.accountId ? [i.candidate.accountId] : []))),
  ];
  const stored = deps.companies.getMany(siteId, accountIds.map(companyIdFor));
  // Awaited by each notification with an account; a failed read defers those, never the batch.
  stored.catch(() => undefined);
  const byAccount = new Map<string, Promise<Step<string>>>();
  const write = async (accountId: string): Promise<Step<string>> => {
    const account = data.accounts.get(accountId);
    if (!account) {
      return {
        ok: false,
        ending: ended(
          'failed',
          `the opportunity's account ${accountId} is deleted or not visible to the connected user`,
          {
            errorCode: 'ENTITY_IS_DELETED',
          },
        ),
      };
    }
    const mapped = mapFields('account', settings, account);
    if (mapped.issues.length > 0) return { ok: false, ending: ended('failed', issueText('Account', mapped)) };
    let existing: Map<string, Company>;
    try {
      existing = await stored;
    } catch (error) {
      return { ok: false, deferral: storeFailure('reading the stored companies', error) };
    }
    try {
      const { companyId } = await upsertCompany(deps, {
        siteId,
        accountId,
        accountModstamp: account.SystemModstamp ?? null,
        mapped,
        existing: existing.get(companyIdFor(accountId)),
        now,
      });
      return { ok: true, value: companyId };
    } catch (error) {
      deps.logger.warn('Writing a company failed', { siteId, accountId, error });
      return writeFailure('storing the company', error);
    }
  };
  return (accountId) => {
    let result = byAccount.get(accountId);
    if (!result) {
      result = write(accountId);
      byAccount.set(accountId, result);
    }
    return result;
  };
}

/** Persons from each opportunity's primary contact; a contact shared by several is written once. */
function createPersonWriter(
  deps: WriteDeps,
  siteId: string,
  settings: Settings,
  items: readonly OpportunityItem[],
  data: AccountsAndContacts,
  now: Date,
): (item: OpportunityItem) => Promise<Step<string | null | undefined>> {
  if (!settings.contactToPerson.enabled) return async () => ({ ok: true, value: undefined });
  const stored = deps.persons.getMany(
    siteId,
    items.flatMap((i) => {
      // A record that cannot be read fails its own notification below, not this shared read.
      try {
        const contact = data.opportunities?.get(i.candidate.opportunityId)?.primaryContact;
        return contact && isSalesforceId(contact.Id) ? [personIdFor(contact.Id)] : [];
      } catch {
        return [];
      }
    }),
  );
  // Awaited by each notification with a contact; a failed read ends those, never the batch.
  stored.catch(() => undefined);
  const byContact = new Map<string, Promise<string>>();
  return async (item) => {
    const opportunity = data.opportunities?.get(item.candidate.opportunityId);
    if (!opportunity) {
      return {
        ok: false,
        ending: ended('failed', 'the opportunity is deleted or not visible to the connected user', {
          errorCode: 'ENTITY_IS_DELETED',
        }),
      };
    }
    const contact = opportunity.primaryContact;
    if (!contact) return { ok: true, value: null };
    const mapped = mapFields('contact', settings, contact);
    if (mapped.issues.length > 0) return { ok: false, ending: ended('failed', issueText('Contact', mapped)) };
    let upsert = byContact.get(contact.Id);
    if (!upsert) {
      upsert = stored.then(async (persons) => {
        const { personId } = await upsertPerson(deps, {
          siteId,
          contactId: contact.Id,
          contactModstamp: contact.SystemModstamp ?? null,
          mapped,
          companyId:
            contact.AccountId && isSalesforceId(contact.AccountId) ? companyIdFor(contact.AccountId) : null,
          existing: persons.get(personIdFor(contact.Id)),
          now,
        });
        return personId;
      });
      byContact.set(contact.Id, upsert);
    }
    try {
      return { ok: true, value: await upsert };
    } catch (error) {
      deps.logger.warn('Writing a person failed', { siteId, contactId: contact.Id, error });
      return writeFailure('storing the person', error);
    }
  };
}

/** The quote last: its SystemModstamp is what marks a notification as applied. */
async function writeQuote(
  deps: WriteDeps,
  siteId: string,
  settings: Settings,
  item: OpportunityItem,
  companyId: string | null,
  /** undefined: Contact→Person is off, so the quote keeps the person it has. */
  personId: string | null | undefined,
  products: readonly OpportunityProduct[] | undefined,
  now: Date,
): Promise<Step<Ending>> {
  const { candidate, existing } = item;
  const mapped = mapFields('opportunity', settings, item.message.fields);
  if (mapped.issues.length > 0)
    return { ok: false, ending: ended('failed', issueText('Opportunity', mapped)) };
  const { core, custom } = mapped;
  const linked = { ...(companyId ? { companyId } : {}), ...(personId ? { personId } : {}) };
  try {
    const { quoteId, outcome } = await upsertQuote(deps, {
      siteId,
      existing,
      ownerUserId: settings.ownerUserId,
      ...(products ? { products } : {}),
      now,
      fields: {
        title: core.title ?? `Opportunity ${candidate.opportunityId}`,
        description: core.description ?? null,
        currency: core.currency ?? null,
        opportunityAmount: core.opportunityAmount ?? null,
        closeDate: core.closeDate ?? null,
        companyId,
        personId: personId === undefined ? (existing?.personId ?? null) : personId,
        customFields: custom,
      },
      link: {
        id: candidate.opportunityId,
        opportunityId: candidate.opportunityId,
        accountId: candidate.accountId,
        systemModstamp: candidate.modstamp,
        lastSyncedAt: now.toISOString(),
        notificationId: item.message.notificationId,
      },
    });
    const reason =
      outcome === 'unchanged' ? 'a newer or equal SystemModstamp was stored meanwhile' : undefined;
    return { ok: true, value: ended(outcome, reason, { quoteId, ...linked }) };
  } catch (error) {
    deps.logger.warn('Writing a quote failed', { siteId, opportunityId: candidate.opportunityId, error });
    return writeFailure('storing the quote', error);
  }
}

/**
 * A record too large for one item would be refused on every try: that notification's failure
 * for good, naming the field. Any other failed write is tried again.
 */
function writeFailure(what: string, error: unknown): Step<never> {
  if (error instanceof ItemTooLargeError) {
    return {
      ok: false,
      ending: ended('failed', `${error.message}: shorten it in Salesforce or map fewer fields`),
    };
  }
  return { ok: false, deferral: storeFailure(what, error) };
}
