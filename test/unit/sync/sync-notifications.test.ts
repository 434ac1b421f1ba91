import {
  EnqueueFailedError,
  ReconnectNeededError,
  RefreshTokenRefusedError,
  SalesforceApiError,
} from '../../../shared/domain/errors';
import { toId18 } from '../../../shared/domain/salesforce-id';
import type { Settings } from '../../../shared/domain/settings';
import { quoteIdFor } from '../../../shared/domain/synced-records';
import { syncNotifications } from '../../../shared/use-cases/sync-notifications';
import { sfId } from '../../support/outbound-messages';
import { contact, fakeDeps, opportunity, settingsAtStage } from './fakes';

/** The worker's use case over in-memory ports: every branch of every stage, in milliseconds. */

const opp = (n: number) => toId18(sfId('006', n));

describe('decide: each notification on its own', () => {
  it('creates a quote, and logs one entry per notification with the real time it ended', async () => {
    const { deps, settled } = fakeDeps();
    const result = await syncNotifications(deps, [opportunity(1)]);
    expect(result).toEqual({
      failedMessageIds: [],
      outcomes: { created: 1, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
    });
    expect(deps.quotes.items.get(quoteIdFor(opp(1)))).toMatchObject({
      title: 'Opportunity 1',
      status: 'Scoping',
    });
    expect(deps.syncLog.of(opp(1))).toEqual([
      expect.objectContaining({
        outcome: 'created',
        processedAt: '2026-11-20T12:00:00.000Z',
        messageId: expect.any(String),
      }),
    ]);
    expect(settled()).toBe(1);
  });

  it("logs each notification's outcome on a line of its own, naming every id it touched", async () => {
    const { deps, lines } = fakeDeps();
    const notification = opportunity(1);
    await syncNotifications(deps, [notification]);
    const message = JSON.parse(notification.body) as { notificationId: string };
    expect(lines).toContainEqual({
      level: 'info',
      message: 'Notification created',
      fields: expect.objectContaining({
        siteId: 'site',
        notificationId: message.notificationId,
        opportunityId: opp(1),
        quoteId: quoteIdFor(opp(1)),
        outcome: 'created',
      }),
    });
  });

  it.each([
    [
      'a type that is not synced',
      { message: { sObjectType: 'Lead' } },
      'skipped',
      /Lead notifications are not synced/,
    ],
    ['no SystemModstamp', { fields: { SystemModstamp: null } }, 'failed', /no SystemModstamp/],
    ['another stage', { fields: { StageName: 'Prospecting' } }, 'skipped', /stage is "Prospecting"/],
  ])('%s ends the notification alone', async (_name, options, outcome, reason) => {
    const { deps } = fakeDeps();
    const result = await syncNotifications(deps, [opportunity(1, options), opportunity(2)]);
    expect(result.outcomes).toMatchObject({ created: 1, [outcome]: 1 });
    expect(result.failedMessageIds).toEqual([]);
    expect(deps.syncLog.of(opp(1))).toEqual([
      expect.objectContaining({ outcome, reason: expect.stringMatching(reason) }),
    ]);
  });

  it.each(["006' OR Id != '", 'abc'])(
    'a record id %j that is no Salesforce id fails alone, logged under its own text',
    async (recordId) => {
      const { deps } = fakeDeps();
      const result = await syncNotifications(deps, [
        opportunity(1, { message: { recordId } }),
        opportunity(2),
      ]);
      expect(result).toMatchObject({ failedMessageIds: [], outcomes: { created: 1, failed: 1 } });
      expect(deps.syncLog.of(recordId)).toEqual([
        expect.objectContaining({
          outcome: 'failed',
          retrying: false,
          reason: expect.stringMatching(/is not a Salesforce id/),
        }),
      ]);
      expect(deps.syncLog.of(opp(2))).toEqual([expect.objectContaining({ outcome: 'created' })]);
    },
  );

  it('a stand-in for a notification the queue refused is recorded as failed, with the reason, and done', async () => {
    const { deps, reader } = fakeDeps();
    const standIn = opportunity(1, {
      message: { refused: 'the sync queue refused the notification: too large' },
      fields: { SystemModstamp: null },
    });
    const result = await syncNotifications(deps, [standIn, opportunity(2)]);
    expect(result).toMatchObject({ failedMessageIds: [], outcomes: { created: 1, failed: 1 } });
    expect(deps.syncLog.of(opp(1))).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        retrying: false,
        reason: 'the sync queue refused the notification: too large',
      }),
    ]);
    expect(reader.requests[0]?.opportunityIds).toEqual([opp(2)]);
  });

  it('a body that is no sync message stays on the queue, and its neighbours complete', async () => {
    const { deps } = fakeDeps();
    const poison = { messageId: 'poison', receiptHandle: 'r', body: '{"kind":"nonsense"}', receiveCount: 1 };
    const result = await syncNotifications(deps, [
      poison,
      { ...poison, messageId: 'not-json', body: 'not json' },
      opportunity(1),
    ]);
    expect(result.failedMessageIds.sort()).toEqual(['not-json', 'poison']);
    expect(result.outcomes).toMatchObject({ created: 1, failed: 2 });
    expect(deps.syncLog.entries).toHaveLength(1);
  });
});

