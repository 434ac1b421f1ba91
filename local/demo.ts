/**
 * Provisions the demo site through the admin API exactly as an admin would: create the site and
 * its owner user, connect Salesforce through the OAuth redirects (the sandbox approves on its
 * own), then save the settings, which deploys the outbound message and the flow.
 */
export const DEMO_SITE_ID = 'demo';
export const DEMO_STAGE = 'Proposal/Price Quote';

async function call(baseUrl: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    redirect: 'manual',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return response;
}

async function ok(response: Response, what: string) {
  if (response.status >= 400) throw new Error(`${what} failed: ${response.status} ${await response.text()}`);
  return response;
}

/** Follows the browser's part of the OAuth web-server flow: connect → authorize → callback. */
async function connect(baseUrl: string, token: string, siteId: string) {
  let response = await ok(
    await call(baseUrl, token, 'GET', `/sites/${siteId}/salesforce/connect`),
    'connect',
  );
  for (let hop = 0; hop < 5 && response.status >= 300 && response.status < 400; hop++) {
    const location = response.headers.get('location');
    if (!location) break;
    response = await fetch(location, { redirect: 'manual' });
  }
  return (await ok(response, 'OAuth callback').then((r) => r.json())) as { organizationId: string };
}

export async function provisionDemoSite(baseUrl: string, adminToken: string) {
  await ok(
    await call(baseUrl, adminToken, 'PUT', `/sites/${DEMO_SITE_ID}`, { name: 'Demo site' }),
    'create site',
  );
  await ok(
    await call(baseUrl, adminToken, 'POST', `/sites/${DEMO_SITE_ID}/users`, {
      userId: 'demo-owner',
      name: 'Dana Delivery',
      email: 'dana@example.com',
    }),
    'add user',
  );
  const { organizationId } = await connect(baseUrl, adminToken, DEMO_SITE_ID);
  const saved = await ok(
    await call(baseUrl, adminToken, 'PUT', `/sites/${DEMO_SITE_ID}/salesforce/settings`, {
      opportunityToQuote: { enabled: true, stage: DEMO_STAGE },
      accountToCompany: { enabled: true },
      contactToPerson: { enabled: true },
      fieldMappings: { opportunity: [], account: [], contact: [] },
      customFields: [],
      pushBack: { enabled: true },
      ownerUserId: 'demo-owner',
    }),
    'save settings',
  );
  const { setup } = (await saved.json()) as {
    setup: { flow?: { version: number }; lastAttempt?: { ok: boolean; error?: string } };
  };
  // The flow fires on changes from now on; opportunities already at the stage arrive through
  // a "Synchronize now" run, so the demo starts with quotes to work on.
  const run = (await ok(
    await call(baseUrl, adminToken, 'POST', `/sites/${DEMO_SITE_ID}/salesforce/sync`),
    'synchronize now',
  ).then((r) => r.json())) as { runId: string };
  const synced = await waitForRun(baseUrl, adminToken, run.runId);
  return {
    siteId: DEMO_SITE_ID,
    organizationId,
    flowVersion: setup.flow?.version,
    lastAttempt: setup.lastAttempt,
    initialSync: synced,
  };
}

/** Polls a run until it is over (or 30 s have passed: the stack is usable either way). */
async function waitForRun(baseUrl: string, token: string, runId: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const run = (await ok(
      await call(baseUrl, token, 'GET', `/sites/${DEMO_SITE_ID}/salesforce/sync/${runId}`),
      'run status',
    ).then((r) => r.json())) as { status: string; counts: { found: number; created: number } };
    if (run.status !== 'running' || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
