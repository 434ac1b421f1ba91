import {
  type BatchResultErrorEntry,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { EnqueueFailedError } from '../../domain/errors';
import type { SyncMessage } from '../../domain/sync-message';
import type { SyncQueue } from '../../ports/sync-queue';

/** SendMessageBatch takes at most 10 entries and 256 KiB in total. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

export interface SqsSyncQueueOptions {
  /** Attempts per entry, counting the first; failed entries (and thrown calls) are retried. */
  attempts?: number;
  /** Base of the exponential backoff between attempts. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class SqsSyncQueue implements SyncQueue {
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    options: SqsSyncQueueOptions = {},
  ) {
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 50;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async send(messages: readonly SyncMessage[]): Promise<void> {
    const failures = await Promise.all(chunk(messages).map((entries) => this.sendChunk(entries)));
    const failed = failures.flat();
    if (failed.length > 0) {
      throw new EnqueueFailedError(
        `${failed.length} of ${messages.length} notifications could not be queued: ${failed
          .map((f) => `${f.id} (${f.reason})`)
          .join(', ')}`,
        failed.map((f) => f.id),
      );
    }
  }

  /** Sends one chunk, retrying only what failed; returns what still failed after the last attempt. */
  private async sendChunk(
    entries: SendMessageBatchRequestEntry[],
  ): Promise<{ id: string; reason: string }[]> {
    let pending = entries;
    let reasons = new Map<string, string>();
    for (let attempt = 1; attempt <= this.attempts && pending.length > 0; attempt++) {
      if (attempt > 1) await this.sleep(this.backoffMs * 2 ** (attempt - 2));
      let failed: BatchResultErrorEntry[];
      try {
        const result = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
        );
        failed = result.Failed ?? [];
      } catch (error) {
        reasons = new Map(pending.map((e) => [e.Id ?? '', (error as Error).name || 'Error']));
        continue;
      }
      reasons = new Map(failed.map((f) => [f.Id ?? '', f.Code ?? 'Failed']));
      // Sender faults (a malformed entry) will not succeed on a retry.
      if (failed.some((f) => f.SenderFault)) break;
      pending = pending.filter((e) => reasons.has(e.Id ?? ''));
    }
    return [...reasons].map(([entryId, reason]) => ({ id: notificationIdOf(entryId), reason }));
  }
}

/** Entry ids carry the notification id (unique within a message, alphanumeric) so failures can be named. */
function notificationIdOf(entryId: string): string {
  return entryId.replace(/^n\d+-/, '');
}

function chunk(messages: readonly SyncMessage[]): SendMessageBatchRequestEntry[][] {
  const chunks: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  messages.forEach((message, index) => {
    const body = JSON.stringify(message);
    const size = Buffer.byteLength(body, 'utf8');
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ Id: `n${index}-${message.notificationId}`, MessageBody: body });
    bytes += size;
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}
