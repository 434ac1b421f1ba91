import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from './lambda-context';

/**
 * A local stand-in for Lambda's SQS event source mapping: it long-polls the queue, gathers up to
 * `batchSize` messages within `maxBatchingWindowMs`, invokes the handler with an SQSEvent, and
 * then deletes what succeeded. As in AWS: with ReportBatchItemFailures, the listed items stay
 * on the queue; a thrown error (or an unknown item id) keeps the whole batch; a kept message
 * comes back when its visibility timeout ends, and the queue's redrive policy moves it to the
 * DLQ after maxReceiveCount receives (fauxqs applies that, as SQS does).
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface EventSourceOptions {
  sqs: SQSClient;
  queueUrl: string;
  handler: () => SqsHandler;
  name: string;
  batchSize?: number;
  maxBatchingWindowMs?: number;
  /** Parallel pollers, like the mapping's maximum concurrency. */
  concurrency?: number;
  timeoutMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface EventSource {
  /**
   * Stops polling and waits up to `drainMs` (default 2,000) for the batches being handled. A
   * batch still running then is left to its fate, as when a Lambda is cut off: its messages were
   * not deleted, so they come back (and a stop's snapshot keeps them, in flight or not).
   */
  stop(drainMs?: number): Promise<void>;
  /** Resolves at the next receive that finds the queue empty. */
  idle(): Promise<void>;
}

export async function startSqsEventSource(options: EventSourceOptions): Promise<EventSource> {
  const { sqs, queueUrl } = options;
  const batchSize = options.batchSize ?? 10;
  const windowMs = options.maxBatchingWindowMs ?? 200;
  const log = options.log ?? (() => undefined);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = Attributes?.QueueArn ?? queueUrl;
  let stopping = false;
  let idleWaiters: Array<() => void> = [];
  const abort = new AbortController();

  async function receive(max: number, waitSeconds: number): Promise<Message[]> {
    try {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max),
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: abort.signal },
      );
      return Messages;
    } catch (error) {
      if (stopping) return [];
      log({ level: 'WARN', message: 'receive failed', source: options.name, error: String(error) });
      await new Promise((resolve) => setTimeout(resolve, 500));
      return [];
    }
  }

  async function poll(): Promise<void> {
    while (!stopping) {
      const batch = await receive(batchSize, 1);
      if (batch.length === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const wake of waiters) wake();
        continue;
      }
      const windowEnds = Date.now() + windowMs;
      while (batch.length < batchSize && Date.now() < windowEnds && !stopping) {
        const more = await receive(batchSize - batch.length, 0);
        if (more.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        batch.push(...more);
      }
      await invoke(batch);
    }
  }

  async function invoke(messages: Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, queueArn)) };
    let failedIds: Set<string>;
    try {
      const response = await options.handler()(event, lambdaContext(options.name, options.timeoutMs));
      const reported = response?.batchItemFailures ?? [];
      const known = new Set(messages.map((m) => m.MessageId));
      // An item id that is not in the batch makes Lambda treat the whole batch as failed.
      failedIds = reported.every((f) => known.has(f.itemIdentifier))
        ? new Set(reported.map((f) => f.itemIdentifier))
        : new Set(known as Set<string>);
    } catch (error) {
      log({
        level: 'ERROR',
        message: 'handler failed; the batch returns to the queue',
        source: options.name,
        error: String(error),
      });
      return;
    }
    const done = messages.filter((m) => !failedIds.has(m.MessageId ?? ''));
    // DeleteMessageBatch takes at most 10 entries; batches may hold up to 100 messages.
    for (let i = 0; i < done.length; i += 10) {
      const chunk = done.slice(i, i + 10);
      try {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      } catch (error) {
        // As in Lambda: a message not deleted comes back after its visibility timeout.
        log({ level: 'WARN', message: 'delete failed', source: options.name, error: String(error) });
      }
    }
  }

  const pollers = Array.from({ length: options.concurrency ?? 1 }, () => poll());
  return {
    async stop(drainMs = 2_000) {
      stopping = true;
      abort.abort();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(pollers),
        new Promise((resolve) => {
          timer = setTimeout(resolve, drainMs);
        }),
      ]);
      clearTimeout(timer);
    },
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
      }),
  };
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: process.env.AWS_REGION ?? 'us-east-1',
  };
}
