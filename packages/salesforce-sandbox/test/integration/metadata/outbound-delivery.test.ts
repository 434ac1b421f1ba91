import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { child, childrenNamed, childText, parseXmlDocument } from '../../../src/metadata/xml';
import { FastClock, ManualClock } from '../../unit/metadata/fakes';
import {
  deployScoroAutomation,
  OutboundEndpoint,
  type SandboxUnderTest,
  startSandbox,
  waitFor,
} from './harness';

const BATCH_WINDOW_MS = 1_000;

function notifications(body: string) {
  const envelope = parseXmlDocument(body);
  const soapBody = child(envelope, 'Body');
  const root = soapBody ? child(soapBody, 'notifications') : undefined;
  if (!root) throw new Error('No notifications element');
  return { root, items: childrenNamed(root, 'Notification') };
}

describe('outbound message delivery', () => {
  const endpoint = new OutboundEndpoint();
  let clock: ManualClock;
  let sandbox: SandboxUnderTest;

  beforeAll(async () => {
    await endpoint.start();
  });
  afterAll(async () => {
    await endpoint.stop();
  });
  beforeEach(async () => {
    endpoint.received.length = 0;
    endpoint.modes.length = 0;
    endpoint.fallback = 'ack';
    clock = new ManualClock();
    sandbox = await startSandbox(clock);
  });
  afterEach(async () => {
    await sandbox.close();
  });

  /** Lets sandbox time pass and waits for the attempts it started. */
  async function advance(ms: number): Promise<void> {
    clock.advance(ms);
    await sandbox.automation.settled();
  }

  it('POSTs the documented SOAP notification when an update brings an opportunity into the criteria', async () => {
    await deployScoroAutomation(sandbox, endpoint.url);
    const opportunity = sandbox.store.insert('Opportunity', {
      Name: 'Acme',
      StageName: 'Prospecting',
      Amount: 1000,
    });
    await advance(BATCH_WINDOW_MS);
    expect(endpoint.received).toHaveLength(0);

    sandbox.store.update('Opportunity', opportunity.Id, { StageName: 'Closed Won', Description: null });
    await advance(BATCH_WINDOW_MS);

    expect(endpoint.received).toHaveLength(1);
    const [post] = endpoint.received;
    expect(post?.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(post?.headers.soapaction).toBe('""');
    const { root, items } = notifications(post?.body ?? '');
    expect(root.attributes.xmlns).toBe('http://soap.sforce.com/2005/09/outbound');
    expect(root.children.map((c) => c.local)).toEqual([
      'OrganizationId',
      'ActionId',
      'SessionId',
      'EnterpriseUrl',
      'PartnerUrl',
      'Notification',
    ]);
    expect(childText(root, 'OrganizationId')).toBe(sandbox.store.organizationId);
    expect(childText(root, 'ActionId')).toBe(sandbox.metadata.outboundMessages()[0]?.id);
    expect(child(root, 'SessionId')?.attributes['xsi:nil']).toBe('true');
    expect(childText(root, 'EnterpriseUrl')).toBe(
      `${sandbox.instanceUrl}/services/Soap/c/62.0/00D5g00000Fake1`,
    );
    expect(childText(root, 'PartnerUrl')).toBe(`${sandbox.instanceUrl}/services/Soap/u/62.0/00D5g00000Fake1`);
    const [notification] = items;
    expect(notification && childText(notification, 'Id')).toMatch(/^04l\w{15}$/);
    const sObject = notification && child(notification, 'sObject');
    expect(sObject?.attributes).toEqual({
      'xsi:type': 'sf:Opportunity',
      'xmlns:sf': 'urn:sobject.enterprise.soap.sforce.com',
    });
    expect(sObject?.children.map((c) => [c.name, c.text])).toEqual([
      ['sf:Id', opportunity.Id],
      ['sf:Amount', '1000.0'],
      ['sf:Name', 'Acme'],
      ['sf:StageName', 'Closed Won'],
    ]);
    expect(sandbox.automation.deliveries()).toEqual([
      expect.objectContaining({ status: 'delivered', attempts: 1, endpointUrl: endpoint.url }),
    ]);
    expect(sandbox.automation.sentBodies()).toEqual([
      expect.objectContaining({ status: 200, body: post?.body }),
    ]);
  });

  it('carries the record data as it is when the message is sent', async () => {
    await deployScoroAutomation(sandbox, endpoint.url);
    const opportunity = sandbox.store.insert('Opportunity', {
      Name: 'Acme',
      StageName: 'Prospecting',
      Amount: 1000,
    });
    sandbox.store.update('Opportunity', opportunity.Id, { StageName: 'Closed Won' });
    sandbox.store.update('Opportunity', opportunity.Id, { Amount: 2500.5, Name: null });
    await sandbox.automation.flush();
    const body = endpoint.received[0]?.body ?? '';
    expect(body).toContain('<sf:Amount>2500.5</sf:Amount>');
    expect(body).not.toContain('<sf:Name>');
  });

  it('puts at most 100 notifications in one POST', async () => {
    await deployScoroAutomation(sandbox, endpoint.url);
    for (let i = 0; i < 150; i++)
      sandbox.store.insert('Opportunity', { Name: `Deal ${i}`, StageName: 'Closed Won' });
    await sandbox.automation.flush();
    expect(endpoint.received.map((post) => notifications(post.body).items.length)).toEqual([100, 50]);
    const ids = endpoint.received.flatMap((post) =>
      notifications(post.body).items.map((item) => childText(item, 'Id') ?? ''),
    );
    expect(new Set(ids).size).toBe(150);
    expect(sandbox.automation.deliveries().map((d) => [d.notificationIds.length, d.status])).toEqual([
      [100, 'delivered'],
      [50, 'delivered'],
    ]);
  });

  it('retries with a doubling backoff until the endpoint answers Ack true', async () => {
    endpoint.modes.push('nack', 'http500', 'fault');
    await deployScoroAutomation(sandbox, endpoint.url);
    sandbox.store.insert('Opportunity', { Name: 'Acme', StageName: 'Closed Won' });
    await advance(BATCH_WINDOW_MS);
    const [first] = sandbox.automation.deliveries();
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first?.lastError).toMatch(/Ack/);
    expect(Date.parse(first?.nextAttemptAt ?? '') - clock.now()).toBe(15_000);

    await advance(15_000);
    expect(sandbox.automation.deliveries()[0]).toMatchObject({
      status: 'pending',
      attempts: 2,
      lastError: 'HTTP 500',
    });
    expect(Date.parse(sandbox.automation.deliveries()[0]?.nextAttemptAt ?? '') - clock.now()).toBe(30_000);
    await advance(29_999);
    expect(endpoint.received).toHaveLength(2);
    await advance(1);
    expect(sandbox.automation.deliveries()[0]).toMatchObject({ status: 'pending', attempts: 3 });
    await advance(60_000);
    expect(sandbox.automation.deliveries()[0]).toMatchObject({ status: 'delivered', attempts: 4 });
    expect(sandbox.automation.sentBodies().map((s) => s.status)).toEqual([200, 500, 500, 200]);
    const bodies = new Set(endpoint.received.map((post) => post.body));
    expect(bodies.size).toBe(1);
  });

  it('counts a connection error as a failure', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await deployScoroAutomation(sandbox, `http://127.0.0.1:${port}/gone`);
    sandbox.store.insert('Opportunity', { Name: 'Acme', StageName: 'Closed Won' });
    await sandbox.automation.flush();
    expect(sandbox.automation.sentBodies().map((s) => s.status)).toEqual(['error']);
    expect(sandbox.automation.deliveries()[0]).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('backs off up to two hours apart and drops the message after 24 hours', async () => {
    endpoint.fallback = 'http500';
    await deployScoroAutomation(sandbox, endpoint.url);
    sandbox.store.insert('Opportunity', { Name: 'Acme', StageName: 'Closed Won' });
    const queuedAt = clock.now();
    await advance(BATCH_WINDOW_MS);
    for (;;) {
      const [delivery] = sandbox.automation.deliveries();
      if (delivery?.status !== 'pending' || !delivery.nextAttemptAt) break;
      await advance(Date.parse(delivery.nextAttemptAt) - clock.now());
    }
    const [delivery] = sandbox.automation.deliveries();
    expect(delivery?.status).toBe('expired');
    const times = sandbox.automation.sentBodies().map((s) => Date.parse(s.at));
    const intervals = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    const expected = intervals.map((_, i) => Math.min(15_000 * 2 ** i, 2 * 60 * 60 * 1000));
    expect(intervals).toEqual(expected);
    expect((times[times.length - 1] ?? 0) - queuedAt).toBeLessThan(24 * 60 * 60 * 1000);
    expect(clock.now() - queuedAt).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000);
    expect(delivery?.attempts).toBe(times.length);
    const postsAtExpiry = endpoint.received.length;
    await advance(6 * 60 * 60 * 1000);
    expect(endpoint.received).toHaveLength(postsAtExpiry);
  });

  it('honours delivery fault rules: dropped, duplicated and reordered messages', async () => {
    await deployScoroAutomation(sandbox, endpoint.url);
    sandbox.faults.push('drop');
    const lost = sandbox.store.insert('Opportunity', { Name: 'Lost', StageName: 'Closed Won' });
    await advance(BATCH_WINDOW_MS);
    expect(endpoint.received).toHaveLength(0);
    expect(sandbox.automation.deliveries()[0]).toMatchObject({ status: 'delivered' });

    sandbox.faults.push('duplicate');
    sandbox.store.insert('Opportunity', { Name: 'Twice', StageName: 'Closed Won' });
    await advance(BATCH_WINDOW_MS);
    expect(endpoint.received).toHaveLength(2);
    expect(endpoint.received[0]?.body).toBe(endpoint.received[1]?.body);

    endpoint.received.length = 0;
    sandbox.faults.push('reorder');
    const early = sandbox.store.insert('Opportunity', { Name: 'Early', StageName: 'Closed Won' });
    await advance(BATCH_WINDOW_MS);
    expect(endpoint.received).toHaveLength(0);
    const late = sandbox.store.insert('Opportunity', { Name: 'Late', StageName: 'Closed Won' });
    await advance(BATCH_WINDOW_MS);
    expect(
      endpoint.received.map((post) =>
        post.body.includes(late.Id) ? 'late' : post.body.includes(early.Id) ? 'early' : '?',
      ),
    ).toEqual(['late', 'early']);
    expect(sandbox.automation.deliveries().every((d) => d.status === 'delivered')).toBe(true);
    expect(endpoint.received.some((post) => post.body.includes(lost.Id))).toBe(false);
  });

  const nameIn = (body: string) => /<sf:Name>([^<]*)<\/sf:Name>/.exec(body)?.[1];

  it('a reordered message arrives after a newer one with the older data of its time', async () => {
    await deployScoroAutomation(sandbox, endpoint.url);
    const opportunity = sandbox.store.insert('Opportunity', { Name: 'First', StageName: 'Prospecting' });
    sandbox.faults.push('reorder');
    sandbox.store.update('Opportunity', opportunity.Id, { StageName: 'Closed Won' });
    await advance(BATCH_WINDOW_MS);
    expect(endpoint.received).toHaveLength(0);
    sandbox.store.update('Opportunity', opportunity.Id, { StageName: 'Prospecting' });
    sandbox.store.update('Opportunity', opportunity.Id, { StageName: 'Closed Won', Name: 'Second' });
    await advance(BATCH_WINDOW_MS);
    expect(endpoint.received.map((post) => nameIn(post.body))).toEqual(['Second', 'First']);
    expect(sandbox.automation.deliveries().every((d) => d.status === 'delivered')).toBe(true);
  });

  it('faults combine: a duplicated message that is also reordered arrives twice, late', async () => {
    await deployScoroAutomation(sandbox, endpoint.url);
    sandbox.faults.push(['duplicate', 'reorder']);
    sandbox.store.insert('Opportunity', { Name: 'Held twice', StageName: 'Closed Won' });
    await advance(BATCH_WINDOW_MS);
    expect(endpoint.received).toHaveLength(0);
    sandbox.store.insert('Opportunity', { Name: 'On time', StageName: 'Closed Won' });
    await advance(BATCH_WINDOW_MS);
    expect(endpoint.received.map((post) => nameIn(post.body))).toEqual([
      'On time',
      'Held twice',
      'Held twice',
    ]);
  });

  it('an unreachable endpoint is retried with the backoff, and the message dropped after 24 hours', async () => {
    await deployScoroAutomation(sandbox, endpoint.url);
    sandbox.faults.push(...Array.from({ length: 40 }, () => 'unreachable' as const));
    sandbox.store.insert('Opportunity', { Name: 'Never there', StageName: 'Closed Won' });
    await advance(BATCH_WINDOW_MS);
    for (let hour = 0; hour < 26; hour++) await advance(60 * 60 * 1000);
    const [delivery] = sandbox.automation.deliveries();
    expect(delivery).toMatchObject({ status: 'expired', lastError: 'The endpoint could not be reached' });
    expect(delivery?.attempts).toBeGreaterThan(10);
    expect(endpoint.received).toHaveLength(0);
  });
});

