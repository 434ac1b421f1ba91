import { QuoteSyncError } from '../domain/errors';
import { type FlowActivation, flowActivationState } from '../domain/flow-activation';
import type { SetupState, SiteSettingsRecord } from '../domain/salesforce-connection';
import { fingerprint, flowSpec, outboundMessageSpec } from '../domain/salesforce-setup';
import { outboundMessagePath } from '../domain/site';
import type { Logger } from '../ports/logger';
import type { MetricsRecorder } from '../ports/metrics';
import type { SalesforceOrgs } from '../ports/salesforce';
import type { WebhookSecrets } from '../ports/secrets';
import type { ConnectionRepository, SettingsRepository } from '../ports/site-records';
import type { SiteRepository } from '../ports/site-repository';
import { type CheckOrgDeps, checkSalesforceOrg } from './check-salesforce-org';

export interface DeploySetupDeps extends CheckOrgDeps {
  sites: SiteRepository;
  settings: SettingsRepository;
  connections: ConnectionRepository;
  orgs: SalesforceOrgs;
  webhookSecrets: WebhookSecrets;
  logger: Logger;
  /** Per site, whether its flow is saved but inactive (1) or runs (0): summed, the sites whose flow never fires. */
  metrics?: Pick<MetricsRecorder, 'perSite'>;
  /** Base URL of the outbound-message API. */
  outboundBaseUrl: string;
  now: () => Date;
}

/** The site's outbound-message URL, with its derived webhook secret. */
export async function outboundMessageUrl(
  deps: Pick<DeploySetupDeps, 'sites' | 'webhookSecrets' | 'outboundBaseUrl'>,
  siteId: string,
) {
  const site = await deps.sites.get(siteId);
  const secret = await deps.webhookSecrets.derive(siteId, site?.webhookSecretGeneration ?? 1);
  return `${deps.outboundBaseUrl.replace(/\/$/, '')}${outboundMessagePath(siteId, secret)}`;
}

/**
 * Brings the org's setup in line with the settings: the outbound message first (the flow
 * refers to it), then the flow. Each is deployed only when what it should be differs from what
 * was last deployed, so an unchanged save creates no flow version. A failure is recorded in
 * the setup state with the time and Salesforce's message, never thrown: the settings stay
 * saved, and the admin can retry.
 */
export async function deploySalesforceSetup(
  deps: DeploySetupDeps,
  record: SiteSettingsRecord,
  options: { force?: boolean } = {},
): Promise<SetupState> {
  const setup: SetupState = { ...record.setup };
  const at = deps.now().toISOString();
  let step = 'describe';
  // Salesforce may quote the endpoint URL in an error; its secret goes neither to logs nor to
  // the stored status.
  let url: string | undefined;
  const redact = (text: string) => (url ? text.replaceAll(url, '<the outbound-message URL>') : text);
  /** What this call changed in the org, for the log. */
  const deployed: string[] = [];
  try {
    let connection = await deps.connections.get(record.siteId);
    if (connection?.status === 'unsupported-org') {
      // The org may have gained what it lacked (the API add-on, a permission): look again.
      step = 'check-org';
      const checked = await checkSalesforceOrg(deps, record.siteId);
      if (!checked?.supported) {
        setup.lastAttempt = {
          at,
          ok: false,
          step,
          error: checked?.summary ?? connection.org?.summary ?? 'The org cannot run the integration',
        };
        await deps.settings.saveSetup(record.siteId, setup);
        return setup;
      }
      connection = await deps.connections.get(record.siteId);
    }
    const org = await deps.orgs.forSite(record.siteId);
    if (!record.settings.opportunityToQuote.enabled) {
      if (setup.flow || setup.outboundMessage || options.force) {
        step = 'remove';
        await org.removeSetup();
        deployed.push('removed the flow and the outbound message');
      }
      delete setup.flow;
      delete setup.outboundMessage;
    } else {
      const fields = await org.describe('Opportunity');
      url = await outboundMessageUrl(deps, record.siteId);
      const message = outboundMessageSpec(record.settings, fields, url, connection?.username ?? '');
      const flow = flowSpec(record.settings, fields);
      if (options.force || setup.outboundMessage?.fingerprint !== fingerprint(message)) {
        step = 'outbound-message';
        await org.deployOutboundMessage(message);
        deployed.push('outbound message');
        setup.outboundMessage = { fingerprint: fingerprint(message), deployedAt: deps.now().toISOString() };
      }
      if (options.force || setup.flow?.fingerprint !== fingerprint(flow)) {
        step = 'flow';
        const activation = await org.deployFlow(flow);
        deployed.push(`flow version ${activation.latestVersion}`);
        setup.flow = {
          fingerprint: fingerprint(flow),
          ...flowState(activation, record.siteId, deps.now().toISOString()),
          deployedAt: deps.now().toISOString(),
        };
      } else if (setup.flow?.state === 'saved-but-inactive') {
        // Saved before but left inactive: try the activation again, without a new version.
        step = 'activate';
        const activation = await org.activateFlow();
        const { inactive: _before, ...kept } = setup.flow;
        setup.flow = { ...kept, ...flowState(activation, record.siteId, deps.now().toISOString()) };
      }
    }
    const inactive = setup.flow?.state === 'saved-but-inactive' ? setup.flow.inactive : undefined;
    if (setup.flow?.state) deps.metrics?.perSite('FlowSavedButInactive', record.siteId, inactive ? 1 : 0);
    if (inactive) {
      deps.logger.warn('Salesforce flow saved but inactive', {
        siteId: record.siteId,
        errorCode: inactive.errorCode,
        reason: redact(inactive.reason),
      });
      setup.lastAttempt = {
        at,
        ok: false,
        step: 'activate',
        error: redact(`${inactive.reason}. ${inactive.adminAction}`),
      };
    } else {
      setup.lastAttempt = { at, ok: true };
    }
    deps.logger.info(deployed.length > 0 ? 'Salesforce setup deployed' : 'Salesforce setup unchanged', {
      siteId: record.siteId,
      deployed,
      ...(setup.flow ? { flowVersion: setup.flow.version } : {}),
    });
  } catch (error) {
    const message = redact(
      error instanceof QuoteSyncError ? error.message : 'Unexpected error; see the service logs',
    );
    deps.logger.warn('Salesforce setup deploy failed', {
      siteId: record.siteId,
      step,
      reason: redact(error instanceof Error ? error.message : String(error)),
      errorName: error instanceof Error ? error.name : typeof error,
    });
    setup.lastAttempt = { at, ok: false, step, error: message };
  }
  await deps.settings.saveSetup(record.siteId, setup);
  return setup;
}

/** What the setup state keeps of an activation: versions, whether it runs, and why not. */
function flowState(activation: FlowActivation, siteId: string, checkedAt: string) {
  const { state, inactive } = flowActivationState(activation, siteId);
  return {
    version: activation.latestVersion,
    activeVersion: activation.activeVersion,
    state,
    ...(inactive ? { inactive } : {}),
    checkedAt,
  };
}
