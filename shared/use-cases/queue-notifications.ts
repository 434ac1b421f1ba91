import { EnqueueFailedError } from '../domain/errors';
import { refusedStandIn, type SyncMessage } from '../domain/sync-message';
import type { Logger } from '../ports/logger';
import type { SyncQueue } from '../ports/sync-queue';

/**
 * Queues notifications so that one the queue refuses for good (its body too large, or content
 * the queue will not take) never holds its neighbours hostage: in its place goes a stand-in with
 * its ids and the reason, which the worker records as that notification's failed outcome. Only
 * when even a stand-in cannot be queued does this throw, and nothing may be acknowledged.
 */
export async function queueNotifications(
  deps: { queue: SyncQueue; logger: Logger },
  messages: readonly SyncMessage[],
): Promise<{ queued: number; refused: number }> {
  if (messages.length === 0) return { queued: 0, refused: 0 };
  const { refused } = await deps.queue.send(messages);
  if (refused.length === 0) return { queued: messages.length, refused: 0 };
  for (const { message, reason } of refused) {
    deps.logger.warn('The sync queue refused a notification; its stand-in records the failure', {
      siteId: message.siteId,
      notificationId: message.notificationId,
      reason,
    });
  }
  const standIns = refused.map(({ message, reason }) =>
    refusedStandIn(message, `the sync queue refused the notification: ${reason}`),
  );
  const again = await deps.queue.send(standIns);
  if (again.refused.length > 0) {
    throw new EnqueueFailedError(
      `${again.refused.length} notifications could not be queued, nor their stand-ins`,
      again.refused.map((r) => r.message.notificationId),
    );
  }
  return { queued: messages.length - refused.length, refused: refused.length };
}
