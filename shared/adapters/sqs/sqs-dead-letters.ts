import { type MessageAttributeValue, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetters } from '../../ports/sync-queue';

/** SendMessageBatch takes at most 10 entries. */
const MAX_ENTRIES = 10;

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

/**
 * Puts messages on the dead-letter queue as they were, with message attributes saying why:
 * `reason`, and `siteId` and `notificationId` where known. A redrive (StartMessageMoveTask)
 * moves them back to the sync queue with their attributes.
 */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(letters: readonly DeadLetter[]): Promise<string[]> {
    const failed: string[] = [];
    for (let i = 0; i < letters.length; i += MAX_ENTRIES) {
      const chunk = letters.slice(i, i + MAX_ENTRIES);
      try {
        const result = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: chunk.map((letter, j) => ({
              Id: String(j),
              MessageBody: letter.body,
              MessageAttributes: {
                reason: text(letter.reason.slice(0, 1000)),
                ...(letter.siteId ? { siteId: text(letter.siteId) } : {}),
                ...(letter.notificationId ? { notificationId: text(letter.notificationId) } : {}),
              },
            })),
          }),
        );
        for (const f of result.Failed ?? []) {
          const letter = chunk[Number(f.Id)];
          if (letter) failed.push(letter.messageId);
        }
      } catch {
        failed.push(...chunk.map((letter) => letter.messageId));
      }
    }
    return failed;
  }
}
