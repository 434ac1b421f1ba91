import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { UnsupportedMediaTypeError, ValidationError } from '../domain/errors';
import { isMissingValue } from '../domain/validation-issues';

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** zod issues as `{path, message}` with dotted paths (`fieldMappings.opportunity.0.condition`). */
export function issuesOf(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: isMissingValue(issue) ? 'is required' : issue.message,
  }));
}

/** application/json and its structured-syntax relatives (application/merge-patch+json, …). */
const JSON_TYPE = /^\s*application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * Parses and validates a JSON body; a 400 names each invalid field by its path. Without a
 * schema, the parsed JSON is returned for the use case to validate.
 */
export function parseBody<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema?: S): z.infer<S> {
  const contentType = event.headers?.['content-type'];
  // A body in another type (a form, text) is refused rather than read as JSON by luck.
  if (event.body && contentType !== undefined && !JSON_TYPE.test(contentType)) {
    throw new UnsupportedMediaTypeError(
      `The body is ${contentType.split(';')[0]}; this API reads application/json`,
    );
  }
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  let value: unknown;
  try {
    value = raw.trim() === '' ? undefined : JSON.parse(raw);
  } catch (error) {
    throw new ValidationError(
      'The body is not valid JSON',
      [{ path: '(body)', message: (error as Error).message }],
      { cause: error },
    );
  }
  if (schema === undefined) return value as z.infer<S>;
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = issuesOf(result.error);
    throw new ValidationError(
      `Invalid request: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      issues,
      {
        cause: result.error,
      },
    );
  }
  return result.data;
}

/** Whether a browser navigates here: it asks for HTML by name, and not for JSON. */
export function isNavigation(event: Pick<APIGatewayProxyEventV2, 'headers'>): boolean {
  const accept = event.headers?.accept ?? event.headers?.Accept ?? '';
  return /\btext\/html\b/i.test(accept) && !acceptsJson(event);
}

/** Whether the request asks for JSON by name (a browser's navigation and curl's any-type Accept do not). */
export function acceptsJson(event: Pick<APIGatewayProxyEventV2, 'headers'>): boolean {
  return /\bapplication\/(problem\+)?json\b/i.test(event.headers?.accept ?? event.headers?.Accept ?? '');
}
