import type { SyncMessage } from '../domain/sync-message';

export interface SyncQueue {
  /**
   * Durably queues every message, or throws EnqueueFailedError naming the ones that could not
   * be queued. Resolving means every message is stored by the queue service.
   */
  send(messages: readonly SyncMessage[]): Promise<void>;
}

/** A received message the worker may hold back, by its receipt handle. */
export interface HeldMessage {
  receiptHandle: string;
  /** Seconds until SQS makes it visible again (at most 12 hours). */
  visibilitySeconds: number;
}

/** A copy to put back on the queue, visible after a delay (at most 15 minutes). */
export interface DeferredMessage {
  message: SyncMessage;
  delaySeconds: number;
}

/** Ways to try a message later than SQS's visibility timeout would. */
export interface SyncRetries {
  /** Extends the visibility of received messages; resolves with the receipt handles that failed. */
  holdBack(messages: readonly HeldMessage[]): Promise<string[]>;
  /** Queues fresh copies (their receive count starts again), or throws EnqueueFailedError. */
  requeue(messages: readonly DeferredMessage[]): Promise<void>;
}
