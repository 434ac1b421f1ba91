import type { MiddlewareObj } from '@middy/core';
import { recordApiUsage } from '../adapters/metrics/metered-ports';
import type { ApiUsage } from '../adapters/salesforce/connected-orgs';
import type { MetricsRecorder } from '../ports/metrics';

interface SettledOrgs {
  takeUsage(): Map<string, ApiUsage>;
  settle(): Promise<void>;
}

/**
 * Ends every HTTP invocation that may call Salesforce, answered or refused: the calls it made go
 * to the metrics, and the rotated refresh tokens and the calls counted are stored. A request
 * that fails after calling Salesforce (Synchronize now's 409 above the budget reads the limits
 * first) still counts in the site's calls today. Registered after problemDetailsHandler, so its
 * onError runs first and leaves the answer to it.
 */
export function settleSalesforce(orgs: SettledOrgs, metrics?: MetricsRecorder): MiddlewareObj {
  const settle = async () => {
    const usage = orgs.takeUsage();
    if (metrics) recordApiUsage(usage, metrics);
    await orgs.settle();
  };
  return { after: settle, onError: settle };
}
