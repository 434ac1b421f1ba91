import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SyncRunPage } from '../../domain/sync-run';
import type { SyncRunQueue } from '../../ports/sync-runs';

export class SqsSyncRunQueue implements SyncRunQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async sendPage(page: SyncRunPage): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(page) }),
    );
  }
}
