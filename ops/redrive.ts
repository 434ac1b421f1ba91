import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

/**
 * Moves every message of a dead-letter queue back to the queue it came from, with SQS's own
 * redrive (StartMessageMoveTask), and waits until the task ends. Each message keeps its
 * attributes, including the `reason` the worker gave it.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html
 */
export async function redriveDeadLetters(
  sqs: SQSClient,
  queue: string,
  options: { destinationArn?: string; pollMs?: number; log?: (line: string) => void } = {},
): Promise<ListMessageMoveTasksResultEntry> {
  const log = options.log ?? (() => undefined);
  const sourceArn = queue.startsWith('arn:') ? queue : await queueArnOf(sqs, queue);
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: sourceArn,
      ...(options.destinationArn ? { DestinationArn: options.destinationArn } : {}),
    }),
  );
  log(`redrive started on ${sourceArn} (task ${TaskHandle})`);
  for (;;) {
    const { Results = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }),
    );
    const task = Results.find((t) => t.TaskHandle === TaskHandle) ?? Results[0];
    if (task && task.Status !== 'RUNNING') return task;
    log(
      `moved ${task?.ApproximateNumberOfMessagesMoved ?? 0} of ${task?.ApproximateNumberOfMessagesToMove ?? '?'}`,
    );
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 5_000));
  }
}

async function queueArnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  if (!Attributes?.QueueArn) throw new Error(`${queueUrl} has no QueueArn`);
  return Attributes.QueueArn;
}

/**
 * An SQS client for the queue: a queue on 127.0.0.1 (the local stack's emulator) is reached at
 * its own address with the local stack's credentials; any other uses the usual AWS
 * configuration (AWS_PROFILE, AWS_REGION, …).
 */
export function clientFor(queue: string): SQSClient {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(queue)) return new SQSClient({});
  return new SQSClient({
    endpoint: new URL(queue).origin,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}
