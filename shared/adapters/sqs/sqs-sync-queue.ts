import {
  type BatchResultErrorEntry,
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { EnqueueFailedError } from '../../domain/errors';
import { encodeSyncMessage, type SyncMessage } from '../../domain/sync-message';
import type { RefusedMessage, SyncQueue } from '../../ports/sync-queue';

/**
 * SendMessageBatch takes at most 10 entries and 256 KiB in total on every queue (a queue may allow
 * up to 1 MiB, but 256 KiB is the default of older queues and of emulators). A batch over the
 * limit is refused as a whole (BatchRequestTooLong), so an entry that alone passes it is refused
 * here, before sending: it would fail on every retry and hold its neighbours back.
 */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

/** The message attribute that names the request (API Gateway's request id) that queued a notification. */
export const REQUEST_ID_ATTRIBUTE = 'requestId';

export interface SqsSyncQueueOptions {
  /** Attempts per entry, counting the first; failed entries (and thrown calls) are retried. */
  attempts?: number;
  /** Base of the exponential backoff between attempts. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Carried as the `requestId` attribute of every message, so the worker's logs join the request. */
  requestId?: string;
}

export class SqsSyncQueue implements SyncQueue {
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly options: SqsSyncQueueOptions = {},
  ) {
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 50;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The same queue, its messages marked with the request that queues them. */
  forRequest(requestId: string): SqsSyncQueue {
    return new SqsSyncQueue(this.sqs, this.queueUrl, { ...this.options, requestId });
  }

  async send(messages: readonly SyncMessage[]): Promise<{ refused: RefusedMessage[] }> {
    const attributes: Record<string, MessageAttributeValue> | undefined = this.options.requestId
      ? { [REQUEST_ID_ATTRIBUTE]: { DataType: 'String', StringValue: this.options.requestId } }
      : undefined;
    const { chunks, tooLarge } = chunk(messages, attributes);
    const outcomes = await Promise.all(chunks.map((entries) => this.sendChunk(entries, attributes)));
    const failed = outcomes.flatMap((o) => o.failed);
    if (failed.length > 0) {
      throw new EnqueueFailedError(
        `${failed.length} of ${messages.length} notifications could not be queued: ${failed
          .map((f) => `${f.message.notificationId} (${f.reason})`)
          .join(', ')}`,
        failed.map((f) => f.message.notificationId),
      );
    }
    return { refused: [...tooLarge, ...outcomes.flatMap((o) => o.refused)] };
  }

  /**
   * Sends one chunk, retrying only what failed. Entries SQS refuses as the sender's fault (too
   * large, invalid content) will not succeed on a retry: they are refused, not failed.
   */
  private async sendChunk(
    entries: Entry[],
    attributes: Record<string, MessageAttributeValue> | undefined,
  ): Promise<{ failed: RefusedMessage[]; refused: RefusedMessage[] }> {
    let pending = entries;
    let failed = new Map<string, string>();
    const refused: RefusedMessage[] = [];
    for (let attempt = 1; attempt <= this.attempts && pending.length > 0; attempt++) {
      if (attempt > 1) await this.sleep(this.backoffMs * 2 ** (attempt - 2));
      let errors: BatchResultErrorEntry[];
      try {
        const result = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: pending.map(({ Id, MessageBody }) => ({
              Id,
              MessageBody,
              ...(attributes ? { MessageAttributes: attributes } : {}),
            })),
          }),
        );
        errors = result.Failed ?? [];
      } catch (error) {
        failed = new Map(pending.map((e) => [e.Id, (error as Error).name || 'Error']));
        continue;
      }
      failed = new Map();
      for (const error of errors) {
        const entry = pending.find((e) => e.Id === error.Id);
        if (!entry) continue;
        const reason = [error.Code, error.Message].filter(Boolean).join(': ') || 'Failed';
        if (error.SenderFault) refused.push({ message: entry.message, reason });
        else failed.set(entry.Id, reason);
      }
      pending = pending.filter((e) => failed.has(e.Id));
    }
    return {
      failed: pending
        .filter((e) => failed.has(e.Id))
        .map((e) => ({ message: e.message, reason: failed.get(e.Id) ?? '' })),
      refused,
    };
  }
}

interface Entry {
  Id: string;
  MessageBody: string;
  message: SyncMessage;
}

function chunk(
  messages: readonly SyncMessage[],
  attributes: Record<string, MessageAttributeValue> | undefined,
): { chunks: Entry[][]; tooLarge: RefusedMessage[] } {
  // Attributes count toward the 256 KiB as well: name, type and value.
  const attributeBytes = attributes ? Buffer.byteLength(JSON.stringify(attributes), 'utf8') : 0;
  const chunks: Entry[][] = [];
  const tooLarge: RefusedMessage[] = [];
  let current: Entry[] = [];
  let bytes = 0;
  messages.forEach((message, index) => {
    const body = encodeSyncMessage(message);
    const size = Buffer.byteLength(body, 'utf8') + attributeBytes;
    if (size > MAX_BATCH_BYTES) {
      tooLarge.push({
        message,
        reason: `MessageTooLong: the queued body is ${size} bytes; a message holds at most ${MAX_BATCH_BYTES}`,
      });
      return;
    }
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    // Entry ids are unique within a batch and alphanumeric (with - and _), as SQS requires.
    current.push({ Id: `n${index}`, MessageBody: body, message });
    bytes += size;
  });
  if (current.length > 0) chunks.push(current);
  return { chunks, tooLarge };
}
