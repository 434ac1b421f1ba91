import { Validator } from '@seriousme/openapi-schema-validator';
import { gatewayRoutes } from '../../../infra/api-routes';
import { adminRouteList } from '../../../shared/http/admin-routes';
import { openApiDocument } from '../../../shared/http/openapi';

/** The document the admin API serves at GET /openapi.json, checked by an OpenAPI 3.1 validator. */
const document = openApiDocument(adminRouteList, 'https://admin.example.com') as unknown as {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
};

test('is a valid OpenAPI 3.1 document', async () => {
  const validator = new Validator();
  const result = await validator.validate(document as unknown as Parameters<Validator['validate']>[0]);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toBe('3.1');
});

test('lists every admin route, under its operation id, and nothing else', () => {
  const listed = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(
      ([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId}`,
    ),
  );
  expect(listed.sort()).toEqual(
    adminRouteList.map((route) => `${route.method} ${route.path} ${route.operationId}`).sort(),
  );
  // Every method route API Gateway has for the admin API is in the document.
  const gateway = gatewayRoutes().filter((route) => route.api === 'admin' && route.method !== 'ANY');
  for (const route of gateway) expect(document.paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
});

test('documents responses, not only requests: every route has its success and the problem answers', () => {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const statuses = Object.keys(operation.responses);
      expect({ route: `${method} ${path}`, success: statuses.some((s) => /^[23]/.test(s)) }).toEqual({
        route: `${method} ${path}`,
        success: true,
      });
      expect(statuses).toEqual(expect.arrayContaining(['405', '500']));
    }
  }
  const schemas = (document as unknown as { components: { schemas: Record<string, unknown> } }).components
    .schemas;
  expect(Object.keys(schemas)).toEqual(
    expect.arrayContaining(['Problem', 'Quote', 'SyncRun', 'SalesforceStatus']),
  );
});

test('the validator refuses a broken document (so the first test can fail)', async () => {
  const { info: _info, ...broken } = document as unknown as Record<string, unknown>;
  expect((await new Validator().validate(broken as Parameters<Validator['validate']>[0])).valid).toBe(false);
});
