import { setupStatus } from '../domain/salesforce-connection';
import { hashWebhookSecret, PREVIOUS_SECRET_GRACE_MS } from '../domain/site';
import { type DeploySetupDeps, deploySalesforceSetup, outboundMessageUrl } from './deploy-salesforce-setup';
import { requireSite } from './require-site';

/**
 * POST /sites/{siteId}/salesforce/rotate-secret: the next derivation of the webhook secret
 * becomes current, the outbound message is redeployed with the new URL, and the old secret is
 * still accepted for 24 hours, so the messages Salesforce is retrying to the old URL arrive.
 * If the redeploy fails, both secrets work and the deploy status says why; retrying the deploy
 * (or rotating again) finishes the job.
 */
export async function rotateWebhookSecret(deps: DeploySetupDeps, siteId: string) {
  const site = await requireSite(deps.sites, siteId);
  const now = deps.now();
  const generation = site.webhookSecretGeneration + 1;
  const previousSecretValidUntil = new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS).toISOString();
  await deps.sites.put({
    ...site,
    webhookSecretHash: hashWebhookSecret(await deps.webhookSecrets.derive(siteId, generation)),
    webhookSecretGeneration: generation,
    previousWebhookSecretHash: site.webhookSecretHash,
    previousSecretValidUntil,
    updatedAt: now.toISOString(),
  });
  const record = await deps.settings.get(siteId);
  const connection = await deps.connections.get(siteId);
  const setup =
    record && connection?.status === 'connected' && record.settings.opportunityToQuote.enabled
      ? await deploySalesforceSetup(deps, record)
      : record?.setup;
  return {
    outboundMessageUrl: await outboundMessageUrl(deps, siteId),
    generation,
    previousSecretValidUntil,
    ...(setup ? { setup: setupStatus(setup) } : {}),
  };
}
