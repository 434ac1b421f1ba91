import type { Ending } from '../../domain/sync-decision';
import type { SyncMessage } from '../../domain/sync-message';

/**
 * The worker's vocabulary between its stages: a notification still being worked on, and one
 * whose attempt has ended. Every stage takes pending notifications and returns finished ones
 * (and, where it goes on, the rest), so each notification ends exactly once, on its own.
 */

/** One message as the queue delivered it. */
export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** How many times SQS has delivered it, this time included. */
  receiveCount: number;
}

export interface Pending {
  received: ReceivedMessage;
  message: SyncMessage;
}

export interface Finished {
  received: ReceivedMessage;
  /** Absent for a body that is not a sync message. */
  message?: SyncMessage;
  ending: Ending;
  /** When this attempt ended: a real time, taken when the outcome was reached. */
  processedAt: string;
  /** The SystemModstamp of the data the notification carried, when it had one. */
  systemModstamp?: string;
}

export function finish(item: Pending, ending: Ending, now: () => Date, systemModstamp?: string): Finished {
  return {
    received: item.received,
    message: item.message,
    ending,
    processedAt: now().toISOString(),
    ...(systemModstamp ? { systemModstamp } : {}),
  };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
