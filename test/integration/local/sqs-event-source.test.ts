import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { startSqsEventSource } from '../../../local/sqs-event-source';
import { drainQueue, queueDepth, sqs } from '../../support/aws';
import { eventually } from '../../support/eventually';

async function queuesWithRedrive(maxReceiveCount: number) {
  const suffix = Math.random().toString(36).slice(2, 8);
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `dlq-${suffix}` }));
  const dlqUrl = dlq.QueueUrl ?? '';
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  );
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: `main-${suffix}`,
      Attributes: {
        VisibilityTimeout: '1',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount }),
      },
    }),
  );
  return { queueUrl: main.QueueUrl ?? '', dlqUrl };
}

async function send(queueUrl: string, bodies: string[]) {
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })),
      }),
    );
  }
}

/** A condition the event source should reach: the tests' one wait, polling every 50 ms. */
const until = (condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000) =>
  eventually(condition, what, timeoutMs, 50);

test('batches respect the batch size, and every message is handled once', async () => {
  const { queueUrl } = await queuesWithRedrive(5);
  const seen: string[] = [];
  const sizes: number[] = [];
  const source = await startSqsEventSource({
    sqs,
    queueUrl,
    name: 'test',
    batchSize: 10,
    handler: () => async (event: SQSEvent) => {
      sizes.push(event.Records.length);
      seen.push(...event.Records.map((r) => r.body));
      return { batchItemFailures: [] };
    },
  });
  const bodies = Array.from({ length: 25 }, (_, i) => `m${i}`);
  await send(queueUrl, bodies);
  await until(() => seen.length >= 25, 'all messages');
  await source.stop();
  expect(seen.sort()).toEqual([...bodies].sort());
  expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
  expect(await queueDepth(queueUrl)).toBe(0);
});

test('reported item failures come back after the visibility timeout and reach the DLQ after maxReceiveCount', async () => {
  const { queueUrl, dlqUrl } = await queuesWithRedrive(2);
  const attempts = new Map<string, number>();
  const source = await startSqsEventSource({
    sqs,
    queueUrl,
    name: 'test',
    handler: () => async (event: SQSEvent) => {
      for (const record of event.Records) attempts.set(record.body, (attempts.get(record.body) ?? 0) + 1);
      return {
        batchItemFailures: event.Records.filter((r) => r.body === 'poison').map((r) => ({
          itemIdentifier: r.messageId,
        })),
      };
    },
  });
  await send(queueUrl, ['good', 'poison']);
  await until(async () => (await queueDepth(dlqUrl)) === 1, 'the poison message in the DLQ');
  await source.stop();
  expect(attempts.get('good')).toBe(1);
  expect(attempts.get('poison')).toBe(2);
  expect(await drainQueue(dlqUrl)).toEqual(['poison']);
  expect(await queueDepth(queueUrl)).toBe(0);
});

test('a thrown error returns the whole batch to the queue', async () => {
  const { queueUrl } = await queuesWithRedrive(5);
  let calls = 0;
  const received: string[][] = [];
  const source = await startSqsEventSource({
    sqs,
    queueUrl,
    name: 'test',
    maxBatchingWindowMs: 300,
    handler: () => async (event: SQSEvent) => {
      calls++;
      received.push(event.Records.map((r) => r.body).sort());
      if (calls === 1) throw new Error('crash');
      return undefined;
    },
  });
  await send(queueUrl, ['a', 'b']);
  await until(() => received.flat().length >= 4, 'redelivery after the crash');
  await source.stop();
  expect(received.flat().sort()).toEqual(['a', 'a', 'b', 'b']);
  expect(await queueDepth(queueUrl)).toBe(0);
});
