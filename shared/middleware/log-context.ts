import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';

interface HttpEventShape {
  requestContext?: { requestId?: string };
  pathParameters?: Record<string, string | undefined>;
}

/**
 * Every line of one invocation carries that invocation's keys and none of another's: the Lambda
 * context, and for HTTP events the gateway's request id and the site the path names (before
 * any check, so a refused request is logged under the site it asked for). `resetKeys` drops
 * what an invocation appended once it is over: without it, a warm function logged a refused
 * request with the siteId of the request before. The path itself is never logged (the
 * outbound-message path carries a secret).
 */
export function logContext(logger: Logger): MiddlewareObj {
  const lambdaContext = injectLambdaContext(logger, { logEvent: false, resetKeys: true });
  return {
    before: async (request) => {
      await lambdaContext.before?.(request);
      const event = request.event as HttpEventShape | undefined;
      const requestId = event?.requestContext?.requestId;
      const siteId = event?.pathParameters?.siteId;
      logger.appendKeys({ ...(requestId ? { requestId } : {}), ...(siteId ? { siteId } : {}) });
    },
    after: async (request) => {
      await lambdaContext.after?.(request);
    },
    onError: async (request) => {
      await lambdaContext.onError?.(request);
    },
  };
}
