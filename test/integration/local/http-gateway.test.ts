import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  type Gateway,
  type Readiness,
  STARTUP_KEY_HEADER,
  startHttpGateway,
} from '../../../local/http-gateway';

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
