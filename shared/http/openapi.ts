import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { problemSchema } from './admin-schemas';
import { isSiteRoute, type RouteSpec } from './route-table';
import { IDEMPOTENCY_KEY_HEADER } from './router';

/**
 * The OpenAPI 3.1 document of the admin API, generated from the route table and its zod
 * schemas (zod-openapi), so it cannot drift from what the routers accept and answer.
 */
const PROBLEM = 'application/problem+json';

/** Refusals every route of its kind can answer, on top of the route's own. */
function problemResponses(route: RouteSpec): Record<string, string> {
  return {
    ...(route.params || route.query || route.body || route.binaryBody || route.idempotent
      ? { 400: 'The request is not valid: `issues` names each field' }
      : {}),
    ...(route.auth === 'signed-in' ? { 401: 'Not signed in' } : {}),
    ...(isSiteRoute(route)
      ? {
          401: 'Not signed in',
          403:
            route.auth === 'site-admin'
              ? 'Not an admin of this site (`reason` says whether not a member at all)'
              : 'Not an admin or user of this site',
          404: 'No such site or record',
        }
      : {}),
    405: 'The path exists, not with this method: `Allow` lists the methods',
    ...(route.idempotent
      ? {
          409: 'A request with this Idempotency-Key is still being answered, or the state forbids it',
          422: 'The Idempotency-Key was used for a different request',
        }
      : {}),
    500: 'Failed on our side: quote `requestId`',
    502: 'Salesforce refused or failed the request',
  };
}

function operation(route: RouteSpec): ZodOpenApiOperationObject {
  const responses: Record<string, { description: string; content?: Record<string, unknown> }> = {};
  for (const [status, description] of Object.entries(problemResponses(route))) {
    responses[status] = {
      description,
      content: { [PROBLEM]: { schema: problemSchema } },
      ...(status === '405' ? { headers: { Allow: { schema: { type: 'string' } } } } : {}),
    };
  }
  for (const [status, spec] of Object.entries(route.responses)) {
    // A status that is both the route's own answer and a problem (send's 409) lists both bodies.
    const problem = responses[status];
    const content = {
      ...problem?.content,
      ...(spec.schema ? { [spec.contentType ?? 'application/json']: { schema: spec.schema } } : {}),
      ...(!spec.schema && spec.contentType
        ? { [spec.contentType]: { schema: { type: 'string', contentMediaType: spec.contentType } } }
        : {}),
    };
    responses[status] = {
      description: spec.description,
      ...(Object.keys(content).length > 0 ? { content } : {}),
      ...(spec.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(spec.headers).map(([name, what]) => [
                name,
                { description: what, schema: { type: 'string' } },
              ]),
            ),
          }
        : {}),
    };
  }
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.auth === 'none' ? { security: [] } : {}),
    requestParams: {
      ...(route.params ? { path: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.idempotent
        ? {
            header: z.object({
              [IDEMPOTENCY_KEY_HEADER]: z
                .string()
                .max(255)
                .optional()
                .meta({ description: 'A retried request with the same key gets the first answer' }),
            }),
          }
        : {}),
    },
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
      : {}),
    ...(route.binaryBody
      ? {
          requestBody: {
            required: true,
            description: route.binaryBody.description,
            content: Object.fromEntries(
              route.binaryBody.contentTypes.map((type) => [
                type,
                { schema: { type: 'string', contentMediaType: type } },
              ]),
            ),
          },
        }
      : {}),
    responses: responses as ZodOpenApiOperationObject['responses'],
  };
}

export function openApiDocument(routes: readonly RouteSpec[], serverUrl?: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'salesforce-quote-sync admin API',
        version: '1',
        description:
          'Sites, the Salesforce connection and settings, quotes, Synchronize now and Send to Salesforce. Errors are RFC 9457 problem details.',
      },
      ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
      security: [{ adminAuth: [] }],
      components: {
        securitySchemes: {
          adminAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              "The access token of the console's sign-in (Cognito in AWS, the local sign-in locally), whose `sites` claim carries the role per site (`demo:admin acme:user`); locally also the ADMIN_TOKEN, an operator of every site",
          },
        },
      },
      paths,
    },
    {
      // The only custom schemas are the quote lines' decimals (a JSON number or a decimal string);
      // their rules (decimals, digits, range) are in the messages of the 400 that breaks them.
      override: ({ zodSchema, jsonSchema }) => {
        if (zodSchema._zod.def.type === 'custom') {
          jsonSchema.type = ['number', 'string'];
          jsonSchema.description ??= 'A decimal: a JSON number or a decimal string such as "12.5"';
        }
      },
    },
  );
}