describe('newest per opportunity, and freshness against the stored quote', () => {
  it('in one batch the newest copy goes on; a duplicate and an older copy end unchanged', async () => {
    const { deps } = fakeDeps();
    const older = opportunity(1, { fields: { SystemModstamp: '2026-11-20T09:00:00.000Z', Name: 'old' } });
    const newest = opportunity(1, { fields: { SystemModstamp: '2026-11-20T10:00:00.000Z', Name: 'new' } });
    const duplicate = { ...newest, messageId: 'dup', receiptHandle: 'dup' };
    const result = await syncNotifications(deps, [older, newest, duplicate]);
    expect(result.outcomes).toMatchObject({ created: 1, unchanged: 2 });
    expect(deps.quotes.items.get(quoteIdFor(opp(1)))?.title).toBe('new');
    expect(
      deps.syncLog
        .of(opp(1))
        .map((e) => e.reason)
        .sort(),
    ).toEqual([
      'a duplicate of another notification in the same batch',
      'superseded by a newer notification of the same opportunity in the same batch',
      undefined,
    ]);
  });

  it('a redelivery, other data of the same SystemModstamp, and older data change nothing and read nothing', async () => {
    const { deps, reader } = fakeDeps();
    const first = opportunity(1);
    await syncNotifications(deps, [first]);
    const sameStamp = opportunity(1);
    const older = opportunity(1, { fields: { SystemModstamp: '2026-11-19T10:00:00.000Z' } });
    for (const message of [first, sameStamp, older]) await syncNotifications(deps, [message]);
    expect(reader.requests).toHaveLength(1);
    expect(deps.syncLog.of(opp(1)).map((e) => [e.outcome, e.reason])).toEqual([
      ['created', undefined],
      ['unchanged', 'a duplicate delivery of a notification already applied'],
      ['unchanged', 'data of this SystemModstamp is already applied'],
      [
        'unchanged',
        expect.stringMatching(/^older \(2026-11-19T10:00:00.000Z\) than the data already applied/),
      ],
    ]);
  });

  it('newer data updates the quote', async () => {
    const { deps } = fakeDeps();
    await syncNotifications(deps, [opportunity(1)]);
    const result = await syncNotifications(deps, [
      opportunity(1, { fields: { SystemModstamp: '2026-11-21T10:00:00.000Z', Name: 'renamed' } }),
    ]);
    expect(result.outcomes.updated).toBe(1);
    expect(deps.quotes.items.get(quoteIdFor(opp(1)))?.title).toBe('renamed');
  });

  it('a stored quote written meanwhile by another worker ends the notification unchanged', async () => {
    const { deps } = fakeDeps();
    await syncNotifications(deps, [opportunity(1)]);
    const stored = deps.quotes.items.get(quoteIdFor(opp(1)));
    // The freshness read saw an older quote; the conditional write finds a newer one.
    deps.quotes.getMany = async () => new Map();
    if (stored) stored.salesforce.systemModstamp = '2027-01-01T00:00:00.000Z';
    deps.quotes.create = async () => false;
    const result = await syncNotifications(deps, [
      opportunity(1, { fields: { SystemModstamp: '2026-11-22T00:00:00.000Z' } }),
    ]);
    expect(result.outcomes.unchanged).toBe(1);
    expect(deps.syncLog.entries.at(-1)?.reason).toBe('a newer or equal SystemModstamp was stored meanwhile');
  });

  it('a failed read of the stored quotes defers the notifications (held back, with the wait)', async () => {
    const { deps, held } = fakeDeps();
    deps.quotes.getMany = async () => {
      throw new Error('DynamoDB is unreachable');
    };
    const message = opportunity(1);
    const result = await syncNotifications(deps, [message]);
    expect(result.failedMessageIds).toEqual([message.messageId]);
    expect(held).toEqual([{ receiptHandle: message.receiptHandle, visibilitySeconds: 8 }]);
    expect(deps.syncLog.of(opp(1))[0]).toMatchObject({
      outcome: 'failed',
      retrying: true,
      reason: 'reading the stored quotes failed: DynamoDB is unreachable; tried again in 8 s',
    });
  });
});

