import { parseArgs } from 'node:util';
import { clientFor, redriveDeadLetters } from './redrive';

/**
 * `npm run redrive -- --queue <dead-letter queue URL or ARN> [--destination <queue ARN>]`
 *
 * The operator's one command after the DLQ alarm: moves the sync queue's dead letters back to
 * the sync queue. In AWS the queue is the stack export `QuoteSync-<stage>-SyncDeadLetterQueueUrl`;
 * locally `npm start` prints its URL.
 */
async function main() {
  const { values } = parseArgs({
    options: { queue: { type: 'string' }, destination: { type: 'string' } },
  });
  if (!values.queue) {
    console.error(
      'usage: npm run redrive -- --queue <dead-letter queue URL or ARN> [--destination <queue ARN>]',
    );
    process.exit(2);
  }
  const task = await redriveDeadLetters(clientFor(values.queue), values.queue, {
    ...(values.destination ? { destinationArn: values.destination } : {}),
    log: (line) => console.log(line),
  });
  console.log(
    `redrive ${task.Status?.toLowerCase()}: ${task.ApproximateNumberOfMessagesMoved ?? 0} message(s) moved${
      task.FailureReason ? ` (${task.FailureReason})` : ''
    }`,
  );
  if (task.Status !== 'COMPLETED') process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
