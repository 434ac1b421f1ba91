import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

/**
 * Powertools' structured JSON lines without the Lambda context that repeats on every one of
 * them (function ARN, name, memory size, sampling rate, a `cold_start: false`): 550-750
 * characters a line became ~200. Kept: the invocation's request id (it joins a line to
 * Lambda's START and REPORT lines), `coldStart` on the first invocation only, and the X-Ray
 * trace id where there is one. The ids a line is about come next, in a fixed order, so a
 * person reading a line finds them at once; the rest follow as the code gave them.
 */
export const ID_KEYS = [
  'requestId',
  'siteId',
  'runId',
  'notificationId',
  'opportunityId',
  'quoteId',
  'companyId',
  'personId',
] as const;

export class CompactLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    const ids: LogAttributes = {};
    for (const key of ID_KEYS) if (additional[key] !== undefined) ids[key] = additional[key];
    return new LogItem({
      attributes: {
        timestamp: this.formatTimestamp(attributes.timestamp),
        level: attributes.logLevel,
        service: attributes.serviceName,
        message: attributes.message,
        ...ids,
        ...(context?.coldStart ? { coldStart: true } : {}),
        ...(context?.awsRequestId ? { lambdaRequestId: context.awsRequestId } : {}),
        ...(attributes.xRayTraceId ? { xrayTraceId: attributes.xRayTraceId } : {}),
      },
    }).addAttributes(additional);
  }
}

/** The logger every function uses: Powertools' Logger with the compact format above. */
export function serviceLogger(serviceName: string): Logger {
  return new Logger({ serviceName, logFormatter: new CompactLogFormatter() });
}
