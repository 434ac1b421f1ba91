import { Writable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { formatLogLine } from '../../../local/log-output';
import { CompactLogFormatter } from '../../../shared/logging/service-logger';
import { lambdaContext } from '../../support/api-gateway';

/** What a log line holds, in JSON (AWS) and as `npm start` prints it. */
const context: Context = {
  ...lambdaContext,
  functionName: 'quote-sync-admin-api-prod',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:quote-sync-admin-api-prod',
  awsRequestId: '6f1e3f2a-7b7c-4a53-9d55-1d0f3c1b2a11',
};

/** A Powertools Logger with the compact format, writing into `lines`. */
function loggerInto(lines: string[], formatter = new CompactLogFormatter()) {
  const previous = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  const logger = new Logger({ serviceName: 'admin-api', logFormatter: formatter });
  process.env.POWERTOOLS_LOG_LEVEL = previous;
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  // Powertools writes through a Console of its own; point it at the sink.
  (logger as unknown as { console: Console }).console = new console.Console({ stdout: sink, stderr: sink });
  logger.addContext(context);
  return logger;
}

test('a line keeps the request and the ids it is about, first, and drops the Lambda context', () => {
  const lines: string[] = [];
  const logger = loggerInto(lines);
  logger.appendKeys({ requestId: 'b0c3e5ba-1a2b-4c3d-8e9f-0a1b2c3d4e5f', siteId: 'demo' });
  logger.info('Notification created', {
    outcome: 'created',
    quoteId: 'sf-0065g0000Q00004EQA',
    opportunityId: '0065g0000Q00004EQA',
  });
  const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  expect(Object.keys(line)).toEqual([
    'timestamp',
    'level',
    'service',
    'message',
    'requestId',
    'siteId',
    'opportunityId',
    'quoteId',
    'lambdaRequestId',
    'outcome',
  ]);
  expect(line).toMatchObject({ lambdaRequestId: context.awsRequestId });
  for (const bloat of [
    'function_arn',
    'function_memory_size',
    'function_name',
    'sampling_rate',
    'cold_start',
  ])
    expect(line).not.toHaveProperty(bloat);
  // Powertools' default format carried ~330 characters of context on every such line.
  expect((lines[0] ?? '').length).toBeLessThan(350);
});

test('coldStart appears on the first invocation only', () => {
  const formatter = new CompactLogFormatter();
  const attributes = (coldStart: boolean) =>
    formatter
      .formatAttributes(
        {
          logLevel: 'INFO',
          message: 'Batch done',
          timestamp: new Date(),
          serviceName: 'sync-worker',
          sampleRateValue: 0,
          awsRegion: 'eu-west-1',
          lambdaContext: {
            coldStart,
            awsRequestId: context.awsRequestId,
            functionName: context.functionName,
            functionVersion: '$LATEST',
            invokedFunctionArn: context.invokedFunctionArn,
            memoryLimitInMB: '1024',
          },
        },
        {},
      )
      .getAttributes();
  expect(attributes(true)).toMatchObject({ coldStart: true });
  expect(attributes(false)).not.toHaveProperty('coldStart');
});

test('npm start prints a line as time, level, service, message, the ids, then the rest', () => {
  const text = formatLogLine({
    timestamp: '2026-12-01T21:33:03.481Z',
    level: 'INFO',
    service: 'admin-api',
    message: 'Admin change',
    requestId: 'b0c3e5ba-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
    siteId: 'demo',
    lambdaRequestId: context.awsRequestId,
    audit: { actor: 'local-admin', action: 'saveSalesforceSettings', status: 200 },
    changed: ['opportunityToQuote.stage'],
    error: { name: 'SalesforceApiError', message: 'Session expired', stack: 'at x (y.ts:1:1)' },
  });
  expect(text).toMatch(
    /^\d\d:\d\d:\d\d\.481 INFO {2}admin-api {12}Admin change {2}request=b0c3e5ba site=demo actor=local-admin action=saveSalesforceSettings status=200 changed=opportunityToQuote\.stage error="SalesforceApiError: Session expired"$/,
  );
  expect(text).not.toContain(context.awsRequestId);
  expect(text).not.toContain('y.ts');
});
