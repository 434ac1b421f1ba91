import type { SalesforceSandbox } from '@quote-sync/salesforce-sandbox';
import { startTestSandbox } from '@quote-sync/salesforce-sandbox/testing';
import { indexPartitions, itemKeys, sitePartition } from '../../../shared/adapters/dynamodb/keys';
import { loadAdminApi } from '../../support/admin-api';
import { createTable } from '../../support/aws';

/**
 * The admin API's HTTP conventions: RFC 9457 problem details, 405 with Allow, Location on 201
 * and 202, Idempotency-Key, site-id and nextToken rules. Every answer here is also checked
 * against the route table's schemas by the test support.
 */
let sandbox: SalesforceSandbox;
let api: ReturnType<typeof loadAdminApi>;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  api = loadAdminApi({ tableName: await createTable(), sandbox });
  expect((await api.request('PUT', '/sites/conv', { body: { name: 'Conventions' } })).statusCode).toBe(201);
}, 30_000);

afterAll(async () => {
  await sandbox.stop();
});

describe('problem details', () => {
  test('a 400 is application/problem+json with type, title, status, detail, instance and issues', async () => {
    const response = await api.request('POST', '/sites/conv/users', { body: { name: '', email: 'nope' } });
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    const problem = response.json();
    expect(problem).toMatchObject({
      type: '/problems/validation-error',
      title: 'The request is not valid',
      status: 400,
      instance: '/sites/conv/users',
      requestId: expect.any(String),
    });
    expect(problem.detail).toMatch(/email/);
    expect((problem.issues as { path: string }[]).map((issue) => issue.path).sort()).toEqual([
      'email',
      'name',
    ]);
  });

  test('a 404 names what is missing', async () => {
    const response = await api.request('GET', '/sites/nobody');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ type: '/problems/not-found', status: 404 });
    expect(response.json().detail).toMatch(/Site nobody does not exist/);
  });

  test('a 5xx carries the request id a user can quote', async () => {
    const broken = loadAdminApi({ tableName: 'no-such-table', sandbox });
    const response = await broken.request('GET', '/sites/conv');
    expect(response.statusCode).toBe(500);
    const problem = response.json();
    expect(problem.requestId).toMatch(/^req-/);
    expect(problem.detail).toContain(String(problem.requestId));
    expect(problem.detail).not.toMatch(/ResourceNotFound|no-such-table/);
  });
});

describe('methods and paths', () => {
  test('a known path with the wrong method is 405 with Allow', async () => {
    const response = await api.request('DELETE', '/sites/conv/quotes/q-1');
    expect(response.statusCode).toBe(405);
    expect(response.headers?.allow).toBe('GET, PATCH');
    expect(response.json()).toMatchObject({ type: '/problems/method-not-allowed', status: 405 });
    const send = await api.request('GET', '/sites/conv/quotes/q-1/send-to-salesforce');
    expect(send.statusCode).toBe(405);
    expect(send.headers?.allow).toBe('POST');
  });

  test('an unknown path under /sites is a 404 problem', async () => {
    const response = await api.request('GET', '/sites/conv/nothing/here');
    expect(response.statusCode).toBe(404);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
  });

  test('a site id is at most 64 of [a-z0-9-]: longer or other characters are 400, never 500', async () => {
    for (const siteId of ['x'.repeat(10_000), 'x'.repeat(65), 'Upper', 'dots.here', '-dash-first']) {
      const response = await api.request('GET', `/sites/${encodeURIComponent(siteId)}/quotes`);
      expect({ siteId: siteId.slice(0, 20), status: response.statusCode }).toEqual({
        siteId: siteId.slice(0, 20),
        status: 400,
      });
      expect(response.json().issues).toEqual([expect.objectContaining({ path: 'siteId' })]);
    }
    expect((await api.request('GET', `/sites/${'a'.repeat(64)}`)).statusCode).toBe(404);
  });

  test('authentication comes first: no token is 401 even for an invalid site id', async () => {
    expect((await api.request('GET', '/sites/NOT%20VALID', { token: null })).statusCode).toBe(401);
  });
});

