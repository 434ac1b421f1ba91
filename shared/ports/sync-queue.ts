import type { SyncMessage } from '../domain/sync-message';

export interface SyncQueue {
  /**
   * Durably queues every message, or throws EnqueueFailedError naming the ones that could not
   * be queued. Resolving means every message is stored by the queue service.
   */
  send(messages: readonly SyncMessage[]): Promise<void>;
}