describe('outbound message expiry on a sped-up clock', () => {
  it('gives up after 24 sandbox hours of failed attempts', async () => {
    const endpoint = await new OutboundEndpoint().start();
    endpoint.fallback = 'nack';
    const clock = new FastClock(1);
    const sandbox = await startSandbox(clock);
    try {
      await deployScoroAutomation(sandbox, endpoint.url);
      sandbox.store.insert('Opportunity', { Name: 'Acme', StageName: 'Closed Won' });
      // 24 sandbox hours in well under a second of wall time per 15 000x.
      clock.setScale(60_000);
      await waitFor(() => sandbox.automation.deliveries()[0]?.status === 'expired', 20_000);
      const [delivery] = sandbox.automation.deliveries();
      // How many attempts fit depends on wall-clock HTTP time at this scale; the exact schedule is tested above.
      expect(delivery?.attempts).toBeGreaterThan(1);
      expect(sandbox.automation.sentBodies()).toHaveLength(delivery?.attempts ?? -1);
      expect(
        Date.parse(sandbox.automation.sentBodies().at(-1)?.at ?? '') -
          Date.parse(delivery?.firstQueuedAt ?? ''),
      ).toBeLessThan(24 * 60 * 60 * 1000);
    } finally {
      await sandbox.close();
      await endpoint.stop();
    }
  });
});
