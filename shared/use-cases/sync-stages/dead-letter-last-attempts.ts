import type { Logger } from '../../ports/logger';
import type { DeadLetters } from '../../ports/sync-queue';
import type { Finished } from './attempts';

/**
 * The dead-letter stage. A message left for SQS to deliver again on its last allowed receive
 * would be moved to the DLQ by SQS's redrive, without a word about why. So it is moved here,
 * with its reason in the message's attributes, and the log entry says so. Deferred
 * notifications never get here: their copies start their receive counts afresh.
 */
export async function deadLetterLastAttempts(
  deps: { deadLetters?: DeadLetters; maxReceiveCount: number; logger: Logger },
  finished: readonly Finished[],
): Promise<Finished[]> {
  const { deadLetters } = deps;
  const last = finished.filter(
    (f) => f.ending.disposition === 'retry' && f.received.receiveCount >= deps.maxReceiveCount,
  );
  if (!deadLetters || last.length === 0) return [...finished];
  const notMoved = new Set(
    await deadLetters.send(
      last.map((f) => ({
        messageId: f.received.messageId,
        body: f.received.body,
        reason: f.ending.reason ?? 'failed',
        ...(f.message ? { siteId: f.message.siteId, notificationId: f.message.notificationId } : {}),
      })),
    ),
  );
  const moved = new Set(last.map((f) => f.received.messageId).filter((id) => !notMoved.has(id)));
  if (moved.size > 0)
    deps.logger.error('Moved messages that can never succeed to the DLQ', { count: moved.size });
  return finished.map((f) =>
    moved.has(f.received.messageId)
      ? {
          ...f,
          ending: {
            ...f.ending,
            disposition: 'dead-lettered' as const,
            reason: `${f.ending.reason ?? 'failed'}; moved to the dead-letter queue after ${f.received.receiveCount} receives`,
          },
        }
      : f,
  );
}
