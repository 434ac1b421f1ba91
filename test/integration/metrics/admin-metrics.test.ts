import type { SalesforceSandbox } from '@quote-sync/salesforce-sandbox';
import { OutboundEndpoint, startTestSandbox } from '@quote-sync/salesforce-sandbox/testing';
import { loadAdminApi } from '../../support/admin-api';
import { createTable } from '../../support/aws';
import { settingsAtStage } from '../../support/site-settings';

/**
 * The admin functions' EMF metrics, read from their stdout: the sites whose flow was saved but
 * left inactive, and the API budget's figures per site (the org's used and limit, this service's
 * calls), a refused Synchronize now included.
 */
type Emf = Record<string, unknown> & { siteId?: string; service?: string };

let sandbox: SalesforceSandbox;
let endpoint: OutboundEndpoint;
let api: ReturnType<typeof loadAdminApi>;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  endpoint = await new OutboundEndpoint().start();
  api = loadAdminApi({
    tableName: await createTable(),
    sandbox,
    outboundBaseUrl: new URL(endpoint.url).origin,
    env: { POWERTOOLS_METRICS_DISABLED: 'false' },
  });
}, 30_000);

afterAll(async () => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  await endpoint.stop();
  await sandbox.stop();
});

/** Runs `work` and answers the EMF lines every invocation in it wrote. */
async function metricsOf(work: () => Promise<unknown>): Promise<Emf[]> {
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    write.mockRestore();
  }
  return written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Emf);
}

const perSite = (emf: Emf[], name: string, siteId: string) =>
  emf.filter((m) => m.siteId === siteId && name in m).map((m) => m[name]);

test('FlowSavedButInactive is 1 for a site whose flow Salesforce left inactive, and 0 once it is activated', async () => {
  sandbox.setOrg({
    kind: 'production',
    flowActivationRefusal: { statusCode: 'INSUFFICIENT_ACCESS', message: 'insufficient access rights' },
  });
  await api.request('PUT', '/sites/inactive', { body: { name: 'Inactive' } });
  await api.request('PUT', '/sites/inactive/salesforce/settings', { body: settingsAtStage() });
  const connected = await metricsOf(() => api.connect('inactive'));
  expect(perSite(connected, 'FlowSavedButInactive', 'inactive')).toEqual([1]);
  // The connect's calls: this service's count and the org's usage, per site.
  expect(perSite(connected, 'SalesforceApiCallsBySite', 'inactive').length).toBeGreaterThan(0);
  expect(perSite(connected, 'SalesforceApiLimit', 'inactive')).toContain(15_000);

  sandbox.setOrg({ flowActivationRefusal: null });
  const retried = await metricsOf(() => api.request('POST', '/sites/inactive/salesforce/deploy'));
  expect(perSite(retried, 'FlowSavedButInactive', 'inactive')).toEqual([0]);
});

test("a Synchronize now refused above the budget still reports its call and the org's used and limit", async () => {
  sandbox.setApiUsage({ used: 12_750, limit: 15_000 });
  let status = 0;
  const emf = await metricsOf(async () => {
    status = (await api.request('POST', '/sites/inactive/salesforce/sync')).statusCode ?? 0;
  });
  expect(status).toBe(409);
  expect(emf.map((m) => m.service)).toContain('quote-actions');
  expect(perSite(emf, 'SalesforceApiCallsBySite', 'inactive')).toEqual([1]);
  expect(perSite(emf, 'SalesforceApiUsed', 'inactive')).toEqual([12_751]);
  expect(perSite(emf, 'SalesforceApiLimit', 'inactive')).toEqual([15_000]);
  expect(emf.find((m) => m.service === 'quote-actions' && 'SalesforceApiCalls' in m)).toMatchObject({
    SalesforceApiCalls: 1,
  });
});