describe('fetch: one Salesforce read per site and batch, its failure classified once', () => {
  it('reads the accounts of all and the contacts of all in one request', async () => {
    const { deps, reader } = fakeDeps();
    await syncNotifications(deps, [
      opportunity(1),
      opportunity(2),
      opportunity(3, { fields: { AccountId: sfId('001', 1) } }),
    ]);
    expect(reader.requests).toHaveLength(1);
    expect(reader.requests[0]?.accountIds).toHaveLength(2);
    expect(reader.requests[0]?.opportunityIds).toHaveLength(3);
  });

  it('a permanent refusal fails every notification for good, with the error code', async () => {
    const { deps, reader } = fakeDeps();
    reader.fail = new SalesforceApiError('No such column Region__c', 'INVALID_FIELD', 400);
    const result = await syncNotifications(deps, [opportunity(1), opportunity(2)]);
    expect(result).toMatchObject({ failedMessageIds: [], outcomes: { failed: 2 } });
    expect(deps.syncLog.entries).toEqual([
      expect.objectContaining({ outcome: 'failed', retrying: false, errorCode: 'INVALID_FIELD' }),
      expect.objectContaining({ outcome: 'failed', retrying: false, errorCode: 'INVALID_FIELD' }),
    ]);
  });

  it('a transient failure holds the message back, doubling the wait per receive', async () => {
    const { deps, reader, held } = fakeDeps();
    reader.fail = new SalesforceApiError('Service unavailable', 'SERVER_UNAVAILABLE', 503);
    await syncNotifications(deps, [opportunity(1, { receiveCount: 1 }), opportunity(2, { receiveCount: 2 })]);
    expect(held.map((h) => h.visibilitySeconds)).toEqual([8, 15]);
    expect(deps.syncLog.entries[0]).toMatchObject({ errorCode: 'SERVER_UNAVAILABLE', retrying: true });
  });

  it('a rate limit holds back for the first receives, then queues a fresh copy that carries the count', async () => {
    const { deps, reader, held, requeued } = fakeDeps();
    reader.fail = new SalesforceApiError('TotalRequests Limit exceeded.', 'REQUEST_LIMIT_EXCEEDED', 403);
    const early = opportunity(1, { receiveCount: 1 });
    const late = opportunity(2, { receiveCount: 3, message: { deferrals: 2 } });
    const result = await syncNotifications(deps, [early, late]);
    expect(result.failedMessageIds).toEqual([early.messageId]);
    expect(held).toEqual([{ receiptHandle: early.receiptHandle, visibilitySeconds: 225 }]);
    expect(requeued).toEqual([
      { message: expect.objectContaining({ recordId: sfId('006', 2), deferrals: 5 }), delaySeconds: 675 },
    ]);
    expect(deps.syncLog.of(opp(2))[0]?.reason).toMatch(/queued again, due in 675 s/);
  });

  it('a refused refresh token marks the site and circulates fresh copies', async () => {
    const { deps, reader, marked, requeued } = fakeDeps();
    reader.fail = new RefreshTokenRefusedError(
      'Reading accounts: Salesforce refused the refresh token (invalid_grant: expired access/refresh token)',
    );
    const result = await syncNotifications(deps, [opportunity(1)]);
    expect(result.failedMessageIds).toEqual([]);
    expect(marked).toEqual(['site']);
    expect(requeued).toEqual([expect.objectContaining({ delaySeconds: 900 })]);
    expect(deps.syncLog.entries[0]?.reason).toMatch(
      /^the site must be reconnected to Salesforce: .*refused the refresh token.*; queued again, due in 900 s$/,
    );
  });

  it('a site already marked is not marked again; a notification waiting too long is given up', async () => {
    const { deps, reader, marked, requeued } = fakeDeps();
    reader.fail = new ReconnectNeededError('the site must be reconnected');
    const result = await syncNotifications(deps, [
      opportunity(1, { message: { receivedAt: '2026-10-01T00:00:00.000Z' } }),
    ]);
    expect(marked).toEqual([]);
    expect(requeued).toEqual([]);
    expect(result.outcomes.failed).toBe(1);
    expect(deps.syncLog.entries[0]).toMatchObject({
      retrying: false,
      reason: expect.stringMatching(/given up after waiting 336 h/),
    });
  });

  it('a hold-back SQS refuses leaves the message to its visibility timeout', async () => {
    const { deps, reader } = fakeDeps();
    reader.fail = new Error('socket hang up');
    deps.retries.holdBack = async (messages: readonly { receiptHandle: string }[]) =>
      messages.map((m) => m.receiptHandle) as never[];
    const message = opportunity(1);
    const result = await syncNotifications(deps, [message]);
    expect(result.failedMessageIds).toEqual([message.messageId]);
    expect(deps.syncLog.entries[0]?.reason).toBe(
      'socket hang up; SQS retries it after its visibility timeout',
    );
  });

  it('a copy SQS refuses stays on the queue; the copies it took are done', async () => {
    const { deps, reader } = fakeDeps();
    reader.fail = new SalesforceApiError('limit', 'REQUEST_LIMIT_EXCEEDED', 403);
    const refused = opportunity(1, { receiveCount: 3 });
    const taken = opportunity(2, { receiveCount: 3 });
    const refusedId = JSON.parse(refused.body).notificationId;
    deps.retries.requeue = async () => {
      throw new EnqueueFailedError('1 could not be queued', [refusedId]);
    };
    const result = await syncNotifications(deps, [refused, taken]);
    expect(result.failedMessageIds).toEqual([refused.messageId]);

    deps.retries.requeue = async () => {
      throw new Error('SQS is down');
    };
    const both = await syncNotifications(deps, [
      opportunity(3, { receiveCount: 3 }),
      opportunity(4, { receiveCount: 3 }),
    ]);
    expect(both.failedMessageIds).toHaveLength(2);
  });

  it('outage waits never pass the ceiling, and a notification past the retry window is given up', async () => {
    const { deps, reader, held } = fakeDeps();
    reader.fail = new Error('timeout');
    await syncNotifications(deps, [opportunity(1, { receiveCount: 2, message: { deferrals: 40 } })]);
    expect(held[0]?.visibilitySeconds).toBe(675);
    const late = await syncNotifications(deps, [
      opportunity(2, { message: { receivedAt: '2026-11-01T00:00:00.000Z' } }),
    ]);
    expect(late.outcomes.failed).toBe(1);
    expect(deps.syncLog.of(opp(2))[0]).toMatchObject({
      retrying: false,
      reason: 'timeout; given up after 96 h of retries',
    });
  });
});

