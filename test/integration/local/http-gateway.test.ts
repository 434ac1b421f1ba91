import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  API_GATEWAY_LIMITS,
  type Gateway,
  type Readiness,
  STARTUP_KEY_HEADER,
  startHttpGateway,
} from '../../../local/http-gateway';
import { rawExchange, requestBytes } from '../../hostile/raw-http';

/** The local gateway's readiness: /health tells, and routes wait until the stack is ready. */
let gateway: Gateway;
let readiness: Readiness = { status: 'starting', step: 'demo site' };
const events: APIGatewayProxyEventV2[] = [];

beforeAll(async () => {
  const handler = () => async (event: APIGatewayProxyEventV2) => {
    events.push(event);
    return { statusCode: 200, body: '{"answered":true}' };
  };
  gateway = await startHttpGateway({
    port: 0,
    routes: [
      { method: 'GET', path: '/sites/{siteId}', handler },
      { method: 'POST', path: '/salesforce/outbound/{siteId}', handler, servedWhileStarting: true },
    ],
    readiness: () => readiness,
    startupKey: 'the-start-ups-own-key',
  });
});

afterAll(() => gateway.stop());

test('while starting, /health answers 503 with the step, and admin routes answer 503 with Retry-After', async () => {
  readiness = { status: 'starting', step: 'demo site' };
  const health = await fetch(`${gateway.url}/health`);
  expect(health.status).toBe(503);
  expect(await health.json()).toEqual({ status: 'starting', step: 'demo site' });

  const site = await fetch(`${gateway.url}/sites/demo`);
  expect(site.status).toBe(503);
  expect(site.headers.get('retry-after')).toBe('1');
  expect(await site.json()).toEqual({ message: expect.stringMatching(/starting.*GET \/health/) });
});

test('the start-up key passes while starting and is not handed to the handler', async () => {
  readiness = { status: 'starting', step: 'demo site' };
  events.length = 0;
  const wrongKey = await fetch(`${gateway.url}/sites/demo`, { headers: { [STARTUP_KEY_HEADER]: 'guess' } });
  expect(wrongKey.status).toBe(503);
  const ours = await fetch(`${gateway.url}/sites/demo`, {
    headers: { [STARTUP_KEY_HEADER]: 'the-start-ups-own-key' },
  });
  expect(ours.status).toBe(200);
  expect(events).toHaveLength(1);
  expect(Object.keys(events[0]?.headers ?? {})).not.toContain(STARTUP_KEY_HEADER);
});

test('routes served while starting answer at once', async () => {
  readiness = { status: 'starting', step: 'demo site' };
  const response = await fetch(`${gateway.url}/salesforce/outbound/demo`, { method: 'POST', body: '<x/>' });
  expect(response.status).toBe(200);
});

test('ready: /health answers 200 ok and every route is served; stopping: 503 again', async () => {
  readiness = { status: 'ok' };
  const health = await fetch(`${gateway.url}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  expect((await fetch(`${gateway.url}/sites/demo`)).status).toBe(200);

  readiness = { status: 'stopping' };
  expect((await fetch(`${gateway.url}/health`)).status).toBe(503);
  const site = await fetch(`${gateway.url}/sites/demo`);
  expect(site.status).toBe(503);
  expect(await site.json()).toEqual({ message: 'The local stack is stopping' });
});

describe('API Gateway’s limits on slow and oversized requests', () => {
  let limited: Gateway;
  const seen: APIGatewayProxyEventV2[] = [];

  beforeAll(async () => {
    limited = await startHttpGateway({
      port: 0,
      routes: [
        {
          method: 'POST',
          path: '/in',
          handler: () => async (event) => {
            seen.push(event);
            return { statusCode: 200, body: 'ok' };
          },
        },
      ],
      limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 },
    });
  });
  afterAll(() => limited.stop());
  beforeEach(() => {
    seen.length = 0;
  });

  test('the defaults are API Gateway’s: 10,240 bytes of request line and headers, 30 s for a request', () => {
    expect(API_GATEWAY_LIMITS).toEqual({
      maxHeaderBytes: 10_240,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
    });
  });

  test('headers that never finish are answered 408 and the connection closed; the handler never runs', async () => {
    const answer = await rawExchange(limited.url, [
      'POST /in HTTP/1.1\r\nHost: x\r\nX-Slow: ',
      { pauseMs: 3000 },
    ]);
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toEqual({
      message: 'Request Timeout: the headers must arrive within 300 ms and the whole request within 600 ms',
    });
    expect(seen).toEqual([]);
  });

  test('a body that stops half way is answered 408; the handler never sees part of it', async () => {
    const answer = await rawExchange(limited.url, [
      'POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhalf',
      { pauseMs: 3000 },
    ]);
    expect(answer.status).toBe(408);
    expect(seen).toEqual([]);
  });

  test('headers over 10,240 bytes are answered 431 naming the limit', async () => {
    const answer = await rawExchange(limited.url, [
      requestBytes({ method: 'POST', target: '/in', headers: { 'x-big': 'b'.repeat(10_300) }, body: 'x' }),
    ]);
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body).message).toMatch(/the request line and headers exceed 10240 bytes/);
  });

  test('a text body that is not UTF-8 reaches the handler base64-encoded, byte for byte', async () => {
    const bytes = Buffer.from('<x>Café</x>', 'latin1');
    const answer = await rawExchange(limited.url, [
      requestBytes({ method: 'POST', target: '/in', headers: { 'content-type': 'text/xml' }, body: bytes }),
    ]);
    expect(answer.status).toBe(200);
    expect(seen[0]).toMatchObject({ isBase64Encoded: true, body: bytes.toString('base64') });
  });
});
