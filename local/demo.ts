import { setTimeout as delay } from 'node:timers/promises';

/**
 * Provisions the demo site through the admin API exactly as an admin would: create the site and
 * its owner user, connect Salesforce through the OAuth redirects (the sandbox approves on its
 * own), then save the settings, which deploys the outbound message and the flow.
 */
export const DEMO_SITE_ID = 'demo';
export const DEMO_STAGE = 'Proposal/Price Quote';

export interface ProvisionOptions {
  /** A stop during start-up aborts the calls in progress. */
  signal?: AbortSignal;
  /** Sent with every call to the admin API (not to Salesforce): the start-up's pass. */
  headers?: Record<string, string>;
}

/** The admin API as the demo's admin calls it. */
class AdminCalls {
  private readonly origin: string;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly options: ProvisionOptions,
  ) {
    this.origin = new URL(baseUrl).origin;
  }

  fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const ours = new URL(url).origin === this.origin;
    return fetch(url, {
      redirect: 'manual',
      ...init,
      headers: { ...(init.headers as Record<string, string>), ...(ours ? this.options.headers : {}) },
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    });
  }

  async call(what: string, method: string, path: string, body?: unknown): Promise<Response> {
    const response = await this.fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return ok(response, what);
  }

  async json<T>(what: string, method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.call(what, method, path, body)).json()) as T;
  }

  /** Waits without outliving a stop (an abort rejects). */
  pause(ms: number): Promise<void> {
    return delay(ms, undefined, this.options.signal ? { signal: this.options.signal } : {});
  }
}

async function ok(response: Response, what: string) {
  if (response.status >= 400) throw new Error(`${what} failed: ${response.status} ${await response.text()}`);
  return response;
}

/** Follows the browser's part of the OAuth web-server flow: connect → authorize → callback. */
async function connect(admin: AdminCalls, siteId: string) {
  let response = await admin.call('connect', 'GET', `/sites/${siteId}/salesforce/connect`);
  for (let hop = 0; hop < 5 && response.status >= 300 && response.status < 400; hop++) {
    const location = response.headers.get('location');
    if (!location) break;
    response = await admin.fetch(location);
  }
  return (await ok(response, 'OAuth callback').then((r) => r.json())) as { organizationId: string };
}

export async function provisionDemoSite(baseUrl: string, adminToken: string, options: ProvisionOptions = {}) {
  const admin = new AdminCalls(baseUrl, adminToken, options);
  await admin.call('create site', 'PUT', `/sites/${DEMO_SITE_ID}`, { name: 'Demo site' });
  await admin.call('add user', 'POST', `/sites/${DEMO_SITE_ID}/users`, {
    userId: 'demo-owner',
    name: 'Dana Delivery',
    email: 'dana@example.com',
  });
  const { organizationId } = await connect(admin, DEMO_SITE_ID);
  const { setup } = await admin.json<{
    setup: { flow?: { version: number }; lastAttempt?: { ok: boolean; error?: string } };
  }>('save settings', 'PUT', `/sites/${DEMO_SITE_ID}/salesforce/settings`, {
    opportunityToQuote: { enabled: true, stage: DEMO_STAGE },
    accountToCompany: { enabled: true },
    contactToPerson: { enabled: true },
    fieldMappings: { opportunity: [], account: [], contact: [] },
    customFields: [],
    pushBack: { enabled: true },
    ownerUserId: 'demo-owner',
  });
  // The flow fires on changes from now on; opportunities already at the stage arrive through
  // a "Synchronize now" run, so the demo starts with quotes to work on.
  const run = await admin.json<{ runId: string }>(
    'synchronize now',
    'POST',
    `/sites/${DEMO_SITE_ID}/salesforce/sync`,
  );
  const synced = await waitForRun(admin, run.runId);
  return {
    siteId: DEMO_SITE_ID,
    organizationId,
    flowVersion: setup.flow?.version,
    lastAttempt: setup.lastAttempt,
    initialSync: synced,
  };
}

/** Polls a run until it is over (or 30 s have passed: the stack is usable either way). */
async function waitForRun(admin: AdminCalls, runId: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const run = await admin.json<{ status: string; counts: { found: number; created: number } }>(
      'run status',
      'GET',
      `/sites/${DEMO_SITE_ID}/salesforce/sync/${runId}`,
    );
    if (run.status !== 'running' || Date.now() > deadline) return run;
    await admin.pause(200);
  }
}