describe('write: company → person → quote, each notification on its own', () => {
  it('an account that is gone fails its opportunities alone', async () => {
    const { deps, reader } = fakeDeps();
    const original = reader.fetchAccountsAndPrimaryContacts.bind(reader);
    reader.fetchAccountsAndPrimaryContacts = async (request) => {
      const data = await original(request);
      data.accounts.delete(toId18(sfId('001', 1)));
      return data;
    };
    const result = await syncNotifications(deps, [opportunity(1), opportunity(2)]);
    expect(result.outcomes).toMatchObject({ created: 1, failed: 1 });
    expect(deps.syncLog.of(opp(1))[0]).toMatchObject({ errorCode: 'ENTITY_IS_DELETED', retrying: false });
  });

  it('an opportunity without an account gets a quote without a company', async () => {
    const { deps } = fakeDeps();
    await syncNotifications(deps, [opportunity(1, { fields: { AccountId: null } })]);
    expect(deps.quotes.items.get(quoteIdFor(opp(1)))?.companyId).toBeNull();
  });

  it('values that do not fit their targets fail the notification, naming the field', async () => {
    const settings: Settings = {
      ...settingsAtStage,
      customFields: [
        { key: 'big', label: 'Big', type: 'number', appliesTo: 'opportunity' },
        { key: 'size', label: 'Size', type: 'number', appliesTo: 'account' },
        { key: 'vip', label: 'VIP', type: 'checkbox', appliesTo: 'contact' },
      ],
      fieldMappings: {
        opportunity: [{ salesforceField: 'Big__c', target: { kind: 'custom', key: 'big' } }],
        account: [{ salesforceField: 'Name', target: { kind: 'custom', key: 'size' } }],
        contact: [{ salesforceField: 'LastName', target: { kind: 'custom', key: 'vip' } }],
      },
    };
    const accounts = fakeDeps(settings);
    await syncNotifications(accounts.deps, [opportunity(1)]);
    expect(accounts.deps.syncLog.entries[0]?.reason).toMatch(/^Account fields do not fit: /);

    const contacts = fakeDeps({ ...settings, fieldMappings: { ...settings.fieldMappings, account: [] } });
    await syncNotifications(contacts.deps, [opportunity(1)]);
    expect(contacts.deps.syncLog.entries[0]?.reason).toMatch(/^Contact fields do not fit: /);

    const opportunities = fakeDeps({
      ...settings,
      fieldMappings: { ...settings.fieldMappings, account: [], contact: [] },
    });
    await syncNotifications(opportunities.deps, [opportunity(1, { fields: { Big__c: 'lots' } })]);
    expect(opportunities.deps.syncLog.entries[0]?.reason).toMatch(/^Opportunity fields do not fit: /);
  });

  it('a deleted opportunity (no contact data) fails alone; one without a contact has no person', async () => {
    const { deps, reader } = fakeDeps();
    const original = reader.fetchAccountsAndPrimaryContacts.bind(reader);
    reader.fetchAccountsAndPrimaryContacts = async (request) => {
      const data = await original(request);
      data.opportunities?.delete(opp(1));
      data.opportunities?.set(opp(2), {});
      return data;
    };
    const result = await syncNotifications(deps, [opportunity(1), opportunity(2)]);
    expect(result.outcomes).toMatchObject({ created: 1, failed: 1 });
    expect(deps.syncLog.of(opp(1))[0]?.reason).toMatch(/opportunity is deleted/);
    expect(deps.quotes.items.get(quoteIdFor(opp(2)))?.personId).toBeNull();
  });

  it('a contact shared by two opportunities is written once', async () => {
    const { deps, reader } = fakeDeps();
    const original = reader.fetchAccountsAndPrimaryContacts.bind(reader);
    reader.fetchAccountsAndPrimaryContacts = async (request) => {
      const data = await original(request);
      const shared = {
        primaryContact: { Id: toId18(sfId('003', 9)), LastName: 'Shared', AccountId: sfId('001', 1) },
      };
      for (const id of request.opportunityIds) data.opportunities?.set(id, shared);
      return data;
    };
    await syncNotifications(deps, [opportunity(1), opportunity(2)]);
    expect(deps.persons.writes).toBe(1);
    expect(deps.quotes.items.get(quoteIdFor(opp(2)))?.personId).toBe(`sf-${toId18(sfId('003', 9))}`);
  });

  it('with Contact→Person off, no contacts are read and a quote keeps the person it has', async () => {
    const { deps, reader } = fakeDeps({ ...settingsAtStage, contactToPerson: { enabled: false } });
    await syncNotifications(deps, [opportunity(1)]);
    const quote = deps.quotes.items.get(quoteIdFor(opp(1)));
    if (quote) quote.personId = 'person-by-hand';
    await syncNotifications(deps, [
      opportunity(1, { fields: { SystemModstamp: '2026-11-21T00:00:00.000Z' } }),
    ]);
    // The opportunities are still read for their products, without their contact roles.
    expect(reader.requests.map((r) => [r.contacts, r.products])).toEqual([
      [false, true],
      [false, true],
    ]);
    expect(deps.quotes.items.get(quoteIdFor(opp(1)))?.personId).toBe('person-by-hand');
  });

  it('with Contact→Person and the product import off, no opportunity is read', async () => {
    const { deps, reader } = fakeDeps({
      ...settingsAtStage,
      opportunityToQuote: { ...settingsAtStage.opportunityToQuote, importProducts: false },
      contactToPerson: { enabled: false },
    });
    await syncNotifications(deps, [opportunity(1)]);
    expect(reader.requests.map((r) => r.opportunityIds)).toEqual([[]]);
  });

  it.each([
    ['company', 'companies', 'putIfNotOlder', 'companyId', '001'],
    ['person', 'persons', 'create', 'personId', '003'],
    ['quote', 'quotes', 'create', 'quoteId', '006'],
  ] as const)(
    'a failed %s write (%s.%s) defers only the notification that needs it',
    async (what, repository, method, key, prefix) => {
      const { deps, held } = fakeDeps();
      const target = deps[repository] as unknown as Record<
        string,
        (record: Record<string, string>) => Promise<unknown>
      >;
      const original = target[method]?.bind(target);
      target[method] = async (record) => {
        if (record[key] === `sf-${toId18(sfId(prefix, 1))}`) throw new Error('throttled');
        return original?.(record);
      };
      const result = await syncNotifications(deps, [opportunity(1), opportunity(2)]);
      expect(result.outcomes).toMatchObject({ created: 1, failed: 1 });
      expect(held).toHaveLength(1);
      expect(deps.syncLog.of(opp(1))[0]?.reason).toBe(
        `storing the ${what} failed: throttled; tried again in 8 s`,
      );
    },
  );

  it('a failed read of the stored companies defers the batch; of the stored persons, those with contacts', async () => {
    const companies = fakeDeps();
    companies.deps.companies.getMany = async () => {
      throw new Error('throttled');
    };
    const a = await syncNotifications(companies.deps, [opportunity(1), opportunity(2)]);
    expect(a.failedMessageIds).toHaveLength(2);
    expect(companies.deps.syncLog.entries[0]?.reason).toMatch(
      /^reading the stored companies failed: throttled/,
    );

    const persons = fakeDeps();
    persons.deps.persons.getMany = async () => {
      throw new Error('throttled');
    };
    const b = await syncNotifications(persons.deps, [opportunity(1)]);
    expect(b.failedMessageIds).toHaveLength(1);
    expect(persons.deps.syncLog.entries[0]?.reason).toMatch(/^storing the person failed: throttled/);
  });

  it('an error nobody foresaw in one notification leaves it on the queue and its neighbours complete', async () => {
    const { deps, reader } = fakeDeps();
    const original = reader.fetchAccountsAndPrimaryContacts.bind(reader);
    reader.fetchAccountsAndPrimaryContacts = async (request) => {
      const data = await original(request);
      const opportunities = data.opportunities;
      return {
        ...data,
        opportunities: {
          get: (id: string) => {
            if (id === opp(1)) throw new TypeError('broken record');
            return opportunities?.get(id);
          },
        } as unknown as Map<string, never>,
      };
    };
    const doomed = opportunity(1);
    const result = await syncNotifications(deps, [doomed, opportunity(2), opportunity(3)]);
    expect(result.failedMessageIds).toEqual([doomed.messageId]);
    expect(result.outcomes).toMatchObject({ created: 2, failed: 1 });
    expect(deps.syncLog.of(opp(1))[0]).toMatchObject({
      retrying: true,
      reason: 'unexpected error: broken record',
    });
    for (const n of [2, 3])
      expect(deps.syncLog.of(opp(n))).toEqual([expect.objectContaining({ outcome: 'created' })]);
  });
});

