import { randomUUID } from 'node:crypto';

/**
 * SQS's dead-letter-queue redrive (StartMessageMoveTask, ListMessageMoveTasks,
 * CancelMessageMoveTask), which fauxqs 1.x does not implement, served on the emulator's own
 * endpoint so that the operator's redrive command makes the same SDK calls locally as in AWS.
 * As in SQS: the source must be some queue's dead-letter queue; without a destination, messages
 * go back to that queue; message attributes are kept and receive counts start afresh. Unlike
 * SQS, which moves at a rate, the local task moves every available message at once.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */

interface LocalQueue {
  name: string;
  url: string;
  arn: string;
  attributes: Record<string, string>;
  messages: Array<{ body: string; messageAttributes: Record<string, unknown> }>;
  enqueue(message: unknown): void;
}

export interface MoveTaskStore {
  queues: Map<string, LocalQueue>;
  queuesByArn: Map<string, LocalQueue>;
}

interface HookedApp {
  addHook(
    name: 'preHandler',
    hook: (
      request: { headers: Record<string, unknown>; body: unknown },
      reply: {
        status(code: number): unknown;
        header(name: string, value: string): unknown;
        send(body: unknown): unknown;
      },
    ) => Promise<unknown>,
  ): unknown;
}

interface MoveTask {
  TaskHandle: string;
  Status: 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
  SourceArn: string;
  DestinationArn?: string;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove: number;
  StartedTimestamp: number;
}

class SqsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export function serveMessageMoveTasks(
  app: HookedApp,
  store: MoveTaskStore,
  createMessage: (body: string, attributes: Record<string, unknown>) => unknown,
): void {
  const tasks: MoveTask[] = [];

  const redriveSourceOf = (dlqArn: string): LocalQueue | undefined =>
    [...store.queues.values()].find((queue) => {
      try {
        return JSON.parse(queue.attributes.RedrivePolicy ?? '{}').deadLetterTargetArn === dlqArn;
      } catch {
        return false;
      }
    });

  const start = (input: { SourceArn?: string; DestinationArn?: string }) => {
    const source = input.SourceArn ? store.queuesByArn.get(input.SourceArn) : undefined;
    if (!source || !input.SourceArn)
      throw new SqsError('ResourceNotFoundException', 'The source queue does not exist.');
    const destination = input.DestinationArn
      ? store.queuesByArn.get(input.DestinationArn)
      : redriveSourceOf(input.SourceArn);
    if (!destination) {
      throw new SqsError(
        input.DestinationArn ? 'ResourceNotFoundException' : 'InvalidParameterValue',
        input.DestinationArn
          ? 'The destination queue does not exist.'
          : 'Source queue must be configured as a Dead Letter Queue.',
      );
    }
    if (tasks.some((t) => t.SourceArn === input.SourceArn && t.Status === 'RUNNING')) {
      throw new SqsError('UnsupportedOperation', 'There is already a task running on this queue.');
    }
    const moving = source.messages.splice(0);
    for (const message of moving) destination.enqueue(createMessage(message.body, message.messageAttributes));
    const task: MoveTask = {
      TaskHandle: Buffer.from(JSON.stringify({ id: randomUUID(), source: input.SourceArn })).toString(
        'base64',
      ),
      Status: 'COMPLETED',
      SourceArn: input.SourceArn,
      ...(input.DestinationArn ? { DestinationArn: input.DestinationArn } : {}),
      ApproximateNumberOfMessagesMoved: moving.length,
      ApproximateNumberOfMessagesToMove: moving.length,
      StartedTimestamp: Date.now(),
    };
    tasks.push(task);
    return { TaskHandle: task.TaskHandle };
  };

  const actions: Record<string, (input: Record<string, string | undefined>) => unknown> = {
    StartMessageMoveTask: start,
    ListMessageMoveTasks: (input) => ({
      Results: tasks
        .filter((t) => t.SourceArn === input.SourceArn)
        .reverse()
        .slice(0, Number(input.MaxResults ?? 1)),
    }),
    CancelMessageMoveTask: (input) => {
      const task = tasks.find((t) => t.TaskHandle === input.TaskHandle);
      if (!task) throw new SqsError('ResourceNotFoundException', 'The task does not exist.');
      if (task.Status !== 'RUNNING')
        throw new SqsError('UnsupportedOperation', 'Only running tasks can be cancelled.');
      task.Status = 'CANCELLED';
      return { ApproximateNumberOfMessagesMoved: task.ApproximateNumberOfMessagesMoved };
    },
  };

  app.addHook('preHandler', async (request, reply) => {
    const target = request.headers['x-amz-target'];
    const action = typeof target === 'string' ? actions[target.replace('AmazonSQS.', '')] : undefined;
    if (!action) return undefined;
    reply.header('content-type', 'application/x-amz-json-1.0');
    try {
      return reply.send(action((request.body ?? {}) as Record<string, string | undefined>));
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      reply.status(400);
      return reply.send({ __type: `com.amazonaws.sqs#${error.type}`, message: error.message });
    }
  });
}
