import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { ApiUsage, type RequestKind } from './api-usage';
import { createAutomation } from './automation/index';
import { ScaledClock } from './clock';
import type {
  Automation,
  DeliveryFaults,
  MetadataService,
  OutboundDelivery,
  SandboxAuth,
  SandboxClock,
  SandboxStore,
  SObjectRecord,
} from './contracts';
import { handleControlPlane } from './control-plane';
import { notFound, SalesforceApiError, sessionInvalid } from './errors';
import { Faults, type faultsInput } from './faults';
import { BodyTooLargeError, bodyTooLarge, header, json, readBody, type SandboxResponse } from './http';
import { IdGenerator } from './ids';
import { createMetadataService } from './metadata/index';
import { AuthService } from './oauth/auth-service';
import { handleIdentity, handleOAuth } from './oauth/routes';
import {
  acceptsLoginHost,
  changeOrgSettings,
  defaultOrgSettings,
  type OrgSettings,
  orgSettingsInput,
} from './org-settings';
import { OrgPersistence, type PersistedOrg } from './persistence';
import { addOpportunityProducts, type ProductLineInput, STANDARD_PRICE_BOOK_NAME } from './products';
import type { RestContext } from './rest/context';
import { QueryCursors } from './rest/query';
import { classify, dispatchRest, isSupportedVersion, versionsBody } from './rest/router';
import { applySeed, demoSeed, type SeedInput, type SeedResult } from './seed';
import { MemoryStore } from './store';

export type MetadataFactory = (deps: {
  store: SandboxStore;
  auth: SandboxAuth;
  org: () => OrgSettings;
}) => MetadataService;
export type AutomationFactory = (deps: {
  store: SandboxStore;
  metadata: MetadataService;
  clock: SandboxClock;
  faults: DeliveryFaults;
  instanceUrl: () => string;
}) => Automation;

export interface SalesforceSandboxOptions {
  /** 0 picks a free port; default SANDBOX_PORT or 3001. */
  port?: number;
  /** Load the demo org (accounts, contacts, opportunities). Default true. */
  demoData?: boolean;
  /** Extra data and custom fields, applied after the demo data. */
  seed?: SeedInput;
  /** Access-token lifetime in sandbox seconds (Salesforce's default session timeout is 2 hours). */
  accessTokenTtlSeconds?: number;
  /** Issue a new refresh token on every refresh and invalidate the old one. Default false. */
  rotateRefreshTokens?: boolean;
  /** Sandbox seconds per real second. Default 1. */
  timeScale?: number;
  /** The org's daily API request limit (Developer Edition: 15,000). */
  apiDailyLimit?: number;
  clientId?: string;
  clientSecret?: string;
  /** Allowed OAuth redirect URIs; empty allows any loopback URL. */
  callbackUrls?: string[];
  username?: string;
  password?: string;
  /** What kind of org this is (production, sandbox, Developer Edition) and its org-wide settings. */
  org?: z.input<typeof orgSettingsInput>;
  /** Metadata API; `false` leaves /services/Soap/m unanswered. Defaults to ./metadata. */
  metadata?: MetadataFactory | false;
  /** Flows and outbound messages; `false` disables them. Defaults to ./automation. */
  automation?: AutomationFactory | false;
  /**
   * A folder where the org persists (persistence.ts): a start with a folder that holds an org
   * continues that org (its data, metadata, sessions, settings, API usage and id sequence), and
   * `demoData`, `seed`, `org` and `apiDailyLimit` then apply only to a new one. Undefined keeps
   * the org in memory only.
   */
  dataDir?: string;
}

