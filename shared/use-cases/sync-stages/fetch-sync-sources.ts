import type { DeferralReason } from '../../domain/deferral';
import { ReconnectNeededError } from '../../domain/errors';
import { salesforceFieldsFor } from '../../domain/field-mapping';
import { classifySalesforceFailure } from '../../domain/salesforce-failures';
import type { Settings } from '../../domain/settings';
import { type Ending, type OpportunityCandidate } from '../../domain/sync-decision';
import type { Logger } from '../../ports/logger';
import type { AccountsAndContacts, SalesforceRecordReaders } from '../../ports/salesforce';
import type { ConnectionRepository } from '../../ports/site-records';
import { errorText } from './attempts';

export interface FetchDeps {
  salesforce: SalesforceRecordReaders;
  connections: Pick<ConnectionRepository, 'markReconnectNeeded'>;
  logger: Logger;
}

export type FetchResult =
  | { kind: 'fetched'; data: AccountsAndContacts }
  | { kind: 'deferred'; reason: DeferralReason }
  | { kind: 'failed'; ending: Ending };

/**
 * The fetch stage: the accounts, primary contacts and products of every opportunity of one
 * site and batch, in at most two Salesforce API calls. A failure is classified once for all of them:
 * what may pass (5xx, timeouts, locks, limits, a refused refresh token) defers them, what
 * cannot (an unknown field, no access) fails them.
 */
export async function fetchSyncSources(
  deps: FetchDeps,
  siteId: string,
  settings: Settings,
  candidates: readonly OpportunityCandidate[],
): Promise<FetchResult> {
  const contacts = settings.contactToPerson.enabled;
  const products = settings.opportunityToQuote.importProducts;
  try {
    const reader = await deps.salesforce.forSite(siteId);
    const data = await reader.fetchAccountsAndPrimaryContacts({
      accountIds: [...new Set(candidates.flatMap((c) => (c.accountId ? [c.accountId] : [])))],
      accountFields: salesforceFieldsFor('account', settings),
      opportunityIds: contacts || products ? candidates.map((c) => c.opportunityId) : [],
      contactFields: salesforceFieldsFor('contact', settings),
      contacts,
      products,
    });
    return { kind: 'fetched', data };
  } catch (error) {
    const kind = classifySalesforceFailure(error);
    const detail = errorText(error);
    const errorCode = (error as { errorCode?: unknown }).errorCode;
    const code = typeof errorCode === 'string' ? { errorCode } : {};
    deps.logger.warn('Reading from Salesforce failed', { siteId, kind, error });
    switch (kind) {
      case 'permanent':
        return {
          kind: 'failed',
          ending: { outcome: 'failed', disposition: 'done', reason: detail, ...code },
        };
      case 'transient':
        return { kind: 'deferred', reason: { kind: 'transient', detail, ...code } };
      case 'rate-limited':
        return { kind: 'deferred', reason: { kind: 'rate-limit', detail, ...code } };
      case 'reconnect':
        // The admin sees the site's status; the notifications wait for the reconnect.
        if (!(error instanceof ReconnectNeededError)) {
          await deps.connections.markReconnectNeeded(
            siteId,
            `Salesforce refused the refresh token: ${detail}`,
          );
        }
        return {
          kind: 'deferred',
          reason: {
            kind: 'reconnect',
            detail: `the site must be reconnected to Salesforce: ${detail}`,
            ...code,
          },
        };
    }
  }
}
