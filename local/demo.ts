import { setTimeout as delay } from 'node:timers/promises';

/**
 * Provisions the demo site through the admin API exactly as an admin would: create the site and
 * its owner user, save the settings, then connect Salesforce through the OAuth redirects (the
 * sandbox approves on its own), which deploys the outbound message and the flow.
 */
export const DEMO_SITE_ID = 'demo';
export const DEMO_STAGE = 'Proposal/Price Quote';

/** The owner of synced items, and the demo site's admin in the console. */
export const DEMO_OWNER = {
  userId: 'demo-owner',
  name: 'Dana Delivery',
  email: 'dana@example.com',
  role: 'admin' as const,
};

/** What a first start saves; later starts never save settings again. */
export const DEMO_SETTINGS = {
  opportunityToQuote: { enabled: true, stage: DEMO_STAGE },
  accountToCompany: { enabled: true },
  contactToPerson: { enabled: true },
  fieldMappings: { opportunity: [], account: [], contact: [] },
  customFields: [],
  pushBack: { enabled: true },
  ownerUserId: DEMO_OWNER.userId,
};

export interface ProvisionOptions {
  /** The org the sandbox runs now: a connection to any other org is connected anew. */
  organizationId?: string;
  /** Where the org's outbound messages post now (the sandbox's Setup, as an admin would look). */
  outboundMessageUrls?: () => string[];
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

  /** The demo site's Salesforce status; undefined while the site does not exist. */
  async status(): Promise<SiteStatus | undefined> {
    const response = await this.fetch(`${this.baseUrl}/sites/${DEMO_SITE_ID}/salesforce`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    return (await ok(response, 'site status').then((r) => r.json())) as SiteStatus;
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

/** The part of `GET /sites/{siteId}/salesforce` that provisioning reads. */
interface SiteStatus {
  connection: { status: string; organizationId?: string };
  stagesError?: string;
  outboundMessageUrl?: string;
  settings: { opportunityToQuote: { enabled: boolean; stage: string | null } };
  setup: {
    outboundMessage: { deployedAt: string } | null;
    flow: { version: number } | null;
    lastAttempt: { ok: boolean; error?: string } | null;
  };
}

export interface DemoSite {
  siteId: string;
  /** What this start did, in order; empty when everything was in place. */
  done: string[];
  status: SiteStatus;
  /** The Synchronize-now run of a start that saved the settings or connected. */
  initialSync?: { status: string; counts: { found: number; created: number } };
}

/**
 * Creates what is missing and nothing else, so a restart keeps the admin's work: the site, its
 * owner user, the settings (only if none were ever saved), the connection (if the site is not
 * connected to the sandbox's org with a working token). Connecting deploys the setup for the
 * settings as they are. A Synchronize-now run follows whatever changed, so opportunities already
 * at the stage are quotes from the start.
 */
export async function provisionDemoSite(
  baseUrl: string,
  adminToken: string,
  options: ProvisionOptions = {},
): Promise<DemoSite> {
  const admin = new AdminCalls(baseUrl, adminToken, options);
  const done: string[] = [];
  const site = `/sites/${DEMO_SITE_ID}`;

  let status = await admin.status();
  if (!status) {
    await admin.call('create site', 'PUT', site, { name: 'Demo site' });
    done.push('created the site');
    status = await admin.status();
    if (!status) throw new Error('the demo site is missing right after its creation');
  }
  const { users } = await admin.json<{ users: Array<{ userId: string }> }>(
    'list users',
    'GET',
    `${site}/users`,
  );
  if (!users.some((user) => user.userId === DEMO_OWNER.userId)) {
    await admin.call('add user', 'POST', `${site}/users`, DEMO_OWNER);
    done.push(`added the user ${DEMO_OWNER.userId}`);
  }
  // The stored defaults turn Opportunity→Quote on without a stage, which no PUT accepts: such
  // settings were never saved by anyone, so they are the demo's to fill in.
  const { opportunityToQuote } = status.settings;
  if (opportunityToQuote.enabled && opportunityToQuote.stage === null) {
    await admin.call('save settings', 'PUT', `${site}/salesforce/settings`, DEMO_SETTINGS);
    done.push('saved the demo settings');
  }
  const { connection } = status;
  const connectedHere =
    connection.status === 'connected' &&
    (options.organizationId === undefined || connection.organizationId === options.organizationId) &&
    status.stagesError === undefined;
  if (!connectedHere) {
    await connect(admin, DEMO_SITE_ID);
    done.push(
      `connected Salesforce${reconnectReason(connection, status.stagesError, options.organizationId)}`,
    );
  } else if (
    status.setup.outboundMessage &&
    status.outboundMessageUrl &&
    options.outboundMessageUrls &&
    !options.outboundMessageUrls().includes(status.outboundMessageUrl)
  ) {
    // The sandbox org persists across starts, the API's URL need not (PORT=0): the outbound
    // message must post to this start's. The deploy changes only the message.
    await admin.call('deploy', 'POST', `${site}/salesforce/deploy`);
    done.push("pointed the outbound message at this start's API URL");
  }
  status = (await admin.status()) ?? status;

  // The flow fires on changes from now on; opportunities already at the stage arrive through
  // a "Synchronize now" run, so the demo starts with quotes to work on.
  let initialSync: DemoSite['initialSync'];
  if (done.length > 0 && status.connection.status === 'connected') {
    const run = await admin.json<{ runId: string }>('synchronize now', 'POST', `${site}/salesforce/sync`);
    initialSync = await waitForRun(admin, run.runId);
  }
  return { siteId: DEMO_SITE_ID, done, status, ...(initialSync ? { initialSync } : {}) };
}

function reconnectReason(
  connection: SiteStatus['connection'],
  stagesError: string | undefined,
  organizationId: string | undefined,
): string {
  if (connection.status === 'not-connected') return '';
  if (connection.status !== 'connected') return ` again (the connection was ${connection.status})`;
  if (organizationId !== undefined && connection.organizationId !== organizationId)
    return ` again (the connection was to ${connection.organizationId}, not to the sandbox's org)`;
  return ` again (the org refused the stored connection: ${stagesError})`;
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
