import { FLOW_LABEL } from './salesforce-setup';

/**
 * Whether the site's flow runs, in the words the status shows. A flow that is saved but not
 * active never fires, so an inactive one carries Salesforce's reason and what the org's admin
 * must do about it.
 */
export interface FlowActivationState {
  state: 'active' | 'saved-but-inactive';
  inactive?: { errorCode: string; reason: string; adminAction: string };
}

/** Whether the flow's latest version runs, after a deploy or a retry. */
export interface FlowActivation {
  /**
   * was-active: the save made it active (the org deploys flows as active); activated: the
   * service activated it; refused: Salesforce kept it inactive (see refusal); missing: the org
   * has no such flow.
   */
  outcome: 'was-active' | 'activated' | 'refused' | 'missing';
  /** The latest saved version, the one that should run. */
  latestVersion: number;
  /** The version that runs now; 0 when none does. */
  activeVersion: number;
  /** Salesforce's answer to the activation, when it refused. */
  refusal?: { errorCode: string; message: string };
}

const PERMISSION_CODES = new Set([
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
]);

export function flowActivationState(result: FlowActivation, siteId: string): FlowActivationState {
  if (result.outcome === 'was-active' || result.outcome === 'activated') return { state: 'active' };
  const retry = `then retry with POST /sites/${siteId}/salesforce/deploy`;
  if (result.outcome === 'missing') {
    return {
      state: 'saved-but-inactive',
      inactive: {
        errorCode: 'FLOW_NOT_FOUND',
        reason: `The org holds no flow '${FLOW_LABEL}' after saving it`,
        adminAction: `Redeploy everything with POST /sites/${siteId}/salesforce/deploy?force=true`,
      },
    };
  }
  const errorCode = result.refusal?.errorCode ?? 'UNKNOWN';
  const version = result.latestVersion;
  const adminAction = PERMISSION_CODES.has(errorCode)
    ? `The connected Salesforce user may not activate flows: give it the "Manage Flow" permission (the System Administrator profile has it), or have an admin activate version ${version} of '${FLOW_LABEL}' in Setup → Flows; ${retry}`
    : `In Setup → Flows, open '${FLOW_LABEL}' and activate version ${version} (Flow Builder shows why it cannot run), or turn on "Deploy processes and flows as active" in Setup → Process Automation Settings (it needs flow test coverage); ${retry}`;
  return {
    state: 'saved-but-inactive',
    inactive: {
      errorCode,
      reason: `Flow saved but inactive: Salesforce did not activate version ${version}: ${result.refusal?.message ?? 'no reason given'}`,
      adminAction,
    },
  };
}