describe('contacts queued by Synchronize now', () => {
  it('become persons without any Salesforce call, linked to a known company', async () => {
    const { deps, reader } = fakeDeps();
    await syncNotifications(deps, [opportunity(1, { fields: { AccountId: sfId('001', 11) } })]);
    const result = await syncNotifications(deps, [contact(11), contact(12)]);
    expect(result.outcomes.created).toBe(2);
    expect(reader.requests).toHaveLength(1);
    expect(deps.persons.items.get(`sf-${toId18(sfId('003', 11))}`)?.companyId).toBe(
      `sf-${toId18(sfId('001', 11))}`,
    );
    expect(deps.persons.items.get(`sf-${toId18(sfId('003', 12))}`)?.companyId).toBeNull();
  });

  it('are skipped with Contact→Person off, fail on unfit values, and are deferred on failed writes', async () => {
    const off = fakeDeps({ ...settingsAtStage, contactToPerson: { enabled: false } });
    expect((await syncNotifications(off.deps, [contact(1)])).outcomes.skipped).toBe(1);

    const unfit = fakeDeps({
      ...settingsAtStage,
      customFields: [{ key: 'n', label: 'N', type: 'number', appliesTo: 'contact' }],
      fieldMappings: {
        opportunity: [],
        account: [],
        contact: [{ salesforceField: 'LastName', target: { kind: 'custom', key: 'n' } }],
      },
    });
    await syncNotifications(unfit.deps, [contact(1)]);
    expect(unfit.deps.syncLog.entries[0]?.reason).toMatch(/^Contact fields do not fit/);

    const failing = fakeDeps();
    failing.deps.persons.create = async () => {
      throw new Error('throttled');
    };
    expect((await syncNotifications(failing.deps, [contact(1)])).failedMessageIds).toHaveLength(1);

    const unreadable = fakeDeps();
    unreadable.deps.companies.getMany = async () => {
      throw new Error('throttled');
    };
    await syncNotifications(unreadable.deps, [contact(1)]);
    expect(unreadable.deps.syncLog.entries[0]?.reason).toMatch(
      /^reading the stored persons and companies failed/,
    );
  });
});

