/**
 * Function timeouts and the queue settings derived from them, in seconds. Plain numbers, so
 * that the local stack (which must not load the CDK) reads the very values the CDK app deploys.
 */
export const FUNCTION_TIMEOUT_SECONDS = {
  // Salesforce waits 60 s, but the ack must stay fast: parse, one read, batched sends.
  'ack-outbound-message': 10,
  // The worker calls Salesforce (jsforce, its own timeout below this one).
  'sync-worker': 60,
  // A "Synchronize now" page is one Salesforce query of up to 2000 records and about 200
  // SendMessageBatch calls to the sync queue.
  'run-sync-now': 120,
  // Pages through every connected site's changes; a site not finished goes on at the next run.
  'reconcile-sites': 300,
  // Just under the HTTP API integration limit of 30 s.
  'admin-api': 29,
  'quote-actions': 29,
} as const;

/**
 * Six times the consumer's timeout, as the Lambda guide asks for SQS event sources.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-queueconfig
 */
export const SYNC_QUEUE_VISIBILITY_SECONDS = 6 * FUNCTION_TIMEOUT_SECONDS['sync-worker'];
export const SYNC_RUN_QUEUE_VISIBILITY_SECONDS = 6 * FUNCTION_TIMEOUT_SECONDS['run-sync-now'];

/** Receives before SQS moves a message to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;
