import { QuoteSyncError } from '../domain/errors';
import type { SetupState, SiteSettingsRecord } from '../domain/salesforce-connection';
import { fingerprint, flowSpec, outboundMessageSpec } from '../domain/salesforce-setup';
import { outboundMessagePath } from '../domain/site';
import type { Logger } from '../ports/logger';
import type { SalesforceOrgs } from '../ports/salesforce';
import type { WebhookSecrets } from '../ports/secrets';
import type { ConnectionRepository, SettingsRepository } from '../ports/site-records';
import type { SiteRepository } from '../ports/site-repository';

export interface DeploySetupDeps {
  sites: SiteRepository;
  settings: SettingsRepository;
  connections: ConnectionRepository;
  orgs: SalesforceOrgs;
  webhookSecrets: WebhookSecrets;
  logger: Logger;
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
  try {
    const connection = await deps.connections.get(record.siteId);
    const org = await deps.orgs.forSite(record.siteId);
    if (!record.settings.opportunityToQuote.enabled) {
      if (setup.flow || setup.outboundMessage || options.force) {
        step = 'remove';
        await org.removeSetup();
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
        setup.outboundMessage = { fingerprint: fingerprint(message), deployedAt: deps.now().toISOString() };
      }
      if (options.force || setup.flow?.fingerprint !== fingerprint(flow)) {
        step = 'flow';
        const { version } = await org.deployFlow(flow);
        setup.flow = { fingerprint: fingerprint(flow), version, deployedAt: deps.now().toISOString() };
      }
    }
    setup.lastAttempt = { at, ok: true };
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