describe('log and counts', () => {
  it('final outcomes count toward their sync run; retried ones wait for their last attempt', async () => {
    const { deps, reader, runCounts } = fakeDeps();
    const run = { message: { source: 'sync-now' as const, runId: 'run-1' } };
    await syncNotifications(deps, [
      opportunity(1, run),
      opportunity(2, { ...run, fields: { StageName: 'Other' } }),
    ]);
    expect(runCounts).toEqual([{ runId: 'run-1', counts: { created: 1, skipped: 1 } }]);
    reader.fail = new Error('timeout');
    await syncNotifications(deps, [opportunity(3, run)]);
    expect(runCounts).toHaveLength(1);
  });

  it('a count that cannot be added is only a warning', async () => {
    const { deps, logged } = fakeDeps();
    deps.runs.add = async () => {
      throw new Error('throttled');
    };
    const result = await syncNotifications(deps, [opportunity(1, { message: { runId: 'run-1' } })]);
    expect(result.failedMessageIds).toEqual([]);
    expect(logged).toContainEqual({ level: 'warn', message: 'Could not count outcomes toward the sync run' });
  });

  it('an outcome whose log entry cannot be written stays on the queue, so it is logged on the retry', async () => {
    const { deps, runCounts } = fakeDeps();
    deps.syncLog.append = async () => {
      throw new Error('throttled');
    };
    const message = opportunity(1, { message: { runId: 'run-1' } });
    const result = await syncNotifications(deps, [message]);
    expect(result.failedMessageIds).toEqual([message.messageId]);
    expect(runCounts).toEqual([]);
  });

  it('unreadable settings keep that site’s notifications, each logged; other sites go on', async () => {
    const { deps } = fakeDeps();
    const settings = deps.settings.get;
    Object.assign(deps.settings, {
      get: async (siteId: string) => {
        if (siteId === 'broken') throw new Error('throttled');
        return settings();
      },
    });
    const broken = opportunity(1, { siteId: 'broken' });
    const result = await syncNotifications(deps, [broken, opportunity(2)]);
    expect(result.failedMessageIds).toEqual([broken.messageId]);
    expect(deps.syncLog.of(opp(1))[0]).toMatchObject({
      siteId: 'broken',
      retrying: true,
      reason: 'syncing the site failed: throttled',
    });
    expect(deps.syncLog.of(opp(2))[0]).toMatchObject({ outcome: 'created' });
  });

  it('a site without stored settings uses the defaults (Opportunity→Quote off)', async () => {
    const { deps } = fakeDeps();
    deps.settings.get = async () => undefined as never;
    const result = await syncNotifications(deps, [opportunity(1)]);
    expect(result.outcomes.skipped).toBe(1);
  });

  it('a failure after some notifications ended keeps only the rest', async () => {
    const { deps, reader } = fakeDeps();
    reader.fail = new Error('invalid_grant: expired');
    deps.connections.markReconnectNeeded = async () => {
      throw new Error('throttled');
    };
    const skipped = opportunity(1, { fields: { StageName: 'Other' } });
    const waiting = opportunity(2);
    const result = await syncNotifications(deps, [skipped, waiting]);
    expect(result.failedMessageIds).toEqual([waiting.messageId]);
    expect(deps.syncLog.of(opp(1))[0]).toMatchObject({ outcome: 'skipped' });
  });
});

