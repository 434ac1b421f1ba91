import type { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SqsSyncQueue } from '../../../shared/adapters/sqs/sqs-sync-queue';
import { EnqueueFailedError } from '../../../shared/domain/errors';
import { encodeSyncMessage, readSyncMessage, type SyncMessage } from '../../../shared/domain/sync-message';
import type { SyncQueue } from '../../../shared/ports/sync-queue';
import { queueNotifications } from '../../../shared/use-cases/queue-notifications';
import { sfId } from '../../support/outbound-messages';

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const message = (n: number, Name = `Opportunity ${n}`): SyncMessage => ({
  kind: 'notification',
  version: 1,
  siteId: 'site',
  organizationId: '00D5g000004Ck1ZEAS',
  notificationId: sfId('04l', n),
  sObjectType: 'Opportunity',
  recordId: sfId('006', n),
  fields: { Id: sfId('006', n), Name },
  receivedAt: '2026-11-20T10:00:00.000Z',
  source: 'outbound-message',
});

describe('SQS-safe bodies', () => {
  test.each([
    ['emoji', '😀 👩🏽‍💻'],
    ['right-to-left', 'שלום عالم'],
    ['CJK', '商談 견적'],
    ['non-characters', '\uFFFE\uFFFF'],
    ['a lone surrogate', '\uD800'],
    ['controls', '\u0000\u0001\t\n'],
    ['DEL and Latin-1', '\u007f é ß'],
  ])('%s become printable ASCII that reads back exactly', (_name, text) => {
    const body = encodeSyncMessage(message(1, text));
    expect(body).toMatch(/^[\x20-\x7e]*$/);
    expect(readSyncMessage(body)?.fields.Name).toBe(text);
  });
});

/** An SQS client that answers each SendMessageBatch from a script. */
function scriptedSqs(answers: Array<(entries: Array<{ Id?: string }>) => unknown>) {
  const calls: Array<Array<{ Id?: string; MessageBody?: string }>> = [];
  const client = {
    send: async (command: SendMessageBatchCommand) => {
      const entries = command.input.Entries ?? [];
      calls.push(entries);
      const answer = answers.shift() ?? (() => ({}));
      return answer(entries);
    },
  } as unknown as SQSClient;
  return { client, calls };
}

describe('SqsSyncQueue', () => {
  const options = { sleep: async () => undefined };

  test('retries only the entries that failed on the service side, then names what still fails', async () => {
    const { client, calls } = scriptedSqs([
      () => ({ Failed: [{ Id: 'n1', SenderFault: false, Code: 'ServiceUnavailable' }] }),
      () => ({ Failed: [{ Id: 'n1', SenderFault: false, Code: 'ServiceUnavailable' }] }),
      () => ({ Failed: [{ Id: 'n1', SenderFault: false, Code: 'ServiceUnavailable' }] }),
    ]);
    const queue = new SqsSyncQueue(client, 'https://queue', options);
    const failure = await queue.send([message(1), message(2)]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EnqueueFailedError);
    expect((failure as EnqueueFailedError).failedIds).toEqual([sfId('04l', 2)]);
    expect((failure as Error).message).toMatch(
      /1 of 2 notifications could not be queued: .* \(ServiceUnavailable\)/,
    );
    expect(calls.map((c) => c.length)).toEqual([2, 1, 1]);
  });

  test('a thrown call is retried; a sender fault is refused at once, not retried', async () => {
    const { client, calls } = scriptedSqs([
      () => {
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      },
      () => ({
        Failed: [
          { Id: 'n0', SenderFault: true, Code: 'InvalidMessageContents', Message: 'Invalid characters' },
        ],
      }),
    ]);
    const result = await new SqsSyncQueue(client, 'https://queue', options).send([message(1), message(2)]);
    expect(result.refused).toEqual([
      { message: message(1), reason: 'InvalidMessageContents: Invalid characters' },
    ]);
    expect(calls.map((c) => c.length)).toEqual([2, 2]);
  });

  test('a thrown call that never passes names every entry', async () => {
    const fail = () => {
      throw new Error('down');
    };
    const { client } = scriptedSqs([fail, fail, fail]);
    await expect(new SqsSyncQueue(client, 'https://queue', options).send([message(1)])).rejects.toThrow(
      /could not be queued: .* \(Error\)/,
    );
  });

  test('chunks of at most ten entries and 256 KiB', async () => {
    const { client, calls } = scriptedSqs([]);
    const queue = new SqsSyncQueue(client, 'https://queue', options);
    await queue.send(Array.from({ length: 25 }, (_, i) => message(i + 1)));
    expect(calls.map((c) => c.length)).toEqual([10, 10, 5]);
    calls.length = 0;
    await queue.send(Array.from({ length: 4 }, (_, i) => message(i + 1, 'x'.repeat(100 * 1024))));
    expect(calls.map((c) => c.length)).toEqual([2, 2]);
  });

  test('an entry that alone passes 256 KiB is refused before sending; its neighbours are sent', async () => {
    const { client, calls } = scriptedSqs([]);
    const queue = new SqsSyncQueue(client, 'https://queue', options);
    const huge = message(2, 'é'.repeat(50_000));
    const result = await queue.send([message(1), huge, message(3)]);
    expect(result.refused).toEqual([
      {
        message: huge,
        reason: expect.stringMatching(
          /^MessageTooLong: the queued body is \d+ bytes; a message holds at most 262144$/,
        ),
      },
    ]);
    expect(calls.map((c) => c.length)).toEqual([2]);
  });
});

describe('queueNotifications', () => {
  const fakeQueue = (refuse: (m: SyncMessage) => string | undefined) => {
    const sent: SyncMessage[] = [];
    const queue: SyncQueue = {
      async send(messages) {
        const refused = messages.flatMap((m) => {
          const reason = refuse(m);
          return reason ? [{ message: m, reason }] : [];
        });
        sent.push(...messages.filter((m) => !refuse(m)));
        return { refused };
      },
    };
    return { queue, sent };
  };

  test('nothing to queue costs nothing', async () => {
    const { queue, sent } = fakeQueue(() => undefined);
    expect(await queueNotifications({ queue, logger: silent }, [])).toEqual({ queued: 0, refused: 0 });
    expect(sent).toEqual([]);
  });

  test('a refused notification is replaced by its stand-in', async () => {
    const { queue, sent } = fakeQueue((m) => (m.fields.Name === 'too big' ? 'too large' : undefined));
    const result = await queueNotifications({ queue, logger: silent }, [message(1), message(2, 'too big')]);
    expect(result).toEqual({ queued: 1, refused: 1 });
    expect(sent.map((m) => m.refused)).toEqual([
      undefined,
      'the sync queue refused the notification: too large',
    ]);
  });

  test('a stand-in that is refused too fails the whole message', async () => {
    const { queue } = fakeQueue(() => 'refused');
    await expect(queueNotifications({ queue, logger: silent }, [message(1)])).rejects.toThrow(
      EnqueueFailedError,
    );
  });
});
