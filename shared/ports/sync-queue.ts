import type { SyncMessage } from '../domain/sync-message';

/** A message the queue refused for good (a sender fault: too large, invalid content). */
export interface RefusedMessage {
  message: SyncMessage;
  reason: string;
}

export interface SyncQueue {
  /**
   * Durably queues every message, or throws EnqueueFailedError naming the ones that could not
   * be queued yet (throttling, a service error: a retry may succeed). Resolving means every
   * message is stored by the queue service, except those it refused for good, which it returns.
   */
  send(messages: readonly SyncMessage[]): Promise<{ refused: RefusedMessage[] }>;
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

/** A message that can never succeed, on its way to the dead-letter queue with the reason. */
export interface DeadLetter {
  messageId: string;
  body: string;
  reason: string;
  siteId?: string;
  notificationId?: string;
}

/** The sync queue's dead-letter queue, written to directly so each message says why it is there. */
export interface DeadLetters {
  /** Resolves with the message ids that could not be moved (SQS's redrive takes those later). */
  send(letters: readonly DeadLetter[]): Promise<string[]>;
}
