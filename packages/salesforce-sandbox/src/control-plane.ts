import { z } from 'zod';
import { json, type SandboxResponse } from './http';
import { orgSettingsInput } from './org-settings';
import type { SalesforceSandbox } from './server';

const resetInput = z.strictObject({ demo: z.boolean().optional() }).default({});
const scaleInput = z.strictObject({ scale: z.number().positive() });
const advanceInput = z.strictObject({ ms: z.number().nonnegative() });
const apiLimitInput = z.strictObject({
  used: z.number().int().nonnegative().optional(),
  limit: z.number().int().positive().optional(),
});

/**
 * /_sandbox/*: test and demo controls. Deliberately not shaped like any Salesforce API, so no
 * product code mistakes it for one.
 */
export async function handleControlPlane(
  sandbox: SalesforceSandbox,
  method: string,
  path: string,
  body: unknown,
): Promise<SandboxResponse> {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /_sandbox':
        return json(200, {
          organizationId: sandbox.organizationId,
          loginUrl: sandbox.loginUrl,
          username: sandbox.username,
          clientId: sandbox.clientId,
          endpoints: [
            'POST /_sandbox/seed',
            'POST /_sandbox/reset',
            'GET|DELETE /_sandbox/api-calls',
            'POST /_sandbox/api-limit',
            'GET|POST /_sandbox/org',
            'GET|POST|DELETE /_sandbox/faults',
            'POST /_sandbox/expire-tokens',
            'GET /_sandbox/time',
            'POST /_sandbox/time-scale',
            'POST /_sandbox/time-advance',
            'GET /_sandbox/outbound',
            'POST /_sandbox/outbound/flush',
            'GET /_sandbox/records/{sObjectType}',
          ],
        });
      case 'POST /_sandbox/seed':
        return json(200, sandbox.seed(body ?? {}));
      case 'POST /_sandbox/reset':
        sandbox.reset(resetInput.parse(body ?? {}));
        return json(200, { ok: true });
      case 'GET /_sandbox/api-calls':
        return json(200, sandbox.apiCalls());
      case 'DELETE /_sandbox/api-calls':
        sandbox.resetApiCalls();
        return json(200, sandbox.apiCalls());
      case 'POST /_sandbox/api-limit':
        sandbox.setApiUsage(apiLimitInput.parse(body ?? {}));
        return json(200, sandbox.apiCalls());
      case 'GET /_sandbox/org':
        return json(200, sandbox.org());
      case 'POST /_sandbox/org':
        return json(200, sandbox.setOrg(orgSettingsInput.parse(body ?? {})));
      case 'GET /_sandbox/faults':
        return json(200, sandbox.faults.list());
      case 'POST /_sandbox/faults':
        return json(200, sandbox.addFaults(body as Parameters<SalesforceSandbox['addFaults']>[0]));
      case 'DELETE /_sandbox/faults':
        sandbox.clearFaults();
        return json(200, sandbox.faults.list());
      case 'POST /_sandbox/expire-tokens':
        sandbox.expireAccessTokens();
        return json(200, { ok: true });
      case 'GET /_sandbox/time':
        return json(200, { now: new Date(sandbox.clock.now()).toISOString(), scale: sandbox.clock.scale });
      case 'POST /_sandbox/time-scale':
        sandbox.setTimeScale(scaleInput.parse(body).scale);
        return json(200, { now: new Date(sandbox.clock.now()).toISOString(), scale: sandbox.clock.scale });
      case 'POST /_sandbox/time-advance':
        sandbox.advanceTime(advanceInput.parse(body).ms);
        return json(200, { now: new Date(sandbox.clock.now()).toISOString(), scale: sandbox.clock.scale });
      case 'GET /_sandbox/outbound': {
        const outbound = sandbox.outbound();
        return outbound
          ? json(200, outbound)
          : json(404, { error: 'automation is not enabled in this sandbox' });
      }
      case 'POST /_sandbox/outbound/flush':
        if (!sandbox.automation) return json(404, { error: 'automation is not enabled in this sandbox' });
        await sandbox.flushOutbound();
        return json(200, sandbox.outbound());
      default: {
        const records = /^GET \/_sandbox\/records\/([A-Za-z0-9_]+)$/.exec(route);
        if (records?.[1]) return json(200, sandbox.store.all(records[1]));
        return json(404, { error: `no control-plane route ${route}` });
      }
    }
  } catch (error) {
    if (error instanceof z.ZodError) return json(400, { error: 'invalid body', issues: error.issues });
    if (error instanceof Error) return json(400, { error: error.message });
    throw error;
  }
}
