import { DEFAULT_SETTINGS, type Settings } from '../../../shared/domain/settings';
import type { SyncMessage } from '../../../shared/domain/sync-message';
import type { Company, Person, Quote, SyncLogEntry } from '../../../shared/domain/synced-records';
import type { AccountsAndContacts, SalesforceRecordReader } from '../../../shared/ports/salesforce';
import type { DeferredMessage, HeldMessage } from '../../../shared/ports/sync-queue';
import type {
  CompanyRepository,
  PersonRepository,
  QuoteRepository,
  SyncLog,
} from '../../../shared/ports/synced-records';
import type { ReceivedMessage, SyncNotificationsDeps } from '../../../shared/use-cases/sync-notifications';
import { sfId } from '../../support/outbound-messages';

/** In-memory ports for the worker's use case: fast, and each can be made to fail. */
export const STAGE = 'Proposal/Price Quote';
export const settingsAtStage: Settings = {
  ...DEFAULT_SETTINGS,
  opportunityToQuote: { enabled: true, stage: STAGE, updates: 'on-entry', importProducts: true },
  contactToPerson: { enabled: true },
};

const page = <T>(items: T[]) => ({ items });

export class MemoryQuotes implements QuoteRepository {
  readonly items = new Map<string, Quote>();
  async getMany(_siteId: string, ids: readonly string[]) {
    return new Map(
      ids.flatMap((id) =>
        this.items.has(id) ? [[id, structuredClone(this.items.get(id) as Quote)]] : [],
      ) as Array<[string, Quote]>,
    );
  }
  async get(_siteId: string, id: string) {
    return this.items.get(id);
  }
  async create(quote: Quote) {
    if (this.items.has(quote.quoteId)) return false;
    this.items.set(quote.quoteId, structuredClone(quote));
    return true;
  }
  async applySync(
    _siteId: string,
    quoteId: string,
    fields: Parameters<QuoteRepository['applySync']>[2],
    link: Quote['salesforce'],
  ) {
    const quote = this.items.get(quoteId);
    if (!quote || quote.salesforce.systemModstamp >= link.systemModstamp) return false;
    this.items.set(quoteId, { ...quote, ...fields, salesforce: link });
    return true;
  }
  async markDeletedInSalesforce(_siteId: string, quoteId: string, deletedAt: string) {
    const quote = this.items.get(quoteId);
    if (!quote || quote.salesforce.deletedAt) return false;
    quote.salesforce.deletedAt = deletedAt;
    return true;
  }
  async list() {
    return page([...this.items.values()]);
  }
  async listByOpportunity() {
    return page([...this.items.values()]);
  }
}

export class MemoryCompanies implements CompanyRepository {
  readonly items = new Map<string, Company>();
  async getMany(_siteId: string, ids: readonly string[]) {
    return new Map(
      ids.flatMap((id) => (this.items.has(id) ? [[id, this.items.get(id) as Company]] : [])) as Array<
        [string, Company]
      >,
    );
  }
  async putIfNotOlder(company: Company) {
    this.items.set(company.companyId, company);
    return true;
  }
  async list() {
    return page([...this.items.values()]);
  }
}

export class MemoryPersons implements PersonRepository {
  readonly items = new Map<string, Person>();
  writes = 0;
  async getMany(_siteId: string, ids: readonly string[]) {
    return new Map(
      ids.flatMap((id) => (this.items.has(id) ? [[id, this.items.get(id) as Person]] : [])) as Array<
        [string, Person]
      >,
    );
  }
  async findByContactId() {
    return undefined;
  }
  async findByEmail() {
    return [];
  }
  async create(person: Person) {
    this.writes++;
    if (this.items.has(person.personId)) return false;
    this.items.set(person.personId, person);
    return true;
  }
  async putIfNotOlder(person: Person) {
    this.writes++;
    this.items.set(person.personId, person);
    return true;
  }
  async list() {
    return page([...this.items.values()]);
  }
}

export class MemorySyncLog implements SyncLog {
  readonly entries: SyncLogEntry[] = [];
  async append(entries: readonly SyncLogEntry[]) {
    this.entries.push(...entries);
  }
  async listByOpportunity() {
    return page(this.entries);
  }
  async list() {
    return page(this.entries);
  }
  of(recordId: string) {
    return this.entries.filter((e) => e.opportunityId === recordId);
  }
}

