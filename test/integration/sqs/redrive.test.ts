import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { clientFor, redriveDeadLetters } from '../../../ops/redrive';
import { SqsDeadLetters } from '../../../shared/adapters/sqs/sqs-dead-letters';
import { queueDepth, sqs } from '../../support/aws';

/** The operator's redrive, against the local emulator's StartMessageMoveTask. */
async function queueWithDeadLetters(name: string) {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqUrl = String(dlq.QueueUrl);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: 5 }),
      },
    }),
  );
  return { queueUrl: String(queue.QueueUrl), dlqUrl, dlqArn: String(Attributes?.QueueArn) };
}

test('dead letters go back to their queue with their reasons, and the DLQ is empty', async () => {
  const { queueUrl, dlqUrl } = await queueWithDeadLetters(`redrive-${Date.now()}`);
  const failed = await new SqsDeadLetters(sqs, dlqUrl).send([
    { messageId: 'a', body: '{"kind":"nonsense"}', reason: 'the body is not a sync message' },
    {
      messageId: 'b',
      body: '{"kind":"notification"}',
      reason: 'unexpected error',
      siteId: 'acme',
      notificationId: '04l5g0000000001AAA',
    },
  ]);
  expect(failed).toEqual([]);
  expect(await queueDepth(dlqUrl)).toBe(2);

  const lines: string[] = [];
  const task = await redriveDeadLetters(clientFor(dlqUrl), dlqUrl, { log: (l) => lines.push(l) });
  expect(task).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 2 });
  expect(lines[0]).toMatch(/^redrive started on arn:aws:sqs:/);
  expect(await queueDepth(dlqUrl)).toBe(0);

  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
    }),
  );
  expect(Messages.map((m) => [m.Body, m.MessageAttributes?.reason?.StringValue]).sort()).toEqual([
    ['{"kind":"nonsense"}', 'the body is not a sync message'],
    ['{"kind":"notification"}', 'unexpected error'],
  ]);
  expect(
    Messages.find((m) => m.MessageAttributes?.siteId)?.MessageAttributes?.notificationId?.StringValue,
  ).toBe('04l5g0000000001AAA');
});

test('a queue that is nobody’s dead-letter queue is refused as SQS refuses it', async () => {
  const lonely = await sqs.send(new CreateQueueCommand({ QueueName: `lonely-${Date.now()}` }));
  await expect(redriveDeadLetters(sqs, String(lonely.QueueUrl))).rejects.toThrow(
    /must be configured as a Dead Letter Queue/,
  );
  await expect(redriveDeadLetters(sqs, 'arn:aws:sqs:us-east-1:000000000000:nothing-here')).rejects.toThrow(
    /does not exist/,
  );
});
