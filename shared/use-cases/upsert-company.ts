import type { MappedFields } from '../domain/field-mapping';
import { canonicalModstamp } from '../domain/sync-rules';
import { type Company, companyIdFor, sameSyncedData, type UpsertOutcome } from '../domain/synced-records';
import type { CompanyRepository } from '../ports/synced-records';

export interface UpsertCompanyInput {
  siteId: string;
  /** The account's 18-character id and its SystemModstamp as Salesforce wrote it. */
  accountId: string;
  accountModstamp: string | null;
  mapped: MappedFields;
  /** The stored company, if read already (saves a read and, when nothing changed, the write). */
  existing: Company | undefined;
  now: Date;
}

/**
 * The company for an account, by the account's id: created on first sight, then kept in step
 * with the account. A write never replaces data of a newer SystemModstamp (two workers may read
 * the account at different times).
 */
export async function upsertCompany(
  deps: { companies: CompanyRepository },
  input: UpsertCompanyInput,
): Promise<{ companyId: string; outcome: UpsertOutcome }> {
  const { core, custom } = input.mapped;
  const now = input.now.toISOString();
  const companyId = companyIdFor(input.accountId);
  const existing = input.existing;
  const company: Company = {
    siteId: input.siteId,
    companyId,
    name: core.name ?? existing?.name ?? '(no name)',
    phone: core.phone ?? null,
    website: core.website ?? null,
    industry: core.industry ?? null,
    billingAddress: {
      street: core.billingStreet ?? null,
      city: core.billingCity ?? null,
      postalCode: core.billingPostalCode ?? null,
      state: core.billingState ?? null,
      country: core.billingCountry ?? null,
    },
    customFields: { ...existing?.customFields, ...custom },
    salesforce: {
      id: input.accountId,
      systemModstamp: canonicalModstamp(input.accountModstamp) ?? now,
      lastSyncedAt: now,
    },
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  if (existing && sameSyncedData(existing, company)) return { companyId, outcome: 'unchanged' };
  const written = await deps.companies.putIfNotOlder(company);
  return { companyId, outcome: !written ? 'unchanged' : existing ? 'updated' : 'created' };
}