/** Salesforce's side: every requested account exists, each opportunity has one primary contact. */
export function memoryReader(overrides: Partial<AccountsAndContacts> = {}) {
  const requests: Array<Parameters<SalesforceRecordReader['fetchAccountsAndPrimaryContacts']>[0]> = [];
  const reader: SalesforceRecordReader & {
    requests: typeof requests;
    fail?: unknown;
    usage: { used: number; limit: number };
    usageReads: number;
  } = {
    requests,
    usage: { used: 0, limit: 15_000 },
    usageReads: 0,
    async apiUsage() {
      reader.usageReads++;
      return reader.usage;
    },
    async fetchAccountsAndPrimaryContacts(request) {
      requests.push(request);
      if (reader.fail) throw reader.fail;
      return {
        accounts: new Map(
          request.accountIds.map((id) => [
            id,
            { Id: id, Name: `Account ${id}`, SystemModstamp: '2026-11-01T00:00:00.000Z' },
          ]),
        ),
        opportunities: new Map(
          request.opportunityIds.map((id, i) => [
            id,
            {
              primaryContact: {
                Id: sfId('003', i + 1),
                LastName: `Contact of ${id}`,
                SystemModstamp: '2026-11-01T00:00:00.000Z',
              },
            },
          ]),
        ),
        ...overrides,
      };
    },
  };
  return reader;
}

export function fakeDeps(settings: Settings = settingsAtStage) {
  const reader = memoryReader();
  const held: HeldMessage[] = [];
  const requeued: DeferredMessage[] = [];
  const marked: string[] = [];
  const runCounts: Array<{ runId: string; counts: Record<string, number | undefined> }> = [];
  const logged: Array<{ level: string; message: string }> = [];
  /** The same lines with their fields. */
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const logAt =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      logged.push({ level, message });
      lines.push({ level, message, fields: Object.assign({}, ...extra) });
    };
  let settled = 0;
  const deps = {
    settings: { get: async () => ({ siteId: 'site', settings, setup: {}, updatedAt: '' }) },
    connections: {
      markReconnectNeeded: async (siteId: string) => {
        marked.push(siteId);
      },
    },
    salesforce: {
      forSite: async () => reader,
      settle: async () => {
        settled++;
      },
    },
    quotes: new MemoryQuotes(),
    quoteNumbers: { next: async () => 1 },
    companies: new MemoryCompanies(),
    persons: new MemoryPersons(),
    syncLog: new MemorySyncLog(),
    retries: {
      holdBack: async (messages: readonly HeldMessage[]) => {
        held.push(...messages);
        return [];
      },
      requeue: async (messages: readonly DeferredMessage[]) => {
        requeued.push(...messages);
      },
    },
    runs: {
      add: async (_siteId: string, runId: string, counts: Record<string, number | undefined>) => {
        runCounts.push({ runId, counts });
      },
    },
    logger: { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') },
    policy: {
      transientBackoffSeconds: 10,
      rateLimitBackoffSeconds: 300,
      maxBackoffSeconds: 900,
      holdBackReceives: 3,
      requeueDelaySeconds: 900,
      maxReconnectWaitMs: 14 * 24 * 3_600_000,
      maxRetryWaitMs: 4 * 24 * 3_600_000,
    },
    now: () => new Date('2026-11-20T12:00:00.000Z'),
    random: () => 0.5,
  } satisfies SyncNotificationsDeps;
  return { deps, reader, held, requeued, marked, runCounts, logged, lines, settled: () => settled };
}

let sequence = 0;

/** A queued opportunity notification; `fields` override the defaults, `message` the envelope. */
export function opportunity(
  n: number,
  options: {
    fields?: Record<string, string | null>;
    message?: Partial<SyncMessage>;
    receiveCount?: number;
    siteId?: string;
  } = {},
): ReceivedMessage {
  sequence++;
  const message: SyncMessage = {
    kind: 'notification',
    version: 1,
    siteId: options.siteId ?? 'site',
    organizationId: '00D5g000004Ck1ZEAS',
    notificationId: sfId('04l', sequence),
    sObjectType: 'Opportunity',
    recordId: sfId('006', n),
    fields: {
      Id: sfId('006', n),
      Name: `Opportunity ${n}`,
      StageName: STAGE,
      AccountId: sfId('001', n),
      SystemModstamp: '2026-11-20T10:00:00.000Z',
      ...options.fields,
    },
    receivedAt: '2026-11-20T11:59:00.000Z',
    source: 'outbound-message',
    ...options.message,
  };
  return {
    messageId: `m-${sequence}`,
    receiptHandle: `r-${sequence}`,
    body: JSON.stringify(message),
    receiveCount: options.receiveCount ?? 1,
  };
}

export function contact(
  n: number,
  fields: Record<string, string | null> = {},
  message: Partial<SyncMessage> = {},
): ReceivedMessage {
  return opportunity(n, {
    message: { sObjectType: 'Contact', recordId: sfId('003', n), source: 'sync-now', ...message },
    fields: {
      Id: sfId('003', n),
      LastName: `Person ${n}`,
      AccountId: sfId('001', n),
      Name: null,
      StageName: null,
      ...fields,
    },
  });
}