describe('what Salesforce may leave out', () => {
  it('an opportunity without a name, an account and a contact without SystemModstamp still sync', async () => {
    const { deps, reader } = fakeDeps();
    const original = reader.fetchAccountsAndPrimaryContacts.bind(reader);
    reader.fetchAccountsAndPrimaryContacts = async (request) => {
      const data = await original(request);
      for (const [id, account] of data.accounts) data.accounts.set(id, { ...account, SystemModstamp: null });
      return data;
    };
    await syncNotifications(deps, [opportunity(1, { fields: { Name: null } })]);
    expect(deps.quotes.items.get(quoteIdFor(opp(1)))?.title).toBe(`Opportunity ${opp(1)}`);
    expect([...deps.companies.items.values()][0]?.salesforce.systemModstamp).toBe('2026-11-20T12:00:00.000Z');

    await syncNotifications(deps, [contact(5, { AccountId: null, SystemModstamp: null })]);
    expect(deps.persons.items.get(`sf-${toId18(sfId('003', 5))}`)).toMatchObject({ companyId: null });
  });

  it('a thrown value that is no Error is still named, and jitter defaults to Math.random', async () => {
    const { deps, reader, held } = fakeDeps();
    reader.fail = 'the socket closed';
    const { random: _random, ...withoutRandom } = deps;
    await syncNotifications(withoutRandom, [opportunity(1)]);
    expect(deps.syncLog.entries[0]?.reason).toMatch(/^the socket closed; tried again in (5|6|7|8|9|10) s$/);
    expect(held[0]?.visibilitySeconds).toBeGreaterThanOrEqual(5);
  });
});

