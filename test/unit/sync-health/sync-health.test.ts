import { entryIdOf, entryKeyOf, groupFailures, searchableName } from '../../../shared/domain/sync-health';
import type { SyncLogEntry } from '../../../shared/domain/synced-records';
import { syncLogCsv } from '../../../shared/use-cases/export-sync-log';

const entry = (overrides: Partial<SyncLogEntry>): SyncLogEntry => ({
  siteId: 's',
  opportunityId: '006000000000001AAA',
  notificationId: '04l000000000001AAA',
  source: 'outbound-message',
  outcome: 'failed',
  receivedAt: '2026-12-01T10:00:00.000Z',
  processedAt: '2026-12-01T10:00:00.000Z',
  ...overrides,
});

describe('groupFailures', () => {
  test("groups by Salesforce's code, else the reason; the largest group first, then the latest", () => {
    const groups = groupFailures([
      entry({ errorCode: 'TIMEOUT', reason: 'first', processedAt: '2026-12-01T10:00:00.000Z' }),
      entry({
        errorCode: 'TIMEOUT',
        reason: 'second',
        processedAt: '2026-12-01T12:00:00.000Z',
        retrying: true,
      }),
      entry({
        reason: 'The account was deleted',
        opportunityId: '006000000000002AAA',
        processedAt: '2026-12-01T13:00:00.000Z',
      }),
      entry({ outcome: 'created', processedAt: '2026-12-01T14:00:00.000Z' }),
      entry({ processedAt: '2026-12-01T09:00:00.000Z' }),
    ]);
    expect(
      groups.map(({ key, count, opportunities, retrying, reason, firstAt, lastAt }) => ({
        key,
        count,
        opportunities,
        retrying,
        reason,
        firstAt,
        lastAt,
      })),
    ).toEqual([
      {
        key: 'TIMEOUT',
        count: 2,
        opportunities: 1,
        retrying: 1,
        reason: 'second',
        firstAt: '2026-12-01T10:00:00.000Z',
        lastAt: '2026-12-01T12:00:00.000Z',
      },
      {
        key: 'The account was deleted',
        count: 1,
        opportunities: 1,
        retrying: 0,
        reason: 'The account was deleted',
        firstAt: '2026-12-01T13:00:00.000Z',
        lastAt: '2026-12-01T13:00:00.000Z',
      },
      {
        key: 'No reason recorded',
        count: 1,
        opportunities: 1,
        retrying: 0,
        reason: 'No reason recorded',
        firstAt: '2026-12-01T09:00:00.000Z',
        lastAt: '2026-12-01T09:00:00.000Z',
      },
    ]);
  });
});

describe('searchableName', () => {
  test.each([
    ['Łódź  Renewal', 'lodz renewal'],
    ['ACME Café', 'acme cafe'],
    ['Straße Ørsted', 'strasse orsted'],
    ['  Ｆｕｌｌｗｉｄｔｈ ', 'fullwidth'],
  ])('%s → %s', (name, searchable) => {
    expect(searchableName(name)).toBe(searchable);
  });
});

describe('entry ids', () => {
  test('stand for the entry key, and anything else is a 400 naming entryId', () => {
    const id = entryIdOf({
      opportunityId: '006000000000001',
      processedAt: '2026-12-01T10:00:00.000Z',
      notificationId: '04l000000000001AAA',
      messageId: 'msg-1',
    });
    expect(entryKeyOf(id)).toBe('006000000000001AAA#2026-12-01T10:00:00.000Z#04l000000000001AAA#msg-1');
    for (const bad of ['', 'not-base64-of-a-key', Buffer.from('SYNCLOG#x').toString('base64url')]) {
      expect(() => entryKeyOf(bad)).toThrow(
        expect.objectContaining({ issues: [expect.objectContaining({ path: 'entryId' })] }),
      );
    }
  });
});

describe('syncLogCsv', () => {
  test('writes CRLF records, quotes line breaks, commas and quotes, and defuses formulas', () => {
    const csv = syncLogCsv([
      entry({
        opportunityName: 'Two\nlines, "quoted"',
        reason: '-1 day late',
        retrying: false,
        errorCode: '@TIMEOUT',
      }),
    ]);
    const [header, row, end] = csv.slice(1).split('\r\n');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(header?.split(',')).toHaveLength(14);
    expect(row).toContain(`,"Two\nlines, ""quoted""",outbound-message,failed,'-1 day late,'@TIMEOUT,false,`);
    expect(end).toBe('');
  });
});