describe('Location', () => {
  test('201 answers point at what they created', async () => {
    const site = await api.request('PUT', '/sites/located', { body: { name: 'Located' } });
    expect(site.statusCode).toBe(201);
    expect(site.headers?.location).toBe('/sites/located');
    expect((await api.request('GET', String(site.headers?.location))).json()).toMatchObject({
      siteId: 'located',
    });
    // A rename is a 200, without Location.
    const renamed = await api.request('PUT', '/sites/located', { body: { name: 'Renamed' } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.headers?.location).toBeUndefined();

    const user = await api.request('POST', '/sites/located/users', {
      body: { name: 'Ada', email: 'ada@example.com' },
    });
    expect(user.statusCode).toBe(201);
    expect(user.headers?.location).toBe(`/sites/located/users/${user.json().userId}`);
    expect((await api.request('GET', String(user.headers?.location))).json()).toMatchObject({ name: 'Ada' });
  });
});

describe('Idempotency-Key on POST …/users', () => {
  test('a retried request creates one user and answers as the first time', async () => {
    const body = { name: 'Grace', email: 'grace@example.com' };
    const headers = { 'idempotency-key': 'add-grace-1' };
    const first = await api.request('POST', '/sites/conv/users', { body, headers });
    const again = await api.request('POST', '/sites/conv/users', { body, headers });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers?.location).toBe(first.headers?.location);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(first.headers?.['idempotent-replayed']).toBeUndefined();
    const users = (await api.request('GET', '/sites/conv/users')).json().users as { email: string }[];
    expect(users.filter((user) => user.email === 'grace@example.com')).toHaveLength(1);
  });

  test('without the header, each POST adds a user', async () => {
    const body = { name: 'Twin', email: 'twin@example.com' };
    const a = await api.request('POST', '/sites/conv/users', { body });
    const b = await api.request('POST', '/sites/conv/users', { body });
    expect(a.json().userId).not.toBe(b.json().userId);
  });

  test('the same key for another request is 422; a malformed key is 400', async () => {
    const headers = { 'idempotency-key': '"key-for-one-request"' };
    await api.request('POST', '/sites/conv/users', {
      body: { name: 'One', email: 'one@example.com' },
      headers,
    });
    const other = await api.request('POST', '/sites/conv/users', {
      body: { name: 'Two', email: 'two@example.com' },
      headers,
    });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ type: '/problems/idempotency-key-reused' });
    const bad = await api.request('POST', '/sites/conv/users', {
      body: { name: 'Three', email: 'three@example.com' },
      headers: { 'idempotency-key': 'x'.repeat(256) },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([expect.objectContaining({ path: 'Idempotency-Key' })]);
  });

  test('keys are per site: the same key on another site is another request', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const body = { name: 'Same', email: 'same@example.com' };
    const here = await api.request('POST', '/sites/conv/users', { body, headers });
    const there = await api.request('POST', '/sites/located/users', { body, headers });
    expect(there.statusCode).toBe(201);
    expect(there.headers?.['idempotent-replayed']).toBeUndefined();
    expect(there.json().siteId).toBe('located');
    expect(here.json().siteId).toBe('conv');
  });
});

describe('nextToken', () => {
  const token = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

  test.each([
    ['not base64 JSON', '%%%'],
    ['an extra attribute', token({ ...itemKeys.quote('conv', 'a'), extra: 'x' })],
    ['a missing key', token({ pk: sitePartition('conv') })],
    ["another listing's key", token(itemKeys.company('conv', 'sf-001'))],
    ["another site's key", token(itemKeys.quote('other', 'a'))],
    ['a number for a key', token({ pk: sitePartition('conv'), sk: 5 })],
  ])('a forged token (%s) is 400', async (_what, nextToken) => {
    const response = await api.request(
      'GET',
      `/sites/conv/quotes?nextToken=${encodeURIComponent(nextToken)}`,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().issues).toEqual([expect.objectContaining({ path: 'nextToken' })]);
  });

  test('a token of an index listing must carry exactly its index keys', async () => {
    const wrong = token({
      ...itemKeys.syncLog('conv', 'x', 'y', 'z'),
      gsi1pk: indexPartitions.syncLog('conv'),
      gsi1sk: 'y',
    });
    const response = await api.request('GET', `/sites/conv/salesforce/log?nextToken=${wrong}`);
    expect(response.statusCode).toBe(400);
  });
});