describe('the last receive: what can never succeed goes to the DLQ with its reason', () => {
  const withDeadLetters = (failing: string[] = []) => {
    const fake = fakeDeps();
    const letters: Array<{ messageId: string; reason: string; siteId?: string }> = [];
    const deps = {
      ...fake.deps,
      deadLetters: {
        maxReceiveCount: 5,
        queue: {
          send: async (sent: readonly { messageId: string; reason: string; siteId?: string }[]) => {
            letters.push(...sent);
            return sent.filter((l) => failing.includes(l.messageId)).map((l) => l.messageId);
          },
        },
      },
    };
    return { ...fake, deps, letters };
  };

  it('an unreadable body on its fifth receive is moved, not left for another round', async () => {
    const { deps, letters } = withDeadLetters();
    const early = { messageId: 'early', receiptHandle: 'r1', body: 'not json', receiveCount: 4 };
    const last = { messageId: 'last', receiptHandle: 'r2', body: 'not json', receiveCount: 5 };
    const result = await syncNotifications(deps, [early, last]);
    expect(result.failedMessageIds).toEqual(['early']);
    expect(letters).toEqual([
      { messageId: 'last', body: 'not json', reason: 'the body is not a sync message' },
    ]);
  });

  it('a notification failing unexpectedly on its last receive is moved, and its log entry says so', async () => {
    const { deps, letters } = withDeadLetters();
    deps.settings.get = async () => {
      throw new Error('a bug');
    };
    const result = await syncNotifications(deps, [opportunity(1, { receiveCount: 5 })]);
    expect(result.failedMessageIds).toEqual([]);
    expect(letters).toEqual([
      expect.objectContaining({ siteId: 'site', reason: 'syncing the site failed: a bug' }),
    ]);
    expect(deps.syncLog.of(opp(1))[0]).toMatchObject({
      retrying: false,
      reason: 'syncing the site failed: a bug; moved to the dead-letter queue after 5 receives',
    });
  });

  it('a move SQS refuses leaves the message to the redrive; without a DLQ nothing is moved', async () => {
    const refused = withDeadLetters(['last']);
    const last = { messageId: 'last', receiptHandle: 'r', body: 'not json', receiveCount: 5 };
    expect((await syncNotifications(refused.deps, [last])).failedMessageIds).toEqual(['last']);
    const { deps } = fakeDeps();
    expect((await syncNotifications(deps, [last])).failedMessageIds).toEqual(['last']);
  });

  it('a deferral never reaches the DLQ: its copy starts its receives afresh', async () => {
    const { deps, reader, letters, requeued } = withDeadLetters();
    reader.fail = new Error('503 Service Unavailable');
    await syncNotifications(deps, [opportunity(1, { receiveCount: 5 })]);
    expect(letters).toEqual([]);
    expect(requeued).toHaveLength(1);
  });
});