export interface SalesforceSandbox {
  url: string;
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  organizationId: string;
  adminUserId: string;
  store: MemoryStore;
  clock: ScaledClock;
  auth: AuthService;
  faults: Faults;
  metadata: MetadataService | undefined;
  automation: Automation | undefined;
  seed(input: SeedInput): SeedResult;
  /**
   * Puts products on an opportunity as a person does: each product with its standard price, then
   * the opportunity's line through that entry (the org's rules apply). Returns the lines.
   */
  addProducts(opportunityId: string, products: readonly ProductLineInput[]): SObjectRecord[];
  /** Back to the initial org: data, custom fields, counters, faults, metadata, its kind (sessions survive). */
  reset(options?: { demo?: boolean }): void;
  apiCalls(): { used: number; limit: number; byKind: Record<string, number> };
  resetApiCalls(): void;
  setApiUsage(input: { used?: number; limit?: number }): void;
  /** The org's kind and settings (see org-settings.ts). */
  org(): OrgSettings;
  setOrg(input: z.input<typeof orgSettingsInput>): OrgSettings;
  /**
   * SALESFORCE_LOGIN_ENDPOINTS for a client of this sandbox: the login hosts it stands in for,
   * each under /_login/{host} (`{host}` for a My Domain).
   */
  loginEndpoints(): { production: string; sandbox: string; 'my-domain': string };
  addFaults(input: z.input<typeof faultsInput>): { rules: number[]; delivery: number[] };
  clearFaults(): void;
  expireAccessTokens(): void;
  setTimeScale(scale: number): void;
  advanceTime(sandboxMs: number): void;
  /** Where the org persists, and whether this start continued a saved one; undefined in memory. */
  persistence:
    | { file: string; restored: boolean; records: number; setAside?: { file: string; reason: string } }
    | undefined;
  outbound():
    | { deliveries: readonly OutboundDelivery[]; sentBodies: ReturnType<Automation['sentBodies']> }
    | undefined;
  flushOutbound(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULTS = {
  clientId: '3MVG9sandboxQuoteSync.LocalConnectedApp.ConsumerKey0000000000000000000000000000000000',
  clientSecret: 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90',
  username: 'admin@quote-sync.sandbox',
  password: 'sandbox-password-1',
};

export async function startSalesforceSandbox(
  options: SalesforceSandboxOptions = {},
): Promise<SalesforceSandbox> {
  const port = options.port ?? Number(process.env.SANDBOX_PORT ?? 3001);
  const persistence = options.dataDir === undefined ? undefined : OrgPersistence.open(options.dataDir);
  const saved = persistence?.saved;
  const clock = new ScaledClock({
    scale: options.timeScale ?? 1,
    // A restored org's clock never goes back, so neither does any SystemModstamp it writes.
    ...(saved ? { start: Math.max(Date.now(), saved.clock.now) } : {}),
  });
  const ids = new IdGenerator();
  if (persistence) {
    ids.resume(persistence.issuedIds());
    ids.reserveWith(persistence.reserveIds);
  }
  const organizationId = saved?.organizationId ?? ids.next('00D');
  const adminUserId = saved?.adminUserId ?? ids.next('005');
  const store = new MemoryStore({ now: () => clock.now(), organizationId, ids });
  let baseUrl = '';
  const username = options.username ?? DEFAULTS.username;
  const password = options.password ?? DEFAULTS.password;
  const auth = new AuthService({
    clock,
    organizationId,
    app: {
      clientId: options.clientId ?? DEFAULTS.clientId,
      clientSecret: options.clientSecret ?? DEFAULTS.clientSecret,
      callbackUrls: options.callbackUrls ?? [],
    },
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 7200,
    rotateRefreshTokens: options.rotateRefreshTokens ?? false,
    baseUrl: () => baseUrl,
  });
  auth.addUser({ userId: adminUserId, username, password });
  const usage = new ApiUsage(clock, options.apiDailyLimit ?? 15_000);
  const faults = new Faults(clock);
  const cursors = new QueryCursors();
  let org = saved?.org ?? changeOrgSettings(defaultOrgSettings(), orgSettingsInput.parse(options.org ?? {}));

  const bootstrap = (demo: boolean): void => {
    const system = { userId: adminUserId, system: true };
    store.create(
      'Organization',
      {
        Id: organizationId,
        Name: 'Quote Sync Sandbox',
        OrganizationType: org.edition,
        InstanceName: 'LOCAL',
        IsSandbox: org.kind === 'sandbox',
        DefaultLocaleSidKey: 'en_US',
        TimeZoneSidKey: 'GMT',
        LanguageLocaleKey: 'en_US',
      },
      system,
    );
    store.create(
      'User',
      {
        Id: adminUserId,
        Username: username,
        Email: username,
        FirstName: 'Sandbox',
        LastName: 'Admin',
        Alias: 'sadmin',
        Title: 'System Administrator',
        IsActive: true,
        TimeZoneSidKey: 'GMT',
        LanguageLocaleKey: 'en_US',
        LocaleSidKey: 'en_US',
      },
      system,
    );
    // Every org has its standard price book; its entries are the products' standard prices.
    store.create('Pricebook2', { Name: STANDARD_PRICE_BOOK_NAME, IsActive: true, IsStandard: true }, system);
    if (demo) applySeed(store, demoSeed(), adminUserId);
    if (options.seed) applySeed(store, options.seed, adminUserId);
  };
  if (!saved) bootstrap(options.demoData ?? true);

  const metadataFactory = options.metadata === undefined ? createMetadataService : options.metadata;
  const metadata = metadataFactory ? metadataFactory({ store, auth, org: () => org }) : undefined;
  const automationFactory = options.automation === undefined ? createAutomation : options.automation;
  const automation =
    automationFactory && metadata
      ? automationFactory({ store, metadata, clock, faults, instanceUrl: () => baseUrl })
      : undefined;
  const persisted: PersistedOrg = {
    organizationId,
    adminUserId,
    clock,
    ids,
    store,
    auth,
    usage,
    org: () => org,
    metadata,
    automation,
  };
  persistence?.restore(persisted);
  /** Every change of the org (any request, any control) is saved within a second. */
  const changed = (): void => persistence?.changed();
  // Only a persisted org listens: each listener gets its own copy of every change.
  if (persistence) store.onChange(changed);

  const sandbox: SalesforceSandbox = {
    url: '',
    loginUrl: '',
    clientId: auth.app.clientId,
    clientSecret: auth.app.clientSecret,
    username,
    password,
    organizationId,
    adminUserId,
    store,
    clock,
    auth,
    faults,
    metadata,
    automation,
    seed: (input) => applySeed(store, input, adminUserId),
    addProducts: (opportunityId, products) =>
      store.transaction(() => addOpportunityProducts(store, adminUserId, opportunityId, products)),
    reset: (resetOptions = {}) => {
      changed();
      store.clear();
      store.schema.removeCustomFields();
      cursors.clear();
      usage.reset();
      faults.clear();
      org = changeOrgSettings(defaultOrgSettings(), orgSettingsInput.parse(options.org ?? {}));
      if (metadata && 'reset' in metadata && typeof metadata.reset === 'function') metadata.reset();
      bootstrap(resetOptions.demo ?? options.demoData ?? true);
    },
    org: () => org,
    setOrg: (input) => {
      org = changeOrgSettings(org, orgSettingsInput.parse(input));
      changed();
      // The Organization record says what the org is, as Salesforce's does.
      store.update(
        'Organization',
        organizationId,
        { OrganizationType: org.edition, IsSandbox: org.kind === 'sandbox' },
        { userId: adminUserId, system: true },
      );
      return org;
    },
    loginEndpoints: () => ({
      production: `${baseUrl}/_login/login.salesforce.com`,
      sandbox: `${baseUrl}/_login/test.salesforce.com`,
      'my-domain': `${baseUrl}/_login/{host}`,
    }),
    apiCalls: () => usage.snapshot(),
    resetApiCalls: () => usage.reset(),
    setApiUsage: ({ used, limit }) => {
      changed();
      if (limit !== undefined) usage.dailyLimit = limit;
      if (used !== undefined) usage.setUsed(used);
    },
    addFaults: (input) => faults.add(input),
    clearFaults: () => faults.clear(),
    expireAccessTokens: () => auth.expireAccessTokens(),
    setTimeScale: (scale) => clock.setScale(scale),
    advanceTime: (ms) => {
      clock.advance(ms);
      changed();
    },
    outbound: () =>
      automation ? { deliveries: automation.deliveries(), sentBodies: automation.sentBodies() } : undefined,
    flushOutbound: async () => {
      await automation?.flush();
    },
    persistence: persistence
      ? {
          file: persistence.file,
          restored: saved !== undefined,
          records: Object.values(saved?.store.records ?? {}).reduce((sum, rows) => sum + rows.length, 0),
          ...(persistence.setAside ? { setAside: persistence.setAside } : {}),
        }
      : undefined,
    stop: async () => undefined,
  };

  const handler = createHandler({
    sandbox,
    auth,
    usage,
    faults,
    cursors,
    metadata,
    baseUrl: () => baseUrl,
    changed,
  });
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      console.error('sandbox: request failed', error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json;charset=UTF-8' });
      res.end(JSON.stringify([{ message: 'An unexpected error occurred.', errorCode: 'UNKNOWN_EXCEPTION' }]));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${address.port}`;
  sandbox.url = baseUrl;
  sandbox.loginUrl = baseUrl;
  persistence?.resumeDeliveries(persisted);
  persistence?.attach(persisted);
  sandbox.stop = async () => {
    automation?.stop();
    clock.stop();
    // What was not delivered stays pending in the saved org (stop only cancelled its timers).
    persistence?.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  return sandbox;
}

interface HandlerDeps {
  sandbox: SalesforceSandbox;
  auth: AuthService;
  usage: ApiUsage;
  faults: Faults;
  cursors: QueryCursors;
  metadata: MetadataService | undefined;
  baseUrl: () => string;
  /** Called after every request: any of them may change the org (records, sessions, usage). */
  changed: () => void;
}

function createHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { sandbox, auth, usage, faults, cursors, metadata } = deps;
  return async (req, res) => {
    try {
      await handle(req, res);
    } finally {
      deps.changed();
    }
  };
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', deps.baseUrl());
    const path = url.pathname;
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      res.setHeader('Connection', 'close');
      return send(res, bodyTooLarge(error));
    }
    const contentType = header(req.headers, 'content-type') ?? '';

    if (path === '/_sandbox' || path.startsWith('/_sandbox/')) {
      let body: unknown;
      try {
        body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        return send(res, json(400, { error: 'the body must be JSON' }));
      }
      return send(res, await handleControlPlane(sandbox, method, path, body));
    }

    const dataMatch = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
    const kind: RequestKind = dataMatch
      ? classify(method, (dataMatch[2] ?? '').replace(/\/$/, '') || '')
      : path.startsWith('/services/oauth2/')
        ? 'oauth'
        : path.startsWith('/id/')
          ? 'identity'
          : path.startsWith('/services/Soap/m/')
            ? 'metadata'
            : path.startsWith('/services/data')
              ? 'versions'
              : 'other';

    const limitHeader = (): Record<string, string> =>
      dataMatch ? { 'Sforce-Limit-Info': usage.header() } : {};
    for (const rule of faults.takeRequestFaults({ method, path: `${path}${url.search}`, kind })) {
      if (rule.action === 'latency') {
        await new Promise((resolve) => setTimeout(resolve, rule.latencyMs ?? 1000));
      } else if (rule.action === 'expireTokens') {
        auth.expireAccessTokens();
      } else {
        return send(res, faultResponse(rule.action, rule.status, limitHeader()));
      }
    }

    // The login hosts this org answers for (login.salesforce.com, test.salesforce.com, its My
    // Domain) live under /_login/{host}; the instance itself answers at /services/oauth2.
    const login = /^\/_login\/([a-z0-9.-]+)(\/services\/oauth2\/.*)$/.exec(path);
    const oauthPath = login?.[2] ?? (path.startsWith('/services/oauth2/') ? path : undefined);
    if (oauthPath) {
      usage.record('oauth');
      const host = login?.[1];
      if (host && !acceptsLoginHost(sandbox.org(), host)) return send(res, wrongLoginHost(host, oauthPath));
      const form = new URLSearchParams(
        contentType.includes('application/x-www-form-urlencoded') ? raw.toString('utf8') : '',
      );
      return send(
        res,
        handleOAuth(auth, sandbox.store, sandbox.org(), {
          method,
          path: oauthPath.replace(/\/$/, ''),
          query: url.searchParams,
          form,
          bearer: bearerOf(req),
        }),
      );
    }

    const identity = /^\/id\/([a-zA-Z0-9]{15,18})\/([a-zA-Z0-9]{15,18})\/?$/.exec(path);
    if (identity?.[1] && identity[2]) {
      usage.record('identity');
      const token = bearerOf(req) ?? url.searchParams.get('oauth_token') ?? undefined;
      return send(res, handleIdentity(auth, sandbox.store, deps.baseUrl(), identity[1], identity[2], token));
    }

    const soap = /^\/services\/Soap\/m\/(\d+\.\d)(\/.*)?$/.exec(path);
    if (soap?.[1] && method === 'POST' && metadata) {
      try {
        usage.record('metadata');
      } catch (error) {
        if (error instanceof SalesforceApiError) return send(res, errorResponse(error, {}));
        throw error;
      }
      if (!sandbox.org().apiEnabled || !sandbox.org().metadataApiEnabled)
        return send(res, apiDisabledFault());
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
      );
      const result = await metadata.handle({ version: soap[1], body: raw.toString('utf8'), headers });
      return send(res, result);
    }

    if (/^\/services\/data\/?$/.test(path)) {
      usage.record('versions');
      return send(res, json(200, versionsBody()));
    }

    if (!dataMatch?.[1]) {
      return send(res, errorResponse(notFound(), {}));
    }
    const apiVersion = dataMatch[1];
    const restPath = dataMatch[2] ?? '';
    try {
      if (!isSupportedVersion(apiVersion)) throw notFound();
      const session = bearerToken(req, auth);
      usage.record(kind);
      // An edition without API access answers every call so (Essentials, Professional without the add-on).
      if (!sandbox.org().apiEnabled) {
        throw new SalesforceApiError(
          403,
          'API_DISABLED_FOR_ORG',
          'The REST API is not enabled for this Organization.',
        );
      }
      if (restPath.replace(/\/$/, '') === '/limits') {
        return send(res, json(200, limitsBody(usage), limitHeader()));
      }
      let body: unknown;
      if (raw.length > 0 && method !== 'GET' && method !== 'DELETE') {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'Unexpected character in the request body');
        }
      }
      const ctx: RestContext = {
        store: sandbox.store,
        clock: sandbox.clock,
        cursors,
        apiVersion,
        userId: session,
        instanceUrl: deps.baseUrl(),
      };
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]),
      );
      if (restPath === '/tooling' || restPath.startsWith('/tooling/')) {
        if (!metadata) throw notFound();
        const tooling = metadata.tooling({
          method,
          path: restPath.slice('/tooling'.length),
          query: url.searchParams,
          body,
          apiVersion,
        });
        return send(res, { ...tooling, headers: { ...tooling.headers, ...limitHeader() } });
      }
      const result = dispatchRest(ctx, { method, path: restPath, query: url.searchParams, headers, body });
      return send(res, { ...result, headers: { ...result.headers, ...limitHeader() } });
    } catch (error) {
      if (error instanceof SalesforceApiError) return send(res, errorResponse(error, limitHeader()));
      throw error;
    }
  }
}

function bearerOf(req: IncomingMessage): string | undefined {
  const value = header(req.headers, 'authorization');
  const m = value ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(value) : null;
  return m?.[1]?.trim();
}

function bearerToken(req: IncomingMessage, auth: AuthService): string {
  const token = bearerOf(req);
  const session = token ? auth.validateAccessToken(token) : undefined;
  if (!session) throw sessionInvalid();
  return session.userId;
}

/**
 * A login host that does not sign this org's users in (a sandbox user at login.salesforce.com,
 * a production user at test.salesforce.com, another org's My Domain): the login page says the
 * credentials are wrong and nothing is redirected; the token endpoint refuses the grant.
 */
function wrongLoginHost(host: string, oauthPath: string): SandboxResponse {
  if (!oauthPath.startsWith('/services/oauth2/authorize')) {
    return json(400, { error: 'invalid_grant', error_description: 'authentication failure' });
  }
  return {
    status: 200,
    headers: { 'Content-Type': 'text/html;charset=UTF-8' },
    body: `<!DOCTYPE html><html><head><title>Login | Salesforce</title></head><body><div id="error">Please check your username and password. If you still can't log in, contact your Salesforce administrator.</div><p>${host}</p></body></html>`,
  };
}

function apiDisabledFault(): SandboxResponse {
  return {
    status: 500,
    headers: { 'Content-Type': 'text/xml; charset=utf-8' },
    body:
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><soapenv:Fault>' +
      '<faultcode>sf:API_DISABLED_FOR_ORG</faultcode><faultstring>API_DISABLED_FOR_ORG: API is not enabled for this Organization or Partner</faultstring>' +
      '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
  };
}

function errorResponse(error: SalesforceApiError, headers: Record<string, string>): SandboxResponse {
  return json(error.status, error.toBody(), headers);
}

function faultResponse(
  action: string,
  status: number | undefined,
  headers: Record<string, string>,
): SandboxResponse {
  switch (action) {
    case 'requestLimitExceeded':
      return json(
        403,
        [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
        headers,
      );
    case 'unableToLockRow':
      return json(
        400,
        [
          {
            message: 'unable to obtain exclusive access to this record or 1 records',
            errorCode: 'UNABLE_TO_LOCK_ROW',
            fields: [],
          },
        ],
        headers,
      );
    default: {
      const code = status ?? 500;
      return code === 503
        ? json(503, [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }], headers)
        : json(
            code,
            [
              {
                message:
                  'An unexpected error occurred. Please include this ErrorId if you contact support: 1-2-3 (-1)',
                errorCode: 'UNKNOWN_EXCEPTION',
              },
            ],
            headers,
          );
    }
  }
}

/** GET /limits: the daily API allocation and a few others, as Salesforce reports them. */
function limitsBody(usage: ApiUsage): unknown {
  const used = usage.usedToday;
  return {
    DailyApiRequests: { Max: usage.dailyLimit, Remaining: Math.max(0, usage.dailyLimit - used) },
    DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
    DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
    DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
    DailyWorkflowEmails: { Max: 405, Remaining: 405 },
    DataStorageMB: { Max: 5, Remaining: 5 },
    FileStorageMB: { Max: 20, Remaining: 20 },
    SingleEmail: { Max: 15, Remaining: 15 },
  };
}

function send(res: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string | number> = { ...response.headers };
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  if (response.status !== 204) headers['Content-Length'] = body.length;
  res.writeHead(response.status, headers);
  res.end(response.status === 204 ? undefined : body);
}
