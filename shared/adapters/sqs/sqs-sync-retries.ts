import {
  ChangeMessageVisibilityBatchCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { EnqueueFailedError } from '../../domain/errors';
import { encodeSyncMessage } from '../../domain/sync-message';
import type { DeferredMessage, HeldMessage, SyncRetries } from '../../ports/sync-queue';

/** Both batch calls take at most 10 entries. */
const MAX_ENTRIES = 10;
/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html */
export const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html */
export const MAX_DELAY_SECONDS = 15 * 60;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_ENTRIES) out.push(items.slice(i, i + MAX_ENTRIES));
  return out;
}

export class SqsSyncRetries implements SyncRetries {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async holdBack(messages: readonly HeldMessage[]): Promise<string[]> {
    const failed: string[] = [];
    for (const chunk of chunks(messages)) {
      try {
        const result = await this.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: chunk.map((m, i) => ({
              Id: String(i),
              ReceiptHandle: m.receiptHandle,
              VisibilityTimeout: Math.min(
                MAX_VISIBILITY_SECONDS,
                Math.max(0, Math.round(m.visibilitySeconds)),
              ),
            })),
          }),
        );
        for (const f of result.Failed ?? []) {
          const entry = chunk[Number(f.Id)];
          if (entry) failed.push(entry.receiptHandle);
        }
      } catch {
        failed.push(...chunk.map((m) => m.receiptHandle));
      }
    }
    return failed;
  }

  async requeue(messages: readonly DeferredMessage[]): Promise<void> {
    const failed: string[] = [];
    for (const chunk of chunks(messages)) {
      const result = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((m, i) => ({
            Id: String(i),
            MessageBody: encodeSyncMessage(m.message),
            DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(m.delaySeconds))),
          })),
        }),
      );
      for (const f of result.Failed ?? []) {
        const entry = chunk[Number(f.Id)];
        if (entry) failed.push(entry.message.notificationId);
      }
    }
    if (failed.length > 0) {
      throw new EnqueueFailedError(`${failed.length} notifications could not be queued again`, failed);
    }
  }
}
